"""Exercise checkers for notebook 08, the CNN in PyTorch.

Each checker knows the usual wrong answers and names them: a conv layer's bias forgotten,
the input channels left out of the count, ``'same'`` padding assumed, accuracy in percent,
``argmax`` over the batch, and a training step done in the wrong order (``torch_step``, shared
with notebook 06).
"""

from __future__ import annotations

import math

from ..i18n import _
from . import torch_step
from .engine import check, checker

# --------------------------------------------------------------------------- exercise 1


def _conv_params(in_channels, out_channels, kernel_size):
    weights_per_filter = in_channels * kernel_size * kernel_size
    return out_channels * weights_per_filter + out_channels  # plus one bias per filter


def check_conv2d_params(conv2d_params, strict: bool = False):
    """``conv2d_params(in_channels, out_channels, kernel_size)``: weights and biases of a
    ``Conv2d`` with a square kernel: ``k * k * in_channels * out_channels + out_channels``."""

    def make_args(rng, trial):
        fixed = [(1, 32, 3), (32, 64, 3), (3, 16, 1), (1, 1, 5)]  # the source's two layers, a 1x1 conv, the smallest
        if trial < len(fixed):
            return fixed[trial]
        return int(rng.integers(1, 64)), int(rng.integers(2, 128)), int(rng.choice([1, 3, 5, 7]))

    mistakes = [
        (lambda c, o, k: k * k * c * o, _("the biases are missing: each output channel has one bias (+ out_channels).")),
        (lambda c, o, k: k * k * o + o,
         _("the input channels are missing: each filter is k x k x in_channels, it looks at every input channel.")),
        (lambda c, o, k: k * k * c * o + c * o, _("one bias per (input, output) pair: there is one bias per output channel only.")),
        (lambda c, o, k: k * c * o + o, _("k, not k x k: the kernel is square, k * k weights per channel.")),
        (lambda c, o, k: k * k * c * o + c, _("the bias count is in_channels; it should be out_channels.")),
    ]
    return check(conv2d_params, name="conv2d_params", reference=_conv_params, make_args=make_args, trials=8,
                 mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- exercise 2


def _flat_features(n):
    size = n
    for layer in ("conv 3x3", "pool 2", "conv 3x3", "pool 2"):  # the source's Conv2D has no padding
        size = size - 2 if layer.startswith("conv") else size // 2
    return 64 * size * size


def check_flat_features(flat_features, strict: bool = False):
    """``flat_features(n)``: the length of the vector that Flatten hands to the first Dense
    layer when the source CNN sees ``n x n`` images (1600 for n = 28), an int."""

    def make_args(rng, trial):
        return ([28, 32, 20, 64, 29, 31, 48, 27, 10][trial],)  # odd sizes, where pooling drops a row

    mistakes = [
        (lambda n: (((n - 2) // 2 - 2) // 2) ** 2, _("the 64 channels are missing: Flatten keeps every channel's map.")),
        (lambda n: 64 * (n // 4) ** 2,
         _("that is 'same' padding; the source's Conv2D has no padding ('valid'), so each 3x3 conv shrinks n by 2.")),
        (lambda n: 64 * (((n - 3) // 2 - 3) // 2) ** 2, _("a 3x3 kernel fits n - 3 + 1 = n - 2 times, not n - 3.")),
        (lambda n: 64 * math.ceil((math.ceil((n - 2) / 2) - 2) / 2) ** 2,
         _("rounded up after pooling: MaxPooling2D drops a leftover odd row and column (round down).")),
        (lambda n: 32 * (((n - 2) // 2 - 2) // 2) ** 2, _("32 channels: the second conv has 64 filters.")),
        (lambda n: 64 * ((n - 2) // 2 - 2) ** 2, _("the second max-pool is missing.")),
        (lambda n: 64 * ((n - 4) // 2) ** 2, _("one pool is missing: conv, pool, conv, pool, each pool halves the size.")),
        (lambda n: 64 * (((n - 2) / 2 - 2) / 2) ** 2,
         _("/ keeps the half pixel; max-pooling drops a leftover row and column: divide with //, which rounds down.")),
        (lambda n: 64 * (((n - 2) // 2 - 2) // 2), _("only one side of the map: each channel's map is s x s, so 64 * s * s.")),
        (lambda n: 64 * ((n - 2) // 2) ** 2,
         _("you stopped after the first conv and pool: the chain is conv, pool, conv, pool (28 -> 26 -> 13 -> 11 -> 5).")),
        (lambda n: 64 * round((round((n - 2) / 2) - 2) / 2) ** 2,
         _("round() goes to the nearest (5.5 -> 6); max-pooling drops a leftover odd row and column: use //.")),
    ]
    return check(flat_features, name="flat_features", reference=_flat_features, make_args=make_args, trials=9,
                 mistakes=mistakes, integer=True, passed=_("correct on 9 image sizes, odd ones included."), strict=strict)


# --------------------------------------------------------------------------- exercise 3 (in the notebook: 4)


def _logits_and_labels(rng, trial):
    import torch

    n = [37, 10, 64, 5, 1][trial]
    logits = torch.tensor(rng.normal(size=(n, 10)) * 3, dtype=torch.float32)
    y = torch.tensor(rng.integers(0, 10, n), dtype=torch.int64)
    y[: n // 2] = logits[: n // 2].argmax(1)  # about half right, so accuracy is far from 0 and 1
    return logits, y


def _accuracy(logits, y):
    hits = sum(int(int(row.argmax()) == int(label)) for row, label in zip(logits, y))
    return hits / len(y)


def check_accuracy(accuracy, strict: bool = False):
    """``accuracy(logits, y)``: the fraction (0..1) of rows whose largest logit is at the true label.
    ``logits (N, 10)`` float tensor, ``y (N,)`` int64 tensor; returns a Python float (or a 0-d tensor)."""
    mistakes = [
        (lambda lg, y: 100 * (lg.argmax(1) == y).float().mean().item(),
         _("that is a percentage: return the fraction between 0 and 1 (no * 100).")),
        (lambda lg, y: (lg.argmax(1) == y).sum().item(),
         _("that is the count of right answers: divide by N (the mean, not the sum).")),
        (lambda lg, y: (lg.argmax(0) == y).float().mean().item(),
         _("argmax over dim 0 picks a row per class; each image's prediction is argmax over dim 1 (the 10 logits).")),
        (lambda lg, y: lg.softmax(1).gather(1, y[:, None]).mean().item(),
         _("that is the mean probability of the true class; accuracy counts argmax(logits) == y.")),
        (lambda lg, y: (lg.argmin(1) == y).float().mean().item(), _("argmin picks the smallest logit; the prediction is argmax.")),
    ]
    symptoms = [
        (lambda got, args: tuple(getattr(got, "shape", ())) == (10,),
         _("argmax over dim 0 gives one answer per class, shape (10,); each image's prediction is argmax over dim 1.")),
    ]
    hints = [
        ("must match the size of tensor", _("argmax over dim 0 picks a row per class; the prediction of each image is "
                                            "argmax over dim=1")),
        ("could not infer output dtype", _("turn the booleans into floats first: (y_hat == y).float().mean()")),
    ]
    return check(accuracy, name="accuracy", reference=_accuracy, make_args=_logits_and_labels, mistakes=mistakes,
                 symptoms=symptoms, hints=hints, batch_size=lambda args: len(args[1]),
                 passed=_("correct on 5 random batches (N = 37, 10, 64, 5, 1)."), strict=strict)


# --------------------------------------------------------------------------- exercise 4 (in the notebook: 3)


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


@checker("train_step", seconds=torch_step.SECONDS, hints=torch_step.hints)
def check_train_step(t, train_step):
    """``train_step(model, X, y, optimizer)``: one step of the five (forward, loss, backward,
    update, with the old gradients cleared first); returns the loss before the update as a float.
    Run twice in a row on a tiny model with SGD, against the reference, so that forgetting
    ``zero_grad`` (gradients add up) and calling things in the wrong order both show."""
    import torch.nn.functional as F

    model, X, y = _tiny_problem(0)
    return torch_step.check_two_steps(t, train_step, model, X, y, F.cross_entropy, pass_loss_fn=False)
