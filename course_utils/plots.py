"""Figures the notebooks share. Each helper takes ``ax=None``, returns what it drew on,
and passes other keyword arguments to matplotlib. Nothing here changes global state."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def _axes(ax, figsize=(5, 3.5)):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
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
                ax.set_title(str(labels[k]), fontsize=9)
    if title:
        flat[0].figure.suptitle(title)
    return axes


def learning_curves(history: dict, ax=None, xlabel: str = "epoch", title=None, **kwargs):
    """Plot every series in ``history`` (e.g. ``{"train loss": [...], "test loss": [...]}``).

    Series whose name contains "acc" go on a second y-axis on the right, so losses and
    accuracies share one picture without squashing each other.
    """
    ax = _axes(ax)
    acc_ax = None
    for name, values in history.items():
        values = np.asarray(values, dtype=float)
        x = np.arange(1, len(values) + 1)
        if "acc" in name.lower():
            acc_ax = acc_ax or ax.twinx()
            acc_ax.plot(x, values, "--", label=name, **kwargs)
        else:
            ax.plot(x, values, label=name, **kwargs)
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


def confusion_matrix(y_true, y_pred, num_classes: int = 10, ax=None, cmap="Blues", **kwargs):
    """Counts of (true class, predicted class) as a heat map with the numbers written in.

    The diagonal holds the right answers; a bright off-diagonal cell is a pair of digits the
    model confuses. Returns the axes; the matrix itself is ``confusion_counts(...)``.
    """
    counts = confusion_counts(y_true, y_pred, num_classes)
    ax = _axes(ax, figsize=(5, 4.5))
    ax.imshow(counts, cmap=cmap, **kwargs)
    big = counts.max() / 2 if counts.size else 0
    for (i, j), c in np.ndenumerate(counts):
        if c:
            ax.text(j, i, str(c), ha="center", va="center", fontsize=7, color="white" if c > big else "black")
    ax.set_xticks(range(num_classes))
    ax.set_yticks(range(num_classes))
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    return ax


def confusion_counts(y_true, y_pred, num_classes: int = 10) -> np.ndarray:
    """``(num_classes, num_classes)`` int array: entry ``[i, j]`` counts true ``i`` predicted ``j``."""
    y_true, y_pred = np.asarray(y_true).ravel(), np.asarray(y_pred).ravel()
    if y_true.shape != y_pred.shape:
        raise ValueError(f"y_true and y_pred differ in length: {y_true.shape} vs {y_pred.shape}")
    counts = np.zeros((num_classes, num_classes), dtype=np.int64)
    np.add.at(counts, (y_true, y_pred), 1)
    return counts


def loss_surface(f, path=None, ax=None, xlim=(-2.0, 2.0), ylim=(-2.0, 2.0), levels=25, log_levels=False,
                 resolution: int = 200, cmap="viridis", path_label=None, color="tab:red", **kwargs):
    """Contours of a loss ``f(w)`` of two parameters, with an optional descent ``path (T, 2)`` on top.

    ``f`` reads ``w[0]`` and ``w[1]``; it is called once on a ``(2, n, n)`` grid (so write it
    with NumPy operations), and point by point if that fails. ``log_levels=True`` spaces the
    contours geometrically, which shows the floor of narrow valleys (Rosenbrock). The axis
    limits stay at ``xlim``/``ylim`` even when a diverging path leaves them. Other keyword
    arguments go to ``ax.plot`` for the path. Returns the axes.
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
            ax.legend(loc="upper right", fontsize=8)
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
    ax.legend(loc="best", fontsize=8)
    return ax


def decision_boundary(predict_fn, X, y, ax=None, resolution: int = 200, margin: float = 0.5,
                      cmap="coolwarm", title=None, **kwargs):
    """Colour the plane by what ``predict_fn`` says, with the data ``X (N, 2)``, ``y (N,)`` on top.

    ``predict_fn`` maps points ``(K, 2)`` to ``(K,)``: either probabilities of class 1
    (floats in [0, 1]; the 0.5 line is drawn as the boundary) or class ids (ints; one colour
    per class). Works for one neuron, a 2-layer net on spirals, anything with 2-D inputs.
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
        ax.contourf(g0, g1, Z, levels=np.arange(classes + 1) - 0.5, cmap=cmap, alpha=0.35)
    else:
        ax.contourf(g0, g1, Z, levels=np.linspace(0, 1, 11), cmap=cmap, alpha=0.35, vmin=0, vmax=1)
        if Z.min() < 0.5 < Z.max():
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
        ax.set_title(title)
    return ax


def feature_maps(maps, titles=None, ncols: int = 6, axes=None, cmap="RdBu_r", size: float = 1.8, **kwargs):
    """Show 2-D arrays ``maps (K, H, W)`` (feature maps, kernels, images) side by side.

    Feature maps have signs (an edge kernel answers +big on one side of a stroke, -big on
    the other), so each map gets a diverging colour map centred on zero: red positive,
    blue negative, white zero. Pass ``cmap="gray_r"`` for plain images (then no centring).
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
                ax.set_title(str(titles[k]), fontsize=9)
    return axes


def kernel_values(kernel, ax=None, cmap="RdBu_r", fmt: str = "{:.2g}", title=None, **kwargs):
    """A small kernel ``(kh, kw)`` as coloured squares with each weight written in. Returns the axes."""
    kernel = np.asarray(kernel, dtype=float)
    ax = _axes(ax, figsize=(2, 2))
    lim = float(np.max(np.abs(kernel))) or 1.0
    ax.imshow(kernel, cmap=cmap, vmin=-lim, vmax=lim, **kwargs)
    for (i, j), v in np.ndenumerate(kernel):
        ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=10,
                color="white" if abs(v) > 0.6 * lim else "black")
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title, fontsize=10)
    return ax
