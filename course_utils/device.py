"""Where tensors live, how many CPU threads compute, and how runs are made repeatable.

Nothing happens at import time.
"""

from __future__ import annotations

import math
import os
import random
import sys
from pathlib import Path

from .i18n import _

import numpy as np


def pick_device(prefer: str | None = None, verbose: bool = True):
    """The best device here: CUDA, then Apple MPS, then the CPU.

    ``prefer`` (or ``$COURSE_DEVICE``), e.g. ``"cpu"``, forces a choice; asking for a
    device that is not present raises ``ValueError`` instead of failing later.
    """
    import torch

    prefer = prefer or os.environ.get("COURSE_DEVICE")
    has_cuda = torch.cuda.is_available()
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if prefer:
        kind = torch.device(prefer).type
        if (kind == "cuda" and not has_cuda) or (kind == "mps" and not has_mps):
            raise ValueError(f"device {prefer!r} was asked for but is not available here (CUDA: {has_cuda}, MPS: {has_mps})")
        device = torch.device(prefer)
    else:
        device = torch.device("cuda" if has_cuda else "mps" if has_mps else "cpu")
    if verbose:
        if device.type == "cuda":
            what = f"CUDA GPU: {torch.cuda.get_device_name(device)}"
        elif device.type == "mps":
            what = "Apple GPU (MPS)"
        else:
            what = f"CPU, {torch.get_num_threads()} threads (no GPU found)" if not prefer else "CPU (as asked)"
        print(f"Device: {what}")
    return device


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy's global generator and PyTorch (when installed) with one number."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(seed)  # also seeds every CUDA device


# --------------------------------------------------------------------------- CPU threads
#
# NumPy's BLAS and PyTorch start one thread per CPU that os.cpu_count() reports. In a container
# (Binder, a hub, CI) that is the host's count, while the container may use only its CPU quota;
# on a shared machine other work already holds some of the cores. Threads beyond the cores the
# process really gets wait for each other at every matrix product: on a busy 2-core machine one
# step of notebook 05's MLP took 140 ms with 2 BLAS threads and 1.3 ms with 1, a step of 08's CNN
# 988 ms with 2 torch threads and 362 ms with 1, while in a quiet moment 2 threads made the MLP
# step only 1.2-1.5x faster than 1 (benchmarks/threads.py). So session.start sizes both pools with
# ``cpu_threads()``: the CPUs the process may use, less those the load average says are busy, at least 1.


def cgroup_cpu_limit(root="/sys/fs/cgroup", self_cgroup="/proc/self/cgroup") -> float | None:
    """The CPU quota of this process's cgroup in CPUs (e.g. 1.5), or None when there is none.

    cgroup v2: ``cpu.max`` holds ``"<quota> <period>"`` or ``"max <period>"``; cgroup v1:
    ``cpu.cfs_quota_us`` (-1: none) and ``cpu.cfs_period_us``, under the ``cpu`` controller's
    mount. The process's own cgroup and each parent up to the mount are read (the smallest
    quota holds); ``root`` and ``self_cgroup`` are parameters so tests can point at fake files.
    """
    root, limits = Path(root), []
    try:
        lines = Path(self_cgroup).read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        parts = line.split(":", 2)
        if len(parts) != 3:
            continue
        _, controllers, path = parts
        if controllers == "":  # cgroup v2, the unified hierarchy
            bases, files = [root], ("cpu.max",)
        elif "cpu" in controllers.split(","):  # cgroup v1, mounted as cpu, cpu,cpuacct or cpuacct,cpu
            bases, files = [root / controllers, root / "cpu", root / "cpu,cpuacct"], ("cpu.cfs_quota_us", "cpu.cfs_period_us")
        else:
            continue
        for base in bases:
            folder = base / path.lstrip("/")
            while True:  # the cgroup itself, then each parent up to the mount point
                limits.append(_read_quota(folder, files))
                if folder == base or base not in folder.parents:
                    break
                folder = folder.parent
    limits = [x for x in limits if x is not None]
    return min(limits) if limits else None


def _read_quota(folder: Path, files) -> float | None:
    try:
        if len(files) == 1:
            quota, period = (folder / files[0]).read_text().split()[:2]
        else:
            quota, period = ((folder / f).read_text().strip() for f in files)
        if quota == "max" or int(quota) <= 0:
            return None
        return int(quota) / int(period)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def usable_cpus(**cgroup_paths) -> tuple[int, str]:
    """How many CPUs this process may really use, and why: the CPUs it may run on (affinity,
    e.g. ``taskset`` or a container's cpuset), capped by the cgroup quota rounded up."""
    if hasattr(os, "sched_getaffinity"):
        n, why = len(os.sched_getaffinity(0)), _("the CPUs this process may run on")
    else:  # macOS, Windows
        n, why = os.cpu_count() or 1, _("the CPUs of this machine")
    quota = cgroup_cpu_limit(**cgroup_paths)
    if quota is not None and math.ceil(quota) < n:
        n, why = max(1, math.ceil(quota)), _("the container's CPU quota")
    return n, why


def cpu_threads(load: float | None = None, **cgroup_paths) -> tuple[int, str]:
    """(threads, why) for this process now: ``usable_cpus()``, less the share of them that other
    work keeps busy, at least 1.

    The busy share is the machine's 1-minute load average (``load``; read with os.getloadavg
    when None; it counts every CPU of the host, so it is scaled to this process's CPUs). The
    cost is lopsided: a thread too few loses at most that thread's share, a thread too many can
    make every matrix product wait for a descheduled thread (tens of times slower, measured).
    """
    n, why = usable_cpus(**cgroup_paths)
    if load is None:
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    busy = load * n / max(os.cpu_count() or n, n)
    free = n - math.floor(busy + 0.5)
    if free < n:
        return max(1, free), _("{n} CPUs usable, but the machine is busy: load average {load:.1f}").format(n=n, load=load)
    return n, why


def set_threads(n: int, torch_too: bool = False) -> int:
    """Use ``n`` threads in NumPy's BLAS (and OpenMP) libraries, and in PyTorch when ``torch_too``
    or when torch is already imported; returns ``n``. Lasts for the whole process."""
    from threadpoolctl import threadpool_limits

    if n < 1:
        raise ValueError(f"threads must be a positive integer, not {n!r}")
    threadpool_limits(limits=n)  # not as a context manager: the limit stays until the kernel restarts
    if torch_too or "torch" in sys.modules:
        import torch

        torch.set_num_threads(n)
    return n
