"""Install the PyTorch build that fits this machine, before the rest of requirements.txt.

    python tools/install_torch.py              # what `make install` and `make lab` run, with .venv's Python
    python tools/install_torch.py --dry-run    # say what it would do, install nothing
    python tools/install_torch.py --check-cpu  # fail when the torch installed here is a CUDA build (binder/postBuild)

Why: on Linux the package index's default torch is a CUDA build that brings several GB of
NVIDIA libraries, useless on a machine without an NVIDIA GPU. The choice, in order:

1. a torch satisfying requirements.txt is installed already: nothing (CI installs torch==2.13.0
   first, and a learner's working install is never replaced);
2. an NVIDIA GPU is here (``nvidia-smi -L`` lists one): the default build, CUDA on Linux;
3. macOS: the default build (its wheels have no CUDA; Apple GPUs are used through MPS);
4. otherwise (Linux or Windows without an NVIDIA GPU): the CPU build from PyTorch's CPU index when
   that index answers within a few seconds; if it does not, the default build, and a line saying
   what was installed and how much disk it takes.

Every step is a function, so tests/test_install_torch.py checks the choice with a fake nvidia-smi
and a local stand-in for the index, without a network.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

try:  # pip always carries packaging; a bare new venv may not have it installed on its own yet
    from packaging.requirements import Requirement
except ImportError:  # pragma: no cover - depends on the venv
    from pip._vendor.packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
INDEX_TIMEOUT = 5.0  # seconds: a slower answer means a slow download of ~200 MB too


def torch_requirement(requirements: Path = ROOT / "requirements.txt") -> Requirement:
    """The ``torch...`` line of requirements.txt, e.g. ``torch>=2.2,<3``."""
    for line in requirements.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-") and Requirement(line).name == "torch":
            return Requirement(line)
    raise SystemExit(f"{requirements} has no torch line")


def installed_torch() -> str | None:
    """The version of the torch installed for this Python, or None."""
    try:
        return metadata.version("torch")
    except metadata.PackageNotFoundError:
        return None


def has_nvidia_gpu() -> bool:
    """True when ``nvidia-smi -L`` (on PATH) runs and lists at least one GPU."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return False
    try:
        out = subprocess.run([smi, "-L"], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and any(line.startswith("GPU ") for line in out.stdout.splitlines())


def index_answers(url: str, timeout: float = INDEX_TIMEOUT) -> bool:
    """True when the package index at ``url`` serves its torch page within ``timeout`` seconds."""
    try:
        with urllib.request.urlopen(url.rstrip("/") + "/torch/", timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError, ValueError):  # refused, timed out, DNS, HTTP error
        return False


def choose(requirement: Requirement, installed: str | None, system: str, nvidia_gpu: bool,
           cpu_index: str, cpu_index_answers) -> tuple[list[str] | None, str]:
    """(pip arguments or None, a line saying why). ``cpu_index_answers`` is called only when needed."""
    spec = str(requirement)
    if installed is not None and requirement.specifier.contains(installed, prereleases=True):
        return None, f"torch {installed} is installed and satisfies {spec}: nothing to install."
    if nvidia_gpu:
        return ["install", spec], f"an NVIDIA GPU is here: installing the default torch build ({spec}, with CUDA on Linux)."
    if system == "Darwin":
        return ["install", spec], f"macOS: installing the default torch build ({spec}; it has no CUDA libraries)."
    if cpu_index_answers(cpu_index):
        return (["install", spec, "--index-url", cpu_index],
                f"no NVIDIA GPU: installing the CPU build of torch ({spec}) from {cpu_index}.")
    return ["install", spec], (f"no NVIDIA GPU, but {cpu_index} did not answer within {INDEX_TIMEOUT:.0f} s: "
                               f"installing the default torch build ({spec}), which on Linux is a CUDA build.")


def torch_footprint() -> tuple[str, int, int]:
    """(torch's version, bytes of torch, bytes of NVIDIA and Triton packages) as installed here."""
    def size(dist):
        return sum((Path(dist.locate_file(f)).stat().st_size for f in dist.files or ()
                    if Path(dist.locate_file(f)).is_file()), 0)

    dists = {d.metadata["Name"].lower(): d for d in metadata.distributions()}
    extra = sum(size(d) for name, d in dists.items() if name.startswith("nvidia-") or name == "triton")
    return dists["torch"].version, size(dists["torch"]), extra


def is_cuda_build() -> bool:
    """True when the installed torch is a CUDA build: a ``+cuXXX`` version or NVIDIA packages required."""
    dist = metadata.distribution("torch")
    if "+cu" in dist.version:
        return True
    if "+cpu" in dist.version:
        return False
    requires = [Requirement(r) for r in dist.requires or ()]
    return any(r.name.startswith("nvidia-") and (r.marker is None or r.marker.evaluate({"extra": ""})) for r in requires)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dry-run", action="store_true", help="say what would be installed, install nothing")
    parser.add_argument("--check-cpu", action="store_true", help="exit 1 if the installed torch is a CUDA build")
    args = parser.parse_args(argv)

    if args.check_cpu:
        if installed_torch() is None:
            print("torch is not installed.")
            return 1
        version, torch_bytes, nvidia_bytes = torch_footprint()
        if is_cuda_build():
            print(f"torch {version} is a CUDA build ({(torch_bytes + nvidia_bytes) / 1e9:.1f} GB with its NVIDIA "
                  f"libraries) and this machine has no GPU: install the CPU build from {CPU_INDEX}.")
            return 1
        print(f"torch {version} is a CPU build ({torch_bytes / 1e6:.0f} MB).")
        return 0

    cpu_index = os.environ.get("COURSE_TORCH_CPU_INDEX", CPU_INDEX)  # the tests point it at a local server
    pip_args, why = choose(torch_requirement(), installed_torch(), platform.system(), has_nvidia_gpu(),
                           cpu_index, index_answers)
    print(f"install_torch: {why}", flush=True)
    if pip_args is None or args.dry_run:
        return 0
    subprocess.run([sys.executable, "-m", "pip", *pip_args], check=True)
    version, torch_bytes, nvidia_bytes = torch_footprint()
    print(f"install_torch: installed torch {version}: {torch_bytes / 1e6:,.0f} MB"
          + (f", plus {nvidia_bytes / 1e9:.1f} GB of NVIDIA libraries" if nvidia_bytes else "") + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
