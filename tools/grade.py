"""Run a (student's) notebook headless and list which exercise checks passed.

    python tools/grade.py NOTEBOOK [--full] [--timeout SECONDS] [--keep OUT.ipynb]

The notebook is executed top to bottom in a fresh kernel (the file itself is not changed;
--keep writes the executed copy), going on past cells that raise. Then every cell tagged
`check` is read: each checker prints one line starting with ✅ (passed), ❌ (failed, with what
is wrong) or ⏳ (not implemented yet). A check cell that raised is listed as an error.
Fast mode (COURSE_FAST=1) unless --full. Exit status 0 only when every check passed.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

sys.path.insert(0, str(Path(__file__).resolve().parent))
import nbrun  # noqa: E402

MARKS = {"✅": "passed", "❌": "failed", "⏳": "not implemented"}
LINE = re.compile(r"^\s*(✅|❌|⏳)\s*(.*?)\s*$")


def tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


def cell_text(cell) -> str:
    """What a code cell printed: its stream, display and result outputs, as one text."""
    parts = []
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            parts.append(out.get("text", ""))
        elif out.get("output_type") in ("execute_result", "display_data"):
            parts.append(out.get("data", {}).get("text/plain", ""))
    return "".join("".join(p) if isinstance(p, list) else p for p in parts)


def verdicts(nb) -> list[dict]:
    """One dict per verdict found in the check cells of an executed notebook.

    Keys: ``cell`` (index), ``status`` (passed / failed / not implemented / error / no verdict),
    ``name`` and ``message``.
    """
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code" or "check" not in tags(cell):
            continue
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        lines = [m for m in (LINE.match(l) for l in cell_text(cell).splitlines()) if m]
        for m in lines:
            name, _, message = m.group(2).partition(": ")
            found.append({"cell": i, "status": MARKS[m.group(1)], "name": name, "message": message})
        if errors:
            e = errors[0]
            found.append({"cell": i, "status": "error", "name": f"cell {i}", "message": f"{e.get('ename')}: {e.get('evalue')}"})
        elif not lines:
            found.append({"cell": i, "status": "no verdict", "name": f"cell {i}", "message": "printed no ✅/❌/⏳ line"})
    return found


def other_errors(nb) -> list[str]:
    """The cells outside the checks that raised, as 'cell i: Error: message'."""
    return [
        f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code" and "check" not in tags(cell)
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def execute(path: Path, timeout: int = 600, fast: bool = True):
    """Run a copy of the notebook in a fresh kernel, from its own folder, going on past errors."""
    nb = nbformat.read(path, as_version=4)
    return nbrun.execute(nb, path.resolve().parent, timeout=timeout, fast=fast, allow_errors=True)


def summary(found: list[dict]) -> str:
    counts = {s: sum(v["status"] == s for v in found) for s in ("passed", "failed", "not implemented", "error", "no verdict")}
    rest = ", ".join(f"{n} {s}" for s, n in counts.items() if n and s != "passed")
    return f"{counts['passed']} of {len(found)} checks passed" + (f" ({rest})" if rest else "")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", type=Path)
    parser.add_argument("--full", action="store_true", help="full mode (default: COURSE_FAST=1)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell (default 600)")
    parser.add_argument("--keep", type=Path, help="also write the executed notebook here")
    args = parser.parse_args(argv)

    nb = execute(args.notebook, timeout=args.timeout, fast=not args.full)
    if args.keep:
        nbformat.write(nb, args.keep)
    found = verdicts(nb)
    if not found:
        print(f"{args.notebook}: no cells tagged 'check'.")
    width = max([len(v["status"]) for v in found] + [0])
    for v in found:
        print(f"{v['status']:<{width}}  {v['name']}: {v['message']}")
    errors = other_errors(nb)
    if errors:
        print(f"{len(errors)} other cell(s) raised, first {errors[0]}")
    print(summary(found))
    return 0 if found and all(v["status"] == "passed" for v in found) else 1


if __name__ == "__main__":
    sys.exit(main())
