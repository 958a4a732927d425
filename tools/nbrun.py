"""Execute a notebook in a fresh kernel: the one runner behind grade.py, execute_all.py (the
decks and the site) and translate.py.

It is nbclient's NotebookClient with two additions.

- nbclient waits for a cell's reply with a single asyncio poll lasting the whole cell timeout;
  under load that poll can miss the wake-up (seen here after ipywidgets cells, and reported as
  jupyter/nbclient#312), and the run then stalls until the timeout although the reply has
  arrived. Polling in one-second steps bounds such a stall to a second.
- With ``interrupt_on_timeout`` (what the grader uses) a cell that runs past the timeout is
  interrupted, gets an error output saying so, and the run goes on with the next cell. nbclient
  alone would, after interrupting, wait again and again for a kernel that ignores the interrupt;
  here a kernel that has not stopped ``STUCK_AFTER`` seconds after the interrupt is stuck, and
  the run stops with ``KernelStuck``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from queue import Empty

from nbclient import NotebookClient
from nbformat.v4 import new_output

STEP = 1.0  # seconds
STUCK_AFTER = 10  # seconds an interrupted cell has to stop before the kernel counts as stuck
TIMEOUT_ERROR = "CellTimeout"  # the ename of the error output a timed-out cell gets


class KernelStuck(RuntimeError):
    """A cell ran past the timeout and did not stop when interrupted."""


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


def _interrupting(client: NotebookClient, timeout: int) -> None:
    """Make ``client`` interrupt a cell after ``timeout`` s, note it in the cell's outputs and go
    on; or raise ``KernelStuck`` when the kernel has not stopped ``STUCK_AFTER`` s later."""

    async def on_cell_executed(cell, execute_reply, **_):
        if execute_reply["content"].get("ename") != TIMEOUT_ERROR:
            return
        cell.outputs.append(new_output("error", ename=TIMEOUT_ERROR, traceback=[],
                                       evalue=f"ran more than {timeout} s and was interrupted"))
        try:  # the interrupted cell's own reply arrives once the kernel has stopped it
            await client.kc.shell_channel.get_msg(timeout=STUCK_AFTER)
        except Empty:
            raise KernelStuck("a cell ran past the time limit and the kernel did not stop when "
                              "interrupted; the cells after it were not run") from None

    client.interrupt_on_timeout = True
    client.error_on_timeout = {"ename": TIMEOUT_ERROR, "evalue": f"ran more than {timeout} s", "traceback": []}
    client.on_cell_executed = on_cell_executed


def execute(nb, folder: Path, *, timeout: int = 1200, fast: bool = True, allow_errors: bool = False,
            interrupt_on_timeout: bool = False):
    """Run every cell of ``nb`` in place, in a fresh kernel started in ``folder``.

    ``fast`` sets COURSE_FAST=1 (else 0) for the kernel. Raises nbclient's
    ``CellExecutionError`` at the first failing cell unless ``allow_errors``, and its
    ``CellTimeoutError`` at the first cell that runs more than ``timeout`` seconds unless
    ``interrupt_on_timeout`` (then ``KernelStuck`` if the kernel ignores the interrupts).
    """
    client = Client(nb, timeout=timeout, kernel_name="python3", allow_errors=allow_errors,
                    resources={"metadata": {"path": str(folder)}})
    if interrupt_on_timeout:
        _interrupting(client, timeout)
    client.execute(env={**os.environ, "COURSE_FAST": "1" if fast else "0"})
    return nb
