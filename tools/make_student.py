"""Write student copies of the notebooks: the worked solutions removed, everything else kept.

    python tools/make_student.py [NOTEBOOK ...] [--out build/student] [--lang zh]

With no notebook named, every notebooks/NN_*.ipynb is copied (--lang zh: every notebooks/zh/NN_*.ipynb, into
build/student/zh/). In each copy:
- every cell tagged `solution` is gone (the exercise stub and its check stay, so the learner
  runs the check after writing the stub and reads ⏳ / ❌ / ✅), removed by nbconvert's own
  TagRemovePreprocessor;
- every output and execution count is cleared (nbconvert's ClearOutputPreprocessor);
- a note after the title tells the learner that the solutions are theirs to write, in the notebook's language;
- the result is validated against the nbformat schema before it is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor, TagRemovePreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SOLUTION_TAG = "solution"
NOTE = editions.WORDS["en"]["student_note"]


def student_copy(nb):
    """A new notebook: ``nb`` without its solution cells, with no outputs, and a note saying so
    after the title (tagged ``student-note``), in the notebook's language."""
    copy = nbformat.from_dict(nb)  # a deep copy; the teacher's notebook stays as it was
    copy, _ = TagRemovePreprocessor(remove_cell_tags={SOLUTION_TAG}).preprocess(copy, {})
    copy, _ = ClearOutputPreprocessor().preprocess(copy, {})
    note = nbformat.v4.new_markdown_cell(editions.words(nb)["student_note"])
    note.metadata.update(tags=["student-note"], slideshow={"slide_type": "skip"})
    copy.cells.insert(1, note)
    copy.metadata.pop("widgets", None)  # saved widget state belongs to the outputs
    nbformat.validate(copy)
    return copy


def solution_cells(nb) -> int:
    """How many cells of ``nb`` carry the solution tag. ``make student`` reports the solution
    cells a copy lost this way, by tag: the difference in length is one fewer, for the note."""
    return sum(SOLUTION_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells)


def course_notebooks(named: list[Path], lang: str = "en") -> list[Path]:
    """The notebooks named on the command line, else every notebook of the course's edition ``lang``."""
    return named or editions.notebooks(lang)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, help="default: build/student (build/student/zh with --lang zh)")
    editions.add_lang_option(parser)
    args = parser.parse_args(argv)
    args.out = args.out or editions.out_folder(ROOT / "build" / "student", args.lang)
    paths = course_notebooks(args.notebooks, args.lang)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    total = 0
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        copy = student_copy(nb)
        removed = solution_cells(nb) - solution_cells(copy)
        total += removed
        nbformat.write(copy, args.out / path.name)
        print(f"{args.out / path.name}: {removed} solution cell{'s' * (removed != 1)} removed")
    print(f"{len(paths)} student cop{'ies' if len(paths) != 1 else 'y'} in {args.out}, {total} solution cells removed in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
