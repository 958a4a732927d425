"""tools/install_torch.py: which PyTorch build `make install` puts in .venv, decided without a network.

nvidia-smi is a fake script on PATH, PyTorch's CPU index a local HTTP server on 127.0.0.1 (or a
closed port, or one that answers too late), and pip a recorder: nothing is installed or downloaded.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import install_torch  # noqa: E402
from install_torch import Requirement, choose  # noqa: E402

from fresh_env import fake_torch  # noqa: E402

SPEC = Requirement("torch>=2.2,<3")
INDEX = "http://index.invalid/whl/cpu"


def never(url):
    raise AssertionError("the CPU index must not be asked here")


# --------------------------------------------------------------------------- the choice


@pytest.mark.parametrize("installed", ["2.13.0", "2.13.0+cpu", "2.2.0", "2.5.1+cu121"])
def test_an_installed_torch_in_range_is_kept(installed):
    args, why = choose(SPEC, installed, "Linux", False, INDEX, never)
    assert args is None and f"torch {installed} is installed" in why and "nothing to install" in why


def test_requirements_txt_range_is_what_is_checked():
    req = install_torch.torch_requirement()
    assert req.name == "torch" and req.specifier.contains("2.13.0"), "CI's torch==2.13.0 must satisfy requirements.txt"


@pytest.mark.parametrize("installed", [None, "2.1.2", "3.0.0"])
def test_no_gpu_on_linux_takes_the_cpu_index_when_it_answers(installed):
    asked = []
    args, why = choose(SPEC, installed, "Linux", False, INDEX, lambda url: asked.append(url) or True)
    assert args == ["install", str(SPEC), "--index-url", INDEX]
    assert asked == [INDEX] and "CPU build" in why


def test_no_gpu_and_a_silent_index_falls_back_to_the_default_and_says_so():
    args, why = choose(SPEC, None, "Windows", False, INDEX, lambda url: False)
    assert args == ["install", str(SPEC)]
    assert "did not answer" in why and "default torch build" in why and "CUDA" in why


def test_an_nvidia_gpu_gets_the_default_cuda_build():
    args, why = choose(SPEC, None, "Linux", True, INDEX, never)
    assert args == ["install", str(SPEC)] and "NVIDIA GPU is here" in why


def test_macos_gets_the_default_build_without_asking_the_cpu_index():
    args, why = choose(SPEC, None, "Darwin", False, INDEX, never)
    assert args == ["install", str(SPEC)] and "macOS" in why


# --------------------------------------------------------------------------- nvidia-smi


@pytest.fixture
def fake_path(tmp_path, monkeypatch):
    """PATH holding only a folder the test may put a fake nvidia-smi into."""
    folder = tmp_path / "bin"
    folder.mkdir()
    monkeypatch.setenv("PATH", str(folder))
    return folder


def fake_smi(folder, stdout, code):
    script = folder / "nvidia-smi"
    script.write_text(f"#!/bin/sh\nprintf '%s\\n' '{stdout}'\nexit {code}\n")
    script.chmod(0o755)


def test_nvidia_smi_listing_a_gpu(fake_path):
    fake_smi(fake_path, "GPU 0: NVIDIA GeForce RTX 3060 (UUID: GPU-1234)", 0)
    assert install_torch.has_nvidia_gpu() is True


def test_nvidia_smi_without_a_driver(fake_path):
    fake_smi(fake_path, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.", 9)
    assert install_torch.has_nvidia_gpu() is False


def test_no_nvidia_smi_at_all(fake_path):
    assert install_torch.has_nvidia_gpu() is False


# --------------------------------------------------------------------------- the CPU index


class _Index(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        time.sleep(self.server.delay)
        if self.path.rstrip("/").endswith("/torch") and self.server.has_torch:
            body = b"<a href='torch-2.13.0+cpu-cp311-cp311-linux_x86_64.whl'>torch</a>"
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_error(404)

    def log_message(self, *args):
        pass


@pytest.fixture
def index(request):
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Index)
    srv.daemon_threads, srv.delay, srv.has_torch = True, 0.0, True
    srv.url = f"http://127.0.0.1:{srv.server_address[1]}/whl/cpu"
    thread = threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    request.addfinalizer(lambda: (srv.shutdown(), srv.server_close()))
    return srv


def test_index_that_serves_torch_answers(index):
    assert install_torch.index_answers(index.url, timeout=5) is True


def test_index_without_torch_does_not_count(index):
    index.has_torch = False
    assert install_torch.index_answers(index.url, timeout=5) is False


def test_index_too_slow_does_not_count(index):
    index.delay = 2.0
    started = time.perf_counter()
    assert install_torch.index_answers(index.url, timeout=0.3) is False
    assert time.perf_counter() - started < 1.5, "the probe must give up at its timeout"


def test_closed_port_does_not_count():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert install_torch.index_answers(f"http://127.0.0.1:{port}/whl/cpu", timeout=2) is False


# --------------------------------------------------------------------------- main()


def test_main_installs_the_cpu_build_and_reports_its_size(index, monkeypatch, capsys):
    monkeypatch.setenv("COURSE_TORCH_CPU_INDEX", index.url)
    monkeypatch.setattr(install_torch, "installed_torch", lambda: None)
    monkeypatch.setattr(install_torch, "has_nvidia_gpu", lambda: False)
    monkeypatch.setattr(install_torch.platform, "system", lambda: "Linux")
    monkeypatch.setattr(install_torch, "torch_footprint", lambda: ("2.13.0+cpu", 757_000_000, 0))
    calls = []
    monkeypatch.setattr(install_torch.subprocess, "run", lambda args, **kw: calls.append(args))
    assert install_torch.main([]) == 0
    assert calls == [[sys.executable, "-m", "pip", "install", str(install_torch.torch_requirement()), "--index-url", index.url]]
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("install_torch: no NVIDIA GPU: installing the CPU build")
    assert out[1] == "install_torch: installed torch 2.13.0+cpu: 757 MB."


def test_main_dry_run_and_an_installed_torch_install_nothing(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(install_torch.subprocess, "run", lambda args, **kw: calls.append(args))
    monkeypatch.setattr(install_torch, "installed_torch", lambda: "2.13.0")
    assert install_torch.main([]) == 0
    monkeypatch.setattr(install_torch, "installed_torch", lambda: None)
    monkeypatch.setattr(install_torch, "has_nvidia_gpu", lambda: True)
    assert install_torch.main(["--dry-run"]) == 0
    assert calls == []
    assert "nothing to install" in capsys.readouterr().out


# --------------------------------------------------------------------------- CPU or CUDA build (binder/postBuild)


@pytest.mark.parametrize("version, requires, cuda", [
    ("2.13.0+cpu", (), False),
    ("2.5.1+cu121", (), True),
    ("2.13.0", ['nvidia-cublas-cu12==12.4.5.8; platform_system == "Linux"'], sys.platform == "linux"),
    ("2.13.0", ["filelock", "sympy>=1.13"], False),
])
def test_cuda_build_is_recognised(tmp_path, monkeypatch, version, requires, cuda):
    monkeypatch.syspath_prepend(str(fake_torch(tmp_path / "site", version, requires)))
    assert install_torch.is_cuda_build() is cuda


def test_check_cpu_fails_on_a_cuda_build(tmp_path):
    site = fake_torch(tmp_path / "site", "2.13.0", ["nvidia-cudnn-cu12==9.1.0.70"])
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "install_torch.py"), "--check-cpu"],
                         env={**os.environ, "PYTHONPATH": str(site)}, capture_output=True, text=True)
    assert run.returncode == 1 and "is a CUDA build" in run.stdout and "CPU build" in run.stdout


# --------------------------------------------------------------------------- the Makefile


def test_make_install_chooses_torch_before_the_requirements(tmp_path):
    venv = tmp_path / "venv"
    run = subprocess.run(["make", "-n", "install", f"VENV={venv}"], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    choose_at = next(i for i, l in enumerate(lines) if "tools/install_torch.py" in l)
    reqs_at = next(i for i, l in enumerate(lines) if "pip install -r requirements.txt" in l)
    assert choose_at < reqs_at and lines[choose_at].startswith(f"{venv}/bin/python ")
