"""Fixtures for the end-to-end tests: a real JupyterLab server and Debian's headless Chromium.

The server runs on 127.0.0.1 on a free port with a random token (never without
authentication), on a temporary copy of the notebooks (so autosave cannot write outputs
into the committed files), in fast mode. Server and browser are stopped even when a test
fails. Screenshots go to test-artifacts/e2e/ (ignored by git).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from lab_page import ARTIFACTS

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/lib/chromium/chromium"))
# Flags for a closed network: without the background-networking ones Chromium keeps
# trying to reach Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
    reason = None
    if not CHROMIUM.is_file():
        reason = f"Chromium not installed at {CHROMIUM}: `apt-get install chromium`, then `make test-e2e`"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            reason = "playwright not installed: `make test-e2e` installs it (tests/e2e/requirements.txt)"
    if reason:
        for item in items:
            if "e2e" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """A running JupyterLab: yields ``(base_url, token, root_dir)``."""
    root = tmp_path_factory.mktemp("lab")
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = root / "settings" / "@jupyterlab" / "apputils-extension"
    settings.mkdir(parents=True)
    # no "get notified about Jupyter news?" pop-up over the screenshots
    (settings / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))
    # every cell in the page, not only those scrolled into view, so the tests can find outputs
    tracker = root / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    port, token = _free_port(), secrets.token_hex(16)
    env = dict(os.environ, COURSE_FAST="1", COURSE_OFFLINE="1", JUPYTERLAB_SETTINGS_DIR=str(root / "settings"))
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", f"--ServerApp.port={port}",
        "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", "--ServerApp.port_retries=0",
        f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
        f"--LabApp.workspaces_dir={root / 'workspaces'}",  # never the user's own saved layouts
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")
    log = open(root / "lab.log", "w")
    proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"JupyterLab did not start; log:\n{(root / 'lab.log').read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, token, root
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and the kernels it started
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser, request):
    """A fresh page; its screenshot is saved under test-artifacts/e2e/ whatever the outcome."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    pg = context.new_page()
    try:
        yield pg
    finally:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        try:
            pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
        finally:
            context.close()


@pytest.fixture(scope="session")
def vendored():
    """reveal.js and MathJax in build/vendor/, which the decks and the site load (tools/vendor_js.py).

    Installing them takes the npm registry, which tests never reach: without them the deck
    and site tests are skipped, saying how to install them once.
    """
    sys.path.insert(0, str(ROOT / "tools"))
    import vendor_js

    if not vendor_js.installed():
        pytest.skip("reveal.js and MathJax are not in build/vendor/: run `python tools/vendor_js.py` "
                    "(or `make slides`) once, with npm and access to the npm registry")
