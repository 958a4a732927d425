"""Notebook 08's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb08 as ex


@pytest.mark.parametrize("answer", [
    right(lambda c, o, k: o * (c * k * k + 1), "per filter"), right(lambda c, o, k: k * k * c * o + o, "weights + biases"),
    right(lambda c, o, k: sum(p.numel() for p in nn.Conv2d(c, o, k).parameters()), "count nn.Conv2d's parameters"),
])
def test_conv2d_params_right(answer, capsys):
    assert_right(ex.check_conv2d_params, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda c, o, k: k * k * c * o, "fail", "the biases are missing", "no biases"),
    wrong(lambda c, o, k: k * k * o + o, "fail", "the input channels are missing", "no in_channels"),
    wrong(lambda c, o, k: k * c * o + o, "fail", "k, not k x k", "k once"),
    wrong(lambda c, o, k: k * k * c * o + c, "fail", "the bias count is in_channels", "bias per input"),
    wrong(lambda c, o, k: (k * k + 1) * c * o, "fail", "one bias per (input, output) pair", "bias per pair"),
    wrong(lambda c, o, k: 320, "fail", "got 320, expected 18,496", "the example written in"),
    wrong(lambda c, o, k: str(o * (c * k * k + 1)), "fail", "which is text", "a string"),
    wrong(lambda c, o, k: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda c, o, k: o * (c * k * k + 1)), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_conv2d_params_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_conv2d_params, answer, status, phrase, capsys)


def flat(n):
    s = (n - 2) // 2
    s = (s - 2) // 2
    return 64 * s * s


def flat_torch(n):
    body = nn.Sequential(nn.Conv2d(1, 32, 3), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.MaxPool2d(2), nn.Flatten())
    with torch.no_grad():
        return body(torch.zeros(1, 1, n, n)).shape[1]


@pytest.mark.parametrize("answer", [
    right(flat, "step by step"), right(flat_torch, "run the layers"), right(lambda n: 64 * (((n - 2) // 2 - 2) // 2) ** 2, "one line"),
])
def test_flat_features_right(answer, capsys):
    assert_right(ex.check_flat_features, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda n: (((n - 2) // 2 - 2) // 2) ** 2, "fail", "the 64 channels are missing", "no channels"),
    wrong(lambda n: 64 * (n // 4) ** 2, "fail", "that is 'same' padding", "same padding"),
    wrong(lambda n: 64 * (((n - 2) / 2 - 2) / 2) ** 2, "fail", "/ keeps the half pixel", "true division"),
    wrong(lambda n: 64 * math.ceil((math.ceil((n - 2) / 2) - 2) / 2) ** 2, "fail", "rounded up after pooling", "ceil"),
    wrong(lambda n: 32 * (((n - 2) // 2 - 2) // 2) ** 2, "fail", "32 channels", "32 channels"),
    wrong(lambda n: 64 * ((n - 2) // 2 - 2) ** 2, "fail", "the second max-pool is missing", "one pool"),
    wrong(lambda n: 64 * (((n - 2) // 2 - 2) // 2), "fail", "only one side of the map", "s not squared"),
    wrong(lambda n: 64 * ((n - 2) // 2) ** 2, "fail", "stopped after the first conv and pool", "one conv-pool"),
    wrong(lambda n: 64 * round((round((n - 2) / 2) - 2) / 2) ** 2, "fail", "round() goes to the nearest", "round"),
    wrong(lambda n: 1600, "fail", "got 1,600, expected 2,304", "1600 written in"),
    wrong(lambda n: float(flat(n)), "fail", "the right value, but as a float", "a float"),
    wrong(lambda n: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(flat), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_flat_features_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_flat_features, answer, status, phrase, capsys)


def accuracy(logits, y):
    return (logits.argmax(dim=1) == y).float().mean().item()


@pytest.mark.parametrize("answer", [
    right(accuracy, ".float().mean().item()"), right(lambda lg, y: (lg.argmax(1) == y).sum().item() / len(y), "sum / N"),
    right(lambda lg, y: (lg.argmax(1) == y).float().mean(), "a 0-d tensor"),
    right(lambda lg, y: float((lg.softmax(1).argmax(1) == y).double().mean()), "softmax first"),
])
def test_accuracy_right(answer, capsys):
    assert_right(ex.check_accuracy, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda lg, y: 100 * accuracy(lg, y), "fail", "that is a percentage", "percent"),
    wrong(lambda lg, y: (lg.argmax(1) == y).sum().item(), "fail", "that is the count of right answers", "count"),
    wrong(lambda lg, y: (lg.argmax(0) == y).float().mean().item(), "fail", "argmax over dim 0", "dim 0"),
    wrong(lambda lg, y: (lg.argmax(1) == y).mean(), "fail", "turn the booleans into floats first", "mean of bools"),
    wrong(lambda lg, y: (lg.argmax(1) == y).sum() // len(y), "fail", "whole numbers", "integer division"),
    wrong(lambda lg, y: lg.softmax(1).gather(1, y[:, None]).mean().item(), "fail", "the mean probability of the true class", "probabilities"),
    wrong(lambda lg, y: (lg.argmax(1) == y).float(), "fail", "did you forget to average", "no mean"),
    wrong(lambda lg, y: (lg.argmin(1) == y).float().mean().item(), "fail", "argmin picks the smallest logit", "argmin"),
    wrong(lambda lg, y: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(accuracy), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_accuracy_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_accuracy, answer, status, phrase, capsys)


def step(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_nn_loss(model, X, y, optimizer):
    loss = nn.CrossEntropyLoss()(model(X), y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return float(loss.detach())


def step_no_zero(model, X, y, optimizer):
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_mse(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.mse_loss(model(X), F.one_hot(y, 10).float())
    loss.backward()
    optimizer.step()
    return loss.item()


def step_tensor(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss


def step_step_first(model, X, y, optimizer):
    optimizer.zero_grad()
    optimizer.step()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    return loss.item()


def step_softmax_then_ce(model, X, y, optimizer):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X).softmax(1), y)
    loss.backward()
    optimizer.step()
    return loss.item()


@pytest.mark.parametrize("answer", [right(step, "F.cross_entropy"), right(step_nn_loss, "nn.CrossEntropyLoss, zero_grad after the loss")])
def test_train_step_right(answer, capsys):
    assert_right(ex.check_train_step, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(step_no_zero, "fail", "the old gradients were added", "no zero_grad"),
    wrong(step_mse, "fail", "differ from one SGD step", "MSE loss"),
    wrong(step_tensor, "fail", "returned a tensor", "a tensor"),
    wrong(step_step_first, "fail", "the weights did not change", "step before backward"),
    wrong(step_softmax_then_ce, "fail", "differ from one SGD step", "softmax before cross_entropy"),
    wrong(lambda *a: None, "todo", "not implemented yet", "the stub"),
    wrong(loops_for_ever, "fail", "ran more than 1.5 s", "endless loop"),
])
def test_train_step_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_train_step, answer, status, phrase, capsys)
