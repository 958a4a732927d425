"""Notebook 03's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest
import torch

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb03 as ex


def central(f, x, h=1e-5):
    return (f(x + h) - f(x - h)) / (2 * h)


@pytest.mark.parametrize("answer", [
    right(central, "the formula"), right(lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 / h, "/ 2 / h"),
    right(lambda f, x, h=1e-5: 0.5 * ((f(x + h) - f(x)) / h + (f(x) - f(x - h)) / h), "mean of forward and backward"),
    right(lambda f, x, h=1e-5: float(np.diff([f(x - h), f(x + h)])[0] / (2 * h)), "np.diff"),
])
def test_derivative_right(answer, capsys):
    assert_right(ex.check_derivative, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda f, x, h=1e-5: (f(x + h) - f(x)) / h, "fail", "this is the forward difference", "forward"),
    wrong(lambda f, x, h=1e-5: (f(x) - f(x - h)) / h, "fail", "backward difference", "backward"),
    wrong(lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h, "fail", "divide by 2h, not h", "over h"),
    wrong(lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h, "fail", "/ 2 * h means", "precedence"),
    wrong(lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h), "fail", "the sign is flipped", "sign"),
    wrong(lambda f, x, h=1e-5: (f(x + 1e-5) - f(x - 1e-5)) / 2e-5, "fail", "the h argument is ignored", "h written in"),
    wrong(lambda f, x, h=1e-5: central(lambda v: np.float32(f(np.float32(v))), x, h), "fail", "computed in float32", "float32"),
    wrong(lambda f, x, h=1e-5: [central(f, x, h)], "fail", "expected one number", "a list"),
    wrong(lambda f, x, h=1e-5: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(central), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(central), "fail", "got ", "right for the first input only"),
])
def test_derivative_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_derivative, answer, status, phrase, capsys)


def gd_copy_then_update(W, grad, lr):
    W = np.array(W, dtype=float)  # a copy: the caller's W is left alone
    W -= lr * grad
    return W


def gd_in_place(W, grad, lr):
    W -= lr * grad
    return W


def gd_in_place_no_return(W, grad, lr):
    W -= lr * grad


@pytest.mark.parametrize("answer", [
    right(lambda W, g, lr: W - lr * g, "W - lr * grad"), right(lambda W, g, lr: np.subtract(W, lr * g), "np.subtract"),
    right(lambda W, g, lr: W + (-lr) * g, "plus minus"), right(gd_copy_then_update, "a copy, then -="),
])
def test_gd_step_right(answer, capsys):
    assert_right(ex.check_gd_step, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda W, g, lr: W + lr * g, "fail", "W moved uphill", "uphill"),
    wrong(lambda W, g, lr: -lr * g, "fail", "this is only the step", "the step only"),
    wrong(lambda W, g, lr: W - g, "fail", "the learning rate is missing", "no lr"),
    wrong(lambda W, g, lr: W - g / lr, "fail", "divided by lr", "divided"),
    wrong(gd_in_place, "fail", "the docstring promises a new array", "in place"),
    wrong(gd_in_place_no_return, "fail", "changed `W` in place and returned None", "in place, no return"),
    wrong(lambda W, g, lr: (W - lr * g).T, "fail", "transposed", "transposed"),
    wrong(lambda W, g, lr: np.asarray(W) - lr * np.asarray(g).ravel(), "fail", "expected shape (2, 4), got (2, 8)", "ravel"),
    wrong(lambda W, g, lr: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda W, g, lr: W - lr * g), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_gd_step_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_gd_step, answer, status, phrase, capsys)


def momentum(W, grad, v, lr, beta=0.9):
    v_new = beta * v + grad
    return W - lr * v_new, v_new


def momentum_in_place(W, grad, v, lr, beta=0.9):
    v *= beta
    v += grad
    return W - lr * v, v


@pytest.mark.parametrize("answer", [
    right(momentum, "v first"), right(lambda W, g, v, lr, beta=0.9: [W - lr * (beta * v + g), beta * v + g], "a list"),
    right(lambda W, g, v, lr, beta=0.9: tuple(reversed((beta * v + g, W - lr * (beta * v + g)))), "built backwards"),
])
def test_momentum_step_right(answer, capsys):
    assert_right(ex.check_momentum_step, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda W, g, v, lr, beta=0.9: (W - lr * v, beta * v + g), "fail", "W_new used the old velocity", "old v"),
    wrong(lambda W, g, v, lr, beta=0.9: (W - lr * g, beta * v + g), "fail", "moved by the plain gradient", "plain gradient"),
    wrong(lambda W, g, v, lr, beta=0.9: (W - lr * (v + g), v + g), "fail", "β is missing", "no beta"),
    wrong(lambda W, g, v, lr, beta=0.9: momentum(W, g, v, lr, beta)[::-1], "fail", "W_new and v_new are swapped", "swapped"),
    wrong(lambda W, g, v, lr, beta=0.9: momentum(W, g, v, lr, 0.9), "fail", "the beta argument is ignored", "beta written in"),
    wrong(lambda W, g, v, lr, beta=0.9: (W - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g), "fail",
          "the averaged form", "EMA form"),
    wrong(momentum_in_place, "fail", "changed its input `v` in place", "v in place"),
    wrong(lambda W, g, v, lr, beta=0.9: (momentum(W, g, v, lr, beta)[0], None), "todo", "v_new is not written yet", "half-written"),
    wrong(lambda W, g, v, lr, beta=0.9: momentum(W, g, v, lr, beta)[0], "fail", "return 2 values, (W_new, v_new); got one", "one value"),
    wrong(lambda W, g, v, lr, beta=0.9: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(momentum), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_momentum_step_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_momentum_step, answer, status, phrase, capsys)


def adam(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * m + (1 - beta1) * grad
    v = beta2 * v + (1 - beta2) * grad**2
    m_hat, v_hat = m / (1 - beta1**t), v / (1 - beta2**t)
    return W - lr * m_hat / (np.sqrt(v_hat) + eps), m, v


def adam_constants(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return adam(W, grad, m, v, t, lr)


def adam_in_place(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    m *= beta1
    m += (1 - beta1) * grad
    v[:] = beta2 * v + (1 - beta2) * grad**2
    return W - lr * (m / (1 - beta1**t)) / (np.sqrt(v / (1 - beta2**t)) + eps), m, v


def adam_torch(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    p = torch.nn.Parameter(torch.tensor(W))
    opt = torch.optim.Adam([p], lr=lr, betas=(beta1, beta2), eps=eps)
    opt.state[p] = {"step": torch.tensor(float(t - 1)), "exp_avg": torch.tensor(m), "exp_avg_sq": torch.tensor(v)}
    p.grad = torch.tensor(grad)
    opt.step()
    return p.detach().numpy(), opt.state[p]["exp_avg"].numpy(), opt.state[p]["exp_avg_sq"].numpy()


@pytest.mark.parametrize("answer", [
    right(adam, "the notebook's order"), right(adam_torch, "torch.optim.Adam itself"),
    right(lambda W, g, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8: (
        W - lr * ((beta1 * m + (1 - beta1) * g) / (1 - beta1**t)) / (np.sqrt((beta2 * v + (1 - beta2) * g * g) / (1 - beta2**t)) + eps),
        beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g), "one expression"),
])
def test_adam_step_right(answer, capsys):
    assert_right(ex.check_adam_step, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda W, g, m, v, t, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8: (
        W - lr * (b1 * m + (1 - b1) * g) / (np.sqrt(b2 * v + (1 - b2) * g**2) + eps), b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2),
        "fail", "no bias correction", "no bias correction"),
    wrong(lambda W, g, m, v, t, *a: adam(W, g, m, v, t - 1, *a) if t > 1 else adam(W, g, m, v, t, *a), "fail",
          "used t − 1", "t - 1"),
    wrong(lambda W, g, m, v, t, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8: (
        W - lr * ((b1 * m + (1 - b1) * g) / (1 - b1**t)) / ((b2 * v + (1 - b2) * g**2) / (1 - b2**t) + eps),
        b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2), "fail", "the square root is missing", "no sqrt"),
    wrong(adam_constants, "fail", "beta1, beta2 or eps is ignored", "constants written in"),
    wrong(adam_in_place, "fail", "changed its input `m` in place, but the docstring promises a new array", "in place"),
    wrong(lambda *a: adam(*a)[:2], "fail", "return 3 values, (W_new, m_new, v_new); got 2", "two values"),
    wrong(lambda *a: (adam(*a)[0], adam(*a)[2], adam(*a)[1]), "fail", "m_new and v_new are swapped", "m and v swapped"),
    wrong(lambda *a: (adam(*a)[0], None, None), "todo", "m_new is not written yet", "half-written"),
    wrong(lambda *a: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(adam), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(adam), "fail", "expected shape (2, 4), got (3,)", "right for the first input only"),
])
def test_adam_step_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_adam_step, answer, status, phrase, capsys)
