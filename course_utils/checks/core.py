"""Numerical gradients and relative error: the checks the notebooks' own cells make.

The exercise checkers' engine is in ``engine`` (with ``guard``, which runs the learner's code,
and ``answers``, which compares what came back); verdicts and how they are shown are in
``verdict``. Their main names are importable from here too, where older code looks for them.
"""

from __future__ import annotations

import inspect

import numpy as np

from ..i18n import _
from .engine import check, check_function, checker, compare  # noqa: F401  (importable from here)
from .verdict import VERDICT_MIME, Verdict, report, set_grading_key, verdict_record  # noqa: F401


def _takes_x(f) -> bool:
    """True when ``f`` needs an argument (``f(x)``), False for ``f()``."""
    try:
        params = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):  # no signature to read (some built-ins): try the cs231n form, f(x)
        return True
    return any(p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in params)


def numerical_gradient(f, x, h: float = 1e-5) -> np.ndarray:
    """Central differences ``(f(x + h e_i) - f(x - h e_i)) / 2h`` for every entry of ``x``.

    ``x``: a float NumPy array of any shape (float64 for accurate checks), changed in place
    while probing and always restored, even when ``f`` raises. ``f``: a function that returns
    one number, either of no arguments that reads ``x`` (``lambda: loss(W)``, as the notebooks
    write it) or of one, ``x`` itself (``f(x)``, as cs231n and DLFS write it). Returns a float64
    array of ``x``'s shape. The error is O(h^2), which is why central differences beat one-sided ones.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        got = _("an array of dtype {dtype}").format(dtype=x.dtype) if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(_("numerical_gradient needs x as a float NumPy array, because it nudges x in place by h "
                          "(an integer array cannot hold x + h, a list is not changed in place); got {got}: "
                          "pass np.asarray(x, dtype=float) and use that same array in f.").format(got=got))
    takes_x = _takes_x(f)

    def value() -> float:
        out = f(x) if takes_x else f()
        if np.ndim(out) != 0 and np.size(out) != 1:
            raise ValueError(_("f must return one number (a loss), not an array of shape {shape}: "
                               "sum or average it.").format(shape=np.shape(out)))
        return float(np.asarray(out, dtype=np.float64).reshape(()))

    grad = np.zeros(x.shape, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        try:
            x[i] = old + h
            f_plus = value()
            x[i] = old - h
            f_minus = value()
        finally:
            x[i] = old
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def rel_error(a, b, eps: float = 1e-12) -> float:
    """The largest ``|a - b| / max(|a| + |b|, eps)`` over all entries; 0.0 when both are zero.

    Relative, so a gradient of size 1e-3 and one of size 1e3 are judged alike. For float64
    gradients checked with central differences, expect about 1e-7 or less.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(_("rel_error: shapes differ, {a} vs {b}").format(a=a.shape, b=b.shape))
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), eps)))
