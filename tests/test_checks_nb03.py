"""The notebook-03 checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

from course_utils.checks import nb03 as ex
from course_utils.checks.nb03 import _adam


def central(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


def gd(W, grad, lr):
    return W - lr * grad


def momentum(W, grad, v, lr, beta):
    v = beta * v + grad
    return W - lr * v, v


def adam(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return W - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


@pytest.mark.parametrize("checker, right", [
    (ex.check_derivative, central), (ex.check_gd_step, gd),
    (ex.check_momentum_step, momentum), (ex.check_adam_step, adam),
])
def test_accepts_right_answer_and_says_todo_for_placeholder(checker, right, capsys):
    assert checker(right, strict=True)
    assert "✅" in capsys.readouterr().out
    verdict = checker(lambda *a, **k: None)
    assert verdict.status == "todo" and "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda f, x, h=1e-5: (f(x + h) - f(x)) / h, "forward difference"),
    (lambda f, x, h=1e-5: (f(x) - f(x - h)) / h, "backward difference"),
    (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h, "divide by 2h"),
    (lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h), "sign is flipped"),
    (lambda f, x, h=1e-5: np.array([1.0, 2.0]), "expected one number"),
    (lambda f, x, h=1e-5: float("nan"), "NaN"),
    (lambda f, x, h=1e-5: x / 0, "ZeroDivisionError"),
])
def test_derivative_mistakes(wrong, message):
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match=message):
        ex.check_derivative(wrong, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda W, g, lr: W + lr * g, "uphill"),
    (lambda W, g, lr: -lr * g, "only the step"),
    (lambda W, g, lr: W - g, "learning rate is missing"),
    (lambda W, g, lr: (W - lr * g).T, "transposed|expected shape"),
    (lambda W, g, lr: W - lr * g @ np.ones((g.shape[-1], g.shape[-1])), "wrong values|shape"),
    (lambda W, g, lr: W - lr * np.log(-np.abs(g)), "NaN"),
])
def test_gd_step_mistakes(wrong, message):
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match=message):
        ex.check_gd_step(wrong, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda W, g, v, lr, b: (W - lr * v, b * v + g), "old velocity"),
    (lambda W, g, v, lr, b: (W - lr * g, b * v + g), "plain gradient"),
    (lambda W, g, v, lr, b: (W - lr * (v + g), v + g), "β is missing"),
    (lambda W, g, v, lr, b: (W + lr * (b * v + g), b * v + g), "uphill"),
    (lambda W, g, v, lr, b: W - lr * (b * v + g), "return 2 values"),
    (lambda W, g, v, lr, b: (W - lr * (b * v + g), b * v - g), "v_new: wrong values"),
])
def test_momentum_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_momentum_step(wrong, strict=True)


@pytest.mark.parametrize("options, message", [
    (dict(correct_m=False, correct_v=False), "no bias correction"),
    (dict(correct_v=False), "v is not"),
    (dict(correct_m=False), "m is not"),
    (dict(root=False), "square root is missing"),
    (dict(square=False), "squared gradient"),
])
def test_adam_mistakes(options, message):
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match=message):
        ex.check_adam_step(lambda *a: _adam(*a, **options), strict=True)


def test_adam_uphill_and_exception():
    def uphill(*a):
        W_new, m, v = adam(*a)
        return 2 * a[0] - W_new, m, v

    with pytest.raises(AssertionError, match="uphill"):
        ex.check_adam_step(uphill, strict=True)
    with pytest.raises(AssertionError, match="raised KeyError"):
        ex.check_adam_step(lambda *a: {}["m"], strict=True)
