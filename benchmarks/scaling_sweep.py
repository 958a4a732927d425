"""What notebook 13's scaling sweep costs: its total training time and FLOP/s, against the matmul limit.

    python benchmarks/scaling_sweep.py            # the full-mode sweep: 5 sizes, 8 runs of 300 steps
    python benchmarks/scaling_sweep.py --quick    # the 5 sizes, one run of 20 steps each (about a minute)

The runs are notebook 13's (its grid below, with the notebook's vocabulary of 1,000 ids and its
constant learning rate per width), trained with ``course_utils.gpt.train_lm`` and no evaluation, so
the time is the training's alone. For each run it prints the real (non-padding) tokens per second and
the FLOP/s they mean by ``flops_per_token`` (6·N + 6·d·V + 6·L·T·d); then the sweep's total time, its
FLOPs and the share of the fp32 ``torch.mm`` limit measured in the same run (``machine_limit.py``).
The small models are dominated by the output layer and by per-step overhead, so their share is low:
that is the point of printing it per size. Threads as ``session.start`` would choose them now.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch

from course_utils.device import set_threads
from course_utils.gpt import GPT, PAD, flops_per_token, non_embedding_parameters, poem_batches, train_lm
from course_utils.poems import CharVocab, load_poems
from course_utils.session import choose_threads
from gpt_speed import load_line  # benchmarks/, this script's folder
from machine_limit import fmt, matmul_flops_per_s

# notebook 13's grid (cell `sizes` and `run-setup`): (d, L, heads), the learning rate per width, the seeds
SIZES = [(8, 1, 1), (16, 1, 2), (16, 2, 2), (32, 2, 2), (48, 2, 4)]
LR = {8: 0.02, 16: 0.02, 32: 0.01, 48: 0.008}
SEEDS = {SIZES[0]: (0, 1), SIZES[-1]: (0, 1, 2)}
CONTEXT, BATCH_SIZE = 49, 64


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one run of 20 steps per size")
    args = parser.parse_args(argv)
    steps, seeds = (20, {}) if args.quick else (300, SEEDS)

    print(load_line("before"), flush=True)
    threads, why = choose_threads()
    set_threads(threads, torch_too=True)
    print(f"CPU threads: {threads}, as session.start chooses now ({why})")
    train, _ = load_poems()
    vocab = CharVocab(train, max_size=1000)
    X, Y = poem_batches(vocab, train)
    V = len(vocab)
    limit = matmul_flops_per_s(torch.float32)
    train_lm(GPT(V, 8, 1, 1), X, Y, steps=2, warmup=1, progress=False)  # warm-up of allocator and kernels

    total_seconds, total_flops = 0.0, 0.0
    start = time.perf_counter()
    for d, num_layers, heads in SIZES:
        per_token = flops_per_token(num_layers, d, V, CONTEXT)
        for seed in seeds.get((d, num_layers, heads), (0,)):
            torch.manual_seed(seed)
            history = train_lm(GPT(V, d, num_layers, heads), X, Y, steps=steps, batch_size=BATCH_SIZE,
                               lr=LR[d], warmup=min(20, steps // 2), schedule="constant", seed=seed,
                               progress=False)
            tokens, seconds = history["tokens"][-1], history["seconds"][-1]
            total_seconds, total_flops = total_seconds + seconds, total_flops + per_token * tokens
            rate = tokens / seconds
            print(f"d = {d:2d}, L = {num_layers}, N = {non_embedding_parameters(num_layers, d):6,}, seed {seed}: "
                  f"{seconds:6.1f} s, {rate / 1e3:5.1f} k tokens/s, {per_token * rate / 1e9:5.2f} GFLOP/s "
                  f"({per_token * rate / statistics.median(limit):.0%} of the limit)", flush=True)
    wall = time.perf_counter() - start
    real = float((Y != PAD).float().mean())
    print(f"sweep: {steps} steps a run, {total_seconds:.0f} s of training ({wall:.0f} s wall), "
          f"{total_flops:.3g} FLOPs counted (real tokens only, {real:.0%} of the positions); "
          f"{total_flops / total_seconds / 1e9:.2f} GFLOP/s on average; fp32 matmul limit {fmt(limit)}: "
          f"{total_flops / total_seconds / statistics.median(limit):.0%}")
    print(load_line("after"))


if __name__ == "__main__":
    main()
