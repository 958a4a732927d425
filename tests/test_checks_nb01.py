"""Notebook 01's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest
import torch

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb01 as ex

# --------------------------------------------------------------------------- sigmoid


def sigmoid_where(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_masks(z):
    z = np.asarray(z, dtype=float)
    out = np.empty_like(z)
    pos = z >= 0
    out[pos] = 1 / (1 + np.exp(-z[pos]))
    out[~pos] = np.exp(z[~pos]) / (1 + np.exp(z[~pos]))
    return out


def sigmoid_where_unsafe(z):  # both branches are computed: exp overflows in one of them
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


def sigmoid_loop(z):
    out = np.zeros(np.shape(z))
    for i in np.ndindex(np.shape(z)):
        x = float(np.asarray(z)[i])
        out[i] = 1 / (1 + np.exp(-x)) if x >= 0 else np.exp(x) / (1 + np.exp(x))
    return out


@pytest.mark.parametrize("answer", [
    right(sigmoid_where, "np.where of safe branches"), right(sigmoid_masks, "boolean masks"),
    right(lambda z: 0.5 * (1 + np.tanh(z / 2)), "tanh"), right(sigmoid_loop, "a loop"),
    right(lambda z: torch.sigmoid(torch.as_tensor(z)), "torch.sigmoid"),
])
def test_sigmoid_right(answer, capsys):
    assert_right(ex.check_sigmoid, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda z: 1 / (1 + np.exp(-z)), "fail", "NumPy warned 'overflow encountered in exp'", "naive"),
    wrong(lambda z: np.exp(z) / (1 + np.exp(z)), "fail", "NaN or inf", "naive e^z / (1 + e^z)"),
    wrong(sigmoid_where_unsafe, "fail", "np.where computes both branches", "np.where of unsafe branches"),
    wrong(lambda z: 1 / (1 + np.exp(z)), "fail", "this is sigmoid(-z)", "sign of the exponent"),
    wrong(lambda z: (z > 0).astype(float), "fail", "this is the step function", "step"),
    wrong(lambda z: np.tanh(z), "fail", "this is tanh", "tanh itself"),
    wrong(lambda z: np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z))), "fail", "right for z < 0 only", "one branch only"),
    wrong(lambda z: np.round(sigmoid_where(z), 2), "fail", "wrong values", "rounded"),
    wrong(lambda z: [float(v) for v in np.ravel(sigmoid_where(z))], "fail", "expected shape (3, 4), got (12,)", "flattened list"),
    wrong(lambda z: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(sigmoid_where), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(sigmoid_where), "fail", "expected shape (3, 4), got (7,)", "right for the first input only"),
])
def test_sigmoid_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_sigmoid, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- relu_derivative


def relu_slope_in_place(z):
    z[z <= 0] = 0.0  # writes into the caller's z
    z[z > 0] = 1.0
    return z


@pytest.mark.parametrize("answer", [
    right(lambda z: (z > 0).astype(float), "astype"), right(lambda z: np.where(z > 0, 1.0, 0.0), "np.where"),
    right(lambda z: np.heaviside(z, 0.0), "heaviside"), right(lambda z: (z > 0) * 1.0, "times 1.0"),
    right(lambda z: np.array(z > 0, dtype=np.float32), "float32"),
])
def test_relu_derivative_right(answer, capsys):
    assert_right(ex.check_relu_derivative, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda z: np.maximum(z, 0), "fail", "you returned relu(z) itself", "relu"),
    wrong(lambda z: (z >= 0).astype(float), "fail", "use z > 0, not z >= 0", "slope 1 at 0"),
    wrong(lambda z: (z < 0).astype(float), "fail", "the wrong way round", "inverted"),
    wrong(lambda z: np.sign(z), "fail", "np.sign(z) gives -1", "sign"),
    wrong(lambda z: z > 0, "fail", "the right values, but as bool", "booleans"),
    wrong(lambda z: (z > 0).astype(int), "fail", "the right values, but as int64", "integers"),
    wrong(relu_slope_in_place, "fail", "changed its input `z` in place", "in place"),
    wrong(lambda z: 1.0 if z > 0 else 0.0, "fail", "truth value of an array", "an if on an array"),
    wrong(lambda z: np.ones_like(z), "fail", "1 everywhere", "ones"),
    wrong(lambda z: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda z: (z > 0).astype(float)), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_relu_derivative_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_relu_derivative, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- dense_forward


def dense_loop(X, W, b):
    out = np.zeros((X.shape[0], W.shape[1]))
    for n in range(X.shape[0]):
        for m in range(W.shape[1]):
            out[n, m] = sum(X[n, d] * W[d, m] for d in range(X.shape[1])) + b[m]
    return out


@pytest.mark.parametrize("answer", [
    right(lambda X, W, b: X @ W + b, "X @ W + b"), right(lambda X, W, b: np.dot(X, W) + b, "np.dot"),
    right(dense_loop, "loops"), right(lambda X, W, b: (W.T @ X.T).T + b.reshape(1, -1), "transposes"),
    right(lambda X, W, b: torch.from_numpy(X) @ torch.from_numpy(W) + torch.from_numpy(b), "torch"),
])
def test_dense_forward_right(answer, capsys):
    assert_right(ex.check_dense_forward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda X, W, b: X @ W, "fail", "you forgot the bias", "no bias"),
    wrong(lambda X, W, b: X @ W - b, "fail", "the bias is subtracted", "minus b"),
    wrong(lambda X, W, b: X @ W + b[:, None], "fail", "b was added down the columns", "b as a column"),
    wrong(lambda X, W, b: np.maximum(X @ W + b, 0), "fail", "you applied ReLU", "ReLU"),
    wrong(lambda X, W, b: X @ W + b.sum(), "fail", "the sum of the biases", "b summed"),
    wrong(lambda X, W, b: W.T @ X.T + b[:, None], "fail", "the result is transposed", "transposed"),
    wrong(lambda X, W, b: X @ W.T + b, "fail", "inner sizes of a matrix product must match", "W.T"),
    wrong(lambda X, W, b: X * W + b, "fail", "raised ValueError", "elementwise *"),
    wrong(lambda X, W, b: (X @ W + b, X), "fail", "returned a tuple of 2 values", "returns the cache too"),
    wrong(lambda X, W, b: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda X, W, b: X @ W + b), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(lambda X, W, b: X @ W + b), "fail", "expected shape (5, 2), got (4, 4)", "right for the first input only"),
])
def test_dense_forward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_dense_forward, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- softmax


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def softmax_stable_no_keepdims(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1)


def softmax_rows(Z):
    return np.array([np.exp(r - r.max()) / np.exp(r - r.max()).sum() for r in Z])


def softmax_in_place(Z):
    Z -= Z.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


@pytest.mark.parametrize("answer", [
    right(softmax, "row max, keepdims"), right(softmax_rows, "row by row"),
    right(lambda Z: np.exp(Z - np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1, keepdims=True)) - Z.max(1, keepdims=True)),
          "log-sum-exp"),
    right(lambda Z: torch.softmax(torch.as_tensor(Z), dim=1), "torch.softmax"),
    right(lambda Z: softmax(Z.astype(np.float32)), "float32"),
])
def test_softmax_right(answer, capsys):
    assert_right(ex.check_softmax, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "fail", "Subtract each row's maximum first", "naive"),
    wrong(lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(axis=1, keepdims=True), "fail", "NaN or inf",
          "the global max"),
    wrong(softmax_stable_no_keepdims, "fail", "keepdims=True", "stable, keepdims forgotten"),
    wrong(lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "fail", "keepdims=True", "naive, keepdims forgotten"),
    wrong(lambda Z: softmax(Z.T).T, "fail", "each column sums to 1", "columns"),
    wrong(lambda Z: np.exp(Z - Z.max(axis=1, keepdims=True)), "fail", "forgot to divide", "no division"),
    wrong(lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), "fail", "the whole array sums to 1", "whole array"),
    wrong(softmax_in_place, "fail", "changed its input `Z` in place", "in place"),
    wrong(lambda Z: softmax(Z).tolist()[0], "fail", "expected shape (5, 5), got (5,)", "first row only"),
    wrong(lambda Z: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(softmax), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(softmax), "fail", "expected shape (4, 3), got (5, 5)", "right for the first input only"),
])
def test_softmax_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_softmax, answer, status, phrase, capsys)
