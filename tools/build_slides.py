"""Write a reveal.js slide deck (one HTML file) for each notebook, from its slide metadata.

    python tools/build_slides.py [NOTEBOOK ...] [--out build/slides] [--no-execute] [--full] [--offline]

Each notebook is first executed (fast mode unless --full), so the deck shows its figures;
--no-execute builds from the notebook as committed (no outputs). A cell's
`metadata.slideshow.slide_type` decides where it goes: `slide` starts a new slide (left/right
arrows), `subslide` a new slide below it (up/down), `fragment` appears on the next key press,
`-` continues the current slide, `skip` is left out, `notes` goes to the speaker view (key S).

A deck needs reveal.js, require.js, jQuery and MathJax in the browser. By default nbconvert
points at CDNs, so the deck needs the internet to display. With --offline the four libraries
are installed with npm into OUT/vendor/ (once) and the decks point there by relative paths:
build/slides/ can then be opened from disk (file://) or copied to a laptop as one folder.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
from nbconvert import SlidesExporter

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_html import run, title_of  # noqa: E402  (the same execution as the HTML pages)

ROOT = Path(__file__).resolve().parent.parent

# npm package -> the file the deck loads, relative to OUT/vendor/node_modules/<package>
VENDOR = {
    "reveal.js@4.0.2": "",  # nbconvert's template is written for reveal.js 4.0.x
    "requirejs@2.3.6": "require.js",
    "jquery@3.5.1": "dist/jquery.min.js",
    "mathjax@2.7.9": "MathJax.js?config=TeX-AMS_CHTML-full,Safe",  # the template calls MathJax 2's API
}


def vendor(out: Path) -> dict | None:
    """Install the deck's JavaScript into ``out/vendor`` with npm; the exporter settings that use it.

    Returns None (and says why) when npm is missing or fails: the decks then use the CDNs.
    """
    modules = out / "vendor" / "node_modules"
    missing = [pkg for pkg in VENDOR if not (modules / pkg.rsplit("@", 1)[0] / "package.json").is_file()]
    if missing:
        if shutil.which("npm") is None:
            print("npm not found: the decks load reveal.js, jQuery and MathJax from CDNs (internet needed to show them).")
            return None
        cmd = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--silent", "--fetch-retries=1",
               "--fetch-timeout=20000", "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=5000",
               "--prefix", str(out / "vendor"), *VENDOR]  # give up soon when offline
        print("installing the decks' JavaScript into", out / "vendor", flush=True)
        if subprocess.run(cmd).returncode != 0:
            print("npm install failed: the decks load reveal.js, jQuery and MathJax from CDNs.")
            return None
    url = {pkg: f"vendor/node_modules/{pkg.rsplit('@', 1)[0]}/{path}".rstrip("/") for pkg, path in VENDOR.items()}
    return {
        "reveal_url_prefix": url["reveal.js@4.0.2"],
        "require_js_url": url["requirejs@2.3.6"],
        "jquery_url": url["jquery@3.5.1"],
        "mathjax_url": url["mathjax@2.7.9"],
    }


def count_slides(nb) -> dict:
    """How many slides and subslides the metadata asks for (skipped cells do not count)."""
    types = [c.get("metadata", {}).get("slideshow", {}).get("slide_type", "-") for c in nb.cells]
    return {"slide": types.count("slide"), "subslide": types.count("subslide")}


def build(paths: list[Path], out: Path, execute: bool = True, fast: bool = True, offline: bool = False) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    settings = (vendor(out) if offline else None) or {}
    # long slides scroll instead of being cut off; slide numbers as current/total
    exporter = SlidesExporter(reveal_scroll=True, reveal_number="c/t", **settings)
    written = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        if execute:
            error = run(nb, path.resolve().parent, timeout=1200, fast=fast)
            if error:
                print(f"{path.name}: a cell failed ({error}); the deck shows the error.")
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title_of(nb, path.stem)}})
        target = out / f"{path.stem}.slides.html"
        target.write_text(body, encoding="utf-8")
        n = count_slides(nb)
        print(f"{target}: {n['slide']} slides, {n['subslide']} subslides")
        written.append(target)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "slides")
    parser.add_argument("--no-execute", dest="execute", action="store_false", help="build from the notebooks as committed")
    parser.add_argument("--full", action="store_true", help="execute in full mode (default: COURSE_FAST=1)")
    parser.add_argument("--offline", action="store_true", help="install reveal.js & co. with npm into OUT/vendor and use them")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    build(paths, args.out, execute=args.execute, fast=not args.full, offline=args.offline)
    return 0


if __name__ == "__main__":
    sys.exit(main())
