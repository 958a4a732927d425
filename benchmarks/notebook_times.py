"""Seconds each notebook takes, top to bottom on a fresh kernel, in fast and in full mode.

    python benchmarks/notebook_times.py [--modes fast,full] [--only 05,08]

So a teacher knows how long each notebook takes live. Each run executes a copy of the
notebook with nbclient (outputs are thrown away; the committed notebook is not touched),
offline (``COURSE_OFFLINE=1``), so the data is whatever ``load_mnist()`` finds here.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


def run(path: Path, fast: bool, timeout: int) -> float:
    nb = nbformat.read(path, as_version=4)
    env = {"COURSE_OFFLINE": "1"}
    saved = {k: os.environ.get(k) for k in ("COURSE_FAST", "COURSE_OFFLINE")}
    os.environ.update(env)
    if fast:
        os.environ["COURSE_FAST"] = "1"
    else:
        os.environ.pop("COURSE_FAST", None)
    try:
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
        t0 = time.perf_counter()
        client.execute()
        return time.perf_counter() - t0
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modes", default="fast,full")
    parser.add_argument("--only", default="", help="comma-separated notebook numbers, e.g. 05,08")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    args = parser.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    only = {o.strip() for o in args.only.split(",") if o.strip()}
    paths = [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if not only or p.name[:2] in only]
    totals = dict.fromkeys(modes, 0.0)
    print("| notebook | " + " | ".join(f"{m} mode (s)" for m in modes) + " |")
    print("| --- | " + " | ".join("---:" for _ in modes) + " |")
    for path in paths:
        cells = []
        for mode in modes:
            seconds = run(path, fast=(mode == "fast"), timeout=args.timeout)
            totals[mode] += seconds
            cells.append(f"{seconds:.1f}")
        print(f"| {path.stem} | " + " | ".join(cells) + " |", flush=True)
    print("| total | " + " | ".join(f"{totals[m]:.1f}" for m in modes) + " |")


if __name__ == "__main__":
    main()
