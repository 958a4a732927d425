"""Training the CNN in PyTorch: tensors, a fit loop, evaluation, augmentation, checkpoints.

Built step by step in notebook 08 and shared with 09, 10 and ``benchmarks/gpu_check.py``.
The whole data set is held on the device as one tensor and shuffled with ``torch.randperm``
on a seeded generator: MNIST is small (5,000 images are 16 MB as float32), so no
``DataLoader`` is needed and no time is lost copying batches from the CPU.
"""

from __future__ import annotations

import math
import os
import pickle
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

__all__ = ["RECIPE", "to_tensors", "fit", "evaluate", "predict", "augment_batch",
           "save_checkpoint", "load_checkpoint", "CheckpointError"]

# Notebook 08's full-mode recipe for the 5,000 bundled images (the architecture unchanged).
# Measured on the official test set, float32 on a 2-core CPU: 98.94, 98.75, 98.87 % (seeds 0, 1, 2),
# about 30 s each. Batches of 128 give the same accuracy as 32 here in a third of the time:
# four times fewer steps, each using the cores better (benchmarks/keras_vs_course.py).
RECIPE = dict(epochs=30, batch_size=128, lr=4e-3, augment=True, schedule="onecycle")


def to_tensors(x_uint8, y, device=None, channels_last=False):
    """MNIST arrays as tensors: images ``(N, 28, 28)`` uint8 -> ``(N, 1, 28, 28)`` float32, labels ``(N,)`` int64.

    Pixels are scaled from 0..255 to [0, 1] (divide by 255), as Keras examples do; no mean/std
    normalisation, which Adam and ReLU do not need here. The uint8 bytes travel to ``device``
    first (4x fewer bytes than float32) and are converted there. ``channels_last`` stores the
    images as NHWC in memory (what GPU convolutions prefer); with one channel it changes little,
    the model's own layout matters more (see ``fit``). ``y`` may be None.
    """
    X = torch.tensor(np.asarray(x_uint8)).to(device)  # a copy: the loaded arrays are read-only
    if X.ndim == 3:
        X = X.unsqueeze(1)  # (N, 28, 28) -> (N, 1, 28, 28): one channel, as Conv2d expects
    X = X.float() / 255.0
    if channels_last:
        X = X.contiguous(memory_format=torch.channels_last)
    y = None if y is None else torch.as_tensor(np.asarray(y), dtype=torch.int64).to(device)
    return X, y


def _device_of(model):
    return next(model.parameters()).device


def _on(device, X, y):
    if not torch.is_tensor(X):  # uint8 arrays straight from load_mnist
        return to_tensors(X, y, device)
    return X.to(device), y.to(device)


def augment_batch(X, generator, max_shift=2.0, max_degrees=10.0):
    """A randomly moved copy of each image: a shift of up to ``max_shift`` pixels in x and y
    and a rotation of up to ``max_degrees``, one draw per image.

    ``X``: ``(N, C, H, W)`` float in [0, 1]; returns the same shape, values still in [0, 1].
    Each image gets an affine map ``theta (N, 2, 3)`` in the normalised coordinates of
    ``F.affine_grid`` (the image spans -1..1, so one pixel is 2/W); ``F.grid_sample`` then reads
    every output pixel from the moved position, interpolating bilinearly and filling with 0
    (background) outside. Random numbers come from ``generator``, on ``X``'s device.
    """
    n, _, h, w = X.shape
    u = torch.rand(n, 3, generator=generator, device=X.device) * 2 - 1  # uniform in [-1, 1]
    angle = u[:, 0] * math.radians(max_degrees)
    tx, ty = u[:, 1] * max_shift * 2 / w, u[:, 2] * max_shift * 2 / h
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos, -sin, tx], 1), torch.stack([sin, cos, ty], 1)], 1)
    grid = F.affine_grid(theta, list(X.shape), align_corners=False)
    return F.grid_sample(X, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def fit(model, X, y, *, epochs, batch_size=32, lr=1e-3, X_val=None, y_val=None, augment=False,
        weight_decay=0.0, schedule=None, device=None, progress=True, seed=0, autocast=None,
        channels_last=None):
    """Train ``model`` with Adam and cross-entropy; returns the history of every epoch.

    ``X``: ``(N, 1, 28, 28)`` float (or uint8 ``(N, 28, 28)``), ``y``: ``(N,)`` int64 labels.
    The five steps: 1. Initialise (the model is; here the optimizer), then per batch
    2. Forward, 3. Loss, 4. Backward, and 5. Iterate (the update, epoch after epoch).
    - ``augment``: train on ``augment_batch`` copies (new shifts and rotations every epoch).
    - ``weight_decay``: Adam's L2 penalty, ``weight_decay * W`` added to each gradient.
    - ``schedule="onecycle"``: the learning rate rises to ``lr`` then anneals to ~0 (per batch).
    - ``device``: default the model's; the model and the data are moved there once.
    - ``autocast``: bf16 mixed precision; None means on for CUDA, off elsewhere.
    - ``channels_last``: NHWC memory layout for the model; None means on for CUDA.
    - ``seed``: seeds the shuffling and augmentation (a ``torch.Generator`` on the device);
      the initial weights are the caller's (seed before building the model).
    Returns ``{"train loss": [...], "train acc": [...]}`` per epoch (train metrics averaged
    over the epoch's batches), plus ``"val loss"``, ``"val acc"`` when ``X_val`` is given, and
    ``"seconds"``: the training clock at the end of each epoch (cumulative, validation excluded).
    """
    from tqdm.auto import tqdm

    device = torch.device(device) if device is not None else _device_of(model)
    on_cuda = device.type == "cuda"
    autocast = on_cuda if autocast is None else autocast
    channels_last = on_cuda if channels_last is None else channels_last
    model.to(device, memory_format=torch.channels_last if channels_last else torch.contiguous_format)
    X, y = _on(device, X, y)
    if X_val is not None:
        X_val, y_val = _on(device, X_val, y_val)
    n, steps = len(X), math.ceil(len(X) / batch_size)
    generator = torch.Generator(device=device).manual_seed(seed)
    # 1. Initialise: the optimizer (the weights were initialised when the model was built)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=weight_decay)
    scheduler = None
    if schedule == "onecycle":
        scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=epochs * steps)
    elif schedule is not None:
        raise ValueError(f"schedule must be None or 'onecycle', not {schedule!r}")
    history = {"train loss": [], "train acc": []} | ({"val loss": [], "val acc": []} if X_val is not None else {})
    history["seconds"] = []
    bar = tqdm(total=epochs * steps, disable=not progress, unit="batch", desc="training")
    clock = 0.0
    for epoch in range(epochs):
        t0 = time.perf_counter()
        model.train()
        loss_sum = torch.zeros((), device=device)  # summed on the device: no sync per batch
        correct = torch.zeros((), device=device, dtype=torch.int64)
        order = torch.randperm(n, generator=generator, device=device)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            xb, yb = X[idx], y[idx]
            if augment:
                xb = augment_batch(xb, generator)
            with torch.autocast(device.type, dtype=torch.bfloat16, enabled=autocast):
                logits = model(xb)  # 2. Forward: (m, 10) logits
                loss = F.cross_entropy(logits, yb)  # 3. Loss: L = 1/m Σ ℓ(y_i, y_true)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()  # 4. Backward: ∇L for every parameter
            optimizer.step()  # 5. Iterate: W_new = W_old − α ∇L (Adam's version)
            if scheduler is not None:
                scheduler.step()
            loss_sum += loss.detach() * len(idx)
            correct += (logits.argmax(1) == yb).sum()
            bar.update(1)
        history["train loss"].append(loss_sum.item() / n)  # .item() waits for the device: once an epoch
        history["train acc"].append(correct.item() / n)
        clock += time.perf_counter() - t0  # after .item(), so the device's work is counted
        history["seconds"].append(clock)
        if X_val is not None:
            val_loss, val_acc = evaluate(model, X_val, y_val)
            history["val loss"].append(val_loss)
            history["val acc"].append(val_acc)
        bar.set_postfix({"epoch": epoch + 1} | {k: round(v[-1], 4) for k, v in history.items() if k != "seconds"})
    bar.close()
    return history


@torch.no_grad()
def evaluate(model, X, y, batch_size=None):
    """Mean cross-entropy and accuracy of ``model`` on ``X (N, 1, 28, 28)``, ``y (N,)``: ``(loss, acc)``.

    Batches of ``batch_size`` keep memory small (default: see ``predict``); runs in eval mode
    and restores the mode after.
    """
    X, y = _on(_device_of(model), X, y)
    logits = predict(model, X, batch_size, to_cpu=False)
    loss = F.cross_entropy(logits, y, reduction="sum").item() / len(y)
    acc = (logits.argmax(1) == y).float().mean().item()
    return loss, acc


@torch.no_grad()
def predict(model, X, batch_size=None, to_cpu=True):
    """Logits ``(N, 10)`` float32 for ``X (N, 1, 28, 28)`` (or uint8 ``(N, 28, 28)``); on the CPU by default.

    Logits, not probabilities: ``logits.softmax(1)`` gives those, ``argmax(1)`` the digit.
    ``batch_size`` defaults to 1000 on a GPU and 128 on a CPU, where the feature maps of big
    batches no longer fit the processor's caches (10,000 images: 2.2 s with 1000, 1.35 s with 128).
    """
    device = _device_of(model)
    batch_size = batch_size or (128 if device.type == "cpu" else 1000)
    X = to_tensors(X, None, device)[0] if not torch.is_tensor(X) else X.to(device)
    was_training = model.training
    model.eval()
    try:
        logits = torch.cat([model(X[i:i + batch_size]).float() for i in range(0, len(X), batch_size)])
    finally:
        model.train(was_training)
    return logits.cpu() if to_cpu else logits


class CheckpointError(ValueError):
    """A checkpoint that cannot be loaded: unreadable, or made for a different model."""


def save_checkpoint(model, path):
    """Save ``model.state_dict()`` (its tensors, moved to the CPU) to ``path``, atomically.

    The bytes go to a temporary file in the same folder, which is renamed over ``path`` only
    when complete (``os.replace`` is atomic), so a crash never leaves a half-written checkpoint.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def load_checkpoint(model, path):
    """Load weights saved by ``save_checkpoint`` into ``model`` (in place) and return it.

    ``weights_only=True``: only tensors and plain containers are unpickled. A full pickle can
    run any code while loading, so a checkpoint from the internet could do anything.
    Raises ``CheckpointError`` naming the problem: an unreadable (truncated, corrupt) file,
    or weights for another architecture (missing and unexpected layers, mismatched shapes).
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no checkpoint at {path}")
    try:
        state = torch.load(path, map_location=_device_of(model), weights_only=True)
    except pickle.UnpicklingError as e:
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise CheckpointError(f"{path}: not loaded, weights_only=True refused it or it is corrupt ({first})") from e
    except (RuntimeError, EOFError, OSError, zipfile.BadZipFile, ValueError) as e:
        raise CheckpointError(f"{path} is truncated or corrupt, not a readable checkpoint ({e}); save it again") from e
    if not isinstance(state, dict) or not all(torch.is_tensor(v) for v in state.values()):
        raise CheckpointError(f"{path} does not hold a state_dict (a dict of tensors)")
    expected = model.state_dict()
    missing = [k for k in expected if k not in state]
    unexpected = [k for k in state if k not in expected]
    shapes = [f"{k}: checkpoint {tuple(state[k].shape)} vs model {tuple(v.shape)}"
              for k, v in expected.items() if k in state and state[k].shape != v.shape]
    if missing or unexpected or shapes:
        lines = [f"{path} was saved from a different architecture:"]
        lines += [f"  missing in the checkpoint: {', '.join(missing)}"] if missing else []
        lines += [f"  unexpected in the checkpoint: {', '.join(unexpected)}"] if unexpected else []
        lines += [f"  shape mismatch {s}" for s in shapes]
        raise CheckpointError("\n".join(lines))
    model.load_state_dict(state)
    return model
