"""tools/: student copies, HTML pages, slide decks and the grader, tried on a tiny notebook
built here (and, for student copies, on every course notebook present)."""

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import build_html  # noqa: E402
import build_slides  # noqa: E402
import grade  # noqa: E402
import make_student  # noqa: E402

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

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


def test_build_html_executes_and_writes_pages_and_index(fixture_path, tmp_path):
    out = tmp_path / "html"
    records = build_html.build([fixture_path], out, fast=True, timeout=120)
    assert records[0]["error"] is None and records[0]["title"] == "98 · A fixture"
    page = (out / "98_fixture.html").read_text(encoding="utf-8")
    assert "mode: 1" in page, "executed in fast mode, outputs shown"
    assert "✅ sub: correct" in page
    assert 'href="01_the_neuron.ipynb"' in page, "links to notebooks outside the build stay as they are"
    assert page.count('celltag_solution"') == 3 and "Show the solution" in page, "solutions are folded on the page"
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="98_fixture.html"' in index and "98 · A fixture" in index


def test_link_pages_points_links_between_built_notebooks_at_pages():
    nb = new_notebook(cells=[new_markdown_cell("See [01](01_the_neuron.ipynb#sec) and [02](../notebooks/02_loss.ipynb), not [x](03_gd.ipynb).")])
    build_html.link_pages(nb, {"01_the_neuron", "02_loss"})
    assert nb.cells[0].source == "See [01](01_the_neuron.html#sec) and [02](../notebooks/02_loss.html), not [x](03_gd.ipynb)."


def test_build_html_marks_a_failing_notebook(tmp_path):
    path = tmp_path / "97_broken.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 97 · Broken"), new_code_cell("1 / 0")]), path)
    assert build_html.main([str(path), "--out", str(tmp_path / "html")]) == 1
    assert "ZeroDivisionError" in (tmp_path / "html" / "97_broken.html").read_text(encoding="utf-8")
    assert "failed" in (tmp_path / "html" / "index.html").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- slides


def sections(html):
    """(horizontal slides, all innermost slides) of a reveal.js deck written by nbconvert."""
    depth, top, leaves, opened = 0, 0, 0, []
    for m in re.finditer(r"<section\b|</section>", html):
        if m.group(0) == "</section>":
            depth -= 1
            if opened.pop() == 0:  # a section with no section inside
                leaves += 1
            if opened:
                opened[-1] += 1
        else:
            top += depth == 0
            depth += 1
            opened.append(0)
    assert depth == 0, "unbalanced <section> tags"
    return top, leaves


def test_slides_deck_has_one_slide_per_slide_cell(fixture_path, tmp_path):
    out = tmp_path / "slides"
    [deck] = build_slides.build([fixture_path], out, execute=False)
    html = deck.read_text(encoding="utf-8")
    n = build_slides.count_slides(fixture_notebook())
    assert n == {"slide": 4, "subslide": 1}
    top, leaves = sections(html)
    # nbconvert: each `slide` cell opens a horizontal <section>; it and each `subslide` cell
    # open a nested <section> (a vertical slide); fragments and notes stay inside.
    assert top == n["slide"]
    assert leaves == n["slide"] + n["subslide"]
    assert html.count('class="fragment"') == 1 and html.count('<aside class="notes">') == 1
    assert "print('mode:'" not in html, "skip cells are left out"
    assert re.search(r'"https://[^"]*reveal\.js[^"]*/dist/reveal\.js"', html), "reveal.js from a CDN unless --offline"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_course_notebook_makes_a_deck_with_its_slides(path, tmp_path):
    [deck] = build_slides.build([path], tmp_path, execute=False)
    n = build_slides.count_slides(nbformat.read(path, as_version=4))
    assert sections(deck.read_text(encoding="utf-8")) == (n["slide"], n["slide"] + n["subslide"])


def test_offline_settings_point_at_vendored_files(tmp_path, monkeypatch):
    for pkg in build_slides.VENDOR:
        d = tmp_path / "vendor" / "node_modules" / pkg.rsplit("@", 1)[0]
        d.mkdir(parents=True)
        (d / "package.json").write_text("{}")
    monkeypatch.setattr(build_slides.subprocess, "run", lambda *a, **k: pytest.fail("npm must not run when vendored"))
    settings = build_slides.vendor(tmp_path)
    assert settings["reveal_url_prefix"] == "vendor/node_modules/reveal.js"
    assert settings["require_js_url"] == "vendor/node_modules/requirejs/require.js"
    assert settings["mathjax_url"].startswith("vendor/node_modules/mathjax/MathJax.js?config=")


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


def test_jupyterlab_picks_up_the_slideshow_extension():
    import subprocess

    run = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, timeout=120)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)  # drop the colours
    line = next((l for l in plain.splitlines() if "jupyterlab-slideshow" in l), "")
    assert "enabled" in line and "OK" in line, f"jupyterlab-slideshow is not an enabled lab extension:\n{plain}"
