"""The first code cell of every notebook: which mode, which versions, which seed.

``FAST = start(seed=0)`` fails fast with a helpful message when a package is missing or
too old, says whether the notebook runs in fast mode, and seeds everything.
"""

from __future__ import annotations

import os
import platform
from importlib import metadata

from .device import seed_everything

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


def start(seed: int = 0, packages=("numpy", "matplotlib")) -> bool:
    """Check versions, seed everything, print the mode; returns True in fast mode."""
    versions = check_versions(packages)
    seed_everything(seed)
    fast = is_fast()
    listing = ", ".join(f"{k} {v}" for k, v in versions.items())
    print(f"Python {platform.python_version()}, {listing}; seed {seed}.")
    if fast:
        print("FAST mode (COURSE_FAST=1): less data and fewer steps, as under test. Unset it for the real run.")
    else:
        print("FULL mode: the real data sizes and training lengths (set COURSE_FAST=1 for a quick run).")
    return fast
