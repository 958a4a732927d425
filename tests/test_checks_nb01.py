"""The notebook-01 checkers accept right answers and name each kind of wrong one."""

import warnings

import numpy as np
import pytest

from course_utils.checks import nb01 as ex


def sigmoid_stable(z):
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def softmax(Z):
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


RIGHT = [
    (ex.check_sigmoid, sigmoid_stable),
    (ex.check_relu_derivative, lambda z: (z > 0).astype(float)),
    (ex.check_dense_forward, lambda X, W, b: X @ W + b),
    (ex.check_softmax, softmax),
]


@pytest.mark.parametrize("checker, right", RIGHT, ids=lambda x: getattr(x, "__name__", ""))
def test_accepts_right_answer_and_says_todo_for_placeholder(checker, right, capsys):
    assert checker(right, strict=True)
    assert "✅" in capsys.readouterr().out
    verdict = checker(lambda *args: None)
    assert verdict.status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


def test_relu_derivative_accepts_booleans():
    assert ex.check_relu_derivative(lambda z: z > 0, strict=True)


def wrong(checker, fn, match):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the wrong answers overflow on purpose
        with pytest.raises(AssertionError, match=match):
            checker(fn, strict=True)


# --------------------------------------------------------------------------- sigmoid


def test_sigmoid_naive_form_that_overflows_is_named():
    wrong(ex.check_sigmoid, lambda z: 1 / (1 + np.exp(-z)), "overflow")


def test_sigmoid_where_with_unsafe_branches_is_named():
    # np.where computes both branches, so the exp(z) branch overflows for z = 1000
    wrong(ex.check_sigmoid, lambda z: np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z))),
          "both branches")


def test_sigmoid_nan_for_large_z_gets_the_stable_recipe():
    wrong(ex.check_sigmoid, lambda z: np.exp(z) / (1 + np.exp(z)), r"NaN or inf.*np\.exp\(-np\.abs\(z\)\)")


def test_sigmoid_flipped_exponent():
    wrong(ex.check_sigmoid, lambda z: sigmoid_stable(-z), r"sigmoid\(-z\)")


def test_sigmoid_step_instead():
    wrong(ex.check_sigmoid, lambda z: (z > 0).astype(float), "step function")


def test_sigmoid_wrong_shape():
    wrong(ex.check_sigmoid, lambda z: sigmoid_stable(z).ravel()[:1], "shape")


def test_sigmoid_exception_is_explained():
    wrong(ex.check_sigmoid, lambda z: z.no_such_thing, "raised AttributeError")


# --------------------------------------------------------------------------- relu derivative


@pytest.mark.parametrize("fn, match", [
    (lambda z: np.maximum(z, 0), r"relu\(z\) itself"),
    (lambda z: (z < 0).astype(float), "wrong way round"),
    (lambda z: np.ones_like(z), "1 everywhere"),
    (lambda z: np.sign(z), "np.sign"),
    (lambda z: np.zeros_like(z), "0 everywhere"),
    (lambda z: (z > 0).astype(float).ravel(), "shape"),
])
def test_relu_derivative_mistakes(fn, match):
    wrong(ex.check_relu_derivative, fn, match)


# --------------------------------------------------------------------------- dense layer


@pytest.mark.parametrize("fn, match", [
    (lambda X, W, b: X @ W, "forgot the bias"),
    (lambda X, W, b: X @ W - b, "subtracted"),
    (lambda X, W, b: np.maximum(X @ W + b, 0), "applied ReLU"),
    (lambda X, W, b: sigmoid_stable(X @ W + b), "applied sigmoid"),
    (lambda X, W, b: (X @ W + b).T, "transposed"),
    (lambda X, W, b: X * W + b, "raised ValueError.*shapes"),
    (lambda X, W, b: 2 * (X @ W + b), "factor of 2"),
])
def test_dense_forward_mistakes(fn, match):
    wrong(ex.check_dense_forward, fn, match)


# --------------------------------------------------------------------------- softmax


@pytest.mark.parametrize("fn, match", [
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True), "NaN or inf.*maximum"),
    (lambda Z: softmax(Z.T).T, "each column sums to 1"),
    (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), "whole array sums to 1"),
    (lambda Z: np.exp(Z), "forgot to divide"),
    (lambda Z: np.exp(Z) / np.exp(Z).sum(axis=1), "keepdims"),
    (lambda Z: softmax(Z)[:, :1], "shape"),
])
def test_softmax_mistakes(fn, match):
    wrong(ex.check_softmax, fn, match)


def test_failures_print_one_line_without_strict(capsys):
    verdict = ex.check_dense_forward(lambda X, W, b: X @ W)
    out = capsys.readouterr().out
    assert not verdict and out.startswith("❌ dense_forward:") and out.count("\n") == 1
