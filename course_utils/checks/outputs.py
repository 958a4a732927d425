"""A checker for functions that return several arrays, and that names known mistakes.

``check_function`` (in ``core``) compares one returned array with a reference. Optimiser
steps and backward passes return several (``W_new, v_new`` or ``dX, dW, db``), and their
typical mistakes are known in advance (a missing bias correction, the old velocity used
instead of the new one, gradients in the wrong order). ``check_outputs`` compares each
returned value by name, and when the answer equals one of the listed wrong formulas it
says which one, in the learner's words.
"""

from __future__ import annotations

import numpy as np

from .core import TODO, Verdict, call_learner, compare, matching_mistake, report


def _copy(value):
    if isinstance(value, np.ndarray):
        return value.copy()
    if isinstance(value, tuple):
        return tuple(_copy(v) for v in value)
    return value


def _as_tuple(value, k):
    if k == 1:
        return (value,)
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return None


def _same(got, expected, rtol, atol):
    for g, e in zip(got, expected):
        try:
            g, e = np.asarray(g, dtype=np.float64), np.asarray(e, dtype=np.float64)
        except (TypeError, ValueError):
            return False
        if g.shape != e.shape or not np.allclose(g, e, rtol=rtol, atol=atol, equal_nan=True):
            return False
    return True


def check_outputs(fn, reference, make_args, *, name, outputs=("result",), mistakes=(), trials=5, seed=0,
                  rtol=1e-6, atol=1e-8, batch_size=None, nan_hint=None, strict=False) -> Verdict:
    """Run ``fn`` and ``reference`` on ``trials`` random inputs; report the first difference found.

    ``outputs``: the names of the returned values, in order (one name: a single value).
    ``mistakes``: ``(wrong_fn, message)`` pairs; ``wrong_fn(*args)`` computes a known wrong
    answer, and when the learner's answer equals it the ``message`` is what they read.
    ``make_args(rng, trial)`` returns the argument tuple for one trial.
    """
    rng = np.random.default_rng(seed)
    k = len(outputs)
    verdict = None
    for trial in range(trials):
        args = make_args(rng, trial)
        expected = _as_tuple(reference(*_copy(args)), k)
        raw, verdict = call_learner(name, fn, *_copy(args))
        if verdict is not None:
            break
        got = _as_tuple(raw, k)
        if got is not None and all(g is None for g in got):
            verdict = Verdict(name, "todo", TODO)
            break
        if got is None or len(got) != k:
            have = f"{len(got)} values" if got is not None else type(raw).__name__
            verdict = Verdict(name, "fail", f"return {k} values, ({', '.join(outputs)}); got {have}.")
            break
        if _same(got, expected, rtol, atol):
            continue
        message = matching_mistake(mistakes, args, lambda w: _same(got, _as_tuple(w, k), rtol, atol), copy=_copy)
        if message:
            verdict = Verdict(name, "fail", message)
            break
        m = batch_size(args) if batch_size else None
        for out_name, g, e in zip(outputs, got, expected):
            problem = compare(g, e, rtol=rtol, atol=atol, m=m, nan_hint=nan_hint)
            if problem:
                where = f"{out_name}: " if k > 1 else ""
                verdict = Verdict(name, "fail", f"{where}{problem} (trial {trial + 1} of {trials})")
                break
        if verdict is None:
            verdict = Verdict(name, "fail", f"wrong values (trial {trial + 1} of {trials}).")
        break
    if verdict is None:
        verdict = Verdict(name, "pass", f"correct on {trials} random inputs.")
    return report(verdict, strict)
