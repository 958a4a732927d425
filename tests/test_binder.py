"""binder/: what mybinder.org (repo2docker) builds the course's image from.

Checks that need neither Docker nor a network:
- binder/requirements.txt asks for the same packages and ranges as requirements.txt;
- binder/postBuild installs the course, downloads nothing, and fails the build when the torch
  installed is a CUDA build (tools/install_torch.py --check-cpu, fed fake torch metadata);
- binder/apt.txt installs the CJK fonts for the Chinese figures;
- repo2docker, asked only for its recipe (--no-build), installs apt.txt and binder/requirements.txt
  and runs binder/postBuild (skipped, with the reason, when repo2docker is not installed:
  `pip install -r requirements-dev.txt`).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from fresh_env import fake_torch

ROOT = Path(__file__).resolve().parent.parent
BINDER = ROOT / "binder"


def requirements(path):
    """{name: Requirement} for each package line of a requirements file (options and `-e .` left out)."""
    reqs = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        reqs[req.name.lower().replace("_", "-")] = req
    return reqs


def test_binder_requirements_match_the_course_requirements():
    course, binder = requirements(ROOT / "requirements.txt"), requirements(BINDER / "requirements.txt")
    assert sorted(binder) == sorted(course), "binder/requirements.txt and requirements.txt list different packages"
    for name, req in course.items():
        assert binder[name].specifier == req.specifier, f"{name}: binder asks {binder[name].specifier}, course asks {req.specifier}"


def test_binder_requirements_take_torch_from_the_cpu_index():
    lines = [l.strip() for l in (BINDER / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    assert "--extra-index-url https://download.pytorch.org/whl/cpu" in lines
    assert not any(l.startswith("-e") for l in lines), "no editable install here: the repository is not copied in yet"


def test_runtime_is_python_311():
    assert (BINDER / "runtime.txt").read_text(encoding="utf-8").strip() == "python-3.11"


def run_postbuild(tmp_path, torch_version, requires=()):
    """binder/postBuild with a stand-in for `python -m pip` that records its arguments (so the test
    neither touches this environment's packages nor needs an index) and, first on PYTHONPATH, the
    metadata of a torch of ``torch_version`` (what binder/requirements.txt would have installed).
    Every other `python` call runs the real interpreter. Returns (completed process, pip calls)."""
    shim = tmp_path / "bin"
    shim.mkdir()
    pip_log = tmp_path / "pip.log"
    pip_log.touch()
    (shim / "python").write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then shift 2; echo "$@" >> "{pip_log}"; exit 0; fi\n'
        f'exec "{sys.executable}" "$@"\n'
    )
    (shim / "python").chmod(0o755)
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(home),
        "PYTHONPATH": str(fake_torch(tmp_path / "site", torch_version, requires)),
        "COURSE_DATA": str(tmp_path / "mnist"),
    }
    env.pop("XDG_CACHE_HOME", None)
    run = subprocess.run(["bash", str(BINDER / "postBuild")], env=env, capture_output=True, text=True, timeout=120)
    return run, [line.split() for line in pip_log.read_text().splitlines()]


def test_postbuild_installs_the_course_and_downloads_nothing(tmp_path):
    run, pip_calls = run_postbuild(tmp_path, "2.13.0+cpu")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "torch 2.13.0+cpu is a CPU build" in run.stdout
    assert pip_calls == [["install", "--no-cache-dir", "--no-deps", "-e", "."]]
    assert not (tmp_path / "mnist").exists() and not (tmp_path / "home" / ".cache").exists(), \
        "no MNIST download: on Binder's CPU the notebooks train on the bundled images"
    assert "bundled MNIST" in run.stdout


def test_postbuild_fails_the_build_on_a_cuda_torch(tmp_path):
    run, pip_calls = run_postbuild(tmp_path, "2.13.0", ["nvidia-cublas-cu12==12.8.4.1; platform_system == 'Linux'"])
    assert run.returncode != 0, "a CUDA torch on Binder must stop the build"
    assert "is a CUDA build" in run.stdout and "download.pytorch.org/whl/cpu" in run.stderr
    assert pip_calls == [], "nothing installed after the failed check"


def test_apt_txt_installs_the_cjk_fonts():
    packages = [l.partition("#")[0].strip() for l in (BINDER / "apt.txt").read_text(encoding="utf-8").splitlines()]
    assert [p for p in packages if p] == ["fonts-noto-cjk"], "Chinese glyphs in figures need fonts-noto-cjk"


def test_postbuild_is_executable_bash_with_set_e():
    text = (BINDER / "postBuild").read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "\nset -e\n" in text
    assert os.access(BINDER / "postBuild", os.X_OK)


REPO2DOCKER = shutil.which("jupyter-repo2docker") or shutil.which("jupyter-repo2docker", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(REPO2DOCKER is None, reason="jupyter-repo2docker is not installed: pip install -r requirements-dev.txt")
def test_repo2docker_recipe_installs_requirements_then_runs_postbuild():
    # --no-build renders the Dockerfile without a Docker daemon; a bogus DOCKER_HOST proves
    # nothing tries to reach one. Binder's user is uid 1000, which owns the copied repository.
    env = {**os.environ, "DOCKER_HOST": "unix:///nonexistent/docker.sock"}
    run = subprocess.run(
        [REPO2DOCKER, "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan", str(ROOT)],
        env=env, capture_output=True, text=True, timeout=300,
    )
    out = run.stdout + run.stderr
    assert run.returncode == 0, out
    assert "python=3.11" in out, "binder/runtime.txt should select Python 3.11"
    install = out.index('pip install --no-cache-dir -r "binder/requirements.txt"')
    copy_repo = out.index("src/ ${REPO_DIR}/")
    postbuild = out.index("RUN ./binder/postBuild")
    assert install < copy_repo < postbuild, "requirements first, then the repository, then postBuild"
    assert "fonts-noto-cjk" in out[: install], "binder/apt.txt's packages are installed with the image"
