"""Checks that can fail: numerical gradients, relative error, and the exercise checkers.

The notebooks' own checks are in ``core`` (``numerical_gradient``, ``rel_error``). Every exercise
checker runs on one engine (``engine``, with ``guard`` and ``answers``); each notebook's checkers
are a module of their own (``nb01`` for notebook 01, ...), used as
``from course_utils.checks import nb01 as ex``.
"""

from .core import numerical_gradient, rel_error
from .engine import check, check_function, checker, compare
from .verdict import Verdict, report

__all__ = ["Verdict", "check", "check_function", "checker", "compare", "numerical_gradient", "rel_error", "report"]
