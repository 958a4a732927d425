"""Peak memory and time of each notebook as Binder runs it: full mode, on the CPU, bundled MNIST.

    python benchmarks/notebook_memory.py [--only 05,08] [--limit-mb 1000]

Binder gives a session 1-2 GB; the course promises each notebook stays under 1 GB. Each notebook
runs top to bottom on a fresh kernel (nbclient; outputs thrown away, the committed notebook
untouched) with COURSE_FAST unset, COURSE_OFFLINE=1 and no GPU (CUDA_VISIBLE_DEVICES empty), so
``load_mnist()`` gives the 5,000 bundled images, as on Binder. A thread samples, every 0.1 s,
the memory of the kernel process and all its descendants (notebook 10's torchrun workers among
them). Two figures: the kernel's own peak RSS, and the peak of the tree's summed PSS
(proportional set size: a page shared by n processes, such as torch's libraries loaded by each
torchrun worker, counts 1/n in each), which is what the tree costs the machine; summing RSS
instead would count those shared pages once per process. Linux only for PSS (elsewhere RSS).
Spikes shorter than the sampling interval can be missed.
"""

from __future__ import annotations

import argparse
import os
import threading
import time
from pathlib import Path

import nbformat
import psutil
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
BINDER_ENV = {"COURSE_OFFLINE": "1", "CUDA_VISIBLE_DEVICES": "", "COURSE_MNIST": "auto"}


def _pss(proc: psutil.Process) -> int:
    try:
        return proc.memory_full_info().pss
    except (AttributeError, psutil.AccessDenied):  # no PSS here: RSS, an upper bound
        return proc.memory_info().rss


class PeakMemory(threading.Thread):
    """Samples process ``pid`` and its descendants until ``stop()``: ``peak_rss`` of ``pid`` alone
    and ``peak_pss`` of the whole tree, in bytes."""

    def __init__(self, pid: int, interval: float = 0.1):
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak_rss, self.peak_pss = pid, interval, 0, 0
        self._done = threading.Event()

    def run(self):
        while not self._done.is_set():
            try:
                root = psutil.Process(self.pid)
                self.peak_rss = max(self.peak_rss, root.memory_info().rss)
                tree = [root, *root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for proc in tree:
                try:
                    total += _pss(proc)
                except psutil.NoSuchProcess:  # a worker that just ended
                    pass
            self.peak_pss = max(self.peak_pss, total)
            self._done.wait(self.interval)

    def stop(self) -> tuple[int, int]:
        self._done.set()
        self.join()
        return self.peak_rss, self.peak_pss


class MeasuredClient(NotebookClient):
    """nbclient's client that starts a PeakMemory sampler on the kernel as soon as it is up."""

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        self.sampler = PeakMemory(self.km.provisioner.pid)
        self.sampler.start()
        return kc


def measure(path: Path, timeout: int) -> tuple[float, int, int]:
    """(seconds, kernel's peak RSS, tree's peak PSS) of one run of the notebook at ``path`` in Binder mode."""
    nb = nbformat.read(path, as_version=4)
    env = {k: v for k, v in os.environ.items() if k != "COURSE_FAST"}
    env.update(BINDER_ENV)
    client = MeasuredClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}})
    started = time.perf_counter()
    try:
        client.execute(env=env)
    finally:
        seconds = time.perf_counter() - started
        rss, pss = client.sampler.stop() if hasattr(client, "sampler") else (0, 0)
    return seconds, rss, pss


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="", help="comma-separated notebook numbers, e.g. 05,08")
    parser.add_argument("--limit-mb", type=float, default=1000.0, help="the promise checked: peak below this")
    parser.add_argument("--timeout", type=int, default=1800, help="seconds per cell")
    args = parser.parse_args(argv)
    only = {o.strip() for o in args.only.split(",") if o.strip()}
    paths = [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if not only or p.name[:2] in only]
    print(f"Binder mode: full mode, CPU only, bundled MNIST; {psutil.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    print(f"| notebook | time (s) | kernel's peak RSS (MB) | peak PSS of the kernel and its children (MB) "
          f"| under {args.limit_mb:.0f} MB |")
    print("| --- | ---: | ---: | ---: | --- |")
    worst = 0
    for path in paths:
        seconds, rss, pss = measure(path, args.timeout)
        worst = max(worst, pss)
        print(f"| {path.stem} | {seconds:.1f} | {rss / 1e6:.0f} | {pss / 1e6:.0f} | "
              f"{'yes' if pss / 1e6 < args.limit_mb else 'NO'} |", flush=True)
    print(f"| largest | | | {worst / 1e6:.0f} | {'yes' if worst / 1e6 < args.limit_mb else 'NO'} |")


if __name__ == "__main__":
    main()
