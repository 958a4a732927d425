"""Exercise checkers for notebook 11, attention and the transformer block by hand.

Each checker knows the usual wrong answers and names them: the missing ``1/√d``, the softmax
over the wrong axis, a causal mask that is not applied (or applied to the past, or with 0 in
place of −∞), ``K.T`` on a batch of sequences; a split into heads that reshapes without moving
the head axis; the softmax Jacobian term left out of the backward pass; a block's LayerNorms or
biases forgotten in its parameter count. The references are written differently from the
notebook's solutions: loops over queries and keys, PyTorch's autograd, PyTorch's own layers.
"""

from __future__ import annotations

import math

import numpy as np

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- exercise 1: attention


def _attention_loops(Q, K, V, causal=False):
    """softmax(Q Kᵀ / √d) V, one query and one key at a time; a leading axis: one sequence each."""
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    if Q.ndim > 2:
        return np.stack([_attention_loops(q, k, v, causal) for q, k, v in zip(Q, K, V)])
    d = Q.shape[-1]
    out = np.zeros((len(Q), V.shape[-1]))
    for t, q in enumerate(Q):
        keys = range(t + 1) if causal else range(len(K))  # causal: position t sees keys 0..t
        scores = [float(q @ K[s]) / math.sqrt(d) for s in keys]
        top = max(scores)
        weights = [math.exp(s - top) for s in scores]
        total = sum(weights)
        for s, w in zip(keys, weights):
            out[t] += w / total * V[s]
    return out


def _softmax(S, axis=-1):
    S = S - np.max(S, axis=axis, keepdims=True)
    e = np.exp(S)
    return e / e.sum(axis=axis, keepdims=True)


def _variant(Q, K, V, causal=False, scale=None, axis=-1, mask="tril", fill=-np.inf, after=False):
    """A vectorized attention with one thing changed, to write the known mistakes."""
    Q, K, V = (np.asarray(a, dtype=np.float64) for a in (Q, K, V))
    d = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) * (1 / math.sqrt(d) if scale is None else scale)
    T_q, T_k = S.shape[-2:]
    keep = {"tril": np.tril(np.ones((T_q, T_k), bool)), "strict": np.tril(np.ones((T_q, T_k), bool), -1),
            "triu": np.triu(np.ones((T_q, T_k), bool))}[mask]
    if causal and not after:
        S = np.where(keep, S, fill)
    A = _softmax(S, axis)
    if causal and after:
        A = np.where(keep, A, 0.0)
    return A @ V


def _attention_args(rng, trial):
    # (shape of Q, shape of K, shape of V, causal); None: causal left at its default
    settings = [((5, 4), (5, 4), (5, 4), None), ((6, 8), (6, 8), (6, 8), True), ((3, 4), (7, 4), (7, 5), False),
                ((2, 5, 4), (2, 5, 4), (2, 5, 3), True), ((4, 6, 2), (4, 6, 2), (4, 6, 2), False),
                ((1, 3), (1, 3), (1, 3), True), ((5, 4), (5, 4), (5, 4), "big")]
    q, k, v, causal = settings[trial]
    Q, K, V = rng.normal(size=q), rng.normal(size=k), rng.normal(size=v)
    if causal is None:
        return Q, K, V
    if causal == "big":  # scores near ±1000: np.exp overflows unless the row's max is subtracted first
        return Q * 1000.0, K, V, True
    return Q, K, V, causal


def check_attention(attention, strict: bool = False):
    """``attention(Q, K, V, causal=False)``: ``softmax(Q Kᵀ / √d) V`` with ``d = Q.shape[-1]``.

    ``Q (..., T_q, d)``, ``K (..., T_k, d)``, ``V (..., T_k, d_v)`` -> ``(..., T_q, d_v)``; any
    leading axes (a batch, the heads) are kept. ``causal=True``: query ``t`` sees keys ``0..t`` only.
    """
    mistakes = [
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, scale=1.0),
         _("the scores are not divided by √d: softmax(Q Kᵀ / √d) V, with d = Q.shape[-1].")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, scale=1 / Q.shape[-1]),
         _("divided by d: the scores are divided by √d (np.sqrt(d)), which keeps their variance near 1.")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, axis=-2),
         _("the softmax runs over the wrong axis: each query's weights (a row of the scores, the last axis) "
           "must sum to 1, so use axis=-1.")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, False),
         _("with causal=True a position still sees later positions: set the scores above the diagonal to "
           "-np.inf before the softmax.")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, True),
         _("the mask is applied even when causal=False: mask only when causal is True.")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, mask="triu"),
         _("the mask hides the past and keeps the future: keep the lower triangle (np.tril), where key s <= query t.")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, mask="strict"),
         _("the mask hides the diagonal too: a position may attend to itself (np.tril with k=0, not k=-1).")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, fill=0.0),
         _("masked scores set to 0 still get weight (exp(0) = 1): set them to -np.inf, so that their weight is 0.")),
        (lambda Q, K, V, c=False: _variant(Q, K, V, c, after=True),
         _("the weights were zeroed after the softmax, so the rows no longer sum to 1: mask the scores "
           "(with -np.inf) before the softmax.")),
    ]
    symptoms = [
        (lambda got, args: np.shape(got) == np.shape(args[0])[:-1] + (np.shape(args[1])[-2],),
         _("that has the shape of the weights (T_q, T_k): return the weighted sum of the values, weights @ V.")),
    ]
    hints = [("mismatch in its core dimension", _("the shapes do not fit a matrix product: the scores are "
                                                  "Q @ Kᵀ; for a batch of sequences transpose only the last two "
                                                  "axes, K.swapaxes(-1, -2), since K.T reverses all of them")),
             ("not aligned", _("the shapes do not fit a matrix product: the scores are Q @ Kᵀ; for a batch of "
                               "sequences use @ (np.matmul) and K.swapaxes(-1, -2), not np.dot and K.T"))]
    return check(attention, name="attention", reference=_attention_loops, make_args=_attention_args, trials=7,
                 mistakes=mistakes, symptoms=symptoms, hints=hints,
                 nan_hint=_("np.exp overflowed on large scores: subtract each row's largest score before np.exp "
                            "(it does not change the softmax)."),
                 passed=_("correct on 7 inputs: causal or not, T_q ≠ T_k, batches, scores near 1000."),
                 strict=strict)


# --------------------------------------------------------------------------- exercise 2: heads


def _split_loops(X, num_heads):
    X = np.asarray(X)
    T, d = X.shape
    size = d // num_heads
    out = np.zeros((num_heads, T, size), dtype=X.dtype)
    for h in range(num_heads):
        for t in range(T):
            out[h, t] = X[t, h * size:(h + 1) * size]  # head h gets columns h*size .. (h+1)*size - 1
    return out


def check_split_heads(split_heads, strict: bool = False):
    """``split_heads(X, num_heads)``: ``X (T, d)`` -> ``(num_heads, T, d // num_heads)``; head ``h`` holds
    the columns ``h*d/num_heads`` to ``(h+1)*d/num_heads - 1`` of every position."""

    def make_args(rng, trial):
        T, d, h = [(6, 8, 4), (5, 12, 3), (4, 6, 1), (3, 4, 4), (7, 8, 2), (2, 6, 3)][trial]
        return rng.normal(size=(T, d)), h

    mistakes = [
        (lambda X, h: X.reshape(h, X.shape[0], X.shape[1] // h),
         _("reshape alone mixes positions into the heads: reshape to (T, num_heads, d/num_heads) first, then "
           "move the head axis to the front with .transpose(1, 0, 2).")),
        (lambda X, h: X.reshape(X.shape[0], X.shape[1] // h, h).transpose(2, 0, 1),
         _("each head took every num_heads-th column: head h must get a block of neighboring columns, "
           "X[:, h*d/num_heads : (h+1)*d/num_heads]; reshape to (T, num_heads, d/num_heads).")),
    ]
    symptoms = [
        (lambda got, args: np.shape(got) == (len(args[0]), args[1], args[0].shape[1] // args[1]) and len(args[0]) != args[1],
         _("the axes are (T, num_heads, d/num_heads): move the head axis to the front, .transpose(1, 0, 2).")),
        (lambda got, args: np.shape(got) == (args[0].shape[1] // args[1], args[1], len(args[0])),
         _(".T reverses all three axes: use .transpose(1, 0, 2), which swaps only the first two.")),
    ]
    return check(split_heads, name="split_heads", reference=_split_loops, make_args=make_args, trials=6,
                 mistakes=mistakes, symptoms=symptoms,
                 passed=_("correct on 6 inputs, from 1 head to one column per head."), strict=strict)


# --------------------------------------------------------------------------- exercise 3: one head backward


def _forward_cache(Q, K, V, causal):
    d = Q.shape[-1]
    S = Q @ K.T / math.sqrt(d)
    if causal:
        S = np.where(np.tril(np.ones(S.shape, bool)), S, -np.inf)
    return Q, K, V, _softmax(S)


def _grads_autograd(dout, cache):
    """(dQ, dK, dV) by PyTorch's autograd, in float64: the masked positions are those whose weight is 0."""
    import torch

    Q, K, V, A = (torch.tensor(np.asarray(a, dtype=np.float64)) for a in cache)
    Q, K, V = (t.clone().requires_grad_(True) for t in (Q, K, V))
    S = Q @ K.T / math.sqrt(Q.shape[-1])
    S = S.masked_fill(A == 0, float("-inf"))
    out = torch.softmax(S, dim=-1) @ V
    out.backward(torch.tensor(np.asarray(dout, dtype=np.float64)))
    return tuple(t.grad.numpy() for t in (Q, K, V))


def _backward_variant(dout, cache, jacobian=True, scale=True, axis=-1, sign=-1.0, dv_t=True, dk_t=True):
    Q, K, V, A = cache
    c = 1 / math.sqrt(Q.shape[-1]) if scale else 1.0
    dV = A.T @ dout if dv_t else A @ dout
    dA = dout @ V.T
    dS = A * (dA + sign * (dA * A).sum(axis=axis, keepdims=True)) if jacobian else A * dA
    dQ = dS @ K * c
    dK = (dS.T if dk_t else dS) @ Q * c
    return dQ, dK, dV


def _backward_args(rng, trial):
    # (T_q, T_k, d, d_v, causal)
    T_q, T_k, d, d_v, causal = [(5, 5, 4, 4, True), (6, 6, 8, 8, False), (3, 6, 4, 5, False), (4, 4, 4, 3, True),
                                (1, 1, 2, 2, True), (7, 7, 2, 5, True)][trial]
    Q, K, V = rng.normal(size=(T_q, d)), rng.normal(size=(T_k, d)), rng.normal(size=(T_k, d_v))
    return rng.normal(size=(T_q, d_v)), _forward_cache(Q, K, V, causal)


def check_attention_backward(attention_backward, strict: bool = False):
    """``attention_backward(dout, cache)``: ``dout (T_q, d_v)``, ``cache = (Q (T_q, d), K (T_k, d),
    V (T_k, d_v), A (T_q, T_k))`` from ``out = A @ V``, ``A = softmax(Q Kᵀ / √d)`` (masked entries of
    ``A`` are 0) -> ``(dQ, dK, dV)``. The reference is PyTorch's autograd in float64."""
    mistakes = [
        (lambda g, c: _backward_variant(g, c, jacobian=False),
         _("dS = A * dA leaves out the softmax's second term: each weight depends on every score of its row, "
           "dS = A * (dA - (dA * A).sum(axis=-1, keepdims=True)).")),
        (lambda g, c: _backward_variant(g, c, scale=False),
         _("the 1/√d is missing: the scores were Q Kᵀ / √d, so dQ and dK carry the same 1/√d.")),
        (lambda g, c: _backward_variant(g, c, axis=-2),
         _("the sum in the softmax's backward runs over the wrong axis: sum over each row (axis=-1), the keys "
           "one query's weights share.")),
        (lambda g, c: _backward_variant(g, c, sign=1.0),
         _("the softmax's second term has the wrong sign: dS = A * (dA - (dA * A).sum(axis=-1, keepdims=True)).")),
        (lambda g, c: _backward_variant(g, c, dv_t=False),
         _("dV = A @ dout: the weights must be transposed, dV = A.T @ dout (each value is used by every query).")),
        (lambda g, c: _backward_variant(g, c, dk_t=False),
         _("dK = dS @ Q: transpose dS, dK = dS.T @ Q (key s collects from every query t that looked at it).")),
    ]
    return check(attention_backward, name="attention_backward", reference=_grads_autograd, make_args=_backward_args,
                 trials=6, outputs=("dQ", "dK", "dV"), mistakes=mistakes,
                 passed=_("equal to autograd on 6 inputs: causal or not, T_q ≠ T_k, d_v ≠ d."),
                 strict=strict)


# --------------------------------------------------------------------------- exercise 4: a block's parameters


def _block_parameters_torch(d, bias=False):
    """Count the parameters of the layers of a pre-LN block, built in PyTorch."""
    from torch import nn

    layers = [nn.LayerNorm(d, bias=bias), nn.Linear(d, 3 * d, bias=bias), nn.Linear(d, d, bias=bias),
              nn.LayerNorm(d, bias=bias), nn.Linear(d, 4 * d, bias=bias), nn.Linear(4 * d, d, bias=bias)]
    return sum(p.numel() for layer in layers for p in layer.parameters())


def check_block_parameters(block_parameters, strict: bool = False):
    """``block_parameters(d, bias=False)``: the parameters of one transformer block of width ``d``:
    two LayerNorms (a weight each, and a bias each when ``bias``), the attention's ``W_qkv (d, 3d)``
    and ``W_o (d, d)``, the MLP's ``(d, 4d)`` and ``(4d, d)`` (each Linear with a bias when ``bias``)."""

    def make_args(rng, trial):
        fixed = [(64,), (128, False), (64, True), (8, True), (1, False), (768, True), (100, False), (3, True)]
        return fixed[trial]

    mistakes = [
        (lambda d, b=False: 12 * d * d, _("the two LayerNorms are missing: each has a weight vector of d numbers "
                                          "(and, with bias=True, a bias vector too).")),
        (lambda d, b=False: 12 * d * d + (11 * d if b else 2 * d),
         _("with bias=True the LayerNorms have a bias too: 2 LayerNorms × 2 vectors of d, plus 9d for the "
           "Linear layers' biases.")),
        (lambda d, b=False: 12 * d * d + (9 * d if b else 0),
         _("the two LayerNorms are missing: each has a weight vector of d numbers (and with bias=True a bias).")),
        (lambda d, b=False: 12 * d * d + 13 * d, _("bias=False was ignored: without biases, only the two "
                                                   "LayerNorm weights add 2d to 12·d².")),
        (lambda d, b=False: 12 * d * d + 2 * d, _("bias=True was ignored: the Linear layers' biases (3d + d + 4d + d) "
                                                  "and the LayerNorms' biases (2d) add 11d more.")),
        (lambda d, b=False: 12 * d * d + (12 * d if b else 2 * d),
         _("with bias=True one bias vector of d numbers is missing: W_qkv's is 3d, W_o's d, the MLP's 4d and d, "
           "and each LayerNorm's d, 13d in all.")),
        (lambda d, b=False: 6 * d * d + (10 * d if b else 2 * d),
         _("the MLP is 4 times wider than d: (d, 4d) and (4d, d) are 8·d² together.")),
        (lambda d, b=False: 10 * d * d + (11 * d if b else 2 * d),
         _("W_qkv is (d, 3d): queries, keys and values each have their own d × d matrix, 3·d² together.")),
        (lambda d, b=False: 11 * d * d + (12 * d if b else 2 * d),
         _("the attention's output projection W_o (d × d, plus d with a bias) is missing.")),
        (lambda d, b=False: 4 * d * d + (8 * d if b else 2 * d),
         _("the MLP is missing: (d, 4d) and (4d, d), 8·d² more.")),
    ]
    return check(block_parameters, name="block_parameters", reference=_block_parameters_torch, make_args=make_args,
                 trials=8, mistakes=mistakes, integer=True,
                 passed=_("equal to PyTorch's count for 8 widths, with and without biases."), strict=strict)
