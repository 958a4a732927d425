"""Exercise checkers for notebook 05, "An MLP on MNIST in NumPy".

Use: ``from course_utils.checks import nb05 as ex`` then ``ex.check_one_hot(one_hot)``.
``one_hot`` and ``accuracy`` are a reference and a table of mistakes; ``iterate_minibatches``
(a generator) and ``he_init_layer`` (random weights) need checks of their own, written with the
engine's primitives (``t.call``, ``t.run``, ``t.split``, ``t.stop``).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from ..i18n import _
from .answers import read_array
from .engine import check, checker

# --------------------------------------------------------------------------- one_hot


def _one_hot(y, num_classes):
    return (np.asarray(y)[:, None] == np.arange(num_classes)[None, :]).astype(float)


def check_one_hot(one_hot, strict: bool = False):
    """``one_hot(y (N,) ints, num_classes) -> (N, num_classes)``, a single 1 per row, in column ``y[i]``."""

    def make_args(rng, trial):
        n, k = [(7, 10), (12, 4), (1, 3), (30, 10), (4, 4), (6, 2)][trial]
        y = rng.integers(0, k, n)
        y[0] = k - 1  # the last class must fit
        return y, k

    mistakes = [
        (lambda y, k: _one_hot((y - 1) % k, k), _("the 1 sits in column y-1: put it in column y[i] itself (labels 0..K-1 are already column indices).")),
        (lambda y, k: _one_hot((y + 1) % k, k), _("the 1 sits in column y+1: put it in column y[i] itself (labels 0..K-1 are already column indices).")),
        (lambda y, k: np.isin(np.arange(k)[None, :].repeat(len(y), 0), y).astype(float),
         _("out[:, y] = 1 sets whole columns, for every row: set one entry per row, out[np.arange(N), y] = 1.")),
        (lambda y, k: _one_hot(y, k).T, _("the table is transposed: one row per example, shape (N, num_classes).")),
        (lambda y, k: 1 - _one_hot(y, k), _("0 and 1 are swapped: a single 1 per row, in column y[i], zeros elsewhere.")),
    ]
    symptoms = [
        (lambda got, args: not np.allclose(np.asarray(got, dtype=float).sum(axis=1), 1),
         _("each row must hold exactly one 1 (and zeros elsewhere): out[np.arange(N), y] = 1 on a table of zeros.")),
    ]
    return check(one_hot, name="one_hot", reference=_one_hot, make_args=make_args, trials=6, mistakes=mistakes,
                 symptoms=symptoms, passed=_("correct on 6 label vectors, a single label and the last class included."),
                 strict=strict)


# --------------------------------------------------------------------------- accuracy


def _accuracy(scores, y):
    hits = sum(1 for row, label in zip(scores, y) if int(np.argmax(row)) == int(label))
    return hits / len(y)


def check_accuracy(accuracy, strict: bool = False):
    """``accuracy(scores (N, K), y (N,)) -> float``: the fraction of rows whose largest score is at ``y``."""

    def make_args(rng, trial):
        n, k = [(20, 10), (37, 4), (12, 3), (1, 5), (64, 10)][trial]
        scores = rng.normal(size=(n, k))
        y = scores.argmax(axis=1)
        wrong = rng.random(n) < 0.4
        y[wrong] = rng.integers(0, k, wrong.sum())
        if trial == 3:
            y[:] = (scores.argmax(axis=1) + 1) % k  # one wrong answer: accuracy 0
        return scores, y

    mistakes = [
        (lambda s, y: 100 * np.mean(s.argmax(axis=1) == y),
         _("that is a percentage: return the fraction between 0 and 1 (no * 100).")),
        (lambda s, y: np.mean(s.argmin(axis=1) == y), _("argmin picks the smallest score; the prediction is the largest, argmax.")),
        (lambda s, y: 1 - np.mean(s.argmax(axis=1) == y), _("that is the error rate, 1 − accuracy: count the rows that are right.")),
        (lambda s, y: np.sum(s.argmax(axis=1) == y),
         _("that is the count of right rows: divide by N (np.mean of the comparison gives the fraction).")),
    ]
    return check(accuracy, name="accuracy", reference=_accuracy, make_args=make_args, mistakes=mistakes,
                 batch_size=lambda args: len(args[1]), strict=strict)


# --------------------------------------------------------------------------- iterate_minibatches


def _one_epoch(t, iterate_minibatches, X, y, batch_size, rng, where):
    """The batches of one call, each checked: a pair of arrays, rows of X with their own labels,
    at most ``batch_size`` examples. Returns the labels (= row numbers) in the order they came."""
    out = t.call(iterate_minibatches, X, y, batch_size, rng)
    if not hasattr(out, "__iter__") or isinstance(out, (str, dict)):
        t.stop(_("returned a {type}, which cannot be looped over: write `yield X_batch, y_batch` inside the loop "
                 "{where}.").format(type=type(out).__name__, where=where))
    most = math.ceil(len(X) / batch_size)
    batches = t.run(lambda: list(itertools.islice(iter(out), most + 1))).value
    t.changed = t.changed_input()  # a generator's code runs only now
    if t.changed:
        t.stop(t.in_place_message() + " " + where)
    if len(batches) > most:
        t.stop(_("more than {most} batches for N={n}: every batch but the last holds batch_size examples, and the "
                 "loop ends after one pass over the data {where}.").format(most=most, n=len(X), where=where))
    order, sizes = [], []
    for j, item in enumerate(batches):
        if not isinstance(item, (tuple, list)):
            t.stop(_("batch {j} is a {type}, expected a pair (X_batch, y_batch) {where}.").format(
                j=j, type=type(item).__name__, where=where))
        Xb, yb = t.split(item, ("X_batch", "y_batch"))
        Xb, yb = read_array(Xb)[0], read_array(yb)[0]
        if Xb.ndim != 2 or Xb.shape[1] != X.shape[1]:
            t.stop(_("X_batch {j} has shape {shape}; expected (batch, {d}), rows of X {where}.").format(
                j=j, shape=Xb.shape, d=X.shape[1], where=where))
        if yb.ndim != 1 or len(Xb) != len(yb):
            t.stop(_("batch {j}: X_batch has {rows} rows but y_batch holds {labels} labels {where}.").format(
                j=j, rows=len(Xb), labels=yb.size, where=where))
        if not np.array_equal(Xb[:, 0], yb):
            t.stop(_("batch {j}: the labels no longer belong to their images: index X and y with the same indices "
                     "{where}.").format(j=j, where=where))
        if len(Xb) > batch_size:
            t.stop(_("batch {j} has {size} examples, more than batch_size={b} {where}.").format(
                j=j, size=len(Xb), b=batch_size, where=where))
        order.extend(int(i) for i in yb)
        sizes.append(len(yb))
    counts = np.bincount(np.asarray(order, dtype=int), minlength=len(X))
    if (counts > 1).any():
        t.stop(_("{k} examples appear more than once in one epoch: shuffle with rng.permutation(N) (sampling with "
                 "replacement repeats some) {where}.").format(k=int((counts > 1).sum()), where=where))
    if (counts == 0).any():
        t.stop(_("{k} of {n} examples never appear: keep the last, smaller batch too {where}.").format(
            k=int((counts == 0).sum()), n=len(X), where=where))
    if any(s != batch_size for s in sizes[:-1]):
        t.stop(_("batch sizes {sizes}...: every batch but the last should hold batch_size={b} {where}.").format(
            sizes=sizes[:6], b=batch_size, where=where))
    return order


@checker("iterate_minibatches")
def check_iterate_minibatches(t, iterate_minibatches):
    """``iterate_minibatches(X, y, batch_size, rng)`` yields ``(X_batch, y_batch)`` pairs that cover
    every example exactly once, in a new random order each epoch, drawn from ``rng``. Tried with N a
    multiple of batch_size and not, batch_size 1, batch_size = N and batch_size > N."""
    for n, batch_size in [(103, 10), (64, 16), (5, 8), (7, 1), (12, 12)]:
        X = np.repeat(np.arange(n, dtype=float)[:, None], 3, axis=1)  # row i holds the number i
        y = np.arange(n)
        where = _("(N={n}, batch_size={b})").format(n=n, b=batch_size)
        order = _one_epoch(t, iterate_minibatches, X, y, batch_size, np.random.default_rng(0), where)
        if n > 1 and order == list(range(n)):
            t.stop(_("the examples come in their original order: shuffle them with rng.permutation(N) each epoch "
                     "{where}.").format(where=where))
        if _one_epoch(t, iterate_minibatches, X, y, batch_size, np.random.default_rng(0), where) != order:
            t.stop(_("two calls with the same rng seed gave different orders: draw the permutation from the rng "
                     "argument, not np.random, so runs are repeatable."))
        rng = np.random.default_rng(1)
        first = _one_epoch(t, iterate_minibatches, X, y, batch_size, rng, where)
        if n > 2 and _one_epoch(t, iterate_minibatches, X, y, batch_size, rng, where) == first:
            t.stop(_("two epochs came in the same order: draw a new permutation each time the function is called "
                     "(from the rng it is given, without re-seeding it)."))
    return _("every example exactly once per epoch, labels aligned, a fresh order each epoch, for 5 sizes.")


# --------------------------------------------------------------------------- he_init


def _std_hint(std, fan_in, fan_out):
    want = math.sqrt(2.0 / fan_in)
    guesses = [
        (2.0 / fan_in, _("you used the variance 2/fan_in as the standard deviation: take its square root")),
        (want * math.sqrt(0.5), _("that is std sqrt(1/fan_in) (LeCun); ReLU zeroes half the signal, so He uses sqrt(2/fan_in)")),
        (math.sqrt(2.0 / fan_out), _("you divided by fan_out; He initialization divides by fan_in, the number of inputs each unit sums")),
        (math.sqrt(2.0 / (fan_in + fan_out)), _("that is Glorot/Xavier, sqrt(2/(fan_in + fan_out)); He uses sqrt(2/fan_in)")),
        (1.0, _("that is std 1 (plain standard_normal): multiply by sqrt(2/fan_in)")),
    ]
    for value, hint in guesses:
        if math.isclose(std, value, rel_tol=0.05):
            return hint
    return _("expected std sqrt(2/fan_in) = {want:.4g}").format(want=want)


@checker("he_init_layer")
def check_he_init(t, he_init_layer):
    """``he_init_layer(fan_in, fan_out, rng) -> (W (fan_in, fan_out), b (fan_out,))`` with
    ``W ~ N(0, 2 / fan_in)`` (a normal distribution) and ``b = 0``, drawn from ``rng``."""
    for fan_in, fan_out in [(784, 256), (400, 50), (60, 300), (3, 2)]:
        where = _("(fan_in={i}, fan_out={o})").format(i=fan_in, o=fan_out)
        W, b = t.split(t.call(he_init_layer, fan_in, fan_out, np.random.default_rng(0)), ("W", "b"))
        W, b = read_array(W)[0], read_array(b)[0]
        if W.shape != (fan_in, fan_out):
            hint = _(" (transposed: rows are inputs, so X @ W works)") if W.shape == (fan_out, fan_in) else ""
            t.stop(_("W has shape {shape}, expected ({i}, {o}){hint} {where}.").format(
                shape=W.shape, i=fan_in, o=fan_out, hint=hint, where=where))
        if b.shape != (fan_out,):
            t.stop(_("b has shape {shape}, expected ({o},) {where}.").format(shape=b.shape, o=fan_out, where=where))
        if not np.all(np.isfinite(W)):
            t.stop(_("W holds NaN or inf {where}.").format(where=where))
        if np.any(b != 0):
            t.stop(_("b should start at zero (the random W already breaks the symmetry) {where}.").format(where=where))
        if np.ptp(W) == 0:
            t.stop(_("all weights are equal: every hidden unit would compute the same thing and learn the same thing; "
                     "draw them at random {where}.").format(where=where))
        again = read_array(t.split(t.call(he_init_layer, fan_in, fan_out, np.random.default_rng(0)), ("W", "b"))[0])[0]
        if not np.array_equal(again, W):
            t.stop(_("the same seed gave different weights: draw them from the rng argument, not np.random."))
        other = read_array(t.split(t.call(he_init_layer, fan_in, fan_out, np.random.default_rng(1)), ("W", "b"))[0])[0]
        if np.array_equal(other, W):
            t.stop(_("different seeds gave the same weights: draw them from the rng argument (and do not re-seed it)."))
        if W.size < 1000:
            continue  # too few weights to judge their spread
        want, std, mean = math.sqrt(2.0 / fan_in), float(W.std()), float(W.mean())
        if abs(mean) > 0.1 * want:
            t.stop(_("the weights have mean {mean:.3g}; they should be centered on 0 {where}.").format(mean=mean, where=where))
        if abs(std / want - 1) > 0.05:
            t.stop(_("std of W is {std:.4g}: {hint} {where}.").format(std=std, hint=_std_hint(std, fan_in, fan_out), where=where))
        kurtosis = float(np.mean((W - mean) ** 4) / std**4)
        if abs(kurtosis - 3) > 0.5:  # a normal distribution has kurtosis 3, a uniform one 1.8
            t.stop(_("the spread is right but the weights are not normally distributed (uniform?): N(0, 2/fan_in) is a "
                     "normal distribution, rng.normal(0, np.sqrt(2 / fan_in), size) {where}.").format(where=where))
    return _("shapes, zero biases and std sqrt(2/fan_in) right for 4 layer sizes, drawn from the rng given.")
