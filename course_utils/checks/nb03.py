"""Exercise checkers for notebook 03 (gradient descent). Use: ``from course_utils.checks import nb03 as ex``.

Each checker runs the learner's function on random inputs (its defaults among them), compares
it with the right formula, and names the usual mistakes: a forward difference where a central
one was asked, ``h`` ignored, a step uphill, the old velocity, Adam without its bias correction
or with its constants written in instead of its arguments, and an update made in place where a
new array was promised.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- derivative


def cubic(x):
    return x**3 - 2 * x


def log_bump(x):
    return np.log(1 + x**2)


_FUNCTIONS = [np.sin, cubic, np.exp, log_bump, np.tanh]


def _central(f, x, h=1e-5):
    forward, backward = f(x + h), f(x - h)
    return (forward - backward) / (h + h)


def check_derivative(derivative, strict: bool = False):
    """``derivative(f, x, h=1e-5)``: the central difference ``(f(x+h) - f(x-h)) / 2h`` at a float ``x``."""

    def make_args(rng, trial):
        f, x = _FUNCTIONS[trial % len(_FUNCTIONS)], float(rng.uniform(-2, 2))
        h = [None, 1e-5, None, 1e-2, 1e-3, None][trial]
        return (f, x) if h is None else (f, x, h)  # None: h left at its default

    mistakes = [
        (lambda f, x, h=1e-5: (f(x + h) - f(x)) / h,
         _("this is the forward difference (f(x+h) - f(x)) / h, whose error shrinks only like h; "
           "use the central one, (f(x+h) - f(x-h)) / 2h, whose error shrinks like h².")),
        (lambda f, x, h=1e-5: (f(x) - f(x - h)) / h,
         _("this is the backward difference (f(x) - f(x-h)) / h (error like h); use (f(x+h) - f(x-h)) / 2h.")),
        (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / h, _("twice the slope: the two points are 2h apart, so divide by 2h, not h.")),
        (lambda f, x, h=1e-5: (f(x + h) - f(x - h)) / 2 * h,
         _("multiplied by h: / 2 * h means (… / 2) * h; write / (2 * h).")),
        (lambda f, x, h=1e-5: (f(x - h) - f(x + h)) / (2 * h),
         _("the sign is flipped: take f(x+h) - f(x-h), the later point minus the earlier one.")),
        (lambda f, x, h=1e-5: _central(f, x),
         _("the h argument is ignored (a fixed step was written in): use the h the caller passes.")),
    ]
    return check(derivative, name="derivative", reference=_central, make_args=make_args, trials=6,
                 mistakes=mistakes, rtol=1e-7, atol=1e-9, passed=_("correct on 6 inputs, h given and left at its default."),
                 strict=strict)


# --------------------------------------------------------------------------- one step of gradient descent


def _step_args(rng, trial):
    if trial == 2:
        return 0.5, 0.2, 0.1  # "it must work for a number"
    shape = [(3,), (2, 4), None, (5, 3), (2, 3, 2), (1,)][trial % 6]
    return rng.normal(size=shape), rng.normal(size=shape), float(rng.uniform(0.01, 0.5))


def _gd_step(W, grad, lr):
    return np.subtract(W, np.multiply(lr, grad))


def check_gd_step(gd_step, strict: bool = False):
    """``gd_step(W, grad, lr)``: ``W_new = W_old − lr · grad``, a new array of ``W``'s shape (or a number)."""
    mistakes = [
        (lambda W, g, lr: W + lr * g,
         _("W moved uphill: W + lr·grad climbs the loss. The gradient points uphill, so subtract it: W − lr·grad.")),
        (lambda W, g, lr: -lr * g, _("this is only the step −lr·grad; add it to the old weights: W_new = W_old − lr·grad.")),
        (lambda W, g, lr: W - g, _("the learning rate is missing: the step is lr·grad, not the whole gradient.")),
        (lambda W, g, lr: W - g / lr, _("divided by lr: the step is lr·grad (multiply).")),
        (lambda W, g, lr: lr * g, _("this is the step lr·grad itself; the new weights are W − lr·grad.")),
        (lambda W, g, lr: W * (1 - lr * g), _("W was multiplied; the update subtracts: W − lr·grad.")),
    ]
    return check(gd_step, name="gd_step", reference=_gd_step, make_args=_step_args, trials=6, mistakes=mistakes,
                 new_array=True, passed=_("correct on 6 inputs, a plain number and a 3-D array included."), strict=strict)


# --------------------------------------------------------------------------- momentum


def _momentum_args(rng, trial):
    W, grad, lr = _step_args(rng, trial)
    v = rng.normal(size=np.shape(W)) if np.ndim(W) else 0.3
    if trial in (1, 4):
        return W, grad, v, lr  # beta left at its default, 0.9
    return W, grad, v, lr, float(rng.uniform(0.5, 0.95))


def _momentum(W, grad, v, lr, beta=0.9):
    velocity = np.add(np.multiply(beta, v), grad)
    return np.subtract(W, np.multiply(lr, velocity)), velocity


def check_momentum_step(momentum_step, strict: bool = False):
    """``momentum_step(W, grad, v, lr, beta=0.9) -> (W_new, v_new)``: ``v = β v + grad; W = W − lr v``."""
    mistakes = [
        (lambda W, g, v, lr, beta=0.9: (W - lr * v, beta * v + g),
         _("W_new used the old velocity v; update v first, then step with the new one: W − lr·v_new.")),
        (lambda W, g, v, lr, beta=0.9: (W - lr * g, beta * v + g),
         _("W_new moved by the plain gradient, so the velocity does nothing: step with W − lr·v_new.")),
        (lambda W, g, v, lr, beta=0.9: (W - lr * (v + g), v + g),
         _("β is missing: without it the velocity never forgets (v_new = β·v + grad).")),
        (lambda W, g, v, lr, beta=0.9: (W + lr * (beta * v + g), beta * v + g), _("W moved uphill: subtract the velocity, W − lr·v_new.")),
        (lambda W, g, v, lr, beta=0.9: (W - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g),
         _("that is the averaged form v = β·v + (1−β)·grad; this notebook (and PyTorch's SGD) uses v = β·v + grad.")),
        (lambda W, g, v, lr, beta=0.9: (W - lr * (beta * v + g), v),
         _("v_new is the old v: return the updated velocity, β·v + grad.")),
        (lambda W, g, v, lr, beta=0.9: _momentum(W, g, v, lr),
         _("the beta argument is ignored (0.9 written in): use the beta the caller passes.")),
    ]
    return check(momentum_step, name="momentum_step", reference=_momentum, make_args=_momentum_args, trials=6,
                 outputs=("W_new", "v_new"), mistakes=mistakes, new_array=True,
                 passed=_("correct on 6 inputs, beta given and left at its default."), strict=strict)


# --------------------------------------------------------------------------- Adam


def _adam(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, correct_m=True, correct_v=True,
          square=True, root=True):
    """One Adam step; the flags switch off one part each, to make its typical mistakes."""
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * (grad * grad if square else grad)
    m_hat = m_new / (1 - beta1**t) if correct_m else m_new
    v_hat = v_new / (1 - beta2**t) if correct_v else v_new
    return W - lr * m_hat / ((np.sqrt(v_hat) if root else v_hat) + eps), m_new, v_new


def _adam_step(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(W, grad, m, v, t, lr, beta1, beta2, eps)


def _adam_args(rng, trial):
    W = rng.normal(size=[(3,), (2, 4), (5, 3), (1,), (4, 2), (2, 2, 2)][trial])
    grad, m, v = rng.normal(size=W.shape), 0.1 * rng.normal(size=W.shape), 0.1 * rng.random(size=W.shape)
    t = [1, 7, 1, 1000, 3, 12][trial]  # t = 1: the first step, where the bias correction matters most
    if trial == 2:
        return W, grad, np.zeros_like(W), np.zeros_like(W), t  # a real first step, lr left at its default
    if trial == 4:
        return W, grad, m, v, t, 0.01, 0.8, 0.99, 1e-6  # every argument given: none may be written in
    return W, grad, m, v, t, float(rng.choice([1e-3, 1e-2, 0.1]))


def check_adam_step(adam_step, strict: bool = False):
    """``adam_step(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8) -> (W_new, m_new, v_new)``
    with bias correction; ``t`` counts from 1."""
    mistakes = [
        (lambda *a: _adam(*a, correct_m=False, correct_v=False),
         _("no bias correction: divide m by (1 − β1**t) and v by (1 − β2**t) before the step "
           "(m and v start at 0, so early on they are too small).")),
        (lambda *a: _adam(*a, correct_v=False), _("m is bias-corrected but v is not: v̂ = v_new / (1 − β2**t).")),
        (lambda *a: _adam(*a, correct_m=False), _("v is bias-corrected but m is not: m̂ = m_new / (1 − β1**t).")),
        (lambda W, g, m, v, t, *rest: _adam(W, g, m, v, t - 1, *rest) if t > 1 else None,
         _("the bias correction used t − 1: with t counting steps from 1, use β**t.")),
        (lambda W, g, m, v, t, *rest: _adam(W, g, m, v, t + 1, *rest),
         _("the bias correction used t + 1: t already counts this step (from 1), so use β**t.")),
        (lambda *a: (2 * a[0] - _adam(*a)[0],) + _adam(*a)[1:], _("W moved uphill: subtract the step, W − lr·m̂ / (√v̂ + eps).")),
        (lambda *a: _adam(*a, root=False), _("the square root is missing: divide by √v̂ + eps, not v̂ + eps.")),
        (lambda *a: _adam(*a, square=False), _("v_new must average the squared gradient: β2·v + (1 − β2)·grad².")),
        (lambda W, g, m, v, t, lr=1e-3, *rest: _adam(W, g, m, v, t, lr),
         _("beta1, beta2 or eps is ignored (a constant written in): use the arguments the caller passes.")),
        (lambda W, g, m, v, t, *rest: _adam(W, g, m, v, t),
         _("the lr argument is ignored (a constant written in): use the learning rate the caller passes.")),
    ]
    return check(adam_step, name="adam_step", reference=_adam_step, make_args=_adam_args, trials=6,
                 outputs=("W_new", "m_new", "v_new"), mistakes=mistakes, new_array=True,
                 passed=_("correct on 6 inputs, t = 1, the defaults and every argument given included."), strict=strict)
