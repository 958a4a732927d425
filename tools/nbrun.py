"""Execute a notebook in a fresh kernel: the one runner behind grade.py, build_html.py and
build_slides.py.

It is nbclient's NotebookClient with one fix. nbclient waits for a cell's reply with a single
asyncio poll lasting the whole cell timeout; under load that poll can miss the wake-up
(seen here after ipywidgets cells, and reported as jupyter/nbclient#312), and the run then
stalls until the timeout although the reply has arrived. Polling in one-second steps
bounds such a stall to a second.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from queue import Empty

from nbclient import NotebookClient

STEP = 1.0  # seconds


def _in_steps(get_msg):
    async def get_msg_in_steps(timeout=None):
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            step = STEP if deadline is None else max(0.0, min(STEP, deadline - time.monotonic()))
            try:
                return await get_msg(timeout=step)
            except Empty:
                if deadline is not None and time.monotonic() >= deadline:
                    raise

    return get_msg_in_steps


class Client(NotebookClient):
    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        for channel in (kc.shell_channel, kc.iopub_channel):
            channel.get_msg = _in_steps(channel.get_msg)
        return kc


def execute(nb, folder: Path, *, timeout: int = 1200, fast: bool = True, allow_errors: bool = False):
    """Run every cell of ``nb`` in place, in a fresh kernel started in ``folder``.

    ``fast`` sets COURSE_FAST=1 (else 0) for the kernel. Raises nbclient's
    ``CellExecutionError`` at the first failing cell unless ``allow_errors``.
    """
    client = Client(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                    resources={"metadata": {"path": str(folder)}})
    client.execute(env={**os.environ, "COURSE_FAST": "1" if fast else "0"})
    return nb
