"""Build the course's website into build/site/ (Sphinx + myst-nb + sphinx-book-theme).

    python tools/build_site.py [--out build/site] [--full]

1. The notebooks are executed by tools/execute_all.py (fast mode unless --full), or their
   executed copies reused: the decks use the same copies, so nothing runs twice.
2. site/ (the configuration and the home page) and those copies are laid out in
   build/site-src/ as Sphinx's source folder, the notebooks under notebooks/ as in the
   repository (so each page's Binder and Colab buttons open the right file). In the copies
   only: each cell tagged `solution` is folded behind "Show the solution" (myst-nb's
   `hide-input`), and each speaker-notes cell is folded as "Notes for the teacher".
3. MathJax is copied into the site (tools/vendor_js.py) and sphinx-build writes the pages.

The site then works from disk or any static web server, with no network.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import execute_all  # noqa: E402
import vendor_js  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SOURCE = ROOT / "build" / "site-src"


def fold(nb):
    """Fold solutions and speaker notes in ``nb`` (a copy), in place; returns it."""
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "solution" in tags:
            cell.metadata["tags"] = [*tags, "hide-input"]
            cell.metadata["mystnb"] = {"code_prompt_show": "Show the solution", "code_prompt_hide": "Hide the solution"}
        elif cell.cell_type == "markdown" and cell.metadata.get("slideshow", {}).get("slide_type") == "notes":
            cell.source = f'<details class="course-notes"><summary>Notes for the teacher</summary>\n\n{cell.source}\n\n</details>'
    return nb


def stage(executed: list[Path], source: Path | None = None) -> Path:
    """Lay out Sphinx's source folder (default SOURCE): site/, the folded notebooks, MathJax."""
    source = source or SOURCE
    notebooks = source / "notebooks"
    if notebooks.exists():
        shutil.rmtree(notebooks)  # a notebook removed from the course leaves no page behind
    shutil.copytree(SITE, source, dirs_exist_ok=True)
    notebooks.mkdir(parents=True)
    for path in executed:
        nbformat.write(fold(nbformat.read(path, as_version=4)), notebooks / path.name)
    vendor_js.copy([(vendor_js.MATHJAX, "mathjax/tex-svg-full.js")], source / "_static")  # conf.py's mathjax_path
    return source


def build(out: Path, fast: bool = True, paths: list[Path] | None = None) -> dict:
    """Execute (or reuse), stage and build; returns what ran and how long each step took."""
    start = time.perf_counter()
    runs = execute_all.execute(paths or execute_all.COURSE, fast=fast)
    executed_s = time.perf_counter() - start
    source = stage([r.executed for r in runs])
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "auto", str(source), str(out)]
    sphinx = subprocess.run(cmd)
    sphinx_s = time.perf_counter() - start
    failed = [r.source.name for r in runs if r.error]
    print(f"{out / 'index.html'}: executing {executed_s:.0f} s, sphinx {sphinx_s:.0f} s"
          + (f"; FAILED notebooks (their pages show the error): {', '.join(failed)}" if failed else ""))
    return {"returncode": sphinx.returncode, "failed": failed, "execute_s": executed_s, "sphinx_s": sphinx_s}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "site")
    parser.add_argument("--full", action="store_true", help="execute in full mode (default: COURSE_FAST=1)")
    args = parser.parse_args(argv)
    try:
        result = build(args.out, fast=not args.full)
    except vendor_js.VendorError as e:
        print(e, file=sys.stderr)
        return 1
    return 1 if result["returncode"] or result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
