"""Exercise checkers for notebook 13, scaling laws measured.

Each checker names the usual wrong answers: a power law fitted in linear space, or with the
slope's sign kept, or with ``log10`` on one side and ``exp`` on the other; a run's compute
without the 12 of ``12·L·d²`` or the 6 of ``6·N·D``; a budget split without the square root,
or with the tokens-per-parameter ratio upside down. The references are written differently
from the notebook's solutions: the normal equations of the line fit, the FLOPs of the forward
and backward passes added up, and the split solved as a quadratic.
"""

from __future__ import annotations

import math

import numpy as np

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- exercise 1: the power-law fit


def _line_fit(u, v):
    """(slope, intercept) of the least-squares line v ≈ slope·u + intercept, by the normal equations."""
    u, v = np.asarray(u, dtype=np.float64), np.asarray(v, dtype=np.float64)
    du = u - u.mean()
    slope = float(du @ (v - v.mean()) / (du @ du))
    return slope, float(v.mean() - slope * u.mean())


def _fit_power_law(x, y):
    """(alpha, c) with y ≈ c·x^(−alpha): the least-squares line through (ln x, ln y)."""
    slope, intercept = _line_fit(np.log(x), np.log(y))
    return -slope, math.exp(intercept)


def _power_law_args(rng, trial):
    # noisy power laws: with noise, a fit in linear space or through two points gives other numbers
    alpha, c, lo, hi, n = [(0.076, 8.0, 1e3, 1e5, 6), (0.3, 20.0, 1e4, 1e6, 8), (0.05, 6.0, 768, 55_296, 5),
                           (1.0, 1e4, 1.0, 100.0, 7), (0.5, 3.0, 10.0, 1e4, 10), (0.12, 5.5, 5e4, 8e5, 4)][trial]
    x = np.geomspace(lo, hi, n)
    y = c * x ** -alpha * np.exp(rng.normal(0, 0.03, n))
    return x, y


def check_fit_power_law(fit_power_law, strict: bool = False):
    """``fit_power_law(x, y)``: ``(alpha, c)`` of the power law ``y ≈ c · x^(−alpha)`` that fits the
    points best by least squares in log space: the line ``ln y = ln c − alpha · ln x``.
    ``x``, ``y``: 1-D arrays of positive numbers (at least 2 points)."""

    def linear_space(x, y):
        slope, intercept = np.polyfit(x, y, 1)
        return -slope, intercept

    def semi_log(x, y):
        slope, intercept = _line_fit(x, np.log(y))
        return -slope, math.exp(intercept)

    def log10_then_exp(x, y):
        slope, intercept = _line_fit(np.log10(x), np.log10(y))
        return -slope, math.exp(intercept)

    def through_ends(x, y):
        slope = math.log(y[-1] / y[0]) / math.log(x[-1] / x[0])
        return -slope, y[0] * x[0] ** -slope

    def swapped_axes(x, y):
        slope, intercept = _line_fit(np.log(y), np.log(x))
        return -1 / slope, math.exp(-intercept / slope)

    def ln_fit(x, y):
        return _line_fit(np.log(x), np.log(y))

    mistakes = [
        (lambda x, y: (ln_fit(x, y)[0], math.exp(ln_fit(x, y)[1])),
         _("alpha has the wrong sign: the line's slope is −alpha (the loss falls as x grows), so alpha = −slope.")),
        (lambda x, y: (-ln_fit(x, y)[0], ln_fit(x, y)[1]),
         _("c is not the line's intercept but np.exp(intercept): the intercept is ln c.")),
        (lambda x, y: (-ln_fit(x, y)[0], math.exp(-ln_fit(x, y)[1])),
         _("c is np.exp(intercept), of the intercept itself, not of its negative.")),
        (linear_space, _("that fits a straight line to x and y themselves: a power law is a straight line in log "
                         "space, so fit np.log(y) against np.log(x).")),
        (semi_log, _("only y was put in log space: fit np.log(y) against np.log(x), not against x.")),
        (log10_then_exp, _("the fit used log10 but c was computed with np.exp: use one logarithm on both sides "
                           "(np.log and np.exp, or np.log10 and 10 ** intercept).")),
        (lambda x, y: (-_line_fit(np.log10(x), np.log10(y))[0], _line_fit(np.log10(x), np.log10(y))[1]),
         _("c is 10 ** intercept when the fit is in log10: the intercept is log10 c.")),
        (lambda x, y: (-ln_fit(x, y)[1], math.exp(ln_fit(x, y)[0])),
         _("slope and intercept are read the wrong way round: np.polyfit(u, v, 1) returns [slope, intercept], "
           "highest power first.")),
        (through_ends, _("that is the line through the first and last points only: least squares uses every point "
                         "(np.polyfit(np.log(x), np.log(y), 1)).")),
        (swapped_axes, _("that regresses ln x on ln y: fit ln y (the loss) as a function of ln x, "
                         "np.polyfit(np.log(x), np.log(y), 1).")),
    ]
    hints = [("math domain error", _("math.log takes one number: use np.log, which takes the whole array.")),
             ("only length-1 arrays", _("math.log takes one number: use np.log, which takes the whole array."))]
    return check(fit_power_law, name="fit_power_law", reference=_fit_power_law, make_args=_power_law_args, trials=6,
                 outputs=("alpha", "c"), mistakes=mistakes, hints=hints, rtol=1e-5,
                 passed=_("correct on 6 noisy power laws, alpha from 0.05 to 1."), strict=strict)


# --------------------------------------------------------------------------- exercise 2: the compute of a run


def _run_flops(num_layers, d, n_tokens):
    weights = 12 * num_layers * d * d             # Kaplan's N: 3d² + d² attention, 8d² MLP, per block
    forward = 2 * weights * n_tokens              # one multiply-add (2 FLOPs) per weight per token
    return forward + 2 * forward                  # backward: about twice the forward


def check_run_flops(run_flops, strict: bool = False):
    """``run_flops(num_layers, d, n_tokens)``: the training compute ``6·N·D`` of a run, with Kaplan's
    ``N = 12·L·d²`` non-embedding parameters, as an int (or a float equal to it)."""

    def make_args(rng, trial):
        fixed = [(2, 128, 1_350_000), (1, 8, 850_000), (96, 12_288, 300_000_000_000), (2, 48, 1), (1, 1, 1)]
        return fixed[trial] if trial < len(fixed) else (int(rng.integers(1, 50)), int(rng.integers(1, 2000)),
                                                        int(rng.integers(1, 10**9)))

    mistakes = [
        (lambda L, d, D: 6 * L * d * d * D, _("N is 12·L·d², not L·d²: each block has 12·d² weights (4·d² in "
                                               "attention, 8·d² in the MLP).")),
        (lambda L, d, D: 72 * L * d * D, _("d must be squared: a block's matrices are d × d (and d × 4d), "
                                           "so N = 12·L·d**2.")),
        (lambda L, d, D: 72 * d * d * D, _("multiply by num_layers too: N = 12·L·d² counts every block.")),
        (lambda L, d, D: 12 * L * d * d * D, _("that is N·D: training costs 6 FLOPs per parameter per token "
                                               "(2 forward, 4 backward).")),
        (lambda L, d, D: 24 * L * d * d * D, _("that is the forward pass only (2·N·D); training adds the backward "
                                               "pass, twice as much: 6·N·D.")),
        (lambda L, d, D: 72 * L * d * d + D, _("multiply by the tokens: every token passes through every weight, "
                                               "6·N·D.")),
        (lambda L, d, D: 12 * L * d * d, _("that is N, the parameters: the compute is 6·N·D FLOPs.")),
        (lambda L, d, D: 6 * 12 * L * d * d, _("that is the compute of one token: multiply by n_tokens.")),
    ]
    return check(run_flops, name="run_flops", reference=_run_flops, make_args=make_args, trials=7,
                 mistakes=mistakes, passed=_("correct on 7 runs, GPT-3's (96 blocks of width 12,288) included."),
                 strict=strict)


# --------------------------------------------------------------------------- exercise 3: the optimal split


def _optimal_split(compute, tokens_per_param=20):
    # 6·N·D = C with D = r·N is the quadratic 6·r·N² − C = 0; its positive root
    a, c = 6.0 * tokens_per_param, -float(compute)
    n = (-0.0 + math.sqrt(-4 * a * c)) / (2 * a)
    return n, tokens_per_param * n


def _split_args(rng, trial):
    # None: tokens_per_param left at its default (20)
    fixed = [(5.76e23, None), (1e10, 20), (3e10, 1.7), (1e21, 50), (6e6, 1), (120.0, None)]
    compute, ratio = fixed[trial]
    return (compute,) if ratio is None else (compute, ratio)


def check_optimal_split(optimal_split, strict: bool = False):
    """``optimal_split(compute, tokens_per_param=20)``: ``(N, D)``, the parameters and tokens that spend
    ``compute = 6·N·D`` FLOPs with ``D = tokens_per_param · N`` tokens (Chinchilla's rule: 20)."""

    def root(compute, r=20):
        return math.sqrt(compute / (6 * r))

    mistakes = [
        (lambda C, r=20: (math.sqrt(C / r), r * math.sqrt(C / r)),
         _("the 6 of 6·N·D is missing: N = sqrt(compute / (6 · tokens_per_param)).")),
        (lambda C, r=20: (C / (6 * r), r * C / (6 * r)),
         _("the square root is missing: 6·N·(r·N) = C gives N² = C / (6·r), so N = sqrt(C / (6·r)).")),
        (lambda C, r=20: (root(C, r), root(C, r) / r),
         _("D = N / tokens_per_param is upside down: there are tokens_per_param tokens for each parameter, "
           "D = tokens_per_param · N.")),
        (lambda C, r=20: (root(C, r), C / root(C, r)),
         _("D = compute / N forgets the 6: D = compute / (6·N), which equals tokens_per_param · N.")),
        (lambda C, r=20: (root(C, 20), 20 * root(C, 20)),
         _("that uses 20 whatever tokens_per_param is: use the argument, with 20 as its default.")),
        (lambda C, r=20: (math.sqrt(C / 6), math.sqrt(C / 6)),
         _("tokens_per_param is left out: D = tokens_per_param · N, so N = sqrt(compute / (6 · tokens_per_param)).")),
    ]
    return check(optimal_split, name="optimal_split", reference=_optimal_split, make_args=_split_args, trials=6,
                 outputs=("N", "D"), mistakes=mistakes, rtol=1e-6,
                 hints=[("missing 1 required positional argument", _("give tokens_per_param its default: "
                                                                    "def optimal_split(compute, tokens_per_param=20)."))],
                 passed=_("correct on 6 budgets, Chinchilla's 5.76e23 FLOPs and GPT-3's 1.7 tokens per parameter included."),
                 strict=strict)
