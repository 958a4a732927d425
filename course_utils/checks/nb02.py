"""Exercise checkers for notebook 02 (loss). Use: ``from course_utils.checks import nb02 as ex``.

Every loss here is the source text's ``L = 1/m Σ ℓ(y_i, y_true)``: an average over the
batch of a per-example loss. So the mistake named most often is the missing ``1/m`` (a
sum where a mean belongs, off by a factor of m); the others are a flipped sign, a
forgotten term, and logits so large that a naive exp overflows.
"""

from __future__ import annotations

import numpy as np

from .outputs import check_outputs

# --------------------------------------------------------------------------- references


def _log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def _sparse_ce(Z, y):
    return -np.mean(_log_softmax(Z)[np.arange(len(y)), y])


def _run(fn, reference, make_args, name, output, mistakes, strict, **kwargs):
    return check_outputs(fn, reference, make_args, name=name, outputs=(output,), mistakes=mistakes,
                         batch_size=lambda args: len(args[-1]), strict=strict, **kwargs)


# --------------------------------------------------------------------------- MSE

_SIZES = [6, 10, 3, 8, 25]


def check_mse(mse, strict: bool = False):
    """``mse(y_hat, y)``: ``1/m Σ (y_hat_i - y_i)^2`` for ``y_hat, y`` of shape ``(m,)``; one number."""

    def make_args(rng, trial):
        m = _SIZES[trial]
        return rng.normal(size=m), rng.normal(size=m)

    mistakes = [
        (lambda y_hat, y: np.sum((y_hat - y) ** 2),
         "this is the sum of the squared errors, m times too big: the source's L = 1/m Σ ℓ divides by m (np.mean)."),
        (lambda y_hat, y: 0.5 * np.mean((y_hat - y) ** 2),
         "half the MSE: some books put a ½ in front to tidy the derivative; this course's MSE has none."),
        (lambda y_hat, y: np.mean(np.abs(y_hat - y)),
         "this is the mean absolute error: square the differences instead of taking |.|."),
        (lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2)),
         "this is the root of the MSE (RMSE): leave out the square root."),
        (lambda y_hat, y: np.sum((y_hat - y) ** 2) / (len(y) - 1),
         "you divided by m - 1 (the correction of a sample variance); the mean divides by m."),
        (lambda y_hat, y: np.mean(y_hat - y) ** 2,
         "you squared the mean difference; square each difference first, then average: np.mean((y_hat - y) ** 2)."),
    ]
    return _run(mse, lambda y_hat, y: np.mean((y_hat - y) ** 2), make_args, "mse", "L", mistakes, strict)


# --------------------------------------------------------------------------- binary cross-entropy


def check_binary_cross_entropy(binary_cross_entropy, strict: bool = False):
    """``binary_cross_entropy(p, y)``: ``-1/m Σ [y log p + (1 - y) log(1 - p)]``, ``p`` in (0, 1), ``y`` in {0, 1}."""

    def make_args(rng, trial):
        m = _SIZES[trial]
        y = (np.arange(m) % 2).astype(float)
        rng.shuffle(y)
        return rng.uniform(0.02, 0.98, m), y

    def right(p, y):
        return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))

    mistakes = [
        (lambda p, y: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
         "the sign is flipped: log p is negative for p < 1, so the loss needs the minus in front to be positive."),
        (lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)),
         "this is the sum over the batch, m times too big: L = 1/m Σ ℓ is the mean (np.mean)."),
        (lambda p, y: -np.mean(y * np.log(p)),
         "only the y·log p term: examples with label 0 add nothing. Add (1 - y)·log(1 - p)."),
        (lambda p, y: -np.mean((1 - y) * np.log(p) + y * np.log(1 - p)),
         "the two terms are swapped: the label-1 examples need log p and the label-0 ones log(1 - p)."),
        (lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)),
         "you used log base 10: cross-entropy uses the natural log, np.log."),
    ]
    return _run(binary_cross_entropy, right, make_args, "binary_cross_entropy", "L", mistakes, strict)


# --------------------------------------------------------------------------- log-softmax

_LOG_SOFTMAX_NAN = (
    "a naive exp overflows for large logits (exp(1000) = inf), and the log of a probability that "
    "underflowed to 0 is -inf. Stay in log space: log_softmax(z) = (z - c) - log Σ exp(z - c), "
    "with c = Z.max(axis=1, keepdims=True)."
)


def _logit_args(rng, trial, with_labels=False):
    N, K = [(5, 5), (4, 3), (2, 6), (3, 4), (8, 10)][trial]
    Z = rng.normal(0.0, 2.0, (N, K))
    if trial == 3:
        Z = Z * 400 + 1000  # logits in the thousands, far apart: exp overflows, softmax underflows
    if with_labels:  # on the large logits, label the least likely class, whose probability underflows
        return Z, (Z.argmin(axis=1) if trial == 3 else rng.integers(0, K, N))
    return (Z,)


def check_log_softmax(log_softmax, strict: bool = False):
    """``log_softmax(Z)``: ``log(softmax(Z))`` row by row for ``Z (N, K)``, finite even for logits in the thousands."""
    mistakes = [
        (lambda Z: _log_softmax(Z.T).T, "each column was normalised: work along each row (axis=1, keepdims=True)."),
        (lambda Z: Z - np.log(np.exp(Z).sum(axis=1))[None, :],
         "the row sums, shape (N,), were lined up with the columns: keep the axis with keepdims=True, shape (N, 1)."),
        (lambda Z: Z - Z.max(axis=1, keepdims=True),
         "you subtracted the max but not log Σ exp(z - max): the exponentials of the rows must sum to 1."),
        (lambda Z: np.exp(_log_softmax(Z)), "this is softmax itself; take its log (better: compute it in log space)."),
        (lambda Z: Z - np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
         "you forgot the log of the sum: log_softmax = (z - c) - log Σ exp(z - c)."),
    ]
    return _run(log_softmax, _log_softmax, lambda rng, trial: _logit_args(rng, trial), "log_softmax",
                "log-probabilities", mistakes, strict, nan_hint=_LOG_SOFTMAX_NAN)


# --------------------------------------------------------------------------- sparse cross-entropy


def check_sparse_cross_entropy(sparse_cross_entropy, strict: bool = False):
    """``sparse_cross_entropy(Z, y)``: ``-1/m Σ log softmax(Z)[i, y_i]`` for logits ``Z (m, K)`` and integer labels ``y (m,)``."""

    def lsm(Z):
        return _log_softmax(Z)

    mistakes = [
        (lambda Z, y: -np.mean(lsm(Z)[:, y]),
         "Z[:, y] picks whole columns, an (m, m) table; pick one entry per row with [np.arange(m), y]."),
        (lambda Z, y: -np.sum(lsm(Z)[np.arange(len(y)), y]),
         "this is the sum over the batch, m times too big: L = 1/m Σ ℓ is the mean (np.mean)."),
        (lambda Z, y: np.mean(lsm(Z)[np.arange(len(y)), y]),
         "the sign is flipped: log-probabilities are negative, so the loss is minus their mean."),
        (lambda Z, y: -np.mean(np.exp(lsm(Z))[np.arange(len(y)), y]),
         "you averaged the probabilities themselves; the loss is the mean of -log p of the true class."),
        (lambda Z, y: -np.mean(Z[np.arange(len(y)), y]),
         "you used the raw logits: turn them into log-probabilities first (log_softmax), then pick the true class."),
        (lambda Z, y: -np.mean(lsm(Z)),
         "you averaged the log-probabilities of every class; only the true class's one counts: [np.arange(m), y]."),
    ]
    return _run(sparse_cross_entropy, _sparse_ce, lambda rng, trial: _logit_args(rng, trial, True),
                "sparse_cross_entropy", "L", mistakes, strict, nan_hint=_LOG_SOFTMAX_NAN)
