"""Mutation testing of course_utils: do the unit tests fail when the code is wrong?

    python benchmarks/mutation.py                      # the modules below, with their tests
    python benchmarks/mutation.py --modules training conv
    python benchmarks/mutation.py --modules all        # every module of course_utils (hours on 2 cores)
    python benchmarks/mutation.py --source DIR         # another checkout, e.g. an older commit

mutmut (a well-kept mutation tester, benchmarks/requirements.txt) changes the code one small
edit at a time (a `+` into a `-`, a constant, a dropped argument, a `<` into a `<=`) and runs
the tests that cover the changed function. A mutant the tests fail on is *killed*; one they
pass on *survived*: a change of behavior nobody would notice. The score is killed / (killed +
survived + no tests). Some survivors are harmless (a different but equivalent constant, a
default that no caller relies on); `mutmut show NAME` in the work folder prints each diff.

mutmut reads its settings from the folder it runs in, so the run happens in a temporary copy
of the package and its tests: the checkout is never modified, and `pyproject.toml` stays free
of mutmut's settings. Timings depend on the machine; on 2 shared cores the default scope takes
about half an hour, `--modules all` several hours.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# module of course_utils -> the unit tests that should fail when it is wrong
TESTS = {
    "mlp_numpy": ["test_mlp_numpy.py"],
    "conv": ["test_conv.py"],
    "models": ["test_models_source_cnn.py"],
    "training": ["test_training.py"],
    "scale": ["test_scale.py"],
    "launch": ["test_launch.py"],
    "graph": ["test_graph.py"],
    "widgets": ["test_widgets_nb03.py", "test_widgets_part1a.py", "test_kernel_explorer.py"],
    "data": ["test_data.py"],
    "plots": ["test_plots_base.py", "test_plots_part1a.py", "test_kernel_explorer.py"],
    "device": ["test_device_session.py"],
    "session": ["test_device_session.py"],
}
DEFAULT = ["mlp_numpy", "conv", "models", "training", "scale", "launch", "graph", "widgets"]


def scope(source: Path, names):
    """``{module path: [test files]}`` for the chosen modules that exist in ``source``."""
    if names == ["all"]:
        modules = sorted(p for p in (source / "course_utils").rglob("*.py") if p.name != "__init__.py")
        tests = sorted(p.name for p in (source / "tests").glob("test_*.py"))
        return {m: tests for m in modules}
    chosen = {}
    for name in names:
        path = source / "course_utils" / f"{name}.py"
        if path.exists():
            chosen[path] = [t for t in TESTS.get(name, []) if (source / "tests" / t).exists()]
    return chosen


def run(source: Path, names, keep: Path | None = None) -> dict:
    """Run mutmut on a copy of ``source``; returns its counts and the seconds it took."""
    chosen = scope(source, names)
    if not chosen:
        raise SystemExit(f"none of {names} is a module of {source / 'course_utils'}")
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="course_mutation_"))
    if work.exists():
        shutil.rmtree(work)
    shutil.copytree(source / "course_utils", work / "course_utils",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (work / "tests").mkdir(parents=True)
    tests = sorted({t for ts in chosen.values() for t in ts})
    for name in ["conftest.py", "notebook_fixtures.py", *tests]:
        if (source / "tests" / name).exists():
            shutil.copy(source / "tests" / name, work / "tests" / name)
    for extra in ("conftest.py", "benchmarks/gpu_check.py"):  # test_training smoke-runs the GPU check
        if (source / extra).exists():
            (work / extra).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / extra, work / extra)
    mutate = "\n    ".join(str(p.relative_to(source)) for p in chosen)
    selection = "\n    ".join(f"tests/{t}" for t in tests)
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        f"source_paths =\n    {mutate}\n"
        f"pytest_add_cli_args_test_selection =\n    {selection}\n"
        "also_copy =\n    course_utils\n    benchmarks\n    conftest.py\n"
        "pytest_add_cli_args =\n    -p\n    no:cacheprovider\n    -q\n")
    mutmut = [sys.executable, "-m", "mutmut"]
    t0 = time.perf_counter()
    proc = subprocess.run([*mutmut, "run"], cwd=work, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        raise SystemExit(f"mutmut run failed (exit {proc.returncode}); work folder {work}")
    subprocess.run([*mutmut, "export-cicd-stats"], cwd=work, capture_output=True, text=True, check=True)
    stats = json.loads((work / "mutants" / "mutmut-cicd-stats.json").read_text())
    survivors = subprocess.run([*mutmut, "results"], cwd=work, capture_output=True, text=True).stdout
    stats["survivors"] = [line.split(":")[0].strip() for line in survivors.splitlines() if ": survived" in line]
    stats["seconds"] = seconds
    stats["modules"] = [str(p.relative_to(source)) for p in chosen]
    stats["work"] = str(work)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return stats


def score(stats) -> float:
    judged = stats["killed"] + stats["survived"] + stats["no_tests"]
    return stats["killed"] / judged if judged else float("nan")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modules", nargs="+", default=DEFAULT, help=f"default: {' '.join(DEFAULT)}; or 'all'")
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to test (default: this one)")
    parser.add_argument("--keep", type=Path, default=None, help="keep mutmut's work folder here (to `mutmut show`)")
    parser.add_argument("--json", type=Path, default=None, help="also write the counts to this file")
    args = parser.parse_args(argv)

    stats = run(args.source.resolve(), args.modules, args.keep)
    print(f"modules: {', '.join(stats['modules'])}")
    print(f"| mutants | killed | survived | no tests | timeout | score | seconds |")
    print(f"| --- | --- | --- | --- | --- | --- | --- |")
    print(f"| {stats['total']} | {stats['killed']} | {stats['survived']} | {stats['no_tests']} | "
          f"{stats['timeout']} | {score(stats):.1%} | {stats['seconds']:.0f} |")
    by_module = {}
    for name in stats["survivors"]:
        module = name.split(".x")[0]
        by_module.setdefault(module, []).append(name.split(".", 2)[-1])
    for module, names in sorted(by_module.items()):
        print(f"survivors in {module} ({len(names)}): {', '.join(names[:12])}" + (" ..." if len(names) > 12 else ""))
    if args.json:
        args.json.write_text(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
