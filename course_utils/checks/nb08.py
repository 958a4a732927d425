"""Exercise checkers for notebook 08, the CNN in PyTorch.

Each checker knows the usual wrong answers and names them: a conv layer's bias forgotten,
the input channels left out of the count, ``'same'`` padding assumed, accuracy in percent,
``argmax`` over the batch, and a training step done in the wrong order.
"""

from __future__ import annotations

import copy
import math
import numbers

import numpy as np

from .core import Verdict, _explain_exception, report
from .formulas import check_formula

_PLACEHOLDERS = (None, Ellipsis, NotImplemented)

# --------------------------------------------------------------------------- exercise 1


def check_conv2d_params(conv2d_params, strict: bool = False) -> Verdict:
    """``conv2d_params(in_channels, out_channels, kernel_size)``: weights and biases of a
    ``Conv2d`` with a square kernel: ``k * k * in_channels * out_channels + out_channels``."""

    def make_args(rng):
        return rng.randint(1, 64), rng.randint(2, 128), rng.choice([1, 3, 5, 7])

    mistakes = [
        (lambda c, o, k: k * k * c * o, "the biases are missing: each output channel has one bias (+ out_channels)."),
        (lambda c, o, k: k * k * o + o,
         "the input channels are missing: each filter is k x k x in_channels, it looks at every input channel."),
        (lambda c, o, k: k * k * c * o + c * o,
         "one bias per (input, output) pair: there is one bias per output channel only."),
        (lambda c, o, k: k * c * o + o, "k, not k x k: the kernel is square, k * k weights per channel."),
        (lambda c, o, k: k * k * c * o + c, "the bias count is in_channels; it should be out_channels."),
    ]
    return check_formula(conv2d_params, lambda c, o, k: k * k * c * o + o, make_args,
                         name="conv2d_params", mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- exercise 2


def _flat(n):
    s = n - 2  # conv 3x3, no padding
    s = s // 2  # max-pool 2
    s = s - 2
    s = s // 2
    return 64 * s * s


def check_flat_features(flat_features, strict: bool = False) -> Verdict:
    """``flat_features(n)``: the length of the vector that Flatten hands to the first Dense
    layer when the source CNN sees ``n x n`` images (1600 for n = 28)."""

    def make_args(rng):
        return (rng.choice([28, 32, 20, 64, 29, 31, 48, 27]),)

    mistakes = [
        (lambda n: (((n - 2) // 2 - 2) // 2) ** 2, "the 64 channels are missing: Flatten keeps every channel's map."),
        (lambda n: 64 * (n // 4) ** 2,
         "that is 'same' padding; the source's Conv2D has no padding ('valid'), so each 3x3 conv shrinks n by 2."),
        (lambda n: 64 * (((n - 3) // 2 - 3) // 2) ** 2,
         "a 3x3 kernel fits n - 3 + 1 = n - 2 times, not n - 3."),
        (lambda n: 64 * math.ceil((math.ceil((n - 2) / 2) - 2) / 2) ** 2,
         "rounded up after pooling: MaxPooling2D drops a leftover odd row and column (round down)."),
        (lambda n: 32 * (((n - 2) // 2 - 2) // 2) ** 2, "32 channels: the second conv has 64 filters."),
        (lambda n: 64 * ((n - 2) // 2 - 2) ** 2, "the second max-pool is missing."),
        (lambda n: 64 * ((n - 4) // 2) ** 2, "one pool is missing: conv, pool, conv, pool, each pool halves the size."),
    ]
    return check_formula(flat_features, _flat, make_args, name="flat_features", mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- exercise 3


def _logits_and_labels(rng, n):
    import torch

    logits = torch.tensor(rng.normal(size=(n, 10)) * 3, dtype=torch.float32)
    y = torch.tensor(rng.integers(0, 10, n), dtype=torch.int64)
    y[: n // 2] = logits[: n // 2].argmax(1)  # about half right, so accuracy is far from 0 and 1
    return logits, y


def _as_float(value):
    if hasattr(value, "numel") and callable(value.numel) and value.numel() == 1:
        value = value.item()
    elif hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def check_accuracy(accuracy, strict: bool = False) -> Verdict:
    """``accuracy(logits, y)``: the fraction (0..1) of rows whose largest logit is at the true label.
    ``logits (N, 10)`` float tensor, ``y (N,)`` int64 tensor; returns a Python float."""
    name = "accuracy"
    rng = np.random.default_rng(0)
    for n in (10, 37, 64, 5):
        logits, y = _logits_and_labels(rng, n)
        right = (logits.argmax(1) == y).float().mean().item()
        try:
            got = accuracy(logits.clone(), y.clone())
        except NotImplementedError:
            return report(Verdict(name, "todo", "not implemented yet: replace the `raise NotImplementedError` in the cell above."), strict)
        except Exception as exc:
            return report(Verdict(name, "fail", _explain_exception(exc)), strict)
        if any(got is p for p in _PLACEHOLDERS):
            return report(Verdict(name, "todo", "not implemented yet: replace the placeholder in the cell above, then run it and this check again."), strict)
        if hasattr(got, "shape") and tuple(got.shape) not in ((), (1,)):
            hint = " (argmax over dim 0, the batch? the digit axis is dim 1)" if tuple(got.shape) == (10,) else ""
            return report(Verdict(name, "fail", f"returned shape {tuple(got.shape)}, expected one number{hint}."), strict)
        value = _as_float(got)
        where = f"(N = {n}, expected {right:.4f})"
        if value is None:
            return report(Verdict(name, "fail", f"returned {type(got).__name__}, expected one number {where}."), strict)
        if not math.isfinite(value):
            return report(Verdict(name, "fail", f"returned {value}, not a finite number {where}."), strict)
        if math.isclose(value, right, rel_tol=1e-6, abs_tol=1e-9):
            continue
        probs_pick = (logits.softmax(1).gather(1, y[:, None])).mean().item()
        if math.isclose(value, 100 * right, rel_tol=1e-6):
            msg = "that is a percentage: return the fraction between 0 and 1 (no * 100)."
        elif math.isclose(value, right * n, rel_tol=1e-6):
            msg = f"that is the count of right answers: divide by N = {n} (the mean, not the sum)."
        elif math.isclose(value, (logits.argmax(0)[: min(10, n)] == y[: min(10, n)]).float().mean().item(), rel_tol=1e-6) \
                and not math.isclose(value, right):
            msg = "argmax over dim 0 picks a row per class; each image's prediction is argmax over dim 1 (the 10 logits)."
        elif math.isclose(value, probs_pick, rel_tol=1e-5):
            msg = "that is the mean probability of the true class; accuracy counts argmax(logits) == y."
        else:
            msg = f"wrong value: got {value:.6g} {where}."
        return report(Verdict(name, "fail", msg), strict)
    return report(Verdict(name, "pass", "correct on 4 random batches (N = 10, 37, 64, 5)."), strict)


# --------------------------------------------------------------------------- exercise 4


def _tiny_problem(seed):
    import torch
    from torch import nn

    g = torch.Generator().manual_seed(seed)
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 4 * 4, 10))
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g) * 0.5)
    X = torch.rand(8, 1, 6, 6, generator=g)
    y = torch.randint(0, 10, (8,), generator=g)
    return model, X, y


def _reference_step(model, X, y, optimizer):
    import torch.nn.functional as F

    optimizer.zero_grad()
    loss = F.cross_entropy(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def check_train_step(train_step, strict: bool = False) -> Verdict:
    """``train_step(model, X, y, optimizer)``: one step of the five (forward, loss, backward,
    update, with the old gradients cleared first); returns the loss before the update as a float.

    Run twice in a row on a tiny model with SGD, against the reference, so that forgetting
    ``zero_grad`` (gradients add up) and calling things in the wrong order both show.
    """
    import torch

    name = "train_step"
    model, X, y = _tiny_problem(0)
    ref = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ref_opt = torch.optim.SGD(ref.parameters(), lr=0.1)
    start = [p.detach().clone() for p in model.parameters()]
    for call in (1, 2):
        expected = _reference_step(ref, X, y, ref_opt)
        try:
            got = train_step(model, X.clone(), y.clone(), opt)
        except NotImplementedError:
            return report(Verdict(name, "todo", "not implemented yet: replace the `raise NotImplementedError` in the cell above."), strict)
        except Exception as exc:
            msg = _explain_exception(exc)
            if "backward through the graph a second time" in str(exc):
                msg += " (run the forward pass inside train_step, so each call builds a new graph.)"
            return report(Verdict(name, "fail", msg), strict)
        if any(got is p for p in _PLACEHOLDERS) and call == 1 and all(
                torch.equal(a, b) for a, b in zip(start, model.parameters())):
            return report(Verdict(name, "todo", "not implemented yet: replace the placeholder in the cell above, then run it and this check again."), strict)
        params, ref_params = list(model.parameters()), list(ref.parameters())
        if all(torch.equal(a, p.detach()) for a, p in zip(start, params)):
            return report(Verdict(name, "fail", "the weights did not change: call optimizer.step() after loss.backward() "
                                  "(and zero_grad before backward, not between backward and step)."), strict)
        if not all(torch.allclose(p, r, rtol=1e-5, atol=1e-6) for p, r in zip(params, ref_params)):
            if call == 2:
                msg = ("the first step was right, the second was not: the old gradients were added to the new ones. "
                       "Call optimizer.zero_grad() at the start of every step.")
            else:
                msg = "the weights after one step differ from one step of SGD on the cross-entropy of model(X) and y."
            return report(Verdict(name, "fail", msg), strict)
        value = _as_float(got.detach() if hasattr(got, "detach") else got)
        if value is None:
            return report(Verdict(name, "fail", f"returned {type(got).__name__}; return the loss as a float (loss.item())."), strict)
        if not math.isclose(value, expected, rel_tol=1e-5, abs_tol=1e-7):
            return report(Verdict(name, "fail", f"the weights are right but the returned loss {value:.6g} is not the "
                                  f"loss before the update, {expected:.6g}."), strict)
        if hasattr(got, "requires_grad") and got.requires_grad:
            return report(Verdict(name, "fail", "returned a tensor that still holds the graph: return loss.item(), a float "
                                  "(keeping graphs for every batch fills memory)."), strict)
        start = [p.detach().clone() for p in params]
    return report(Verdict(name, "pass", "two steps in a row match SGD's reference exactly."), strict)
