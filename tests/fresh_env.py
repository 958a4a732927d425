"""A fresh Python environment, as a learner outside this repository has one, built offline.

Shared by tests/test_packaging.py (the wheel installed into it) and tests/test_colab_bootstrap.py
(the notebook's own first cell installs it there), and ``fake_torch`` by the tests of
tools/install_torch.py and binder/postBuild. Nothing here downloads:

- ``build_wheel`` builds course_utils' wheel from a copy of the package's files with pip's
  ``--no-build-isolation --no-index`` (the setuptools of this environment builds it);
- ``FreshEnv`` is a new virtual environment whose third-party packages (numpy, torch, jupyter,
  pip itself...) are this environment's, seen through a folder of symbolic links named in a
  ``.pth`` file. The links leave out course_utils (its editable-install hook and its metadata),
  so in the new environment course_utils exists only once something installs it there, and pip
  there never sees, or uninstalls, this environment's copy.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
HIDDEN = ("course_utils", "__editable__", "__pycache__")  # entries of site-packages the links leave out


def package_files() -> list[str]:
    """Paths (relative to the repository) of the files git would ship under course_utils/: tracked
    or new, not ignored (so no __pycache__, no editor leftovers)."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "course_utils"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return sorted(p for p in out.splitlines() if (ROOT / p).is_file())


def build_wheel(dest: Path) -> Path:
    """Build course_utils' wheel into ``dest`` from a copy of the files a clone would have; returns its path."""
    src = dest / "src"
    for rel in ["pyproject.toml", "README.md", "LICENSE", *package_files()]:
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
                    "--no-index", "--quiet", "--wheel-dir", str(dest)],
                   check=True, capture_output=True, text=True, env=offline_env())
    (wheel,) = dest.glob("course_utils-*.whl")
    return wheel


def offline_env(**extra) -> dict:
    """This process's environment, with pip unable to reach any index and no PYTHONPATH.

    PYTEST_CURRENT_TEST goes too: where ipykernel sees it, it stops showing what subprocesses
    write to the kernel's own stdout and stderr (pip's warnings among them), which a learner sees.
    """
    drop = ("PYTHONPATH", "PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PYTEST_CURRENT_TEST")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", **extra)
    return env


class FreshEnv:
    """A new Python environment at ``path`` that borrows this one's packages, minus course_utils.

    ``system=False``: a virtual environment, as `python -m venv` makes. ``system=True``: what Colab
    and Kaggle give, a Python that is not a virtual environment (pip, as root, then warns about
    it): this interpreter with PYTHONHOME pointing at a new prefix whose standard library is
    linked from this one's and whose site-packages is empty.
    """

    def __init__(self, path: Path, system: bool = False):
        self.path = path
        self.env = {}
        if system:
            stdlib = Path(sysconfig.get_path("stdlib"))  # .../lib/python3.X of the base interpreter
            self.site = path / "lib" / stdlib.name / "site-packages"
            self.site.mkdir(parents=True)
            for entry in stdlib.iterdir():
                if entry.name != "site-packages":
                    (self.site.parent / entry.name).symlink_to(entry)
            self.python = Path(sys._base_executable).resolve()
            self.env = {"PYTHONHOME": str(path)}
        else:
            subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(path)], check=True)
            self.python = path / "bin" / "python"
            self.site = Path(self.run("import sysconfig; print(sysconfig.get_path('purelib'))").strip())
        assert self.run("import sys; print(sys.prefix)").strip() == str(path), "the new Python must live at its own prefix"
        links = path / "borrowed-site-packages"
        links.mkdir()
        for entry in Path(sysconfig.get_path("purelib")).iterdir():
            if not entry.name.startswith(HIDDEN) and entry.suffix != ".pth":
                (links / entry.name).symlink_to(entry)
        # A plain path line: Python adds the folder to sys.path, after site-packages, and does not
        # run .pth files found inside it (there are none left anyway).
        (self.site / "borrowed.pth").write_text(f"{links}\n")

    def run(self, code: str, cwd: Path | None = None, **env) -> str:
        """Run ``code`` with this environment's Python (offline, in ``cwd``); returns stdout, raises on failure."""
        return self.python_args("-c", code, cwd=cwd, **env)

    def python_args(self, *args: str, cwd: Path | None = None, **env) -> str:
        proc = subprocess.run([str(self.python), *args], cwd=cwd or self.path, capture_output=True,
                              text=True, env=offline_env(**self.env, **env), timeout=600)
        assert proc.returncode == 0, f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr[-3000:]}"
        return proc.stdout

    def pip_install(self, *args: str) -> None:
        self.python_args("-m", "pip", "install", "--quiet", *args)

    def execute_notebook(self, notebook: Path, workdir: Path, timeout: int = 600, **env) -> nbformat.NotebookNode:
        """Run ``notebook`` top to bottom in a kernel of this environment, started in ``workdir``.

        nbclient runs in this environment too, so the kernel is this environment's Python
        (ipykernel's own kernel spec names the Python that asks). A last cell reports where
        course_utils was imported from. Returns the executed notebook.
        """
        nb = nbformat.read(notebook, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(
            "import course_utils, json as _json, sys as _sys\n"
            "print(_json.dumps({'course_utils': course_utils.__file__, 'python': _sys.executable}))",
            id="where-from"))
        copy = workdir / notebook.name
        nbformat.write(nb, copy)
        # tools/nbrun.py, the course's runner (nbclient without its stall under load, seen here with
        # plain NotebookClient after notebook 01's widget cell), imported by path: it needs only nbclient.
        fast = offline_env(**self.env, **env).get("COURSE_FAST") == "1"
        self.run(
            "import nbformat, sys\n"
            f"sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
            "import nbrun\n"
            f"nb = nbformat.read({str(copy)!r}, as_version=4)\n"
            f"nbrun.execute(nb, {str(workdir)!r}, timeout={timeout}, fast={fast})\n"
            f"nbformat.write(nb, {str(copy)!r})\n",
            cwd=workdir, **env)
        return nbformat.read(copy, as_version=4)


def text_of(cell) -> str:
    """Everything a code cell printed (stdout and stderr streams)."""
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def where_from(nb) -> dict:
    """The {'course_utils': file, 'python': executable} that the appended last cell printed."""
    return json.loads(text_of(nb.cells[-1]).strip().splitlines()[-1])


def fake_torch(site: Path, version: str, requires=()) -> Path:
    """A folder holding only a torch distribution's metadata (no code): put first on sys.path or
    PYTHONPATH, importlib.metadata then reports this version and these requirements for torch."""
    info = site / f"torch-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: torch\nVersion: " + version + "\n"
                                   + "".join(f"Requires-Dist: {r}\n" for r in requires))
    (info / "RECORD").write_text("")
    return site
