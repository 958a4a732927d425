"""tools/: HTML pages and slide decks, tried on a tiny notebook built here and on every course
notebook; and the JupyterLab slideshow extension."""

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

import build_html  # noqa: E402
import build_slides  # noqa: E402


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


def test_jupyterlab_picks_up_the_slideshow_extension():
    import subprocess

    run = subprocess.run([sys.executable, "-m", "jupyter", "labextension", "list"], capture_output=True, text=True, timeout=120)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", run.stdout + run.stderr)  # drop the colours
    line = next((l for l in plain.splitlines() if "jupyterlab-slideshow" in l), "")
    assert "enabled" in line and "OK" in line, f"jupyterlab-slideshow is not an enabled lab extension:\n{plain}"
