"""The notebook-02 checkers accept right answers and name each kind of wrong one,
above all the missing 1/m of L = 1/m Σ ℓ."""

import warnings

import numpy as np
import pytest

from course_utils.checks import nb02 as ex


def log_softmax(Z):
    shifted = Z - Z.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def softmax_naive(Z):
    return np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)


def softmax_stable(Z):
    return np.exp(log_softmax(Z))


def bce(p, y):
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def sparse_ce(Z, y):
    return -np.mean(log_softmax(Z)[np.arange(len(y)), y])


RIGHT = [
    (ex.check_mse, lambda y_hat, y: np.mean((y_hat - y) ** 2)),
    (ex.check_binary_cross_entropy, bce),
    (ex.check_log_softmax, log_softmax),
    (ex.check_sparse_cross_entropy, sparse_ce),
]


@pytest.mark.parametrize("checker, right", RIGHT, ids=lambda x: getattr(x, "__name__", ""))
def test_accepts_right_answer_and_says_todo_for_placeholder(checker, right, capsys):
    assert checker(right, strict=True)
    assert "✅" in capsys.readouterr().out
    verdict = checker(lambda *args: None)
    assert verdict.status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


def test_accepts_other_right_forms():
    assert ex.check_mse(lambda y_hat, y: np.sum((y - y_hat) ** 2) / len(y), strict=True)
    assert ex.check_sparse_cross_entropy(
        lambda Z, y: np.mean(np.log(np.exp(Z - Z.max(1, keepdims=True)).sum(1))
                             - (Z - Z.max(1, keepdims=True))[np.arange(len(y)), y]), strict=True)


def wrong(checker, fn, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # some wrong answers overflow on purpose
        with pytest.raises(AssertionError, match=match):
            checker(fn, strict=True)


@pytest.mark.parametrize("fn, match", [
    (lambda y_hat, y: np.sum((y_hat - y) ** 2), r"m times too big.*1/m"),
    (lambda y_hat, y: 0.5 * np.mean((y_hat - y) ** 2), "½"),
    (lambda y_hat, y: np.mean(np.abs(y_hat - y)), "mean absolute error"),
    (lambda y_hat, y: np.sqrt(np.mean((y_hat - y) ** 2)), "RMSE"),
    (lambda y_hat, y: np.mean(y_hat - y) ** 2, "square each difference first"),
    (lambda y_hat, y: (y_hat - y) ** 2, "forget to average"),
    (lambda y_hat, y: np.sum((y_hat - y) ** 2) / (len(y) - 1), "m - 1"),
    (lambda y_hat, y: y_hat.mse(), "raised AttributeError"),
])
def test_mse_mistakes(fn, match):
    wrong(ex.check_mse, fn, match)


def test_a_sum_with_another_shape_is_still_called_the_factor_m():
    # not one of the listed mistakes, but off by exactly m: the generic factor-m feedback
    wrong(ex.check_mse, lambda y_hat, y: len(y) * np.mean((y_hat - y) ** 2) + 0.0, "m times too big|= m")


@pytest.mark.parametrize("fn, match", [
    (lambda p, y: -bce(p, y), "sign is flipped"),
    (lambda p, y: len(y) * bce(p, y), "m times too big"),
    (lambda p, y: -np.mean(y * np.log(p)), r"Add \(1 - y\)"),
    (lambda p, y: -np.mean((1 - y) * np.log(p) + y * np.log(1 - p)), "swapped"),
    (lambda p, y: -np.mean(y * np.log10(p) + (1 - y) * np.log10(1 - p)), "base 10"),
    (lambda p, y: -(y * np.log(p) + (1 - y) * np.log(1 - p)), "forget to average"),
])
def test_binary_cross_entropy_mistakes(fn, match):
    wrong(ex.check_binary_cross_entropy, fn, match)


@pytest.mark.parametrize("fn, match", [
    (lambda Z: np.log(softmax_naive(Z)), r"NaN or inf.*log space"),
    (lambda Z: np.log(softmax_stable(Z)), r"NaN or inf.*underflowed"),
    (lambda Z: log_softmax(Z.T).T, "each column"),
    (lambda Z: Z - np.log(np.exp(Z).sum(axis=1))[None, :], "keepdims"),
    (lambda Z: Z - Z.max(axis=1, keepdims=True), "subtracted the max"),
    (lambda Z: softmax_stable(Z), "softmax itself"),
    (lambda Z: log_softmax(Z)[:, 1:], "shape"),
])
def test_log_softmax_mistakes(fn, match):
    wrong(ex.check_log_softmax, fn, match)


@pytest.mark.parametrize("fn, match", [
    (lambda Z, y: -np.mean(log_softmax(Z)[:, y]), r"np\.arange\(m\), y"),
    (lambda Z, y: len(y) * sparse_ce(Z, y), "m times too big"),
    (lambda Z, y: -sparse_ce(Z, y), "sign is flipped"),
    (lambda Z, y: -np.mean(softmax_stable(Z)[np.arange(len(y)), y]), "averaged the probabilities"),
    (lambda Z, y: -np.mean(Z[np.arange(len(y)), y]), "raw logits"),
    (lambda Z, y: -np.mean(log_softmax(Z)), "every class"),
    (lambda Z, y: -np.mean(np.log(softmax_stable(Z))[np.arange(len(y)), y]), "NaN or inf"),
    (lambda Z, y: -log_softmax(Z)[np.arange(len(y)), y], "forget to average"),
])
def test_sparse_cross_entropy_mistakes(fn, match):
    wrong(ex.check_sparse_cross_entropy, fn, match)
