"""The first shared figures in course_utils.plots: image_grid, learning_curves, confusion_matrix.

Headless (Agg). Each helper returns what it drew on; importing course_utils changes no rcParams.
"""

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_image_grid_lays_out_and_labels():
    images = np.random.default_rng(0).integers(0, 256, (23, 28, 28), dtype=np.uint8)
    axes = plots.image_grid(images, labels=np.arange(23) % 10, ncols=10, title="digits")
    assert axes.shape == (3, 10)
    flat = axes.ravel()
    assert all(len(ax.images) == 1 for ax in flat[:23]) and all(len(ax.images) == 0 for ax in flat[23:])
    assert flat[12].get_title() == "2"
    np.testing.assert_array_equal(flat[5].images[0].get_array(), images[5])
    assert flat[0].figure._suptitle.get_text() == "digits"


def test_image_grid_few_images_and_given_axes():
    axes = plots.image_grid(np.zeros((3, 8, 8)))
    assert axes.shape == (1, 3) and axes[0, 0].get_title() == ""
    _, given = plt.subplots(2, 2)
    out = plots.image_grid(np.ones((4, 8, 8)), labels=list("abcd"), axes=given, cmap="viridis")
    assert out is given and given[1, 1].get_title() == "d" and given[1, 1].images[0].get_cmap().name == "viridis"


def test_learning_curves_put_accuracy_on_a_second_axis():
    history = {"train loss": [1.0, 0.5, 0.3], "test loss": [1.1, 0.7, 0.6], "test acc": [0.5, 0.8, 0.9]}
    ax = plots.learning_curves(history, title="run")
    assert [line.get_label() for line in ax.get_lines()] == ["train loss", "test loss"]
    np.testing.assert_array_equal(ax.get_lines()[0].get_xdata(), [1, 2, 3])
    twins = [a for a in ax.figure.axes if a is not ax]
    assert len(twins) == 1 and twins[0].get_ylabel() == "accuracy"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["train loss", "test loss", "test acc"]
    assert ax.get_title() == "run" and ax.get_xlabel() == "epoch"


def test_learning_curves_on_given_axes_with_kwargs():
    _, ax = plt.subplots()
    out = plots.learning_curves({"loss": [3, 2, 1]}, ax=ax, xlabel="step", linewidth=3)
    assert out is ax and len(ax.figure.axes) == 1 and ax.get_lines()[0].get_linewidth() == 3
    assert ax.get_xlabel() == "step"


def test_confusion_counts_are_right():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2])
    counts = plots.confusion_counts(y_true, y_pred, num_classes=3)
    assert counts.tolist() == [[1, 1, 0], [0, 2, 1], [0, 0, 1]]
    assert counts.dtype == np.int64 and counts.sum() == len(y_true)
    with pytest.raises(ValueError, match="differ in length"):
        plots.confusion_counts([0, 1], [0])


def test_confusion_counts_on_random_labels():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    counts = plots.confusion_counts(y_true, y_pred)
    for i, j in [(0, 0), (3, 7), (9, 2)]:
        assert counts[i, j] == np.sum((y_true == i) & (y_pred == j))
    assert np.trace(counts) == np.sum(y_true == y_pred)


def test_confusion_matrix_draws_the_numbers():
    y_true = np.array([0, 0, 1, 1, 1, 2])
    y_pred = np.array([0, 1, 1, 1, 2, 2])
    ax = plots.confusion_matrix(y_true, y_pred, num_classes=3)
    assert sorted(t.get_text() for t in ax.texts) == ["1", "1", "1", "1", "2"]  # one text per nonzero cell
    np.testing.assert_array_equal(ax.images[0].get_array(), plots.confusion_counts(y_true, y_pred, 3))
    assert ax.get_xlabel() == "predicted" and ax.get_ylabel() == "true"
    _, given = plt.subplots()
    assert plots.confusion_matrix(y_true, y_pred, num_classes=3, ax=given) is given


def test_importing_course_utils_changes_no_rcparams():
    code = (
        "import matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt;"
        "before = dict(matplotlib.rcParams);"
        "import course_utils.plots, course_utils.widgets, course_utils.data, course_utils.checks;"
        "after = dict(matplotlib.rcParams);"
        "changed = [k for k in before if before[k] != after[k]];"
        "assert not changed, changed"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
