"""What training on the full 60,000 MNIST images would cost on this machine's CPU (notebooks 05 and 08).

    python benchmarks/full_set_time.py [--epochs 1]

Why: load_mnist() trains on the 5,000 bundled images on a CPU and keeps the full set for a GPU
(or COURSE_MNIST=full). This measures both sides of that choice without a download: an epoch costs
the same on any 60,000 digits, so the bundled 5,000 are repeated twelve times. For each notebook,
``--epochs`` epochs are timed with the recipe the notebook uses for each size and extrapolated to
the notebook's full-mode epoch count:

- 05, the NumPy MLP (784-256-10, Adam, batch 64): 30 epochs on 5,000 images, 10 on 60,000;
- 08, the source's CNN with training.fit: training.RECIPE on 5,000, and 10 epochs in batches
  of 32 with augmentation on 60,000 (the notebook's two recipes).
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from course_utils import mlp_numpy, training
from course_utils.data import load_mnist
from course_utils.device import cpu_threads, set_threads
from course_utils.models import source_cnn

EPOCHS = "num_epochs" if "num_epochs" in training.RECIPE else "epochs"  # fit()'s name for it
RECIPES = {  # notebook -> {training images: (epochs in full mode, recipe)}
    "05": {5_000: (30, dict(batch_size=64)), 60_000: (10, dict(batch_size=64))},
    "08": {5_000: (training.RECIPE[EPOCHS], dict(training.RECIPE)),
           60_000: (10, dict(batch_size=32, lr=3e-3, augment=True))},  # the learning-rate schedule costs nothing
}


def mlp_epoch_seconds(x, y, batch_size, epochs):
    X = x.reshape(len(x), -1).astype(np.float32) / 255.0
    rng = np.random.default_rng(0)
    init = getattr(mlp_numpy, "init_params", None) or mlp_numpy.he_init  # the name notebook 05 exports
    params = init((784, 256, 10), rng, dtype=np.float32)
    optimizer = mlp_numpy.Adam(params, lr=1e-3)
    t0 = time.perf_counter()
    for _ in range(epochs):
        mlp_numpy.train_epoch(params, optimizer, X, y, batch_size, rng, weight_decay=1e-4)
    return (time.perf_counter() - t0) / epochs


def cnn_epoch_seconds(x, y, recipe, epochs):
    import torch

    X, Y = training.to_tensors(x, y)
    torch.manual_seed(0)
    model = source_cnn()
    recipe = {**recipe, EPOCHS: epochs}
    t0 = time.perf_counter()
    training.fit(model, X, Y, seed=0, progress=False, **recipe)
    return (time.perf_counter() - t0) / epochs


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--epochs", type=int, default=1, help="epochs timed per case (then extrapolated)")
    parser.add_argument("--threads", type=int, default=None, help="CPU threads (default: what session.start would choose)")
    args = parser.parse_args(argv)
    threads, why = (args.threads, "as asked") if args.threads else cpu_threads()
    set_threads(threads, torch_too=True)
    (x5, y5), _ = load_mnist("bundled", verbose=False)
    sets = {5_000: (x5, y5), 60_000: (np.tile(x5, (12, 1, 1)), np.tile(y5, 12))}
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {threads} thread{'s' if threads > 1 else ''} ({why}); "
          f"{args.epochs} epoch(s) timed per case")
    print("| notebook | training images | s per epoch | full-mode epochs | full-mode training (s), extrapolated |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for notebook, by_size in RECIPES.items():
        for n, (epochs, recipe) in by_size.items():
            x, y = sets[n]
            if notebook == "05":
                per_epoch = mlp_epoch_seconds(x, y, recipe["batch_size"], args.epochs)
            else:
                per_epoch = cnn_epoch_seconds(x, y, recipe, args.epochs)
            print(f"| {notebook} | {n:,} | {per_epoch:.1f} | {epochs} | {per_epoch * epochs:.0f} |", flush=True)


if __name__ == "__main__":
    main()
