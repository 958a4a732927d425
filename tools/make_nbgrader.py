"""Write an nbgrader course folder from the course's notebooks: source/<assignment>/<nb>.ipynb.

    python tools/make_nbgrader.py [NOTEBOOK ...] [--out build/nbgrader] [--points 1] [--lang zh]

For classrooms that grade with nbgrader (docs/TEACHING.md says how to run it). Each notebook
becomes one assignment named after it (``01_the_neuron``), in nbgrader's conventions
(cell metadata ``"nbgrader": {"grade", "solution", "locked", "grade_id", "points",
"schema_version": 3}``):

- each exercise's stub becomes an *autograded answer* cell, the course's worked solution inside
  it between ``### BEGIN SOLUTION`` and ``### END SOLUTION``; ``nbgrader generate_assignment``
  puts the course's stub line back in its place, so the students get the stub they know;
- each check becomes a locked *autograded test* cell worth ``--points``: it loads the checkers
  afresh (so the student's cells cannot have changed them) and calls the checker with
  ``strict=True``, which raises unless the answer is right, so a wrong answer loses the points;
- the course's solution cells are dropped (the solution now lives in the answer cell), and
  every other cell is read-only: ``nbgrader autograde`` restores it from this source;
- ``nbgrader_config.py`` holds the stub line, a cell time limit that fits full mode, and puts
  back a test cell a student deleted.

``--lang zh`` makes a course folder of the Chinese edition, build/nbgrader/zh/ (its notebooks speak Chinese; the
code, and so the grading, is the English edition's).
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import nbformat
from nbconvert.preprocessors import ClearOutputPreprocessor

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # noqa: E402
import grade  # noqa: E402  (the course's exercises, and the fresh import of the checkers)
import make_student  # noqa: E402  (the list of notebooks)

ROOT = Path(__file__).resolve().parent.parent
STUB = "return None  # YOUR CODE HERE"  # the course's placeholder line (CONTRIBUTING.md, Exercises)
CELL_TIMEOUT = grade.TIMEOUTS["full"]

CONFIG = f'''"""nbgrader settings for the course's assignments (written by tools/make_nbgrader.py)."""
c = get_config()  # noqa: F821 (nbgrader provides it)

# What replaces each solution in the students' copy: the course's own stub line, which returns
# None and never raises (the checks then say "not implemented yet").
c.ClearSolutions.code_stub = {{"python": {STUB!r}}}

# Seconds one cell may run when autograding (nbgrader's default is 30). Notebook 08's full-mode
# training cell takes under a minute on a quiet 2-core CPU, and took 1458 s on one shared by
# many jobs; {CELL_TIMEOUT} s covers both. Autograde runs full mode unless COURSE_FAST=1 is set.
c.ExecutePreprocessor.timeout = {CELL_TIMEOUT}

# A test cell that a student deleted is put back from the source, so it is graded, not skipped.
c.OverwriteCells.add_missing_cells = True
'''


def nbgrader_meta(grade_id: str, *, grade: bool = False, solution: bool = False, locked: bool = False,
                  points: float | None = None) -> dict:
    """A cell's ``metadata.nbgrader`` (schema version 3)."""
    meta = {"grade": grade, "grade_id": re.sub(r"[^A-Za-z0-9_-]", "-", grade_id), "locked": locked,
            "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return meta


def _def_header_end(lines: list[str], fn: ast.FunctionDef) -> int:
    """Index of the line that ends ``fn``'s ``def ...:`` header (a signature may span lines)."""
    i = fn.lineno - 1
    while not lines[i].split("#")[0].rstrip().endswith(":"):
        i += 1
    return i


def answer_source(stub: str, solution: str, name: str) -> str:
    """The stub with its placeholder line replaced by the solution's body, between nbgrader's
    markers. ``name``: the function both cells define. Lines the stub and the solution share at
    the top of the body (the docstring) appear once, outside the markers."""
    stub_lines = stub.rstrip().split("\n")
    where = next((i for i, line in enumerate(stub_lines) if "YOUR CODE HERE" in line), None)
    if where is None:
        raise ValueError(f"the stub of {name} has no 'YOUR CODE HERE' line to put the solution in")
    indent = re.match(r"\s*", stub_lines[where]).group(0)
    lines = solution.split("\n")
    tree = ast.parse(solution)
    fns = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name]
    others = [n for n in tree.body if n not in fns and not isinstance(n, (ast.Assert, ast.Expr))]
    if len(fns) != 1 or others:
        raise ValueError(f"the solution cell of {name} should define {name} once and otherwise only "
                         "assert or check; move other code to a cell of its own")
    body = lines[_def_header_end(lines, fns[0]) + 1:fns[0].end_lineno]
    shared = stub_lines[_def_header_end(stub_lines, ast.parse(stub).body[0]) + 1:where]
    while shared and body and body[0].strip() == shared[0].strip():
        shared, body = shared[1:], body[1:]
    return "\n".join([*stub_lines[:where], f"{indent}### BEGIN SOLUTION", *body,
                      f"{indent}### END SOLUTION", *stub_lines[where + 1:]])


def with_strict(source: str) -> str:
    """The check cell's source with ``strict=True`` added to its last call, which then raises
    unless the answer passes: ``ex.check_x(x)`` -> ``ex.check_x(x, strict=True)``."""
    tree = ast.parse(source)
    last = tree.body[-1]
    if not (isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)):
        raise ValueError(f"a check cell should end with the checker's call:\n{source}")
    call = last.value
    call.keywords = [k for k in call.keywords if k.arg != "strict"] + [ast.keyword("strict", ast.Constant(True))]
    lines = source.split("\n")
    return "\n".join([*lines[:last.lineno - 1], ast.unparse(call), *lines[last.end_lineno:]])


def assignment(nb, points: float = 1):
    """The nbgrader source version of the course notebook ``nb`` (a new notebook)."""
    found = grade.exercises(nb)
    imports = grade.checker_imports(nb)
    solutions = {c.get("id"): c for c in nb.cells if "solution" in grade.tags(c)}
    answers = {ex.stub_id: ex for ex in found}
    checks = {ex.check.get("id"): ex for ex in found}
    out = nbformat.from_dict(nb)
    out, _ = ClearOutputPreprocessor().preprocess(out, {})
    cells = []
    for c in out.cells:
        if c.get("id") in solutions:
            continue
        if c.get("id") in answers:
            ex = answers[c.get("id")]
            c.source = answer_source(c.source, solutions[ex.solution_id].source, ex.defines)
            c.metadata["nbgrader"] = nbgrader_meta(ex.defines, solution=True)
        elif c.get("id") in checks:
            ex = checks[c.get("id")]
            c.source = (f"# Graded by nbgrader ({points:g} point{'s' * (points != 1)}): runs without an error "
                        "only when the check passes.\n" + grade.fresh_checkers(imports) + with_strict(c.source))
            c.metadata["nbgrader"] = nbgrader_meta(f"{ex.defines}-check", grade=True, locked=True, points=points)
        else:
            c.metadata["nbgrader"] = nbgrader_meta(f"ro-{c.get('id')}", locked=True)
        cells.append(c)
    note = nbformat.v4.new_markdown_cell(editions.words(nb)["student_note"])
    note.id = "student-note"
    note.metadata.update(tags=["student-note"], slideshow={"slide_type": "skip"},
                         nbgrader=nbgrader_meta("ro-student-note", locked=True))
    out.cells = cells[:1] + [note] + cells[1:]
    nbformat.validate(out)
    return out


def validate_with_nbgrader(nb) -> None:
    """nbgrader's own check of the cell metadata, when nbgrader is installed."""
    try:
        from nbgrader.nbgraderformat import MetadataValidator
    except ImportError:
        return
    MetadataValidator().validate_nb(nb)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/[0-9][0-9]_*.ipynb")
    parser.add_argument("--out", type=Path, help="the nbgrader course folder (default: build/nbgrader, "
                        "build/nbgrader/zh with --lang zh)")
    parser.add_argument("--points", type=float, default=1, help="points per exercise (default 1)")
    editions.add_lang_option(parser)
    args = parser.parse_args(argv)
    args.out = args.out or editions.out_folder(ROOT / "build" / "nbgrader", args.lang)
    paths = make_student.course_notebooks(args.notebooks, args.lang)
    if not paths:
        print("no notebooks found", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "nbgrader_config.py").write_text(CONFIG, encoding="utf-8")
    for path in paths:
        nb = assignment(nbformat.read(path, as_version=4), points=args.points)
        validate_with_nbgrader(nb)
        target = args.out / "source" / path.stem / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, target)
        tests = sum(c.metadata["nbgrader"]["grade"] for c in nb.cells)
        print(f"{target}: {tests} autograded test{'s' * (tests != 1)}, {tests * args.points:g} points")
    bin_dir = Path(sys.executable).parent  # nbgrader runs `alembic`, which it looks for on the PATH
    print(f"then: cd {args.out} && PATH={bin_dir}:$PATH nbgrader generate_assignment {paths[0].stem}  (docs/TEACHING.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
