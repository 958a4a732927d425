"""Tests never touch the network: COURSE_OFFLINE=1 for this process and the notebooks'
kernels, which inherit its environment (so `load_mnist()` uses the cache or the bundle).

Fast mode is not forced here: `make test` sets COURSE_FAST=1; a plain `python -m pytest`
without it runs the notebooks in full mode, the real thing.
"""

import os

os.environ.setdefault("COURSE_OFFLINE", "1")
