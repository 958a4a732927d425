"""Checking one PyTorch training step (notebooks 06 and 08 each have a ``train_step`` exercise).

The learner's step runs twice in a row on a tiny model with SGD, beside the reference
(zero_grad, forward, loss, backward, step): a forgotten ``zero_grad`` shows on the second
step (the old gradients add up), a wrong order on the first. ``zero_grad`` at the end of the
step instead of the start is just as right, and passes. torch is imported only when a check runs.
"""

from __future__ import annotations

import copy

from ..i18n import _
from .answers import fmt_pair, read_number

SECONDS = 30  # the first backward pass of a process can take a few seconds on a slow CPU


def _params(model):
    return [p.detach().clone() for p in model.parameters()]


def _close(a, b):
    import torch

    return all(torch.allclose(p, q, rtol=1e-5, atol=1e-7) for p, q in zip(a, b))


def _reference_step(model, X, y, optimizer, loss_fn):
    optimizer.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def check_two_steps(t, train_step, model, X, y, loss_fn, pass_loss_fn: bool) -> str:
    """Run ``train_step(model, X, y, optimizer[, loss_fn])`` twice against the reference; stop the
    check ``t`` at the first difference, else return the pass message. ``pass_loss_fn``: the
    exercise takes ``loss_fn`` as an argument (notebook 06); the checker then passes one the
    learner cannot guess (label smoothing), so ignoring the argument shows."""
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tensors this small only lose time to threads (10x on a busy machine); restored below
    try:
        return _two_steps(t, train_step, model, X, y, loss_fn, pass_loss_fn)
    finally:
        torch.set_num_threads(threads)


def _two_steps(t, train_step, model, X, y, loss_fn, pass_loss_fn):
    import torch
    import torch.nn.functional as F

    ref, plain = copy.deepcopy(model), copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ref_opt, plain_opt = torch.optim.SGD(ref.parameters(), lr=0.1), torch.optim.SGD(plain.parameters(), lr=0.1)
    for step in (1, 2):
        before = _params(model)
        expected = _reference_step(ref, X, y, ref_opt, loss_fn)
        _reference_step(plain, X, y, plain_opt, F.cross_entropy)
        args = (model, X.clone(), y.clone(), opt) + ((loss_fn,) if pass_loss_fn else ())
        got = t.call(train_step, *args)
        after = _params(model)
        if _close(after, before):
            t.stop(_("the weights did not change: call optimizer.step() after loss.backward() (and zero_grad before "
                     "backward, not between backward and step)."))
        if not _close(after, _params(ref)):
            if pass_loss_fn and _close(after, _params(plain)):
                t.stop(_("the loss_fn argument was not used (the checker passes a loss function of its own): compute "
                         "loss = loss_fn(model(X), y)."))
            if step == 2:
                t.stop(_("the first step was right, the second was not: the old gradients were added to the new ones. "
                         "Call optimizer.zero_grad() at the start of every step."))
            t.stop(_("the weights after one step differ from one SGD step on the loss of model(X) and y: the order is "
                     "zero_grad, forward, loss, backward, step, once each."))
        ref.load_state_dict(model.state_dict())  # the next step starts from the learner's weights
        plain.load_state_dict(model.state_dict())
        if isinstance(got, torch.Tensor):
            t.stop(_("returned a tensor: return loss.item(), a plain Python number (a tensor keeps the whole graph "
                     "alive)."))
        value, _precision = read_number(got, _("the loss as a number (loss.item())"))
        if abs(value - expected) > 1e-5 * max(1.0, abs(expected)):
            got_text, expected_text = fmt_pair(value, expected)
            t.stop(_("the weights are right but the returned loss {got} is not the loss before the update, {expected}: "
                     "return loss.item() of the loss you called backward on.").format(got=got_text, expected=expected_text))
    return _("two steps in a row match SGD's reference; the loss returned as a number.")


def hints():
    """What to say about the exceptions a training step typically raises."""
    return (
        ("backward through the graph a second time",
         _("run the forward pass inside train_step, so each call builds a new graph")),
        ("does not require grad", _("the loss must come from model(X), so that backward can reach the weights")),
        ("expected scalar type Long", _("the labels y must be int64 class indices, as given: do not convert them")),
    )
