"""The slide decks of `make slides` in Debian's headless Chromium, opened from disk with the
network blocked: every slide of every deck at 1280 x 720 (a projector), and one deck at 1920 x 1080.

Each deck must make no request outside the machine, and each slide must fit the screen, show
every code and output line whole, and typeset every formula. A deck that fails says which
slides, with the id of the first cell on each and its height; the full list for all decks
goes to test-artifacts/slides/slide_report.md (and a copy to the temp folder's
slide_report.md), with screenshots of the title and the tallest slide of each deck.

The decks are built from tools/execute_all.py's executed copies (fast mode), so a run after
`make slides` or `make site` executes nothing again.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

import pytest
from deck_walk import open_deck, show, summary, walk
from lab_page import ARTIFACTS
from offline import block_network

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
import build_slides  # noqa: E402
import execute_all  # noqa: E402
from notebook_fixtures import fixture_notebook  # noqa: E402

SHOTS = ARTIFACTS.parent / "slides"
SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
# Decks named here are known to fail until their notebooks are split into subslides (issue 15).
# The mark is strict: a deck that starts passing fails the run until its name is removed here.
KNOWN_FAILING: set[str] = set()


@pytest.fixture(scope="module")
def decks(vendored, tmp_path_factory):
    out = tmp_path_factory.mktemp("slides")
    paths = build_slides.build(execute_all.COURSE, out, execute=True, fast=True)
    return {p.name.split(".")[0]: p for p in paths}


@pytest.fixture(scope="module")
def report():
    """Collects each deck's summary; written to test-artifacts/slides/ when the module ends."""
    sections: dict[str, str] = {}
    yield sections
    if not sections:
        return
    SHOTS.mkdir(parents=True, exist_ok=True)
    text = "# Slides that do not fit a projector (tests/e2e/test_decks.py)\n\n" \
           "Each line: the slide's number in the deck (h.v: reveal.js's horizontal.vertical index), " \
           "the id of the first notebook cell on it, its height (the slide is 720 px), and what fails.\n\n" \
           + "\n\n".join(sections[k] for k in sorted(sections)) + "\n"
    (SHOTS / "slide_report.md").write_text(text, encoding="utf-8")
    shutil.copy(SHOTS / "slide_report.md", Path(tempfile.gettempdir()) / "slide_report.md")


def _deck_params():
    """Every deck at 1280 x 720; at 1920 x 1080 the first deck only: reveal.js scales the same 1280 x 720 slide
    by 1.5, so a slide fits at one size exactly when it fits at the other (the first deck shows that the scaling
    holds; walking every deck twice doubled the test's time for nothing)."""
    params = []
    for size in SIZES:
        for path in execute_all.COURSE if size == "1280x720" else execute_all.COURSE[:1]:
            marks = [pytest.mark.xfail(strict=True, reason="issue 15: notebook not split yet")] \
                if path.stem in KNOWN_FAILING else []
            params.append(pytest.param(path.stem, size, marks=marks, id=f"{path.stem}-{size}"))
    return params


@pytest.mark.parametrize("deck,size", _deck_params())
def test_every_slide_fits_offline(browser, decks, report, deck, size):
    width, height = SIZES[size]
    context = browser.new_context(viewport={"width": width, "height": height})
    refused = block_network(context)
    page = context.new_page()
    try:
        open_deck(page, decks[deck].as_uri())
        slides = walk(page)
        report[f"{deck} {size}"] = summary(deck, size, slides, refused)
        if size == "1280x720":
            SHOTS.mkdir(parents=True, exist_ok=True)
            tallest = max(slides, key=lambda s: s.height)
            for name, slide in (("title", slides[0]), (f"tallest-{tallest.n}", tallest)):
                show(page, slide)
                page.screenshot(path=str(SHOTS / f"{deck}-{size}-{name}.png"))
    finally:
        context.close()
    assert slides, f"{deck}: no slides found"
    bad = [s for s in slides if s.problems]
    assert not refused and not bad, summary(deck, size, slides, refused)


def test_solutions_wait_for_a_key_press_and_notes_reach_the_speaker_view(browser, vendored, tmp_path):
    """On the fixture deck: the solution shows only after the next key press; notes are the slide's notes."""
    import nbformat

    path = tmp_path / "98_fixture.ipynb"
    nbformat.write(fixture_notebook(), path)
    [deck] = build_slides.build([path], tmp_path / "slides", execute=False)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    refused = block_network(context)
    page = context.new_page()
    try:
        open_deck(page, deck.as_uri())
        page.evaluate("Reveal.slide(1, 0)")  # "1. Adding": stub, check, solution
        solution = page.locator("section.present .course-solution")
        assert solution.count() == 1 and "SOLUTION-ADD" in solution.text_content()
        assert "visible" not in solution.get_attribute("class"), "the solution shows before its key press"
        page.keyboard.press("ArrowRight")
        assert "visible" in solution.get_attribute("class"), "a key press does not reveal the solution"
        page.evaluate("Reveal.slide(1, 1)")  # "Below": a fragment, then notes
        notes = page.evaluate("Reveal.getSlideNotes()")
        assert "Said by the teacher only." in notes
        assert page.evaluate("Reveal.hasPlugin('notes')")
        with page.expect_popup() as popup:
            page.keyboard.press("s")
        speaker = popup.value
        speaker.wait_for_function("document.querySelector('.speaker-controls-notes .value')"
                                  " && document.querySelector('.speaker-controls-notes .value').textContent.includes('teacher')",
                                  timeout=10_000)
        SHOTS.mkdir(parents=True, exist_ok=True)
        speaker.screenshot(path=str(SHOTS / "speaker-view.png"))
    finally:
        context.close()
    assert not refused, refused


def test_the_walk_reports_tall_clipped_and_untypeset_slides(browser, vendored, tmp_path):
    """The checks can fail: a deck built to break each of them is reported slide by slide."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    def cell(c, kind, ident):
        c.metadata["slideshow"] = {"slide_type": kind}
        c.id = ident
        return c

    nb = new_notebook(cells=[
        cell(new_markdown_cell("# 96 · Broken on purpose\nFits: $y = f(xW + b)$."), "slide", "fits"),
        cell(new_code_cell("\n".join(f"x{i} = {i}" for i in range(60))), "slide", "sixty-lines"),
        cell(new_code_cell("token = '" + "9" * 300 + "'"), "slide", "long-token"),
        cell(new_markdown_cell("A TeX error: $\\frac{1}$."), "slide", "tex-error"),
        cell(new_markdown_cell('Not typeset: <span class="mathjax_ignore">$x^2$</span>'), "slide", "left-raw"),
    ])
    path = tmp_path / "96_broken.ipynb"
    nbformat.write(nb, path)
    [deck] = build_slides.build([path], tmp_path / "slides", execute=False)
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    try:
        open_deck(page, deck.as_uri())
        slides = {s.cell: s for s in walk(page)}
    finally:
        context.close()
    assert not slides["fits"].problems, slides["fits"]
    assert slides["sixty-lines"].tall and slides["sixty-lines"].height > 1000
    assert slides["long-token"].clipped and not slides["long-token"].tall
    assert any("TeX error" in m for m in slides["tex-error"].raw), slides["tex-error"]
    assert any("left as text" in m for m in slides["left-raw"].raw), slides["left-raw"]
