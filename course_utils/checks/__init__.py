"""Checks that can fail: numerical gradients, relative error, and the exercise checkers.

The engine is in ``core``; each notebook's exercise checkers are in their own module
(``nb01`` for notebook 01, ...), used as ``from course_utils.checks import nb01 as ex``.
"""

from .core import Verdict, check_function, compare, numerical_gradient, rel_error, report

__all__ = ["Verdict", "check_function", "compare", "numerical_gradient", "rel_error", "report"]
