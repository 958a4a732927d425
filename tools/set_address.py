"""Point the course at its public GitHub repository: one command instead of forty hand edits.

    python tools/set_address.py alice/deep-learning-course           # from OWNER/REPO, or a fork's address
    python tools/set_address.py OWNER/REPO --bootstrap              # keep the address, renew the bootstrap cells

The address ``owner/name`` appears wherever a learner starts from: the Colab and Binder links
under each notebook's title (cell ``launch``), the address the first code cell installs the
course from (cell ``bootstrap``), the README's Binder badge, docs/BINDER.md, binder/ and
pyproject.toml's ``[project.urls]``. The current address is read from pyproject.toml's Homepage
and replaced only inside web addresses (after ``github.com/``, ``/gh/`` or ``/github/``), so prose
that explains the placeholder stays as it is. Notebooks are edited with nbformat, in the two cells
only, keeping every cell's id.

``--bootstrap`` also writes ``BOOTSTRAP`` below (with the address) into every notebook's
``bootstrap`` cell, so a change to that cell is made once, here.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SLUG = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
ADDRESS_CELLS = ("launch", "bootstrap")
TEXT_FILES = ("README.md", "README.zh.md", "pyproject.toml", "docs/*.md", "binder/*", "site/conf.py")

# The first code cell of every notebook. Colab and Kaggle run pip as root outside a virtual
# environment, where pip warns about it even with --quiet: PIP_ROOT_USER_ACTION=ignore keeps the
# cell to its one line (an environment variable, which an old pip ignores, unlike an unknown
# option). invalidate_caches makes the next cell's import see the folder pip has just written.
BOOTSTRAP = '''\
# Colab, Kaggle or a fresh environment: install the course's helper package `course_utils` first
# (once per session, a few seconds). Where the course is installed (make lab, Binder, a hub) this does nothing.
import importlib, importlib.util, os, subprocess, sys
if importlib.util.find_spec("course_utils") is None:
    COURSE_PACKAGE = os.environ.get("COURSE_PACKAGE", "git+https://github.com/{slug}")  # the course's address
    print(f"Installing the course's helpers from {{COURSE_PACKAGE}} ...")
    quiet = {{**os.environ, "PIP_ROOT_USER_ACTION": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}}
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", COURSE_PACKAGE], check=True, env=quiet)
    importlib.invalidate_caches()'''


def current_slug(root: Path = ROOT) -> str:
    """The ``owner/name`` in pyproject.toml's ``Homepage = "https://github.com/owner/name"``."""
    match = re.search(r'^Homepage\s*=\s*"https://github\.com/([^/"]+/[^/"]+)"', (root / "pyproject.toml").read_text(), re.M)
    if not match:
        raise SystemExit("pyproject.toml has no [project.urls] Homepage = \"https://github.com/owner/name\"")
    return match.group(1)


def replace_in(text: str, old: str, new: str) -> str:
    """``old`` replaced by ``new`` where it is the repository part of a GitHub, Binder or Colab address."""
    # the name must end there: not followed by a character a repository name may hold, unless ".git"
    return re.sub(rf"(github\.com/|/v2/gh/|\.com/github/){re.escape(old)}(?:(?![\w-]|\.\w)|(?=\.git\b))", rf"\g<1>{new}", text)


def notebooks(root: Path):
    return sorted(p for p in (root / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def set_address(new: str, root: Path = ROOT, bootstrap: bool = False) -> list[Path]:
    """Rewrite the address everywhere under ``root``; returns the files changed."""
    if not SLUG.match(new):
        raise SystemExit(f"{new!r} is not a GitHub owner/name, e.g. alice/deep-learning-course")
    old = current_slug(root)
    changed = []
    for pattern in TEXT_FILES:
        for path in sorted(root.glob(pattern)):
            if path.is_file():
                text = path.read_text(encoding="utf-8")
                if (updated := replace_in(text, old, new)) != text:
                    path.write_text(updated, encoding="utf-8")
                    changed.append(path)
    for path in notebooks(root):
        nb = nbformat.read(path, as_version=4)
        edited = False
        for cell in nb.cells:
            if cell.get("id") not in ADDRESS_CELLS:
                continue
            source = BOOTSTRAP.format(slug=old) if bootstrap and cell.id == "bootstrap" else cell.source
            if (updated := replace_in(source, old, new)) != cell.source:
                cell.source, edited = updated, True
        if edited:
            nbformat.write(nb, path)
            changed.append(path)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("slug", help="the repository on GitHub, owner/name")
    parser.add_argument("--bootstrap", action="store_true", help="also renew each notebook's bootstrap cell from BOOTSTRAP")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)  # the tests point it at a copy
    args = parser.parse_args(argv)
    old = current_slug(args.root)
    changed = set_address(args.slug, args.root, args.bootstrap)
    print(f"{old} -> {args.slug}: {len(changed)} files changed")
    for path in changed:
        print("  " + str(path.relative_to(args.root)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
