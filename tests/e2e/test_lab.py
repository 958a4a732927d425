"""The course as a learner sees it: real JupyterLab, real Chromium.

nbval proves the kernels run; these tests prove the page works: no cell shows an error,
widgets are live (moving a slider redraws the figure), the training progress bar renders
as a widget and finishes, and slide mode shows rendered formulas and live widgets.
"""

from __future__ import annotations

import json
import time

import pytest
from lab_page import ARTIFACTS, NotebookPage, wait_for_new_image

NEURON = "01_the_neuron.ipynb"
CNN = "08_cnn_in_pytorch.ipynb"
PLAYGROUND = ".widget-slider"


def test_neuron_notebook_runs_and_its_playground_is_live(page, lab):
    nb = NotebookPage(page, lab, NEURON)
    model = nb.run_all(timeout=240)
    assert nb.errors(model) == [], "cells show errors in the browser"
    cell = nb.cell_with(PLAYGROUND)  # the neuron playground rendered as a live widget
    before = nb.images_in(cell)
    assert before, "the playground shows no figure"
    nb.nudge_slider(cell)
    wait_for_new_image(nb, cell, before)


def test_cnn_training_progress_bar_is_a_widget_and_finishes(page, lab):
    nb = NotebookPage(page, lab, CNN)
    model = nb.run_all(timeout=420)
    assert nb.errors(model) == [], "cells show errors in the browser"
    bars = page.locator(".jp-OutputArea .widget-hprogress")
    assert bars.count() >= 1, "tqdm.auto did not render a progress-bar widget"
    # tqdm's widget is an HBox: "NN%" label, the bar, then "n/total [time]"
    rows = page.locator(".jp-OutputArea .widget-hbox").filter(has=page.locator(".widget-hprogress"))
    texts = rows.all_inner_texts()
    assert texts and all("100%" in t for t in texts), f"a progress bar did not finish: {texts!r}"
    rows.first.scroll_into_view_if_needed()  # for the screenshot saved after the test


def test_slides_show_rendered_formulas_and_live_widgets(page, lab):
    nb = NotebookPage(page, lab, NEURON)
    nb.run_all(timeout=240)
    page.evaluate("window.jupyterapp.shell.currentWidget.content.activeCellIndex = 0")  # the deck opens at the active cell
    nb.command("deck:start")
    page.wait_for_selector(".jp-deck-mod-onscreen", timeout=20_000)
    first = page.locator(".jp-deck-mod-onscreen").first
    assert first.is_visible(), "slide mode shows no first slide"
    page.wait_for_function(
        "document.querySelector('.jp-deck-mod-onscreen mjx-container') !== null", timeout=30_000
    )  # the title slide's formula, typeset by MathJax
    page.screenshot(path=str(_artifact("slides_first.png")))
    nb.command("deck:stop")
    # open the deck again at the playground's cell (the deck opens at the active cell)
    index = page.evaluate(
        "Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell'))"
        ".findIndex(c => c.querySelector('.widget-slider'))"
    )
    assert index >= 0, "no cell shows the neuron playground"
    page.evaluate(f"window.jupyterapp.shell.currentWidget.content.activeCellIndex = {index}")
    nb.command("deck:start")
    page.wait_for_function(
        "(() => { const s = document.querySelector('.jp-deck-mod-onscreen .widget-slider');"
        " return s !== null && s.getBoundingClientRect().width > 0; })()", timeout=20_000
    )
    cell = page.locator(".jp-Cell.jp-deck-mod-onscreen").filter(has=page.locator(PLAYGROUND)).first
    before = nb.images_in(cell)
    nb.nudge_slider(cell)
    wait_for_new_image(nb, cell, before)
    page.screenshot(path=str(_artifact("slides_widget.png")))
    nb.command("deck:stop")


BROKEN = {
    "cells": [
        {
            "cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
            "source": [
                "import ipywidgets as w, matplotlib.pyplot as plt\n",
                "out = w.Output()\n",
                "def draw(b):\n",
                "    with out:\n",
                "        out.clear_output(wait=True)\n",
                "        plt.plot([0, 1], [b, b_typo]); plt.show()   # bound to a name that does not exist\n",
                "slider = w.FloatSlider(value=0.0, min=-1, max=1, step=0.1)\n",
                "slider.observe(lambda ch: draw(ch['new']), names='value')\n",
                "with out:\n",
                "    plt.plot([0, 1], [0, 0]); plt.show()\n",
                "w.VBox([slider, out])\n",
            ],
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def test_a_broken_widget_is_caught(page, lab):
    """The liveness check above can fail: a slider whose callback uses an undefined name."""
    (lab[2] / "notebooks" / "zz_broken_widget.ipynb").write_text(json.dumps(BROKEN))
    nb = NotebookPage(page, lab, "zz_broken_widget.ipynb")
    nb.run_all(timeout=60)
    cell = nb.cell_with(PLAYGROUND)
    before = nb.images_in(cell)
    assert before, "the broken notebook should still draw its first figure"
    nb.nudge_slider(cell)
    with pytest.raises(AssertionError, match="did not change the figure"):
        wait_for_new_image(nb, cell, before, timeout=8)


def _artifact(name):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS / name
