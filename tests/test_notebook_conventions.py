"""The conventions of CONTRIBUTING.md that tools rely on, checked on every notebook."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted((Path(__file__).parent.parent / "notebooks").glob("[0-9][0-9]_*.ipynb"))
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
    if path.name.startswith("00"):
        return
    assert 2 <= len(stubs) <= 6, f"expected 2-4 exercises, found {len(stubs)}"
    for i in stubs:
        assert "check" in tags(cs[i + 1]), f"cell {i + 1} after the stub {i} must be tagged 'check'"
        sol = cs[i + 2]
        assert "solution" in tags(sol), f"cell {i + 2} must be the solution"
        assert sol["metadata"].get("jupyter", {}).get("source_hidden") is True, f"solution {i + 2} must be collapsed"
        assert "strict=True" in "".join(sol["source"]), f"solution {i + 2} must end with its checker, strict=True"
