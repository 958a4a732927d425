"""binder/: what mybinder.org (repo2docker) builds the course's image from.

Three checks, none needing Docker or a network:
- binder/requirements.txt asks for the same packages and ranges as requirements.txt;
- binder/postBuild succeeds offline and says it skipped the MNIST download;
- repo2docker, asked only for its recipe (--no-build), installs binder/requirements.txt
  and runs binder/postBuild (skipped, with the reason, when repo2docker is not installed:
  `pip install -r requirements-dev.txt`).
"""

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement

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


def closed_port():
    """A local port with nothing listening on it: connecting there is refused at once."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_postbuild_succeeds_offline_and_says_it_skipped_the_download(tmp_path):
    # `python -m pip ...` is answered by a stand-in that records its arguments, so the test
    # neither touches this environment's packages nor needs an index; every other
    # `python` call (the MNIST download) runs the real interpreter.
    shim = tmp_path / "bin"
    shim.mkdir()
    pip_log = tmp_path / "pip.log"
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
        "COURSE_DATA": str(tmp_path / "mnist"),
        "COURSE_MNIST_MIRRORS": f"http://127.0.0.1:{closed_port()}/",
    }
    env.pop("XDG_CACHE_HOME", None)
    run = subprocess.run(["bash", str(BINDER / "postBuild")], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "skipped the full MNIST download" in run.stdout
    assert "127.0.0.1" in run.stdout, "the reason (the mirror tried) should be shown"
    assert pip_log.read_text().split() == ["install", "--no-cache-dir", "--no-deps", "-e", "."]
    assert not any((tmp_path / "mnist").glob("*.gz")), "a failed download must leave no file behind"


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
