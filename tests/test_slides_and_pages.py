"""tools/: executed copies shared by the decks and the site, the decks, the site, and the
JupyterLab slideshow extension; tried on a tiny notebook built here and on every course notebook.

No test here reaches npm: the JavaScript the decks and the site load (tools/vendor_js.py) is
replaced by a fake node_modules folder; tests/e2e/ opens the real decks and site in a browser.
"""

import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))

from notebook_fixtures import cell, fixture_notebook, fixture_path  # noqa: E402,F401

import build_site  # noqa: E402
import build_slides  # noqa: E402
import execute_all  # noqa: E402
import vendor_js  # noqa: E402

NOTEBOOKS = execute_all.COURSE


@pytest.fixture
def fake_npm(tmp_path, monkeypatch):
    """A node_modules folder holding every file the decks and the site copy, each a stub."""
    npm_dir = tmp_path / "npm"
    modules = npm_dir / "node_modules"
    for name, version in vendor_js.PACKAGES.items():
        (modules / name).mkdir(parents=True)
        (modules / name / "package.json").write_text(json.dumps({"version": version}))
    for rel in vendor_js.REVEAL + [vendor_js.MATHJAX]:
        target = modules / rel
        if "." in target.name:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(f"/* {rel} */")
        else:
            target.mkdir(parents=True, exist_ok=True)
            (target / "font.woff").write_text("font")
    monkeypatch.setattr(vendor_js, "NPM_DIR", npm_dir)
    return npm_dir


# --------------------------------------------------------------------------- executed copies


def test_execute_all_runs_once_then_reuses_until_the_notebook_changes(fixture_path, tmp_path):
    out = tmp_path / "executed"
    [first] = execute_all.execute([fixture_path], out, fast=True, timeout=120)
    assert not first.reused and first.error is None and first.executed == out / "fast" / "98_fixture.ipynb"
    outputs = [o for c in nbformat.read(first.executed, as_version=4).cells for o in c.get("outputs", [])]
    assert any("mode: 1" in o.get("text", "") for o in outputs), "executed in fast mode"
    [again] = execute_all.execute([fixture_path], out, fast=True)
    assert again.reused and again.seconds == 0
    nb = nbformat.read(fixture_path, as_version=4)
    nb.cells.append(new_code_cell("print('changed')"))
    nbformat.write(nb, fixture_path)
    [changed] = execute_all.execute([fixture_path], out, fast=True, timeout=120)
    assert not changed.reused, "a changed notebook is executed again"
    assert not execute_all.execute([fixture_path], out, fast=False, timeout=120)[0].reused, "full mode has its own copies"


def test_a_failing_notebook_keeps_its_error_and_runs_again_next_time(tmp_path):
    path = tmp_path / "97_broken.ipynb"
    nbformat.write(new_notebook(cells=[new_markdown_cell("# 97 · Broken"), new_code_cell("1 / 0")]), path)
    assert execute_all.main([str(path), "--out", str(tmp_path / "x")]) == 1
    [run] = execute_all.execute([path], tmp_path / "x")
    assert not run.reused and "ZeroDivisionError" in run.error
    assert "ZeroDivisionError" in run.executed.read_text(encoding="utf-8")
    assert not (tmp_path / "x" / "fast" / "97_broken.key").exists()


def test_content_key_depends_on_notebook_and_mode(fixture_path):
    key = execute_all.content_key(fixture_path, fast=True)
    assert key == execute_all.content_key(fixture_path, fast=True)
    assert key != execute_all.content_key(fixture_path, fast=False)
    assert re.fullmatch(r"[0-9a-f]{64}", key)


# --------------------------------------------------------------------------- decks


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


def test_deck_slides_fragments_solutions_notes_and_size(fixture_path, tmp_path, fake_npm):
    out = tmp_path / "slides"
    [deck] = build_slides.build([fixture_path], out, execute=False)
    html = deck.read_text(encoding="utf-8")
    n = build_slides.count_slides(fixture_notebook())
    assert n == {"slide": 4, "subslide": 1}
    top, leaves = sections(html)
    # nbconvert: each `slide` cell opens a horizontal <section>; it and each `subslide` cell
    # open a nested <section> (a vertical slide); fragments and notes stay inside.
    assert (top, leaves) == (n["slide"], n["slide"] + n["subslide"])
    assert html.count('class="fragment"') == 1 and html.count('<aside class="notes">') == 1
    assert html.count('class="fragment course-solution"') == 3, "each solution is a fragment of its own"
    cells = nbformat.read(fixture_path, as_version=4).cells
    check = next(c for c in cells if "check" in c.metadata.get("tags", []))
    solution = next(c for c in cells if "solution" in c.metadata.get("tags", []))
    at = {name: html.index(f'id="cell-id={c.id}"') for name, c in (("check", check), ("solution", solution))}
    assert at["check"] < html.index('class="fragment course-solution"') < at["solution"], "check, then its solution's fragment"
    assert "print('mode:'" not in html, "skip cells are left out"
    assert "width: 1280, height: 720" in html


def test_deck_loads_nothing_from_outside_its_folder(fixture_path, tmp_path, fake_npm):
    out = tmp_path / "slides"
    [deck] = build_slides.build([fixture_path], out, execute=False)
    html = deck.read_text(encoding="utf-8")
    loads = re.findall(r'<(?:script|link)\b[^>]*?(?:src|href)="([^"]+)"', html)
    assert sorted(loads) == sorted(["vendor/reveal.js/dist/reveal.css", "vendor/reveal.js/dist/theme/course.css",
                                    "vendor/mathjax/es5/tex-svg-full.js", "vendor/reveal.js/dist/reveal.js",
                                    "vendor/reveal.js/plugin/notes/notes.js"])
    assert all((out / rel).is_file() for rel in loads), "every file a deck loads is in its folder"
    assert not re.search(r"(?:import|from)\s+['\"]https?://|require\(|mermaid|@jupyter-widgets", html)
    theme = (out / "vendor/reveal.js/dist/theme/course.css").read_text()
    assert "word-break: normal" in theme and "break-all" not in theme.replace("word-break: break-all", "")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_course_notebook_makes_a_deck_with_its_slides(path, tmp_path, fake_npm):
    [deck] = build_slides.build([path], tmp_path, execute=False)
    nb = nbformat.read(path, as_version=4)
    n = build_slides.count_slides(nb)
    html = deck.read_text(encoding="utf-8")
    assert sections(html) == (n["slide"], n["slide"] + n["subslide"])
    solutions = sum("solution" in c.metadata.get("tags", []) for c in nb.cells)
    assert html.count("fragment course-solution") == solutions


def test_vendor_copies_what_a_page_loads(tmp_path, fake_npm):
    vendor_js.copy([vendor_js.MATHJAX, (vendor_js.MATHJAX, "mathjax/tex.js"), "reveal.js/dist/theme/fonts/source-sans-pro"],
                   tmp_path / "out")
    assert (tmp_path / "out" / vendor_js.MATHJAX).read_text() == f"/* {vendor_js.MATHJAX} */"
    assert (tmp_path / "out" / "mathjax" / "tex.js").is_file()
    assert (tmp_path / "out" / "reveal.js/dist/theme/fonts/source-sans-pro/font.woff").is_file()


def test_without_npm_the_decks_say_how_to_get_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(vendor_js, "NPM_DIR", tmp_path / "empty")
    monkeypatch.setattr(vendor_js.shutil, "which", lambda name: None)
    with pytest.raises(vendor_js.VendorError, match="apt-get install npm"):
        vendor_js.node_modules()
    assert build_slides.main(["--no-execute", "--out", str(tmp_path / "slides"), str(NOTEBOOKS[0])]) == 1
    assert "npm not found" in capsys.readouterr().err


# --------------------------------------------------------------------------- site


def test_fold_hides_solutions_and_teacher_notes(fixture_path):
    nb = build_site.fold(nbformat.read(fixture_path, as_version=4))
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == 3
    assert all("hide-input" in c.metadata.tags and c.metadata.mystnb["code_prompt_show"] == "Show the solution"
               for c in solutions)
    [notes] = [c for c in nb.cells if c.metadata.get("slideshow", {}).get("slide_type") == "notes"]
    assert notes.source.startswith('<details class="course-notes">') and "Said by the teacher only." in notes.source
    others = [c for c in nb.cells if c not in solutions and c is not notes]
    assert not any("hide-input" in c.metadata.get("tags", []) for c in others)


def test_site_builds_pages_with_launch_buttons_and_local_mathjax(fixture_path, tmp_path, fake_npm, monkeypatch):
    pytest.importorskip("myst_nb", reason="the site's packages are not installed: pip install -r site/requirements.txt")
    nb = nbformat.read(fixture_path, as_version=4)
    nb.cells.insert(1, new_markdown_cell("A formula, typeset by the site's own MathJax: $y = f(xW + b)$."))
    nbformat.write(nb, fixture_path)
    monkeypatch.setattr(build_site, "SOURCE", tmp_path / "site-src")
    monkeypatch.setattr(execute_all, "OUT", tmp_path / "executed")
    result = build_site.build(tmp_path / "site", fast=True, paths=[fixture_path])
    assert result["returncode"] == 0 and result["failed"] == []
    page = (tmp_path / "site" / "notebooks" / "98_fixture.html").read_text(encoding="utf-8")
    assert "mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/notebooks/98_fixture.ipynb" in page
    assert "colab.research.google.com/github/OWNER/REPO/blob/main/notebooks/98_fixture.ipynb" in page
    assert page.count("Show the solution") == 3 and "mode: 1" in page and "✅ sub: correct" in page
    scripts = re.findall(r'<script[^>]*src="([^"]+)"', page)
    assert any(s.split("?")[0].endswith("_static/mathjax/tex-svg-full.js") for s in scripts)
    assert not [s for s in scripts if s.startswith(("http:", "https:", "//"))], scripts
    assert (tmp_path / "site" / "_static" / "mathjax" / "tex-svg-full.js").is_file()
    assert (tmp_path / "site" / "search.html").is_file() and (tmp_path / "site" / "searchindex.js").is_file()
    index = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="notebooks/98_fixture.html"' in index


def test_the_old_page_builder_is_gone():
    assert not (ROOT / "tools" / "build_html.py").exists()
    assert "build_html" not in (ROOT / "Makefile").read_text()


# --------------------------------------------------------------------------- JupyterLab


def test_jupyterlab_picks_up_the_slideshow_extension():
    run = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, timeout=120)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)  # drop the colours
    line = next((l for l in plain.splitlines() if "jupyterlab-slideshow" in l), "")
    assert "enabled" in line and "OK" in line, f"jupyterlab-slideshow is not an enabled lab extension:\n{plain}"
