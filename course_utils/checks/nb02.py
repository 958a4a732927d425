"""Exercise checkers for notebook 02 (loss). Use: ``from course_utils.checks import nb02 as ex``.

Every loss here is the source text's ``L = 1/m Σ ℓ(y_i, y_true)``: an average over the
batch of a per-example loss. So the mistake named most often is the missing ``1/m`` (a
sum where a mean belongs, off by a factor of m); the others are a flipped sign, a
forgotten term, and logits so large that a naive exp overflows.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from .engine import check

_SIZES = [6, 10, 3, 8, 25, 1]


def _batch(args):
    return len(args[-1])


# --------------------------------------------------------------------------- MSE


def _mse(y_hat, y):
    d = y_hat - y
    return float(np.dot(d, d) / d.size)


def check_mse(mse, strict: bool = False):
    """``mse(y_hat, y)``: ``1/m Σ (y_hat_i - y_i)^2`` for ``y_hat, y`` of shape ``(m,)``; one number."""

    def make_args(rng, trial):
        m = _SIZES[trial]
        return rng.normal(size=m), rng.normal(size=m)

    mistakes = [
        (lambda y_hat, y: np.sum((y_hat - y) ** 2),
         _("this is the sum of the squared errors, m times too big: the source's L = 1/m Σ ℓ divides by m (np.mean).")),
        (lambda y_hat, y: 0.5 * np.mean((y_hat - y) ** 2),
         _("half the MSE: some books put a ½ in front to tidy the derivative; this course's MSE has none.")),
        (lambda y_hat, y: np.mean(np.abs(y_hat - y)),
         _("this is the mean absolute error: square the differences instead of taking |.|.")),
        (lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2)), _("this is the root of the MSE (RMSE): leave out the square root.")),
        (lambda y_hat, y: np.sum((y_hat - y) ** 2) / (len(y) - 1),
         _("you divided by m - 1 (the correction of a sample variance); the mean divides by m.")),
        (lambda y_hat, y: np.mean(y_hat - y) ** 2,
         _("you squared the mean difference; square each difference first, then average: np.mean((y_hat - y) ** 2).")),
        (lambda y_hat, y: np.mean(y_hat - y ** 2),
         _("only y was squared (** binds tighter than -): put the difference in brackets, (y_hat - y) ** 2.")),
        (lambda y_hat, y: np.mean(y_hat - y),
         _("the differences are averaged without squaring, so errors of opposite signs cancel: (y_hat - y) ** 2.")),
    ]
    return check(mse, name="mse", reference=_mse, make_args=make_args, trials=6, mistakes=mistakes,
                 batch_size=_batch, strict=strict)


# --------------------------------------------------------------------------- binary cross-entropy


def _bce(p, y):
    prob_of_truth = np.where(y == 1, p, 1 - p)  # the probability given to the true class
    return float(-np.log(prob_of_truth).sum() / len(y))


def check_binary_cross_entropy(binary_cross_entropy, strict: bool = False):
    """``binary_cross_entropy(p, y)``: ``-1/m Σ [y log p + (1 - y) log(1 - p)]``, ``p`` in (0, 1), ``y`` in {0, 1}."""

    def make_args(rng, trial):
        m = _SIZES[trial]
        y = (np.arange(m) % 2).astype(float)
        rng.shuffle(y)
        return rng.uniform(0.02, 0.98, m), y

    mistakes = [
        (lambda p, y: np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)),
         _("the sign is flipped: log p is negative for p < 1, so the loss needs the minus in front to be positive.")),
        (lambda p, y: -np.sum(y * np.log(p) + (1 - y) * np.log(1 - p)),
         _("this is the sum over the batch, m times too big: L = 1/m Σ ℓ is the mean (np.mean).")),
        (lambda p, y: -np.mean(y * np.log(p)),
         _("only the y·log p term: examples with label 0 add nothing. Add (1 - y)·log(1 - p).")),
        (lambda p, y: -np.mean((1 - y) * np.log(1 - p)),
         _("only the (1 - y)·log(1 - p) term: examples with label 1 add nothing. Add y·log p.")),
        (lambda p, y: -np.mean((1 - y) * np.log(p) + y * np.log(1 - p)),
         _("the two terms are swapped: the label-1 examples need log p and the label-0 ones log(1 - p).")),
        (lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)),
         _("you used log base 10: cross-entropy uses the natural log, np.log.")),
        (lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(p)),
         _("both terms take log p; the label-0 examples need log(1 - p), the probability of class 0.")),
    ]
    return check(binary_cross_entropy, name="binary_cross_entropy", reference=_bce, make_args=make_args, trials=6,
                 mistakes=mistakes, batch_size=_batch, strict=strict)


# --------------------------------------------------------------------------- log-softmax


def _log_softmax(Z):
    out = np.empty(Z.shape)
    for i, row in enumerate(Z):  # log-sum-exp, row by row, shifted by the row's largest logit
        top = row.max()
        out[i] = row - (top + np.log(np.sum(np.exp(row - top))))
    return out


def _logit_args(rng, trial, with_labels=False):
    N, K = [(5, 5), (4, 3), (2, 6), (3, 4), (8, 10), (1, 3)][trial]
    Z = rng.normal(0.0, 2.0, (N, K))
    if trial == 3:  # logits in the thousands, far apart: exp overflows, softmax underflows
        Z = Z * 400 + np.array([[1000.0], [-2000.0], [3000.0]])
    if with_labels:  # on the large logits, label the least likely class, whose probability underflows
        return Z, (Z.argmin(axis=1) if trial == 3 else rng.integers(0, K, N))
    return (Z,)



def _log_softmax_nan():
    return _("a naive exp overflows for large logits (exp(1000) = inf), and the log of a probability that "
             "underflowed to 0 is -inf. Stay in log space: log_softmax(z) = (z - c) - log Σ exp(z - c), "
             "with c = Z.max(axis=1, keepdims=True).")


def _log_no_keepdims(Z, shift_keeps=True, sum_keeps=False, shift=True):
    """The log-softmax of someone who forgot ``keepdims=True`` on the max, on the sum, or both."""
    if shift:
        Z = Z - (Z.max(axis=1, keepdims=True) if shift_keeps else Z.max(axis=1))
    return Z - np.log(np.exp(Z).sum(axis=1, keepdims=sum_keeps))


def check_log_softmax(log_softmax, strict: bool = False):
    """``log_softmax(Z)``: ``log(softmax(Z))`` row by row for ``Z (N, K)``, finite even for logits in the thousands."""
    keepdims = _("the row sums (or maxima), shape (N,), were lined up with the columns: keep the axis with "
                 "keepdims=True, shape (N, 1), in Z.max(axis=1, keepdims=True) and in the sum.")
    mistakes = [
        (lambda Z: _log_softmax(Z.T).T, _("each column was normalized: work along each row (axis=1, keepdims=True).")),
        (lambda Z: _log_no_keepdims(Z, shift=False), keepdims),
        (lambda Z: _log_no_keepdims(Z), keepdims),
        (lambda Z: _log_no_keepdims(Z, shift_keeps=False, sum_keeps=True), keepdims),
        (lambda Z: _log_no_keepdims(Z, shift_keeps=False), keepdims),
        (lambda Z: Z - Z.max(axis=1, keepdims=True),
         _("you subtracted the max but not log Σ exp(z - max): the exponentials of the rows must sum to 1.")),
        (lambda Z: np.exp(_log_softmax(Z)), _("this is softmax itself; take its log (better: compute it in log space).")),
        (lambda Z: Z - Z.max(axis=1, keepdims=True) - np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True),
         _("you forgot the log of the sum: log_softmax = (z - c) - log Σ exp(z - c).")),
        (lambda Z: Z - np.log(np.exp(Z - Z.max(axis=1, keepdims=True)).sum(axis=1, keepdims=True)),
         _("the shift c is missing from the first term: log_softmax = (z - c) - log Σ exp(z - c), both with the same c.")),
    ]
    return check(log_softmax, name="log_softmax", reference=_log_softmax, make_args=lambda rng, t: _logit_args(rng, t),
                 trials=6, mistakes=mistakes, nan_hint=_log_softmax_nan(),
                 passed=_("correct on 6 inputs, logits in the thousands included."), strict=strict)


# --------------------------------------------------------------------------- sparse cross-entropy


def _sparse_ce(Z, y):
    log_p = _log_softmax(Z)
    return float(-sum(log_p[i, label] for i, label in enumerate(y)) / len(y))


def check_sparse_cross_entropy(sparse_cross_entropy, strict: bool = False):
    """``sparse_cross_entropy(Z, y)``: ``-1/m Σ log softmax(Z)[i, y_i]`` for logits ``Z (m, K)`` and integer labels ``y (m,)``."""
    lsm = _log_softmax
    mistakes = [
        (lambda Z, y: -np.mean(lsm(Z)[:, y]),
         _("Z[:, y] picks whole columns, an (m, m) table; pick one entry per row with [np.arange(m), y].")),
        (lambda Z, y: -np.sum(lsm(Z)[np.arange(len(y)), y]),
         _("this is the sum over the batch, m times too big: L = 1/m Σ ℓ is the mean (np.mean).")),
        (lambda Z, y: np.mean(lsm(Z)[np.arange(len(y)), y]),
         _("the sign is flipped: log-probabilities are negative, so the loss is minus their mean.")),
        (lambda Z, y: -np.mean(np.exp(lsm(Z))[np.arange(len(y)), y]),
         _("you averaged the probabilities themselves; the loss is the mean of -log p of the true class.")),
        (lambda Z, y: -np.mean(Z[np.arange(len(y)), y]),
         _("you used the raw logits: turn them into log-probabilities first (log_softmax), then pick the true class.")),
        (lambda Z, y: -np.mean((Z - Z.max(axis=1, keepdims=True))[np.arange(len(y)), y]),
         _("you shifted the logits by their maximum but stopped there: subtract log Σ exp(z - c) too, as "
           "log_softmax does (call your log_softmax), then pick the true class.")),
        (lambda Z, y: -np.mean(lsm(Z)), _("you averaged the log-probabilities of every class; only the true class's one "
                                          "counts: [np.arange(m), y].")),
        (lambda Z, y: -np.mean(lsm(Z)[np.arange(len(y)), np.argmax(Z, axis=1)]),
         _("you picked the predicted class (argmax); the loss takes the log-probability of the true class y.")),
    ]
    return check(sparse_cross_entropy, name="sparse_cross_entropy", reference=_sparse_ce,
                 make_args=lambda rng, t: _logit_args(rng, t, True), trials=6, mistakes=mistakes, batch_size=_batch,
                 nan_hint=_log_softmax_nan(), passed=_("correct on 6 inputs, logits in the thousands included."),
                 strict=strict)
