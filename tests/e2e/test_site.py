"""The course's website (`make site`) in Debian's headless Chromium with the network blocked:
the home page's sidebar, a notebook's page (launch buttons, previous/next, a folded solution,
typeset maths, a figure), and a search that finds pages. The site is built in fast mode from
tools/execute_all.py's executed copies and served from 127.0.0.1, as any static server would.
Screenshots go to test-artifacts/site/.
"""

from __future__ import annotations

import functools
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from deck_walk import RAW_MATHS
from lab_page import ARTIFACTS
from offline import block_network

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools"))
import build_site  # noqa: E402
import execute_all  # noqa: E402

SHOTS = ARTIFACTS.parent / "site"
NOTEBOOKS = [p.stem for p in execute_all.COURSE]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def site(vendored, tmp_path_factory):
    """The built site served on 127.0.0.1: yields its base URL."""
    out = tmp_path_factory.mktemp("site")
    start = time.perf_counter()
    result = build_site.build(out, fast=True)
    print(f"site built in {time.perf_counter() - start:.0f} s")
    assert result["returncode"] == 0, "sphinx-build failed; its messages are above"
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def offline_page(browser, request):
    """A page whose requests outside the machine are refused; the test asserts there were none."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    refused = block_network(context)
    page = context.new_page()
    try:
        yield page, refused
    finally:
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / f"{request.node.name}.png"))
        context.close()


def _typeset(page):
    page.wait_for_function("window.MathJax && MathJax.startup && MathJax.startup.promise", timeout=30_000)
    page.evaluate("MathJax.startup.promise")


def test_home_page_lists_every_notebook_in_the_sidebar(site, offline_page):
    page, refused = offline_page
    page.goto(f"{site}/index.html")
    links = page.locator(".bd-sidebar-primary a.reference.internal")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    for name in NOTEBOOKS:
        assert any(f"notebooks/{name}.html" in h for h in hrefs), f"{name} missing from the sidebar: {hrefs}"
    links.filter(has_text="The neuron").first.click()
    page.wait_for_url("**/notebooks/01_the_neuron.html")
    assert not refused, refused


def test_a_notebook_page_launches_folds_typesets_and_shows_figures(site, offline_page):
    page, refused = offline_page
    page.goto(f"{site}/notebooks/01_the_neuron.html")
    _typeset(page)
    hrefs = page.eval_on_selector_all("a", "as => as.map(a => a.href)")
    path = "notebooks/01_the_neuron.ipynb"
    assert f"https://mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/{path}" in hrefs, "no Binder button"
    assert f"https://colab.research.google.com/github/OWNER/REPO/blob/main/{path}" in hrefs, "no Colab button"
    assert page.locator("a.left-prev").get_attribute("href").endswith("00_what_is_a_large_model.html")
    assert page.locator("a.right-next").get_attribute("href").endswith("02_loss.html")
    folded = page.locator("details.above-input")
    assert folded.count() >= 2, "the solutions are not folded"
    assert "Show the solution" in folded.first.inner_text() and folded.first.get_attribute("open") is None
    article = page.locator("article.bd-article")
    assert article.locator("mjx-container").count() >= 10, "formulas are not typeset"
    raw = page.evaluate(f"""() => {{
        const w = document.createTreeWalker(document.querySelector("article"), NodeFilter.SHOW_TEXT), found = [];
        for (let t = w.nextNode(); t; t = w.nextNode())
            if (!t.parentElement.closest("pre, code, script, style, mjx-container") && {RAW_MATHS}.test(t.textContent))
                found.push(t.textContent.slice(0, 60));
        return found; }}""")
    assert not raw, f"TeX left untypeset: {raw[:5]}"
    figures = article.locator(".cell_output img")
    assert figures.count() >= 3
    assert all(figures.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(figures.count()))
    assert not refused, refused


def test_search_finds_pages(site, offline_page):
    page, refused = offline_page
    page.goto(f"{site}/search.html?q=backpropagation")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=30_000)
    names = [results.nth(i).inner_text() for i in range(results.count())]
    assert any("Backpropagation" in n for n in names), names
    assert not refused, refused
