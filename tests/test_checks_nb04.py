"""Notebook 04's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest
import torch

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb04 as ex


@pytest.mark.parametrize("answer", [
    right(lambda a, b, dout: (b * dout, a * dout), "the rule"), right(lambda a, b, dout: [dout * b, dout * a], "a list"),
    right(lambda a, b, dout: tuple(np.array([b, a]) * dout), "numpy"),
])
def test_mul_backward_right(answer, capsys):
    assert_right(ex.check_mul_backward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda a, b, dout: (a * dout, b * dout), "fail", "da and db are swapped", "swapped"),
    wrong(lambda a, b, dout: (b, a), "fail", "these are the local slopes only", "no dout"),
    wrong(lambda a, b, dout: (dout, dout), "fail", "that is the rule for +", "rule of +"),
    wrong(lambda a, b, dout: (a * b * dout, a * b * dout), "fail", "a·b·dout is the output times dout", "out * dout"),
    wrong(lambda a, b, dout: (b / dout, a / dout), "fail", "divided by dout", "divided"),
    wrong(lambda a, b, dout: b * dout, "fail", "return 2 values, (da, db); got one float", "one value"),
    wrong(lambda a, b, dout: (b * dout, None), "todo", "db is not written yet", "half-written"),
    wrong(lambda a, b, dout: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda a, b, dout: (b * dout, a * dout)), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(lambda a, b, dout: (b * dout, a * dout)), "fail", "da: got", "right for the first input only"),
])
def test_mul_backward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_mul_backward, answer, status, phrase, capsys)


def dense_backward(dout, cache):
    X, W = cache
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def dense_backward_torch(dout, cache):
    X, W = (torch.tensor(a, requires_grad=True) for a in cache)
    b = torch.zeros(W.shape[1], dtype=torch.float64, requires_grad=True)
    (X @ W + b).backward(torch.tensor(dout))
    return X.grad.numpy(), W.grad.numpy(), b.grad.numpy()


@pytest.mark.parametrize("answer", [
    right(dense_backward, "the formulas"), right(dense_backward_torch, "torch autograd"),
    right(lambda d, c: (np.dot(d, c[1].T), np.dot(c[0].T, d), np.sum(d, axis=0)), "np.dot"),
    right(lambda d, c: [d @ c[1].T, np.einsum("nd,nm->dm", c[0], d), d.sum(0)], "a list, einsum"),
])
def test_dense_backward_right(answer, capsys):
    assert_right(ex.check_dense_backward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda d, c: (c[0].T @ d, d @ c[1].T, d.sum(0)), "fail", "dX and dW are swapped", "swapped"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d, d.mean(0)), "fail", "db is averaged over the batch", "db mean"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d, d.sum(1)), "fail", "db summed over the wrong axis", "db axis"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d / len(d), d.sum(0) / len(d)), "fail", "dW and db are divided by m", "1/m again"),
    wrong(lambda d, c: (d @ c[1].T, d.T @ c[0], d.sum(0)), "fail", "dW is transposed", "dW transposed"),
    wrong(lambda d, c: (d @ c[1], c[0].T @ d, d.sum(0)), "fail", "inner sizes of a matrix product", "W not transposed"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d, d), "fail", "db is dout itself", "db not summed"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d, d.sum(0, keepdims=True)), "fail", "db: expected shape (4,), got (1, 4)", "keepdims"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d, None), "todo", "db is not written yet", "half-written"),
    wrong(lambda d, c: (d @ c[1].T, c[0].T @ d), "fail", "return 3 values, (dX, dW, db); got 2", "db forgotten"),
    wrong(lambda d, c: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(dense_backward), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_dense_backward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_dense_backward, answer, status, phrase, capsys)


def relu_backward_in_place(dout, mask):
    dout[~mask] = 0
    return dout


@pytest.mark.parametrize("answer", [
    right(lambda dout, mask: dout * mask, "dout * mask"), right(lambda dout, mask: np.where(mask, dout, 0), "np.where"),
    right(lambda dout, mask: dout * mask.astype(np.float32), "float32 mask"),
    right(lambda dout, mask: np.multiply(dout, mask > 0), "mask > 0"),
])
def test_relu_backward_right(answer, capsys):
    assert_right(ex.check_relu_backward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda dout, mask: mask.astype(float), "fail", "this is just the mask", "mask only"),
    wrong(lambda dout, mask: dout, "fail", "dout passed through unchanged", "identity"),
    wrong(lambda dout, mask: dout * ~mask, "fail", "the mask is inverted", "inverted"),
    wrong(lambda dout, mask: np.maximum(dout, 0), "fail", "that is ReLU of dout", "relu of dout"),
    wrong(relu_backward_in_place, "fail", "changed its input `dout` in place", "in place"),
    wrong(lambda dout, mask: dout @ mask.T, "fail", "expected shape", "matrix product"),
    wrong(lambda dout, mask: (dout * mask).astype(int), "fail", "whole numbers (int64) where fractions belong", "integer array"),
    wrong(lambda dout, mask: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda dout, mask: dout * mask), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_relu_backward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_relu_backward, answer, status, phrase, capsys)


def softmax_ce_backward(dloss, cache):
    probs, y = cache
    d = probs.copy()
    d[np.arange(len(y)), y] -= 1
    return dloss * d / len(y)


def softmax_ce_backward_in_place(dloss, cache):
    probs, y = cache
    probs[np.arange(len(y)), y] -= 1  # the cache's probs, changed
    return dloss * probs / len(y)


@pytest.mark.parametrize("answer", [
    right(softmax_ce_backward, "copy, subtract 1"), right(lambda dl, c: dl * (c[0] - np.eye(c[0].shape[1])[c[1]]) / len(c[1]), "np.eye"),
    right(lambda dl, c: dl / len(c[1]) * (c[0] - (c[1][:, None] == np.arange(c[0].shape[1]))), "comparison"),
])
def test_softmax_ce_backward_right(answer, capsys):
    assert_right(ex.check_softmax_ce_backward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda dl, c: dl * (c[0] - np.eye(c[0].shape[1])[c[1]]), "fail", "the 1/m is missing", "no 1/m"),
    wrong(lambda dl, c: (c[0] - np.eye(c[0].shape[1])[c[1]]) / len(c[1]), "fail", "dloss is ignored", "no dloss"),
    wrong(lambda dl, c: dl * c[0] / len(c[1]), "fail", "the one-hot labels are not subtracted", "probs only"),
    wrong(lambda dl, c: dl * (np.eye(c[0].shape[1])[c[1]] - c[0]) / len(c[1]), "fail", "the sign is flipped", "sign"),
    wrong(lambda dl, c: dl * (c[0] - 1) / len(c[1]), "fail", "1 was subtracted from every entry", "1 everywhere"),
    wrong(softmax_ce_backward_in_place, "fail", "changed its input `cache[0]` in place", "in place"),
    wrong(lambda dl, c: dl * (c[0] - np.eye(c[0].shape[1])[c[1]]).mean(axis=0), "fail", "expected shape", "averaged rows"),
    wrong(lambda dl, c: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(softmax_ce_backward), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_softmax_ce_backward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_softmax_ce_backward, answer, status, phrase, capsys)
