"""tools/make_nbgrader.py: the nbgrader source folder, checked with nbgrader itself: its metadata
validator and ClearSolutions on every course notebook, then its real generate_assignment and
autograde on a right and a wrong submission of notebook 00 (fast mode), scores asserted.

nbgrader comes from requirements-dev.txt (CI installs it); without it these tests are skipped.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

nbgrader = pytest.importorskip("nbgrader", reason="nbgrader is in requirements-dev.txt: pip install -r requirements-dev.txt")

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import make_nbgrader  # noqa: E402
import make_student  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BIN = Path(sys.executable).parent  # nbgrader runs `alembic` from PATH: this environment's bin first


def tagged(nb, tag):
    return [c for c in nb.cells if tag in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name[:2])
def test_source_version_follows_nbgrader_and_releases_the_course_stubs(path):
    from nbgrader.nbgraderformat import MetadataValidator
    from nbgrader.preprocessors import ClearSolutions

    course = nbformat.read(path, as_version=4)
    source = make_nbgrader.assignment(course, points=2)
    MetadataValidator().validate_nb(source)  # nbgrader's own schema and rules (unique grade ids, points)
    meta = [c.metadata["nbgrader"] for c in source.cells]
    answers = [c for c, m in zip(source.cells, meta) if m["solution"]]
    tests = [c for c, m in zip(source.cells, meta) if m["grade"]]
    assert len(answers) == len(tests) == len(tagged(course, "check")) and not tagged(source, "solution")
    assert all(m["locked"] and m["points"] == 2 for m in meta if m["grade"])
    assert all(m["locked"] for m in meta if not m["grade"] and not m["solution"]), "everything else read-only"
    for answer, solution in zip(answers, tagged(course, "solution")):
        assert "### BEGIN SOLUTION" in answer.source and "### END SOLUTION" in answer.source
        body = solution.source.split("\n")[1:]  # the solution's lines after `def`, its check aside
        assert all(line in answer.source for line in body if line.strip() and "strict=True" not in line
                   and not line.startswith("assert ") and line.startswith(" "))
    for test, solution in zip(tests, tagged(course, "solution")):
        assert test.source.rstrip().split("\n")[-1] == solution.source.rstrip().split("\n")[-1], \
            "the test calls the checker as the solution cell does, with strict=True"
    released, _ = ClearSolutions(code_stub={"python": make_nbgrader.STUB}).preprocess(source, {})
    assert [c.source for c in released.cells if c.metadata["nbgrader"]["solution"]] == \
        [c.source for c in tagged(course, "exercise")], "students get exactly the course's stubs"
    assert "### BEGIN SOLUTION" not in nbformat.writes(released)


def test_config_reaches_nbgraders_preprocessors(tmp_path):
    from nbgrader.preprocessors import ClearSolutions, Execute, OverwriteCells
    from traitlets.config.loader import PyFileConfigLoader

    assert make_nbgrader.main([str(NOTEBOOKS[0]), "--out", str(tmp_path)]) == 0
    config = PyFileConfigLoader("nbgrader_config.py", path=str(tmp_path)).load_config()
    assert Execute(config=config).timeout == make_nbgrader.CELL_TIMEOUT > 30, "nbgrader's 30 s default is replaced"
    assert OverwriteCells(config=config).add_missing_cells is True
    assert ClearSolutions(config=config).code_stub["python"] == "return None  # YOUR CODE HERE"
    assert (tmp_path / "source" / NOTEBOOKS[0].stem / NOTEBOOKS[0].name).is_file()


def _nbgrader(course, *args):
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}", "COURSE_FAST": "1",
           "COURSE_OFFLINE": "1"}
    run = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return run.stdout + run.stderr


def _answer(nb, grade_id, body):
    """The released notebook ``nb`` with the stub line of answer cell ``grade_id`` replaced by ``body``."""
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
    assert make_nbgrader.STUB in cell.source
    cell.source = cell.source.replace(make_nbgrader.STUB, body)


def test_real_generate_assignment_and_autograde_score_right_and_wrong_answers(tmp_path):
    """nbgrader's own commands on notebook 00: the right submission gets every point even with a
    test cell deleted (put back); the wrong one loses the points of a wrong answer whose test cell
    was replaced by `pass` (restored), and of an untouched stub."""
    path = NOTEBOOKS[0]
    assert path.name.startswith("00_")
    name = path.stem
    course = tmp_path / "course"
    assert make_nbgrader.main([str(path), "--out", str(course)]) == 0
    _nbgrader(course, "generate_assignment", name)
    released = course / "release" / name / path.name
    student = nbformat.read(released, as_version=4)
    text = released.read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "D weights and 1 bias for each" not in text, "no solution is released"

    right = nbformat.from_dict(student)
    _answer(right, "count_dense_params", "return (D + 1) * M")
    _answer(right, "count_mlp_params", "return sum(count_dense_params(a, b) for a, b in zip(sizes, sizes[1:]))")
    _answer(right, "bytes_needed", "return n_params * bytes_per_param")
    right.cells = [c for c in right.cells if c.metadata["nbgrader"]["grade_id"] != "bytes_needed-check"]

    wrong = nbformat.from_dict(student)
    _answer(wrong, "count_dense_params", "return (D + 1) * M")
    _answer(wrong, "count_mlp_params", "return sum(a * b for a, b in zip(sizes, sizes[1:]))  # biases forgotten")
    test = next(c for c in wrong.cells if c.metadata["nbgrader"]["grade_id"] == "count_mlp_params-check")
    test.source = "pass  # the test, emptied"
    for who, nb in (("right", right), ("wrong", wrong)):
        target = course / "submitted" / who / name / path.name
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
    log = _nbgrader(course, "autograde", name)
    assert "Missing grade cell bytes_needed-check" in log, "the deleted test was put back"

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        scores = {who: gb.find_submission(name, who) for who in ("right", "wrong")}
        assert (scores["right"].score, scores["right"].max_score) == (3.0, 3.0)
        assert (scores["wrong"].score, scores["wrong"].max_score) == (1.0, 3.0)
        graded = gb.find_submission_notebook(path.stem, name, "wrong")
        by_cell = {g.name: g.score for g in graded.grades}
    assert by_cell == {"count_dense_params-check": 1.0, "count_mlp_params-check": 0.0, "bytes_needed-check": 0.0}
    autograded = nbformat.read(course / "autograded" / "wrong" / name / path.name, as_version=4)
    restored = next(c for c in autograded.cells if c.metadata["nbgrader"]["grade_id"] == "count_mlp_params-check")
    assert "strict=True" in restored.source and any(o.get("ename") == "AssertionError" for o in restored.outputs)


def test_installing_nbgrader_keeps_jupyterlab_4_and_the_slideshow():
    version = subprocess.run([str(BIN / "jupyter"), "lab", "--version"], capture_output=True, text=True, timeout=120)
    assert version.returncode == 0 and version.stdout.strip().startswith("4."), version.stdout + version.stderr
    listing = subprocess.run([str(BIN / "jupyter"), "labextension", "list"], capture_output=True, text=True, timeout=120)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
    line = next((l for l in plain.splitlines() if "jupyterlab-slideshow" in l), "")
    assert "enabled" in line and "OK" in line, plain
    assert shutil.which("nbgrader", path=str(BIN))
