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
