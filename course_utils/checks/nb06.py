"""Exercise checkers for notebook 06, "From NumPy to PyTorch".

Use: ``from course_utils.checks import nb06 as ex`` then ``ex.check_to_tensor(to_tensor)``.
Each prints one line (⏳ not implemented yet / ❌ what is wrong / ✅) and, with
``strict=True``, raises ``AssertionError`` unless the answer is right. torch is imported
only inside the checkers.
"""

from __future__ import annotations

import copy

import numpy as np

from .core import Verdict, call_learner, compare, report



# --------------------------------------------------------------------------- to_tensor


def check_to_tensor(to_tensor, strict: bool = False) -> Verdict:
    """``to_tensor(x: np.ndarray, dtype: torch.dtype) -> torch.Tensor`` of that dtype, same values and shape."""
    import torch

    name = "to_tensor"
    rng = np.random.default_rng(0)
    cases = [
        (rng.random((4, 784)), torch.float32, "float64 images -> float32"),
        (rng.integers(0, 10, 6), torch.int64, "integer labels -> int64"),
        (rng.normal(size=(3, 5)).astype(np.float32), torch.float64, "float32 -> float64"),
        (rng.integers(0, 256, (2, 28, 28)).astype(np.uint8), torch.float32, "uint8 pixels -> float32"),
    ]
    for x, dtype, what in cases:
        got, v = call_learner(name, to_tensor, x.copy(), dtype)
        if v is not None:
            return report(v, strict)
        if not isinstance(got, torch.Tensor):
            return report(Verdict(name, "fail", f"returned {type(got).__name__}, expected a torch.Tensor ({what}); try torch.as_tensor(x, dtype=dtype)."), strict)
        if got.dtype != dtype:
            hint = " (torch.from_numpy keeps NumPy's dtype: add dtype=... or .to(dtype))" if got.dtype == torch.from_numpy(x).dtype else ""
            return report(Verdict(name, "fail", f"dtype is {got.dtype}, expected {dtype} ({what}){hint}."), strict)
        problem = compare(got.detach().cpu().double().numpy(), x.astype(np.float64), rtol=1e-6, atol=1e-7)
        if problem:
            return report(Verdict(name, "fail", f"{problem} ({what})"), strict)
    return report(Verdict(name, "pass", "right dtype, shape and values for images, labels and pixels."), strict)


# --------------------------------------------------------------------------- linear_forward


def check_linear_forward(linear_forward, strict: bool = False) -> Verdict:
    """``linear_forward(X (N, in), weight (out, in), bias (out,)) -> (N, out)``: what ``nn.Linear`` computes."""
    import torch

    name = "linear_forward"
    gen = torch.Generator().manual_seed(0)
    for trial, (n, fan_in, fan_out) in enumerate([(5, 4, 3), (8, 6, 6), (1, 7, 2)], start=1):
        X = torch.randn(n, fan_in, generator=gen, dtype=torch.float64)
        weight = torch.randn(fan_out, fan_in, generator=gen, dtype=torch.float64)
        bias = torch.randn(fan_out, generator=gen, dtype=torch.float64)
        expected = torch.nn.functional.linear(X, weight, bias)
        got, v = call_learner(name, linear_forward, X.clone(), weight.clone(), bias.clone())
        if v is not None:
            if fan_in != fan_out and "RuntimeError" in v.message and "mat" in v.message:
                v.message += " nn.Linear stores weight as (out, in): multiply by weight.T."
            return report(v, strict)
        if not isinstance(got, torch.Tensor):
            return report(Verdict(name, "fail", f"returned {type(got).__name__}, expected a torch.Tensor (stay in torch so autograd can follow)."), strict)
        where = f"(X {tuple(X.shape)}, weight {tuple(weight.shape)}; trial {trial})"
        g = got.detach().double()
        if g.shape == expected.shape and fan_in == fan_out and torch.allclose(g, X @ weight + bias):
            return report(Verdict(name, "fail", f"you multiplied by weight, not weight.T: nn.Linear stores weight as (out, in) {where}."), strict)
        if g.shape == expected.shape and torch.allclose(g, X @ weight.T):
            return report(Verdict(name, "fail", f"the bias is missing: add bias {where}."), strict)
        problem = compare(g.numpy(), expected.numpy(), rtol=1e-10, atol=1e-12)
        if problem:
            return report(Verdict(name, "fail", f"{problem} {where}"), strict)
    return report(Verdict(name, "pass", "matches torch.nn.functional.linear on 3 shapes, square weights included."), strict)


# --------------------------------------------------------------------------- train_step


def _small_problem():
    import torch

    gen = torch.Generator().manual_seed(0)
    torch_state = torch.random.get_rng_state()
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(4, 5), torch.nn.ReLU(), torch.nn.Linear(5, 3)).double()
    torch.random.set_rng_state(torch_state)  # leave the learner's random stream as it was
    X = torch.randn(8, 4, generator=gen, dtype=torch.float64)
    y = torch.randint(0, 3, (8,), generator=gen)
    return model, X, y


def _stale_grads(model):
    """Pretend an earlier step left gradients behind, as it does in a real loop."""
    import torch

    for p in model.parameters():
        p.grad = torch.full_like(p, 0.5)


def _params(model):
    return [p.detach().clone() for p in model.parameters()]


def _reference_step(model, X, y, optimizer, loss_fn, zero_grad=True):
    if zero_grad:
        optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def check_train_step(train_step, strict: bool = False) -> Verdict:
    """``train_step(model, X, y, optimizer, loss_fn) -> float``: one step of gradient descent in
    the right order: zero_grad, forward, loss, backward, step; returns the loss as a number."""
    import torch

    name = "train_step"
    model, X, y = _small_problem()
    ref_model, no_zero = copy.deepcopy(model), copy.deepcopy(model)
    loss_fn = torch.nn.CrossEntropyLoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ref_opt = torch.optim.SGD(ref_model.parameters(), lr=0.1)
    no_zero_opt = torch.optim.SGD(no_zero.parameters(), lr=0.1)
    before = _params(model)
    for m in (model, ref_model, no_zero):
        _stale_grads(m)
    got, v = call_learner(name, train_step, model, X, y, opt, loss_fn)
    if v is not None:
        return report(v, strict)
    ref_loss = _reference_step(ref_model, X, y, ref_opt, loss_fn)
    _reference_step(no_zero, X, y, no_zero_opt, loss_fn, zero_grad=False)
    after, want, stale = _params(model), _params(ref_model), _params(no_zero)
    close = lambda a, b: all(torch.allclose(p, q, rtol=1e-10, atol=1e-12) for p, q in zip(a, b))  # noqa: E731
    if close(after, before):
        return report(Verdict(name, "fail", "the parameters did not change: call optimizer.step() after loss.backward(), and optimizer.zero_grad() before backward, not between backward and step."), strict)
    if close(after, stale):
        return report(Verdict(name, "fail", "the gradients left by the previous step were added to the new ones: call optimizer.zero_grad() before loss.backward()."), strict)
    if not close(after, want):
        return report(Verdict(name, "fail", "the parameters moved, but not by one SGD step on this batch: the order is zero_grad, forward, loss, backward, step, once each."), strict)
    if isinstance(got, torch.Tensor):
        return report(Verdict(name, "fail", "returned a tensor: return loss.item(), a plain Python number (a tensor keeps the whole graph alive)."), strict)
    if not isinstance(got, (float, int, np.floating)):
        return report(Verdict(name, "fail", f"returned {type(got).__name__}: return loss.item(), the loss as a number."), strict)
    if not np.isclose(float(got), ref_loss, rtol=1e-8):
        return report(Verdict(name, "fail", f"returned {float(got):.6g}, but the loss of this batch before the step is {ref_loss:.6g}: return loss.item() of the loss you called backward on."), strict)
    return report(Verdict(name, "pass", "zero_grad, forward, loss, backward, step in the right order; the loss returned as a number."), strict)
