"""Build the course's website into build/site/ (Sphinx + myst-nb + sphinx-book-theme).

    python tools/build_site.py [--out build/site] [--full] [--lang zh]

1. The notebooks are executed by tools/execute_all.py (fast mode unless --full), or their
   executed copies reused: the decks use the same copies, so nothing runs twice.
2. site/ (the configuration and the home page) and those copies are laid out in
   build/site-src/ as Sphinx's source folder, the notebooks under notebooks/ as in the
   repository (so each page's Binder and Colab buttons open the right file). In the copies
   only: each cell tagged `solution` is folded behind "Show the solution" (myst-nb's
   `hide-input`), and each speaker-notes cell is folded as "Notes for the teacher".
3. MathJax is copied into the site (tools/vendor_js.py) and sphinx-build writes the pages.

The site then works from disk or any static web server, with no network.

--lang zh builds the site of the Chinese edition into build/site/zh/ (inside the English site, so one folder
publishes both): its home page is site/index.zh.md, its notebooks notebooks/zh/ (staged there, so the launch
buttons open the Chinese notebook), Sphinx and the theme speak Chinese (``language = "zh_CN"``), and the folded
solutions and notes are labelled in Chinese.
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
import editions  # noqa: E402
import execute_all  # noqa: E402
import vendor_js  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
SOURCE = ROOT / "build" / "site-src"
SPHINX_LANGUAGE = {"zh": "zh_CN"}  # Sphinx's name of each edition's language


def fold(nb):
    """Fold solutions and speaker notes in ``nb`` (a copy), in place, labelled in its language; returns it."""
    words = editions.words(nb)
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if cell.cell_type == "code" and "solution" in tags:
            cell.metadata["tags"] = [*tags, "hide-input"]
            cell.metadata["mystnb"] = {"code_prompt_show": words["show_solution"], "code_prompt_hide": words["hide_solution"]}
        elif cell.cell_type == "markdown" and cell.metadata.get("slideshow", {}).get("slide_type") == "notes":
            cell.source = (f'<details class="course-notes"><summary>{words["teacher_notes"]}</summary>\n\n'
                           f'{cell.source}\n\n</details>')
    return nb


def source_folder(lang: str = "en") -> Path:
    """Sphinx's source folder for the edition ``lang``: SOURCE, or SOURCE-zh beside it (not inside it, where the
    English build would find its pages)."""
    return SOURCE if lang == "en" else SOURCE.with_name(f"{SOURCE.name}-{lang}")


def stage(executed: list[Path], source: Path | None = None, lang: str = "en") -> Path:
    """Lay out Sphinx's source folder (default ``source_folder(lang)``): site/ (its home page site/index.md, or
    site/index.zh.md for Chinese), the folded notebooks under notebooks/ (notebooks/zh/ for Chinese), MathJax."""
    source = source or source_folder(lang)
    notebooks = source / "notebooks"
    if notebooks.exists():
        shutil.rmtree(notebooks)  # a notebook removed from the course leaves no page behind
    shutil.copytree(SITE, source, dirs_exist_ok=True, ignore=shutil.ignore_patterns("index.*.md"))
    if lang != "en":
        shutil.copy2(SITE / f"index.{lang}.md", source / "index.md")
    folder = editions.out_folder(notebooks, lang)  # as in the repository: the launch buttons open this path
    folder.mkdir(parents=True)
    for path in executed:
        nbformat.write(fold(nbformat.read(path, as_version=4)), folder / path.name)
    vendor_js.copy([(vendor_js.MATHJAX, "mathjax/tex-svg-full.js")], source / "_static")  # conf.py's mathjax_path
    return source


def settings(lang: str) -> list[str]:
    """sphinx-build's ``-D`` overrides of site/conf.py for the edition ``lang``: none for English; for Chinese the
    language (Sphinx's and the theme's own words, the search) and the title, the home page's heading."""
    if lang == "en":
        return []
    title = (SITE / f"index.{lang}.md").read_text(encoding="utf-8").splitlines()[0].lstrip("# ").strip()
    return ["-D", f"language={SPHINX_LANGUAGE[lang]}", "-D", f"project={title}", "-D", f"html_title={title}"]


def build(out: Path, fast: bool = True, paths: list[Path] | None = None, lang: str = "en") -> dict:
    """Execute (or reuse), stage and build the edition ``lang``; returns what ran and how long each step took."""
    start = time.perf_counter()
    runs = execute_all.execute(paths or editions.notebooks(lang), fast=fast)
    executed_s = time.perf_counter() - start
    source = stage([r.executed for r in runs], lang=lang)
    start = time.perf_counter()
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-q", "-j", "auto", *settings(lang), str(source), str(out)]
    sphinx = subprocess.run(cmd)
    sphinx_s = time.perf_counter() - start
    failed = [r.source.name for r in runs if r.error]
    print(f"{out / 'index.html'}: executing {executed_s:.0f} s, sphinx {sphinx_s:.0f} s"
          + (f"; FAILED notebooks (their pages show the error): {', '.join(failed)}" if failed else ""))
    return {"returncode": sphinx.returncode, "failed": failed, "execute_s": executed_s, "sphinx_s": sphinx_s}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="default: build/site (build/site/zh with --lang zh)")
    parser.add_argument("--full", action="store_true", help="execute in full mode (default: COURSE_FAST=1)")
    editions.add_lang_option(parser)
    args = parser.parse_args(argv)
    out = args.out or editions.out_folder(ROOT / "build" / "site", args.lang)
    try:
        result = build(out, fast=not args.full, lang=args.lang)
    except vendor_js.VendorError as e:
        print(e, file=sys.stderr)
        return 1
    return 1 if result["returncode"] or result["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
