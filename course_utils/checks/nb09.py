"""Exercise checkers for notebook 09 (generalization, overfitting and interpretability).

The gap and the occlusion map are a reference and a table of mistakes; early stopping is tried
on its boundaries (the patience exactly reached, a new best found on the last epoch it may
look at, a list where it never stops), where an off-by-one shows.
"""

from __future__ import annotations

import numpy as np

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- the gap


def _random_history(rng, num_epochs):
    """A plausible training history, as ``fit`` returns it (lists): accuracies rise, the training ones faster."""
    train_acc = np.clip(np.sort(rng.uniform(0.3, 1.0, num_epochs)), 0, 1)
    val_acc = np.clip(train_acc - rng.normal(0.04, 0.05, num_epochs), 0, 1)  # sometimes above training
    train_loss = np.sort(rng.uniform(0.01, 2.0, num_epochs))[::-1].copy()
    val_loss = train_loss + np.abs(rng.normal(0.2, 0.1, num_epochs))
    return {"train loss": list(train_loss), "train acc": list(train_acc), "val loss": list(val_loss), "val acc": list(val_acc)}


def _gap(history):
    return np.array([t - v for t, v in zip(history["train acc"], history["val acc"])])


def check_generalization_gap(generalization_gap, strict: bool = False):
    """``generalization_gap(history) -> (E,)``: train accuracy minus validation accuracy, per epoch."""
    mistakes = [
        (lambda h: np.asarray(h["val loss"]) - np.asarray(h["train loss"]),
         _("that is the gap between the losses; the exercise asks for accuracies (history['train acc'], history['val acc']).")),
        (lambda h: np.asarray(h["train loss"]) - np.asarray(h["val loss"]),
         _("that is the gap between the losses; the exercise asks for accuracies (history['train acc'], history['val acc']).")),
        (lambda h: np.abs(_gap(h)), _("do not take the absolute value: a negative gap (validation above training) is information.")),
        (lambda h: np.mean(_gap(h)), _("that is the mean gap; return one gap per epoch, an array of shape (num_epochs,).")),
        (lambda h: _gap(h)[-1], _("that is the last epoch's gap only; return one per epoch, shape (num_epochs,).")),
    ]
    hints = [("unsupported operand type(s) for -: 'list' and 'list'",
              _("the history holds Python lists, which cannot be subtracted: make arrays first, np.asarray(history['train acc'])"))]
    return check(generalization_gap, name="generalization_gap", reference=_gap,
                 make_args=lambda rng, trial: (_random_history(rng, [5, 12, 1, 3, 8][trial]),), mistakes=mistakes,
                 hints=hints, passed=_("correct on 5 histories, one of a single epoch."), strict=strict)


# --------------------------------------------------------------------------- occlusion


def _occlusion(score_fn, image, patch, fill=0.0, in_place=False, drop=True):
    H, W = image.shape
    base = float(np.asarray(score_fn(image[None]))[0])
    out = np.zeros((H - patch + 1, W - patch + 1))
    for i in range(H - patch + 1):
        for j in range(W - patch + 1):
            occluded = image if in_place else image.copy()
            occluded[i:i + patch, j:j + patch] = fill
            score = float(np.asarray(score_fn(occluded[None]))[0])
            out[i, j] = base - score if drop else score
    return out


def _occlusion_map(score_fn, image, patch):
    return _occlusion(score_fn, image, patch)


def _occlusion_args(rng, trial):
    H, W, patch = [(6, 8, 2), (7, 5, 3), (5, 5, 1), (6, 6, 6), (8, 7, 2)][trial]
    image = rng.uniform(0, 1, (H, W))
    weights = rng.normal(0, 1, (H, W))

    def score_fn(batch):
        """A stand-in for a model: (N, H, W) -> (N,) scores, nonlinear in the pixels."""
        batch = np.asarray(batch, dtype=float)
        if batch.ndim != 3 or batch.shape[1:] != weights.shape:
            raise ValueError(_("score_fn takes a batch of images, shape (N, {H}, {W}); it got shape {shape}: "
                               "pass image[None] for one image").format(H=H, W=W, shape=batch.shape))
        return np.tanh((batch * weights).sum(axis=(1, 2)) / 3)

    return score_fn, image, patch


def check_occlusion_map(occlusion_map, strict: bool = False):
    """``occlusion_map(score_fn, image, patch) -> (H - patch + 1, W - patch + 1)``.

    Entry ``[i, j]``: ``score(image) - score(image with image[i:i+patch, j:j+patch] set to 0)``.
    """
    def non_overlapping(score_fn, image, patch):
        H, W = image.shape
        return _occlusion(score_fn, image, patch)[::patch, ::patch][: H // patch, : W // patch]

    mistakes = [
        (lambda f, im, p: _occlusion(f, im, p, fill=1.0),
         _("the patch should be filled with 0 (the background of an MNIST digit), not 1.")),
        (lambda f, im, p: _occlusion(f, im, p, in_place=True),
         _("the image was changed in place, so earlier patches stayed gray for later positions: occlude a copy "
           "(occluded = image.copy()) at each position.")),
        (lambda f, im, p: _occlusion(f, im, p, drop=False),
         _("those are the scores of the occluded images; return the drop, score(image) − score(occluded).")),
        (lambda f, im, p: -_occlusion(f, im, p),
         _("the sign is flipped: the drop is score(image) − score(occluded), positive where the patch mattered.")),
        (non_overlapping,
         _("slide the patch one pixel at a time (every top-left corner i, j), not in steps of the patch size: "
           "the map has shape (H − patch + 1, W − patch + 1).")),
    ]
    return check(occlusion_map, name="occlusion_map", reference=_occlusion_map, make_args=_occlusion_args, mistakes=mistakes,
                 passed=_("correct on 5 images, patch = 1 and a patch as large as the image included."), strict=strict)


# --------------------------------------------------------------------------- early stopping


def _keep_epoch(val_losses, patience):
    """The best epoch among those training looks at: it stops after epoch best + patience."""
    best = 0
    for epoch in range(1, len(val_losses)):
        if epoch - best > patience:
            break
        if val_losses[epoch] < val_losses[best]:
            best = epoch
    return best


def _early(val_losses, patience, extra=0, stop_first=False, one_based=False, return_stop=False):
    """Early stopping with one of its typical slips: ``extra`` epochs of patience too many,
    the stop tested before the new best (``stop_first``), 1-based, or the stopping epoch."""
    best, best_epoch, stop = float("inf"), 0, len(val_losses) - 1
    for epoch, loss in enumerate(val_losses):
        if stop_first and epoch - best_epoch >= patience:
            stop = epoch
            break
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience + extra:
            stop = epoch
            break
    return stop if return_stop else best_epoch + (1 if one_based else 0)


_BOUNDARIES = [
    ([1.0, 0.8, 0.9, 0.95, 0.7, 0.96, 0.97], 2),  # stops at epoch 3: the 0.7 at epoch 4 is never seen
    ([1.0, 0.8, 0.9, 0.7, 0.95, 0.96, 0.97, 0.98], 2),  # a new best on the last epoch training may look at
    ([0.9, 0.7, 0.6, 0.5, 0.45, 0.44], 3),  # never stops: the last epoch is the best
    ([0.5], 2),  # one epoch
    ([0.6, 0.4, 0.5, 0.3, 0.2, 0.35, 0.1], 1),  # patience 1: stops at the first epoch without a new best
    ([0.8, 0.9, 0.85, 0.7], 3),  # the best at epoch 0 until the last epoch allowed
    ([0.5, 0.7, 0.6], 3),  # the list ends before the patience runs out, the best is not the last
]


def _val_losses(rng, trial):
    """The boundary cases first, then a validation loss that falls and rises again (overfitting),
    with a little noise and sometimes a late dip that training never reaches when it stops early."""
    if trial < len(_BOUNDARIES):
        losses, patience = _BOUNDARIES[trial]
        return list(losses), patience
    n = int(rng.integers(9, 16))
    turn = int(rng.integers(2, n - 5))
    t = np.arange(n)
    losses = 0.3 + 0.6 * np.exp(-t / 1.5) + 0.03 * np.maximum(0, t - turn) + rng.normal(0, 0.002, n)
    if rng.uniform() < 0.6:
        losses[-1] = losses.min() - 0.05
    losses = [float(v) for v in losses]  # no rounding: no ties, whose order the docstring leaves open
    return losses, int(rng.integers(2, 5))


def check_early_stopping_epoch(early_stopping_epoch, strict: bool = False):
    """``early_stopping_epoch(val_losses, patience) -> int``: the epoch (0-based) whose weights to keep."""
    mistakes = [
        (lambda v, p: _early(v, p, one_based=True), _("one too many: epochs are counted from 0 here (the index into val_losses).")),
        (lambda v, p: int(np.argmin(v)),
         _("that is the lowest loss of the whole list, but training stops after `patience` epochs without "
           "improvement and never sees the later epochs: stop scanning there.")),
        (lambda v, p: _early(v, p, extra=1),
         _("one epoch too many is looked at: stop as soon as `patience` epochs in a row bring no new lowest loss "
           "(epoch - best_epoch >= patience, not >).")),
        (lambda v, p: _early(v, p, extra=-1),
         _("one epoch too few is looked at: training stops only once `patience` epochs in a row bring no new lowest "
           "loss (epoch - best_epoch >= patience).")),
        (lambda v, p: _early(v, p, stop_first=True),
         _("the last epoch allowed was not looked at: test for a new lowest loss first, then whether to stop.")),
        (lambda v, p: _early(v, p, return_stop=True), _("that is the epoch where training stops; keep the weights of the best epoch before it.")),
        (lambda v, p: int(np.argmax(v)), _("that is the highest validation loss: the best epoch has the lowest.")),
        (lambda v, p: len(v) - 1,
         _("that is the last epoch of the list: return the epoch with the lowest loss seen before stopping.")),
    ]
    return check(early_stopping_epoch, name="early_stopping_epoch", reference=_keep_epoch, make_args=_val_losses,
                 trials=13, mistakes=mistakes, integer=True,
                 passed=_("correct on 13 loss curves, the patience boundary and no stop at all included."), strict=strict)
