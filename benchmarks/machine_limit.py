"""How close the course's training of the 08 network comes to this machine's limit.

    python benchmarks/machine_limit.py [--repeats 3]

1. The FLOPs of one training epoch are counted, not estimated: ``FlopCounterMode`` records
   every convolution and matrix product of one forward + backward pass of a batch, times the
   number of batches (the last, smaller batch counted at its own size).
2. One epoch is timed with ``course_utils.training.fit`` and the recipe's batch size, in
   float32 and in bf16 autocast with the channels-last layout.
3. The machine's limit for each dtype is measured in the same run: the throughput of a large
   square matrix product (``torch.mm``), the best case for this processor and this PyTorch.
Prints achieved FLOP/s as a fraction of that limit, each as a median with min and max.
"""

from __future__ import annotations

import argparse
import statistics
import time

import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from course_utils.data import load_mnist
from course_utils.models import source_cnn
from course_utils.scale import fit_fast
from course_utils.training import RECIPE, fit, to_tensors


def epoch_flops(n_images: int, batch_size: int) -> int:
    """FLOPs of one training epoch (forward + backward of every batch; the update is not counted)."""
    model = source_cnn()

    def step_flops(m):
        X = torch.rand(m, 1, 28, 28)
        y = torch.randint(0, 10, (m,))
        with FlopCounterMode(display=False) as counter:
            F.cross_entropy(model(X), y).backward()
        return counter.get_total_flops()

    full, rest = divmod(n_images, batch_size)
    return full * step_flops(batch_size) + (step_flops(rest) if rest else 0)


def matmul_flops_per_s(dtype, n=2048, repeats=5) -> list[float]:
    a, b = torch.rand(n, n, dtype=dtype), torch.rand(n, n, dtype=dtype)
    torch.mm(a, b)  # warm-up
    rates = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        torch.mm(a, b)
        rates.append(2 * n**3 / (time.perf_counter() - t0))
    return rates


def epoch_seconds(X, y, autocast: bool, repeats: int) -> list[float]:
    times = []
    for seed in range(repeats + 1):
        torch.manual_seed(seed)
        model = source_cnn()
        t0 = time.perf_counter()
        options = dict(num_epochs=1, batch_size=RECIPE["batch_size"], lr=RECIPE["lr"], progress=False, seed=seed)
        if autocast:
            fit_fast(model, X, y, **options)  # bf16 autocast and channels-last (its one-cycle costs nothing)
        else:
            fit(model, X, y, **options)
        if seed:  # the first epoch warms up the allocator and kernels
            times.append(time.perf_counter() - t0)
    return times


def fmt(values, scale=1e9, unit="GFLOP/s"):
    v = [x / scale for x in values]
    return f"{statistics.median(v):.1f} {unit} (min {min(v):.1f}, max {max(v):.1f})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)

    (x_train, y_train), _ = load_mnist("bundled", verbose=False)
    X, y = to_tensors(x_train, y_train)
    flops = epoch_flops(len(X), RECIPE["batch_size"])
    print(f"One training epoch of the 08 network on {len(X):,} images, batch {RECIPE['batch_size']}: "
          f"{flops / 1e9:.2f} GFLOP counted (forward + backward)")
    print(f"PyTorch threads: {torch.get_num_threads()}")
    for name, dtype, autocast in (("float32", torch.float32, False), ("bf16 autocast + channels-last", torch.bfloat16, True)):
        peak = matmul_flops_per_s(dtype)
        secs = epoch_seconds(X, y, autocast, args.repeats)
        achieved = [flops / s for s in secs]
        frac = [a / statistics.median(peak) for a in achieved]
        print(f"{name}: epoch {statistics.median(secs):.2f} s (min {min(secs):.2f}, max {max(secs):.2f}); "
              f"achieved {fmt(achieved)}; {dtype} matmul limit {fmt(peak)}; "
              f"fraction {statistics.median(frac):.0%} (min {min(frac):.0%}, max {max(frac):.0%})")


if __name__ == "__main__":
    main()
