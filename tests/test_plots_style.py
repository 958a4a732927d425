"""The course style (course_utils.plots.use_course_style): sizes for projection, a palette that
survives colour-blindness, and a font that really has the Chinese glyphs.

Headless (Agg). Each test restores matplotlib's rcParams, so the style never leaks into other tests.
"""

import subprocess
import sys
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib import font_manager  # noqa: E402
from matplotlib.colors import to_rgb  # noqa: E402

from course_utils import plots  # noqa: E402

POEM = "床前明月光，疑是地上霜。"


@pytest.fixture(autouse=True)
def _restore_rcparams():
    with matplotlib.rc_context():
        yield
    plt.close("all")


def test_use_course_style_sets_projection_sizes_and_the_palette():
    applied = plots.use_course_style()
    rc = matplotlib.rcParams
    assert rc["font.size"] >= 13 and rc["xtick.labelsize"] >= 12 and rc["legend.fontsize"] >= 12
    assert rc["savefig.dpi"] >= 200
    assert rc["axes.prop_cycle"].by_key()["color"] == plots.PALETTE
    assert set(applied) >= set(plots.COURSE_STYLE)
    _, ax = plt.subplots()
    (line,) = ax.plot([0, 1], [0, 1])
    assert line.get_color().upper() == plots.OKABE_ITO["blue"].upper()
    assert ax.xaxis.get_ticklabels()[0].get_fontsize() == 12


def test_importing_plots_does_not_apply_the_style():
    code = ("import matplotlib; before = dict(matplotlib.rcParams); import course_utils.plots;"
            "assert dict(matplotlib.rcParams) == before")
    subprocess.run([sys.executable, "-c", code], check=True)


def _deuteranope(hex_colour):
    """What a deuteranope sees (Machado, Oliveira & Fernandes 2009, severity 1), in linear RGB."""
    m = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]])
    srgb = np.array(to_rgb(hex_colour))
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    return np.clip(m @ linear, 0, 1)


def test_every_palette_pair_stays_apart_for_a_deuteranope():
    # matplotlib's tab:red and tab:green, the pair issue 15 found in notebook 03, look alike
    red_green = np.linalg.norm(_deuteranope("tab:red") - _deuteranope("tab:green"))
    assert red_green < 0.1
    p = plots.PALETTE
    distances = {(a, b): np.linalg.norm(_deuteranope(a) - _deuteranope(b)) for i, a in enumerate(p) for b in p[i + 1:]}
    closest = min(distances, key=distances.get)
    assert distances[closest] > 2.5 * red_green, f"{closest} look alike to a deuteranope: {distances[closest]:.3f}"


def test_learning_curves_tell_series_apart_without_red_against_green():
    history = {"train loss": [1, 0.5], "test loss": [1.2, 0.7], "train acc": [0.5, 0.9], "test acc": [0.4, 0.8]}
    ax = plots.learning_curves(history)
    lines = ax.get_lines() + [l for a in ax.figure.axes if a is not ax for l in a.get_lines()]
    colours = [l.get_color() for l in lines]
    assert colours == plots.PALETTE[:4]
    assert [l.get_linestyle() for l in lines] == ["-", "-", "--", "--"]


def test_package_plots_use_no_red_green_pair():
    """No helper of course_utils.plots draws in matplotlib's tab:red or tab:green any more."""
    source = open(plots.__file__, encoding="utf-8").read()
    assert "tab:red" not in source and "tab:green" not in source


def test_cjk_font_has_every_glyph_of_the_poem():
    name = plots.cjk_font()
    if name is None:
        pytest.skip("no font with Chinese glyphs is installed here: apt-get install fonts-noto-cjk")
    path = font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    assert plots.has_glyphs(path, POEM), f"{name} ({path}) lacks some of {POEM}"


def test_chinese_text_renders_without_missing_glyphs():
    if plots.cjk_font() is None:
        pytest.skip("no font with Chinese glyphs is installed here: apt-get install fonts-noto-cjk")
    plots.use_course_style()
    fig, ax = plt.subplots()
    ax.set_title(POEM)
    ax.set_xlabel("参数 (parameters)")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*[Gg]lyph.*missing")
        fig.canvas.draw()  # matplotlib warns "Glyph ... missing from font(s)" when it would draw a box
    assert matplotlib.rcParams["font.family"] == ["sans-serif", plots.cjk_font()]


def test_has_glyphs_is_false_for_a_latin_only_font():
    dejavu = font_manager.findfont("DejaVu Sans")
    assert plots.has_glyphs(dejavu, "abc") and not plots.has_glyphs(dejavu, POEM)
    assert not plots.has_glyphs("/no/such/font.ttf", "a")


def test_no_cjk_font_says_once_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(plots, "CJK_FONTS", ("No Such Font",))
    monkeypatch.setattr(plots, "has_glyphs", lambda path, text: False)
    plots.cjk_font.cache_clear()
    try:
        assert plots.cjk_font() is None and plots.cjk_font() is None
        out = capsys.readouterr().out
        assert out.count("fonts-noto-cjk") == 1, out
        plots.use_course_style()  # an English notebook: quiet
        plots.use_course_style(chinese=True)  # a Chinese one: already said above, not again
        assert capsys.readouterr().out == ""
        assert matplotlib.rcParams["font.family"] == ["sans-serif"]
    finally:
        plots.cjk_font.cache_clear()


def test_a_font_installed_after_matplotlibs_cache_is_found(monkeypatch):
    """fonts-noto-cjk installed after matplotlib built its font list: the file is found on disk."""
    real = plots.cjk_font()
    if real is None:
        pytest.skip("no font with Chinese glyphs is installed here")
    path = font_manager.findfont(font_manager.FontProperties(family=real), fallback_to_default=False)
    fake = font_manager.FontManager.__new__(font_manager.FontManager)
    fake.__dict__.update(font_manager.fontManager.__dict__)
    fake.ttflist = [e for e in font_manager.fontManager.ttflist if not plots.has_glyphs(e.fname, plots.CJK_SAMPLE)]
    monkeypatch.setattr(font_manager, "fontManager", fake)
    monkeypatch.setattr(plots, "_font_path", lambda name: None)  # the cache knows no CJK family
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [path])
    plots.cjk_font.cache_clear()
    try:
        found = plots.cjk_font()
        assert found is not None and any(e.name == found and e.fname == path for e in fake.ttflist)
    finally:
        plots.cjk_font.cache_clear()
