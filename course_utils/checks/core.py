"""Numerical gradients, relative error, and the engine behind every exercise checker.

An exercise checker runs the learner's function on several random inputs, compares it
with a reference, and prints one line of feedback that says *what* is wrong: a shape,
a flipped sign, a factor (the missing ``1/m``), NaN or inf, or an exception explained.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import traceback
from dataclasses import dataclass

import numpy as np

# --------------------------------------------------------------------------- gradients


def numerical_gradient(f, x, h: float = 1e-5) -> np.ndarray:
    """Central differences ``(f(x + h e_i) - f(x - h e_i)) / 2h`` for every entry of ``x``.

    ``x``: an array of any shape (float64 for accurate checks), changed in place while
    probing and restored after; ``f``: a function of no arguments that reads ``x`` and
    returns a scalar. Returns an array of ``x``'s shape. The error is O(h^2), which is why
    central differences beat one-sided ones.
    """
    if not isinstance(x, np.ndarray) or not np.issubdtype(x.dtype, np.floating):
        raise TypeError("numerical_gradient needs a float NumPy array to nudge in place (use x.astype(float))")
    grad = np.zeros_like(x, dtype=np.float64)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        f_plus = float(f())
        x[i] = old - h
        f_minus = float(f())
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
        raise ValueError(f"rel_error: shapes differ, {a.shape} vs {b.shape}")
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), eps)))


# --------------------------------------------------------------------------- verdicts


@dataclass
class Verdict:
    """What a checker found. Truthy only when the answer is right."""

    name: str
    status: str  # "pass", "fail", "todo"
    message: str

    def __bool__(self) -> bool:
        return self.status == "pass"

    def _ipython_display_(self):
        """Show nothing more in a notebook: the checker has already printed its line."""

    def line(self) -> str:
        mark = {"pass": "✅", "fail": "❌", "todo": "⏳"}[self.status]
        return f"{mark} {self.name}: {self.message}"


VERDICT_MIME = "application/vnd.course-utils.verdict+json"
_GRADING_KEY = []  # set by the grader (tools/grade.py) in the kernel it runs, never by a notebook


def set_grading_key(key: str) -> None:
    """Sign every verdict from now on with ``key`` (HMAC-SHA256), so a grader can tell a real
    verdict from one a learner's code printed or displayed itself."""
    _GRADING_KEY[:] = [key]


def verdict_record(verdict: Verdict) -> dict:
    """The verdict as structured data: name, status, message, and a signature when grading."""
    record = {"name": verdict.name, "status": verdict.status, "message": verdict.message}
    if _GRADING_KEY:
        payload = json.dumps(record, sort_keys=True, ensure_ascii=False).encode()
        record["signature"] = hmac.new(_GRADING_KEY[0].encode(), payload, hashlib.sha256).hexdigest()
    return record


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and getattr(shell, "kernel", None) is not None


def report(verdict: Verdict, strict: bool = False) -> Verdict:
    """Show the verdict's line; with ``strict=True`` raise ``AssertionError`` unless it passed.

    In a Jupyter kernel the line goes out as one display output that also carries the verdict
    as structured data (``VERDICT_MIME``), which is what ``tools/grade.py`` reads; elsewhere
    (a script, a test) it is printed.
    """
    if _in_kernel():
        from IPython.display import display

        display({"text/plain": verdict.line(), VERDICT_MIME: verdict_record(verdict)}, raw=True)
    else:
        print(verdict.line())
    if strict and not verdict:
        raise AssertionError(verdict.line())
    return verdict


class _Placeholder(Exception):
    pass


TODO = "not implemented yet: replace the placeholder in the cell above, then run it and this check again."
TODO_RAISE = "not implemented yet: replace the `raise NotImplementedError` in the cell above."


def matching_mistake(mistakes, args, matches, copy=lambda args: args):
    """The message of the first known mistake whose answer ``matches`` the learner's, else None.

    ``mistakes``: ``(wrong_fn, message)`` pairs; ``wrong_fn(*args)`` computes that mistake's
    answer, on ``copy(args)`` (a fresh copy each, since a wrong formula may change its inputs).
    A wrong formula that cannot even run on these inputs is skipped, not blamed on the learner.
    """
    for wrong, message in mistakes:
        try:
            with np.errstate(all="ignore"):
                hit = matches(wrong(*copy(args)))
        except Exception:  # the wrong formula (or its answer) does not fit these inputs
            continue
        if hit:
            return message
    return None


def call_learner(name: str, fn, *args):
    """Run the learner's ``fn(*args)``: ``(result, None)``, or ``(None, verdict)`` when it is
    still a placeholder (returns None or ``...``) or raised (the exception explained)."""
    try:
        out = fn(*args)
    except NotImplementedError:
        return None, Verdict(name, "todo", TODO_RAISE)
    except Exception as exc:  # the learner's bug, explained rather than re-raised
        return None, Verdict(name, "fail", _explain_exception(exc))
    if out is None or out is Ellipsis or out is NotImplemented:
        return None, Verdict(name, "todo", TODO)
    return out, None


def _to_array(value):
    if value is None or value is Ellipsis or value is NotImplemented:
        raise _Placeholder
    if hasattr(value, "detach"):  # a torch tensor
        value = value.detach().cpu().numpy()
    return np.asarray(value, dtype=np.float64)


def _where_it_broke(exc: BaseException) -> str:
    """The learner's line that raised, found as the last frame outside course_utils."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if "course_utils" not in f.filename]
    if not frames:
        return ""
    line = (frames[-1].line or "").strip()
    return f" in the line `{line}`" if line else ""


_EXCEPTION_HINTS = {
    "ValueError": "often two arrays whose shapes do not fit (print .shape of each)",
    "TypeError": "often a wrong number or kind of argument",
    "IndexError": "an index past the end of an axis",
    "NameError": "a name that is not defined yet: run the cells above, or check the spelling",
    "AttributeError": "a method or attribute that does not exist on this object",
    "ZeroDivisionError": "a division by zero",
}


def _explain_exception(exc: BaseException) -> str:
    kind = type(exc).__name__
    hint = _EXCEPTION_HINTS.get(kind)
    return f"your code raised {kind}{_where_it_broke(exc)}: {exc}" + (f" ({hint})." if hint else ".")


def _constant_ratio(got, expected):
    mask = np.abs(expected) > 1e-6 * max(1.0, float(np.max(np.abs(expected))))
    if not mask.any():
        return None
    ratios = got[mask] / expected[mask]
    r = float(np.median(ratios))
    if r != 0 and np.allclose(ratios, r, rtol=1e-4, atol=1e-9):
        return r
    return None


def _simple_ratio(r: float) -> bool:
    """True for ratios such as 2, -3, 1/2 or 1/10: a forgotten factor rather than a wrong formula."""
    for v in (abs(r), 1 / abs(r)):
        if round(v) <= 10 and np.isclose(v, round(v), rtol=1e-6):
            return True
    return False


def compare(got, expected, *, rtol=1e-6, atol=1e-8, m=None, nan_hint=None) -> str | None:
    """``None`` when ``got`` matches ``expected``, else one specific sentence saying how not.

    ``m``: the batch size, so a factor of ``m`` or ``1/m`` is named as the missing mean.
    """
    expected = np.asarray(expected, dtype=np.float64)
    try:
        got = _to_array(got)
    except (TypeError, ValueError):
        return f"returned {type(got).__name__}, expected an array of shape {expected.shape}."
    if got.shape != expected.shape:
        if expected.ndim == 0 and got.size > 1:
            return f"returned an array of shape {got.shape}; expected one number (did you forget to average over the batch?)."
        if got.ndim == 2 and got.shape == expected.shape[::-1]:
            return f"shape {got.shape} is transposed: expected {expected.shape}."
        return f"expected shape {expected.shape}, got {got.shape}."
    if not np.all(np.isfinite(got)) and np.all(np.isfinite(expected)):
        bad = int(np.sum(~np.isfinite(got)))
        return f"{bad} entr{'y is' if bad == 1 else 'ies are'} NaN or inf" + (f"; {nan_hint}" if nan_hint else ".")
    if np.allclose(got, expected, rtol=rtol, atol=atol):
        return None
    if np.any(expected != 0) and np.allclose(got, -expected, rtol=rtol, atol=atol):
        return "the sign is flipped: every value is the negative of the right one."
    r = _constant_ratio(got, expected)
    if r is not None and not np.isclose(r, 1.0):
        if m and np.isclose(r, m, rtol=1e-3):
            return f"off by a factor of {r:g} = m, the batch size: divide the sum by m (the 1/m in the mean)."
        if m and np.isclose(r, 1 / m, rtol=1e-3):
            return f"off by a factor of 1/{m} (1/m, with m the batch size): this one should not be averaged."
        if got.size > 1 or _simple_ratio(r):  # for one number any error is "a factor": name only a telling one
            return f"off by a constant factor of {r:.4g}."
    err = np.abs(got - expected)
    i = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
    where = f" at index {tuple(int(k) for k in i)}" if i else ""
    return f"wrong values: largest error {float(err.max()):.3g}{where} (got {float(got[i]):.6g}, expected {float(expected[i]):.6g})."


def check_function(
    fn,
    reference,
    make_args,
    *,
    name: str,
    trials: int = 5,
    seed: int = 0,
    rtol: float = 1e-6,
    atol: float = 1e-8,
    batch_size=None,
    nan_hint: str | None = None,
    strict: bool = False,
) -> Verdict:
    """Run ``fn`` and ``reference`` on ``trials`` random inputs and report how ``fn`` differs.

    ``make_args(rng)`` returns a tuple of arguments; each call gets its own copy, so a
    function that changes its inputs in place cannot spoil the comparison.
    ``batch_size(args)`` tells ``m``, so the missing ``1/m`` can be named.
    """
    rng = np.random.default_rng(seed)
    verdict = None
    for trial in range(trials):
        args = make_args(rng)
        expected = reference(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
        try:
            got = fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args])
            try:
                _to_array(got)
            except (TypeError, ValueError):
                pass  # not an array of numbers (a tuple, a string): compare() below says what came back
        except _Placeholder:
            verdict = Verdict(name, "todo", TODO)
            break
        except NotImplementedError:
            verdict = Verdict(name, "todo", TODO_RAISE)
            break
        except Exception as exc:  # the learner's bug, explained rather than re-raised
            verdict = Verdict(name, "fail", _explain_exception(exc))
            break
        m = batch_size(args) if batch_size else None
        problem = compare(got, expected, rtol=rtol, atol=atol, m=m, nan_hint=nan_hint)
        if problem:
            shapes = ", ".join(str(np.shape(a)) for a in args if isinstance(a, np.ndarray))
            verdict = Verdict(name, "fail", f"{problem} (input shapes {shapes}; trial {trial + 1} of {trials})")
            break
    if verdict is None:
        verdict = Verdict(name, "pass", f"correct on {trials} random inputs.")
    return report(verdict, strict)
