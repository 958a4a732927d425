"""Seconds per epoch of the same MLP in NumPy (notebook 05) and in PyTorch on the CPU (notebook 06).

Same architecture (784-256-10, ReLU), same data (the 5,000 bundled MNIST training images, float32),
same optimizer (Adam, lr 1e-3), same batch size (64), shuffled mini-batches; the median over a few
epochs, after one warm-up epoch that is not counted. A script to run by hand, not a test:

    python benchmarks/mlp_numpy_vs_torch.py [--epochs 5] [--threads N]

``--threads N`` limits both NumPy's BLAS and PyTorch to N threads (set before they are imported);
on a busy shared machine ``--threads 1`` gives steadier numbers.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=5, help="timed epochs per framework (median reported)")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--hidden", type=int, default=256)
    parser.add_argument("--threads", type=int, default=None, help="threads for BLAS and torch (default: library default)")
    return parser.parse_args()


def time_numpy(X, y, hidden, batch_size, epochs):
    import numpy as np

    from course_utils import mlp_numpy

    rng = np.random.default_rng(0)
    params = mlp_numpy.init_params((X.shape[1], hidden, 10), rng, dtype=np.float32)
    optimizer = mlp_numpy.Adam(params, lr=1e-3)
    seconds, losses = [], []
    for _ in range(epochs + 1):  # the first epoch warms up caches and is not counted
        start = time.perf_counter()
        losses.append(mlp_numpy.train_epoch(params, optimizer, X, y, batch_size, rng))
        seconds.append(time.perf_counter() - start)
    return seconds[1:], losses


def time_torch(X, y, hidden, batch_size, epochs):
    import torch
    from torch import nn

    torch.manual_seed(0)
    X_t, y_t = torch.from_numpy(X), torch.from_numpy(y)
    model = nn.Sequential(nn.Linear(X.shape[1], hidden), nn.ReLU(), nn.Linear(hidden, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()
    seconds, losses = [], []
    for _ in range(epochs + 1):
        start = time.perf_counter()
        order, total = torch.randperm(len(X_t)), []
        for i in range(0, len(X_t), batch_size):  # the same manual batching as iterate_minibatches
            idx = order[i : i + batch_size]
            optimizer.zero_grad()
            loss = loss_fn(model(X_t[idx]), y_t[idx])
            loss.backward()
            optimizer.step()
            total.append(loss.item())
        seconds.append(time.perf_counter() - start)
        losses.append(sum(total) / len(total))
    return seconds[1:], losses


def main():
    args = parse_args()
    if args.threads:
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.threads)
    import numpy as np
    import torch

    if args.threads:
        torch.set_num_threads(args.threads)

    from course_utils.data import load_mnist

    (images, labels), _ = load_mnist("bundled")
    X = images.reshape(len(images), -1).astype(np.float32) / 255.0  # (5000, 784)
    y = labels
    print(f"MLP 784-{args.hidden}-10, Adam, batch_size {args.batch_size}, {len(X):,} images, "
          f"median of {args.epochs} epochs; numpy {np.__version__}, torch {torch.__version__}, "
          f"torch threads {torch.get_num_threads()}, cpus {os.cpu_count()}")
    results = {}
    for name, fn in (("NumPy", time_numpy), ("PyTorch (CPU)", time_torch)):
        seconds, losses = fn(X, y, args.hidden, args.batch_size, args.epochs)
        results[name] = statistics.median(seconds)
        print(f"{name:14s} {results[name]:.3f} s/epoch (min {min(seconds):.3f}, max {max(seconds):.3f}); "
              f"train loss {losses[0]:.3f} -> {losses[-1]:.3f}")
    ratio = results["NumPy"] / results["PyTorch (CPU)"]
    print(f"ratio NumPy / PyTorch: {ratio:.2f} ({'PyTorch' if ratio > 1 else 'NumPy'} is faster)")


if __name__ == "__main__":
    main()
