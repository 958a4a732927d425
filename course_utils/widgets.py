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
