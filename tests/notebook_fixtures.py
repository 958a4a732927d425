"""A tiny notebook built in code, shared by the tests of tools/ (student copies, grading,
slides, pages): slides, a subslide, a fragment, notes, a skipped cell, and three exercises whose
checks print ⏳ (stub), ❌ (wrong stub) and ✅ (right stub)."""

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

CHECK = """from course_utils.checks.core import check_function
check_function({name}, lambda a, b: {reference}, lambda rng: (rng.normal(size=3), rng.normal(size=3)), name="{name}"{strict})"""


def cell(kind, source, slide="-", tags=(), hidden=False):
    c = new_code_cell(source) if kind == "code" else new_markdown_cell(source)
    c.metadata["slideshow"] = {"slide_type": slide}
    if tags:
        c.metadata["tags"] = list(tags)
    if hidden:
        c.metadata["jupyter"] = {"source_hidden": True}
    return c


def exercise(name, stub_body, reference, solution_body):
    """stub -> check -> solution, as CONTRIBUTING.md describes."""
    return [
        cell("code", f"def {name}(a, b):\n    {stub_body}", tags=["exercise"]),
        cell("code", CHECK.format(name=name, reference=reference, strict=""), tags=["check"]),
        cell("code", f"def {name}(a, b):\n    {solution_body}\n\n" + CHECK.format(name=name, reference=reference, strict=", strict=True"),
             tags=["solution"], hidden=True),
    ]


def fixture_notebook():
    """4 slides (cells tagged slide), 1 subslide, a fragment, notes, a skipped cell, and three
    exercises whose checks print ⏳ (stub), ❌ (wrong stub) and ✅ (right stub)."""
    cells = [
        cell("markdown", "# 98 · A fixture\nA tiny notebook for the tools' tests; see [the neuron](01_the_neuron.ipynb).", "slide"),
        cell("code", "import os\nprint('mode:', os.environ.get('COURSE_FAST'))", "skip"),
        cell("markdown", "## 1. Adding", "slide"),
        *exercise("add", "return None  # YOUR CODE HERE", "a + b", "return a + b  # SOLUTION-ADD"),
        cell("markdown", "### Below", "subslide"),
        cell("markdown", "Appears on a key press.", "fragment"),
        cell("markdown", "Said by the teacher only.", "notes"),
        cell("markdown", "## 2. Multiplying", "slide"),
        *exercise("mul", "return a * b + 1", "a * b", "return a * b  # SOLUTION-MUL"),
        *exercise("sub", "return a - b", "a - b", "return a - b  # SOLUTION-SUB"),
        cell("code", "print(add(1.0, 2.0) + 1)"),  # raises in a student copy whose add is a stub
        cell("markdown", "## Summary", "slide"),
    ]
    return new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


@pytest.fixture
def fixture_path(tmp_path):
    path = tmp_path / "98_fixture.ipynb"
    nbformat.write(fixture_notebook(), path)
    return path
