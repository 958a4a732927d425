"""The source text's Keras recipe against the course's training (notebook 08), same network.

    python benchmarks/keras_vs_course.py [--seeds 3]

Both train the same architecture (Conv 32 → pool → Conv 64 → pool → Dense 128 → Dense 10)
on the same data — the 5,000 bundled MNIST training images — and are scored on the official
10,000-image test set, on this machine, runs alternated A B A B so that drifts in machine
load hit both alike.

A: the Keras code exactly as the source text writes it (Keras 3 on its PyTorch backend):
   Adam, sparse categorical cross-entropy, ``epochs=10, batch_size=32``.
B: ``course_utils.training.fit`` with ``course_utils.training.RECIPE`` (notebook 08's).

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
from course_utils.training import RECIPE, fit, to_tensors  # noqa: E402


def keras_run(x_train, y_train, x_test, y_test, seed):
    """The source text's code, unchanged but for the seed and silence; returns (seconds, accuracy)."""
    import keras
    from keras import layers

    keras.utils.set_random_seed(seed)
    t0 = time.perf_counter()
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
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


def course_run(X, y, X_test, y_test, seed):
    """Notebook 08's training; returns (seconds, final accuracy, per-epoch test acc, per-epoch clock)."""
    seed_everything(seed)
    t0 = time.perf_counter()
    model = source_cnn()
    history = fit(model, X, y, X_val=X_test, y_val=y_test, progress=False, seed=seed, **RECIPE)
    seconds = time.perf_counter() - t0
    return seconds, history["val acc"][-1], history["val acc"], history["seconds"]


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

    rows = {"keras s": [], "keras acc": [], "course s": [], "course acc": [], "reach s": [], "reach 98.5 s": []}
    for seed in range(args.seeds):  # A B A B ...
        ks, ka = keras_run(kx_train, y_train, kx_test, y_test, seed)
        cs, ca, accs, clock = course_run(X, Y, X_test, Y_test, seed)
        reach = time_to_reach(accs, clock, ka)
        rows["keras s"].append(ks)
        rows["keras acc"].append(ka)
        rows["course s"].append(cs)
        rows["course acc"].append(ca)
        rows["reach s"].append(reach if reach is not None else float("nan"))
        reach_target = time_to_reach(accs, clock, 0.985)
        rows["reach 98.5 s"].append(reach_target if reach_target is not None else float("nan"))
        print(f"seed {seed}: Keras {ks:.1f} s, acc {ka:.4f} | course {cs:.1f} s, acc {ca:.4f}, "
              f"reached Keras's {ka:.4f} after {reach if reach is None else round(reach, 1)} s")

    keras_s, course_s = statistics.median(rows["keras s"]), statistics.median(rows["course s"])
    reach = [r for r in rows["reach s"] if r == r]
    print(f"Keras recipe (epochs=10, batch_size=32): wall {summary(rows['keras s'])} s; "
          f"test accuracy mean {np.mean(rows['keras acc']):.4f} ({summary(rows['keras acc'])})")
    print(f"Course recipe {RECIPE}: wall {summary(rows['course s'])} s; "
          f"test accuracy mean {np.mean(rows['course acc']):.4f} ({summary(rows['course acc'])})")
    if reach:
        print(f"Course time to reach the Keras recipe's final accuracy: {summary(reach)} s "
              f"({len(reach)} of {args.seeds} seeds reached it); ratio to Keras wall time "
              f"{statistics.median(reach) / keras_s:.2f}")
    else:
        print("The course's training never reached the Keras recipe's final accuracy.")
    print(f"Wall-time ratio course/Keras (whole runs): {course_s / keras_s:.2f}")
    hit = [r for r in rows["reach 98.5 s"] if r == r]
    if hit:
        print(f"Course time to reach 98.5%: {summary(hit)} s ({len(hit)} of {args.seeds} seeds); "
              f"ratio to Keras wall time {statistics.median(hit) / keras_s:.2f} (target <= 0.33)")
    else:
        print("The course's training did not reach 98.5% (target missed).")
    ok = np.mean(rows["course acc"]) >= 0.985
    print(f"Course mean test accuracy >= 98.5%: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
