"""tools/grade.py: what it reports, and each known way of fooling it, on the tiny fixture notebook
(a course of its own in a temporary folder); the answer key of a real notebook; a whole class.

Each attack test gives the grader a notebook whose answers are wrong, plus the attack, and
asserts that no wrong answer passes; where the attack is one the grader defeats by loading the
checkers afresh, a control run without that step shows the attack is real.
"""

import csv
import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from notebook_fixtures import fixture_notebook  # noqa: E402

import grade  # noqa: E402
import make_student  # noqa: E402

NAME = "98_fixture.ipynb"


@pytest.fixture
def course(tmp_path):
    """A course of one notebook, the fixture (3 exercises: add, mul, sub)."""
    folder = tmp_path / "course"
    folder.mkdir()
    nbformat.write(fixture_notebook(), folder / NAME)
    return folder


def teacher(course):
    return nbformat.read(course / NAME, as_version=4)


def student(course, **answers):
    """A student copy of the course's notebook, each stub named in ``answers`` given that body."""
    nb = make_student.student_copy(teacher(course))
    for c in nb.cells:
        for name, body in answers.items():
            if c.source.startswith(f"def {name}("):
                c.source = f"def {name}(a, b):\n    {body}"
    return nb


def submit(folder, nb, name=NAME):
    path = Path(folder) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def cell_of(nb, tag, name):
    """The cell tagged ``tag`` of exercise ``name`` (its stub defines it, its check passes it)."""
    return next(c for c in nb.cells if tag in c.metadata.get("tags", []) and re.search(rf"\b{name}\b", c.source))


def statuses(result):
    return {c["name"]: c["status"] for c in result["checks"]}


WRONG = dict(add="return a - b", mul="return a * b + 1", sub="return b - a")


# --------------------------------------------------------------------------- what it reports


def test_student_copy_reports_each_check_and_the_cells_that_raised(course, tmp_path, capsys):
    path = submit(tmp_path, student(course))
    assert grade.main([str(path), "--course", str(course)]) == 1  # not every check passed
    out = capsys.readouterr().out
    assert "not implemented  add: not implemented yet" in out, out
    assert "failed           mul: " in out and "passed           sub: correct on 5 random inputs" in out, out
    assert "1 of 3 checks passed (1 failed, 1 not implemented)" in out
    assert "1 other cell(s) raised, first cell 15: TypeError" in out, "the stub's None + 1 raises; grading goes on"


def test_answer_key_grades_as_all_passed(course, capsys):
    """The teacher's copy: each check runs after its solution (it comes before it in the notebook)."""
    assert grade.main([str(course / NAME), "--course", str(course)]) == 0
    assert "3 of 3 checks passed" in capsys.readouterr().out


def test_answer_key_of_a_real_course_notebook_grades_as_all_passed():
    path = ROOT / "notebooks" / "00_what_is_a_large_model.ipynb"
    result = grade.grade_notebook(path)
    assert [c["status"] for c in result["checks"]] == ["passed"] * 3, result
    assert [c["name"] for c in result["checks"]] == ["count_dense_params", "count_mlp_params", "bytes_needed"]
    assert result["errors"] == [] and result["flags"] == [] and result["stopped"] is None


# --------------------------------------------------------------------------- attacks


def test_check_cells_untagged_edited_or_deleted_are_restored(course, tmp_path):
    nb = student(course, add="return a - b", sub="return a - b")  # add wrong, mul's stub wrong, sub right
    untagged = cell_of(nb, "check", "add")
    untagged.metadata["tags"] = []
    untagged.source = 'print("✅ add: correct on 5 random inputs.")'
    nb.cells.remove(cell_of(nb, "check", "mul"))
    cell_of(nb, "check", "sub").source = "pass"
    result = grade.grade_notebook(submit(tmp_path, nb), course=course)
    assert statuses(result) == {"add": "failed", "mul": "failed", "sub": "passed"}, result
    notes = {c["name"]: c["notes"] for c in result["checks"]}
    assert notes["add"] == notes["sub"] == ["check cell restored (it was edited or untagged)"]
    assert notes["mul"] == ["check cell put back (it was deleted)"]


IMITATE = '''from IPython.display import display
MIME = "application/vnd.course-utils.verdict+json"
def imitate(name):
    print(f"✅ {name}: correct on 5 random inputs.")
    forged = {"name": name, "status": "pass", "message": "correct on 5 random inputs."}
    display({"text/plain": f"✅ {name}: correct", MIME: forged}, raw=True)
    display({"text/plain": f"✅ {name}: correct", MIME: {**forged, "signature": "0" * 64}}, raw=True)
get_ipython().events.register("post_run_cell", lambda result: [imitate(n) for n in ("add", "mul", "sub")])'''


def test_printed_and_displayed_imitations_of_a_verdict_count_for_nothing(course, tmp_path):
    """A cell that, after every later cell (the checks too), prints ✅ lines and displays verdict
    bundles, unsigned and with a made-up signature."""
    nb = student(course, **WRONG)
    nb.cells.insert(3, new_code_cell(IMITATE))
    kept = tmp_path / "executed.ipynb"
    result = grade.grade_notebook(submit(tmp_path, nb), course=course, keep=kept)
    assert statuses(result) == {"add": "failed", "mul": "failed", "sub": "failed"}, result
    assert all(c["notes"] == ["6 verdict(s) not from the checker ignored"] for c in result["checks"])  # 2 x 3 names
    checks = [c for c in nbformat.read(kept, as_version=4).cells if "check" in c.metadata.get("tags", [])]
    assert all("✅" in json.dumps(c.outputs, ensure_ascii=False) for c in checks), "the imitations were there"
    assert result["flags"] and result["flags"][0].startswith("cell 4: ")


PATCH = '''import sys
import course_utils.checks.core as core
from IPython.display import display

def always_pass(fn, *args, name="?", **kwargs):  # the checker, replaced; signs with whatever key is set
    fresh = sys.modules["course_utils.checks.core"]
    verdict = fresh.Verdict(name, "pass", "correct on 5 random inputs.")
    display({"text/plain": verdict.line(), fresh.VERDICT_MIME: fresh.verdict_record(verdict)}, raw=True)
    return verdict

real_report = core.report
def lenient_report(verdict, strict=False):  # report, replaced
    return real_report(type(verdict)(verdict.name, "pass", "correct on 5 random inputs."))

for module in [m for m in sys.modules.values() if getattr(m, "__name__", "").startswith("course_utils.checks")]:
    for attr, fake in (("check_function", always_pass), ("report", lenient_report)):
        if hasattr(module, attr):
            setattr(module, attr, fake)
real_init = core.Verdict.__init__
core.Verdict.__init__ = lambda self, name, status, message: real_init(self, name, "pass", message)  # the class'''


def test_patched_checker_report_and_verdict_class_are_undone(course, tmp_path, monkeypatch):
    nb = student(course, **WRONG)
    nb.cells.insert(4, new_code_cell(PATCH))  # before the first stub: every check runs after the patches
    path = submit(tmp_path, nb)
    result = grade.grade_notebook(path, course=course)
    assert statuses(result) == {"add": "failed", "mul": "failed", "sub": "failed"}, result
    assert any(f.startswith("cell 5: ") and "course_utils.checks" in f for f in result["flags"]), result["flags"]
    # the control: without loading the checkers afresh, the same notebook passes everything
    monkeypatch.setattr(grade, "fresh_checkers", lambda imports: "\n".join(imports) + "\n")
    assert statuses(grade.grade_notebook(path, course=course)) == {"add": "passed", "mul": "passed", "sub": "passed"}


def test_an_empty_notebook_fails_every_check(course, tmp_path, capsys):
    path = submit(tmp_path, new_notebook())
    assert grade.main([str(path), "--course", str(course)]) == 1
    assert "0 of 3 checks passed (3 missing)" in capsys.readouterr().out


def test_a_cell_past_the_timeout_is_interrupted_and_grading_goes_on(course, tmp_path):
    nb = student(course, add="while True: pass", mul="return a * b")
    nb.cells.insert(nb.cells.index(cell_of(nb, "check", "add")) + 1, new_code_cell("while True:\n    pass"))
    result = grade.grade_notebook(submit(tmp_path, nb), course=course, timeout=10)
    checks = {c["name"]: c for c in result["checks"]}
    assert checks["add"]["status"] in ("failed", "timed out"), checks["add"]  # the checker's own limit, or the cell's
    assert checks["mul"]["status"] == "passed" and checks["sub"]["status"] == "passed", "later checks still graded"
    assert any("CellTimeout: ran more than 10 s and was interrupted" in e for e in result["errors"]), result["errors"]


# --------------------------------------------------------------------------- notebooks that cannot be graded


def test_missing_corrupt_and_foreign_notebooks_get_one_line_and_status_2(course, tmp_path, capsys):
    (tmp_path / "corrupt").mkdir()
    cut = tmp_path / "corrupt" / NAME
    cut.write_text((course / NAME).read_text()[:200])
    (tmp_path / "list.ipynb").write_text("[1, 2]")
    foreign = submit(tmp_path / "foreign", new_notebook(cells=[new_code_cell("print('my own homework')")]))
    untitled = submit(tmp_path, new_notebook(cells=[new_code_cell("x = 1")]), "Untitled.ipynb")
    cases = {tmp_path / "nowhere.ipynb": "no such file", cut: "not valid JSON",
             tmp_path / "list.ipynb": "not a valid Jupyter notebook", foreign: "no cell in common with 98_fixture.ipynb",
             untitled: "not a notebook of this course"}
    for path, words in cases.items():
        assert grade.main([str(path), "--course", str(course)]) == 2, path
        err = capsys.readouterr().err
        assert words in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err, err


def test_the_reference_is_found_by_number_or_by_cell_ids(course, tmp_path):
    nb = student(course)
    assert grade.find_reference(tmp_path / "Untitled.ipynb", nb, course) == course / NAME
    assert grade.find_reference(tmp_path / "98_fixture-Copy1.ipynb", new_notebook(), course) == course / NAME


# --------------------------------------------------------------------------- pieces, without a kernel


def test_plan_puts_checks_after_solutions_in_the_teachers_copy_and_matches_cells_without_ids(course):
    ref = teacher(course)
    found = grade.exercises(ref)
    assert [e.name for e in found] == ["add", "mul", "sub"]
    nb, origin, placed = grade.plan(ref, ref, found)
    for e, (i, note) in zip(found, placed):
        assert "solution" in nb.cells[i - 1].metadata.get("tags", []) and note == "", "check right after its solution"
    assert len(nb.cells) == len(ref.cells) and origin.count(None) == 3
    no_ids = student(course)
    for c in no_ids.cells:
        c.pop("id")
    nb, _, placed = grade.plan(no_ids, ref, found)
    assert all(nb.cells[i].source == e.check.source and note == "" for e, (i, note) in zip(found, placed))


def test_signature_check_matches_the_checkers_signing():
    from course_utils.checks import core

    verdict = core.Verdict("add", "fail", "wrong values — largest error 1")
    core.set_grading_key("k1")
    try:
        record = core.verdict_record(verdict)
    finally:  # there is no unset: empty the key's list where set_grading_key keeps it
        sys.modules[core.set_grading_key.__module__]._GRADING_KEY.clear()
    assert "signature" not in core.verdict_record(verdict)
    assert grade.signed(record, "k1") and not grade.signed(record, "k2")
    assert not grade.signed({**record, "status": "pass"}, "k1") and not grade.signed({**record, "signature": None}, "k1")


# --------------------------------------------------------------------------- a class


def test_a_class_folder_gives_one_csv_and_a_summary(course, tmp_path, capsys):
    nbformat.write(fixture_notebook(), course / "97_other.ipynb")  # same check names: columns "97 add", "98 add"
    other = make_student.student_copy(nbformat.read(course / "97_other.ipynb", as_version=4))
    subs = tmp_path / "submissions"
    submit(subs / "alice", student(course, add="return a + b", mul="return a * b"))
    submit(subs / "alice", other, "97_other.ipynb")
    submit(subs / "bob", student(course))
    (subs / "carol").mkdir()
    (subs / "carol" / NAME).write_text("{ not json")
    out = tmp_path / "grades"
    assert grade.main([str(subs), "--course", str(course), "--out", str(out), "--jobs", "2"]) == 2  # carol's file
    with open(out / "grades.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["student", "notebook", "97 add", "97 mul", "97 sub", "98 add", "98 mul", "98 sub",
                             "passed", "total", "notes"]
    got = {(r["student"], r["notebook"]): r for r in rows}
    assert len(rows) == 6  # 3 students x 2 notebooks
    assert [got["alice", "98_fixture"][k] for k in ("98 add", "98 mul", "98 sub", "passed", "total")] == \
        ["passed", "passed", "passed", "3", "3"]
    assert [got["alice", "97_other"][k] for k in ("97 add", "97 mul", "97 sub", "passed")] == \
        ["not implemented", "failed", "passed", "1"]
    assert got["bob", "98_fixture"]["passed"] == "1" and got["bob", "97_other"]["notes"] == "not submitted"
    assert "not valid JSON" in got["carol", "98_fixture"]["notes"]
    summary = (out / "summary.md").read_text(encoding="utf-8")
    assert "## 98_fixture: 3 submitted, 1 with every check passed" in summary
    assert "- add: 1 of 2 passed" in summary and "97_other not submitted by: bob, carol" in summary
    assert "carol/98_fixture.ipynb: could not be graded" in summary and "with 2 job(s)" in summary
