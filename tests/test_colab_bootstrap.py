"""The notebooks where the course is not installed: Colab, Kaggle, a fresh Python.

Each notebook's first code cell (id ``bootstrap``) installs course_utils from
``$COURSE_PACKAGE`` (default: the repository's address) when it cannot be imported, and does
nothing where it can. Simulated here without a network:

- in a Colab-like Python (not a virtual environment, pip run as root, no course_utils;
  tests/fresh_env.py), notebook 00 runs top to bottom with COURSE_PACKAGE pointing at the
  wheel built from this checkout, from a folder outside the repository (Colab's is /content);
- in this environment (course_utils installed), every notebook's cell prints and installs nothing;
- tools/set_address.py, which rewrites the address (and, with --bootstrap, the cell itself), on a
  copy of the repository's files.
"""

from __future__ import annotations

import datetime
import importlib.util
import re
import shutil
import subprocess
import sys

import nbformat
import pytest

from fresh_env import NOTEBOOKS, ROOT, FreshEnv, build_wheel, offline_env, text_of, where_from

sys.path.insert(0, str(ROOT / "tools"))
import set_address  # noqa: E402  (tools/ is not a package)

PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def cell(nb, cell_id):
    (found,) = [c for c in nb.cells if c.get("id") == cell_id]
    return found


def bootstrap_source(path):
    return cell(nbformat.read(path, as_version=4), "bootstrap").source


def seconds(c) -> float:
    """How long a cell ran, from the timestamps nbclient records in its metadata."""
    t = {k: datetime.datetime.fromisoformat(v.replace("Z", "+00:00")) for k, v in c.metadata["execution"].items()}
    return (t["shell.execute_reply"] - t["iopub.execute_input"]).total_seconds()


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    return build_wheel(tmp_path_factory.mktemp("wheel"))


# --------------------------------------------------------------------------- in this environment


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name[:2])
def test_bootstrap_is_the_first_code_cell(path):
    nb = nbformat.read(path, as_version=4)
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert first.get("id") == "bootstrap", "the install cell must run before anything imports course_utils"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name[:2])
def test_bootstrap_does_nothing_where_the_course_is_installed(path, monkeypatch, capsys):
    assert importlib.util.find_spec("course_utils") is not None
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    monkeypatch.setenv("COURSE_PACKAGE", "/nonexistent/course_utils.whl")
    exec(compile(bootstrap_source(path), f"{path.name}:bootstrap", "exec"), {})
    assert calls == [], "pip must not run where course_utils is importable"
    assert capsys.readouterr() == ("", ""), "the cell must print nothing there"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name[:2])
def test_bootstrap_installs_from_course_package_when_missing(path, monkeypatch, capsys):
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "course_utils" else real_find_spec(name, *a))
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, **kw: calls.append((args, kw)))
    monkeypatch.setenv("COURSE_PACKAGE", "/somewhere/course_utils.whl")
    exec(compile(bootstrap_source(path), f"{path.name}:bootstrap", "exec"), {})
    ((args, kw),) = calls
    assert args == [sys.executable, "-m", "pip", "install", "--quiet", "/somewhere/course_utils.whl"]
    assert kw.get("check") is True, "a failed install must stop the notebook, with pip's reason"
    assert capsys.readouterr().out == "Installing the course's helpers from /somewhere/course_utils.whl ...\n"


def test_the_default_address_is_the_projects():
    slug = set_address.current_slug()
    for path in PATHS:
        assert f'"git+https://github.com/{slug}"' in bootstrap_source(path), path.name


# --------------------------------------------------------------------------- Colab, simulated


def test_colab_like_python_installs_the_course_in_seconds_and_runs_notebook_00(tmp_path, wheel):
    colab = FreshEnv(tmp_path / "python", system=True)
    assert colab.run("import importlib.util; print(importlib.util.find_spec('course_utils'))").strip() == "None"
    content = tmp_path / "content"  # outside the repository, like Colab's /content
    content.mkdir()
    nb = colab.execute_notebook(NOTEBOOKS / "00_what_is_a_large_model.ipynb", content, COURSE_PACKAGE=str(wheel),
                                COURSE_FAST="1", COURSE_OFFLINE="1", COURSE_DATA=str(tmp_path / "cache"))
    boot = cell(nb, "bootstrap")
    assert text_of(boot) == f"Installing the course's helpers from {wheel} ...\n", \
        "one line and nothing else (run `python tools/set_address.py OWNER/REPO --bootstrap` if pip warns here)"
    assert seconds(boot) < 30, f"the install took {seconds(boot):.0f} s"
    assert list(colab.site.glob("course_utils-*.dist-info")), "the wheel must be installed in the fresh Python"
    where = where_from(nb)
    assert where["course_utils"].startswith(str(colab.site)), where
    errors = [c.id for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert not errors


# --------------------------------------------------------------------------- tools/set_address.py


@pytest.fixture
def repo_copy(tmp_path):
    """The files set_address.py edits, copied: the real ones are never touched by these tests."""
    root = tmp_path / "repo"
    root.mkdir()
    for name in ("README.md", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    for folder in ("docs", "binder"):
        shutil.copytree(ROOT / folder, root / folder)
    (root / "notebooks").mkdir()
    for path in PATHS:
        shutil.copy2(path, root / "notebooks" / path.name)
    return root


def test_set_address_rewrites_every_link_and_only_the_address_cells(repo_copy):
    old = set_address.current_slug(repo_copy)
    before = {p.name: nbformat.read(p, as_version=4) for p in (repo_copy / "notebooks").glob("*.ipynb")}
    texts = {name: (repo_copy / name).read_text() for name in ("README.md", "docs/BINDER.md", "pyproject.toml")}
    addresses = lambda text: len(re.findall(rf"(?:github\.com/|/v2/gh/|\.com/github/){re.escape(old)}", text))  # noqa: E731
    assert addresses(texts["README.md"]) >= 1 and addresses(texts["pyproject.toml"]) == 3
    changed = set_address.set_address("alice/dl-course", repo_copy)
    assert set_address.current_slug(repo_copy) == "alice/dl-course"
    assert {repo_copy / "README.md", repo_copy / "pyproject.toml", repo_copy / "docs" / "BINDER.md"} <= set(changed)
    for name, nb_before in before.items():
        nb = nbformat.read(repo_copy / "notebooks" / name, as_version=4)
        assert [c.id for c in nb.cells] == [c.id for c in nb_before.cells], "cell ids must be kept"
        for a, b in zip(nb_before.cells, nb.cells):
            if a.id in ("launch", "bootstrap"):
                assert f"/{old}" not in b.source and "alice/dl-course" in b.source
                assert b.source == a.source.replace(old, "alice/dl-course")
            else:
                assert a == b, f"{name}: cell {a.id} must not change"
    for name, text in texts.items():
        after = (repo_copy / name).read_text()
        assert after.count("alice/dl-course") == addresses(text), name
        assert not any(f"{host}{old}" in after for host in ("github.com/", "/v2/gh/", ".com/github/")), name
        assert after.count(old) == text.count(old) - addresses(text), f"{name}: prose naming {old} must stay"


def test_set_address_twice_and_back_is_the_identity(repo_copy):
    original = {p: p.read_bytes() for p in repo_copy.rglob("*") if p.is_file()}
    old = set_address.current_slug(repo_copy)
    set_address.set_address("alice/dl-course", repo_copy)
    set_address.set_address(old, repo_copy)
    assert {p: p.read_bytes() for p in repo_copy.rglob("*") if p.is_file()} == original


@pytest.mark.parametrize("text, expected", [
    ("`pip install git+https://github.com/OWNER/REPO`", "`pip install git+https://github.com/a/b`"),
    ("clone https://github.com/OWNER/REPO.git now", "clone https://github.com/a/b.git now"),
    ("see https://github.com/OWNER/REPO. Then", "see https://github.com/a/b. Then"),
    ("(https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab)", "(https://mybinder.org/v2/gh/a/b/main?urlpath=lab)"),
    ("colab.research.google.com/github/OWNER/REPO/blob/main", "colab.research.google.com/github/a/b/blob/main"),
    ("https://github.com/OWNER/REPOSITORY", "https://github.com/OWNER/REPOSITORY"),  # another repository
    ("https://github.com/OWNER/REPO.io", "https://github.com/OWNER/REPO.io"),
    ("`OWNER/REPO` stands for the owner and name", "`OWNER/REPO` stands for the owner and name"),  # prose
])
def test_replace_in_changes_whole_addresses_only(text, expected):
    assert set_address.replace_in(text, "OWNER/REPO", "a/b") == expected


def test_set_address_rejects_what_is_not_owner_slash_name(repo_copy):
    for bad in ("alice", "https://github.com/alice/x", "alice/x/y", ""):
        with pytest.raises(SystemExit, match="not a GitHub owner/name"):
            set_address.set_address(bad, repo_copy)


def test_renewed_bootstrap_cell_is_quiet_in_a_colab_like_python(repo_copy, tmp_path, wheel):
    """--bootstrap writes set_address.BOOTSTRAP; where pip runs as root outside a venv (Colab,
    Kaggle) that cell still prints its one line only, and the package imports right after."""
    set_address.set_address(set_address.current_slug(repo_copy), repo_copy, bootstrap=True)
    source = bootstrap_source(repo_copy / "notebooks" / "05_mlp_on_mnist_numpy.ipynb")
    assert source == set_address.BOOTSTRAP.format(slug=set_address.current_slug(repo_copy))
    colab = FreshEnv(tmp_path / "python", system=True)
    script = tmp_path / "cell.py"
    script.write_text(source + "\nimport course_utils.checks.nb05\nprint('imported', course_utils.__file__)\n")
    proc = subprocess.run([str(colab.python), str(script)], cwd=tmp_path, capture_output=True, text=True,
                          env=offline_env(**colab.env, COURSE_PACKAGE=str(wheel)))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == "", f"pip printed: {proc.stderr}"
    lines = proc.stdout.splitlines()
    assert lines[0] == f"Installing the course's helpers from {wheel} ..."
    assert lines[1] == f"imported {colab.site / 'course_utils' / '__init__.py'}" and len(lines) == 2
