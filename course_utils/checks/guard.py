"""Running the learner's code safely: a time limit, its printing and warnings kept aside, and
whatever it raised turned into one sentence that names the learner's own line.

The time limit. In the main thread of a process (where a Jupyter kernel runs a cell, and where
a script runs) it is ``signal.setitimer`` with a ``SIGALRM`` handler: that interrupts a Python
loop and a ``time.sleep``, but not one long call into compiled code (a single huge NumPy or
torch operation), which is interrupted as soon as it returns. Elsewhere (another thread, or a
platform without ``SIGALRM`` such as Windows) a watchdog thread raises the time-out in the
learner's thread with ``PyThreadState_SetAsyncExc``: that interrupts Python loops only, and
nothing at all on a Python without ``ctypes.pythonapi`` (then the code just runs to its end).
``COURSE_CHECK_TIMEOUT`` (a number, default 1) multiplies every limit, for slow machines.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import os
import re
import signal
import site
import sys
import sysconfig
import threading
import time
import traceback
import warnings
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..i18n import _

DEFAULT_SECONDS = 5.0


class TimeUp(BaseException):
    """The learner's code ran past its time limit. A ``BaseException``, so that a learner's own
    ``except Exception:`` cannot swallow it."""


def seconds_allowed(seconds: float) -> float:
    """``seconds`` scaled by ``$COURSE_CHECK_TIMEOUT`` (1 when unset or not a positive number)."""
    try:
        scale = float(os.environ.get("COURSE_CHECK_TIMEOUT", "1"))
    except ValueError:
        scale = 1.0
    return seconds * (scale if scale > 0 else 1.0)


def _importing(frame) -> bool:
    """True while ``frame`` is inside an ``import``: interrupting one (torch's takes seconds) can
    leave a compiled module half set up, so the time-out waits until the import is over."""
    while frame is not None:
        if frame.f_code.co_filename.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


@contextlib.contextmanager
def time_limit(seconds: float | None):
    """Raise ``TimeUp`` in the code of the ``with`` block once it has run ``seconds``."""
    if not seconds or seconds <= 0:
        yield
        return
    armed = [True]  # the time-out fires at most once, and never after the block has ended

    def fire():
        if armed[0]:
            armed[0] = False
            return True
        return False

    if hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread():
        def on_alarm(signum, frame):
            if _importing(frame):
                signal.setitimer(signal.ITIMER_REAL, 0.05)  # ask again once the import is over
            elif fire():
                raise TimeUp

        old_handler = signal.signal(signal.SIGALRM, on_alarm)
        old_delay, old_interval = signal.setitimer(signal.ITIMER_REAL, seconds)
        start = time.monotonic()

        def disarm():
            armed[0] = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, old_handler)
            if old_delay:  # someone else's alarm (a test runner's, a grader's) keeps its deadline
                signal.setitimer(signal.ITIMER_REAL, max(old_delay - (time.monotonic() - start), 1e-3), old_interval)
    else:
        target = ctypes.c_ulong(threading.get_ident())
        set_async = getattr(getattr(ctypes, "pythonapi", None), "PyThreadState_SetAsyncExc", None)

        done = threading.Event()

        def watch():
            if done.wait(seconds):
                return
            while _importing(sys._current_frames().get(target.value)):
                if done.wait(0.05):
                    return
            if set_async is not None and fire():
                set_async(target, ctypes.py_object(TimeUp))

        watchdog = threading.Thread(target=watch, daemon=True)
        watchdog.start()

        def disarm():
            fired = not armed[0]
            armed[0] = False
            done.set()
            if fired and set_async is not None:
                set_async(target, None)  # a time-out still pending is dropped: the block is over
    try:
        yield
    finally:
        for _attempt in range(3):  # a time-out that lands while disarming is caught and disarming redone
            try:
                disarm()
                break
            except TimeUp:
                pass


@dataclass
class Run:
    """What one call of the learner's code did: its value, or the exception it raised."""

    value: object = None
    error: BaseException | None = None
    printed: str = ""
    warnings: list = field(default_factory=list)  # the text of each RuntimeWarning (overflow, ...)


def run_learner(thunk, seconds: float | None) -> Run:
    """``thunk()`` under a time limit of ``seconds`` (already scaled), with what it prints and
    warns kept aside. Only ``KeyboardInterrupt`` (the learner's own interrupt) goes through."""
    out = io.StringIO()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), time_limit(seconds):
                value = thunk()
            run = Run(value)
        except KeyboardInterrupt:
            raise
        except BaseException as exc:  # noqa: BLE001 - the learner's bug, a time-out, exit(), ...
            run = Run(error=exc)
    run.printed = out.getvalue()
    run.warnings = [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)]
    return run


# --------------------------------------------------------------------------- whose line raised


@lru_cache(maxsize=None)
def _library_dirs() -> tuple:
    """Folders whose code is not the learner's: the standard library, installed packages, course_utils."""
    dirs = {sysconfig.get_paths().get(k) for k in ("stdlib", "platstdlib", "purelib", "platlib")}
    dirs |= set(getattr(site, "getsitepackages", list)()) | {site.getusersitepackages()}
    dirs.add(str(Path(__file__).resolve().parents[1]))  # course_utils itself, installed or not
    for name in ("numpy", "torch"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            dirs.add(str(Path(module.__file__).resolve().parents[1]))
    return tuple(os.path.realpath(d) + os.sep for d in dirs if d)


@lru_cache(maxsize=1024)
def _is_learners(filename: str) -> bool:
    if filename.startswith("<"):
        return not filename.startswith(("<frozen", "<__array_function__"))
    return not os.path.realpath(filename).startswith(_library_dirs())


def learner_line(exc: BaseException) -> str:
    """`` at `line` (line 3 of your cell)``: the deepest line of the traceback that is the
    learner's (not NumPy's, torch's, the standard library's or the course's); "" if none."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if _is_learners(f.filename)]
    if not frames:
        return ""
    frame = frames[-1]
    line = (frame.line or "").strip()
    if "ipykernel_" in frame.filename or frame.filename.startswith("<ipython-input"):
        where = _("line {n} of your cell").format(n=frame.lineno)
    else:
        where = _("line {n} of {file}").format(n=frame.lineno, file=os.path.basename(frame.filename))
    if not line:
        return _(" in {where}").format(where=where)
    return " " + _("at `{line}` ({where})").format(line=line[:120], where=where)


# --------------------------------------------------------------------------- exceptions explained


def _hint(exc: BaseException, text: str) -> str | None:
    """A hint for the usual causes of this kind of exception."""
    shapes = re.search(r"broadcast together with shapes \(([\d, ]*)\) \(([\d, ]*)\)", text)
    if shapes:
        a, b = (tuple(int(v) for v in s.split(",") if v.strip()) for s in shapes.groups())
        if len(a) == 2 and b == a[:1] or len(b) == 2 and a == b[:1]:
            two = a if len(a) == 2 else b
            return _("an array of shape ({n},) met one of shape ({n}, {k}): NumPy lines a 1-D array up with the last "
                     "axis (the columns), not the rows; make it ({n}, 1), e.g. with keepdims=True when it comes from "
                     "a sum or a max over axis=1").format(n=two[0], k=two[1])
    if "core dimension" in text or "cannot be multiplied" in text or "shapes cannot be multiplied" in text:
        return _("the inner sizes of a matrix product must match, (N, D) @ (D, M): print the .shape of each "
                 "(a .T missing or one too many?)")
    hints = {
        "ValueError": _("often two arrays whose shapes do not fit (print the .shape of each)"),
        "TypeError": _("often a wrong number or kind of argument"),
        "IndexError": _("an index past the end of an axis"),
        "KeyError": _("a key that is not in the dictionary (check its spelling)"),
        "NameError": _("a name that is not defined yet: run the cells above, or check the spelling"),
        "UnboundLocalError": _("a variable used before it is given a value in this function"),
        "AttributeError": _("a method or attribute that does not exist on this object"),
        "ZeroDivisionError": _("a division by zero"),
    }
    return hints.get(type(exc).__name__)


def explain(exc: BaseException, seconds: float | None = None, hints=()) -> str:
    """One sentence for what the learner's code raised. ``hints``: ``(text, hint)`` pairs a
    checker adds: when ``text`` is in the exception's message, ``hint`` is said instead of the usual."""
    where = learner_line(exc)
    if isinstance(exc, TimeUp):
        return _("ran more than {seconds:g} s: is there a loop that never ends? (a `while` whose condition "
                 "never turns false, or a loop over a list that keeps growing)").format(seconds=seconds or 0)
    if isinstance(exc, RecursionError):
        return _("the function calls itself without end (RecursionError{where}): a recursive function needs a "
                 "case that returns without calling itself again.").format(where=where)
    if isinstance(exc, MemoryError):
        return _("ran out of memory{where}: is an array far larger than it should be? Print the shapes you "
                 "create.").format(where=where)
    if isinstance(exc, SystemExit):
        return _("your code called exit(){where}: return the value instead.").format(where=where)
    text = (str(exc).strip().splitlines() or [""])[0][:200]
    hint = next((h for pattern, h in hints if pattern in str(exc)), None) or _hint(exc, str(exc))
    message = _("your code raised {kind}{where}: {error}").format(kind=type(exc).__name__, where=where, error=text)
    return message + (_(" ({hint}).").format(hint=hint) if hint else _("."))
