"""Grade students' notebooks against the course's own copies: one notebook, or a whole class.

    python tools/grade.py NOTEBOOK [--reference COURSE_NB] [--full] [--timeout S] [--keep OUT.ipynb]
    python tools/grade.py FOLDER [--out build/grades] [--jobs N] [--full] [--timeout S]

FOLDER holds one folder per student (``FOLDER/alice/01_the_neuron.ipynb``); it gives one CSV
(student, notebook, each check, passed, total, notes) and a readable summary in ``--out``.

What is graded comes from the course, not from the submission. The course's copy of the
notebook (``notebooks/NN_*.ipynb``, found by the submission's number, else by its cell ids)
says which checks there are; each check cell is found in the submission by its cell id (else by
its source, else it is put back after its exercise), restored from the course's copy, and run
after the student's code. Right before each check, in the student's kernel, the grader loads
``course_utils.checks`` afresh (undoing any change the student's cells made to a checker, the
``Verdict`` class or ``report``) and sets a new secret key; a verdict counts only when it is the
checker's structured output signed with that key, so printed or displayed imitations count for
nothing. A check that gives no signed verdict counts as failed. In the teacher's copy each
check runs after its solution, so the answer key grades as all passed.

A cell that runs past ``--timeout`` is interrupted and grading goes on. Cells whose code reaches
into this machinery (``sys.modules``, ``Verdict``, the key...) are flagged for the teacher to read:
code that subverts Python itself inside the kernel can fool any in-kernel grader.

Fast mode (COURSE_FAST=1) unless --full. Cells are counted from 1, top to bottom.
Exit status: 0 every check passed (a folder: every notebook was graded); 1 some check did not
pass; 2 a notebook could not be graded (missing, not JSON, not a notebook of this course).
"""

from __future__ import annotations

import argparse
import ast
import csv
import hashlib
import hmac
import json
import re
import secrets
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path

import nbformat
from course_utils.checks.core import VERDICT_MIME  # the structured verdicts, as the checkers send them
from nbclient.exceptions import DeadKernelError

sys.path.insert(0, str(Path(__file__).resolve().parent))
import editions  # noqa: E402
import nbrun  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "notebooks"
STATUS = {"pass": "passed", "fail": "failed", "todo": "not implemented"}
# Seconds a cell may run. On a quiet 2-core CPU whole notebooks take at most 15 s in fast mode and
# 94 s in full mode (benchmarks/RESULTS.md); on this shared machine under a load average of 16,
# notebook 08's full-mode training cell took 1458 s. An endless loop costs this much, once.
TIMEOUTS = {"fast": 300, "full": 1800}
SUSPICIOUS = re.compile(
    r"sys\.modules|meta_path|importlib|builtins|__import__|hmac|grading_key|_GRADING_KEY|verdict|"
    r"vnd\.course-utils|get_ipython|display_pub|events\.register|_ipython_display_|"
    r"course_utils\.checks|\bex\.\w+\s*=(?!=)|✅", re.I)


class GradingError(Exception):
    """A notebook that cannot be graded; the message is one line that says why."""


def tags(cell) -> set:
    return set(cell.get("metadata", {}).get("tags", []))


# --------------------------------------------------------------------------- reading


def read_notebook(path: Path):
    """The notebook at ``path``, or ``GradingError`` saying in one line what is wrong with it."""
    if not path.is_file():
        raise GradingError(f"{path}: no such file")
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise GradingError(f"{path}: not a notebook (not text, let alone JSON)") from None
    except json.JSONDecodeError as e:
        raise GradingError(f"{path}: not a notebook (not valid JSON: {e.msg} at line {e.lineno}); "
                           "was the file cut short or saved by another program?") from None
    try:
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
    except Exception as e:  # nbformat raises many kinds, all meaning 'not a valid notebook'
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise GradingError(f"{path}: JSON, but not a valid Jupyter notebook ({first[:120]})") from None
    return nb


def find_reference(path: Path, nb, course: Path = COURSE) -> Path:
    """The course's copy of the submission ``nb``: the ``course/NN_*.ipynb`` with the number
    that starts the file's name, else the course notebook sharing the most cell ids with it.
    A notebook of the Chinese edition (``metadata.course.lang``) has its copy in ``course/zh/``, whose
    set-up cell, unlike the English one, is the submission's (``start(..., lang="zh")``)."""
    edition = editions.out_folder(course, editions.lang_of(nb))
    course = edition if edition.is_dir() else course
    number = re.match(r"(\d\d)[_ -]", path.name)
    named = sorted(course.glob(f"{number.group(1)}_*.ipynb")) if number else []
    if named:
        return named[0]
    ids = {c.get("id") for c in nb.cells} - {None}
    shared = {p: len(ids & {c.get("id") for c in nbformat.read(p, as_version=4).cells})
              for p in sorted(course.glob("[0-9][0-9]_*.ipynb"))}
    best = max(shared, key=shared.get, default=None)
    if best is None or shared[best] == 0:
        raise GradingError(f"{path}: not a notebook of this course (no {course.name}/NN_*.ipynb has its "
                           "number or its cells); name it like the course's copy or pass --reference")
    return best


# --------------------------------------------------------------------------- the course's checks


@dataclass
class Exercise:
    """One exercise of the course's notebook: its check cell and the cells around it."""

    name: str  # what the check is called in reports: the function it checks
    check: object  # the course's check cell
    stub_id: str | None
    solution_id: str | None
    defines: str | None  # the function the stub defines


def _checked_name(source: str) -> str | None:
    """The first argument of the check cell's last call: ``ex.check_x(x_fn)`` -> ``x_fn``."""
    try:
        calls = [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and n.args]
    except SyntaxError:
        return None
    last = max(calls, key=lambda n: (n.lineno, n.col_offset), default=None)
    return ast.unparse(last.args[0]) if last is not None and isinstance(last.args[0], ast.Name) else None


def exercises(ref) -> list[Exercise]:
    """The checks the course's notebook ``ref`` expects, in order, each with the ids of its stub
    (the cell tagged ``exercise`` before it) and its solution (tagged ``solution``, after it)."""
    found = []
    for i, c in enumerate(ref.cells):
        if c.cell_type != "code" or "check" not in tags(c):
            continue
        stub = next((s for s in reversed(ref.cells[:i]) if "exercise" in tags(s)), None)
        solution = None
        for s in ref.cells[i + 1:]:
            if "check" in tags(s):
                break
            if "solution" in tags(s):
                solution = s
                break
        defines = re.search(r"^def (\w+)\(", stub.source, re.M) if stub is not None else None
        name = _checked_name(c.source) or (defines and defines.group(1)) or f"check {len(found) + 1}"
        found.append(Exercise(name, c, stub and stub.get("id"), solution and solution.get("id"),
                              defines and defines.group(1)))
    return found


def checker_imports(ref) -> list[str]:
    """The course notebook's import statements of ``course_utils.checks`` (e.g.
    ``from course_utils.checks import nb01 as ex``), as source lines."""
    lines = []
    for c in ref.cells:
        if c.cell_type != "code":
            continue
        try:
            tree = ast.parse(c.source)
        except SyntaxError:
            continue
        for node in tree.body:
            modules = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(m == "course_utils.checks" or m.startswith("course_utils.checks.") for m in modules):
                lines.append(ast.unparse(node))
    return list(dict.fromkeys(lines))


def fresh_checkers(imports: list[str]) -> str:
    """Code that drops every loaded ``course_utils.checks`` module and runs ``imports`` again, so
    the names the notebook uses (``ex``) point at the checkers as shipped, whatever earlier cells
    changed in them. Shared with the nbgrader test cells (tools/make_nbgrader.py)."""
    return "\n".join([
        "import sys as _sys  # the course's checkers, loaded afresh: changes earlier cells made to them do not count",
        "for _m in [m for m in _sys.modules if m.startswith('course_utils.checks')]:",
        "    del _sys.modules[_m]",
        *imports,
    ]) + "\n"


def _prelude(imports: list[str], key: str) -> str:
    """What the grader runs at the top of a restored check cell: fresh checkers, then the key."""
    return fresh_checkers(imports) + (
        "import course_utils.checks.core as _grading\n"
        f"_grading.set_grading_key({key!r})\n"
        "del _grading\n")


# --------------------------------------------------------------------------- planning the run


def plan(sub, ref, found: list[Exercise]):
    """The notebook to run: the submission's cells, with each expected check cell restored from
    the course's copy at its place, or after the exercise's solution when the submission has one
    (as the teacher's copy does), or put back after its stub when it was deleted.

    Returns ``(nb, origin, placed)``: ``origin[i]`` is the submission's index of cell ``i`` (None
    for a restored check), ``placed[k]`` is ``(cell index or None, note)`` for check ``k``: None
    when neither the check nor its exercise is in the submission.
    """
    by_id = {c.get("id"): j for j, c in enumerate(sub.cells) if c.get("id")}
    at, here, after, notes = [], {}, {}, []  # check k is cell j / stays there / goes after cell j; why
    for k, ex in enumerate(found):
        j = by_id.get(ex.check.get("id"))
        if j is None:  # a cell with the same code (a notebook saved without cell ids)
            j = next((j for j, c in enumerate(sub.cells) if c.cell_type == "code" and j not in at
                      and c.source.strip() == ex.check.source.strip()), None)
        at.append(j)
        changed = j is not None and (sub.cells[j].source != ex.check.source or "check" not in tags(sub.cells[j])
                                     or sub.cells[j].cell_type != "code")
        notes.append("check cell restored (it was edited or untagged)" if changed else "")
        solution = by_id.get(ex.solution_id)
        if solution is not None and (j is None or solution > j):
            after[k] = solution
        elif j is not None:
            here[k] = j
        else:  # deleted: put it back after the exercise's stub, else after the cell defining its function
            anchor = by_id.get(ex.stub_id)
            if anchor is None and ex.defines:
                anchor = next((j for j, c in enumerate(sub.cells) if c.cell_type == "code"
                               and re.search(rf"^def {ex.defines}\(", c.source, re.M)), None)
            if anchor is not None:
                after[k], notes[k] = anchor, "check cell put back (it was deleted)"

    def restored(k):
        cell = nbformat.from_dict(found[k].check)
        cell.outputs, cell.execution_count = [], None
        return cell

    stays = {j: k for k, j in here.items()}
    moved = {at[k] for k in after if at[k] is not None}  # the teacher's copy: checks go below solutions
    cells, origin, index = [], [], {}
    for j, c in enumerate(sub.cells):
        if j in stays:
            index[stays[j]] = len(cells)
            cells.append(restored(stays[j]))
            origin.append(None)
        elif j not in moved:
            cells.append(c)
            origin.append(j)
        for k in sorted(k for k, a in after.items() if a == j):
            index[k] = len(cells)
            cells.append(restored(k))
            origin.append(None)
    placed = [(index[k], notes[k]) if k in index else
              (None, "neither the check cell nor its exercise is in the notebook") for k in range(len(found))]
    nb = nbformat.from_dict(sub)
    nb.cells = cells
    return nb, origin, placed


def flagged(sub, ref) -> list[str]:
    """Cells of the submission, changed from the course's copy, whose code reaches into the
    grading machinery: 'cell 7: sys.modules, Verdict'."""
    course_sources = {c.source.strip() for c in ref.cells}
    notes = []
    for n, c in enumerate(sub.cells, 1):
        if c.cell_type != "code" or c.source.strip() in course_sources:
            continue
        hits = sorted({m.group(0).strip() for m in SUSPICIOUS.finditer(c.source)})
        if hits:
            notes.append(f"cell {n}: {', '.join(hits)}")
    return notes


# --------------------------------------------------------------------------- verdicts


def signed(record, key: str) -> bool:
    """Whether ``record`` carries the HMAC-SHA256 of its name, status and message under ``key``."""
    if not isinstance(record, dict) or not isinstance(record.get("signature"), str):
        return False
    fields = {k: record.get(k) for k in ("name", "status", "message")}
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    return hmac.compare_digest(hmac.new(key.encode(), payload, hashlib.sha256).hexdigest(), record["signature"])


def read_check(cell, key: str, stopped: str | None) -> dict:
    """The status and message of one executed check cell: its worst signed verdict, else why
    there is none (an error it raised, a timeout, a run that stopped before it)."""
    records = [o.get("data", {}).get(VERDICT_MIME) for o in cell.get("outputs", [])
               if o.get("output_type") in ("display_data", "execute_result") and VERDICT_MIME in o.get("data", {})]
    good = [r for r in records if signed(r, key) and r.get("status") in STATUS]
    forged = len(records) - len(good)
    notes = [f"{forged} verdict(s) not from the checker ignored"] if forged else []
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if good:
        worst = next((r for r in good if r["status"] != "pass"), good[0])
        return {"status": STATUS[worst["status"]], "message": worst["message"], "notes": notes}
    if any(e.get("ename") == nbrun.TIMEOUT_ERROR for e in errors):
        return {"status": "timed out", "message": errors[-1].get("evalue", ""), "notes": notes}
    if errors:
        return {"status": "error", "message": f"{errors[0].get('ename')}: {errors[0].get('evalue')}", "notes": notes}
    if cell.get("execution_count") is None and stopped:
        return {"status": "not run", "message": stopped, "notes": notes}
    return {"status": "no verdict", "message": "the checker gave no verdict", "notes": notes}


# --------------------------------------------------------------------------- grading


def grade_notebook(path: Path, reference: Path | None = None, course: Path = COURSE, fast: bool = True,
                   timeout: int | None = None, keep: Path | None = None) -> dict:
    """Grade one submission. Returns ``{"notebook", "reference", "checks": [{"name", "status",
    "message", "notes"}], "errors": [...], "flags": [...], "stopped"}``; raises ``GradingError``
    for a notebook that cannot be graded."""
    sub = read_notebook(Path(path))
    reference = Path(reference) if reference else find_reference(Path(path), sub, course)
    ref = read_notebook(reference)
    found = exercises(ref)
    shared = {c.get("id") for c in sub.cells} & {c.get("id") for c in ref.cells} - {None}
    same_code = {c.source.strip() for c in sub.cells} & {c.source.strip() for c in ref.cells if c.cell_type == "code"}
    if not shared and not same_code - {""} and any(c.source.strip() for c in sub.cells):
        raise GradingError(f"{path}: not a notebook of this course: no cell in common with {reference.name}")
    nb, origin, placed = plan(sub, ref, found)
    imports, keys = checker_imports(ref), [secrets.token_hex(16) for _ in found]
    for (i, _), key in zip(placed, keys):
        if i is not None:
            nb.cells[i].source = _prelude(imports, key) + nb.cells[i].source
    timeout = timeout or TIMEOUTS["fast" if fast else "full"]
    stopped = None
    with tempfile.TemporaryDirectory(prefix="grade-") as folder:  # the student's files land here
        try:
            nbrun.execute(nb, Path(folder), timeout=timeout, fast=fast, allow_errors=True, interrupt_on_timeout=True)
        except nbrun.KernelStuck as e:
            stopped = str(e)
        except DeadKernelError:
            stopped = "the kernel died (the code exited Python, or ran out of memory)"
    checks = []
    for ex, (i, note), key in zip(found, placed, keys):
        if i is None:
            checks.append({"name": ex.name, "status": "missing", "message": note, "notes": []})
            continue
        result = read_check(nb.cells[i], key, stopped)
        nb.cells[i].source = ex.check.source  # the kept copy shows the course's check, not the prelude
        checks.append({"name": ex.name, **result, "notes": ([note] if note else []) + result["notes"]})
    in_checks = {i for i, _ in placed}
    errors = [f"cell {origin[i] + 1}: {o.get('ename')}: {o.get('evalue')}"
              for i, c in enumerate(nb.cells) if c.cell_type == "code" and i not in in_checks and origin[i] is not None
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    if keep:
        nbformat.write(nb, keep)
    return {"notebook": Path(path).name, "reference": reference.name, "checks": checks, "errors": errors,
            "flags": flagged(sub, ref), "stopped": stopped}


def summary_line(result: dict) -> str:
    """'3 of 4 checks passed (1 failed)'."""
    counts = {}
    for c in result["checks"]:
        counts[c["status"]] = counts.get(c["status"], 0) + 1
    order = ["failed", "not implemented", "error", "timed out", "no verdict", "not run", "missing"]
    rest = ", ".join(f"{counts[s]} {s}" for s in order if s in counts)
    return f"{counts.get('passed', 0)} of {len(result['checks'])} checks passed" + (f" ({rest})" if rest else "")


def print_result(result: dict) -> None:
    width = max([len(c["status"]) for c in result["checks"]] + [0])
    for c in result["checks"]:
        notes = f"  [{'; '.join(c['notes'])}]" if c["notes"] else ""
        print(f"{c['status']:<{width}}  {c['name']}: {c['message']}{notes}")
    if result["errors"]:
        print(f"{len(result['errors'])} other cell(s) raised, first {result['errors'][0]}")
    if result["stopped"]:
        print(f"grading stopped early: {result['stopped']}")
    for flag in result["flags"]:
        print(f"read this cell, it reaches into the grading machinery: {flag}")
    print(summary_line(result))


# --------------------------------------------------------------------------- a whole class


def _grade_one(job):
    student, path, options = job
    try:
        return {"student": student, **grade_notebook(path, **options)}
    except GradingError as e:
        return {"student": student, "notebook": path.name, "unreadable": str(e)}
    except Exception as e:  # one odd notebook must not stop the class: report it, go on
        return {"student": student, "notebook": path.name, "unreadable": f"{path}: grading failed ({type(e).__name__}: {e})"}


def grade_class(folder: Path, out: Path, jobs: int = 1, **options) -> list[dict]:
    """Grade ``folder/<student>/**/*.ipynb``; write ``out/grades.csv`` and ``out/summary.md``."""
    start = time.monotonic()
    paths = sorted(p for p in folder.glob("*/**/*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    for loose in sorted(folder.glob("*.ipynb")):
        print(f"ignored {loose}: put each student's notebooks in a folder named after the student", file=sys.stderr)
    work = [(p.relative_to(folder).parts[0], p, options) for p in paths]
    with ProcessPoolExecutor(max_workers=jobs) if jobs > 1 else nullcontext() as pool:
        results = []
        for r in (pool.map if pool else map)(_grade_one, work):  # in order; --jobs 1 in this process
            results.append(r)
            done = r.get("unreadable") or summary_line(r)
            print(f"[{len(results)}/{len(work)} {time.monotonic() - start:.0f} s] {r['student']}/{r['notebook']}: {done}",
                  file=sys.stderr, flush=True)
    seconds = time.monotonic() - start
    out.mkdir(parents=True, exist_ok=True)
    write_csv(results, out / "grades.csv")
    text = class_summary(results, seconds, jobs, options.get("fast", True))
    (out / "summary.md").write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote {out / 'grades.csv'} and {out / 'summary.md'}")
    return results


def _notebook_key(r: dict) -> str:
    return r.get("reference") or r["notebook"]


def write_csv(results: list[dict], path: Path) -> None:
    """One row per student and notebook (a 'not submitted' row where a student lacks one that
    others handed in); one column per check, named ``NN name`` when two notebooks share a name."""
    columns = []  # (notebook, check name), in order of first appearance
    for r in sorted(results, key=_notebook_key):
        columns += [(_notebook_key(r), c["name"]) for c in r.get("checks", []) if (_notebook_key(r), c["name"]) not in columns]
    clash = {n for n in {n for _, n in columns} if sum(name == n for _, name in columns) > 1}
    header = {col: (f"{col[0][:2]} {col[1]}" if col[1] in clash else col[1]) for col in columns}
    graded = {(r["student"], _notebook_key(r)): r for r in results}
    students, notebooks = sorted({r["student"] for r in results}), sorted({_notebook_key(r) for r in results})
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "notebook", *header.values(), "passed", "total", "notes"])
        for s in students:
            for nb in notebooks:
                r = graded.get((s, nb))
                status = {c["name"]: c["status"] for c in (r or {}).get("checks", [])}
                cells = [status.get(name, "") if owner == nb else "" for owner, name in columns]
                total = sum(owner == nb for owner, _ in columns)
                notes = "not submitted" if r is None else r.get("unreadable") or "; ".join(
                    [*r["errors"][:1], *(["stopped: " + r["stopped"]] if r["stopped"] else []),
                     *(["flagged " + f for f in r["flags"]])])
                writer.writerow([s, Path(nb).stem, *cells, list(status.values()).count("passed"), total, notes])


def class_summary(results: list[dict], seconds: float, jobs: int, fast: bool) -> str:
    """A page a teacher reads: per notebook, how many passed each check; then what needs a look."""
    lines = [f"# Grades: {len(results)} notebooks of {len({r['student'] for r in results})} students",
             f"Graded in {seconds / 60:.1f} min ({seconds:.0f} s) with {jobs} job(s), "
             f"{'fast' if fast else 'full'} mode.", ""]
    by_nb = {}
    for r in results:
        by_nb.setdefault(_notebook_key(r), []).append(r)
    students = sorted({r["student"] for r in results})
    look = []
    for nb, rs in sorted(by_nb.items()):
        graded = [r for r in rs if "checks" in r]
        full = [r for r in graded if all(c["status"] == "passed" for c in r["checks"])]
        lines.append(f"## {Path(nb).stem}: {len(rs)} submitted, {len(full)} with every check passed")
        for k, c in enumerate(graded[0]["checks"] if graded else []):
            passed = sum(r["checks"][k]["status"] == "passed" for r in graded)
            lines.append(f"- {c['name']}: {passed} of {len(graded)} passed")
        missing = sorted(set(students) - {r["student"] for r in rs})
        if missing:
            look.append(f"- {Path(nb).stem} not submitted by: {', '.join(missing)}")
        for r in rs:
            who = f"{r['student']}/{r['notebook']}"
            if "unreadable" in r:
                look.append(f"- {who}: could not be graded: {r['unreadable']}")
                continue
            notes = [f"{c['name']} {c['status']}" + (f" ({'; '.join(c['notes'])})" if c["notes"] else "")
                     for c in r["checks"] if c["notes"] or c["status"] in ("timed out", "not run", "missing")]
            notes += [f"stopped: {r['stopped']}"] if r["stopped"] else []
            notes += [f"flagged {f}" for f in r["flags"]]
            if notes:
                look.append(f"- {who}: " + "; ".join(notes))
        lines.append("")
    lines += ["## Needs a look", *(look or ["- nothing: no restored checks, timeouts, flags or missing notebooks"]), ""]
    return "\n".join(lines)


# --------------------------------------------------------------------------- command line


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path, help="a student's notebook, or a folder of one folder per student")
    parser.add_argument("--reference", type=Path, help="the course's copy of the notebook (default: found by name)")
    parser.add_argument("--course", type=Path, default=COURSE, help="where the course's notebooks are")
    parser.add_argument("--full", action="store_true", help="full mode (default: COURSE_FAST=1)")
    parser.add_argument("--timeout", type=int, help=f"seconds allowed per cell (default {TIMEOUTS['fast']}, "
                                                    f"{TIMEOUTS['full']} with --full)")
    parser.add_argument("--keep", type=Path, help="one notebook: also write the executed notebook here")
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "grades", help="a folder: where the CSV goes")
    parser.add_argument("--jobs", type=int, default=1, help="a folder: notebooks graded at once (one kernel each)")
    args = parser.parse_args(argv)
    options = dict(course=args.course, fast=not args.full, timeout=args.timeout)
    if args.path.is_dir():
        results = grade_class(args.path, args.out, jobs=args.jobs, reference=args.reference, **options)
        return 2 if any("unreadable" in r for r in results) or not results else 0
    try:
        result = grade_notebook(args.path, reference=args.reference, keep=args.keep, **options)
    except GradingError as e:
        print(f"cannot grade {e}", file=sys.stderr)
        return 2
    print_result(result)
    return 0 if all(c["status"] == "passed" for c in result["checks"]) else 1


if __name__ == "__main__":
    sys.exit(main())
