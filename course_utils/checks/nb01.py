"""Exercise checkers for notebook 01 (the neuron). Use: ``from course_utils.checks import nb01 as ex``.

Each checker runs the learner's function on random inputs (and on a few very large ones,
where a naive formula overflows), compares it with the right answer, and names the usual
mistakes: ``sigmoid(-z)``, ReLU itself instead of its slope, a forgotten bias, a softmax
normalised down the columns.
"""

from __future__ import annotations

import warnings

import numpy as np

from .core import Verdict, report
from .outputs import check_outputs

# --------------------------------------------------------------------------- references


def _sigmoid(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def _softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _safe(wrong):
    """``wrong`` made harmless: a known mistake that cannot run on these inputs gives NaN (no match)."""

    def run(*args):
        try:
            return wrong(*args)
        except Exception:
            return np.nan

    return run


def _overflow_warning(fn, args):
    """The text of a RuntimeWarning ``fn(*args)`` raises while giving the right answer, else None."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args])
        except Exception:  # reported by the full check that follows
            return None
    found = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return found[0] if found else None


# --------------------------------------------------------------------------- sigmoid

BIG_Z = np.array([-1000.0, -100.0, -20.0, 0.0, 20.0, 100.0, 1000.0])

_SIGMOID_NAN = (
    "np.exp of a large number overflows to inf, and inf / inf is NaN. Compute "
    "e = np.exp(-np.abs(z)), which is never above 1, then use 1 / (1 + e) where z >= 0 and e / (1 + e) where z < 0."
)


def check_sigmoid(sigmoid, strict: bool = False):
    """``sigmoid(z)``: ``1 / (1 + exp(-z))`` elementwise, for any shape, with no overflow even for ``|z| = 1000``.

    Reported under the name the notebook gives it, ``sigmoid_stable`` (its naive ``sigmoid`` comes first)."""

    def make_args(rng, trial):
        if trial == 3:
            return (BIG_Z.copy(),)
        shape = [(7,), (3, 4), (1,), (6,), (2, 5)][trial]
        return (rng.normal(0.0, 3.0, shape),)

    warning = _overflow_warning(sigmoid, (BIG_Z,))
    if warning is not None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            right = _safe(lambda z: np.allclose(np.asarray(sigmoid(z), dtype=float), _sigmoid(z)))(BIG_Z.copy())
            if right is True:
                return report(Verdict("sigmoid_stable", "fail",
                                      f"the values are right, but for z = ±1000 NumPy warned '{warning}': "
                                      "exp(1000) does not fit in a float64. Only ever take np.exp of -|z| "
                                      "(beware: np.where computes both branches, so both must be safe)."), strict)
    mistakes = [
        (lambda z: _sigmoid(-z), "this is sigmoid(-z) = 1 - sigmoid(z): the exponent should be -z, as in 1 / (1 + exp(-z))."),
        (lambda z: (z > 0).astype(float), "this is the step function; sigmoid is its smooth version, 1 / (1 + exp(-z))."),
        (lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))),
         "right for z < 0 only: for z >= 0 use 1 / (1 + e) with e = exp(-|z|)."),
    ]
    return check_outputs(sigmoid, _sigmoid, make_args, name="sigmoid_stable", outputs=("sigmoid(z)",),
                         mistakes=mistakes, nan_hint=_SIGMOID_NAN, strict=strict)


# --------------------------------------------------------------------------- relu derivative


def check_relu_derivative(relu_derivative, strict: bool = False):
    """``relu_derivative(z)``: the slope of ``max(0, z)``: 1.0 where ``z > 0``, 0.0 elsewhere (same shape as ``z``)."""

    def make_args(rng, trial):
        shape = [(8,), (3, 5), (2,), (4, 4), (10,)][trial]
        z = rng.normal(0.0, 2.0, shape)
        return (np.where(np.abs(z) < 1e-3, 0.5, z),)  # keep clear of the kink at 0

    mistakes = [
        (lambda z: np.maximum(z, 0), "you returned relu(z) itself; its slope is 1 where z > 0 and 0 elsewhere."),
        (lambda z: (z < 0).astype(float), "the slope is 1 where z < 0: the comparison is the wrong way round."),
        (lambda z: np.ones_like(z), "1 everywhere: ReLU is flat (slope 0) where z < 0."),
        (lambda z: np.sign(z), "np.sign(z) gives -1 where z < 0, but ReLU is flat there: its slope is 0."),
        (lambda z: np.zeros_like(z), "0 everywhere: where z > 0, ReLU is the line z, whose slope is 1."),
    ]
    return check_outputs(relu_derivative, lambda z: (z > 0).astype(float), make_args, name="relu_derivative",
                         outputs=("slope",), mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- a dense layer


def check_dense_forward(dense_forward, strict: bool = False):
    """``dense_forward(X, W, b)``: ``X (N, D) @ W (D, M) + b (M,)`` -> ``(N, M)``, one row per example."""

    def make_args(rng, trial):
        N, D, M = [(5, 3, 2), (4, 6, 1), (7, 2, 3), (1, 4, 5), (6, 5, 4)][trial]
        return rng.normal(size=(N, D)), rng.normal(size=(D, M)), rng.normal(size=(M,))

    mistakes = [
        (lambda X, W, b: X @ W, "you forgot the bias: add b (shape (M,), one per neuron) to X @ W."),
        (lambda X, W, b: X @ W - b, "the bias is subtracted: it is X @ W + b."),
        (lambda X, W, b: np.maximum(X @ W + b, 0),
         "you applied ReLU: dense_forward is only the weighted sum xW + b; f comes after, as a separate step."),
        (lambda X, W, b: _sigmoid(X @ W + b),
         "you applied sigmoid: dense_forward is only the weighted sum xW + b; f comes after, as a separate step."),
    ]
    return check_outputs(dense_forward, lambda X, W, b: X @ W + b, make_args, name="dense_forward",
                         outputs=("Z",), mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- softmax

_SOFTMAX_NAN = (
    "np.exp overflows for large logits (exp(1000) = inf, and inf / inf = NaN). Subtract each row's maximum "
    "first, Z - Z.max(axis=1, keepdims=True): softmax does not change, and the largest exponent becomes exp(0) = 1."
)


def check_softmax(softmax, strict: bool = False):
    """``softmax(Z)``: for ``Z (N, K)``, each row turned into probabilities that sum to 1, stable for huge logits."""

    def make_args(rng, trial):
        N, K = [(5, 5), (4, 3), (2, 6), (3, 4), (6, 10)][trial]
        Z = rng.normal(0.0, 2.0, (N, K))
        if trial == 3:
            Z = Z * 300 + 1000  # logits as large as a few thousand: the naive formula overflows
        return (Z,)

    mistakes = [
        (lambda Z: _softmax(Z.T).T,
         "each column sums to 1: normalise each row (one example) instead: sum with axis=1, keepdims=True."),
        (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(),
         "the whole array sums to 1: divide each row by its own sum, np.sum(E, axis=1, keepdims=True)."),
        (lambda Z: np.exp(Z), "you forgot to divide by the sum of the exponentials, so the rows do not sum to 1."),
        (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1)[None, :],
         "the row sums, shape (N,), were lined up with the columns: keep the axis with keepdims=True, shape (N, 1)."),
        (lambda Z: (Z - Z.max(axis=1, keepdims=True)) / 1.0,
         "you subtracted the max but forgot the exponential and the division."),
    ]
    return check_outputs(softmax, _softmax, make_args, name="softmax", outputs=("probabilities",),
                         mistakes=mistakes, nan_hint=_SOFTMAX_NAN, strict=strict)
