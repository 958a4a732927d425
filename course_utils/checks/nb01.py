"""Exercise checkers for notebook 01 (the neuron). Use: ``from course_utils.checks import nb01 as ex``.

Each checker runs the learner's function on random inputs (and on a few very large ones,
where a naive formula overflows), compares it with the right answer, and names the usual
mistakes: ``sigmoid(-z)``, ReLU itself instead of its slope, a forgotten bias, a softmax
normalized down the columns or a forgotten ``keepdims`` (in the naive and the stable form).
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- sigmoid

BIG_Z = np.array([-1000.0, -100.0, -20.0, 0.0, 20.0, 100.0, 1000.0])


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))  # tanh never overflows


def check_sigmoid(sigmoid, strict: bool = False):
    """``sigmoid(z)``: ``1 / (1 + exp(-z))`` elementwise, for any shape, with no overflow even for ``|z| = 1000``.

    Reported under the name the notebook gives it, ``sigmoid_stable`` (its naive ``sigmoid`` comes first)."""

    def make_args(rng, trial):
        if trial == 3:
            return (BIG_Z.copy(),)
        shape = [(7,), (3, 4), (1,), None, (2, 5), (2, 3, 4), ()][trial]
        return (rng.normal(0.0, 3.0, shape),)

    mistakes = [
        (lambda z: _sigmoid(-z), _("this is sigmoid(-z) = 1 - sigmoid(z): the exponent should be -z, as in 1 / (1 + exp(-z)).")),
        (lambda z: (z > 0).astype(float), _("this is the step function; sigmoid is its smooth version, 1 / (1 + exp(-z)).")),
        (lambda z: np.tanh(z), _("this is tanh, which runs from -1 to 1; sigmoid runs from 0 to 1: 1 / (1 + exp(-z)).")),
        (lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))),
         _("right for z < 0 only: for z >= 0 use 1 / (1 + e) with e = exp(-|z|).")),
        (lambda z: 1 / (1 + np.exp(-np.abs(z))), _("right for z >= 0 only: for z < 0 use e / (1 + e) with e = exp(-|z|).")),
    ]
    nan_hint = _("np.exp of a large number overflows to inf, and inf / inf is NaN. Compute e = np.exp(-np.abs(z)), "
                 "which is never above 1, then use 1 / (1 + e) where z >= 0 and e / (1 + e) where z < 0.")
    warn_hint = _("exp(1000) does not fit in a float64. Only ever take np.exp of -|z| (beware: np.where computes "
                  "both branches, so both must be safe).")
    return check(sigmoid, name="sigmoid_stable", reference=_sigmoid, make_args=make_args, trials=7, mistakes=mistakes,
                 nan_hint=nan_hint, warn_hint=warn_hint,
                 passed=_("correct on 7 inputs of several shapes, z = ±1000 included, with no overflow."), strict=strict)


# --------------------------------------------------------------------------- relu derivative


def check_relu_derivative(relu_derivative, strict: bool = False):
    """``relu_derivative(z)``: the slope of ``max(0, z)``: 1.0 where ``z > 0``, 0.0 elsewhere, at
    ``z = 0`` too, as PyTorch does (same shape as ``z``, floats)."""

    def make_args(rng, trial):
        shape = [(8,), (3, 5), (2,), (4, 4), (10,), (2, 3, 2)][trial]
        z = rng.normal(0.0, 2.0, shape)
        if trial > 0:
            z.flat[:: 3] = 0.0  # the kink, where the slope is taken as 0
        return (z,)

    mistakes = [
        (lambda z: np.maximum(z, 0), _("you returned relu(z) itself; its slope is 1 where z > 0 and 0 elsewhere.")),
        (lambda z: (z < 0).astype(float), _("the slope is 1 where z < 0: the comparison is the wrong way round.")),
        (lambda z: (z >= 0).astype(float),
         _("at z = 0 exactly the slope is taken as 0 (as PyTorch does): use z > 0, not z >= 0.")),
        (lambda z: np.ones_like(z), _("1 everywhere: ReLU is flat (slope 0) where z < 0.")),
        (lambda z: np.sign(z), _("np.sign(z) gives -1 where z < 0, but ReLU is flat there: its slope is 0.")),
        (lambda z: np.zeros_like(z), _("0 everywhere: where z > 0, ReLU is the line z, whose slope is 1.")),
    ]
    return check(relu_derivative, name="relu_derivative", reference=lambda z: np.where(z > 0, 1.0, 0.0),
                 make_args=make_args, trials=6, mistakes=mistakes, floats=True,
                 passed=_("correct on 6 inputs, z = 0 included."), strict=strict)


# --------------------------------------------------------------------------- a dense layer


def check_dense_forward(dense_forward, strict: bool = False):
    """``dense_forward(X, W, b)``: ``X (N, D) @ W (D, M) + b (M,)`` -> ``(N, M)``, one row per example."""

    def make_args(rng, trial):
        N, D, M = [(4, 3, 4), (5, 3, 2), (4, 6, 1), (1, 4, 5), (6, 5, 4), (3, 1, 3)][trial]  # N = M first: b[:, None] runs
        return rng.normal(size=(N, D)), rng.normal(size=(D, M)), rng.normal(size=(M,))

    def reference(X, W, b):
        return np.einsum("nd,dm->nm", X, W) + b[np.newaxis, :]

    mistakes = [
        (lambda X, W, b: X @ W, _("you forgot the bias: add b (shape (M,), one per neuron) to X @ W.")),
        (lambda X, W, b: X @ W - b, _("the bias is subtracted: it is X @ W + b.")),
        (lambda X, W, b: X @ W + b[:, None],
         _("b was added down the columns (b[:, None] or b.reshape(-1, 1)): b (M,) holds one bias per neuron, per "
           "column; plain X @ W + b lines it up with the columns.")),
        (lambda X, W, b: (X @ W + b).T, _("the result is transposed: one row per example, X @ W + b of shape (N, M).")),
        (lambda X, W, b: X @ W + b.sum(), _("you added the sum of the biases to every entry; each neuron has its own: + b.")),
        (lambda X, W, b: np.maximum(X @ W + b, 0),
         _("you applied ReLU: dense_forward is only the weighted sum xW + b; f comes after, as a separate step.")),
        (lambda X, W, b: _sigmoid(X @ W + b),
         _("you applied sigmoid: dense_forward is only the weighted sum xW + b; f comes after, as a separate step.")),
    ]
    return check(dense_forward, name="dense_forward", reference=reference, make_args=make_args, trials=6,
                 mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- softmax


def _softmax(Z):
    out = np.empty(Z.shape)
    for i, row in enumerate(Z):  # one example per row
        e = np.exp(row - row.max())
        out[i] = e / e.sum()
    return out


def _no_keepdims(Z, shift_keeps=True, sum_keeps=False, shift=True):
    """The softmax of someone who forgot ``keepdims=True`` on the max (``shift_keeps=False``), on
    the sum (``sum_keeps=False``), or both; ``shift=False`` for the naive form, with no max."""
    if shift:
        Z = Z - (Z.max(axis=1, keepdims=True) if shift_keeps else Z.max(axis=1))
    E = np.exp(Z)
    return E / (E.sum(axis=1, keepdims=True) if sum_keeps else E.sum(axis=1))


def check_softmax(softmax, strict: bool = False):
    """``softmax(Z)``: for ``Z (N, K)``, each row turned into probabilities that sum to 1, stable for huge logits."""

    def make_args(rng, trial):
        N, K = [(5, 5), (4, 3), (2, 6), (3, 4), (6, 10), (1, 4), (3, 1)][trial]
        Z = rng.normal(0.0, 2.0, (N, K))
        if trial == 3:  # logits in the thousands, rows far apart: only each row's own maximum is a safe shift
            Z = Z * 300 + np.array([[1000.0], [-2000.0], [3000.0]])
        return (Z,)

    keepdims = _("the row sums (or maxima), shape (N,), were lined up with the columns: keep the axis with "
                 "keepdims=True, shape (N, 1), in Z.max(axis=1, keepdims=True) and in E.sum(axis=1, keepdims=True).")
    mistakes = [
        (lambda Z: _softmax(Z.T).T,
         _("each column sums to 1: normalize each row (one example) instead: sum with axis=1, keepdims=True.")),
        (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(),
         _("the whole array sums to 1: divide each row by its own sum, np.sum(E, axis=1, keepdims=True).")),
        (lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)),
         _("you forgot to divide by the sum of the exponentials, so the rows do not sum to 1.")),
        (lambda Z: np.exp(Z), _("you forgot to divide by the sum of the exponentials, so the rows do not sum to 1.")),
        (lambda Z: _no_keepdims(Z, shift=False), keepdims),
        (lambda Z: _no_keepdims(Z), keepdims),
        (lambda Z: _no_keepdims(Z, shift_keeps=False, sum_keeps=True), keepdims),
        (lambda Z: _no_keepdims(Z, shift_keeps=False), keepdims),
        (lambda Z: Z - Z.max(axis=1, keepdims=True), _("you subtracted the max but forgot the exponential and the division.")),
    ]
    nan_hint = _("np.exp overflows for large logits (exp(1000) = inf, and inf / inf = NaN). Subtract each row's "
                 "maximum first, Z - Z.max(axis=1, keepdims=True): softmax does not change, and the largest exponent "
                 "becomes exp(0) = 1.")
    return check(softmax, name="softmax", reference=_softmax, make_args=make_args, trials=7, mistakes=mistakes,
                 nan_hint=nan_hint, passed=_("correct on 7 inputs, logits in the thousands included."), strict=strict)
