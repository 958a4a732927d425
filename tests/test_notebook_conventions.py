"""The conventions of CONTRIBUTING.md that tools rely on, checked on every notebook; the course's notation
(one name for each thing, US spelling) checked on the notebooks and the package; and the map of the package
in its docstring and in CONTRIBUTING.md checked against the files."""

import io
import json
import re
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PACKAGE_FILES = sorted((ROOT / "course_utils").rglob("*.py"))
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes"}


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def tags(cell):
    return set(cell.get("metadata", {}).get("tags", []))


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    dirty = [i for i, c in enumerate(cells(path)) if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
    assert not dirty, f"cells {dirty} carry outputs; clear them before committing"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_has_python3_kernelspec(path):
    # without it JupyterLab stops at a "Select Kernel" dialog instead of starting the kernel
    spec = json.loads(path.read_text(encoding="utf-8"))["metadata"].get("kernelspec", {})
    assert spec.get("name") == "python3", 'set metadata.kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}'


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_skeleton(path):
    text = "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "markdown")
    assert re.search(rf"^# {path.name[:2]} ", text, re.M), "title '# NN · Title' missing"
    for heading in ("What you will learn", "## Summary", "## Exercises", "## Self-test"):
        assert heading in text, f"{heading!r} missing"
    code = "\n".join("".join(c["source"]) for c in cells(path) if c["cell_type"] == "code")
    assert "start(" in code, "the set-up cell must call course_utils.session.start"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_slide_metadata(path):
    """Slide types a teacher's deck understands.

    A cell that continues the current slide carries no slide_type (JupyterLab's slideshow
    extension shows such cells with the slide; it drops cells marked "-", so never use "-").
    """
    cs = cells(path)
    types = [c.get("metadata", {}).get("slideshow", {}).get("slide_type") for c in cs]
    bad = [i for i, t in enumerate(types) if t is not None and t not in SLIDE_TYPES]
    assert not bad, f"cells {bad} have a slide_type outside {sorted(SLIDE_TYPES)} (for 'continue', leave it out)"
    assert types[0] == "slide", "the title cell must start a slide"
    assert sum(t is not None for t in types) >= len(cs) // 4, "too few cells carry slide metadata"
    for i, c in enumerate(cs):
        src = "".join(c["source"])
        if c["cell_type"] == "markdown" and re.match(r"#{1,2} ", src):
            assert types[i] == "slide", f"cell {i} starts a section but is not a slide"
        if c["cell_type"] == "code" and "start(" in src and "session import start" in src:
            assert types[i] == "skip", f"the set-up cell {i} should be skipped in slides"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_exercises_follow_stub_check_solution(path):
    cs = cells(path)
    stubs = [i for i, c in enumerate(cs) if "exercise" in tags(c)]
    assert 2 <= len(stubs) <= 4, f"expected 2-4 exercises (CONTRIBUTING.md), found {len(stubs)}"
    for i in stubs:
        assert "check" in tags(cs[i + 1]), f"cell {i + 1} after the stub {i} must be tagged 'check'"
        sol = cs[i + 2]
        assert "solution" in tags(sol), f"cell {i + 2} must be the solution"
        assert sol["metadata"].get("jupyter", {}).get("source_hidden") is True, f"solution {i + 2} must be collapsed"
        assert "strict=True" in "".join(sol["source"]), f"solution {i + 2} must end with its checker, strict=True"


# ---------------------------------------------------------------- one notation (CONTRIBUTING.md, "Notation")

# names that the notation table replaced: old name -> the one to use
OLD_NAMES = {
    "train_images": "x_train (as loaded) or X_train (prepared)", "train_labels": "y_train",
    "test_images": "x_test (as loaded) or X_test (prepared)", "test_labels": "y_test",
    "val_images": "x_val", "val_labels": "y_val", "y_test_t": "y_test", "y_pred": "y_hat",
    "epochs": "num_epochs (Keras's epochs=10 is quoted only in markdown)",
}
OLD_SIGNATURES = {
    r"def one_hot\(\s*\w+\s*,\s*K\b": "one_hot(y, num_classes)",
    r"def output_size\(\s*n\s*,\s*k\s*,\s*p\b": "output_size(n, k, pad, stride)",
}
# British spellings (whole words; the course writes US English); stems take -se, -sed, -ses, -sing, -sation, -ser
BRITISH = re.compile(
    r"\b(?:(?:initiali|generali|memori|normali|vectori|utili|optimi|summari|recogni|organi|minimi|maximi|visuali|"
    r"reali|penali|paralleli|randomi|standardi|speciali|categori|synchroni|regulari|tokeni)s(?:e|ed|es|ing|ation|ations|er|ers)"
    r"|colou?rs?|colou?red|colouring|behaviours?|centre[sd]?|centring|grey|neighbours?|neighbouring|labelled|labelling|"
    r"modelling|favour|catalogues?|analysed?|learnt|whilst)\b", re.I)
BRITISH_OK = {"color", "colors", "colored"}  # the US forms the pattern's "colou?r" also matches

# files other engineers own that still use an old name or spelling: each must drop out of this list (the test
# then passes and strict xfail turns it into a failure, so the entry is removed), never be added to
PENDING: dict = {}


def _names(code):
    """The identifiers of Python source (comments and strings skipped), or [] if it does not tokenize."""
    code = "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in code.splitlines())
    try:
        return [tok.string for tok in tokenize.generate_tokens(io.StringIO(code).readline) if tok.type == tokenize.NAME]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []


def _sources(path):
    """[(where, kind, text)] of a notebook's cells or a module's text."""
    if path.suffix == ".ipynb":
        return [(f"cell {c.get('id')}", c["cell_type"], "".join(c["source"])) for c in cells(path)]
    return [("", "code", path.read_text(encoding="utf-8"))]


def _notation_problems(path):
    problems = []
    for where, kind, text in _sources(path):
        words = {m.group(0) for m in BRITISH.finditer(text) if m.group(0).lower() not in BRITISH_OK}
        problems += [f"{where}: British spelling {w!r}" for w in sorted(words)]
        if kind != "code":
            continue
        problems += [f"{where}: {n!r} -> {OLD_NAMES[n]}" for n in sorted(set(_names(text)) & set(OLD_NAMES))]
        problems += [f"{where}: {p} -> {new}" for p, new in OLD_SIGNATURES.items() if re.search(p, text)]
    return problems


def _pending(paths):
    rel = lambda p: p.relative_to(ROOT).as_posix()
    return [pytest.param(p, id=rel(p), marks=pytest.mark.xfail(strict=True, reason=PENDING[rel(p)]))
            if rel(p) in PENDING else pytest.param(p, id=rel(p)) for p in paths]


@pytest.mark.parametrize("path", _pending(NOTEBOOKS + PACKAGE_FILES))
def test_one_notation(path):
    problems = _notation_problems(path)
    assert not problems, "the notation of CONTRIBUTING.md:\n" + "\n".join(problems)


def test_the_notation_check_catches_the_old_names(tmp_path):
    old = tmp_path / "old.py"
    old.write_text("(train_images, train_labels), _ = load()\nfit(model, X, y, epochs=3)\n"
                   "def one_hot(y, K): pass\ndef output_size(n, k, p=0, s=1): pass\ny_pred = 1  # initialise\n")
    problems = "\n".join(_notation_problems(old))
    for expected in ("train_images", "train_labels", "'epochs'", "one_hot", "output_size", "y_pred", "initialise"):
        assert expected in problems
    fine = tmp_path / "fine.py"
    fine.write_text("# Keras: epochs=10\nx = 'epochs'\nnum_epochs = 3\ncolor = 'gray'\nmemorize = 1\n")
    assert _notation_problems(fine) == []


# ---------------------------------------------------------------- the map of the package

MODULES = sorted({p.stem if p.parent.name == "course_utils" else p.parent.name
                  for p in PACKAGE_FILES if p.name != "__init__.py" or p.parent.name != "course_utils"})


def test_the_package_docstring_names_every_module_and_only_those():
    import course_utils

    listed = {line.split()[1].strip("`") for line in course_utils.__doc__.splitlines() if line.startswith("- ``")}
    assert listed == set(MODULES), f"named but missing: {sorted(listed - set(MODULES))}; not named: {sorted(set(MODULES) - listed)}"


def test_contributing_describes_the_layout_as_it_is():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    layout = text.split("## The layout", 1)[1].split("\n## ", 1)[0]
    listed = set(re.findall(r"^\| `course_utils/(\w+)(?:\.py|/)` \|", layout, re.M))
    assert listed == set(MODULES), f"named but missing: {sorted(listed - set(MODULES))}; not named: {sorted(set(MODULES) - listed)}"
    for path in re.findall(r"`((?:tools|benchmarks|tests)/[\w./]+)`", layout):
        assert (ROOT / path).exists(), f"CONTRIBUTING.md names {path}, which does not exist"
