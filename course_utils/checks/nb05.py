"""Exercise checkers for notebook 05, "An MLP on MNIST in NumPy".

Use: ``from course_utils.checks import nb05 as ex`` then ``ex.check_one_hot(one_hot)``.
Each prints one line (⏳ not implemented yet / ❌ what is wrong / ✅) and, with
``strict=True``, raises ``AssertionError`` unless the answer is right.
"""

from __future__ import annotations

import numpy as np

from .core import TODO, Verdict, _Placeholder, _to_array, call_learner, check_function, compare, report



# --------------------------------------------------------------------------- one_hot


def _one_hot_ref(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def check_one_hot(one_hot, strict: bool = False) -> Verdict:
    """``one_hot(y (N,) ints, num_classes) -> (N, num_classes)``, a single 1 per row, in column ``y[i]``."""
    name = "one_hot"
    rng = np.random.default_rng(5)
    for trial, (n, k) in enumerate([(7, 10), (12, 4), (1, 3), (30, 10)], start=1):
        y = rng.integers(0, k, n)
        y[0] = k - 1  # the last class must fit
        got, v = call_learner(name, one_hot, y.copy(), k)
        if v is not None:
            return report(v, strict)
        try:
            arr = _to_array(got)
        except (_Placeholder, TypeError, ValueError):
            return report(Verdict(name, "fail", f"returned {type(got).__name__}, expected an array of shape ({n}, {k})."), strict)
        expected = _one_hot_ref(y, k)
        if arr.shape == expected.shape:
            sums = arr.sum(axis=1)
            if not np.allclose(sums, 1):
                return report(Verdict(name, "fail", f"each row must hold exactly one 1 (row sums found: {sorted(set(np.round(sums, 3)))[:4]}); trial {trial}."), strict)
            cols = arr.argmax(axis=1)
            for shift in (-1, 1):
                if np.array_equal(cols, (y + shift) % k):
                    return report(Verdict(name, "fail", f"the 1 sits in column y{shift:+d}: put it in column y[i] itself (labels 0..{k - 1} are already column indices)."), strict)
        problem = compare(arr, expected)
        if problem:
            return report(Verdict(name, "fail", f"{problem} (y of shape ({n},), num_classes={k}; trial {trial})"), strict)
    return report(Verdict(name, "pass", "correct on 4 label vectors, including a single label."), strict)


# --------------------------------------------------------------------------- accuracy


def check_accuracy(accuracy, strict: bool = False) -> Verdict:
    """``accuracy(scores (N, K), y (N,)) -> float``: the fraction of rows whose largest score is at ``y``."""

    def make_args(rng):
        n, k = int(rng.integers(8, 40)), int(rng.integers(3, 11))
        scores = rng.normal(size=(n, k))
        y = scores.argmax(axis=1)
        wrong = rng.random(n) < 0.4
        y[wrong] = rng.integers(0, k, wrong.sum())
        return scores, y

    def reference(scores, y):
        return float(np.mean(scores.argmax(axis=1) == y))

    # a percentage is a common slip: name it before the generic comparison
    rng = np.random.default_rng(1)
    scores, y = make_args(rng)
    got, v = call_learner("accuracy", accuracy, scores.copy(), y.copy())
    if v is not None:
        return report(v, strict)
    try:
        value = float(np.asarray(_to_array(got)).ravel()[0]) if np.size(got) == 1 else None
    except (_Placeholder, TypeError, ValueError):
        value = None
    ref = reference(scores, y)
    if value is not None and ref > 0 and np.isclose(value, 100 * ref):
        return report(Verdict("accuracy", "fail", f"returned {value:g}, a percentage: return a fraction between 0 and 1 (here {ref:g})."), strict)
    return check_function(
        accuracy,
        reference,
        make_args,
        name="accuracy",
        batch_size=lambda args: len(args[1]),
        strict=strict,
    )


# --------------------------------------------------------------------------- iterate_minibatches


def check_iterate_minibatches(iterate_minibatches, strict: bool = False) -> Verdict:
    """``iterate_minibatches(X, y, batch_size, rng)`` yields ``(X_batch, y_batch)`` pairs that cover
    every example exactly once, in a new random order each epoch, drawn from ``rng``."""
    name = "iterate_minibatches"
    for n, batch_size in [(103, 10), (64, 16), (5, 8)]:
        X = np.repeat(np.arange(n, dtype=float)[:, None], 3, axis=1)  # row i holds the number i
        y = np.arange(n)

        def epoch(seed_or_rng):
            rng = np.random.default_rng(seed_or_rng) if isinstance(seed_or_rng, int) else seed_or_rng
            out, v = call_learner(name, iterate_minibatches, X, y, batch_size, rng)
            if v is not None:
                return None, v
            try:
                batches = list(out)
            except Exception as exc:
                return None, Verdict(name, "fail", f"the result cannot be looped over ({type(exc).__name__}: {exc}); use `yield X_batch, y_batch` inside the loop.")
            return batches, None

        batches, v = epoch(0)
        if v is not None:
            return report(v, strict)
        where = f"(N={n}, batch_size={batch_size})"
        order = []
        for j, item in enumerate(batches):
            if not (isinstance(item, tuple) and len(item) == 2):
                return report(Verdict(name, "fail", f"batch {j} is a {type(item).__name__}, expected a pair (X_batch, y_batch) {where}."), strict)
            Xb, yb = np.asarray(item[0]), np.asarray(item[1])
            if Xb.ndim != 2 or Xb.shape[1] != X.shape[1]:
                return report(Verdict(name, "fail", f"X_batch {j} has shape {Xb.shape}; expected (batch, {X.shape[1]}), rows of X {where}."), strict)
            if len(Xb) != len(yb):
                return report(Verdict(name, "fail", f"batch {j}: X_batch has {len(Xb)} rows but y_batch {len(yb)} labels {where}."), strict)
            if not np.array_equal(Xb[:, 0], yb):
                return report(Verdict(name, "fail", f"batch {j}: the labels no longer belong to their images; index X and y with the same indices {where}."), strict)
            if len(Xb) > batch_size:
                return report(Verdict(name, "fail", f"batch {j} has {len(Xb)} examples, more than batch_size={batch_size} {where}."), strict)
            order.extend(int(i) for i in yb)
        counts = np.bincount(np.asarray(order, dtype=int), minlength=n) if order else np.zeros(n, int)
        if (counts > 1).any():
            return report(Verdict(name, "fail", f"{int((counts > 1).sum())} examples appear more than once in one epoch: shuffle with rng.permutation(N) (sampling with replacement repeats some) {where}."), strict)
        if (counts == 0).any():
            return report(Verdict(name, "fail", f"{int((counts == 0).sum())} of {n} examples never appear: keep the last, smaller batch too {where}."), strict)
        sizes = [len(b[1]) for b in batches]
        if any(s != batch_size for s in sizes[:-1]):
            return report(Verdict(name, "fail", f"batch sizes {sizes[:6]}...: every batch but the last should hold batch_size={batch_size} {where}."), strict)
        if n > 1 and order == list(range(n)):
            return report(Verdict(name, "fail", f"the examples come in their original order: shuffle them with rng.permutation(N) each epoch {where}."), strict)
        again, v = epoch(0)
        if v is not None:
            return report(v, strict)
        if [int(i) for b in again for i in b[1]] != order:
            return report(Verdict(name, "fail", "two calls with the same rng seed gave different orders: draw the permutation from the rng argument, not np.random, so runs are repeatable."), strict)
        rng = np.random.default_rng(1)
        first, _ = epoch(rng)
        second, _ = epoch(rng)
        if n > 2 and [int(i) for b in first for i in b[1]] == [int(i) for b in second for i in b[1]]:
            return report(Verdict(name, "fail", "two epochs came in the same order: draw a new permutation each time the function is called."), strict)
    return report(Verdict(name, "pass", "every example exactly once per epoch, labels aligned, a fresh order each epoch."), strict)


# --------------------------------------------------------------------------- he_init


def check_he_init(he_init_layer, strict: bool = False) -> Verdict:
    """``he_init_layer(fan_in, fan_out, rng) -> (W (fan_in, fan_out), b (fan_out,))`` with
    ``W ~ N(0, 2 / fan_in)`` and ``b = 0``."""
    name = "he_init_layer"
    for fan_in, fan_out in [(784, 256), (400, 50), (60, 300)]:
        out, v = call_learner(name, he_init_layer, fan_in, fan_out, np.random.default_rng(0))
        if v is not None:
            return report(v, strict)
        if not (isinstance(out, tuple) and len(out) == 2):
            return report(Verdict(name, "fail", f"return a pair (W, b), not {type(out).__name__}."), strict)
        try:
            W, b = _to_array(out[0]), _to_array(out[1])
        except _Placeholder:
            return report(Verdict(name, "todo", TODO), strict)
        where = f"(fan_in={fan_in}, fan_out={fan_out})"
        if W.shape != (fan_in, fan_out):
            hint = " (transposed: rows are inputs, so X @ W works)" if W.shape == (fan_out, fan_in) else ""
            return report(Verdict(name, "fail", f"W has shape {W.shape}, expected ({fan_in}, {fan_out}){hint} {where}."), strict)
        if b.shape != (fan_out,):
            return report(Verdict(name, "fail", f"b has shape {b.shape}, expected ({fan_out},) {where}."), strict)
        if not np.all(np.isfinite(W)):
            return report(Verdict(name, "fail", f"W holds NaN or inf {where}."), strict)
        if np.any(b != 0):
            return report(Verdict(name, "fail", f"b should start at zero (the random W already breaks the symmetry) {where}."), strict)
        if np.ptp(W) == 0:
            return report(Verdict(name, "fail", f"all weights are equal: every hidden unit would compute the same thing and learn the same thing; draw them at random {where}."), strict)
        want = np.sqrt(2.0 / fan_in)
        std, mean = float(W.std()), float(W.mean())
        if abs(mean) > 0.1 * want:
            return report(Verdict(name, "fail", f"the weights have mean {mean:.3g}; they should be centred on 0 {where}."), strict)
        ratio = std / want
        if abs(ratio - 1) > 0.05:
            if np.isclose(std, 2.0 / fan_in, rtol=0.05):
                hint = "you used the variance 2/fan_in as the standard deviation: take its square root"
            elif np.isclose(ratio, np.sqrt(0.5), rtol=0.05):
                hint = "that is std sqrt(1/fan_in) (LeCun/Xavier); ReLU zeroes half the signal, so He uses sqrt(2/fan_in)"
            elif np.isclose(std, np.sqrt(2.0 / fan_out), rtol=0.05):
                hint = "you divided by fan_out; He initialisation divides by fan_in, the number of inputs each unit sums"
            else:
                hint = f"expected std sqrt(2/fan_in) = {want:.4g}"
            return report(Verdict(name, "fail", f"std of W is {std:.4g}: {hint} {where}."), strict)
        out2, _ = call_learner(name, he_init_layer, fan_in, fan_out, np.random.default_rng(0))
        out3, _ = call_learner(name, he_init_layer, fan_in, fan_out, np.random.default_rng(1))
        if out2 is None or not np.array_equal(_to_array(out2[0]), W):
            return report(Verdict(name, "fail", "the same seed gave different weights: draw them from the rng argument, not np.random."), strict)
        if out3 is not None and np.array_equal(_to_array(out3[0]), W):
            return report(Verdict(name, "fail", "different seeds gave the same weights: draw them from the rng argument."), strict)
    return report(Verdict(name, "pass", "shapes, zero biases and std sqrt(2/fan_in) right for 3 layer sizes."), strict)
