"""Fit a notebook's deck to a 1280x720 projector: measure each cell on its slide, break where a slide overflows.

    python tools/fit_slides.py notebooks/NN_name.ipynb [more notebooks] [--dry-run]

Each notebook is executed (fast mode, reused when unchanged: tools/execute_all.py), its deck built and
opened in Debian's headless Chromium, and the top and bottom of every cell measured on its slide. Where a
slide runs past the bottom, the first cell that does not fit starts a new slide below it
(``slide_type: subslide``, reveal.js's up/down), written into the notebook's metadata; the deck is rebuilt
and measured again until every slide fits or what is left cannot be fixed by a break (one cell taller
than a slide: split it, or make its figure smaller). The notebook's sources are not touched, only the
slide types of the cells chosen.

Where it breaks: a short markdown cell (a sentence introducing the next figure or code, a heading) stays
with the cell it introduces, so the break moves before it; a `solution` cell stays after its check; a
slide is never broken right after its first cell. tools/check_slides.py then shows the result, as the
test (tests/e2e/test_decks.py) will see it.

Why a tool rather than breaks set by hand: the heights depend on the executed outputs (figures, printed
lines) and on the deck's fonts, which a writer cannot see in JupyterLab; measured, a break lands where
the projector needs it, and moving it by hand afterwards is still possible (the tool only adds breaks).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import build_slides  # noqa: E402
import execute_all  # noqa: E402

HEIGHT = build_slides.HEIGHT
MARGIN = 24  # px kept free at the bottom: fonts and MathJax differ a little between machines
SHORT_INTRO = 400  # characters: a markdown cell this short goes with the cell after it

# For each slide: its index and, per notebook cell on it (not the speaker notes), the cell's id and its
# top and bottom in slide pixels, from the slide's top.
MEASURE_JS = r"""
() => {
  Reveal.configure({transition: "none", backgroundTransition: "none"});
  return Reveal.getSlides().map(slide => {
    const ix = Reveal.getIndices(slide);
    Reveal.slide(ix.h, ix.v);
    const scale = Reveal.getScale(), box = slide.getBoundingClientRect();
    const cells = [...slide.querySelectorAll('[id^="cell-id="]')]
      .filter(el => !el.closest("aside") && !el.parentElement.closest('[id^="cell-id="]'))
      .map(el => { const r = el.getBoundingClientRect();
                   return {id: el.id.slice(8), top: (r.top - box.top) / scale, bottom: (r.bottom - box.top) / scale}; });
    return {h: ix.h, v: ix.v, height: slide.scrollHeight, cells: cells};
  });
}
"""


def slide_type(cell) -> str:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type", "-")


def is_solution(cell) -> bool:
    return "solution" in cell.get("metadata", {}).get("tags", [])


def choose_break(slide: dict, cells: dict) -> str | None:
    """The id of the cell that should start a new slide, or None when the slide fits or no break helps."""
    if slide["height"] <= HEIGHT + 1 or len(slide["cells"]) < 2:
        return None
    on_slide = slide["cells"]
    limit = HEIGHT - MARGIN
    first_out = next((i for i, c in enumerate(on_slide) if c["bottom"] > limit), None)
    if first_out is None:  # the cells fit; the overflow is padding: break before the last cell
        first_out = len(on_slide) - 1
    i = max(first_out, 1)
    # keep an introducing markdown cell, or a check and its solution, with what follows it
    while i > 1:
        here, before = cells[on_slide[i]["id"]], cells[on_slide[i - 1]["id"]]
        if is_solution(here) or (before.cell_type == "markdown" and len(before.source) < SHORT_INTRO
                                 and not is_solution(before)):
            i -= 1
            continue
        break
    return on_slide[i]["id"]


def measure(page, deck: Path) -> list[dict]:
    from deck_walk import open_deck

    open_deck(page, deck.as_uri())
    return page.evaluate(MEASURE_JS)


def fit(path: Path, browser, dry_run: bool = False, rounds: int = 12) -> list[str]:
    """Add subslide breaks to ``path`` until its deck fits; returns what still does not fit."""
    run = execute_all.execute([path], fast=True)[0]
    if run.error:
        return [f"{path.name}: the notebook failed ({run.error}); fix it first"]
    executed = nbformat.read(run.executed, as_version=4)
    source = nbformat.read(path, as_version=4)
    by_id = {c.id: c for c in executed.cells}
    added: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / path.name
        for _ in range(rounds):
            nbformat.write(executed, copy)
            deck = build_slides.build([copy], Path(tmp) / "deck", execute=False)[0]
            page = browser.new_page(viewport={"width": 1280, "height": 720})
            slides = measure(page, deck)
            page.close()
            breaks = [b for b in (choose_break(s, by_id) for s in slides) if b]
            if not breaks:
                break
            for cell_id in breaks:
                by_id[cell_id].setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = "subslide"
                added.append(cell_id)
        left = [f"{path.name}: slide {s['h']}.{s['v']} (first cell {s['cells'][0]['id'] if s['cells'] else '?'}) is "
                f"{s['height']} px tall" + (" with one cell: split it or shrink its figure" if len(s["cells"]) < 2 else "")
                for s in slides if s["height"] > HEIGHT + 1]
    if added and not dry_run:
        for cell in source.cells:
            if cell.id in added:
                cell.setdefault("metadata", {}).setdefault("slideshow", {})["slide_type"] = "subslide"
        nbformat.write(source, path)
    print(f"{path.name}: {len(added)} breaks {'proposed' if dry_run else 'added'} ({', '.join(added) or 'none'}); "
          f"{len(left)} slides still too tall")
    return left


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--dry-run", action="store_true", help="say where the breaks go, change nothing")
    args = parser.parse_args(argv)
    from conftest import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    left = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in args.notebooks:
            left += fit(path.resolve(), browser, dry_run=args.dry_run)
        browser.close()
    print("\n".join(left))
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
