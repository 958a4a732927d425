"""The learning-rate explorer builds headless, and moving its slider redraws the descent path."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils.plots import loss_surface  # noqa: E402
from course_utils.widgets import learning_rate_explorer  # noqa: E402


def bowl(w):
    return w[0] ** 2 + 5 * w[1] ** 2


def run(lr, num_steps=20):
    w = np.array([-1.5, 1.0])
    path = [w]
    for _ in range(num_steps):
        w = w - lr * np.array([2 * w[0], 10 * w[1]])
        path.append(w)
    return np.array(path)


def test_loss_surface_draws_contours_and_path_inside_limits():
    ax = loss_surface(bowl, path=run(0.05), xlim=(-2, 2), ylim=(-1.5, 1.5))
    assert ax.collections, "no contours drawn"
    assert np.allclose(ax.lines[0].get_xydata(), run(0.05))
    assert ax.get_xlim() == (-2, 2)
    plt.close(ax.figure)


def test_loss_surface_falls_back_to_point_by_point():
    """A loss written for one point at a time (float(...) fails on a grid) is evaluated point by point."""
    ax = loss_surface(lambda w: float(w[0] ** 2 + w[1] ** 2), resolution=20, log_levels=True)
    contour = next(c for c in ax.get_children() if hasattr(c, "levels"))
    levels = np.asarray(contour.levels)
    assert levels.max() == pytest.approx(8.0, rel=0.01)          # the corners of [-2, 2]^2: 2^2 + 2^2
    assert np.allclose(np.diff(np.log(levels)), np.diff(np.log(levels))[0])  # log_levels: geometric spacing
    plt.close(ax.figure)


def test_explorer_without_ipywidgets_draws_the_path_for_its_lr(monkeypatch):
    from course_utils import widgets

    monkeypatch.setattr(widgets, "_ipywidgets", lambda: None)
    ax = learning_rate_explorer(bowl, run, lr=0.05)
    assert np.allclose(ax.lines[0].get_xydata(), run(0.05))
    assert "lr = 0.05" in ax.get_title() and f"{bowl(run(0.05)[-1]):.3g}" in ax.get_title()
    plt.close(ax.figure)


def test_explorer_builds_headless_and_slider_moves_the_path():
    box = learning_rate_explorer(bowl, run, lr=0.01, lr_range=(1e-3, 0.3))
    before = box.line.get_xydata().copy()
    assert np.allclose(before, run(0.01))
    box.slider.value = 0.15
    after = box.line.get_xydata()
    assert np.allclose(after, run(0.15)) and not np.allclose(before, after)
    assert "0.15" in box.line.axes.get_title()
    plt.close(box.fig)
