"""Notebook 02's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest
import torch

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb02 as ex


def mse(y_hat, y):
    return np.mean((y_hat - y) ** 2)


def mse_loop(y_hat, y):
    total = 0.0
    for a, b in zip(y_hat, y):
        total += (a - b) ** 2
    return total / len(y)


def mse_integer_mean(y_hat, y):
    return np.sum((y_hat - y) ** 2) // len(y)


@pytest.mark.parametrize("answer", [
    right(mse, "np.mean"), right(mse_loop, "a loop"), right(lambda a, b: ((b - a) ** 2).sum() / a.size, "sum / size"),
    right(lambda a, b: np.float32(np.mean((a.astype(np.float32) - b.astype(np.float32)) ** 2)), "float32"),
    right(lambda a, b: torch.nn.functional.mse_loss(torch.as_tensor(a), torch.as_tensor(b)), "torch"),
])
def test_mse_right(answer, capsys):
    assert_right(ex.check_mse, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda a, b: np.sum((a - b) ** 2), "fail", "the sum of the squared errors, m times too big", "sum"),
    wrong(lambda a, b: 0.5 * mse(a, b), "fail", "half the MSE", "a half"),
    wrong(lambda a, b: np.sqrt(mse(a, b)), "fail", "RMSE", "root"),
    wrong(lambda a, b: np.mean(np.abs(a - b)), "fail", "mean absolute error", "absolute"),
    wrong(lambda a, b: np.mean(a - b ** 2), "fail", "only y was squared", "precedence"),
    wrong(lambda a, b: np.mean(a - b) ** 2, "fail", "you squared the mean difference", "square of the mean"),
    wrong(lambda a, b: (a - b) ** 2, "fail", "did you forget to average over the batch?", "no mean"),
    wrong(mse_integer_mean, "fail", "was // (floor division) used", "integer division"),
    wrong(lambda a, b: np.array([mse(a, b)]), "fail", "take it out with .item()", "shape (1,)"),
    wrong(lambda a, b: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(mse), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(mse), "fail", "got 1.05796, expected 1.348", "right for the first input only"),
])
def test_mse_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_mse, answer, status, phrase, capsys)


def bce(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


@pytest.mark.parametrize("answer", [
    right(bce, "the formula"), right(lambda p, y: -np.mean(np.log(np.where(y == 1, p, 1 - p))), "log of the true class"),
    right(lambda p, y: float(torch.nn.functional.binary_cross_entropy(torch.as_tensor(p), torch.as_tensor(y))), "torch"),
    right(lambda p, y: -sum(np.log(pi) if yi else np.log(1 - pi) for pi, yi in zip(p, y)) / len(y), "a loop"),
])
def test_binary_cross_entropy_right(answer, capsys):
    assert_right(ex.check_binary_cross_entropy, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda p, y: -bce(p, y), "fail", "the sign is flipped", "no minus"),
    wrong(lambda p, y: len(y) * bce(p, y), "fail", "the sum over the batch, m times too big", "sum"),
    wrong(lambda p, y: -np.mean(y * np.log(p)), "fail", "only the y·log p term", "one term"),
    wrong(lambda p, y: -np.mean((1 - y) * np.log(p) + y * np.log(1 - p)), "fail", "the two terms are swapped", "swapped"),
    wrong(lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)), "fail", "log base 10", "log10"),
    wrong(lambda p, y: -np.mean(y * np.log(p) + (1 - y) * np.log(p)), "fail", "both terms take log p", "log p twice"),
    wrong(lambda p, y: -(y * np.log(p) + (1 - y) * np.log(1 - p)), "fail", "expected one number", "no mean"),
    wrong(lambda p, y: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(bce), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(lambda p, y: str(bce(p, y)), "fail", "which is text", "a string"),
])
def test_binary_cross_entropy_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_binary_cross_entropy, answer, status, phrase, capsys)


def log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def log_softmax_no_keepdims(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1))


def log_softmax_max_no_keepdims(Z):
    shifted = Z - Z.max(axis=1)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


@pytest.mark.parametrize("answer", [
    right(log_softmax, "shift then log-sum-exp"),
    right(lambda Z: Z - (Z.max(1, keepdims=True) + np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1, keepdims=True))),
          "Z minus logsumexp"),
    right(lambda Z: torch.log_softmax(torch.as_tensor(Z), dim=1), "torch"),
    right(lambda Z: np.array([r - r.max() - np.log(np.exp(r - r.max()).sum()) for r in Z]), "row by row"),
])
def test_log_softmax_right(answer, capsys):
    assert_right(ex.check_log_softmax, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda Z: np.log(np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)), "fail", "Stay in log space", "naive"),
    wrong(lambda Z: np.log(np.exp(Z - Z.max(1, keepdims=True)) / np.exp(Z - Z.max(1, keepdims=True)).sum(1, keepdims=True)),
          "fail", "underflowed to 0 is -inf", "log of a stable softmax"),
    wrong(log_softmax_no_keepdims, "fail", "keepdims=True", "keepdims forgotten on the sum"),
    wrong(log_softmax_max_no_keepdims, "fail", "keepdims=True", "keepdims forgotten on the max"),
    wrong(lambda Z: log_softmax(Z.T).T, "fail", "each column was normalized", "columns"),
    wrong(lambda Z: Z - Z.max(axis=1, keepdims=True), "fail", "you subtracted the max but not", "shift only"),
    wrong(lambda Z: np.exp(log_softmax(Z)), "fail", "this is softmax itself", "softmax"),
    wrong(lambda Z: Z - np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1, keepdims=True)), "fail",
          "the shift c is missing from the first term", "shift missing once"),
    wrong(lambda Z: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(log_softmax), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(log_softmax), "fail", "expected shape (4, 3), got (5, 5)", "right for the first input only"),
])
def test_log_softmax_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_log_softmax, answer, status, phrase, capsys)


def sparse_ce(Z, y):
    return -np.mean(log_softmax(Z)[np.arange(len(y)), y])


@pytest.mark.parametrize("answer", [
    right(sparse_ce, "fancy indexing"), right(lambda Z, y: -np.mean(np.take_along_axis(log_softmax(Z), y[:, None], 1)), "take_along_axis"),
    right(lambda Z, y: torch.nn.functional.cross_entropy(torch.as_tensor(Z), torch.as_tensor(y)).item(), "torch"),
    right(lambda Z, y: -sum(log_softmax(Z)[i, c] for i, c in enumerate(y)) / len(y), "a loop"),
])
def test_sparse_cross_entropy_right(answer, capsys):
    assert_right(ex.check_sparse_cross_entropy, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda Z, y: -np.mean(log_softmax(Z)[:, y]), "fail", "Z[:, y] picks whole columns", "columns"),
    wrong(lambda Z, y: -np.sum(log_softmax(Z)[np.arange(len(y)), y]), "fail", "m times too big", "sum"),
    wrong(lambda Z, y: -sparse_ce(Z, y), "fail", "the sign is flipped", "sign"),
    wrong(lambda Z, y: -np.mean(Z[np.arange(len(y)), y]), "fail", "you used the raw logits", "raw logits"),
    wrong(lambda Z, y: -np.mean((Z - Z.max(1, keepdims=True))[np.arange(len(y)), y]), "fail",
          "stopped there", "shifted logits, no log-sum-exp"),
    wrong(lambda Z, y: -np.mean(log_softmax(Z)), "fail", "every class", "all classes"),
    wrong(lambda Z, y: -np.mean(log_softmax(Z)[np.arange(len(y)), Z.argmax(1)]), "fail", "the predicted class", "argmax"),
    wrong(lambda Z, y: -np.mean(np.log(np.exp(Z) / np.exp(Z).sum(1, keepdims=True))[np.arange(len(y)), y]), "fail",
          "Stay in log space", "naive softmax"),
    wrong(lambda Z, y: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(sparse_ce), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(lambda Z, y: -log_softmax(Z)[np.arange(len(y)), y], "fail", "expected one number", "no mean"),
])
def test_sparse_cross_entropy_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_sparse_cross_entropy, answer, status, phrase, capsys)
