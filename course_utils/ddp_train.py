"""Data-parallel training of the source text's CNN: torchrun starts one copy of this file per process.

Notebook 10 shows this file and launches it with ``course_utils.launch.torchrun(DDP_SCRIPT, nproc, ...)``:

    python -m torch.distributed.run --nproc-per-node=2 course_utils/ddp_train.py --workdir DIR [--bench-batch-sizes 16,64]

1. The equivalence run, in float64: from the initial weights and the batches the notebook saved in
   ``DIR/batches.pt``, each process trains on its share of every batch; DistributedDataParallel
   averages the gradients, so every process ends with the weights of one process on the whole
   batch. Each saves them to ``DIR/weights_rank{rank}_of_{world_size}.pt``.
2. Throughput, in float32: images per second (all processes together) for each global batch size,
   written by rank 0 to ``DIR/speed_{world_size}.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import time

import torch
import torch.distributed as dist
from torch import nn
from torch.nn.parallel import DistributedDataParallel as DDP

from course_utils.models import source_cnn


def data_parallel_trainer(model, lr, rank, world_size, device):
    """A function taking one Adam step on a global batch (X, y), of which this process does its share."""
    ddp_model = DDP(model, device_ids=[device] if device.type == "cuda" else None)  # also copies rank 0's weights
    optimizer = torch.optim.Adam(ddp_model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()  # the mean over *this process's* examples

    def train_step(X, y):
        m = len(X) // world_size  # this process's share of the global batch
        X_mine, y_mine = X[rank * m:(rank + 1) * m].to(device), y[rank * m:(rank + 1) * m].to(device)
        loss = loss_fn(ddp_model(X_mine), y_mine)  # 2. Forward and 3. Loss, on my share only
        optimizer.zero_grad()
        loss.backward()  # 4. Backward: DDP averages the gradients of all processes here
        optimizer.step()  # 5. Iterate: the same step in every process, so the copies stay equal

    return train_step


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--bench-batch-sizes", default="")  # e.g. "16,64"
    parser.add_argument("--bench-steps", type=int, default=3)
    parser.add_argument("--gpus", action="store_true")  # one GPU per process (nccl); else the CPU (gloo)
    args = parser.parse_args(argv)

    # torchrun tells each process who it is through environment variables.
    rank, world_size = int(os.environ["RANK"]), int(os.environ["WORLD_SIZE"])
    device = torch.device(f"cuda:{os.environ['LOCAL_RANK']}" if args.gpus else "cpu")
    if args.gpus:
        torch.cuda.set_device(device)
    dist.init_process_group("nccl" if args.gpus else "gloo")
    try:
        # Part 1: the equivalence run, in float64, from the weights and batches the notebook saved.
        saved = torch.load(os.path.join(args.workdir, "batches.pt"))
        model = source_cnn().double().to(device)
        model.load_state_dict(saved["initial_weights"])
        train_step = data_parallel_trainer(model, saved["lr"], rank, world_size, device)
        for X, y in zip(saved["X"], saved["y"]):
            train_step(X, y)
        torch.save({k: v.cpu() for k, v in model.state_dict().items()},
                   os.path.join(args.workdir, f"weights_rank{rank}_of_{world_size}.pt"))

        # Part 2: throughput in float32, images per second (all processes together) per global batch size.
        speed = {}
        for batch_size in [int(b) for b in args.bench_batch_sizes.split(",") if b]:
            g = torch.Generator().manual_seed(rank)
            X = torch.rand(args.bench_steps + 1, batch_size, 1, 28, 28, generator=g)
            y = torch.randint(0, 10, (args.bench_steps + 1, batch_size), generator=g)
            train_step = data_parallel_trainer(source_cnn().to(device), 1e-3, rank, world_size, device)
            train_step(X[0], y[0])  # a warm-up step, not timed
            dist.barrier()  # start the clock together
            start = time.perf_counter()
            for step in range(1, args.bench_steps + 1):
                train_step(X[step], y[step])
            if args.gpus:
                torch.cuda.synchronize()
            dist.barrier()
            speed[batch_size] = batch_size * args.bench_steps / (time.perf_counter() - start)
        if rank == 0:
            with open(os.path.join(args.workdir, f"speed_{world_size}.json"), "w") as f:
                json.dump({"backend": dist.get_backend(), "images_per_s": speed}, f)
    finally:
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
