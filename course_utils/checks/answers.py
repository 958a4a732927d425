"""What the learner returned, read as numbers, and how it differs from the right answer, in
one sentence: not numbers at all (a string, a generator), a shape, a flipped sign, a factor
(the missing ``1/m``), NaN, integers where fractions were needed, float32 precision, or the
worst entry.

Tolerances follow the precision of the answer: float64 answers are held to ``rtol`` (1e-6 by
default), float32 ones to about 1e-4 and half precision to about 1e-2, the error those types
make anyway; a float32 answer that misses even that is told so.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np

from ..i18n import _
from .verdict import Stop

# relative and absolute (times the size of the answer) error a type makes anyway
_PRECISION = {"float32": (1e-4, 1e-6), "float16": (1e-2, 1e-3), "bfloat16": (2e-2, 1e-2)}
_INTEGERS = ("bool", "int", "uint")


def is_placeholder(value) -> bool:
    return value is None or value is Ellipsis or value is NotImplemented


def _is_tensor(value) -> bool:
    return type(value).__module__.startswith("torch") and hasattr(value, "detach")


def kind_of(value) -> str:
    """How a message names a value that is not numbers: "a str '100480'", "a generator", ..."""
    if isinstance(value, str):
        return _("the string {text}").format(text=repr(value)[:40])
    if hasattr(value, "__next__") and hasattr(value, "__iter__"):
        return _("a generator (did you use yield where return was meant?)")
    if callable(value):
        return _("the function `{name}` itself, not its result (add the () to call it)").format(
            name=getattr(value, "__name__", type(value).__name__))
    return _("a {type}").format(type=type(value).__name__)


def _not_numbers(value, expected_text: str):
    if isinstance(value, str):
        return Stop("fail", _("returned {what}, which is text: return the number itself, not a string (no str(), "
                              "quotes or f-string); expected {expected}.").format(what=kind_of(value), expected=expected_text))
    return Stop("fail", _("returned {what}; expected {expected}.").format(what=kind_of(value), expected=expected_text))


def _holds_placeholder(value) -> bool:
    return isinstance(value, (list, tuple)) and any(is_placeholder(v) or _holds_placeholder(v) for v in value)


def digits(n: int) -> int:
    """Decimal digits of a (possibly enormous) int, without converting it to a string."""
    n = abs(int(n))
    if n < 10**15:
        return len(str(n))
    d = int(n.bit_length() * 0.30102999566398120) + 1
    return d if n >= 10 ** (d - 1) else d - 1


def fmt(x) -> str:
    """A number for a message: whole numbers with thousands separators, others to 6 digits."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
        x = int(x)
        return f"{x:,}" if abs(x) < 10**30 else _("a number with {n:,} digits").format(n=digits(x))
    x = float(x)
    if math.isfinite(x) and x.is_integer() and abs(x) < 1e16:
        return f"{int(x):,}"
    return f"{x:.6g}"


def fmt_pair(got: float, expected: float) -> tuple[str, str]:
    """Both numbers with as many digits as it takes to see that they differ (never "got 3.60909,
    expected 3.60909")."""
    for p in (6, 8, 10, 12, 15, 17):
        a, b = f"{got:.{p}g}", f"{expected:.{p}g}"
        if a != b:
            return a, b
    return repr(float(got)), repr(float(expected))


def read_array(value, expected_text: str = "") -> tuple[np.ndarray, str]:
    """``(float64 array, precision)`` for a learner's value: a NumPy array or number, a list or
    tuple of numbers, a torch tensor (on any device, with or without grad). ``precision`` is the
    value's own dtype name ("float32", "int64", "bool", ...). Anything else stops the check with
    a sentence saying what came back (a string, a generator, a function, None inside a list)."""
    expected_text = expected_text or _("numbers")
    if _holds_placeholder(value):
        raise Stop("todo", _("part of the answer is still None (or ...): finish it, then run the check again."))
    if isinstance(value, (str, bytes, dict, set)) or callable(value) or hasattr(value, "__next__"):
        raise _not_numbers(value, expected_text)
    if isinstance(value, bool):
        precision = "bool"
    elif isinstance(value, int):
        precision = "int64"
        if abs(value) > 10**300:
            raise Stop("fail", _("returned an integer with {n:,} digits, far too large for a float; expected {expected}.")
                       .format(n=digits(value), expected=expected_text))
    elif isinstance(value, float):
        precision = "float64"
    elif _is_tensor(value):
        precision = str(value.dtype).replace("torch.", "")
        value = value.detach().cpu()
        if precision in ("bfloat16", "float16"):
            value = value.float()  # NumPy has no bfloat16
        value = value.numpy()
    else:
        precision = getattr(getattr(value, "dtype", None), "name", None)
    try:
        array = np.asarray(value)
        if precision is None:
            precision = array.dtype.name
        if array.dtype.kind == "c":
            raise Stop("fail", _("returned complex numbers; expected {expected} (real numbers).").format(expected=expected_text))
        array = array.astype(np.float64)
    except Stop:
        raise
    except OverflowError:
        raise Stop("fail", _("returned an integer far too large for a float; expected {expected}.").format(
            expected=expected_text)) from None
    except Exception:  # ragged lists, tensors inside lists, objects: not an array of numbers
        what = _("a {type} that is not a table of numbers").format(type=type(value).__name__)
        raise Stop("fail", _("returned {what}; expected {expected}.").format(what=what, expected=expected_text)) from None
    return array, precision


def read_number(value, expected_text: str = "") -> tuple[int | float, str]:
    """``(Python int or float, precision)`` for a learner's value that should be one number: an
    int (kept exact, however large), a float, a NumPy scalar, a 0-d array, a one-element tensor."""
    expected_text = expected_text or _("one number")
    if isinstance(value, bool) or isinstance(value, np.bool_):
        raise Stop("fail", _("returned {value}, a bool (True/False); expected {expected}.").format(
            value=value, expected=expected_text))
    if isinstance(value, np.integer):
        return int(value), value.dtype.name
    if isinstance(value, numbers.Integral):
        return int(value), "int"  # a Python int: exact, however large
    array, precision = read_array(value, expected_text)
    if array.ndim != 0:
        raise Stop("fail", _("returned an array of shape {shape}; expected {expected}.").format(
            shape=array.shape, expected=expected_text))
    number = array.reshape(()).item()
    if precision.startswith(_INTEGERS) and precision != "bool":
        return int(number), precision
    if precision == "bool":
        raise Stop("fail", _("returned a bool (True/False); expected {expected}.").format(expected=expected_text))
    return number, precision


def tolerance(precision: str, rtol: float, atol: float, scale: float = 1.0) -> tuple[float, float]:
    """``(rtol, atol)`` for an answer of ``precision``: never tighter than what that type can hold."""
    r, a = _PRECISION.get(precision, (0.0, 0.0))
    return max(rtol, r), max(atol, a * max(1.0, scale))


def _simple_ratio(r: float) -> bool:
    """True for ratios such as 2, -3, 1/2 or 1/10: a forgotten factor rather than a wrong formula."""
    if r == 0 or not math.isfinite(r):
        return False
    for v in (abs(r), 1 / abs(r)):
        if 1.5 <= v and round(v) <= 10 and math.isclose(v, round(v), rel_tol=1e-6):
            return True
    return False


def _ratio_text(r: float) -> str:
    """2, -3, 1/10, 1/255 (a division by a whole number shown as one), else 4 digits."""
    if 0 < abs(r) < 1 and math.isclose(1 / abs(r), round(1 / abs(r)), rel_tol=1e-6):
        return f"{'-' if r < 0 else ''}1/{round(1 / abs(r))}"
    return f"{r:.4g}"


def _factor_message(r: float, m) -> str | None:
    """The sentence for an answer that is the right one times ``r``, when ``r`` tells something."""
    if m and math.isclose(r, m, rel_tol=1e-3) and m != 1:
        return _("off by a factor of {m} = m, the batch size: divide the sum by m (the 1/m of the mean).").format(m=m)
    if m and math.isclose(r, 1 / m, rel_tol=1e-3) and m != 1:
        return _("off by a factor of 1/{m} (1/m, with m the batch size): this one should not be averaged.").format(m=m)
    if _simple_ratio(r) or math.isclose(abs(r), 100, rel_tol=1e-9):
        return _("off by a factor of {ratio}.").format(ratio=_ratio_text(r))
    return None


def compare_count(got, expected: int, *, integer: bool = False, m=None) -> str | None:
    """``None`` when ``got`` is the whole number ``expected``, else why not. Python ints are
    compared exactly, however large (``(D + 1) ** M`` is a number with thousands of digits)."""
    value, precision = read_number(got, fmt(expected))
    expected = int(expected)
    if isinstance(value, float):
        if not math.isfinite(value):
            return _("returned {value}, not a finite number; expected {expected}.").format(value=value, expected=fmt(expected))
        if integer and value.is_integer() and value == expected:
            return _("the right value, but as a float ({value!r}): return an int (use // instead of /, or int()), "
                     "since sizes and indices must be whole numbers.").format(value=value)
        if integer and not value.is_integer():
            return _("returned {value}, not a whole number; expected the int {expected}.").format(
                value=f"{value:g}", expected=fmt(expected))
        if math.isclose(value, expected, rel_tol=1e-12, abs_tol=1e-9):
            return None
    elif value == expected:
        return None
    got_text, expected_text = fmt(value), fmt(expected)
    if precision.startswith(_INTEGERS) and precision != "int" and abs(expected) > np.iinfo(precision).max:
        return _("got {got}, expected {expected}: the count overflowed NumPy's {dtype}, which holds at most {top:.3g}; "
                 "compute with Python ints (int(n)), which have no limit.").format(
            got=got_text, expected=expected_text, dtype=precision, top=float(np.iinfo(precision).max))
    if isinstance(value, int) and digits(value) > digits(expected) + 6:
        return _("got {got}, expected {expected}: far too large (a power ** where a product * belongs?).").format(
            got=got_text, expected=expected_text)
    if expected:
        ratio = Fraction(value).limit_denominator(1000) / expected if isinstance(value, float) else Fraction(value, expected)
        factor = _factor_message(float(ratio), m) if ratio.denominator <= 10 or ratio.numerator == 1 else None
        if factor:
            return _("got {got}, expected {expected}: {factor}").format(got=got_text, expected=expected_text, factor=factor)
    return _("got {got}, expected {expected}.").format(got=got_text, expected=expected_text)


def compare(got, expected, *, rtol: float = 1e-6, atol: float = 1e-8, m=None, nan_hint=None,
            floats: bool = False, warned=()) -> str | None:
    """``None`` when ``got`` matches ``expected``, else one specific sentence saying how not.

    ``m``: the batch size, so a factor of ``m`` or ``1/m`` is named as the missing mean.
    ``floats``: the answer must be floats (an int or bool array with the right values is not).
    ``warned``: RuntimeWarnings the learner's code raised, quoted when the answer holds NaN.
    """
    try:
        return _compare(got, expected, rtol, atol, m, nan_hint, floats, warned)
    except Stop as stop:
        return stop.message


def _compare(got, expected, rtol, atol, m, nan_hint, floats, warned):
    if isinstance(expected, numbers.Integral) and not isinstance(expected, bool):
        return compare_count(got, expected, m=m)
    expected, _precision = read_array(expected)
    shape_text = _("one number") if expected.ndim == 0 else _("an array of shape {shape}").format(shape=expected.shape)
    if isinstance(got, (tuple, list)) and not all(isinstance(v, numbers.Number) for v in got):
        try:
            shape = np.shape(got)
        except Exception:  # ragged: (grad, loss), or tensors that need .detach()
            shape = None
        if shape != expected.shape and len(got) == 1:
            return _("returned a {type} holding one value; expected {shape} itself (a stray comma after "
                     "return?).").format(type=type(got).__name__, shape=shape_text)
        if shape != expected.shape:  # several values where one array belongs
            return _("returned a {type} of {n} values; expected {shape}.").format(
                type=type(got).__name__, n=len(got), shape=shape_text)
    array, precision = read_array(got, shape_text)
    if array.shape != expected.shape:
        if expected.ndim == 0 and array.size == 1:
            return _("returned an array of shape {shape}; expected one number: take it out with .item() (np.mean "
                     "and np.sum without keepdims give one number).").format(shape=array.shape)
        if expected.ndim == 0 and array.size > 1:
            return _("returned an array of shape {shape}; expected one number (did you forget to average over "
                     "the batch?).").format(shape=array.shape)
        if array.ndim == 2 and array.shape == expected.shape[::-1]:
            return _("shape {got} is transposed: expected {expected}.").format(got=array.shape, expected=expected.shape)
        return _("expected shape {expected}, got {got}.").format(expected=expected.shape, got=array.shape)
    if not np.all(np.isfinite(array)) and np.all(np.isfinite(expected)):
        bad = int(np.sum(~np.isfinite(array)))
        if array.size == 1:
            message = _("the answer is {value}").format(value=array.reshape(-1)[0])
        elif bad == 1:
            message = _("1 of {total} entries is NaN or inf").format(total=array.size)
        else:
            message = _("{n} of {total} entries are NaN or inf").format(n=bad, total=array.size)
        if warned:
            message += _(" (NumPy warned: {warning})").format(warning=warned[0])
        return message + ("; {hint}".format(hint=nan_hint) if nan_hint else ".")
    scale = float(np.max(np.abs(expected))) if expected.size else 1.0
    r, a = tolerance(precision, rtol, atol, scale)
    if np.allclose(array, expected, rtol=r, atol=a, equal_nan=True):
        if floats and precision.startswith(_INTEGERS):
            return _("the right values, but as {dtype}: return floats (e.g. .astype(float)), as the exercise "
                     "asks.").format(dtype=precision)
        return None
    if precision in _PRECISION and np.allclose(array, expected, rtol=100 * r, atol=100 * a):
        return _("close, but computed in {dtype}, which keeps too few digits here: compute in float64 (NumPy's "
                 "default; drop the .astype({dtype}) or dtype={dtype}).").format(dtype=precision)
    if np.any(expected != 0) and np.allclose(array, -expected, rtol=r, atol=a):
        return _("the sign is flipped: every value is the negative of the right one.")
    if precision.startswith(_INTEGERS) and precision != "bool" and not np.allclose(expected, np.round(expected)) \
            and np.all(np.abs(array - expected) < 1 + a):
        return _("the answer holds whole numbers ({dtype}) where fractions belong: integer division (//), int() "
                 "or an integer array (np.zeros(..., dtype=int)) dropped them; use / and float arrays.").format(
            dtype=precision)
    if np.all(array == np.round(array)) and not np.allclose(expected, np.round(expected)) \
            and np.all(np.abs(array - expected) < 1 + a):
        return _("the answer holds whole numbers where fractions belong: was // (floor division) used where / "
                 "belongs, or round()?")
    ratio = _constant_ratio(array, expected)
    if ratio is not None and not math.isclose(ratio, 1.0, rel_tol=1e-3):
        factor = _factor_message(ratio, m)
        if factor is None and array.size > 1:
            factor = _("off by a constant factor of {ratio}.").format(ratio=_ratio_text(ratio))
        if factor:
            return factor
    err = np.abs(array - expected)
    i = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    got_text, expected_text = fmt_pair(float(array[i]), float(expected[i]))
    if not i:
        return _("got {got}, expected {expected}.").format(got=got_text, expected=expected_text)
    return _("wrong values: the largest error is {err:.3g}, at index {index} (got {got}, expected {expected}).").format(
        err=float(err.max()), index=tuple(int(k) for k in i), got=got_text, expected=expected_text)


def _constant_ratio(got, expected):
    mask = np.abs(expected) > 1e-6 * max(1.0, float(np.max(np.abs(expected))))
    if not mask.any():
        return None
    ratios = got[mask] / expected[mask]
    r = float(np.median(ratios))
    if r != 0 and np.all(np.isfinite(ratios)) and np.allclose(ratios, r, rtol=1e-4, atol=1e-9) \
            and np.allclose(got[~mask], 0, atol=1e-9 * max(1.0, abs(r))):
        return r
    return None


def same(got, expected, rtol: float = 1e-6, atol: float = 1e-8) -> bool:
    """True when ``got`` would pass as ``expected`` (tuples of values compared value by value)."""
    if isinstance(expected, tuple):
        return isinstance(got, (tuple, list)) and len(got) == len(expected) and all(
            same(g, e, rtol, atol) for g, e in zip(got, expected))
    return compare(got, expected, rtol=rtol, atol=atol) is None
