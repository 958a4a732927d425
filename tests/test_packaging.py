"""course_utils as a wheel: what `pip install .`, `pip install git+URL`, a hub image or Colab gets.

In this repository's .venv course_utils is installed editable, so a module or data file that the
wheel leaves out goes unnoticed here and fails everywhere else. These tests build the wheel
offline, check that it holds every file of the package, install it (not editable) into a fresh
virtual environment (tests/fresh_env.py) and, from a folder outside the repository, import every
module, load the bundled MNIST and run notebook 01 in fast mode.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path, PurePosixPath

import pytest

from fresh_env import NOTEBOOKS, ROOT, FreshEnv, build_wheel, package_files, where_from


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    return build_wheel(tmp_path_factory.mktemp("wheel"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory, wheel) -> FreshEnv:
    """A fresh environment with the wheel installed (its dependencies are borrowed: --no-deps)."""
    env = FreshEnv(tmp_path_factory.mktemp("fresh") / "venv")
    env.pip_install("--no-deps", str(wheel))
    return env


@pytest.fixture
def outside(tmp_path) -> Path:
    """A working folder outside the repository, so nothing is found through the current directory."""
    assert ROOT not in tmp_path.parents
    return tmp_path


def test_every_file_of_the_package_is_in_the_wheel(wheel):
    with zipfile.ZipFile(wheel) as z:
        shipped = {n for n in z.namelist() if not n.startswith("course_utils-")}
    expected = set(package_files())
    assert any(p.endswith(".gz") for p in expected) and any("/checks/" in p for p in expected)
    missing = sorted(expected - shipped)
    assert not missing, (
        f"the wheel leaves out {missing}: add the file's extension to [tool.setuptools.package-data] "
        "in pyproject.toml (or, for a module, check the folder is under course_utils/)")
    extra = sorted(shipped - expected)
    assert not extra, f"the wheel holds files that are not in the package's folder: {extra}"


def test_the_wheel_has_the_projects_address_and_licence(wheel):
    with zipfile.ZipFile(wheel) as z:
        meta = z.read("course_utils-0.1.0.dist-info/METADATA").decode()
    assert "Project-URL: Homepage, https://github.com/" in meta
    assert "License-Expression: MIT AND CC-BY-SA-3.0" in meta
    assert "Requires-Dist: threadpoolctl" in meta


def test_fresh_environment_has_no_course_utils_before_install(tmp_path, outside):
    env = FreshEnv(tmp_path / "venv")
    assert env.run("import importlib.util; print(importlib.util.find_spec('course_utils'))", cwd=outside).strip() == "None"
    # and yet it sees this environment's third-party packages
    assert env.run("import numpy, nbclient; print('ok')", cwd=outside).strip() == "ok"


def test_every_module_imports_from_the_installed_wheel(installed, outside):
    expected = sorted(str(PurePosixPath(p).with_suffix("")).replace("/", ".").removesuffix(".__init__")
                      for p in package_files() if p.endswith(".py"))
    report = json.loads(installed.run(
        "import importlib, json, pkgutil, course_utils\n"
        "names = ['course_utils'] + [m.name for m in pkgutil.walk_packages(course_utils.__path__, 'course_utils.')]\n"
        "print(json.dumps({n: importlib.import_module(n).__file__ for n in names}))", cwd=outside))
    assert sorted(report) == expected, "walking the installed package finds other modules than the source has"
    site = str(installed.site)
    strays = {n: f for n, f in report.items() if not f.startswith(site)}
    assert not strays, f"imported from outside the fresh environment: {strays}"


def test_bundled_mnist_loads_from_the_installed_wheel(installed, outside):
    out = installed.run(
        "from course_utils.data import load_mnist, BUNDLE_DIR\n"
        "(x, y), (xt, yt) = load_mnist()\n"
        "print(BUNDLE_DIR); print(x.shape, y.shape, xt.shape, yt.shape)",
        cwd=outside, COURSE_OFFLINE="1", COURSE_DATA=str(outside / "empty-cache"))
    lines = out.strip().splitlines()
    assert "the 5,000 bundled training images" in lines[0], lines[0]
    assert lines[-2].startswith(str(installed.site)), "the data must come from the wheel, not the repository"
    assert lines[-1] == "(5000, 28, 28) (5000,) (10000, 28, 28) (10000,)"


def test_notebook_01_runs_against_the_installed_wheel(installed, outside):
    nb = installed.execute_notebook(NOTEBOOKS / "01_the_neuron.ipynb", outside, COURSE_FAST="1",
                                    COURSE_OFFLINE="1", COURSE_DATA=str(outside / "empty-cache"))
    where = where_from(nb)
    assert where["python"] == str(installed.python), "the kernel must be the fresh environment's Python"
    assert where["course_utils"].startswith(str(installed.site)), where
    errors = [c.id for c in nb.cells if any(o.get("output_type") == "error" for o in c.get("outputs", []))]
    assert not errors
