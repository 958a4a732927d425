"""The first shared figures in course_utils.plots: image_grid, learning_curves, confusion_matrix,
parameter_scale.

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


MODELS = [("GPT-3", 175_000_000_000, "quoted"), ("one neuron", 785, "counted"),
          ("the source text's CNN", 225_034, "counted"), ("Inception-v3", 23_851_784, "quoted"),
          ("MLP 784-128-10", 101_770, "counted")]


def _bars_bottom_to_top(ax):
    """(tick label, right edge) of each bar, read back from what was drawn, lowest bar first."""
    bars = sorted(ax.containers[0], key=lambda bar: bar.get_y())
    labels = {round(tick): label.get_text() for tick, label in zip(ax.get_yticks(), ax.get_yticklabels())}
    return [(labels[round(bar.get_y() + bar.get_height() / 2)], bar.get_x() + bar.get_width()) for bar in bars]


def test_parameter_scale_reads_small_at_the_bottom_to_large_at_the_top():
    ax = plots.parameter_scale(MODELS)
    drawn = _bars_bottom_to_top(ax)
    assert [name for name, _ in drawn] == ["one neuron", "MLP 784-128-10", "the source text's CNN",
                                           "Inception-v3", "GPT-3"]
    ends = [end for _, end in drawn]
    assert ends == sorted(ends)
    np.testing.assert_allclose(ends, [785, 101_770, 225_034, 23_851_784, 175e9])
    assert all(bar.get_x() == 1 for bar in ax.containers[0])          # every bar starts at 10^0
    assert [t.get_text() for t in sorted(ax.texts, key=lambda t: t.get_position()[1])] == [
        "785", "102k", "225k", "23.9M", "175B"]


def test_parameter_scale_has_a_grid_line_at_every_power_of_ten():
    ax = plots.parameter_scale(MODELS)
    assert ax.get_xscale() == "log"
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    np.testing.assert_allclose(np.log10(ticks), np.arange(0, 14))     # 1, 10, ..., 10^13
    np.testing.assert_allclose(np.diff(np.log10(ticks)), 1)           # each ten times the one before
    assert hi > 175e9 * 5                                            # room for the top label
    assert len(ax.xaxis.get_minorticklocs()) == 0
    gridlines = [line for line in ax.get_xgridlines() if line.get_visible()]
    assert len(gridlines) == len(ticks)
    assert "10×" in ax.get_xlabel()


def test_parameter_scale_tells_quoted_from_counted_by_hatching_and_color():
    ax = plots.parameter_scale(MODELS)
    bars = sorted(ax.containers[0], key=lambda bar: bar.get_y())
    hatches = [bar.get_hatch() or "" for bar in bars]
    assert hatches == ["", "", "", "//", "//"]
    colors = {matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars[:3]}, \
        {matplotlib.colors.to_hex(bar.get_facecolor()) for bar in bars[3:]}
    assert colors == ({plots.OKABE_ITO["blue"].lower()}, {plots.OKABE_ITO["orange"].lower()})
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["counted in the notebook", "published figure (quoted)"]
    only_counted = plots.parameter_scale([("a", 10, "counted"), ("b", 100, "counted")])
    assert [t.get_text() for t in only_counted.get_legend().get_texts()] == ["counted in the notebook"]


def test_parameter_scale_places_a_new_model_and_highlights_it():
    tiny_gpt = ("tiny GPT", 800_000, "counted")
    ax = plots.parameter_scale(MODELS + [tiny_gpt], highlight="tiny GPT")
    names = [name for name, _ in _bars_bottom_to_top(ax)]
    assert names.index("tiny GPT") == names.index("the source text's CNN") + 1
    bar = sorted(ax.containers[0], key=lambda bar: bar.get_y())[names.index("tiny GPT")]
    assert bar.get_linewidth() == 2.0 and matplotlib.colors.to_hex(bar.get_edgecolor()) == "#000000"
    bold = [label.get_text() for label in ax.get_yticklabels() if label.get_fontweight() == "bold"]
    assert bold == ["tiny GPT"]
    two = plots.parameter_scale(MODELS, highlight=["GPT-3", "one neuron"])
    assert sorted(label.get_text() for label in two.get_yticklabels() if label.get_fontweight() == "bold") == [
        "GPT-3", "one neuron"]


def test_parameter_scale_on_given_axes_with_kwargs_and_bad_input():
    _, ax = plt.subplots()
    out = plots.parameter_scale(MODELS, ax=ax, height=0.4)
    assert out is ax and len(ax.figure.axes) == 1
    assert all(abs(bar.get_height() - 0.4) < 1e-12 for bar in ax.containers[0])
    with pytest.raises(ValueError, match="'counted' or 'quoted'"):
        plots.parameter_scale([("x", 10, "measured")])
    with pytest.raises(ValueError, match="at least 1"):
        plots.parameter_scale([("x", 0, "counted")])
    with pytest.raises(ValueError, match="at least one"):
        plots.parameter_scale([])
    with pytest.raises(ValueError, match="highlight names no model"):
        plots.parameter_scale(MODELS, highlight="GPT-4")


def test_short_count():
    assert [plots.short_count(n) for n in (7, 785, 100_480, 23_851_784, 175e9, 1.5e12)] == [
        "7", "785", "100k", "23.9M", "175B", "1.5T"]


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
