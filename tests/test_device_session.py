"""course_utils.device and course_utils.session: the device found, seeds, fast mode, version checks."""

import random

import numpy as np
import pytest

from course_utils import session
from course_utils.device import pick_device, seed_everything

torch = pytest.importorskip("torch")
HAS_CUDA = torch.cuda.is_available()
HAS_MPS = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()


@pytest.fixture(autouse=True)
def _no_forced_device(monkeypatch):
    monkeypatch.delenv("COURSE_DEVICE", raising=False)


@pytest.mark.skipif(HAS_CUDA or HAS_MPS, reason="this machine has a GPU")
def test_pick_device_is_the_cpu_here(capsys):
    assert pick_device() == torch.device("cpu")
    out = capsys.readouterr().out
    assert "Device: CPU" in out and "no GPU found" in out


@pytest.mark.skipif(not HAS_CUDA, reason="no CUDA here")
def test_pick_device_finds_cuda(capsys):
    assert pick_device().type == "cuda"
    assert "CUDA GPU" in capsys.readouterr().out


def test_prefer_cpu_and_the_environment(monkeypatch, capsys):
    assert pick_device("cpu") == torch.device("cpu")
    assert "CPU (as asked)" in capsys.readouterr().out
    monkeypatch.setenv("COURSE_DEVICE", "cpu")
    assert pick_device(verbose=False) == torch.device("cpu")
    assert capsys.readouterr().out == ""


@pytest.mark.skipif(HAS_CUDA, reason="CUDA is available here")
def test_asking_for_missing_cuda_is_a_value_error():
    with pytest.raises(ValueError, match=r"'cuda' was asked for but is not available here \(CUDA: False"):
        pick_device("cuda")
    with pytest.raises(ValueError, match="'cuda:1' was asked for"):
        pick_device("cuda:1")


@pytest.mark.skipif(HAS_MPS, reason="MPS is available here")
def test_asking_for_missing_mps_is_a_value_error():
    with pytest.raises(ValueError, match="'mps' was asked for but is not available"):
        pick_device("mps")


def test_seed_everything_repeats_numpy_torch_and_python():
    def draw():
        return np.random.rand(3), torch.rand(3), random.random()

    seed_everything(5)
    a = draw()
    seed_everything(5)
    b = draw()
    seed_everything(6)
    c = draw()
    assert np.array_equal(a[0], b[0]) and torch.equal(a[1], b[1]) and a[2] == b[2]
    assert not np.array_equal(a[0], c[0]) and not torch.equal(a[1], c[1])


def test_nothing_happens_at_import():
    import subprocess
    import sys

    code = (
        "import numpy as np, random; np.random.seed(1); random.seed(1); s = np.random.get_state()[1].copy(); r = random.getstate();"
        "import course_utils.device, course_utils.session, course_utils.data, course_utils.checks, course_utils.plots,"
        " course_utils.i18n, course_utils.poems;"
        "assert np.array_equal(np.random.get_state()[1], s) and random.getstate() == r;"
        "import sys; assert 'torch' not in sys.modules, 'torch imported by a module that does not need it';"
        "import torch; t = torch.random.get_rng_state().clone();"
        "import course_utils.models, course_utils.training;"  # generated from notebook 08: PyTorch code, torch at the top
        "assert torch.equal(torch.random.get_rng_state(), t) and np.array_equal(np.random.get_state()[1], s)"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# --------------------------------------------------------------------------- session


@pytest.mark.parametrize("value, fast", [("1", True), ("yes", True), ("0", False), ("", False), (None, False)])
def test_start_returns_fast_from_the_environment(monkeypatch, capsys, value, fast):
    if value is None:
        monkeypatch.delenv("COURSE_FAST", raising=False)
    else:
        monkeypatch.setenv("COURSE_FAST", value)
    assert session.start(seed=3) is fast
    out = capsys.readouterr().out
    assert ("FAST mode" in out) is fast and ("FULL mode" in out) is (not fast)
    assert "numpy" in out and "seed 3" in out


def test_start_seeds(monkeypatch):
    session.start(seed=11, packages=("numpy", "torch"))
    a = np.random.rand(2), torch.rand(2)
    session.start(seed=11, packages=("numpy", "torch"))
    b = np.random.rand(2), torch.rand(2)
    assert np.array_equal(a[0], b[0]) and torch.equal(a[1], b[1])


def test_check_versions_finds_installed_packages():
    found = session.check_versions(("numpy", "matplotlib", "torch"))
    assert set(found) == {"numpy", "matplotlib", "torch"} and found["numpy"] == np.__version__


def test_missing_package_gives_a_helpful_import_error():
    with pytest.raises(ImportError, match=r"no-such-package-xyz is not installed .*make lab.*restart the kernel"):
        session.check_versions(("numpy", "no-such-package-xyz"))


def test_too_old_package_gives_a_helpful_import_error(monkeypatch):
    monkeypatch.setitem(session.MINIMUM, "numpy", "999.0")
    with pytest.raises(ImportError, match=r"numpy .* is too old: the course needs numpy >= 999\.0"):
        session.check_versions(("numpy",))


@pytest.mark.parametrize("text, parts", [("2.13.0+cpu", (2, 13, 0)), ("1.26.4", (1, 26, 4)), ("3.10", (3, 10))])
def test_version_tuple(text, parts):
    assert session._version_tuple(text) == parts
