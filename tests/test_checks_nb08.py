"""Notebook 08's checkers accept right answers and name each kind of wrong one."""

import math

import pytest
import torch
import torch.nn.functional as F

from course_utils.checks import nb08 as ex


def fails_with(check, fn, message, capsys):
    with pytest.raises(AssertionError, match=message):
        check(fn, strict=True)
    assert "❌" in capsys.readouterr().out


def is_todo(check, fn, capsys):
    verdict = check(fn)
    assert verdict.status == "todo" and "not implemented yet" in capsys.readouterr().out


# --------------------------------------------------------------------------- conv2d_params


def test_conv2d_params_accepts_the_formula():
    assert ex.check_conv2d_params(lambda c, o, k: k * k * c * o + o, strict=True)


def test_conv2d_params_accepts_counting_a_real_layer():
    def count(c, o, k):
        return sum(p.numel() for p in torch.nn.Conv2d(c, o, k).parameters())

    assert ex.check_conv2d_params(count, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda c, o, k: k * k * c * o, "biases are missing"),
    (lambda c, o, k: k * k * o + o, "input channels are missing"),
    (lambda c, o, k: k * k * c * o + c * o, "one bias per output channel"),
    (lambda c, o, k: k * c * o + o, "k \\* k"),
    (lambda c, o, k: k * k * c * o + c, "should be out_channels"),
    (lambda c, o, k: c + o, "wrong value"),
    (lambda c, o, k: float("nan"), "not a finite number"),
    (lambda c, o, k: [c, o], "expected one number"),
    (lambda c, o, k: c / 0, "ZeroDivisionError"),
])
def test_conv2d_params_names_the_mistake(wrong, message, capsys):
    fails_with(ex.check_conv2d_params, wrong, message, capsys)


def test_conv2d_params_placeholder(capsys):
    is_todo(ex.check_conv2d_params, lambda c, o, k: None, capsys)


# --------------------------------------------------------------------------- flat_features


def good_flat(n):
    s = ((n - 2) // 2 - 2) // 2
    return 64 * s * s


def test_flat_features_accepts_the_chain():
    assert good_flat(28) == 1600
    assert ex.check_flat_features(good_flat, strict=True)


def test_flat_features_accepts_running_the_real_layers():
    def by_running(n):
        layers = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3), torch.nn.MaxPool2d(2),
                                     torch.nn.Conv2d(32, 64, 3), torch.nn.MaxPool2d(2), torch.nn.Flatten())
        return layers(torch.zeros(1, 1, n, n)).shape[1]

    assert ex.check_flat_features(by_running, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda n: (((n - 2) // 2 - 2) // 2) ** 2, "64 channels are missing"),
    (lambda n: 64 * (n // 4) ** 2, "'same' padding"),
    (lambda n: 64 * (((n - 3) // 2 - 3) // 2) ** 2, "n - 2"),
    (lambda n: 64 * math.ceil((math.ceil((n - 2) / 2) - 2) / 2) ** 2, "round down"),
    (lambda n: 32 * (((n - 2) // 2 - 2) // 2) ** 2, "64 filters"),
    (lambda n: 64 * ((n - 2) // 2 - 2) ** 2, "second max-pool is missing"),
    (lambda n: 1600, "wrong value"),
    (lambda n: torch.zeros(3), "expected one number"),
])
def test_flat_features_names_the_mistake(wrong, message, capsys):
    fails_with(ex.check_flat_features, wrong, message, capsys)


def test_flat_features_placeholder(capsys):
    is_todo(ex.check_flat_features, lambda n: None, capsys)


# --------------------------------------------------------------------------- accuracy


def test_accuracy_accepts_right_answers():
    assert ex.check_accuracy(lambda logits, y: (logits.argmax(1) == y).float().mean().item(), strict=True)
    assert ex.check_accuracy(lambda logits, y: (logits.argmax(dim=1) == y).float().mean(), strict=True)  # a 0-d tensor
    assert ex.check_accuracy(lambda logits, y: (logits.softmax(1).argmax(1) == y).sum().item() / len(y), strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda logits, y: 100 * (logits.argmax(1) == y).float().mean().item(), "percentage"),
    (lambda logits, y: (logits.argmax(1) == y).sum().item(), "count of right answers"),
    (lambda logits, y: (logits.argmax(0) == y).float().mean().item(), "dim 0"),
    (lambda logits, y: logits.softmax(1).gather(1, y[:, None]).mean().item(), "mean probability"),
    (lambda logits, y: (logits.argmax(1) == y).float(), "expected one number"),
    (lambda logits, y: (logits.argmin(1) == y).float().mean().item(), "wrong value"),
    (lambda logits, y: float("nan"), "not a finite number"),
    (lambda logits, y: "0.5", "expected one number"),
    (lambda logits, y: logits @ y, "RuntimeError"),
])
def test_accuracy_names_the_mistake(wrong, message, capsys):
    fails_with(ex.check_accuracy, wrong, message, capsys)


def test_accuracy_placeholder(capsys):
    is_todo(ex.check_accuracy, lambda logits, y: None, capsys)


# --------------------------------------------------------------------------- train_step


def good_step(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def no_zero_grad(model, X, y, optimizer):
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_before_backward(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    optimizer.step()
    loss.backward()
    return loss.item()


def zero_grad_between(model, X, y, optimizer):
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def mse_loss(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.mse_loss(model(X), F.one_hot(y, 10).float())
    loss.backward()
    optimizer.step()
    return loss.item()


def loss_after(model, X, y, optimizer):
    good_step(model, X, y, optimizer)
    with torch.no_grad():
        return F.cross_entropy(model(X), y).item()


def returns_tensor(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss


def forgets_return(model, X, y, optimizer):
    good_step(model, X, y, optimizer)


def test_train_step_accepts_the_right_order():
    assert ex.check_train_step(good_step, strict=True)
    assert ex.check_train_step(lambda *a: torch.tensor(good_step(*a)), strict=True)  # a detached 0-d tensor is fine


@pytest.mark.parametrize("wrong, message", [
    (no_zero_grad, "zero_grad\\(\\) at the start"),
    (step_before_backward, "did not change"),
    (zero_grad_between, "did not change"),
    (mse_loss, "differ from one step of SGD"),
    (loss_after, "loss before the update"),
    (returns_tensor, "holds the graph"),
    (forgets_return, "return the loss as a float"),
    (lambda model, X, y, optimizer: model(X).sum().item() / 0, "ZeroDivisionError"),
])
def test_train_step_names_the_mistake(wrong, message, capsys):
    fails_with(ex.check_train_step, wrong, message, capsys)


def test_train_step_placeholder(capsys):
    is_todo(ex.check_train_step, lambda model, X, y, optimizer: None, capsys)
