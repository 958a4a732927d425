"""Write student copies of the notebooks: the worked solutions removed, everything else kept.

    python tools/make_student.py [NOTEBOOK ...] [--out build/student]

With no notebook named, every notebooks/NN_*.ipynb is copied. In each copy:
- every cell tagged `solution` is gone (the exercise stub and its check stay, so the learner
  runs the check after writing the stub and reads ⏳ / ❌ / ✅);
- every output and execution count is cleared;
- a note after the title tells the learner that the solutions are theirs to write;
- the result is validated against the nbformat schema before it is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_TAG = "solution"


def is_solution(cell) -> bool:
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


NOTE = (
    "> **Your copy of this notebook.** The worked solutions are not in it: where the text mentions "
    "a solution after an exercise's check, the answer is yours to write. Until you have written an "
    "exercise, the cells after it that use your function stop with an error (and *Run All* stops "
    "there too); its check cell says what is missing."
)


def student_copy(nb):
    """A new notebook: ``nb`` without its solution cells, with no outputs, and a note saying so
    after the title (tagged ``student-note``)."""
    copy = nbformat.from_dict(nb)  # a deep copy; the teacher's notebook stays as it was
    copy.cells = [cell for cell in copy.cells if not is_solution(cell)]
    note = nbformat.v4.new_markdown_cell(NOTE)
    note.metadata.update(tags=["student-note"], slideshow={"slide_type": "skip"})
    copy.cells.insert(1, note)
    for cell in copy.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    copy.metadata.pop("widgets", None)  # saved widget state belongs to the outputs
    nbformat.validate(copy)
    return copy


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "student")
    args = parser.parse_args(argv)
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        copy = student_copy(nb)
        removed = len(nb.cells) - len(copy.cells)
        nbformat.write(copy, args.out / path.name)
        print(f"{args.out / path.name}: {removed} solution cell{'s' * (removed != 1)} removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
