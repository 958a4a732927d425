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

    from .plots import OKABE_ITO, loss_surface

    fig, ax = plt.subplots(figsize=(5.5, 4.2))
    loss_surface(f, ax=ax, xlim=xlim, ylim=ylim, **surface_kwargs)
    (line,) = ax.plot([], [], "o-", color=OKABE_ITO["vermillion"], markersize=3, linewidth=1.2)
    (end,) = ax.plot([], [], "*", color=OKABE_ITO["vermillion"], markersize=12, markeredgecolor="black")

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

    def on_change(change):
        draw(change["new"])
        _show_in(out, fig)

    slider.observe(on_change, names="value")
    plt.close(fig)  # shown through the Output widget only, not a second time below the cell
    _show_in(out, fig)
    box = widgets.VBox([slider, out])
    box.slider, box.line, box.fig = slider, line, fig
    return box


def _show_in(out, fig):
    """Replace what the Output widget ``out`` shows with the current state of ``fig``."""
    from IPython.display import display

    with out:
        out.clear_output(wait=True)
        display(fig)


def _follow(controls: dict, state: dict, draw, fig):
    """An Output widget showing ``fig``, redrawn whenever one of ``controls`` changes:
    the new value goes into ``state[key]``, then ``draw()`` updates the figure."""
    import matplotlib.pyplot as plt
    import ipywidgets

    out = ipywidgets.Output()

    def on_change(change, key):
        state[key] = change["new"]
        draw()
        _show_in(out, fig)

    for key, control in controls.items():
        control.observe(lambda change, key=key: on_change(change, key), names="value")
    plt.close(fig)  # shown through the Output widget only, not a second time below the cell
    _show_in(out, fig)
    return out


def neuron_playground(X, y, W=(1.0, 1.0), b: float = 0.0, activation: str = "sigmoid"):
    """Sliders for ``W1``, ``W2``, ``b`` and a menu of activations; one neuron's decision
    boundary on ``X (N, 2)``, ``y (N,)`` and its accuracy follow them.

    Redraws ``plots.neuron_boundary``. Returns the widget box, with ``.controls`` (a dict of
    the four controls), ``.ax`` and ``.fig`` attached so tests can move a control and look.
    Without ipywidgets it returns the static figure's axes instead.
    """
    import matplotlib.pyplot as plt

    from .plots import neuron_boundary

    fig, ax = plt.subplots(figsize=(5, 4.4))
    state = {"W1": float(W[0]), "W2": float(W[1]), "b": float(b), "activation": activation}

    def draw():
        ax.clear()
        neuron_boundary(X, y, (state["W1"], state["W2"]), state["b"], state["activation"], ax=ax)
        fig.canvas.draw_idle()

    draw()
    widgets = _ipywidgets()
    if widgets is None:
        return ax
    controls = {
        name: widgets.FloatSlider(value=state[name], min=-5.0, max=5.0, step=0.1, description=name,
                                  continuous_update=False)
        for name in ("W1", "W2", "b")
    }
    controls["activation"] = widgets.Dropdown(options=["step", "sigmoid", "tanh", "relu"], value=activation,
                                              description="f")
    out = _follow(controls, state, draw, fig)
    box = widgets.HBox([widgets.VBox(list(controls.values())), out])
    box.controls, box.ax, box.fig = controls, ax, fig
    return box


def loss_explorer(z: float = 1.0, y_true: int = 1):
    """A slider for the logit ``z`` (the prediction is ``p = sigmoid(z)``) and a toggle for the
    true label; MSE and cross-entropy of that one prediction follow (``plots.binary_losses``).

    Returns the widget box with ``.controls`` (``"z"``, ``"y_true"``), ``.axes`` and ``.fig``
    attached. Without ipywidgets it returns the static figure's axes instead.
    """
    import matplotlib.pyplot as plt

    from .plots import binary_losses

    fig, axes = plt.subplots(1, 2, figsize=(9, 3.3))
    state = {"z": float(z), "y_true": int(y_true)}

    def draw():
        for ax in axes:
            ax.clear()
        binary_losses(state["z"], state["y_true"], axes=axes)
        fig.tight_layout()
        fig.canvas.draw_idle()

    draw()
    widgets = _ipywidgets()
    if widgets is None:
        return axes
    controls = {
        "z": widgets.FloatSlider(value=state["z"], min=-6.0, max=6.0, step=0.1, description="logit z",
                                 continuous_update=False),
        "y_true": widgets.ToggleButtons(options=[0, 1], value=state["y_true"], description="true label"),
    }
    out = _follow(controls, state, draw, fig)
    box = widgets.VBox([widgets.HBox(list(controls.values())), out])
    box.controls, box.axes, box.fig = controls, axes, fig
    return box


# A few 3x3 kernels to start from; notebook 07 builds its own and passes them as ``presets``.
_KERNEL_PRESETS = {
    "vertical edge": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "horizontal edge": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "blur": [[1 / 9] * 3] * 3,
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
}


def kernel_explorer(image, presets=None, kernel=None):
    """Edit a 3x3 kernel (nine number boxes, or a preset from the menu) and watch its feature map.

    ``image (H, W)``: e.g. one MNIST digit. The map is the cross-correlation of the image
    with the kernel, padded by 1 so it lines up pixel for pixel with the image
    (``course_utils.conv.conv2d_forward``). ``presets``: ``{name: (3, 3) kernel}``.
    Returns the widget box with ``.boxes`` (3x3 list of FloatText), ``.preset`` (the menu),
    ``.map_image`` (the drawn feature map) and ``.fig`` attached, so tests can type a number
    and look. Without ipywidgets it returns the static figure's axes.
    """
    import matplotlib.pyplot as plt
    import numpy as np

    from .conv import conv2d_forward
    from .plots import kernel_values

    presets = {k: np.asarray(v, dtype=float) for k, v in (presets or _KERNEL_PRESETS).items()}
    first = next(iter(presets))
    from_preset = kernel is None
    kernel = np.asarray(presets[first] if from_preset else kernel, dtype=float)
    if kernel.shape != (3, 3):
        raise ValueError(f"kernel_explorer edits 3x3 kernels, got shape {kernel.shape}")
    image = np.asarray(image, dtype=float)
    image = image / (image.max() or 1.0)

    def feature_map(k):
        out, _ = conv2d_forward(image[None, None], k[None, None], np.zeros(1), stride=1, pad=1)
        return out[0, 0]

    fig, (ax_in, ax_k, ax_out) = plt.subplots(1, 3, figsize=(8, 2.9), gridspec_kw={"width_ratios": [1, 0.75, 1]})
    ax_in.imshow(image, cmap="gray_r")
    ax_in.set_title("input", fontsize=10)
    ax_in.set_axis_off()
    map_image = ax_out.imshow(feature_map(kernel), cmap="RdBu_r")
    ax_out.set_axis_off()
    fig.colorbar(map_image, ax=ax_out, fraction=0.046, pad=0.04)

    def draw(k):
        fmap = feature_map(k)
        lim = float(np.max(np.abs(fmap))) or 1.0
        map_image.set_data(fmap)
        map_image.set_clim(-lim, lim)
        ax_out.set_title(f"feature map (min {fmap.min():.2g}, max {fmap.max():.2g})", fontsize=10)
        ax_k.clear()
        kernel_values(k, ax=ax_k, title="kernel")
        fig.canvas.draw_idle()

    draw(kernel)
    widgets = _ipywidgets()
    if widgets is None:
        return np.array([ax_in, ax_k, ax_out])

    boxes = [[widgets.FloatText(value=float(kernel[i, j]), step=0.5, layout=widgets.Layout(width="70px"))
              for j in range(3)] for i in range(3)]
    preset = widgets.Dropdown(options=list(presets), value=first if from_preset else None,
                              description="preset")
    out = widgets.Output()
    busy = [False]  # while a preset fills the nine boxes, redraw once, not nine times

    def current():
        return np.array([[b.value for b in row] for row in boxes], dtype=float)

    def on_box(change):
        if not busy[0]:
            draw(current())
            _show_in(out, fig)

    def on_preset(change):
        if change["new"] is None:
            return
        busy[0] = True
        for row, values in zip(boxes, presets[change["new"]]):
            for b, v in zip(row, values):
                b.value = float(v)
        busy[0] = False
        draw(current())
        _show_in(out, fig)

    for row in boxes:
        for b in row:
            b.observe(on_box, names="value")
    preset.observe(on_preset, names="value")
    plt.close(fig)  # shown through the Output widget only
    _show_in(out, fig)
    grid = widgets.VBox([widgets.HBox(row) for row in boxes])
    box = widgets.HBox([widgets.VBox([preset, grid]), out])
    box.boxes, box.preset, box.map_image, box.fig = boxes, preset, map_image, fig
    return box
