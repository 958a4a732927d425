"""Every checker of every notebook, fed the weird answers learners write: each gets exactly one
line, never passes, never lets an exception out, and ends in time; with strict=True it raises
AssertionError carrying that same line."""

import importlib
import inspect
import json
import re
import time
from pathlib import Path

import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
MODULES = [importlib.import_module(f"course_utils.checks.nb{nb.name[:2]}") for nb in NOTEBOOKS
           if (ROOT / "course_utils" / "checks" / f"nb{nb.name[:2]}.py").is_file()]
CHECKERS = [(m.__name__.rsplit(".", 1)[1], name, fn) for m in MODULES
            for name, fn in inspect.getmembers(m, inspect.isfunction) if name.startswith("check_") and fn.__module__ == m.__name__]


def loop_for_ever(*args, **kwargs):
    while True:
        pass


def recurse(*args, **kwargs):
    return recurse(*args, **kwargs)


def prints(*args, **kwargs):
    print("the answer is", args[:1])


def mutates(*args, **kwargs):
    for a in args:
        if isinstance(a, np.ndarray) and a.size:
            a.flat[0] += 1.0
        elif isinstance(a, list) and a:
            a.append(a[0])


def raises(*args, **kwargs):
    return np.ones((2, 3)) @ np.ones((4, 5))


WEIRD = {
    "None": lambda *a, **k: None,
    "Ellipsis": lambda *a, **k: ...,
    "str": lambda *a, **k: "100480",
    "empty list": lambda *a, **k: [],
    "tuple of None": lambda *a, **k: (None, None),
    "tuple with None": lambda *a, **k: (np.zeros(3), None, None),
    "huge int": lambda *a, **k: (784 + 1) ** 10_000,
    "NaN": lambda *a, **k: float("nan"),
    "inf array": lambda *a, **k: np.full((3, 3), np.inf),
    "zeros tensor": lambda *a, **k: torch.zeros(2, 2),
    "raises": raises,
    "prints": prints,
    "mutates": mutates,
    "loops for ever": loop_for_ever,
    "recursion": recurse,
    "generator": lambda *a, **k: (i for i in range(3)),
    "dict": lambda *a, **k: {"answer": 1},
    "function": lambda *a, **k: np.mean,
    "bool": lambda *a, **k: False,
    "complex": lambda *a, **k: 1 + 2j,
    "object": lambda *a, **k: object(),
}


@pytest.fixture(autouse=True)
def very_short_time_limits(monkeypatch):
    monkeypatch.setenv("COURSE_CHECK_TIMEOUT", "0.02")  # 0.1 s for the usual 5 s, 0.6 s for a training step


def warm_up_torch():
    """The first optimizer of a process imports much of torch (seconds); do it before the clock runs."""
    model = torch.nn.Linear(2, 2)
    torch.optim.SGD(model.parameters(), lr=0.1).step()


@pytest.mark.parametrize("module, name, checker", CHECKERS, ids=[f"{m}.{n}" for m, n, _ in CHECKERS])
def test_weird_answers_get_one_line_and_never_pass(module, name, checker, capsys):
    warm_up_torch()
    problems = []
    for kind, answer in WEIRD.items():
        start = time.monotonic()
        verdict = checker(answer)
        out = capsys.readouterr().out
        if len(out.splitlines()) != 1 or verdict.status not in ("fail", "todo") or "checker itself failed" in out \
                or "Traceback" in out or time.monotonic() - start > 5:
            problems.append(f"{kind}: {out!r} in {time.monotonic() - start:.1f} s")
    assert not problems, problems
    for kind in ("None", "str", "raises"):  # strict: an AssertionError that carries the same line
        line = checker(WEIRD[kind]).line()
        capsys.readouterr()
        with pytest.raises(AssertionError) as raised:
            checker(WEIRD[kind], strict=True)
        assert str(raised.value) == line


def test_every_notebook_has_its_checkers():
    """Each notebook has a checker module, each checker is called by a cell of its notebook, and each
    `ex.check_...` a notebook calls exists."""
    assert len(MODULES) == len(NOTEBOOKS), "a notebook without course_utils/checks/nbNN.py"
    for nb, module in zip(NOTEBOOKS, MODULES):
        cells = json.loads(nb.read_text(encoding="utf-8"))["cells"]
        called = {m for c in cells if c["cell_type"] == "code"
                  for m in re.findall(r"\bex\.(check_\w+)\(", "".join(c["source"]))}
        defined = {name for m, name, _ in CHECKERS if m == module.__name__.rsplit(".", 1)[1]}
        assert called == defined, f"{nb.name}: called but not defined {sorted(called - defined)}, " \
                                  f"defined but not called {sorted(defined - called)}"
