"""The one engine behind every exercise checker.

A checker is a reference (the right answer), a way to make inputs (the trials) and a table of
known mistakes; ``check`` runs the learner's function on each trial and shows one line. What
it guarantees, whatever the learner's function does:

- one verdict line (⏳ not written yet, ❌ what is wrong, ✅), never a traceback of the course;
  an error in a checker itself is a ❌ that says it is the course's fault;
- each call of the learner's code under a time limit (``guard``), its printing and warnings
  kept aside, its exception explained at the learner's own line;
- the learner's inputs are copies, and changing one in place is named;
- ``None`` is "not written yet", but printed-and-returned-None, ``None`` inside a tuple, a
  string, a list where an array was asked (accepted when right), swapped outputs, integers
  where fractions belong and float32 precision are each named (``answers``);
- the first known mistake the answer equals is named, in the learner's words.

A checker with its own logic (a generator, a random initialization, a training step) is a
function decorated with ``@checker(name)`` that gets a ``Check``, ``t``, and uses its
primitives: ``t.call`` (the learner's function, guarded), ``t.run`` (any more of the learner's
code, such as consuming a generator), ``t.split``, ``t.expect``, ``t.stop``.
"""

from __future__ import annotations

import inspect
import itertools
import numbers

import numpy as np

from ..i18n import _
from .answers import _compare, compare, compare_count, fmt, is_placeholder, same
from .guard import DEFAULT_SECONDS, explain, run_learner, seconds_allowed
from .verdict import Stop, Verdict, report

def todo_message() -> str:
    return _("not implemented yet: replace the placeholder in the cell above, then run it and this check again.")


# --------------------------------------------------------------------------- the learner's inputs


def fresh(value):
    """A deep copy of arrays, tensors, lists, tuples and dicts (so the learner can change theirs
    without spoiling the reference or the next trial); any other object as it is."""
    if isinstance(value, np.ndarray):
        return value.copy()
    if type(value).__module__.startswith("torch") and hasattr(value, "clone"):
        return value.detach().clone()
    if isinstance(value, (list, tuple)):
        return type(value)(fresh(v) for v in value)
    if isinstance(value, dict):
        return {k: fresh(v) for k, v in value.items()}
    return value


def _changed(before, now, label: str) -> str | None:
    """The label (``W``, ``cache[0]``, ``history['val acc']``) of what differs between a copy
    taken before the learner's call and the value after it; None when nothing changed."""
    if before is now:
        return None  # an object passed as it is (a model, an rng): not ours to watch
    if isinstance(before, np.ndarray):
        same_now = isinstance(now, np.ndarray) and now.shape == before.shape and np.array_equal(now, before, equal_nan=True)
        return None if same_now else label
    if hasattr(before, "clone"):  # a torch tensor
        import torch

        return None if now.shape == before.shape and torch.equal(now.detach(), before) else label
    if isinstance(before, (list, tuple, dict)):
        if len(now) != len(before):
            return label
        keys = before.keys() if isinstance(before, dict) else range(len(before))
        for k in keys:
            inner = _changed(before[k], now[k], f"{label}[{k!r}]")
            if inner:
                return label if isinstance(before, list) else inner
        return None
    if isinstance(before, (numbers.Number, str)):  # an entry of a list or dict
        return None if before == now or before != before and now != now else label
    return None


def _parameter_names(fn) -> list[str]:
    try:
        return [p.name for p in inspect.signature(fn).parameters.values()
                if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    except (TypeError, ValueError):
        return []


def _short(value) -> str:
    """An input as a message shows it: arrays by their shape, numbers by value, functions by name."""
    if hasattr(value, "shape") and hasattr(value, "dtype") and getattr(value, "ndim", 0) > 0:
        return str(tuple(value.shape))
    if isinstance(value, tuple):
        return "(" + ", ".join(_short(v) for v in value) + ")"
    if isinstance(value, (bool, str)) or value is None:
        return repr(value)
    if isinstance(value, (int, float, np.number)):
        return fmt(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k!r}: …" for k in value) + "}"
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def describe(args, names) -> str:
    """``W (2, 4), grad (2, 4), lr=0.31``; parameters left out of the call are named as defaults."""
    parts = []
    for k, value in enumerate(args):
        label = names[k] if k < len(names) else f"#{k + 1}"
        short = _short(value)
        parts.append(f"{label} {short}" if short.startswith("(") and hasattr(value, "shape") else f"{label}={short}")
    if len(names) > len(args):
        parts.append(_("{names} left at the default").format(names=", ".join(names[len(args):])))
    return ", ".join(parts)


# --------------------------------------------------------------------------- one run of a checker


class Check:
    """One run of a checker: the primitives every checker uses, each of which either returns
    or stops the check with its verdict (``Stop``)."""

    def __init__(self, name: str, seconds: float | None = None, hints=()):
        self.name = name
        self.seconds = seconds_allowed(seconds or DEFAULT_SECONDS)
        self.hints = tuple(hints)  # (text in an exception's message, what to say about it)
        self.warnings: list[str] = []  # RuntimeWarnings of the learner's code so far (overflow, ...)
        self.changed: str | None = None  # the input the last call changed in place, if any
        self.new_array = False  # the exercise promises a new array: an in-place change says so
        self._watched = ([], (), ())  # the last call's parameter names, a copy of its inputs, the inputs

    def stop(self, message: str, status: str = "fail"):
        """End the check now with this message."""
        raise Stop(status, message)

    def run(self, thunk):
        """Run more of the learner's code (``thunk()``, e.g. looping over what their function
        returned) under the time limit; its value, or the check stops with what it raised."""
        result = run_learner(thunk, self.seconds)
        self.warnings += result.warnings
        if isinstance(result.error, NotImplementedError):
            self.stop(_("not implemented yet: replace the `raise NotImplementedError` in the cell above."), "todo")
        if result.error is not None:
            self.stop(explain(result.error, self.seconds, self.hints))
        return result

    def call(self, fn, *args, keep_inputs: bool = True, **kwargs):
        """``fn(*args, **kwargs)``, the learner's function, guarded: returns its value. Stops the
        check when it raised or ran too long, returned a placeholder (None, ...) or printed its
        answer instead of returning it, or (``keep_inputs``) changed one of its inputs."""
        self._watched = (_parameter_names(fn), fresh(args), args)
        result = self.run(lambda: fn(*args, **kwargs))
        self.changed = self.changed_input()
        value = result.value
        if is_placeholder(value):
            if self.changed:
                self.stop(_("changed `{arg}` in place and returned {value}: return the result instead, as a new "
                            "value.").format(arg=self.changed, value=value))
            printed = result.printed.strip()
            if printed:
                self.stop(_("your function printed {text} but returned {value}: use `return` to hand the answer "
                            "back (print only shows it).").format(text=repr(printed[:60]), value=value))
            self.stop(todo_message(), "todo")
        if keep_inputs and self.changed:
            self.stop(self.in_place_message())
        return value

    def changed_input(self) -> str | None:
        """The name of the input of the last ``call`` that has changed since (its code may run
        later, e.g. a generator's, under ``run``), or None."""
        names, before, args = self._watched
        return next((c for k, (b, a) in enumerate(zip(before, args))
                     if (c := _changed(b, a, names[k] if k < len(names) else f"#{k + 1}"))), None)

    def in_place_message(self) -> str:
        arg = self.changed
        if self.new_array:
            return _("changed its input `{arg}` in place, but the docstring promises a new array: compute the "
                     "result as a new array (`{arg} - ...`), not with `{arg} -= ...` or `{arg}[...] = ...`.").format(arg=arg)
        return _("changed its input `{arg}` in place, which spoils the caller's {arg}: work on a new array or a "
                 "copy (`.copy()`, `list(...)`), not with `-=`, `[...] =`, `.pop()` or `.append()` on the "
                 "input.").format(arg=arg)

    def split(self, value, names) -> list:
        """``value`` as ``len(names)`` separate values (a tuple or a list: ``[W, b]`` is fine), or
        the check stops: another count, or one still None ("not written yet")."""
        k = len(names)
        listed = ", ".join(names)
        if not isinstance(value, (tuple, list)):
            self.stop(_("return {k} values, ({names}); got one {type}.").format(k=k, names=listed, type=type(value).__name__))
        if len(value) != k:
            self.stop(_("return {k} values, ({names}); got {n}.").format(k=k, names=listed, n=len(value)))
        for name, v in zip(names, value):
            if is_placeholder(v):
                self.stop(_("{name} is not written yet (it is still {value}): finish it, then run the check "
                            "again.").format(name=name, value=v), "todo")
        return list(value)

    def difference(self, got, expected, *, outputs=None, m=None, nan_hint=None, integer=False, floats=False,
                   rtol=1e-6, atol=1e-8) -> str | None:
        """None when ``got`` is right, else what differs. ``outputs``: the names of several
        returned values (their order checked too: two swapped are named)."""
        if outputs is None:
            if isinstance(expected, (int, np.integer)) and not isinstance(expected, bool):
                return compare_count(got, expected, integer=integer, m=m)
            return _compare(got, expected, rtol, atol, m, nan_hint, floats, self.warnings)
        got, expected = self.split(got, outputs), tuple(expected)
        for i, j in itertools.combinations(range(len(outputs)), 2):
            if not same(got[i], expected[i], rtol, atol) and same(got[i], expected[j], rtol, atol) \
                    and same(got[j], expected[i], rtol, atol):
                return _("{a} and {b} are swapped: return them in the order ({order}).").format(
                    a=outputs[i], b=outputs[j], order=", ".join(outputs))
        for name, g, e in zip(outputs, got, expected):
            issue = self.difference(g, e, m=m, nan_hint=nan_hint, integer=integer, floats=floats, rtol=rtol, atol=atol)
            if issue:
                return f"{name}: {issue}"
        return None

    def expect(self, got, expected, where: str = "", **options):
        """Stop the check, saying what differs (then ``where``), unless ``got`` matches ``expected``."""
        issue = self.difference(got, expected, **options)
        if issue:
            self.stop(f"{issue} {where}".strip())


def run_check(name: str, body, strict: bool = False, seconds: float | None = None, hints=()) -> Verdict:
    """``body(t)`` with a fresh ``Check`` ``t``: its return value is the pass message; a ``Stop``
    is the verdict it carries; any other exception is the checker's own bug, reported as such."""
    t = Check(name, seconds, hints() if callable(hints) else hints)  # a function: translated when the check runs
    try:
        verdict = Verdict(name, "pass", body(t))
    except Stop as stop:
        verdict = Verdict(name, stop.status, stop.message)
    except Exception as exc:  # noqa: BLE001 - a bug of the course must not look like the learner's
        verdict = Verdict(name, "fail", _("the checker itself failed ({error}): this is a bug in the course, not in "
                                          "your code; please report it.").format(error=f"{type(exc).__name__}: {exc}"[:200]))
    return report(verdict, strict)


def checker(name: str, seconds: float | None = None, hints=()):
    """Make ``body(t, fn)`` a checker ``check_x(fn, strict=False)`` (see ``run_check``)."""

    def wrap(body):
        def check_it(fn, strict: bool = False) -> Verdict:
            return run_check(name, lambda t: body(t, fn), strict, seconds, hints)

        check_it.__name__, check_it.__qualname__ = body.__name__, body.__qualname__
        check_it.__doc__, check_it.__module__ = body.__doc__, body.__module__
        return check_it

    return wrap


# --------------------------------------------------------------------------- the table-driven checker


def _quietly(fn, args):
    """``fn(*args)`` for one of the course's own formulas (a reference or a known mistake):
    NumPy's warnings silenced; None when this formula cannot run on these inputs."""
    try:
        with np.errstate(all="ignore"):
            return fn(*fresh(args))
    except Exception:  # noqa: BLE001 - a wrong formula that does not fit these inputs
        return None


def _named_mistake(mistakes, cases, i, got, expected, answer_at, tol):
    """The message of the first known mistake the learner's answer equals on trial ``i`` and on
    every other trial (where both can run): a formula that agrees only by chance is not blamed."""
    for wrong, message in mistakes:
        w = _quietly(wrong, cases[i])
        if w is None or same(w, expected, *tol) or not same(got, w, *tol):
            continue
        others = ((answer_at(j), _quietly(wrong, cases[j])) for j in range(len(cases)) if j != i)
        if all(g is None or w is None or same(g, w, *tol) for g, w in others):
            return message
    return None


def check(fn, *, name: str, reference, make_args, trials: int = 5, outputs=None, mistakes=(), symptoms=(),
          hints=(), require=None, batch_size=None, nan_hint=None, integer=False, floats=False, warn_hint=None,
          new_array=False, rtol=1e-6, atol=1e-8, seed=0, seconds=None, passed=None, strict=False) -> Verdict:
    """Run ``fn`` and ``reference`` on ``trials`` inputs and show one line saying how ``fn`` differs.

    ``make_args(rng, trial)`` returns the arguments of one trial (``rng`` a NumPy Generator);
    a trial may leave out arguments, to try the defaults. ``outputs``: the names of several
    returned values, e.g. ``("dX", "dW", "db")``. ``mistakes``: ``(wrong_fn, message)`` pairs,
    a known wrong formula and what to tell a learner whose answer equals it; ``symptoms``:
    ``(test(got, args), message)`` pairs for a wrong answer no single formula gives. ``hints``:
    ``(text, hint)`` for an exception whose message holds ``text``. ``require(got, args)``: a
    message when the answer is of the wrong kind whatever its values (not a tensor, not of the
    dtype asked for), else None. ``batch_size(args)`` is m,
    so a missing ``1/m`` is named. ``integer``: the answer must be an int (a size, an index);
    ``floats``: a float array; ``warn_hint``: a RuntimeWarning (an overflow) fails the check,
    with this advice; ``new_array``: the docstring promises a new array.
    """

    def body(t):
        t.new_array = new_array
        rng = np.random.default_rng(seed)
        cases = [make_args(rng, i) for i in range(trials)]
        names = _parameter_names(reference)
        tol = (rtol, atol)
        answers = {}

        def answer_at(j):  # the learner's answer on trial j, or None when it stops there
            if j not in answers:
                try:
                    answers[j] = t.call(fn, *fresh(cases[j]), keep_inputs=False)
                except Stop:
                    answers[j] = None
            return answers[j]

        for i, args in enumerate(cases):
            with np.errstate(all="ignore"):
                expected = reference(*fresh(args))
            got = answers[i] = t.call(fn, *fresh(args), keep_inputs=False)
            changed = t.changed
            where = _(" (trial {i} of {n}: {inputs})").format(i=i + 1, n=trials, inputs=describe(args, names))
            unfit = require(got, args) if require else None
            if unfit:
                t.stop(unfit + where)
            issue = t.difference(got, expected, outputs=outputs, m=batch_size(args) if batch_size else None,
                                 nan_hint=nan_hint, integer=integer, floats=floats, rtol=rtol, atol=atol)
            if issue is None and changed is None:
                continue
            message = None
            if issue:
                message = _named_mistake(mistakes, cases, i, got, expected, answer_at, tol)
                message = message or next((text for test, text in symptoms if _quietly(test, (got, args))), None)
            t.changed = changed
            message = message or (t.in_place_message() if changed else issue)
            t.stop(message + where)
        if warn_hint and t.warnings:
            t.stop(_("the values are right, but NumPy warned '{warning}': {hint}").format(warning=t.warnings[0], hint=warn_hint))
        return passed or _("correct on {n} random inputs.").format(n=trials)

    return run_check(name, body, strict, seconds, hints)


def check_function(fn, reference, make_args, *, name: str, trials: int = 5, seed: int = 0, rtol: float = 1e-6,
                   atol: float = 1e-8, batch_size=None, nan_hint: str | None = None, strict: bool = False) -> Verdict:
    """``check`` for a ``make_args(rng)`` that takes no trial number (the older form, kept for
    the notebooks and tools that use it)."""
    return check(fn, name=name, reference=reference, make_args=lambda rng, trial: make_args(rng), trials=trials,
                 seed=seed, rtol=rtol, atol=atol, batch_size=batch_size, nan_hint=nan_hint, strict=strict)


__all__ = ["Check", "check", "check_function", "checker", "compare", "describe", "fresh", "run_check"]
