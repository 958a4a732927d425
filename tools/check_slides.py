"""Check the decks of a few notebooks at projector size while writing them: what tests/e2e/test_decks.py checks
for every deck, for the notebooks named, in a minute.

    python tools/check_slides.py notebooks/01_the_neuron.ipynb [more notebooks] [--size 1280x720]

Each notebook is executed (fast mode; reused when unchanged), its deck built into build/check_slides/, and
every slide walked in Debian's headless Chromium with the network blocked. It prints, per deck, each slide
that is too tall, clips a line or leaves a formula untypeset, with the id of the first cell on it, and writes
a screenshot of every failing slide to build/check_slides/. Exit status 1 when a slide fails.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests" / "e2e"))

import build_slides  # noqa: E402
import execute_all  # noqa: E402
from deck_walk import open_deck, show, summary, walk  # noqa: E402
from conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from offline import block_network  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--size", default="1280x720", help="WIDTHxHEIGHT of the browser window")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "check_slides")
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.split("x"))
    paths = [p.resolve() for p in args.notebooks]
    runs = execute_all.execute(paths, fast=True)
    failed = [r for r in runs if r.error]
    for r in failed:
        print(f"{r.source.name}: the notebook failed ({r.error}); its deck shows the cells up to there")
    decks = build_slides.build([r.executed for r in runs], args.out, execute=False)

    from playwright.sync_api import sync_playwright

    bad_total = 0
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for deck in decks:
            context = browser.new_context(viewport={"width": width, "height": height})
            refused = block_network(context)
            page = context.new_page()
            open_deck(page, deck.as_uri())
            slides = walk(page)
            name = deck.name.split(".")[0]
            print(summary(name, args.size, slides, refused), "\n")
            for slide in (s for s in slides if s.problems):
                show(page, slide)
                page.screenshot(path=str(args.out / f"{name}-slide{slide.n}.png"))
            bad_total += sum(1 for s in slides if s.problems) + len(refused)
            context.close()
        browser.close()
    return 1 if bad_total or failed else 0


if __name__ == "__main__":
    sys.exit(main())
