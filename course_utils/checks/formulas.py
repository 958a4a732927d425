"""Checking an exercise whose answer is one number (a FLOP count, a byte count, an epoch).

``check_function`` in ``core`` compares arrays and names a missing ``1/m``. For a formula
that returns one number, the useful feedback is *which* known mistake was made: counting
multiply-adds instead of FLOPs, forgetting the backward pass, leaving out Adam's moments.
``check_formula`` tries each known wrong formula (a "mistake") and names the one that
matches the learner's answer.
"""

from __future__ import annotations

import math
import numbers

from .core import Verdict, call_learner, matching_mistake, report



def _as_number(value):
    """``value`` as a Python float, or ``None`` when it is not one number.

    Accepts Python and NumPy numbers, 0-d arrays and one-element tensors.
    """
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0 or (
        hasattr(value, "numel") and callable(value.numel) and value.numel() == 1
    ):
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return None
    return float(value)


def _close(a: float, b: float, rtol: float, atol: float) -> bool:
    return math.isclose(a, b, rel_tol=rtol, abs_tol=atol)


def _fmt(x: float) -> str:
    """Whole numbers with thousands separators (FLOP and byte counts), others to 6 digits."""
    if math.isfinite(x) and float(x).is_integer() and abs(x) < 1e16:
        return f"{int(x):,}"
    return f"{x:.6g}"


def _show(args) -> str:
    return "(" + ", ".join(repr(a) for a in args) + ")"


def check_formula(
    fn,
    reference,
    make_args,
    *,
    name: str,
    mistakes=(),
    trials: int = 5,
    seed: int = 0,
    rtol: float = 1e-9,
    atol: float = 0.0,
    strict: bool = False,
) -> Verdict:
    """Run ``fn`` and ``reference`` on ``trials`` random argument tuples; one line of feedback.

    ``make_args(rng)`` returns a tuple of arguments (``rng`` a ``random.Random``).
    ``mistakes``: pairs ``(wrong_formula, message)``; when the learner's answer equals
    ``wrong_formula(*args)`` (and not the right one), ``message`` says what went wrong.
    """
    import random

    rng = random.Random(seed)
    verdict = None
    for trial in range(trials):
        args = make_args(rng)
        expected = float(reference(*args))
        got, verdict = call_learner(name, fn, *args)
        if verdict is not None:
            break
        value = _as_number(got)
        where = f"(for inputs {_show(args)}; expected {_fmt(expected)})"
        if value is None:
            verdict = Verdict(name, "fail", f"returned {type(got).__name__} {got!r:.60}, expected one number {where}.")
            break
        if not math.isfinite(value):
            verdict = Verdict(name, "fail", f"returned {value}, which is not a finite number {where}.")
            break
        if _close(value, expected, rtol, atol):
            continue
        message = matching_mistake(mistakes, args, lambda w: not _close(float(w), expected, rtol, atol)
                                   and _close(value, float(w), rtol, atol))
        if message:
            verdict = Verdict(name, "fail", f"{message} Got {_fmt(value)} {where}.")
        else:
            ratio = value / expected if expected else float("nan")
            verdict = Verdict(name, "fail", f"wrong value: got {_fmt(value)} {where}; that is {ratio:.4g} times the right answer.")
        break
    if verdict is None:
        verdict = Verdict(name, "pass", f"correct on {trials} random inputs.")
    return report(verdict, strict)


def check_array(
    fn,
    reference,
    make_args,
    *,
    name: str,
    mistakes=(),
    trials: int = 5,
    seed: int = 0,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    strict: bool = False,
) -> Verdict:
    """Like ``check_formula`` for a function that returns an array.

    ``make_args(rng)`` gets a ``numpy.random.Generator``. A known mistake is named first;
    otherwise ``core.compare`` says what differs (shape, flipped sign, a factor, NaN).
    NumPy arrays among the arguments are copied for each call, so changing them in place
    cannot spoil the comparison.
    """
    import numpy as np

    from .core import _Placeholder, _to_array, compare

    def fresh(args):
        return [np.copy(a) if isinstance(a, np.ndarray) else a for a in args]

    rng = np.random.default_rng(seed)
    verdict = None
    for trial in range(trials):
        args = make_args(rng)
        expected = np.asarray(reference(*fresh(args)), dtype=np.float64)
        got, verdict = call_learner(name, fn, *fresh(args))
        if verdict is not None:
            break
        problem = compare(got, expected, rtol=rtol, atol=atol)
        if problem is None:
            continue
        try:
            got_array = _to_array(got)
        except (_Placeholder, TypeError, ValueError):
            got_array = None
        def matches(w):
            w = np.asarray(w, dtype=np.float64)
            return (got_array is not None and w.shape == got_array.shape
                    and compare(w, expected, rtol=rtol, atol=atol) is not None
                    and np.allclose(got_array, w, rtol=rtol, atol=atol))

        problem = matching_mistake(mistakes, args, matches, copy=fresh) or problem
        verdict = Verdict(name, "fail", f"{problem} (trial {trial + 1} of {trials})")
        break
    if verdict is None:
        verdict = Verdict(name, "pass", f"correct on {trials} random inputs.")
    return report(verdict, strict)
