"""Interactive explorers (ipywidgets). Each one redraws a static figure from
``course_utils.plots`` when a control moves, so the same picture is tested headless.

Use in a notebook: first call the plain plot function (a static figure), then, in a cell
tagged ``nbval-ignore-output``, call the explorer. ipywidgets is imported only when an
explorer is built; without it (or without a front end) the explorer falls back to the
static figure and says so.
"""

from __future__ import annotations


def _ipywidgets():
    """The ipywidgets module, or None with a notice when it is missing."""
    try:
        import ipywidgets
    except ImportError:
        print("ipywidgets is not installed: showing the static figure instead (pip install ipywidgets).")
        return None
    return ipywidgets


def learning_rate_explorer(f, run, lr: float = 0.1, lr_range=(1e-3, 1.0), xlim=(-2.0, 2.0), ylim=(-2.0, 2.0),
                           **surface_kwargs):
    """A log-scale slider for the learning rate; the descent path on the contours of ``f`` follows it.

    ``run(lr)`` returns the path ``(T, 2)`` (the notebook's own gradient descent, so the
    learner's code is what moves). Returns the widget box, with ``.slider``, ``.line`` (the
    drawn path) and ``.fig`` attached so tests can move the slider and look. Headless, or
    without ipywidgets, it returns the static figure's axes instead of blocking.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from .plots import loss_surface

    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    loss_surface(f, ax=ax, xlim=xlim, ylim=ylim, **surface_kwargs)
    (line,) = ax.plot([], [], "o-", color="tab:red", markersize=3, linewidth=1.2)
    (end,) = ax.plot([], [], "*", color="tab:red", markersize=12, markeredgecolor="black")

    def draw(value):
        path = np.asarray(run(value), dtype=float)
        with np.errstate(all="ignore"):
            line.set_data(path[:, 0], path[:, 1])
            end.set_data([path[-1, 0]], [path[-1, 1]])
            final = float(f(path[-1]))
        ax.set_title(f"lr = {value:.3g}: loss after {len(path) - 1} steps = {final:.3g}", fontsize=10)
        fig.canvas.draw_idle()

    draw(lr)
    widgets = _ipywidgets()
    if widgets is None:
        return ax
    lo, hi = np.log10(lr_range[0]), np.log10(lr_range[1])
    slider = widgets.FloatLogSlider(value=lr, base=10, min=lo, max=hi, step=(hi - lo) / 100,
                                    description="lr", readout_format=".3g", continuous_update=False)
    out = widgets.Output()

    def show():
        from IPython.display import display

        with out:
            out.clear_output(wait=True)
            display(fig)

    def on_change(change):
        draw(change["new"])
        show()

    slider.observe(on_change, names="value")
    plt.close(fig)  # shown through the Output widget only, not a second time below the cell
    show()
    box = widgets.VBox([slider, out])
    box.slider, box.line, box.fig = slider, line, fig
    return box
