"""Notebook 07's figures and kernel explorer, headless."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from course_utils import plots, widgets  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def digit():
    img = np.zeros((28, 28))
    img[5:23, 12:16] = 255.0  # a "1": one vertical stroke
    return img


def test_feature_maps_centres_signed_maps_on_zero():
    maps = [np.array([[-1.0, 3.0]]), np.array([[0.0, 0.5]]), np.zeros((2, 2))]
    axes = plots.feature_maps(maps, titles=["a", "b", "c"], ncols=2)
    assert axes.shape == (2, 2)
    flat = axes.ravel()
    assert flat[0].images[0].get_clim() == (-3.0, 3.0)
    assert flat[1].images[0].get_clim() == (-0.5, 0.5)
    assert flat[2].images[0].get_clim() == (-1.0, 1.0)  # all zero: no division by zero
    assert flat[0].get_title() == "a" and not flat[3].images


def test_kernel_values_writes_every_weight():
    ax = plots.kernel_values(np.arange(9).reshape(3, 3) - 4)
    assert sorted(t.get_text() for t in ax.texts) == sorted(str(v) for v in range(-4, 5))


def test_explorer_builds_and_a_typed_weight_changes_the_map():
    box = widgets.kernel_explorer(digit())
    assert len(box.boxes) == 3 and all(len(row) == 3 for row in box.boxes)
    before = np.array(box.map_image.get_array())
    assert before.shape == (28, 28)
    box.boxes[1][1].value = box.boxes[1][1].value + 2.0  # the center weight
    after = np.array(box.map_image.get_array())
    # the center weight adds 2 * the (scaled) pixel itself to the map
    np.testing.assert_allclose(after - before, 2.0 * digit() / 255.0, atol=1e-12)


def test_explorer_preset_fills_the_boxes_and_redraws():
    box = widgets.kernel_explorer(digit(), presets={"identity": np.pad([[1.0]], 1),
                                                    "blur": np.full((3, 3), 1 / 9)})
    np.testing.assert_allclose(box.map_image.get_array(), digit() / 255.0)  # identity: the image itself
    box.preset.value = "blur"
    assert box.boxes[0][0].value == pytest.approx(1 / 9)
    blurred = np.array(box.map_image.get_array())
    assert 0 < blurred[14, 11] < 1 and 0 < blurred[14, 12] < 1  # the stroke's edge is spread out


def test_explorer_vertical_edge_answers_on_the_stroke_sides():
    box = widgets.kernel_explorer(digit())  # first preset: vertical edge
    fmap = np.array(box.map_image.get_array())
    row = fmap[14]
    assert row[11] < 0 < row[16] or row[11] > 0 > row[16]  # opposite signs on the two sides
    assert abs(row[13]) < 1e-12 or abs(row[13]) < abs(row[11])


def test_explorer_rejects_a_kernel_that_is_not_3x3():
    with pytest.raises(ValueError, match="3x3"):
        widgets.kernel_explorer(digit(), kernel=np.ones((5, 5)))


def test_explorer_without_ipywidgets_shows_the_map_of_its_kernel(monkeypatch):
    monkeypatch.setattr(widgets, "_ipywidgets", lambda: None)
    kernel = np.array([[0.0, 0, 0], [0, 0, 1.0], [0, 0, 0]])   # reads the right neighbor: the image moved left
    axes = widgets.kernel_explorer(digit(), kernel=kernel)
    fmap = np.asarray(axes[2].images[0].get_array())
    np.testing.assert_allclose(fmap[:, :-1], digit()[:, 1:] / 255.0)
    assert [t.get_text() for t in axes[1].texts].count("1") == 1
