"""Where tensors live and how runs are made repeatable. Nothing happens at import time."""

from __future__ import annotations

import os
import random

import numpy as np


def pick_device(prefer: str | None = None, verbose: bool = True):
    """The best device here: CUDA, then Apple MPS, then the CPU.

    ``prefer`` (or ``$COURSE_DEVICE``), e.g. ``"cpu"``, forces a choice; asking for a
    device that is not present raises ``ValueError`` instead of failing later.
    """
    import torch

    prefer = prefer or os.environ.get("COURSE_DEVICE")
    has_cuda = torch.cuda.is_available()
    has_mps = getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available()
    if prefer:
        kind = torch.device(prefer).type
        if (kind == "cuda" and not has_cuda) or (kind == "mps" and not has_mps):
            raise ValueError(f"device {prefer!r} was asked for but is not available here (CUDA: {has_cuda}, MPS: {has_mps})")
        device = torch.device(prefer)
    else:
        device = torch.device("cuda" if has_cuda else "mps" if has_mps else "cpu")
    if verbose:
        if device.type == "cuda":
            what = f"CUDA GPU: {torch.cuda.get_device_name(device)}"
        elif device.type == "mps":
            what = "Apple GPU (MPS)"
        else:
            what = f"CPU, {torch.get_num_threads()} threads (no GPU found)" if not prefer else "CPU (as asked)"
        print(f"Device: {what}")
    return device


def seed_everything(seed: int = 0) -> None:
    """Seed Python, NumPy's global generator and PyTorch (when installed) with one number."""
    random.seed(seed)
    np.random.seed(seed)
    try:
        import torch
    except ImportError:
        return
    torch.manual_seed(seed)  # also seeds every CUDA device
