"""Exercise checkers for notebook 03 (gradient descent). Use: ``from course_utils.checks import nb03 as ex``.

Each checker runs the learner's function on random inputs, compares it with the right
formula, and names the usual mistakes: a forward difference where a central one was
asked, a step uphill, the old velocity, Adam without its bias correction.
"""

from __future__ import annotations

import numpy as np

from .outputs import check_outputs

# --------------------------------------------------------------------------- derivative

_FUNCTIONS = [  # (f, f') pairs with known derivatives
    (np.sin, np.cos),
    (lambda x: x**3 - 2 * x, lambda x: 3 * x**2 - 2),
    (np.exp, np.exp),
    (lambda x: np.log(1 + x**2), lambda x: 2 * x / (1 + x**2)),
    (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
]


def check_derivative(derivative, strict: bool = False):
    """``derivative(f, x, h=1e-5)``: the central difference ``(f(x+h) - f(x-h)) / 2h`` at a float ``x``."""
    slopes = {id(f): df for f, df in _FUNCTIONS}
    h = 1e-5

    def make_args(rng, trial):
        f, _ = _FUNCTIONS[trial % len(_FUNCTIONS)]
        return f, float(rng.uniform(-2, 2))

    mistakes = [
        (lambda f, x: (f(x + h) - f(x)) / h,
         "this is the forward difference (f(x+h) - f(x)) / h, whose error shrinks only like h; "
         "use the central one, (f(x+h) - f(x-h)) / 2h, whose error shrinks like h²."),
        (lambda f, x: (f(x) - f(x - h)) / h,
         "this is the backward difference (f(x) - f(x-h)) / h (error like h); use (f(x+h) - f(x-h)) / 2h."),
        (lambda f, x: (f(x + h) - f(x - h)) / h,
         "twice the slope: the two points are 2h apart, so divide by 2h, not h."),
        (lambda f, x: (f(x - h) - f(x + h)) / (2 * h),
         "the sign is flipped: take f(x+h) - f(x-h), the later point minus the earlier one."),
    ]
    return check_outputs(derivative, lambda f, x: slopes[id(f)](x), make_args, name="derivative",
                         outputs=("slope",), mistakes=mistakes, rtol=1e-7, atol=1e-9, strict=strict)


# --------------------------------------------------------------------------- one step of gradient descent


def _step_args(rng, trial):
    shape = [(3,), (2, 4), (5, 3), (1,), (4, 2)][trial % 5]
    return rng.normal(size=shape), rng.normal(size=shape), float(rng.uniform(0.01, 0.5))


def check_gd_step(gd_step, strict: bool = False):
    """``gd_step(W, grad, lr)``: ``W_new = W_old − lr · grad``, a new array of ``W``'s shape."""
    mistakes = [
        (lambda W, g, lr: W + lr * g,
         "W moved uphill: W + lr·grad climbs the loss. The gradient points uphill, so subtract it: W − lr·grad."),
        (lambda W, g, lr: -lr * g,
         "this is only the step −lr·grad; add it to the old weights: W_new = W_old − lr·grad."),
        (lambda W, g, lr: W - g,
         "the learning rate is missing: the step is lr·grad, not the whole gradient."),
        (lambda W, g, lr: W - g / lr,
         "divided by lr: the step is lr·grad (multiply)."),
    ]
    return check_outputs(gd_step, lambda W, g, lr: W - lr * g, _step_args, name="gd_step",
                         outputs=("W_new",), mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- momentum


def _momentum_args(rng, trial):
    W, grad, lr = _step_args(rng, trial)
    v = rng.normal(size=W.shape)
    return W, grad, v, lr, float(rng.uniform(0.5, 0.95))


def _momentum(W, grad, v, lr, beta):
    v_new = beta * v + grad
    return W - lr * v_new, v_new


def check_momentum_step(momentum_step, strict: bool = False):
    """``momentum_step(W, grad, v, lr, beta) -> (W_new, v_new)``: ``v = β v + grad; W = W − lr v``."""
    mistakes = [
        (lambda W, g, v, lr, beta: (W - lr * v, beta * v + g),
         "W_new used the old velocity v; update v first, then step with the new one: W − lr·v_new."),
        (lambda W, g, v, lr, beta: (W - lr * g, beta * v + g),
         "W_new moved by the plain gradient, so the velocity does nothing: step with W − lr·v_new."),
        (lambda W, g, v, lr, beta: (W - lr * (v + g), v + g),
         "β is missing: without it the velocity never forgets (v_new = β·v + grad)."),
        (lambda W, g, v, lr, beta: (W + lr * (beta * v + g), beta * v + g),
         "W moved uphill: subtract the velocity, W − lr·v_new."),
        (lambda W, g, v, lr, beta: (W - lr * (beta * v + (1 - beta) * g), beta * v + (1 - beta) * g),
         "that is the averaged form v = β·v + (1−β)·grad; this notebook (and PyTorch's SGD) uses v = β·v + grad."),
    ]
    return check_outputs(momentum_step, _momentum, _momentum_args, name="momentum_step",
                         outputs=("W_new", "v_new"), mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- Adam


def _adam(W, grad, m, v, t, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, correct_m=True, correct_v=True,
          square=True, root=True):
    m_new = beta1 * m + (1 - beta1) * grad
    v_new = beta2 * v + (1 - beta2) * (grad**2 if square else grad)
    m_hat = m_new / (1 - beta1**t) if correct_m else m_new
    v_hat = v_new / (1 - beta2**t) if correct_v else v_new
    return W - lr * m_hat / ((np.sqrt(v_hat) if root else v_hat) + eps), m_new, v_new


def _adam_args(rng, trial):
    W, grad, _ = _step_args(rng, trial)
    m = 0.1 * rng.normal(size=W.shape)
    v = 0.1 * rng.random(size=W.shape)
    return W, grad, m, v, int(rng.integers(1, 20)), float(rng.choice([1e-3, 1e-2, 0.1]))


def check_adam_step(adam_step, strict: bool = False):
    """``adam_step(W, grad, m, v, t, lr) -> (W_new, m_new, v_new)`` with bias correction; ``t`` counts from 1."""
    mistakes = [
        (lambda W, g, m, v, t, lr: _adam(W, g, m, v, t, lr, correct_m=False, correct_v=False),
         "no bias correction: divide m by (1 − β1**t) and v by (1 − β2**t) before the step "
         "(m and v start at 0, so early on they are too small)."),
        (lambda W, g, m, v, t, lr: _adam(W, g, m, v, t, lr, correct_v=False),
         "m is bias-corrected but v is not: v̂ = v_new / (1 − β2**t)."),
        (lambda W, g, m, v, t, lr: _adam(W, g, m, v, t, lr, correct_m=False),
         "v is bias-corrected but m is not: m̂ = m_new / (1 − β1**t)."),
        (lambda W, g, m, v, t, lr: _adam(W, g, m, v, t - 1, lr) if t > 1 else _adam(W, g, m, v, t, lr),
         "the bias correction used t − 1: with t counting steps from 1, use β**t."),
        (lambda W, g, m, v, t, lr: (2 * W - _adam(W, g, m, v, t, lr)[0],) + _adam(W, g, m, v, t, lr)[1:],
         "W moved uphill: subtract the step, W − lr·m̂ / (√v̂ + eps)."),
        (lambda W, g, m, v, t, lr: _adam(W, g, m, v, t, lr, root=False),
         "the square root is missing: divide by √v̂ + eps, not v̂ + eps."),
        (lambda W, g, m, v, t, lr: _adam(W, g, m, v, t, lr, square=False),
         "v_new must average the squared gradient: β2·v + (1 − β2)·grad²."),
    ]
    return check_outputs(adam_step, lambda *a: _adam(*a), _adam_args, name="adam_step",
                         outputs=("W_new", "m_new", "v_new"), mistakes=mistakes, strict=strict)
