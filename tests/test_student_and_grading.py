"""tools/: student copies and the grader, tried on a tiny notebook built here (and, for student
copies, on every course notebook present)."""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from notebook_fixtures import cell, fixture_notebook, fixture_path  # noqa: E402,F401

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

import grade  # noqa: E402
import make_student  # noqa: E402
import nbrun  # noqa: E402


# --------------------------------------------------------------------------- make student


def solution_sources(nb):
    return [c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", [None, *NOTEBOOKS], ids=lambda p: "fixture" if p is None else p.name)
def test_student_copy_leaks_no_solution_and_validates(path, tmp_path):
    if path is None:
        path = tmp_path / "98_fixture.ipynb"
        nbformat.write(fixture_notebook(), path)
    out = tmp_path / "student"
    assert make_student.main([str(path), "--out", str(out)]) == 0
    teacher = nbformat.read(path, as_version=4)
    copy_path = out / path.name
    student = nbformat.read(copy_path, as_version=4)
    nbformat.validate(student)
    text = copy_path.read_text(encoding="utf-8")
    everything = "\n".join(c.source for c in student.cells)
    for source in solution_sources(teacher):
        assert source.strip() not in everything, f"a solution leaks into the student copy:\n{source[:200]}"
    assert not solution_sources(student)
    kept = [c for c in teacher.cells if "solution" not in c.metadata.get("tags", [])]
    assert student.cells[1].metadata["tags"] == ["student-note"]
    del student.cells[1]
    assert [c.source for c in student.cells] == [c.source for c in kept], "every other cell stays, in order"
    assert all(c.outputs == [] and c.execution_count is None for c in student.cells if c.cell_type == "code")
    assert '"outputs": []' in text or not any(c.cell_type == "code" for c in student.cells)


def test_student_copy_of_the_fixture_keeps_stubs_and_checks(tmp_path):
    student = make_student.student_copy(fixture_notebook())
    tags = [t for c in student.cells for t in c.metadata.get("tags", [])]
    assert tags.count("exercise") == 3 and tags.count("check") == 3 and "solution" not in tags
    assert "SOLUTION-" not in json.dumps(student)


# --------------------------------------------------------------------------- grade


def test_grade_reports_each_check_of_a_student_copy(tmp_path, capsys):
    path = tmp_path / "98_student.ipynb"
    nbformat.write(make_student.student_copy(fixture_notebook()), path)
    assert grade.main([str(path)]) == 1  # not every check passed
    out = capsys.readouterr().out
    assert re.search(r"^not implemented\s+add: not implemented yet", out, re.M), out
    assert re.search(r"^failed\s+mul: off by|^failed\s+mul: wrong values", out, re.M), out
    assert re.search(r"^passed\s+sub: correct on 5 random inputs", out, re.M), out
    assert "1 of 3 checks passed (1 failed, 1 not implemented)" in out
    assert "1 other cell(s) raised, first cell" in out and "TypeError" in out, "the stub's None + 1 raises; grading goes on"


def test_grade_parses_verdict_lines_and_errors():
    nb = fixture_notebook()
    checks = [i for i, c in enumerate(nb.cells) if "check" in c.metadata.get("tags", [])]
    nb.cells[checks[0]].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✅ add: correct on 5 random inputs.\n")]
    nb.cells[checks[1]].outputs = [nbformat.v4.new_output("error", ename="NameError", evalue="name 'mul' is not defined", traceback=[])]
    found = grade.verdicts(nb)
    assert [(v["status"], v["name"]) for v in found] == [
        ("passed", "add"), ("error", f"cell {checks[1]}"), ("no verdict", f"cell {checks[2]}")]
    assert found[1]["message"] == "NameError: name 'mul' is not defined"


# --------------------------------------------------------------------------- html


def test_nbrun_polls_in_steps_so_a_missed_wakeup_costs_one_step(monkeypatch):
    import asyncio
    import time
    from queue import Empty

    import nbrun

    ready_at = time.monotonic() + 0.3

    async def deaf_get_msg(timeout=None):
        # like a poll that missed its wake-up: it only notices the message when its timeout ends
        await asyncio.sleep(timeout)
        if time.monotonic() >= ready_at:
            return {"msg": "reply"}
        raise Empty

    monkeypatch.setattr(nbrun, "STEP", 0.1)
    start = time.monotonic()
    assert asyncio.run(nbrun._in_steps(deaf_get_msg)(timeout=60)) == {"msg": "reply"}
    assert time.monotonic() - start < 2, "waited for the whole timeout instead of one step"
    ready_at = time.monotonic() + 100  # no reply this time: Empty once the whole timeout is spent
    start = time.monotonic()
    with pytest.raises(Empty):
        asyncio.run(nbrun._in_steps(deaf_get_msg)(timeout=0.25))
    assert 0.2 < time.monotonic() - start < 2
