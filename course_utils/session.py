"""The first code cell of every notebook: which mode, which versions, which seed, how many threads.

``FAST = start(seed=0)`` fails fast with a helpful message when a package is missing or
too old, sets the language of the course's messages, sizes the CPU thread pools to the CPUs
this process may really use, seeds everything, and says all that in one line plus the mode line.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata

from .device import cpu_threads, seed_everything, set_threads
from .i18n import _, set_language
from .plots import use_course_style

MINIMUM = {"numpy": "1.26", "matplotlib": "3.7", "torch": "2.2", "ipywidgets": "8.0"}


def is_fast() -> bool:
    """True when ``COURSE_FAST=1``: small data and few epochs, as under test."""
    return os.environ.get("COURSE_FAST", "") not in ("", "0")


def _version_tuple(v: str):
    parts = []
    for piece in v.split("+")[0].split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def check_versions(packages=("numpy", "matplotlib")) -> dict:
    """Installed versions of ``packages``; raises ``ImportError`` with the fix if one is missing or old."""
    found = {}
    for name in packages:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            raise ImportError(
                f"{name} is not installed in this kernel's environment. From the course folder run "
                "`make lab` (or `python -m pip install -r requirements.txt`) and restart the kernel."
            ) from None
        if _version_tuple(found[name]) < _version_tuple(MINIMUM.get(name, "0")):
            raise ImportError(f"{name} {found[name]} is too old: the course needs {name} >= {MINIMUM[name]}.")
    return found


def choose_threads(threads: int | None = None) -> tuple[int, str]:
    """(threads, why): ``threads`` if given, else ``$COURSE_THREADS``, else ``device.cpu_threads()``."""
    if threads is None and os.environ.get("COURSE_THREADS"):
        value = os.environ["COURSE_THREADS"]
        if not value.isdigit() or int(value) < 1:
            raise ValueError(f"COURSE_THREADS must be a positive integer, not {value!r}")
        return int(value), f"COURSE_THREADS={value}"
    if threads is not None:
        if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
            raise ValueError(f"threads must be a positive integer, not {threads!r}")
        return threads, f"threads={threads}"
    return cpu_threads()


def start(seed: int = 0, packages=("numpy", "matplotlib"), lang: str = "en", threads: int | None = None) -> bool:
    """Check versions, set the language, size the threads, seed everything, print it; True in fast mode.

    ``lang``: "en" or "zh", the language of the course's messages (``i18n.set_language``).
    ``threads``: CPU threads for NumPy's BLAS and PyTorch; default ``$COURSE_THREADS``, else the
    CPUs this process may really use (affinity and the container's CPU quota) less those other
    work keeps busy now (see ``device.cpu_threads``).
    """
    versions = check_versions(packages)
    lang = set_language(lang)
    use_course_style(chinese=lang == "zh")  # sizes for a projected slide, a color-blind-safe palette, CJK glyphs
    n, why = choose_threads(threads)
    seed_everything(seed)  # imports torch when it is installed, so set_threads sizes its pool too
    set_threads(n, torch_too="torch" in packages)
    fast = is_fast()
    listing = ", ".join(f"{k} {v}" for k, v in versions.items())
    chosen = _("{n} CPU threads").format(n=n) if n > 1 else _("1 CPU thread")
    overridden = "=" in why  # the reason is then "threads=N" or "COURSE_THREADS=N"
    how = f" ({why})" if overridden else _(" ({why}; COURSE_THREADS=N to change)").format(why=why)
    print(_("Python {python}, {listing}; seed {seed}; {threads}.").format(
        python=platform.python_version(), listing=listing, seed=seed, threads=chosen + how))
    if fast:
        print(_("FAST mode (COURSE_FAST=1): less data and fewer steps, as under test. Unset it for the real run."))
    else:
        print(_("FULL mode: the real data sizes and training lengths (set COURSE_FAST=1 for a quick run)."))
    return fast
