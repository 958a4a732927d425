"""Exercise checkers for notebook 04 (backpropagation by hand). Use: ``from course_utils.checks import nb04 as ex``.

The layers follow one contract: ``*_forward(...) -> (out, cache)`` and
``*_backward(dout, cache) -> gradients``. The checkers build the cache the notebook's
forward functions build, and name the usual mistakes: a transposed ``dW``, ``db``
averaged instead of summed, gradients returned in the wrong order, the missing ``1/m``.
"""

from __future__ import annotations

import numpy as np

from .outputs import check_outputs

# --------------------------------------------------------------------------- ReLU


def _relu_args(rng, trial):
    shape = [(4, 5), (3, 7), (6, 2), (1, 9), (5, 5)][trial % 5]
    Z = rng.normal(size=shape)
    return rng.normal(size=shape), Z > 0


def check_relu_backward(relu_backward, strict: bool = False):
    """``relu_backward(dout, mask) -> dZ``: ``mask`` is the cache of ``relu_forward`` (``Z > 0``)."""
    mistakes = [
        (lambda dout, mask: mask.astype(float),
         "this is just the mask (the local slope); multiply it by dout, the gradient arriving from above."),
        (lambda dout, mask: dout,
         "dout passed through unchanged: ReLU lets the gradient through only where its input was positive."),
        (lambda dout, mask: dout * ~mask,
         "the mask is inverted: the gradient flows where Z > 0 (slope 1) and stops where Z <= 0 (slope 0)."),
    ]
    return check_outputs(relu_backward, lambda dout, mask: dout * mask, _relu_args, name="relu_backward",
                         outputs=("dZ",), mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- dense


def _dense_args(rng, trial):
    N, D, M = [(5, 3, 4), (7, 2, 6), (4, 6, 3), (8, 5, 2), (3, 4, 7)][trial % 5]
    X, W = rng.normal(size=(N, D)), rng.normal(size=(D, M))
    return rng.normal(size=(N, M)), (X, W)


def _dense_backward(dout, cache):
    X, W = cache
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def check_dense_backward(dense_backward, strict: bool = False):
    """``dense_backward(dout, cache) -> (dX, dW, db)`` for ``out = X @ W + b``; ``cache = (X, W)``."""
    mistakes = [
        (lambda dout, c: (c[0].T @ dout, dout @ c[1].T, dout.sum(axis=0)),
         "dX and dW are swapped: return them in the order (dX, dW, db)."),
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout.mean(axis=0)),
         "db is averaged over the batch; sum it instead, dout.sum(axis=0): the 1/m of the mean loss is already inside dout."),
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout.sum(axis=1)),
         "db summed over the wrong axis: sum over the batch (axis=0), giving one number per output unit, shape (M,)."),
        (lambda dout, c: (dout @ c[1].T, c[0].T @ dout / len(dout), dout.sum(axis=0) / len(dout)),
         "dW and db are divided by m: the 1/m of the mean loss is already inside dout, so just sum (X.T @ dout)."),
    ]
    return check_outputs(dense_backward, _dense_backward, _dense_args, name="dense_backward",
                         outputs=("dX", "dW", "db"), mistakes=mistakes, batch_size=lambda a: len(a[0]),
                         strict=strict)


# --------------------------------------------------------------------------- softmax + cross-entropy


def _softmax_args(rng, trial):
    N, K = [(5, 3), (8, 4), (4, 10), (6, 2), (7, 5)][trial % 5]
    logits = rng.normal(size=(N, K)) * 2
    probs = np.exp(logits - logits.max(axis=1, keepdims=True))
    probs /= probs.sum(axis=1, keepdims=True)
    dloss = 1.0 if trial < 3 else float(rng.uniform(0.5, 3.0))  # later trials: an upstream gradient that is not 1
    return dloss, (probs, rng.integers(0, K, size=N))


def _one_hot(y, K):
    out = np.zeros((len(y), K))
    out[np.arange(len(y)), y] = 1.0
    return out


def _softmax_ce_backward(dloss, cache):
    probs, y = cache
    return dloss * (probs - _one_hot(y, probs.shape[1])) / len(y)


def check_softmax_ce_backward(softmax_ce_backward, strict: bool = False):
    """``softmax_ce_backward(dloss, cache) -> dlogits``: ``(probs − one_hot(y)) / m · dloss``; ``cache = (probs, y)``."""
    mistakes = [
        (lambda dl, c: dl * (c[0] - _one_hot(c[1], c[0].shape[1])),
         "the 1/m is missing: the loss is the mean over m examples, L = 1/m Σ ℓ, so each row of dlogits carries 1/m."),
        (lambda dl, c: dl * c[0] / len(c[1]),
         "the one-hot labels are not subtracted: dlogits = (probs − one_hot(y)) / m."),
        (lambda dl, c: dl * (c[0] + _one_hot(c[1], c[0].shape[1])) / len(c[1]),
         "the one-hot labels were added; subtract them: (probs − one_hot(y)) / m."),
        (lambda dl, c: (c[0] - _one_hot(c[1], c[0].shape[1])) / len(c[1]),
         "dloss is ignored: multiply by the gradient arriving from above (it is 1 only when the loss is the last node)."),
    ]
    return check_outputs(softmax_ce_backward, _softmax_ce_backward, _softmax_args, name="softmax_ce_backward",
                         outputs=("dlogits",), mistakes=mistakes, batch_size=lambda a: len(a[1][1]),
                         strict=strict)


# --------------------------------------------------------------------------- the local rule of *


def _mul_args(rng, trial):
    return float(rng.normal()), float(rng.normal()), float(rng.uniform(0.5, 2.0)) * (1 if trial % 2 else -1)


def check_mul_backward(mul_backward, strict: bool = False):
    """``mul_backward(a, b, dout) -> (da, db)`` for ``out = a * b``: ``da = b · dout``, ``db = a · dout``."""
    mistakes = [
        (lambda a, b, dout: (a * dout, b * dout),
         "da and db are swapped: d(a·b)/da = b, so da = b · dout (each input gets the *other* one)."),
        (lambda a, b, dout: (b, a),
         "these are the local slopes only; multiply each by dout, the gradient arriving from above (the chain rule)."),
        (lambda a, b, dout: (dout, dout),
         "that is the rule for +, which passes dout through unchanged; for * each input gets the other one times dout."),
    ]
    return check_outputs(mul_backward, lambda a, b, dout: (b * dout, a * dout), _mul_args, name="mul_backward",
                         outputs=("da", "db"), mistakes=mistakes, strict=strict)
