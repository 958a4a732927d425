"""The source text's Keras recipe against the course's training (notebook 08), same network.

    python benchmarks/keras_vs_course.py [--seeds 3]

Both train the same architecture (Conv 32 → pool → Conv 64 → pool → Dense 128 → Dense 10)
on the same data — the 5,000 bundled MNIST training images — and are scored on the official
10,000-image test set, on this machine, runs alternated A B A B so that drifts in machine
load hit both alike.

A: the Keras code exactly as the source text writes it (Keras 3 on its PyTorch backend):
   Adam, sparse categorical cross-entropy, ``epochs=10, batch_size=32``.
B: ``course_utils.training.fit`` with ``course_utils.training.RECIPE`` (notebook 08's), as
   notebook 08 runs it on a CPU (float32), and
C: ``course_utils.scale.fit_fast`` (notebook 10): the same recipe with bf16 autocast, the
   channels-last layout and a one-cycle learning rate (on a CPU with native bf16 it pays off too).

Prints each one's wall time and test accuracy, the time the course's training takes to
first reach the Keras recipe's final accuracy (from its per-epoch test accuracy and its
per-epoch training clock), and the ratio. Needs ``pip install -r benchmarks/requirements.txt``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("KERAS_BACKEND", "torch")  # before keras is imported

import numpy as np  # noqa: E402
import torch  # noqa: E402

from course_utils.data import load_mnist  # noqa: E402
from course_utils.device import seed_everything  # noqa: E402
from course_utils.models import source_cnn  # noqa: E402
from course_utils.scale import fit_fast  # noqa: E402
from course_utils.training import RECIPE, fit, to_tensors  # noqa: E402


def keras_run(x_train, y_train, x_test, y_test, seed):
    """The source text's code, unchanged but for the seed and silence; returns (seconds, accuracy)."""
    import warnings

    import keras
    from keras import layers

    warnings.filterwarnings("ignore", message=".*input_shape.*")  # Keras 3 prefers keras.Input; the source uses input_shape

    keras.utils.set_random_seed(seed)
    t0 = time.perf_counter()
    model = keras.Sequential([
        layers.Conv2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)),
        layers.MaxPooling2D((2, 2)),
        layers.Conv2D(64, (3, 3), activation="relu"),
        layers.MaxPooling2D((2, 2)),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ])
    assert model.count_params() == 225_034
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=10, batch_size=32, verbose=0)
    seconds = time.perf_counter() - t0
    _, acc = model.evaluate(x_test, y_test, verbose=0)
    return seconds, float(acc)


def course_run(X, y, X_test, y_test, seed, mixed=False):
    """Notebook 08's training; returns (seconds, final accuracy, per-epoch test acc, per-epoch clock).

    The seconds are training only: ``history["seconds"]`` leaves out the per-epoch test
    evaluation that this benchmark adds to find when an accuracy is first reached.
    """
    seed_everything(seed)
    model = source_cnn()
    train = fit_fast if mixed else fit
    history = train(model, X, y, X_val=X_test, y_val=y_test, progress=False, seed=seed, **RECIPE)
    return history["seconds"][-1], history["val acc"][-1], history["val acc"], history["seconds"]


def time_to_reach(accs, clock, target):
    """Training seconds until the test accuracy first reaches ``target`` (None if never)."""
    for acc, t in zip(accs, clock):
        if acc >= target:
            return t
    return None


def summary(values):
    return f"median {statistics.median(values):.4g} (min {min(values):.4g}, max {max(values):.4g})"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=3)
    args = parser.parse_args(argv)
    torch.set_num_threads(os.cpu_count() or 1)

    (x_train, y_train), (x_test, y_test) = load_mnist("bundled", verbose=False)
    kx_train = x_train.reshape(-1, 28, 28, 1).astype("float32") / 255.0  # as the source text prepares it
    kx_test = x_test.reshape(-1, 28, 28, 1).astype("float32") / 255.0
    X, Y = to_tensors(x_train, y_train)
    X_test, Y_test = to_tensors(x_test, y_test)

    variants = {"course fp32": False, "course bf16 + one-cycle": True}
    rows = {"keras": {"s": [], "acc": []}} | {v: {"s": [], "acc": [], "reach": [], "reach98.5": []} for v in variants}
    for seed in range(args.seeds):  # A B C A B C ...
        ks, ka = keras_run(kx_train, y_train, kx_test, y_test, seed)
        rows["keras"]["s"].append(ks)
        rows["keras"]["acc"].append(ka)
        print(f"seed {seed}: Keras {ks:.1f} s, test accuracy {ka:.4f}", flush=True)
        for name, mixed in variants.items():
            cs, ca, accs, clock = course_run(X, Y, X_test, Y_test, seed, mixed)
            r = rows[name]
            r["s"].append(cs)
            r["acc"].append(ca)
            r["reach"].append(time_to_reach(accs, clock, ka))
            r["reach98.5"].append(time_to_reach(accs, clock, 0.985))
            print(f"seed {seed}: {name} {cs:.1f} s, test accuracy {ca:.4f}; reached Keras's {ka:.4f} after "
                  f"{_s(r['reach'][-1])}, 98.5% after {_s(r['reach98.5'][-1])}", flush=True)

    keras_s = statistics.median(rows["keras"]["s"])
    print()
    print(f"Keras recipe (epochs=10, batch_size=32, Adam): wall {summary(rows['keras']['s'])} s; "
          f"test accuracy mean {np.mean(rows['keras']['acc']):.4f} ({summary(rows['keras']['acc'])})")
    for name in variants:
        r = rows[name]
        print(f"{name} {RECIPE}: training {summary(r['s'])} s; test accuracy mean {np.mean(r['acc']):.4f} "
              f"({summary(r['acc'])}); wall-time ratio to Keras {statistics.median(r['s']) / keras_s:.2f}")
        for key, what in (("reach", "the Keras recipe's final accuracy (same seed)"), ("reach98.5", "98.5%")):
            hit = [t for t in r[key] if t is not None]
            if hit:
                print(f"  time to reach {what}: {summary(hit)} s in {len(hit)} of {args.seeds} seeds; "
                      f"ratio to Keras wall time {statistics.median(hit) / keras_s:.2f}"
                      + (" (target <= 0.33)" if key == "reach98.5" else ""))
            else:
                print(f"  never reached {what}")


def _s(t):
    return "never" if t is None else f"{t:.1f} s"


if __name__ == "__main__":
    main()
