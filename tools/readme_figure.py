"""Regenerate the README's picture: a page of the course's website, as a learner sees it.

    make site && python tools/readme_figure.py [--site build/site] [--out docs/images/course.png]

Opens notebook 05's page of the built site in Debian's headless Chromium (network blocked, as
the site needs none), scrolls to the learning curves, and saves a 1280 x 800 screenshot scaled
to 960 px wide: the sidebar of notebooks, code, its output and a figure in one picture.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/lib/chromium/chromium"
PAGE = "notebooks/05_mlp_on_mnist_numpy.html"
SNIPPET = "plots.learning_curves("  # the code cell whose figure the picture shows
WIDTH = 960


def capture(site: Path, out: Path, page: str = PAGE, snippet: str = SNIPPET) -> Path:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT / "tests" / "e2e"))
    from offline import block_network

    out.parent.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 800})
            refused = block_network(context)
            tab = context.new_page()
            tab.goto((site / page).as_uri())
            tab.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise")
            tab.evaluate("MathJax.startup.promise")
            found = tab.evaluate("""(snippet) => {
                const cell = [...document.querySelectorAll("div.cell")].find(c => c.textContent.includes(snippet));
                if (!cell) return false;
                cell.scrollIntoView({block: "start"});
                window.scrollBy(0, -70);  // below the theme's top bar
                return true; }""", snippet)
            if not found:
                raise SystemExit(f"{page}: no cell with {snippet!r}; pass --snippet with code of a cell that draws a figure")
            tab.wait_for_timeout(500)
            tab.screenshot(path=str(out))
            if refused:
                raise SystemExit(f"the page asked for the network: {refused}")
        finally:
            browser.close()
    image = Image.open(out)
    image = image.resize((WIDTH, round(image.height * WIDTH / image.width)), Image.LANCZOS)
    image.convert("P", palette=Image.ADAPTIVE, colors=256).save(out, optimize=True)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "course.png")
    parser.add_argument("--page", default=PAGE)
    parser.add_argument("--snippet", default=SNIPPET)
    args = parser.parse_args(argv)
    if not (args.site / args.page).is_file():
        print(f"{args.site / args.page} not found: build the site first (make site)", file=sys.stderr)
        return 1
    path = capture(args.site, args.out, args.page, args.snippet)
    print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
