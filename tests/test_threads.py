"""CPU threads sized to what the process may really use (course_utils.device, session.start).

The cgroup files are fakes written in tmp_path, in the layouts of cgroup v2 (``cpu.max``) and
v1 (``cpu.cfs_quota_us`` / ``cpu.cfs_period_us``); affinity is patched where a test says.
Tests that change the thread pools put them back.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from threadpoolctl import threadpool_info, threadpool_limits

from course_utils import device, i18n, session

torch = pytest.importorskip("torch")


def fake_cgroup(tmp_path, self_line: str, files: dict) -> dict:
    """/proc/self/cgroup holding ``self_line``, and ``files`` ({relative path: text}) under a fake
    /sys/fs/cgroup; returns the keyword arguments for cgroup_cpu_limit / usable_cpus."""
    root = tmp_path / "sys-fs-cgroup"
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text + "\n")
    (tmp_path / "self-cgroup").write_text(self_line + "\n")
    return {"root": str(root), "self_cgroup": str(tmp_path / "self-cgroup")}


# --------------------------------------------------------------------------- cgroup v2


@pytest.mark.parametrize("cpu_max, expected", [("150000 100000", 1.5), ("100000 100000", 1.0), ("max 100000", None),
                                               ("50000 100000", 0.5), ("200000 50000", 4.0)])
def test_v2_cpu_max(tmp_path, cpu_max, expected):
    paths = fake_cgroup(tmp_path, "0::/", {"cpu.max": cpu_max})
    assert device.cgroup_cpu_limit(**paths) == expected


def test_v2_a_parents_quota_holds_for_its_children(tmp_path):
    paths = fake_cgroup(tmp_path, "0::/kubepods/pod1/container", {
        "kubepods/pod1/container/cpu.max": "max 100000",
        "kubepods/pod1/cpu.max": "200000 100000",
        "kubepods/cpu.max": "max 100000",
    })
    assert device.cgroup_cpu_limit(**paths) == 2.0


def test_v2_the_smallest_quota_on_the_way_up_wins(tmp_path):
    paths = fake_cgroup(tmp_path, "0::/a/b", {"a/b/cpu.max": "50000 100000", "a/cpu.max": "300000 100000"})
    assert device.cgroup_cpu_limit(**paths) == 0.5


# --------------------------------------------------------------------------- cgroup v1


def test_v1_quota_and_period(tmp_path):
    paths = fake_cgroup(tmp_path, "4:cpu,cpuacct:/docker/abc\n3:memory:/docker/abc", {
        "cpu,cpuacct/docker/abc/cpu.cfs_quota_us": "100000",
        "cpu,cpuacct/docker/abc/cpu.cfs_period_us": "100000",
    })
    assert device.cgroup_cpu_limit(**paths) == 1.0


def test_v1_no_quota_is_minus_one(tmp_path):
    paths = fake_cgroup(tmp_path, "1:cpu:/", {"cpu/cpu.cfs_quota_us": "-1", "cpu/cpu.cfs_period_us": "100000"})
    assert device.cgroup_cpu_limit(**paths) is None


def test_v1_inside_a_container_the_mount_is_the_containers_own_cgroup(tmp_path):
    # /proc/self/cgroup names the host's path, but the container sees its own cgroup at the mount
    paths = fake_cgroup(tmp_path, "2:cpuacct,cpu:/docker/0123abcd", {
        "cpu/cpu.cfs_quota_us": "150000", "cpu/cpu.cfs_period_us": "100000"})
    assert device.cgroup_cpu_limit(**paths) == 1.5


@pytest.mark.parametrize("self_line, files", [
    ("", {}),
    ("not a cgroup line", {}),
    ("0::/", {"cpu.max": "garbage"}),
    ("1:cpu:/", {"cpu/cpu.cfs_quota_us": "100000", "cpu/cpu.cfs_period_us": "0"}),
    ("3:memory:/", {"memory/cpu.cfs_quota_us": "100000", "memory/cpu.cfs_period_us": "100000"}),
])
def test_no_quota_or_unreadable_files_mean_no_limit(tmp_path, self_line, files):
    assert device.cgroup_cpu_limit(**fake_cgroup(tmp_path, self_line, files)) is None


def test_no_cgroup_file_at_all(tmp_path):
    assert device.cgroup_cpu_limit(root=str(tmp_path), self_cgroup=str(tmp_path / "missing")) is None


# --------------------------------------------------------------------------- usable_cpus


@pytest.fixture
def four_cpus(monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2, 3}, raising=False)


@pytest.mark.parametrize("cpu_max, expected", [("max 100000", 4), ("150000 100000", 2), ("100000 100000", 1),
                                               ("20000 100000", 1), ("800000 100000", 4)])
def test_usable_cpus_is_affinity_capped_by_the_quota_rounded_up(tmp_path, four_cpus, cpu_max, expected):
    n, why = device.usable_cpus(**fake_cgroup(tmp_path, "0::/", {"cpu.max": cpu_max}))
    assert n == expected
    assert ("quota" in why) is (expected < 4)


@pytest.mark.parametrize("cpus, usable, load, expected", [
    (2, 2, 0.0, 2),      # an idle 2-core laptop
    (2, 2, 0.6, 1),      # one core's worth of other work
    (2, 2, 17.5, 1),     # this shared machine on a busy afternoon: never below 1
    (8, 8, 3.0, 5),      # a laptop with a few busy programs
    (64, 2, 40.0, 1),    # Binder: a 2-CPU quota on a 64-core host whose load is 40 (1.25 of our 2 busy)
    (64, 2, 10.0, 2),    # the same host, quieter
])
def test_cpu_threads_leaves_out_the_cpus_other_work_keeps_busy(monkeypatch, cpus, usable, load, expected):
    monkeypatch.setattr(os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(device, "usable_cpus", lambda **kw: (usable, "the CPUs this process may run on"))
    n, why = device.cpu_threads(load=load)
    assert n == expected
    assert ("busy: load average" in why) is (expected < usable)


def test_cpu_threads_reads_the_load_average(monkeypatch):
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))
    assert device.cpu_threads() == device.usable_cpus()
    monkeypatch.setattr(os, "getloadavg", lambda: (999.0, 0.0, 0.0))
    assert device.cpu_threads()[0] == 1


def test_usable_cpus_here_is_at_most_the_affinity():
    n, _ = device.usable_cpus()
    assert 1 <= n <= len(os.sched_getaffinity(0))


# --------------------------------------------------------------------------- choose_threads and start


@pytest.fixture
def restore_threads():
    """Put the thread pools and the language back as they were."""
    torch_threads, pools = torch.get_num_threads(), {i["user_api"]: i["num_threads"] for i in threadpool_info()}
    yield
    torch.set_num_threads(torch_threads)
    threadpool_limits(limits=pools)
    i18n.set_language("en")


@pytest.fixture
def quiet_machine(monkeypatch):
    """A load average of 0, so the default is the usable CPUs whatever the machine is doing."""
    monkeypatch.setattr(os, "getloadavg", lambda: (0.0, 0.0, 0.0))


def test_choose_threads_argument_then_environment_then_cpus(monkeypatch, quiet_machine):
    monkeypatch.delenv("COURSE_THREADS", raising=False)
    assert session.choose_threads() == device.usable_cpus()
    assert session.choose_threads(3) == (3, "threads=3")
    monkeypatch.setenv("COURSE_THREADS", "2")
    assert session.choose_threads() == (2, "COURSE_THREADS=2")
    assert session.choose_threads(1) == (1, "threads=1"), "the argument wins over the environment"


@pytest.mark.parametrize("value", ["0", "-1", "two", "1.5"])
def test_a_wrong_course_threads_says_so(monkeypatch, value):
    monkeypatch.setenv("COURSE_THREADS", value)
    with pytest.raises(ValueError, match=f"COURSE_THREADS must be a positive integer, not '{value}'"):
        session.choose_threads()


@pytest.mark.parametrize("value", [0, -2, 1.5, True, "2"])
def test_a_wrong_threads_argument_says_so(value):
    with pytest.raises(ValueError, match="threads must be a positive integer"):
        session.choose_threads(value)


def test_start_sizes_numpy_and_torch_threads_and_says_so(restore_threads, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_THREADS", raising=False)
    session.start(seed=1, packages=("numpy", "torch"), threads=1)
    assert torch.get_num_threads() == 1
    blas = [i for i in threadpool_info() if i["user_api"] == "blas"]
    assert blas and all(i["num_threads"] == 1 for i in blas), blas
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2, "one line, plus the mode line"
    assert lines[0].endswith("; seed 1; 1 CPU thread (threads=1).") and "torch " in lines[0]


def test_start_default_is_the_usable_cpus_and_says_how_to_change_it(restore_threads, quiet_machine, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_THREADS", raising=False)
    n, why = device.usable_cpus()
    session.start(packages=("numpy", "torch"))
    assert torch.get_num_threads() == n
    line = capsys.readouterr().out.splitlines()[0]
    assert f"; {n} CPU thread" in line and f"({why}; COURSE_THREADS=N to change)." in line


def test_start_with_course_threads_in_a_fresh_process():
    code = ("from course_utils.session import start; start(packages=('numpy', 'torch'));"
            "import torch; from threadpoolctl import threadpool_info;"
            "print(torch.get_num_threads(), sorted({i['num_threads'] for i in threadpool_info()}))")
    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, "COURSE_THREADS": "1"},
                         capture_output=True, text=True, check=True).stdout.splitlines()
    assert "1 CPU thread (COURSE_THREADS=1)" in out[0]
    assert out[-1] == "1 [1]", "torch, BLAS and OpenMP all at one thread"


def test_start_on_a_busy_machine_says_why_it_took_fewer_threads(restore_threads, monkeypatch, capsys):
    monkeypatch.delenv("COURSE_THREADS", raising=False)
    monkeypatch.setattr(os, "getloadavg", lambda: (999.0, 0.0, 0.0))
    session.start(packages=("numpy", "torch"))
    assert torch.get_num_threads() == 1
    line = capsys.readouterr().out.splitlines()[0]
    n = device.usable_cpus()[0]
    assert line.endswith(f"; 1 CPU thread ({n} CPUs usable, but the machine is busy: load average 999.0; "
                         "COURSE_THREADS=N to change)."), line


def test_start_in_a_numpy_notebook_sizes_torch_too_when_it_is_installed():
    # seeding imports torch where it is installed, so a later `import torch` finds it sized
    code = "from course_utils.session import start; start(threads=1); import torch; print(torch.get_num_threads())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[-1] == "1"


def test_start_sets_the_language(restore_threads, capsys):
    session.start(lang="zh")
    assert i18n.get_language() == "zh"
    session.start()
    assert i18n.get_language() == "en"
    with pytest.raises(ValueError, match="language must be one of"):
        session.start(lang="fr")
