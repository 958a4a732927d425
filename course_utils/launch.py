"""Starting ``torchrun`` from a notebook without ever hanging it or leaving processes behind.

Notebook 10 runs ``course_utils/ddp_train.py`` (``DDP_SCRIPT``) in two processes with
``torchrun(DDP_SCRIPT, 2, "--workdir", folder)``. What a launcher needs and a lesson does not:

- a **free port** on 127.0.0.1 for the processes to meet on (the system picks it: bind to port 0);
- its **own process group** (``start_new_session``), so that one signal reaches torchrun and every
  worker it started;
- a **timeout**, and a **stop** that sends SIGTERM to the group (torchrun passes it on to its
  workers) and SIGKILL if they are still there 15 s later, whatever ends the wait: the timeout,
  an error, or the notebook's stop button (KeyboardInterrupt);
- the output in a **temporary file**, not a pipe: a stuck worker filling a pipe cannot block us.

Nothing happens at import. Works wherever the package is installed (Colab, Binder), since the
script is found next to this file, not in the current folder.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DDP_SCRIPT = Path(__file__).with_name("ddp_train.py")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that is free now (the operating system picks it when we bind to port 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, grace: float = 15.0) -> None:
    """End ``proc`` and everything in its process group: SIGTERM first, SIGKILL after ``grace`` seconds."""
    if proc.poll() is not None:
        return
    if hasattr(os, "killpg"):  # Linux, macOS
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:  # it ended in the meantime
            pass
    else:
        proc.kill()
    proc.wait()


def torchrun(script, nproc: int, *args, timeout: float = 120, threads: int = 1) -> str:
    """Run ``script`` in ``nproc`` processes with torchrun on this machine; returns its output.

    Raises ``RuntimeError`` with the end of the output when it fails, and when it does not finish
    within ``timeout`` seconds (its processes are stopped first). ``threads``: PyTorch threads per
    process (``OMP_NUM_THREADS``), 1 so that ``nproc`` processes use ``nproc`` cores.
    """
    command = [sys.executable, "-m", "torch.distributed.run", f"--nproc-per-node={nproc}", "--nnodes=1",
               "--master-addr=127.0.0.1", f"--master-port={free_port()}", str(script), *map(str, args)]
    env = {**os.environ, "OMP_NUM_THREADS": str(threads)}
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True, env=env,
                                start_new_session=True)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise RuntimeError(f"torchrun did not finish within {timeout} s; its processes were stopped.") from None
        finally:
            stop(proc)  # does nothing if it has finished; else (timeout, interrupt) ends it and its workers
        log.seek(0)
        output = log.read()
    if proc.returncode != 0:
        raise RuntimeError(f"torchrun failed (exit code {proc.returncode}); its last output:\n{output[-3000:]}")
    print(f"torchrun with {nproc} process{'es' if nproc > 1 else ''}: done in {time.perf_counter() - started:.1f} s")
    return output
