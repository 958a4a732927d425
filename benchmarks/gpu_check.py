"""Train the source text's CNN (notebook 08) on a GPU and report how fast and how well.

    python benchmarks/gpu_check.py                         # the full check, a few minutes at most
    python benchmarks/gpu_check.py --epochs 1 --limit 1000  # a smoke test (also on a CPU)

The bundled MNIST (5,000 training images, the official 10,000 test images) is held on the
device as one tensor; on CUDA training uses ``course_utils.scale.fit_fast`` (notebook 10): bf16
autocast, the channels-last memory layout and a one-cycle learning rate; elsewhere notebook 08's ``fit``. Prints the device, seconds per
epoch, images per second, and the test accuracy; on CUDA it also times one epoch on the CPU
for comparison, and trains notebook 12's GPT in bf16 autocast (``benchmarks/gpt_speed.py``:
tokens per second, achieved FLOP/s, their share of the GPU's bf16 matmul limit). Without a
GPU it still runs (with a note), so it can be smoke-tested anywhere.
Exit status 1 when the full recipe misses its accuracy target.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import torch

from course_utils.data import load_mnist
from course_utils.device import pick_device
from course_utils.models import count_parameters, source_cnn
from course_utils.scale import fit_fast
from course_utils.training import RECIPE, evaluate, fit, to_tensors  # RECIPE: notebook 08's full-mode recipe

TARGET = 0.985  # test accuracy from the 5,000 bundled images with the full recipe


def sync(device):
    """Wait for queued GPU work, so the clock measures the work and not its launch."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def timed_fit(model, X, y, device, fast=False, **kwargs):
    sync(device)
    t0 = time.perf_counter()
    (fit_fast if fast else fit)(model.to(device), X, y, progress=False, **kwargs)
    sync(device)
    return time.perf_counter() - t0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=RECIPE["num_epochs"])
    parser.add_argument("--limit", type=int, default=None, help="train on the first LIMIT images of a shuffle")
    parser.add_argument("--batch-size", type=int, default=RECIPE["batch_size"])
    parser.add_argument("--device", default=None, help="cuda, mps or cpu (default: the best one here)")
    parser.add_argument("--no-fast", action="store_true", help="notebook 08's fit (float32) instead of fit_fast on CUDA")
    parser.add_argument("--no-cpu-compare", action="store_true", help="skip timing one epoch on the CPU")
    parser.add_argument("--gpt-steps", type=int, default=300, help="training steps of notebook 12's GPT on CUDA (0: skip)")
    args = parser.parse_args(argv)

    t_start = time.perf_counter()
    device = pick_device(args.device)
    if device.type != "cuda":
        print("Note: no CUDA GPU here, so this runs on the CPU as a smoke test; the timings are CPU timings "
              "(fit_fast's bf16 autocast, channels-last and one-cycle are for CUDA and stay off).")
    print(f"torch {torch.__version__}; CPU threads {torch.get_num_threads()}")
    if device.type == "cuda":
        torch.backends.cudnn.benchmark = True  # fixed shapes: let cuDNN pick its fastest kernels once

    (x_train, y_train), (x_test, y_test) = load_mnist("bundled")
    order = np.random.default_rng(0).permutation(len(x_train))[: args.limit]  # the bundle is sorted by label
    X, y = to_tensors(x_train[order], y_train[order], device)
    X_test, y_test = to_tensors(x_test, y_test, device)
    fast = device.type == "cuda" and not args.no_fast
    opts = dict(batch_size=args.batch_size, lr=RECIPE["lr"], augment=RECIPE["augment"], fast=fast)
    print(f"data on {X.device}: {tuple(X.shape)} train, {tuple(X_test.shape)} test; batch {args.batch_size}, "
          f"{'fit_fast (bf16 autocast, channels-last, one-cycle)' if fast else 'fit (float32)'}")

    # a throwaway epoch first: CUDA start-up, cuDNN's kernel search and memory pools are not training speed
    torch.manual_seed(1)
    warm = timed_fit(source_cnn(), X, y, device, num_epochs=1, **opts)

    torch.manual_seed(0)
    model = source_cnn()
    seconds = timed_fit(model, X, y, device, num_epochs=args.epochs, **opts)
    loss, acc = evaluate(model, X_test, y_test)
    per_epoch = seconds / args.epochs
    print(f"model: {count_parameters(model):,} parameters")
    print(f"warm-up epoch: {warm:.2f} s")
    print(f"{args.epochs} epochs: {seconds:.2f} s, {per_epoch:.3f} s per epoch, {len(X) / per_epoch:,.0f} images per second")
    print(f"test: loss {loss:.4f}, accuracy {acc:.4f} on the official {len(y_test):,} images")

    if device.type == "cuda" and not args.no_cpu_compare:
        cpu = torch.device("cpu")
        n = min(len(X), 2000)
        torch.manual_seed(0)
        cpu_seconds = timed_fit(source_cnn(), X[:n].cpu(), y[:n].cpu(), cpu, num_epochs=1, **{**opts, "fast": False})
        cpu_rate, gpu_rate = n / cpu_seconds, len(X) / per_epoch
        print(f"CPU, same epoch on {n:,} images: {cpu_rate:,.0f} images per second; the GPU is {gpu_rate / cpu_rate:.1f}x faster")

    if device.type == "cuda" and args.gpt_steps:
        from gpt_speed import report  # benchmarks/, this script's folder (run it as a script)

        print("notebook 12's GPT, bf16 autocast:")
        report(device, steps=args.gpt_steps, repeats=3)

    print(f"total wall time {time.perf_counter() - t_start:.1f} s")
    full_recipe = args.limit is None and args.epochs >= RECIPE["num_epochs"] and args.batch_size == RECIPE["batch_size"]
    if full_recipe and acc < TARGET:
        print(f"FAIL: test accuracy {acc:.4f} < {TARGET} with the full recipe")
        return 1
    print(f"OK (target {TARGET} checked)" if full_recipe else "OK (smoke test: no accuracy target with --limit or fewer epochs)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
