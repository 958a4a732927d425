"""What a check found, and how it is shown: one line, and the same as data for a grader.

A check ends in a ``Verdict`` (pass, fail or "todo" for an exercise not written yet). ``report``
shows its one line; in a Jupyter kernel it also carries the verdict as structured data
(``VERDICT_MIME``), signed when a grader has set a key, so ``tools/grade.py`` can tell a real
verdict from text a learner's code printed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass


@dataclass
class Verdict:
    """What a checker found. Truthy only when the answer is right."""

    name: str
    status: str  # "pass", "fail", "todo"
    message: str

    def __bool__(self) -> bool:
        return self.status == "pass"

    def _ipython_display_(self):
        """Show nothing more in a notebook: the checker has already shown its line."""

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


class Stop(Exception):
    """Ends a check early with this verdict's status and message (raised by the engine's
    primitives; a checker never needs to catch it)."""

    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status, self.message = status, message
