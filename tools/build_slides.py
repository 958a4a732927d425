"""Write a reveal.js deck (one HTML file) for each notebook: 1280 x 720 slides that work offline.

    python tools/build_slides.py [NOTEBOOK ...] [--out build/slides] [--no-execute] [--full] [--lang zh]

The decks show the notebooks executed (fast mode unless --full), taken from
tools/execute_all.py's copies, which the site uses too: a notebook runs once for both, and
again only when it changed. --no-execute builds from the notebooks as committed (no outputs).

A cell's `metadata.slideshow.slide_type` decides where it goes: `slide` starts a new slide
(left/right arrows), `subslide` a new slide below it (up/down), `fragment` appears on the
next key press, `-` continues the current slide, `skip` is left out, `notes` goes to the
speaker view (key S). Each cell tagged `solution` appears on its own key press after its check,
so a teacher can pose the exercise first; the notebooks need no change for that.

The slides are 1280 x 720 (16:9; reveal.js scales them to the screen, so 1920 x 1080 shows
the same slide, larger). Code and output wrap at spaces, never inside a number. The deck
loads reveal.js and MathJax from OUT/vendor/ (tools/vendor_js.py) and nothing from the
internet: OUT/ can be opened from disk or copied to a lecture laptop as one folder.

--lang zh makes the decks of the Chinese edition (notebooks/zh/) in build/slides/zh/: each deck titled by its
notebook's Chinese title, its page in the notebook's language (``<html lang="zh">``, which the course's theme
uses to mark a solution 参考答案).
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # noqa: E402
import execute_all  # noqa: E402
import vendor_js  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = Path(__file__).resolve().parent / "slides_template"
WIDTH, HEIGHT = 1280, 720


def title_of(nb, default: str) -> str:
    """The text of the notebook's first `# ` heading."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = re.search(r"^# (.+)$", cell.source, re.M)
            if m:
                return m.group(1).strip()
    return default


def count_slides(nb) -> dict:
    """How many slides and subslides the metadata asks for (skipped cells do not count)."""
    types = [c.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    return {"slide": types.count("slide"), "subslide": types.count("subslide")}


def vendor(out: Path) -> dict:
    """Copy reveal.js, MathJax and the course theme into ``out/vendor``; the exporter's settings for them."""
    vendor_js.copy(vendor_js.REVEAL + [vendor_js.MATHJAX], out / "vendor")
    shutil.copy2(TEMPLATES / "course_reveal" / "static" / "course.css", out / "vendor" / "reveal.js" / "dist" / "theme")
    return {"reveal_url_prefix": "vendor/reveal.js", "reveal_theme": "course", "mathjax_url": f"vendor/{vendor_js.MATHJAX}"}


def exporter(settings: dict) -> SlidesExporter:
    """nbconvert's SlidesExporter with the course's template (tools/slides_template/course_reveal)."""
    return SlidesExporter(extra_template_basedirs=[str(TEMPLATES)], template_name="course_reveal",
                          reveal_width=str(WIDTH), reveal_height=str(HEIGHT), reveal_number="c/t",
                          reveal_scroll=False, **settings)


def build(paths: list[Path], out: Path, execute: bool = True, fast: bool = True) -> list[Path]:
    """Write ``out/NN_name.slides.html`` for each notebook; returns the decks' paths."""
    out.mkdir(parents=True, exist_ok=True)
    deck_exporter = exporter(vendor(out))
    sources = [run.executed for run in execute_all.execute(paths, fast=fast)] if execute else paths
    written = []
    for path, source in zip(paths, sources):
        nb = nbformat.read(source, as_version=4)
        deck_exporter.language_code = editions.lang_of(nb)
        body, _ = deck_exporter.from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, path.stem)}})
        # nbconvert's template titles the page "NAME slides"; in the notebook's language
        body = body.replace(" slides</title>", f" {editions.words(nb)['slides']}</title>", 1)
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        n = count_slides(nb)
        print(f"{target}: {n['slide']} slides, {n['subslide']} subslides")
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, help="default: build/slides (build/slides/zh with --lang zh)")
    parser.add_argument("--no-execute", dest="execute", action="store_false", help="build from the notebooks as committed")
    parser.add_argument("--full", action="store_true", help="execute in full mode (default: COURSE_FAST=1)")
    editions.add_lang_option(parser)
    args = parser.parse_args(argv)
    args.out = args.out or editions.out_folder(ROOT / "build" / "slides", args.lang)
    paths = args.notebooks or editions.notebooks(args.lang)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    try:
        build(paths, args.out, execute=args.execute, fast=not args.full)
    except vendor_js.VendorError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
