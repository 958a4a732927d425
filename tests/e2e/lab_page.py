"""Driving a notebook in a real JupyterLab page through ``window.jupyterapp``.

JupyterLab started with ``--LabApp.expose_app_in_browser=True`` gives the page its
application object; its commands (``notebook:run-all-cells``, ``deck:start``, ...) drive
the interface more reliably than clicking menus.
"""

from __future__ import annotations

import time
from pathlib import Path

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CURRENT = "window.jupyterapp.shell.currentWidget"


class NotebookPage:
    def __init__(self, page, lab, name: str):
        base, token, _root = lab
        self.page, self.name = page, name
        # ?reset: a fresh workspace, so no state (an open deck, other tabs) leaks between tests
        page.goto(f"{base}/lab/tree/notebooks/{name}?reset&token={token}")
        page.wait_for_function(
            f"window.jupyterapp && {CURRENT} && {CURRENT}.sessionContext"
            f" && {CURRENT}.sessionContext.kernelDisplayStatus === 'idle'",
            timeout=120_000,
        )

    def command(self, name: str, args: dict | None = None):
        self.page.evaluate("([n, a]) => window.jupyterapp.commands.execute(n, a || {})", [name, args])

    def model(self) -> dict:
        """The notebook as nbformat JSON, outputs included, as the front end holds it."""
        return self.page.evaluate(f"{CURRENT}.context.model.toJSON()")

    def run_all(self, timeout: float = 300) -> dict:
        """Run every cell and wait until the kernel is idle with no cell still queued."""
        self.command("notebook:run-all-cells")
        deadline = time.monotonic() + timeout
        time.sleep(1)
        while time.monotonic() < deadline:
            busy = self.page.evaluate(
                f"{CURRENT}.sessionContext.kernelDisplayStatus !== 'idle'"
                " || document.querySelectorAll('.jp-InputPrompt').length === 0"
                " || Array.from(document.querySelectorAll('.jp-InputPrompt')).some(p => p.textContent.includes('*'))"
            )
            if not busy:
                return self.model()
            time.sleep(1)
        raise AssertionError(f"{self.name}: cells still running after {timeout:.0f} s")

    def errors(self, nb: dict) -> list[str]:
        """Every error output, as 'cell N: Name: message'."""
        found = []
        for i, cell in enumerate(nb["cells"]):
            for out in cell.get("outputs", []):
                if out.get("output_type") == "error":
                    found.append(f"cell {i}: {out.get('ename')}: {out.get('evalue')}")
        return found

    def cell_with(self, selector: str):
        """The first notebook cell (a DOM locator) whose output contains ``selector``."""
        cells = self.page.locator(".jp-Notebook .jp-Cell").filter(has=self.page.locator(selector))
        assert cells.count() > 0, f"{self.name}: no cell shows {selector!r}"
        return cells.first

    def images_in(self, cell) -> list[str]:
        return cell.locator(".jp-OutputArea img, .widget-output img").evaluate_all("els => els.map(e => e.src)")

    def nudge_slider(self, cell, presses: int = 8):
        """Move the first slider of ``cell`` with the keyboard, as a learner would."""
        handle = cell.locator(".widget-slider .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(presses):
            handle.press("ArrowRight")
            time.sleep(0.05)


def wait_for_new_image(nbpage: NotebookPage, cell, before: list[str], timeout: float = 30) -> list[str]:
    """Wait until the images in ``cell`` differ from ``before``; fail if they never do."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = nbpage.images_in(cell)
        if now and now != before:
            return now
        time.sleep(0.5)
    raise AssertionError(f"{nbpage.name}: moving the slider did not change the figure within {timeout:.0f} s")
