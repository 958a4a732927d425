"""The explorers of notebooks 01 and 02 build headless, and moving a control redraws the figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import widgets  # noqa: E402
from course_utils.data import make_blobs  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_neuron_playground_builds_and_follows_its_sliders():
    X, y = make_blobs(n=80, seed=0)
    box = widgets.neuron_playground(X, y)
    assert set(box.controls) == {"W1", "W2", "b", "activation"}
    before_title, before_line = box.ax.get_title(), box.ax.lines[-1].get_xydata().copy()
    assert "sigmoid" in before_title

    box.controls["W1"].value = -2.0
    assert box.ax.get_title() != before_title and "W = (-2, 1)" in box.ax.get_title()
    assert not np.allclose(box.ax.lines[-1].get_xydata(), before_line)  # the line turned

    box.controls["b"].value = 1.5
    line = box.ax.lines[-1].get_xydata()
    assert np.allclose(line @ np.array([-2.0, 1.0]) + 1.5, 0.0)  # the drawn line is xW + b = 0

    old = box.ax.get_title()
    box.controls["activation"].value = "relu"
    assert box.ax.get_title().startswith("relu") and box.ax.get_title() != old


def test_neuron_playground_accuracy_in_title_matches():
    X, y = make_blobs(n=80, seed=3)
    box = widgets.neuron_playground(X, y, W=(1.0, 1.0), b=0.0)
    box.controls["W2"].value = -1.0
    acc = np.mean((X @ np.array([1.0, -1.0]) > 0) == (y == 1))
    assert f"accuracy {acc:.0%}" in box.ax.get_title()


def test_loss_explorer_builds_and_follows_its_controls():
    box = widgets.loss_explorer(z=1.0, y_true=1)
    assert set(box.controls) == {"z", "y_true"}
    before = box.axes[1].get_title()
    dots_before = box.axes[1].lines[2].get_ydata().copy()
    box.controls["z"].value = -3.0
    assert box.axes[1].get_title() != before and "z = -3.00" in box.axes[1].get_title()
    assert not np.allclose(box.axes[1].lines[2].get_ydata(), dots_before)
    box.controls["y_true"].value = 0
    assert box.axes[0].get_title().startswith("true label 0")


def test_explorers_fall_back_to_static_figures_without_ipywidgets(monkeypatch, capsys):
    """Without ipywidgets each explorer draws its figure for the values it was given, and says so."""
    import sys

    monkeypatch.setitem(sys.modules, "ipywidgets", None)  # `import ipywidgets` now raises ImportError
    X, y = make_blobs(n=20, seed=0)
    ax = widgets.neuron_playground(X, y, W=(2.0, -1.0), b=0.5, activation="tanh")
    acc = np.mean((X @ np.array([2.0, -1.0]) + 0.5 > 0) == (y == 1))
    assert ax.get_title().startswith("tanh") and "W = (2, -1)" in ax.get_title() and f"accuracy {acc:.0%}" in ax.get_title()
    line = ax.lines[-1].get_xydata()
    assert np.allclose(line @ np.array([2.0, -1.0]) + 0.5, 0.0)  # the boundary drawn is the one asked for
    axes = widgets.loss_explorer(z=-2.0, y_true=0)
    assert len(axes) == 2
    assert axes[0].get_title().startswith("true label 0") and "z = -2.00" in axes[1].get_title()
    p = 1 / (1 + np.exp(2.0))
    assert f"MSE = {p ** 2:.3f}" in axes[1].get_title()  # (p - 0)^2 at the given logit
    assert capsys.readouterr().out.count("ipywidgets is not installed") == 2
