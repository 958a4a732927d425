"""CPU threads against time: the libraries' default and session.start's choice, on the machine as found and loaded.

    python benchmarks/threads.py [--only 05,08] [--modes fast] [--threads 2,1] [--step-repeats 200]

Two measurements, each with every thread count in ``--threads`` (default: the CPUs os.cpu_count()
reports, which is what NumPy's BLAS and PyTorch start by default; session.start's choice now,
``device.cpu_threads()``; and 1), first on the machine as it is ("as found"), then under a load this
script starts and stops itself: one busy Python process per CPU that os.cpu_count() reports, each
ending on its own after ``--load-seconds`` at most, like other users' work on a shared machine or
a neighbour on a Binder host.

1. One training step of notebook 05's MLP in NumPy (batch 64, 784-256-10 float32, forward and
   backward through two matrix products each way), the median of ``--step-repeats`` steps; and
   one Adam step of 08's CNN in PyTorch (batch 128), the median of a tenth as many.
2. Whole notebooks, top to bottom on a fresh kernel (benchmarks/notebook_times.py's runner), with
   ``COURSE_THREADS`` set for the kernel.

The policy in session.start, decided from these figures (device.cpu_threads): threads = the
CPUs the process may use (affinity, capped by the cgroup quota: a container's os.cpu_count() is
the host's), less the share of them the machine's 1-minute load average says other work keeps
busy, at least 1. Measured on a shared 2-core machine: one MLP step took 140 ms with 2 BLAS
threads and 1.3 ms with 1 while other work ran, 0.80 ms and 0.96 ms in a quiet moment; one step
of 08's CNN (batch 128) 988 ms with 2 torch threads and 362 ms with 1 under load. A thread too
few costs at most its share; a thread too many can cost tens of times. COURSE_THREADS=N overrides.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

from course_utils.device import cpu_threads
from notebook_times import NOTEBOOKS, run  # benchmarks/, this script's folder

BUSY = "import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"


@contextmanager
def busy_load(n: int, seconds: float):
    """``n`` processes that each keep one CPU busy for at most ``seconds``; stopped on exit."""
    procs = [subprocess.Popen([sys.executable, "-c", BUSY.format(seconds=seconds)]) for _ in range(n)]
    try:
        time.sleep(0.5)  # let them start spinning
        yield
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            p.wait(timeout=10)


def mlp_step_ms(threads: int, repeats: int) -> float:
    """Median milliseconds of one forward + backward step of 05's MLP with ``threads`` BLAS threads."""
    rng = np.random.default_rng(0)
    X = rng.random((64, 784), dtype=np.float32)
    W1, W2 = rng.standard_normal((784, 256), dtype=np.float32), rng.standard_normal((256, 10), dtype=np.float32)
    times = []
    with threadpool_limits(limits=threads):
        for _ in range(repeats + 10):
            t0 = time.perf_counter()
            h = np.maximum(X @ W1, 0)  # (64, 256)
            d_out = h @ W2  # (64, 10): the logits stand in for their own gradient
            dW2, dh = h.T @ d_out, d_out @ W2.T
            dW1 = X.T @ (dh * (h > 0))
            times.append(time.perf_counter() - t0)
    assert dW1.shape == W1.shape and dW2.shape == W2.shape
    return statistics.median(times[10:]) * 1000


def cnn_step_ms(threads: int, repeats: int) -> float:
    """Median milliseconds of one Adam step of 08's CNN on a batch of 128 with ``threads`` torch threads."""
    import torch

    from course_utils.models import source_cnn

    torch.manual_seed(0)
    X, y = torch.randn(128, 1, 28, 28), torch.randint(0, 10, (128,))
    model = source_cnn()
    optimizer = torch.optim.Adam(model.parameters())
    before, times = torch.get_num_threads(), []
    torch.set_num_threads(threads)
    try:
        for _ in range(repeats + 3):
            t0 = time.perf_counter()
            loss = torch.nn.functional.cross_entropy(model(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            times.append(time.perf_counter() - t0)
    finally:
        torch.set_num_threads(before)
    return statistics.median(times[3:]) * 1000


def notebook_seconds(path: Path, fast: bool, threads: int, timeout: int) -> float:
    saved = os.environ.get("COURSE_THREADS")
    os.environ["COURSE_THREADS"] = str(threads)
    try:
        return run(path, fast=fast, timeout=timeout)
    finally:
        if saved is None:
            os.environ.pop("COURSE_THREADS", None)
        else:
            os.environ["COURSE_THREADS"] = saved


def main(argv=None):
    cpus = os.cpu_count() or 1
    chosen, why = cpu_threads()
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default="05,08", help="comma-separated notebook numbers ('' for none)")
    parser.add_argument("--modes", default="fast", help="fast, full or fast,full")
    parser.add_argument("--threads", default=",".join(str(n) for n in sorted({cpus, chosen, 1}, reverse=True)))
    parser.add_argument("--step-repeats", type=int, default=200)
    parser.add_argument("--load-seconds", type=float, default=1200, help="the most each busy process runs")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per notebook cell")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so a `timeout` or kill still stops the load
    counts = [int(n) for n in args.threads.split(",") if n]
    only = {o.strip() for o in args.only.split(",") if o.strip()}
    paths = [p for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")) if p.name[:2] in only]
    modes = [m for m in args.modes.split(",") if m]

    def label(n):
        return f"{n} thread{'s' if n > 1 else ''}" + (" (library default)" if n == cpus else "") + \
               (" (start's choice)" if n == chosen else "")

    print(f"os.cpu_count() = {cpus}; session.start would choose {chosen} ({why}); "
          f"load average {os.getloadavg()[0]:.1f} at the start")
    print("| machine | measured | " + " | ".join(label(n) for n in counts) + " |")
    print("| --- | --- | " + " | ".join("---:" for _ in counts) + " |", flush=True)

    def row(load, what, values):
        digits = 2 if "ms" in what else 1
        print(f"| {load} | {what} | " + " | ".join(f"{values[n]:.{digits}f}" for n in counts) + " |", flush=True)

    for load in ("as found", f"+ {cpus} busy"):
        with busy_load(cpus if load != "as found" else 0, args.load_seconds):
            row(load, "05's MLP step (ms)", {n: mlp_step_ms(n, args.step_repeats) for n in counts})
            row(load, "08's CNN step (ms)", {n: cnn_step_ms(n, max(5, args.step_repeats // 10)) for n in counts})
            for path in paths:
                for mode in modes:
                    row(load, f"{path.stem[:2]} {mode} mode (s)",
                        {n: notebook_seconds(path, mode == "fast", n, args.timeout) for n in counts})
    print(f"\n'as found': the machine as it was (load average {os.getloadavg()[0]:.1f} at the end); '+ {cpus} busy': "
          f"{cpus} busy processes (one per CPU) beside the measurement. Timings on a shared machine are noisy.")


if __name__ == "__main__":
    main()
