"""tools/: student copies (tried on a tiny notebook built here and on every course notebook) and
the notebook runner behind the grader. The grader's own tests are in test_grading.py."""

import json
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from notebook_fixtures import cell, fixture_notebook, fixture_path  # noqa: E402,F401

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

import make_student  # noqa: E402
import nbrun  # noqa: E402


# --------------------------------------------------------------------------- make student


def solution_sources(nb):
    return [c.source for c in nb.cells if "solution" in c.metadata.get("tags", [])]


@pytest.mark.parametrize("path", [None, *NOTEBOOKS], ids=lambda p: "fixture" if p is None else p.name)
def test_student_copy_leaks_no_solution_and_validates(path, tmp_path, capsys):
    if path is None:
        path = tmp_path / "98_fixture.ipynb"
        nbformat.write(fixture_notebook(), path)
    out = tmp_path / "student"
    assert make_student.main([str(path), "--out", str(out)]) == 0
    teacher = nbformat.read(path, as_version=4)
    n = len(solution_sources(teacher))
    assert n >= 2
    assert f": {n} solution cells removed\n" in capsys.readouterr().out, "the count is the solution cells, not one fewer"
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
    teacher = fixture_notebook()
    teacher.cells[3].outputs = [nbformat.v4.new_output("stream", name="stdout", text="an old output")]
    teacher.cells[3].execution_count = 7
    student = make_student.student_copy(teacher)
    tags = [t for c in student.cells for t in c.metadata.get("tags", [])]
    assert tags.count("exercise") == 3 and tags.count("check") == 3 and "solution" not in tags
    assert "SOLUTION-" not in json.dumps(student) and "an old output" not in json.dumps(student)
    assert teacher.cells[3].outputs and len(teacher.cells) == len(student.cells) + 3 - 1, "the teacher's copy is unchanged"


def test_make_student_uses_nbconverts_tag_remover(monkeypatch):
    from nbconvert.preprocessors import TagRemovePreprocessor

    calls = []
    real = TagRemovePreprocessor.preprocess
    monkeypatch.setattr(TagRemovePreprocessor, "preprocess",
                        lambda self, nb, res: calls.append(set(self.remove_cell_tags)) or real(self, nb, res))
    make_student.student_copy(fixture_notebook())
    assert calls == [{"solution"}]


def test_make_student_counts_all_it_removed(tmp_path, capsys):
    for name in ("97_a.ipynb", "98_b.ipynb"):
        nbformat.write(fixture_notebook(), tmp_path / name)
    assert make_student.main([str(tmp_path / "97_a.ipynb"), str(tmp_path / "98_b.ipynb"), "--out", str(tmp_path / "s")]) == 0
    out = capsys.readouterr().out
    assert out.count(": 3 solution cells removed") == 2 and "2 student copies" in out and "6 solution cells removed in all" in out


# --------------------------------------------------------------------------- nbrun


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


def test_nbrun_interrupts_a_cell_past_its_timeout_and_stops_when_the_kernel_is_stuck(monkeypatch):
    """Two endless loops in a row are interrupted and the next cells still run; a loop that
    ignores the interrupt (SIGINT ignored) stops the run instead of keeping it waiting for ever."""
    cells = ["x = 1", "while True: pass", "while True: pass", "print(x + 1)",
             "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: pass", "print('a')"]
    nb = new_notebook(cells=[new_code_cell(c) for c in cells])
    monkeypatch.setattr(nbrun, "STUCK_AFTER", 3)
    with pytest.raises(nbrun.KernelStuck, match="did not stop when interrupted"):
        nbrun.execute(nb, ROOT, timeout=3, allow_errors=True, interrupt_on_timeout=True)
    enames = [[o.get("ename") for o in c.outputs if o.output_type == "error"] for c in nb.cells]
    assert nbrun.TIMEOUT_ERROR in enames[1] and nbrun.TIMEOUT_ERROR in enames[2]
    assert nb.cells[3].outputs[0].text == "2\n", "interrupted, then went on"
    assert enames[4] == [nbrun.TIMEOUT_ERROR] and nb.cells[5].outputs == []


def test_teaching_page_gives_a_working_nbgitpuller_link():
    """docs/TEACHING.md's JupyterHub link: nbgitpuller's endpoint, the course's repository on
    branch main, opening notebook 00 in JupyterLab inside the folder the clone lands in."""
    from urllib.parse import parse_qs, urlsplit

    text = (ROOT / "docs" / "TEACHING.md").read_text(encoding="utf-8")
    links = [l for l in text.split() if "/git-pull?" in l]
    assert len(links) == 1, links
    url = urlsplit(links[0])
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert url.path == "/hub/user-redirect/git-pull" and set(query) == {"repo", "branch", "urlpath"}
    assert query["repo"] == "https://github.com/OWNER/REPO" and query["branch"] == "main"
    folder, _, notebook = query["urlpath"].removeprefix("lab/tree/").partition("/")
    assert folder == "REPO" and (ROOT / notebook).is_file() and notebook.startswith("notebooks/00_")
