"""Exercise checkers for notebook 06, "From NumPy to PyTorch".

Use: ``from course_utils.checks import nb06 as ex`` then ``ex.check_to_tensor(to_tensor)``.
``to_tensor`` and ``linear_forward`` are a reference and a table of mistakes (the answer must
be a tensor, whatever its values); ``train_step`` runs twice against PyTorch's own step
(``torch_step``). torch is imported only inside the checkers.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from . import torch_step
from .engine import check, checker

# --------------------------------------------------------------------------- to_tensor


def _to_tensor_args(rng, trial):
    import torch

    return [
        (rng.random((4, 784)), torch.float32),  # float64 images -> float32 for training
        (rng.integers(0, 10, 6), torch.int64),  # integer labels -> int64 for the loss
        (rng.normal(size=(3, 5)).astype(np.float32), torch.float64),  # float32 -> float64 for checks
        (rng.integers(0, 256, (2, 28, 28)).astype(np.uint8), torch.float32),  # uint8 pixels -> float32
        (rng.integers(0, 10, (3,)).astype(np.int32), torch.int64),
        (np.array(2.5), torch.float64),  # a 0-d array: "any shape"
    ][trial]


def check_to_tensor(to_tensor, strict: bool = False):
    """``to_tensor(x: np.ndarray, dtype: torch.dtype) -> torch.Tensor`` of that dtype, same values and shape."""
    import torch

    def reference(x, dtype):
        return torch.tensor(x.tolist(), dtype=dtype)

    def require(got, args):
        x, dtype = args
        if not isinstance(got, torch.Tensor):
            return _("returned {type}, expected a torch.Tensor; try torch.as_tensor(x, dtype=dtype).").format(
                type=type(got).__name__)
        if got.dtype != dtype:
            hint = _(" (torch.from_numpy keeps NumPy's dtype: add dtype=... or .to(dtype))") \
                if got.dtype == torch.from_numpy(np.asarray(x)).dtype else ""
            return _("dtype is {got}, expected {want}{hint}.").format(got=got.dtype, want=dtype, hint=hint)
        return None

    return check(to_tensor, name="to_tensor", reference=reference, make_args=_to_tensor_args, trials=6, require=require,
                 passed=_("right dtype, shape and values for images, labels, pixels and a 0-d array."), strict=strict)


# --------------------------------------------------------------------------- linear_forward


def _linear_args(rng, trial):
    import torch

    n, fan_in, fan_out = [(5, 4, 3), (8, 6, 6), (1, 7, 2), (3, 2, 5)][trial]
    gen = torch.Generator().manual_seed(int(rng.integers(2**31)))
    return tuple(torch.randn(*shape, generator=gen, dtype=torch.float64)
                 for shape in ((n, fan_in), (fan_out, fan_in), (fan_out,)))


def check_linear_forward(linear_forward, strict: bool = False):
    """``linear_forward(X (N, in), weight (out, in), bias (out,)) -> (N, out)``: what ``nn.Linear`` computes."""
    import torch

    def reference(X, weight, bias):
        return torch.einsum("ni,oi->no", X, weight) + bias

    def require(got, args):
        if not isinstance(got, torch.Tensor):
            return _("returned {type}, expected a torch.Tensor (stay in torch so autograd can follow).").format(
                type=type(got).__name__)
        return None

    mistakes = [
        (lambda X, w, b: X @ w + b, _("you multiplied by weight, not weight.T: nn.Linear stores weight as (out, in).")),
        (lambda X, w, b: X @ w.T, _("the bias is missing: add bias.")),
        (lambda X, w, b: X @ w.T - b, _("the bias is subtracted: it is X @ weight.T + bias.")),
        (lambda X, w, b: torch.relu(X @ w.T + b), _("you applied ReLU: nn.Linear is only X @ weight.T + bias.")),
    ]
    hints = [("cannot be multiplied", _("nn.Linear stores weight as (out, in): multiply by weight.T"))]
    return check(linear_forward, name="linear_forward", reference=reference, make_args=_linear_args, trials=4,
                 require=require, mistakes=mistakes, hints=hints,
                 passed=_("matches torch.nn.functional.linear on 4 shapes, square weights included."), strict=strict)


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


@checker("train_step", seconds=torch_step.SECONDS, hints=torch_step.hints)
def check_train_step(t, train_step):
    """``train_step(model, X, y, optimizer, loss_fn) -> float``: one step of gradient descent in
    the right order: zero_grad, forward, loss, backward, step; returns the loss as a number."""
    import torch

    model, X, y = _small_problem()
    loss_fn = torch.nn.CrossEntropyLoss(label_smoothing=0.1)
    return torch_step.check_two_steps(t, train_step, model, X, y, loss_fn, pass_loss_fn=True)
