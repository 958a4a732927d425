"""Figures for notebooks 01 and 02: function_and_derivative, decision_boundary,
neuron_boundary, binary_losses. Headless (Agg); each returns what it drew on."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plots  # noqa: E402
from course_utils.data import make_blobs, make_spirals  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_function_and_derivative_draws_both_curves_on_given_axes():
    _, ax = plt.subplots()
    x = np.linspace(-2, 2, 11)
    out = plots.function_and_derivative(np.tanh, lambda z: 1 - np.tanh(z) ** 2, x=x, ax=ax, name="tanh", lw=3)
    assert out is ax
    f_line, df_line = ax.lines[-2:]
    assert np.allclose(f_line.get_ydata(), np.tanh(x))
    assert np.allclose(df_line.get_ydata(), 1 - np.tanh(x) ** 2)
    assert f_line.get_linewidth() == 3  # keyword arguments reach matplotlib
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["tanh(z)", "tanh'(z)"]


def test_function_and_derivative_default_grid():
    ax = plots.function_and_derivative(np.sin, np.cos)
    assert len(ax.lines[-1].get_xdata()) == 401


def test_decision_boundary_with_probabilities_draws_the_half_line():
    X, y = make_blobs(n=60, seed=1)
    ax = plots.decision_boundary(lambda P: 1 / (1 + np.exp(-(P[:, 0] + P[:, 1]))), X, y, resolution=50, title="t")
    assert len(ax.collections) >= 3  # shading, the 0.5 contour, the points
    assert ax.get_title() == "t"
    lo, hi = ax.get_xlim()
    assert lo < X[:, 0].min() and hi > X[:, 0].max()
    n_without = len(plots.decision_boundary(lambda P: 1 / (1 + np.exp(-P[:, 0])), X, y, resolution=50,
                                            boundary=False).collections)
    assert n_without == len(ax.collections) - 1


def test_decision_boundary_with_class_ids_works_for_three_classes():
    X, y = make_spirals(n_per_class=20, n_classes=3, seed=0)
    calls = []

    def predict(P):
        calls.append(P.shape)
        return (np.arctan2(P[:, 1], P[:, 0]) > 0).astype(int) + (P[:, 0] > 0.5)

    ax = plots.decision_boundary(predict, X, y, resolution=30)
    assert calls == [(900, 2)]  # one call on the whole grid
    assert ax.collections


def test_neuron_boundary_title_line_and_arrow():
    X, y = make_blobs(n=100, seed=0)
    ax = plots.neuron_boundary(X, y, W=(1.0, 1.0), b=0.0, activation="tanh")
    title = ax.get_title()
    expected = np.mean((X @ np.array([1.0, 1.0]) > 0) == (y == 1))
    assert title.startswith("tanh") and f"{expected:.0%}" in title
    line = ax.lines[-1].get_xydata()
    assert np.allclose(line @ np.array([1.0, 1.0]), 0.0)  # the drawn line is xW + b = 0
    assert any(t.get_text() == "W" for t in ax.texts)


def test_neuron_boundary_zero_weights_and_bad_activation():
    X, y = make_blobs(n=20, seed=0)
    ax = plots.neuron_boundary(X, y, W=(0.0, 0.0), b=1.0, activation="step")
    assert not ax.lines  # no line when W = 0
    with pytest.raises(ValueError, match="activation must be one of"):
        plots.neuron_boundary(X, y, W=(1, 1), b=0, activation="swish")


@pytest.mark.parametrize("y_true", [0, 1])
def test_binary_losses_marks_the_current_prediction(y_true):
    axes = plots.binary_losses(z=-2.0, y_true=y_true)
    p = 1 / (1 + np.exp(2.0))
    ce = -np.log(p) if y_true == 1 else -np.log(1 - p)
    dots = axes[1].lines[2].get_ydata()
    assert np.allclose(sorted(dots), sorted([(p - y_true) ** 2, ce]))
    assert f"{ce:.3f}" in axes[1].get_title()
