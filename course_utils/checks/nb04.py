"""Exercise checkers for notebook 04 (backpropagation by hand). Use: ``from course_utils.checks import nb04 as ex``.

The layers follow one contract: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> gradients``. The checkers build the cache the notebook's
forward functions build, and name the usual mistakes: a transposed ``dW``, ``db``
averaged instead of summed, gradients returned in the wrong order (the engine names any
two swapped outputs), the missing ``1/m``, and a gradient written into its input in place.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- the local rule of *


def _mul_args(rng, trial):
    a, b = float(rng.normal()), float(rng.normal())
    dout = [1.0, -1.7, 0.6, 2.5, -0.3][trial]  # the gradient from above is 1 only at the loss
    return (0.0, b, dout) if trial == 3 else (a, b, dout)


def check_mul_backward(mul_backward, strict: bool = False):
    """``mul_backward(a, b, dout) -> (da, db)`` for ``out = a * b``: ``da = b · dout``, ``db = a · dout``."""
    mistakes = [
        (lambda a, b, dout: (a * dout, b * dout),
         _("da and db are swapped: d(a·b)/da = b, so da = b · dout (each input gets the *other* one).")),
        (lambda a, b, dout: (b, a),
         _("these are the local slopes only; multiply each by dout, the gradient arriving from above (the chain rule).")),
        (lambda a, b, dout: (dout, dout),
         _("that is the rule for +, which passes dout through unchanged; for * each input gets the other one times dout.")),
        (lambda a, b, dout: (a * b * dout, a * b * dout),
         _("a·b·dout is the output times dout; the slope of a·b with respect to a is b, so da = b·dout.")),
        (lambda a, b, dout: (b / dout, a / dout), _("divided by dout: the chain rule multiplies, da = b · dout.")),
    ]

    def reference(a, b, dout):
        return dout * b, dout * a

    return check(mul_backward, name="mul_backward", reference=reference, make_args=_mul_args, outputs=("da", "db"),
                 mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- dense


def _dense_args(rng, trial):
    N, D, M = [(5, 3, 4), (7, 2, 6), (4, 4, 4), (1, 5, 2), (3, 4, 1), (6, 3, 3)][trial]
    X, W = rng.normal(size=(N, D)), rng.normal(size=(D, M))
    return rng.normal(size=(N, M)), (X, W)


def _dense_backward(dout, cache):
    X, W = cache
    dX = np.einsum("nm,dm->nd", dout, W)  # each input feels every output it feeds, through its weight
    dW = np.einsum("nd,nm->dm", X, dout)  # summed over the batch
    return dX, dW, dout.sum(axis=0)


def check_dense_backward(dense_backward, strict: bool = False):
    """``dense_backward(dout, cache) -> (dX, dW, db)`` for ``out = X @ W + b``; ``cache = (X, W)``."""
    mistakes = [
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout.mean(axis=0)),
         _("db is averaged over the batch; sum it instead, dout.sum(axis=0): the 1/m of the mean loss is already inside dout.")),
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout.sum(axis=1)),
         _("db summed over the wrong axis: sum over the batch (axis=0), giving one number per output unit, shape (M,).")),
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout / len(dout), dout.sum(axis=0) / len(dout)),
         _("dW and db are divided by m: the 1/m of the mean loss is already inside dout, so just sum (X.T @ dout).")),
        (lambda dout, c: (dout @ c[1].T, (dout.T @ c[0]), dout.sum(axis=0)),
         _("dW is transposed: X.T @ dout has the shape of W, (D, M); dout.T @ X is (M, D).")),
        (lambda dout, c: (dout @ c[1], c[0].T @ dout, dout.sum(axis=0)),
         _("dX needs W.T: dout (N, M) @ W.T (M, D) gives dX the shape of X, (N, D).")),
        (lambda dout, c: (c[0].T @ dout, dout @ c[1].T, dout.sum(axis=0)),
         _("dX and dW are swapped: return them in the order (dX, dW, db).")),
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout),
         _("db is dout itself, one row per example; sum over the batch: dout.sum(axis=0), shape (M,).")),
    ]
    return check(dense_backward, name="dense_backward", reference=_dense_backward, make_args=_dense_args, trials=6,
                 outputs=("dX", "dW", "db"), mistakes=mistakes, batch_size=lambda a: len(a[0]), strict=strict)


# --------------------------------------------------------------------------- ReLU


def _relu_args(rng, trial):
    shape = [(4, 5), (3, 7), (6, 2), (1, 9), (5, 5)][trial]
    Z = rng.normal(size=shape)
    if trial == 2:
        Z[0] = -1.0  # a row where nothing gets through
    return rng.normal(size=shape), Z > 0


def check_relu_backward(relu_backward, strict: bool = False):
    """``relu_backward(dout, mask) -> dZ``: ``mask`` is the cache of ``relu_forward`` (``Z > 0``)."""
    mistakes = [
        (lambda dout, mask: mask.astype(float),
         _("this is just the mask (the local slope); multiply it by dout, the gradient arriving from above.")),
        (lambda dout, mask: dout, _("dout passed through unchanged: ReLU lets the gradient through only where its input was positive.")),
        (lambda dout, mask: dout * ~mask,
         _("the mask is inverted: the gradient flows where Z > 0 (slope 1) and stops where Z <= 0 (slope 0).")),
        (lambda dout, mask: np.maximum(dout, 0),
         _("that is ReLU of dout; the mask decides, not the sign of dout: dout * mask.")),
    ]
    return check(relu_backward, name="relu_backward", reference=lambda dout, mask: np.where(mask, dout, 0.0),
                 make_args=_relu_args, mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- softmax + cross-entropy


def _softmax_args(rng, trial):
    N, K = [(5, 3), (8, 4), (4, 10), (6, 2), (7, 5), (1, 3)][trial]
    logits = rng.normal(size=(N, K)) * 2
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    dloss = 1.0 if trial < 3 else float(rng.uniform(0.5, 3.0))  # later trials: an upstream gradient that is not 1
    return dloss, (probs, rng.integers(0, K, size=N))


def _one_hot(y, K):
    return (np.asarray(y)[:, None] == np.arange(K)).astype(float)


def _softmax_ce_backward(dloss, cache):
    probs, y = cache
    m = len(y)
    return np.array([[dloss * (p - (k == y[i])) / m for k, p in enumerate(row)] for i, row in enumerate(probs)])


def check_softmax_ce_backward(softmax_ce_backward, strict: bool = False):
    """``softmax_ce_backward(dloss, cache) -> dlogits``: ``(probs − one_hot(y)) / m · dloss``; ``cache = (probs, y)``."""
    mistakes = [
        (lambda dl, c: dl * (c[0] - _one_hot(c[1], c[0].shape[1])),
         _("the 1/m is missing: the loss is the mean over m examples, L = 1/m Σ ℓ, so each row of dlogits carries 1/m.")),
        (lambda dl, c: dl * c[0] / len(c[1]), _("the one-hot labels are not subtracted: dlogits = (probs − one_hot(y)) / m.")),
        (lambda dl, c: dl * (c[0] + _one_hot(c[1], c[0].shape[1])) / len(c[1]),
         _("the one-hot labels were added; subtract them: (probs − one_hot(y)) / m.")),
        (lambda dl, c: (c[0] - _one_hot(c[1], c[0].shape[1])) / len(c[1]),
         _("dloss is ignored: multiply by the gradient arriving from above (it is 1 only when the loss is the last node).")),
        (lambda dl, c: dl * (_one_hot(c[1], c[0].shape[1]) - c[0]) / len(c[1]),
         _("the sign is flipped: it is probs − one_hot(y), not one_hot(y) − probs.")),
        (lambda dl, c: dl * (c[0] - 1) / len(c[1]),
         _("1 was subtracted from every entry; subtract it only at the true class: probs[np.arange(m), y] -= 1 (on a copy).")),
    ]
    return check(softmax_ce_backward, name="softmax_ce_backward", reference=_softmax_ce_backward, make_args=_softmax_args,
                 trials=6, mistakes=mistakes, batch_size=lambda a: len(a[1][1]), strict=strict)
