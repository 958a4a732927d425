"""The JavaScript the decks and the site load, installed once with npm and copied next to them.

    python tools/vendor_js.py     # install into build/vendor/ (make slides and make site do it too)

The decks (tools/build_slides.py) need reveal.js and MathJax; the site (tools/build_site.py)
needs MathJax. Both must work with no network when shown, so nothing is loaded from a CDN:
``node_modules()`` installs the pinned packages into build/vendor/ (once; about 30 MB, a few
seconds with access to the npm registry), and ``copy()`` puts only the files a page loads
next to it (about 4 MB), so a built folder can be copied to a laptop and opened from disk.

MathJax 3 with its SVG output (``tex-svg-full.js``): one file, every TeX extension bundled and
the glyphs drawn as paths, so no web font or extension is fetched while typesetting.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NPM_DIR = ROOT / "build" / "vendor"
PACKAGES = {"reveal.js": "5.2.1", "mathjax": "3.2.2"}
MATHJAX = "mathjax/es5/tex-svg-full.js"
REVEAL = ["reveal.js/dist/reveal.js", "reveal.js/dist/reveal.css", "reveal.js/dist/theme/white.css",
          "reveal.js/dist/theme/fonts/source-sans-pro", "reveal.js/plugin/notes/notes.js", "reveal.js/LICENSE"]


class VendorError(RuntimeError):
    """npm is missing or could not install the packages; the message says what to do."""


def installed(npm_dir: Path | None = None) -> bool:
    """True when every package of ``PACKAGES`` is in ``npm_dir`` (default NPM_DIR) at its pinned version."""
    modules = (npm_dir or NPM_DIR) / "node_modules"
    return all(_installed(modules, name) == version for name, version in PACKAGES.items())


def node_modules(npm_dir: Path | None = None) -> Path:
    """``npm_dir/node_modules`` with ``PACKAGES`` installed at their pinned versions (npm runs if not)."""
    npm_dir = npm_dir or NPM_DIR
    modules = npm_dir / "node_modules"
    if installed(npm_dir):
        return modules
    if shutil.which("npm") is None:
        raise VendorError("npm not found: the decks and the site need reveal.js and MathJax, installed once "
                          "with npm into build/vendor/. Install Node.js and npm (Debian: apt-get install npm), "
                          "then run the command again.")
    npm_dir.mkdir(parents=True, exist_ok=True)
    cmd = ["npm", "install", "--no-save", "--no-audit", "--no-fund", "--silent", "--fetch-retries=1",
           "--prefix", str(npm_dir), *(f"{name}@{version}" for name, version in PACKAGES.items())]
    print("installing", ", ".join(f"{n} {v}" for n, v in PACKAGES.items()), "into", npm_dir, flush=True)
    if subprocess.run(cmd).returncode != 0:
        raise VendorError(f"`{' '.join(cmd)}` failed: it needs the npm registry once (later runs reuse {modules}).")
    return modules


def _installed(modules: Path, name: str) -> str | None:
    try:
        return json.loads((modules / name / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return None


def copy(files: list, dest: Path, npm_dir: Path | None = None) -> None:
    """Copy ``files`` (paths under node_modules, files or folders) into ``dest``.

    Each entry is a path, copied to the same path under ``dest``, or a pair
    ``(path, path under dest)``.
    """
    modules = node_modules(npm_dir)
    for entry in files:
        rel, to = entry if isinstance(entry, tuple) else (entry, entry)
        src, target = modules / rel, dest / to
        target.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target)


if __name__ == "__main__":
    try:
        print(node_modules())
    except VendorError as e:
        sys.exit(str(e))
