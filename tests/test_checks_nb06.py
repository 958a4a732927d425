"""The notebook-06 checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")

from course_utils.checks import nb06 as ex  # noqa: E402


def strict_fails(checker, fn, match):
    with pytest.raises(AssertionError, match=match):
        checker(fn, strict=True)


# --------------------------------------------------------------------------- to_tensor


def test_to_tensor_accepts_right_answers():
    assert ex.check_to_tensor(lambda x, dtype: torch.as_tensor(x, dtype=dtype), strict=True)
    assert ex.check_to_tensor(lambda x, dtype: torch.from_numpy(x).to(dtype), strict=True)


def test_to_tensor_placeholder(capsys):
    assert ex.check_to_tensor(lambda x, dtype: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "fn, match",
    [
        (lambda x, dtype: torch.from_numpy(x), "from_numpy keeps"),
        (lambda x, dtype: x.astype(np.float32), "expected a torch.Tensor"),
        (lambda x, dtype: torch.as_tensor(x.T.copy(), dtype=dtype), "shape"),
        (lambda x, dtype: torch.as_tensor(x / 255, dtype=dtype), "factor"),
        (lambda x, dtype: torch.as_tensor(x, dtype=torch.float32), "dtype is torch.float32, expected torch.int64"),
        (lambda x, dtype: torch.tensor(x, dtype=dtype, device="nowhere"), "RuntimeError"),
    ],
)
def test_to_tensor_rejects(fn, match):
    strict_fails(ex.check_to_tensor, fn, match)


# --------------------------------------------------------------------------- linear_forward


def test_linear_accepts_right_answers():
    assert ex.check_linear_forward(lambda X, W, b: X @ W.T + b, strict=True)
    assert ex.check_linear_forward(torch.nn.functional.linear, strict=True)


def test_linear_placeholder():
    assert ex.check_linear_forward(lambda X, W, b: None).status == "todo"


@pytest.mark.parametrize(
    "fn, match",
    [
        (lambda X, W, b: X @ W + b, r"stores weight as \(out, in\)"),
        (lambda X, W, b: X @ W.T, "bias is missing"),
        (lambda X, W, b: X @ W.T - b, "wrong values"),
        (lambda X, W, b: (X @ W.T + b).numpy(), "expected a torch.Tensor"),
        (lambda X, W, b: torch.relu(X @ W.T + b), "wrong values"),
    ],
)
def test_linear_rejects(fn, match):
    strict_fails(ex.check_linear_forward, fn, match)


def test_linear_square_weight_not_transposed():
    """With in == out, X @ W runs without error and must still be caught."""
    calls = []

    def fn(X, W, b):
        calls.append(W.shape)
        return X @ (W if W.shape[0] == W.shape[1] else W.T) + b

    strict_fails(ex.check_linear_forward, fn, "not weight.T")


# --------------------------------------------------------------------------- train_step


def right_step(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def no_zero_grad(model, X, y, optimizer, loss_fn):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def zero_after_backward(model, X, y, optimizer, loss_fn):
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.zero_grad()
    optimizer.step()
    return loss.item()


def step_before_backward(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    optimizer.step()
    loss.backward()
    return loss.item()


def no_step(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    return loss.item()


def two_steps(model, X, y, optimizer, loss_fn):
    right_step(model, X, y, optimizer, loss_fn)
    return right_step(model, X, y, optimizer, loss_fn)


def returns_tensor(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss


def returns_loss_after(model, X, y, optimizer, loss_fn):
    right_step(model, X, y, optimizer, loss_fn)
    return loss_fn(model(X), y).item()


def test_train_step_accepts_right_answer():
    assert ex.check_train_step(right_step, strict=True)


def test_train_step_placeholder(capsys):
    assert ex.check_train_step(lambda *a: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


def test_train_step_leaves_global_seed_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    ex.check_train_step(right_step)
    assert torch.equal(torch.rand(3), expected)


@pytest.mark.parametrize(
    "fn, match",
    [
        (no_zero_grad, "zero_grad\\(\\) before loss.backward"),
        (zero_after_backward, "did not change"),
        (step_before_backward, "did not change"),
        (no_step, "did not change"),
        (two_steps, "not by one SGD step"),
        (returns_tensor, "loss.item\\(\\)"),
        (returns_loss_after, "before the step"),
        (lambda model, X, y, opt, loss_fn: model(X.float()), "RuntimeError"),
    ],
)
def test_train_step_rejects(fn, match):
    strict_fails(ex.check_train_step, fn, match)
