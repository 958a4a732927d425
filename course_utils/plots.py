"""Figures the notebooks share. Each helper takes ``ax=None``, returns what it drew on,
and passes other keyword arguments to matplotlib. Nothing here changes global state at
import; ``use_course_style()`` (called by the notebooks' first cell) sets the course's look:
font sizes readable on a projected slide, sharper inline PNGs, a color-blind-safe palette
and a font for Chinese text."""

from __future__ import annotations

import functools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager, ft2font

# Okabe & Ito's palette (Color Universal Design, 2008): eight colors that stay distinct for
# the common color-vision deficiencies. PALETTE orders them so that the first ones drawn
# differ most; yellow (weak on white) comes last but one.
OKABE_ITO = {
    "blue": "#0072B2", "orange": "#E69F00", "bluish green": "#009E73", "vermillion": "#D55E00",
    "reddish purple": "#CC79A7", "sky blue": "#56B4E9", "yellow": "#F0E442", "black": "#000000",
}
PALETTE = list(OKABE_ITO.values())

# Sizes in points; at matplotlib's 100 dpi a 13 pt label is 18 px, readable when a 6.4-inch
# figure fills half of a 1280 x 720 slide.
COURSE_STYLE = {
    "font.size": 13, "axes.titlesize": 14, "axes.labelsize": 13, "xtick.labelsize": 12,
    "ytick.labelsize": 12, "legend.fontsize": 12, "figure.titlesize": 15,
    "lines.linewidth": 2.0, "lines.markersize": 7, "axes.grid": False,
    "figure.dpi": 100, "savefig.dpi": 200, "savefig.bbox": "tight",
}

# Fonts with the Chinese glyphs of the source's terms, best first: Debian's fonts-noto-cjk,
# then what other systems ship. Any other installed font that has the glyphs also works.
CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC",
             "Heiti SC", "Noto Sans CJK JP", "Noto Sans CJK TC", "Arial Unicode MS", "Droid Sans Fallback")
CJK_SAMPLE = "床前明月光，疑是地上霜。大模型参数"
INSTALL_CJK = ("No installed font has Chinese glyphs, so Chinese labels would show as empty boxes. "
               "Install one and restart the kernel: `sudo apt-get install fonts-noto-cjk` "
               "(Debian/Ubuntu), `sudo dnf install google-noto-sans-cjk-fonts` (Fedora); "
               "Windows and macOS ship one (Microsoft YaHei, PingFang SC).")


def has_glyphs(path, text: str) -> bool:
    """True when the font file at ``path`` has its own glyph for every character of ``text``.

    A "last resort" font maps every character to one placeholder box; distinct characters
    must get distinct glyphs, so such a font does not count.
    """
    try:
        font = ft2font.FT2Font(str(path))
    except (OSError, RuntimeError, ValueError):
        return False
    chars = {ch for ch in text if not ch.isspace()}
    glyphs = {font.get_char_index(ord(ch)) for ch in chars}
    return 0 not in glyphs and len(glyphs) == len(chars)


def _font_path(name: str):
    """The file matplotlib uses for family ``name``, or None when it has no such font."""
    try:
        return font_manager.findfont(font_manager.FontProperties(family=name), fallback_to_default=False)
    except ValueError:
        return None


@functools.lru_cache(maxsize=None)
def cjk_font(sample: str = CJK_SAMPLE, quiet: bool = False) -> str | None:
    """The family name of an installed font that draws every character of ``sample``.

    Tries ``CJK_FONTS`` in order, then any font matplotlib knows, then font files on the
    system that matplotlib has not listed yet (its font cache predates a font installed
    later, e.g. ``apt-get install fonts-noto-cjk`` after the first plot): those are added to
    matplotlib's font manager for this process. Returns None when no font has the glyphs,
    after printing once what to install unless ``quiet``.
    """
    for name in CJK_FONTS:
        path = _font_path(name)
        if path and has_glyphs(path, sample):
            return name
    entries = font_manager.fontManager.ttflist
    for entry in sorted(entries, key=lambda e: e.weight not in (400, "normal", "regular")):
        if has_glyphs(entry.fname, sample):
            return entry.name
    known = {entry.fname for entry in entries}
    unlisted = [path for path in sorted(set(font_manager.findSystemFonts()) - known) if has_glyphs(path, sample)]
    for path in unlisted:  # every weight and style, so that regular text finds a regular face
        font_manager.fontManager.addfont(path)
    if unlisted:
        return cjk_font.__wrapped__(sample, quiet)  # once more, now that matplotlib lists them
    if not quiet:
        print(INSTALL_CJK)
    return None


def use_course_style(chinese: bool = False) -> dict:
    """Apply the course's look to every later figure; returns the rcParams it set.

    Font sizes for a projected slide (``COURSE_STYLE``), the Okabe-Ito color cycle, the
    sans-serif font followed by a Chinese font (``cjk_font()``) that draws the glyphs the
    first one lacks, and, in a Jupyter kernel, inline PNGs at twice the pixels ("retina"),
    so figures stay the same size on the page but sharp on a projector. Call it once, at the
    top of a notebook (``session.start`` does); importing this module changes nothing.
    ``chinese``: the notebook speaks Chinese, so say what to install when no font has the
    glyphs (an English notebook stays quiet; notebook 12 asks ``cjk_font()`` itself).
    """
    from cycler import cycler

    settings = dict(COURSE_STYLE)
    settings["axes.prop_cycle"] = cycler(color=PALETTE)
    cjk = cjk_font() if chinese else cjk_font(quiet=True)  # cjk_font() prints at most once
    # matplotlib falls back glyph by glyph along font.family (not inside the sans-serif list)
    settings["font.family"] = ["sans-serif"] + ([cjk] if cjk else [])
    matplotlib.rcParams.update(settings)
    _retina_inline_figures()
    return settings


def _retina_inline_figures() -> None:
    """In an IPython kernel with the inline backend, send PNGs at 2x resolution."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:
        return
    if get_ipython() is not None:
        set_matplotlib_formats("retina")


def _axes(ax, figsize=(5, 3.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    return ax


# How parameter_scale tells counted from quoted counts: color AND hatching, never color alone.
_PARAMETER_KINDS = {
    "counted": dict(color=OKABE_ITO["blue"], hatch="", label="counted in the notebook"),
    "quoted": dict(color=OKABE_ITO["orange"], hatch="//", label="published figure (quoted)"),
}


def short_count(n) -> str:
    """A count in a few characters: ``785``, ``225k``, ``23.9M``, ``175B``, ``1.5T``."""
    for unit, size in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= size:
            return f"{n / size:.3g}{unit}"
    return f"{n:,}"


def parameter_scale(models, ax=None, highlight=None, **kwargs):
    """Parameter counts from one neuron to GPT-3 as bars on one logarithmic axis.

    ``models``: ``(name, n_params, kind)`` entries, ``kind`` either ``"counted"`` (computed in
    a notebook) or ``"quoted"`` (a published figure). They are drawn sorted by count, so the
    chart reads bottom (smallest) to top (largest) whatever order they come in; a notebook can
    add its own model (notebook 12: its tiny GPT) and it lands in its place. The x axis has a
    tick and a grid line at every power of ten, each ten times the one before, from 1 up to a
    decade past the largest count (room for its label). Each bar is labeled with its count in
    short form (``225k``, ``175B``); quoted bars are orange and hatched, counted ones blue and
    plain, so the two differ by more than color. ``highlight``: a name, or names, to outline
    in black with bold labels. Other keyword arguments go to ``ax.barh`` (e.g. ``height``).
    Returns the axes; its bars are ``ax.containers[0]``, bottom to top.
    """
    from matplotlib.patches import Patch
    from matplotlib.ticker import NullLocator

    entries = [(str(name), int(n), kind) for name, n, kind in models]
    if not entries:
        raise ValueError("parameter_scale needs at least one (name, n_params, kind) entry")
    for name, n, kind in entries:
        if kind not in _PARAMETER_KINDS:
            raise ValueError(f"{name!r}: kind must be 'counted' or 'quoted', not {kind!r}")
        if n < 1:
            raise ValueError(f"{name!r}: a parameter count must be at least 1, not {n}")
    marked = {highlight} if isinstance(highlight, str) else set(highlight or ())
    unknown = marked - {name for name, _, _ in entries}
    if unknown:
        raise ValueError(f"highlight names no model on the chart: {sorted(unknown)}")
    entries.sort(key=lambda e: e[1])                     # stable: equal counts keep their order
    names, counts, kinds = zip(*entries)
    bold = [name in marked for name in names]

    ax = _axes(ax, figsize=(9, 1.2 + 0.38 * len(entries)))   # 6 models: 3.5 inches, fits a slide
    y = np.arange(len(entries))                          # 0 is the bottom row
    style = {"height": 0.7, "left": 1,                   # bars start at 10^0: one parameter
             "color": [_PARAMETER_KINDS[k]["color"] for k in kinds],
             "hatch": [_PARAMETER_KINDS[k]["hatch"] for k in kinds],
             "edgecolor": ["black" if b else "white" for b in bold],
             "linewidth": [2.0 if b else 0.8 for b in bold], **kwargs}
    ax.barh(y, np.array(counts, dtype=float) - 1, **style)   # from 1 to n
    for row, n, b in zip(y, counts, bold):
        ax.text(n * 1.3, row, short_count(n), va="center", fontsize="small", fontweight="bold" if b else None)
    ax.set_xscale("log")
    top = int(np.ceil(np.log10(max(counts)) + 0.9))      # about a decade to the right for the last label
    ax.set_xlim(1, 10.0 ** top)
    ax.set_xticks(10.0 ** np.arange(top + 1))           # every power of ten, not matplotlib's pick
    ax.xaxis.set_minor_locator(NullLocator())
    ax.grid(True, axis="x", which="major", alpha=0.3)
    ax.set_axisbelow(True)
    ax.set_yticks(y, names)
    for label, b in zip(ax.get_yticklabels(), bold):
        label.set_fontweight("bold" if b else "normal")
    ax.set_ylim(-0.6, len(entries) - 0.4)
    ax.set_xlabel("parameters (log scale: each grid line is 10× the one before)")
    present = [k for k in _PARAMETER_KINDS if k in kinds]
    ax.legend(handles=[Patch(facecolor=_PARAMETER_KINDS[k]["color"], hatch=_PARAMETER_KINDS[k]["hatch"],
                             edgecolor="white", label=_PARAMETER_KINDS[k]["label"]) for k in present],
              loc="lower right", fontsize="small")
    return ax


def image_grid(images, labels=None, ncols: int = 10, axes=None, title=None, cmap="gray_r", **kwargs):
    """Show ``images (N, H, W)`` in a grid, each with its label (a string or number) above.

    Returns the array of axes; pass ``axes`` (at least N of them) to draw into an existing figure.
    """
    images = np.asarray(images)
    n = len(images)
    nrows = max(1, -(-n // ncols))
    if axes is None:
        _, axes = plt.subplots(nrows, min(ncols, n), figsize=(1.1 * min(ncols, n), 1.25 * nrows), squeeze=False)
    flat = np.ravel(axes)
    for k, ax in enumerate(flat):
        ax.set_axis_off()
        if k < n:
            ax.imshow(images[k], cmap=cmap, **kwargs)
            if labels is not None:
                ax.set_title(str(labels[k]), fontsize="small")
    if title:
        flat[0].figure.suptitle(title, y=1.0, va="bottom")
    return axes


def learning_curves(history: dict, ax=None, xlabel: str = "epoch", title=None, **kwargs):
    """Plot every series in ``history`` (e.g. ``{"train loss": [...], "test loss": [...]}``).

    Series whose name contains "acc" go on a second y-axis on the right, so losses and
    accuracies share one picture without squashing each other. A ``"seconds"`` series (the
    training clock that ``training.fit`` records) is not a curve to compare and is skipped.
    Colors come from the Okabe-Ito ``PALETTE`` and accuracies are dashed, so no pair of
    series is told apart by red against green alone.
    """
    ax = _axes(ax)
    acc_ax = None
    for i, (name, values) in enumerate((k, v) for k, v in history.items() if k != "seconds"):
        values = np.asarray(values, dtype=float)
        x = np.arange(1, len(values) + 1)
        style = {"color": PALETTE[i % len(PALETTE)], **kwargs}  # one color per series, across both y-axes
        if "acc" in name.lower():
            acc_ax = acc_ax or ax.twinx()
            acc_ax.plot(x, values, "--", label=name, **style)
        else:
            ax.plot(x, values, label=name, **style)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("loss")
    handles, names = ax.get_legend_handles_labels()
    if acc_ax is not None:
        acc_ax.set_ylabel("accuracy")
        h2, n2 = acc_ax.get_legend_handles_labels()
        handles, names = handles + h2, names + n2
    if handles:
        ax.legend(handles, names, loc="center right")
    if title:
        ax.set_title(title)
    return ax


def confusion_matrix(y_true, y_hat, num_classes: int = 10, ax=None, cmap="Blues", **kwargs):
    """Counts of (true class, predicted class) as a heat map with the numbers written in.

    The diagonal holds the right answers; a bright off-diagonal cell is a pair of digits the
    model confuses. Returns the axes; the matrix itself is ``confusion_counts(...)``.
    """
    counts = confusion_counts(y_true, y_hat, num_classes)
    ax = _axes(ax, figsize=(5, 4.5))
    ax.imshow(counts, cmap=cmap, **kwargs)
    big = counts.max() / 2 if counts.size else 0
    for (i, j), c in np.ndenumerate(counts):
        if c:
            ax.text(j, i, str(c), ha="center", va="center", fontsize="x-small", color="white" if c > big else "black")
    ax.set_xticks(range(num_classes))
    ax.set_yticks(range(num_classes))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    return ax


def confusion_counts(y_true, y_hat, num_classes: int = 10) -> np.ndarray:
    """``(num_classes, num_classes)`` int array: entry ``[i, j]`` counts true ``i`` predicted ``j``."""
    y_true, y_hat = np.asarray(y_true).ravel(), np.asarray(y_hat).ravel()
    if y_true.shape != y_hat.shape:
        raise ValueError(f"y_true and y_hat differ in length: {y_true.shape} vs {y_hat.shape}")
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_hat), 1)
    return counts


def loss_surface(f, path=None, ax=None, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), levels=25, log_levels=False,
                 resolution: int = 200, cmap="viridis", path_label=None, color=OKABE_ITO["vermillion"], **kwargs):
    """Contours of a loss ``f(w)`` of two parameters, with an optional descent ``path (T, 2)`` on top.

    ``f`` reads ``w[0]`` and ``w[1]``; it is called once on a ``(2, n, n)`` grid (so write it
    with NumPy operations), and point by point if that fails. ``log_levels=True`` spaces the
    contours geometrically, which shows the floor of narrow valleys (Rosenbrock). The axis
    limits stay at ``xlim``/``ylim`` even when a diverging path leaves them. Other keyword
    arguments go to ``ax.plot`` for the path. The path is vermillion with dots over viridis
    contours (blue to green to yellow), which a red-green color-blind reader still tells apart
    by lightness and by the markers. Returns the axes.
    """
    ax = _axes(ax, figsize=(5, 4))
    xs, ys = np.linspace(*xlim, resolution), np.linspace(*ylim, resolution)
    grid = np.stack(np.meshgrid(xs, ys))
    try:
        Z = np.asarray(f(grid), dtype=float)
        if Z.shape != grid.shape[1:]:
            raise ValueError
    except Exception:
        Z = np.array([[float(f(grid[:, i, j])) for j in range(resolution)] for i in range(resolution)])
    if log_levels:
        low = max(float(Z.min()), 1e-3 * max(float(Z.max()), 1e-12))
        levels = np.geomspace(low, float(Z.max()), levels if np.isscalar(levels) else len(levels))
    ax.contour(xs, ys, Z, levels=levels, cmap=cmap, linewidths=0.8)
    if path is not None:
        path = np.asarray(path, dtype=float)
        with np.errstate(all="ignore"):
            ax.plot(path[:, 0], path[:, 1], "o-", color=color, markersize=3, linewidth=1.2, label=path_label, **kwargs)
        ax.plot(*path[0], "s", color="black", markersize=6)
        ax.plot(*path[-1], "*", color=color, markersize=12, markeredgecolor="black")
        if path_label:
            ax.legend(loc="upper right", fontsize="small")
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$w_0$")
    ax.set_ylabel("$w_1$")
    return ax


def function_and_derivative(f, df, x=None, ax=None, name: str = "f", **kwargs):
    """Draw ``f(x)`` (solid) and its derivative ``df(x)`` (dashed) on one axes.

    ``f`` and ``df`` map an array to an array of the same shape (elementwise); ``x``
    defaults to 401 points on [-5, 5]. Seeing both together shows where a function is
    flat (small derivative: slow learning) and where it is steep.
    """
    x = np.linspace(-5, 5, 401) if x is None else np.asarray(x, dtype=float)
    ax = _axes(ax, figsize=(4, 3))
    ax.axhline(0, color="0.8", lw=0.8)
    ax.axvline(0, color="0.8", lw=0.8)
    ax.plot(x, f(x), label=f"{name}(z)", **kwargs)
    ax.plot(x, df(x), "--", label=f"{name}'(z)", **kwargs)
    ax.set_xlabel("z")
    ax.set_title(name)
    ax.legend(loc="best", fontsize="small")
    return ax


def decision_boundary(predict_fn, X, y, ax=None, resolution: int = 200, margin: float = 0.5,
                      cmap="coolwarm", title=None, boundary: bool = True, **kwargs):
    """Color the plane by what ``predict_fn`` says, with the data ``X (N, 2)``, ``y (N,)`` on top.

    ``predict_fn`` maps points ``(K, 2)`` to ``(K,)``: either probabilities of class 1
    (floats in [0, 1]; the 0.5 line is drawn as the boundary) or class ids (ints; one color
    per class). Works for one neuron, a 2-layer net on spirals, anything with 2-D inputs.
    ``boundary=False`` leaves out the 0.5 line (when the caller draws its own).
    Other keyword arguments go to ``ax.scatter``. Returns the axes.
    """
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    ax = _axes(ax, figsize=(4.5, 4))
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g0, g1 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g0.ravel(), g1.ravel()])
    Z = np.asarray(predict_fn(grid)).reshape(g0.shape)
    classes = int(max(y.max(), 1)) + 1
    if np.issubdtype(Z.dtype, np.integer) or np.issubdtype(Z.dtype, np.bool_):
        classes = max(classes, int(Z.max()) + 1)
        ax.contourf(g0, g1, Z, levels=np.arange(classes + 1) - 0.5, cmap=cmap, alpha=0.35, vmin=0, vmax=classes - 1)
    else:
        ax.contourf(g0, g1, Z, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.35, vmin=0, vmax=1)
        if boundary and Z.min() < 0.5 < Z.max():
            ax.contour(g0, g1, Z, levels=[0.5], colors="k", linewidths=1.5)
    kwargs.setdefault("s", 18)
    kwargs.setdefault("edgecolors", "k")
    kwargs.setdefault("linewidths", 0.4)
    ax.scatter(X[:, 0], X[:, 1], c=y, cmap=cmap, vmin=0, vmax=classes - 1, **kwargs)
    ax.set_xlim(lo[0], hi[0])
    ax.set_ylim(lo[1], hi[1])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    if title:
        ax.set_title(title, fontsize="medium")
    return ax


# Each activation's output squeezed into [0, 1] for coloring (the neuron predicts class 1
# where z = xW + b > 0, whatever f is; f only changes how the output varies across the line).
_NEURON_SHADES = {
    "step": lambda z: (z > 0).astype(float),
    "sigmoid": lambda z: 0.5 * (1 + np.tanh(z / 2)),
    "tanh": lambda z: 0.5 * (1 + np.tanh(z)),
    "relu": lambda z: 1 - np.exp(-np.maximum(z, 0)),
}


def neuron_boundary(X, y, W, b, activation: str = "sigmoid", ax=None, **kwargs):
    """What one neuron ``f(xW + b)`` with ``W (2,)`` and scalar ``b`` decides on 2-D data.

    Shades the plane by the neuron's output (``relu`` as ``1 - exp(-relu(z))``, ``tanh``
    as ``(tanh(z) + 1) / 2``, so all fit one color scale), draws the boundary line
    ``x·W + b = 0`` and the vector ``W``, which is perpendicular to the line and points to the
    class-1 side. The title gives the accuracy of "class 1 where xW + b > 0". Returns the axes.
    """
    W = np.asarray(W, dtype=float).ravel()
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if activation not in _NEURON_SHADES:
        raise ValueError(f"activation must be one of {sorted(_NEURON_SHADES)}, not {activation!r}")
    shade = _NEURON_SHADES[activation]
    ax = decision_boundary(lambda P: shade(P @ W + b), X, y, ax=ax, boundary=False, **kwargs)
    norm2 = float(W @ W)
    if norm2 > 0:
        c = X.mean(axis=0)
        p0 = c - (c @ W + b) * W / norm2  # the point of the line nearest the data's center
        u = W / np.sqrt(norm2)
        t = np.array([-100.0, 100.0])
        ax.plot(p0[0] - t * u[1], p0[1] + t * u[0], "k-", lw=1.5)
        ax.annotate("", xy=p0 + u, xytext=p0, arrowprops=dict(arrowstyle="->", lw=2, color="k"))
        ax.text(*(p0 + 1.15 * u), "W", fontsize="large", fontweight="bold", ha="center", va="center",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.8))
    accuracy = float(np.mean((X @ W + b > 0) == (y == 1)))
    ax.set_title(f"{activation}: W = ({W[0]:.2g}, {W[1]:.2g}), b = {b:.2g}; accuracy {accuracy:.0%}", fontsize="medium")
    return ax


def binary_losses(z: float = 0.0, y_true: int = 1, axes=None):
    """The losses of one prediction ``p = sigmoid(z)`` when the true label is ``y_true``.

    Left: MSE ``(p - y)^2`` and cross-entropy ``-log p`` (or ``-log(1 - p)``) against ``p``;
    right: the same against the logit ``z``, where MSE flattens out when the prediction is
    confidently wrong and cross-entropy keeps a steady slope. A dot marks the current
    prediction on each curve. Returns the two axes.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(9, 3.3))
    zs = np.linspace(-6, 6, 301)
    ps = 0.5 * (1 + np.tanh(zs / 2))  # sigmoid(zs), written so it never overflows
    losses = {"MSE": (ps - y_true) ** 2,
              "cross-entropy": np.logaddexp(0, -zs) if y_true == 1 else np.logaddexp(0, zs)}
    styles = {"MSE": dict(color=OKABE_ITO["blue"], ls="-"), "cross-entropy": dict(color=OKABE_ITO["orange"], ls="--")}
    for ax, x_axis, label in ((axes[0], ps, "prediction p"), (axes[1], zs, "logit z")):
        for name, values in losses.items():
            ax.plot(x_axis, values, label=name, **styles[name])
        ax.set_xlabel(label)
        ax.set_ylabel("loss")
        ax.set_ylim(0, 6.5)
    p = 0.5 * (1 + np.tanh(z / 2))
    mse = (p - y_true) ** 2
    ce = float(np.logaddexp(0, -z) if y_true == 1 else np.logaddexp(0, z))
    for ax, x in ((axes[0], p), (axes[1], z)):
        ax.plot([x, x], [mse, ce], "ko", ms=5)
        ax.axvline(x, color="0.6", lw=0.8, ls=":")
    axes[0].legend(loc="upper center", fontsize="small")
    axes[0].set_title(f"true label {y_true}: p = {p:.3f}", fontsize="medium")
    axes[1].set_title(f"z = {z:.2f}: MSE = {mse:.3f}, cross-entropy = {ce:.3f}", fontsize="medium")
    return axes


def feature_maps(maps, titles=None, ncols: int = 6, axes=None, cmap="RdBu_r", size: float = 1.8, **kwargs):
    """Show 2-D arrays ``maps (K, H, W)`` (feature maps, kernels, images) side by side.

    Feature maps have signs (an edge kernel answers +big on one side of a stroke, -big on
    the other), so each map gets a diverging color map centered on zero: red positive,
    blue negative, white zero. Pass ``cmap="gray_r"`` for plain images (then no centering).
    Returns the array of axes; each axes holds its image as ``ax.images[0]``.
    """
    maps = [np.asarray(m, dtype=float) for m in maps]
    n = len(maps)
    nrows = max(1, -(-n // ncols))
    if axes is None:
        _, axes = plt.subplots(nrows, min(ncols, n), figsize=(size * min(ncols, n), (size + 0.3) * nrows), squeeze=False)
    flat = np.ravel(axes)
    diverging = cmap in ("RdBu_r", "RdBu", "bwr", "coolwarm", "seismic", "PuOr")
    for k, ax in enumerate(flat):
        ax.set_axis_off()
        if k < n:
            opts = dict(kwargs)
            if diverging and "vmin" not in opts:
                lim = float(np.max(np.abs(maps[k]))) or 1.0
                opts.update(vmin=-lim, vmax=lim)
            ax.imshow(maps[k], cmap=cmap, **opts)
            if titles is not None:
                ax.set_title(str(titles[k]), fontsize="small")
    return axes


def kernel_values(kernel, ax=None, cmap="RdBu_r", fmt: str = "{:.2g}", title=None, **kwargs):
    """A small kernel ``(kh, kw)`` as colored squares with each weight written in. Returns the axes."""
    kernel = np.asarray(kernel, dtype=float)
    ax = _axes(ax, figsize=(2, 2))
    lim = float(np.max(np.abs(kernel))) or 1.0
    ax.imshow(kernel, cmap=cmap, vmin=-lim, vmax=lim, **kwargs)
    for (i, j), v in np.ndenumerate(kernel):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize="medium",
                color="white" if abs(v) > 0.6 * lim else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize="medium")
    return ax
