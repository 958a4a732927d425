"""Notebook 06's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb06 as ex


@pytest.mark.parametrize("answer", [
    right(lambda x, dtype: torch.as_tensor(x, dtype=dtype), "as_tensor"), right(lambda x, dtype: torch.tensor(x, dtype=dtype), "tensor"),
    right(lambda x, dtype: torch.from_numpy(x).to(dtype), "from_numpy, then to"),
    right(lambda x, dtype: torch.from_numpy(x).type(dtype), "type()"),
    right(lambda x, dtype: torch.tensor(x.tolist()).to(dtype), "via a list"),
])
def test_to_tensor_right(answer, capsys):
    assert_right(ex.check_to_tensor, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda x, dtype: torch.from_numpy(x), "fail", "torch.from_numpy keeps NumPy's dtype", "from_numpy only"),
    wrong(lambda x, dtype: torch.Tensor(x), "fail", "dtype is torch.float32, expected torch.int64", "torch.Tensor"),
    wrong(lambda x, dtype: torch.tensor(x, dtype=torch.float32), "fail", "expected torch.int64", "float32 written in"),
    wrong(lambda x, dtype: x.astype(np.float32), "fail", "expected a torch.Tensor", "numpy"),
    wrong(lambda x, dtype: torch.as_tensor(x, dtype=dtype).flatten(), "fail", "expected shape (4, 784), got (3136,)", "flattened"),
    wrong(lambda x, dtype: torch.as_tensor(x, dtype=dtype) / 255, "fail", "off by a constant factor of 1/255", "scaled"),
    wrong(lambda x, dtype: torch.as_tensor(x, dtype=dtype).T, "fail", "transposed", "transposed"),
    wrong(lambda x, dtype: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda x, dtype: torch.as_tensor(x, dtype=dtype)), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(lambda x, dtype: torch.as_tensor(x, dtype=dtype)), "fail", "dtype is torch.float32, expected torch.int64",
          "right for the first input only"),
])
def test_to_tensor_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_to_tensor, answer, status, phrase, capsys)


@pytest.mark.parametrize("answer", [
    right(lambda X, w, b: X @ w.T + b, "X @ weight.T + bias"), right(lambda X, w, b: F.linear(X, w, b), "F.linear"),
    right(lambda X, w, b: torch.addmm(b, X, w.t()), "addmm"), right(lambda X, w, b: torch.einsum("ni,oi->no", X, w) + b, "einsum"),
    right(lambda X, w, b: (X.float() @ w.float().T + b.float()), "float32"),
    right(lambda X, w, b: (w @ X.T).T + b, "w @ X.T, transposed back"),
])
def test_linear_forward_right(answer, capsys):
    assert_right(ex.check_linear_forward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda X, w, b: X @ w + b, "fail", "multiply by weight.T", "weight not transposed"),
    wrong(lambda X, w, b: X @ w.T, "fail", "the bias is missing", "no bias"),
    wrong(lambda X, w, b: X @ w.T - b, "fail", "the bias is subtracted", "minus bias"),
    wrong(lambda X, w, b: torch.relu(X @ w.T + b), "fail", "you applied ReLU", "relu"),
    wrong(lambda X, w, b: (X @ w.T + b).numpy(), "fail", "expected a torch.Tensor", "numpy"),
    wrong(lambda X, w, b: w @ X.T + b[:, None], "fail", "transposed", "the result transposed"),
    wrong(lambda X, w, b: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda X, w, b: X @ w.T + b), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_linear_forward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_linear_forward, answer, status, phrase, capsys)


def step(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_zero_at_end(model, X, y, optimizer, loss_fn):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    return float(loss)


def step_model_zero_grad(model, X, y, optimizer, loss_fn):
    model.zero_grad()
    out = model(X)
    loss = loss_fn(out, y)
    loss.backward()
    optimizer.step()
    return loss.detach().item()


def step_no_zero(model, X, y, optimizer, loss_fn):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_zero_between(model, X, y, optimizer, loss_fn):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def step_ignores_loss_fn(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def step_returns_tensor(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss


def step_loss_after(model, X, y, optimizer, loss_fn):
    step(model, X, y, optimizer, loss_fn)
    return loss_fn(model(X), y).item()


def step_no_backward(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    optimizer.step()
    return loss.item()


def step_item_not_called(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item


def step_twice(model, X, y, optimizer, loss_fn):
    step(model, X, y, optimizer, loss_fn)
    return step(model, X, y, optimizer, loss_fn)


@pytest.mark.parametrize("answer", [
    right(step, "the four lines"), right(step_zero_at_end, "zero_grad at the end"), right(step_model_zero_grad, "model.zero_grad"),
])
def test_train_step_right(answer, capsys):
    assert_right(ex.check_train_step, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(step_no_zero, "fail", "the old gradients were added to the new ones", "no zero_grad"),
    wrong(step_zero_between, "fail", "the weights did not change", "zero_grad between backward and step"),
    wrong(step_ignores_loss_fn, "fail", "the loss_fn argument was not used", "loss_fn ignored"),
    wrong(step_returns_tensor, "fail", "returned a tensor: return loss.item()", "a tensor"),
    wrong(step_loss_after, "fail", "is not the loss before the update", "loss after the step"),
    wrong(step_no_backward, "fail", "the weights did not change", "no backward"),
    wrong(step_item_not_called, "fail", "the function `item` itself", "item without ()"),
    wrong(step_twice, "fail", "differ from one SGD step", "two steps"),
    wrong(lambda *a: None, "todo", "not implemented yet", "the stub"),
    wrong(loops_for_ever, "fail", "ran more than 1.5 s", "endless loop"),
])
def test_train_step_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_train_step, answer, status, phrase, capsys)
