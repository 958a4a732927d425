"""Execute the course's notebooks once and keep the executed copies, for the decks and the site.

    python tools/execute_all.py [NOTEBOOK ...] [--out build/executed] [--full] [--timeout SECONDS]

Each notebook runs in a fresh kernel from its own folder (``nbrun``), in fast mode
(COURSE_FAST=1) unless --full, and its executed copy goes to OUT/fast/ (or OUT/full/) under
the same name (a Chinese notebook, notebooks/zh/, under OUT/fast/zh/), beside a ``.key`` file:
the SHA-256 of everything the run depends on (the notebook file, the mode, every file of
course_utils/). A later call whose key matches reuses
the copy without running anything, so `make slides` and `make site` execute each notebook
once between them, and again only after the notebook or the package changed.

A notebook that fails keeps its partly executed copy (the error in the failing cell's output)
but no key, so the next call runs it again. The exit status is 1 when one failed.

Why not jupyter-cache (which myst-nb can use): the decks need the executed notebooks too,
and the runs must go through nbrun, whose client fixes an nbclient stall seen on this course.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # noqa: E402
import nbrun  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "build" / "executed"
COURSE = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@dataclass
class Run:
    source: Path  # the notebook as committed
    executed: Path  # its executed copy
    error: str | None  # None when every cell ran
    seconds: float  # 0 when the copy was reused
    reused: bool


@functools.lru_cache(maxsize=None)
def package_digest(package: Path = ROOT / "course_utils") -> str:
    """SHA-256 of every file of ``package``, names and bytes (read once per process)."""
    h = hashlib.sha256()
    for f in sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(str(f.relative_to(package)).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def content_key(path: Path, fast: bool) -> str:
    """SHA-256 of the notebook's bytes, the mode and ``package_digest()``."""
    h = hashlib.sha256(b"fast" if fast else b"full")
    h.update(path.read_bytes())
    h.update(package_digest().encode())
    return h.hexdigest()


def execute(paths: list[Path], out: Path | None = None, fast: bool = True, timeout: int = 1200) -> list[Run]:
    """Executed copies of ``paths`` under ``out/fast`` (or ``out/full``; default OUT), run only when stale.

    The editions keep their copies apart (``out/fast/zh/`` for the Chinese), since their notebooks share names."""
    runs = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        folder = editions.out_folder((out or OUT) / ("fast" if fast else "full"), editions.lang_of(nb))
        folder.mkdir(parents=True, exist_ok=True)
        target, key_file = folder / path.name, folder / (path.stem + ".key")
        key = content_key(path, fast)
        if target.is_file() and key_file.is_file() and key_file.read_text().strip() == key:
            runs.append(Run(path, target, None, 0.0, True))
            continue
        key_file.unlink(missing_ok=True)
        print(f"{path.name}: running ({'fast' if fast else 'full'} mode)...", flush=True)
        start = time.perf_counter()
        error = None
        try:
            nbrun.execute(nb, path.resolve().parent, timeout=timeout, fast=fast)
        except CellExecutionError as e:
            plain = re.sub(r"\x1b\[[0-9;]*m", "", str(e))  # the traceback's colours
            lines = [line for line in plain.strip().splitlines() if line.strip()]
            error = lines[-1] if lines else type(e).__name__
        seconds = time.perf_counter() - start
        nbformat.write(nb, target)
        if error is None:
            key_file.write_text(key + "\n")
        print(f"{path.name}: {'ran in %.0f s' % seconds if error is None else 'FAILED: ' + error}", flush=True)
        runs.append(Run(path, target, error, seconds, False))
    return runs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--full", action="store_true", help="full mode (default: COURSE_FAST=1)")
    parser.add_argument("--timeout", type=int, default=1200, help="seconds allowed per cell (default 1200)")
    args = parser.parse_args(argv)
    runs = execute(args.notebooks or COURSE, args.out, fast=not args.full, timeout=args.timeout)
    reused = sum(r.reused for r in runs)
    print(f"{len(runs)} notebooks: {len(runs) - reused} executed, {reused} reused from {args.out}")
    return 1 if any(r.error for r in runs) else 0


if __name__ == "__main__":
    sys.exit(main())
