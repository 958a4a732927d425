"""Run every benchmark and write benchmarks/RESULTS.md (make bench).

Each benchmark is a script that prints its figures (medians with min–max); this runner
records the machine, the date and each script's output, and how long each took.
These are benchmarks, not tests: they assert nothing and never run under `make test`.
"""

from __future__ import annotations

import datetime
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = [
    ("The source text's Keras recipe against the course's training", ["keras_vs_course.py"]),
    ("Against the machine's limit", ["machine_limit.py"]),
    ("Notebook 12's GPT: training tokens per second against the machine's limit", ["gpt_speed.py"]),
    ("Notebook 13's scaling sweep: its training time and FLOP/s against the machine's limit", ["scaling_sweep.py"]),
    ("The NumPy MLP of notebook 05 against the same MLP in PyTorch", ["mlp_numpy_vs_torch.py"]),
    ("The course under test: seconds per notebook", ["notebook_times.py"]),
    ("Binder mode (full mode, CPU, bundled MNIST): time and peak memory per notebook", ["notebook_memory.py"]),
    ("Threads: the libraries' default against session.start's choice, idle and loaded", ["threads.py"]),
    ("The full 60,000 MNIST training images on this CPU (notebooks 05 and 08)", ["full_set_time.py"]),
    ("Mutation testing: do the unit tests fail when course_utils is wrong?", ["mutation.py"]),
]


def machine() -> str:
    import numpy
    import torch

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    gpu = torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none"
    return (f"{cpu}, {os.cpu_count()} cores, GPU: {gpu}; Python {platform.python_version()}, "
            f"torch {torch.__version__}, numpy {numpy.__version__}")


def main():
    lines = ["# Benchmark results", "",
             f"- Date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
             f"- Machine: {machine()}",
             "- Written by `make bench` (benchmarks/run_all.py). Figures are medians with min–max.", ""]
    for title, cmd in SCRIPTS:
        print(f"== {title}", flush=True)
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, str(HERE / cmd[0]), *cmd[1:]], capture_output=True, text=True)
        took = time.perf_counter() - t0
        print(proc.stdout + proc.stderr[-2000:], flush=True)
        lines += [f"## {title}", "", f"`python benchmarks/{' '.join(cmd)}` ({took:.0f} s"
                  + ("" if proc.returncode == 0 else f", exit status {proc.returncode}") + ")", ""]
        out = proc.stdout.strip() or proc.stderr.strip()[-2000:]
        lines += (out.splitlines() if out.startswith("|") else ["```", out, "```"]) + [""]
    (HERE / "RESULTS.md").write_text("\n".join(lines))
    print(f"wrote {HERE / 'RESULTS.md'}")


if __name__ == "__main__":
    main()
