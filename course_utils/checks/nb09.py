"""Exercise checkers for notebook 09 (generalization, overfitting and interpretability)."""

from __future__ import annotations

import numpy as np

from .formulas import check_array, check_formula

# --------------------------------------------------------------------------- the gap


def _random_history(rng):
    """A plausible training history: accuracies rise, the training ones faster."""
    epochs = int(rng.integers(3, 12))
    train_acc = np.clip(np.sort(rng.uniform(0.3, 1.0, epochs)), 0, 1)
    val_acc = np.clip(train_acc - rng.normal(0.04, 0.05, epochs), 0, 1)  # sometimes above training
    train_loss = np.sort(rng.uniform(0.01, 2.0, epochs))[::-1].copy()
    val_loss = train_loss + np.abs(rng.normal(0.2, 0.1, epochs))
    return {"train loss": list(train_loss), "train acc": list(train_acc), "val loss": list(val_loss), "val acc": list(val_acc)}


def _gap(history):
    return np.asarray(history["train acc"], dtype=float) - np.asarray(history["val acc"], dtype=float)


def check_generalization_gap(generalization_gap, strict: bool = False):
    """``generalization_gap(history) -> (E,)``: train accuracy minus validation accuracy, per epoch."""
    mistakes = [
        (lambda h: np.asarray(h["val loss"]) - np.asarray(h["train loss"]),
         "that is the gap between the losses; the exercise asks for accuracies (history['train acc'], history['val acc'])."),
        (lambda h: np.asarray(h["train loss"]) - np.asarray(h["val loss"]),
         "that is the gap between the losses; the exercise asks for accuracies (history['train acc'], history['val acc'])."),
        (lambda h: np.abs(_gap(h)), "do not take the absolute value: a negative gap (validation above training) is information."),
    ]
    return check_array(generalization_gap, _gap, lambda rng: (_random_history(rng),), name="generalization_gap",
                       mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- occlusion


def _occlusion(score_fn, image, patch, fill=0.0, in_place=False, drop=True):
    H, W = image.shape
    base = float(np.asarray(score_fn(image[None]))[0])
    out = np.zeros((H - patch + 1, W - patch + 1))
    work = image if in_place else None
    for i in range(H - patch + 1):
        for j in range(W - patch + 1):
            occluded = work if in_place else image.copy()
            occluded[i:i + patch, j:j + patch] = fill
            score = float(np.asarray(score_fn(occluded[None]))[0])
            out[i, j] = base - score if drop else score
    return out


def _occlusion_args(rng):
    H, W = int(rng.integers(5, 9)), int(rng.integers(5, 9))
    patch = int(rng.integers(2, 4))
    image = rng.uniform(0, 1, (H, W))
    weights = rng.normal(0, 1, (H, W))

    def score_fn(batch):
        """A stand-in for a model: (N, H, W) -> (N,) scores, nonlinear in the pixels."""
        batch = np.asarray(batch, dtype=float)
        return np.tanh((batch * weights).sum(axis=(1, 2)) / 3)

    return score_fn, image, patch


def check_occlusion_map(occlusion_map, strict: bool = False):
    """``occlusion_map(score_fn, image, patch) -> (H - patch + 1, W - patch + 1)``.

    Entry ``[i, j]``: ``score(image) - score(image with image[i:i+patch, j:j+patch] set to 0)``.
    """
    def non_overlapping(score_fn, image, patch):
        H, W = image.shape
        full = _occlusion(score_fn, image, patch)
        return full[::patch, ::patch][: H // patch, : W // patch]

    mistakes = [
        (lambda f, im, p: _occlusion(f, im, p, fill=1.0),
         "the patch should be filled with 0 (the background of an MNIST digit), not 1."),
        (lambda f, im, p: _occlusion(f, im, p, in_place=True),
         "the image was changed in place, so earlier patches stayed grey for later positions: occlude a copy "
         "(occluded = image.copy()) at each position."),
        (lambda f, im, p: _occlusion(f, im, p, drop=False),
         "those are the scores of the occluded images; return the drop, score(image) − score(occluded)."),
        (non_overlapping,
         "slide the patch one pixel at a time (every top-left corner i, j), not in steps of the patch size: "
         "the map has shape (H − patch + 1, W − patch + 1)."),
    ]
    return check_array(occlusion_map, _occlusion, _occlusion_args, name="occlusion_map", mistakes=mistakes, strict=strict)


# --------------------------------------------------------------------------- early stopping


def _early_stopping(val_losses, patience, one_based=False, return_stop=False):
    best, best_epoch = float("inf"), 0
    stop = len(val_losses) - 1
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            stop = epoch
            break
    if return_stop:
        return stop
    return best_epoch + (1 if one_based else 0)


def _val_losses(rng):
    """A validation loss that falls, then rises again (overfitting), with a little noise;
    sometimes a late dip below the minimum that training never reaches when it stops early."""
    n = int(rng.integers(9, 16))
    turn = int(rng.integers(2, n - 5))
    t = np.arange(n)
    losses = 0.3 + 0.6 * np.exp(-t / 1.5) + 0.03 * np.maximum(0, t - turn) + rng.normal(0, 0.002, n)
    if rng.uniform() < 0.6:
        losses[-1] = losses.min() - 0.05
    return [round(float(v), 4) for v in losses], int(rng.integers(2, 5))


def check_early_stopping_epoch(early_stopping_epoch, strict: bool = False):
    """``early_stopping_epoch(val_losses, patience) -> int``: the epoch (0-based) whose weights to keep."""
    mistakes = [
        (lambda v, p: _early_stopping(v, p, one_based=True),
         "one too many: epochs are counted from 0 here (the index into val_losses)."),
        (lambda v, p: int(np.argmin(v)),
         "that is the lowest loss of the whole list, but training stops after `patience` epochs without "
         "improvement and never sees the later epochs: stop scanning there."),
        (lambda v, p: _early_stopping(v, p, return_stop=True),
         "that is the epoch where training stops; keep the weights of the best epoch before it."),
        (lambda v, p: int(np.argmax(v)), "that is the highest validation loss: the best epoch has the lowest."),
    ]
    return check_formula(early_stopping_epoch, _early_stopping, _val_losses_random, name="early_stopping_epoch",
                         mistakes=mistakes, trials=8, strict=strict)


def _val_losses_random(rng):
    """``check_formula`` passes a ``random.Random``; make a NumPy generator from it."""
    return _val_losses(np.random.default_rng(rng.randrange(2**32)))
