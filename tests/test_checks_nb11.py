"""Notebook 11's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb11 as ex


# --------------------------------------------------------------------------- attention


def softmax_rows(S, axis=-1):
    e = np.exp(S - S.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def attention(Q, K, V, causal=False, scale=None, axis=-1, mask=None, fill=-np.inf, after=False, stable=True):
    d = Q.shape[-1]
    S = Q @ np.swapaxes(K, -1, -2) * (1 / np.sqrt(d) if scale is None else scale)
    T_q, T_k = S.shape[-2:]
    keep = np.tril(np.ones((T_q, T_k), bool)) if mask is None else mask(T_q, T_k)
    if causal and not after:
        S = np.where(keep, S, fill)
    A = softmax_rows(S, axis) if stable else np.exp(S) / np.exp(S).sum(axis=axis, keepdims=True)
    if causal and after:
        A = A * keep
    return A @ V


def attention_loops(Q, K, V, causal=False):
    if Q.ndim == 3:
        return np.stack([attention_loops(q, k, v, causal) for q, k, v in zip(Q, K, V)])
    out = np.zeros((Q.shape[0], V.shape[1]))
    for t in range(Q.shape[0]):
        keys = range(t + 1) if causal else range(K.shape[0])
        s = np.array([Q[t] @ K[j] for j in keys]) / math.sqrt(Q.shape[1])
        w = np.exp(s - s.max())
        out[t] = (w / w.sum()) @ V[list(keys)]
    return out


def attention_torch(Q, K, V, causal=False):
    return F.scaled_dot_product_attention(*(torch.tensor(a) for a in (Q, K, V)), is_causal=causal).numpy()


def attention_masked_fill(Q, K, V, causal=False):
    S = torch.tensor(Q) @ torch.tensor(K).transpose(-1, -2) / math.sqrt(Q.shape[-1])
    if causal:
        S = S.masked_fill(torch.ones(S.shape[-2:], dtype=torch.bool).triu(1), float("-inf"))
    return (torch.softmax(S, dim=-1) @ torch.tensor(V)).numpy()


def attention_K_T(Q, K, V, causal=False):
    S = Q @ K.T / np.sqrt(Q.shape[-1])  # fine for one sequence, wrong for a batch
    if causal:
        S = np.where(np.tril(np.ones(S.shape, bool)), S, -np.inf)
    return softmax_rows(S) @ V


def attention_weights_only(Q, K, V, causal=False):
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(Q.shape[-1])
    if causal:
        S = np.where(np.tril(np.ones(S.shape[-2:], bool)), S, -np.inf)
    return softmax_rows(S)


@pytest.mark.parametrize("answer", [
    right(attention, "vectorized"), right(attention_loops, "loops"), right(attention_torch, "torch SDPA"),
    right(attention_masked_fill, "torch masked_fill"),
    right(lambda Q, K, V, causal=False: attention_torch(*(a.astype(np.float32) for a in (Q, K, V)), causal), "float32"),
])
def test_attention_right(answer, capsys):
    assert_right(ex.check_attention, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, scale=1.0), "fail", "not divided by √d", "no scaling"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, scale=1 / Q.shape[-1]), "fail", "divided by d", "1/d"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, axis=-2), "fail", "the wrong axis", "softmax over columns"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, False), "fail", "still sees later positions", "mask ignored"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, True), "fail", "even when causal=False", "always masked"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, mask=lambda a, b: np.triu(np.ones((a, b), bool))),
          "fail", "hides the past and keeps the future", "triu"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, mask=lambda a, b: np.tril(np.ones((a, b), bool), -1)),
          "fail", "hides the diagonal too", "strict mask"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, fill=0.0), "fail", "set to 0 still get weight", "0 for -inf"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, after=True), "fail", "zeroed after the softmax",
          "masked after the softmax"),
    wrong(lambda Q, K, V, causal=False: attention(Q, K, V, causal, stable=False), "fail", "subtract each row's largest score",
          "no max subtracted"),
    wrong(attention_K_T, "fail", "K.swapaxes(-1, -2)", "K.T on a batch"),
    wrong(attention_weights_only, "fail", "weights @ V", "returns the weights"),
    wrong(lambda Q, K, V, causal=False: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(attention), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(attention), "fail", "expected shape", "right for the first input only"),
])
def test_attention_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_attention, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- split_heads


def split_heads(X, num_heads):
    T, d = X.shape
    return X.reshape(T, num_heads, d // num_heads).transpose(1, 0, 2)


@pytest.mark.parametrize("answer", [
    right(split_heads, "reshape + transpose"),
    right(lambda X, h: np.stack(np.split(X, h, axis=1)), "np.split"),
    right(lambda X, h: np.stack([X[:, i * (X.shape[1] // h):(i + 1) * (X.shape[1] // h)] for i in range(h)]), "slices"),
    right(lambda X, h: torch.tensor(X).view(X.shape[0], h, -1).transpose(0, 1), "torch view"),
    right(lambda X, h: np.swapaxes(X.reshape(X.shape[0], h, -1), 0, 1), "swapaxes"),
])
def test_split_heads_right(answer, capsys):
    assert_right(ex.check_split_heads, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda X, h: X.reshape(h, X.shape[0], X.shape[1] // h), "fail", "reshape alone mixes positions", "reshape only"),
    wrong(lambda X, h: X.reshape(X.shape[0], X.shape[1] // h, h).transpose(2, 0, 1), "fail", "every num_heads-th column",
          "interleaved columns"),
    wrong(lambda X, h: X.reshape(X.shape[0], h, X.shape[1] // h), "fail", "move the head axis to the front",
          "no transpose"),
    wrong(lambda X, h: X.reshape(X.shape[0], h, X.shape[1] // h).T, "fail", ".T reverses all three axes", ".T"),
    wrong(lambda X, h: split_heads(X, h)[:, ::-1], "fail", "wrong values", "positions reversed"),
    wrong(lambda X, h: [X] * h, "fail", "expected an array of shape (4, 6, 2)", "X repeated per head"),
    wrong(lambda X, h: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(split_heads), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_split_heads_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_split_heads, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- attention_backward


def attention_backward(dout, cache, jacobian=True, scale=True, axis=1, sign=-1.0, dv_t=True, dk_t=True):
    Q, K, V, A = cache
    c = 1 / np.sqrt(Q.shape[1]) if scale else 1.0
    dV = A.T @ dout if dv_t else A @ dout
    dA = dout @ V.T
    dS = A * (dA + sign * (dA * A).sum(axis=axis, keepdims=True)) if jacobian else A * dA
    dQ = dS @ K * c
    dK = (dS.T if dk_t else dS) @ Q * c
    return dQ, dK, dV


def backward_jacobian_loops(dout, cache):
    """The softmax's Jacobian built as a matrix for each row."""
    Q, K, V, A = cache
    dA = dout @ V.T
    dS = np.zeros_like(A)
    for t in range(A.shape[0]):
        a = A[t]
        J = np.diag(a) - np.outer(a, a)  # da_i / ds_j = a_i (δ_ij - a_j)
        dS[t] = J @ dA[t]
    scale = 1 / math.sqrt(Q.shape[1])
    return dS @ K * scale, dS.T @ Q * scale, A.T @ dout


def backward_autograd(dout, cache):
    Q, K, V, A = (torch.tensor(a) for a in cache)
    Q, K, V = (t.requires_grad_() for t in (Q, K, V))
    S = (Q @ K.T / math.sqrt(Q.shape[1])).masked_fill(A == 0, float("-inf"))
    (torch.softmax(S, 1) @ V).backward(torch.tensor(dout))
    return Q.grad, K.grad, V.grad


@pytest.mark.parametrize("answer", [
    right(attention_backward, "formulas"), right(backward_jacobian_loops, "Jacobian per row"),
    right(backward_autograd, "autograd"), right(lambda g, c: list(attention_backward(g, c)), "a list"),
])
def test_attention_backward_right(answer, capsys):
    assert_right(ex.check_attention_backward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda g, c: attention_backward(g, c, jacobian=False), "fail", "leaves out the softmax's second term", "dS = A * dA"),
    wrong(lambda g, c: attention_backward(g, c, scale=False), "fail", "the 1/√d is missing", "no 1/√d"),
    wrong(lambda g, c: attention_backward(g, c, axis=0), "fail", "over the wrong axis", "sum over axis 0"),
    wrong(lambda g, c: attention_backward(g, c, sign=1.0), "fail", "the wrong sign", "+ instead of -"),
    wrong(lambda g, c: attention_backward(g, c, dv_t=False), "fail", "dV = A.T @ dout", "A not transposed"),
    wrong(lambda g, c: attention_backward(g, c, dk_t=False), "fail", "dK = dS.T @ Q", "dS not transposed"),
    wrong(lambda g, c: (lambda dQ, dK, dV: (dK, dQ, dV))(*attention_backward(g, c)), "fail", "dQ and dK are swapped",
          "dQ, dK swapped"),
    wrong(lambda g, c: attention_backward(g, c)[:2], "fail", "return 3 values", "dV forgotten"),
    wrong(lambda g, c: (attention_backward(g, c)[0], None, None), "todo", "dK is not written yet", "half written"),
    wrong(lambda g, c: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(attention_backward), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_attention_backward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_attention_backward, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- block_parameters


def block_parameters(d, bias=False):
    weights = 3 * d * d + d * d + 4 * d * d + 4 * d * d
    norms = 2 * d * (2 if bias else 1)
    return weights + norms + ((3 * d + d + 4 * d + d) if bias else 0)


def block_parameters_torch(d, bias=False):
    layer = nn.TransformerEncoderLayer(d, 1, 4 * d, bias=bias)
    return sum(p.numel() for p in layer.parameters())


@pytest.mark.parametrize("answer", [
    right(block_parameters, "by parts"), right(lambda d, bias=False: 12 * d**2 + (13 if bias else 2) * d, "the formula"),
    right(block_parameters_torch, "nn.TransformerEncoderLayer"),
    right(lambda d, bias=False: np.int64(12 * d * d + 2 * d + 11 * d * bias), "a NumPy int"),
])
def test_block_parameters_right(answer, capsys):
    assert_right(ex.check_block_parameters, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda d, bias=False: 12 * d * d, "fail", "the two LayerNorms are missing", "12 d² only"),
    wrong(lambda d, bias=False: 12 * d * d + (11 * d if bias else 2 * d), "fail", "the LayerNorms have a bias too",
          "LayerNorm biases forgotten"),
    wrong(lambda d, bias=False: 12 * d * d + 13 * d, "fail", "bias=False was ignored", "always biases"),
    wrong(lambda d, bias=False: 12 * d * d + 2 * d, "fail", "bias=True was ignored", "never biases"),
    wrong(lambda d, bias=False: 12 * d * d + (12 * d if bias else 2 * d), "fail", "one bias vector of d numbers is missing",
          "one Linear's bias left out"),
    wrong(lambda d, bias=False: 6 * d * d + (10 * d if bias else 2 * d), "fail", "4 times wider", "MLP of width d"),
    wrong(lambda d, bias=False: 10 * d * d + (11 * d if bias else 2 * d), "fail", "W_qkv is (d, 3d)", "one d × d for qkv"),
    wrong(lambda d, bias=False: 11 * d * d + (12 * d if bias else 2 * d), "fail", "output projection W_o", "no W_o"),
    wrong(lambda d, bias=False: 4 * d * d + (8 * d if bias else 2 * d), "fail", "the MLP is missing", "no MLP"),
    wrong(lambda d, bias=False: float(block_parameters(d, bias)), "fail", "as a float", "a float"),
    wrong(lambda d, bias=True: block_parameters(d, bias), "fail", "bias left at the default", "default bias=True"),
    wrong(lambda d, bias=False: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(block_parameters), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_block_parameters_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_block_parameters, answer, status, phrase, capsys)
