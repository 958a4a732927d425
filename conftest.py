"""Test settings for plain `python -m pytest` too: fast mode, offline.

Set here (not only in the Makefile) so that the notebooks' kernels, which inherit this
process's environment, run exactly as under `make test`.
"""

import os

os.environ.setdefault("COURSE_FAST", "1")
os.environ.setdefault("COURSE_OFFLINE", "1")
