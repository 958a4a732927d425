"""Notebook 09's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb09 as ex


def gap(history):
    return np.asarray(history["train acc"]) - np.asarray(history["val acc"])


def gap_in_place(history):
    train = history["train acc"]
    for i, v in enumerate(history["val acc"]):
        train[i] -= v  # the caller's history, changed
    return np.array(train)


@pytest.mark.parametrize("answer", [
    right(gap, "np.asarray"), right(lambda h: [t - v for t, v in zip(h["train acc"], h["val acc"])], "a list"),
    right(lambda h: np.subtract(h["train acc"], h["val acc"]), "np.subtract"),
])
def test_generalization_gap_right(answer, capsys):
    assert_right(ex.check_generalization_gap, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda h: h["train acc"] - h["val acc"], "fail", "the history holds Python lists", "lists subtracted"),
    wrong(lambda h: np.asarray(h["val loss"]) - np.asarray(h["train loss"]), "fail", "the gap between the losses", "losses"),
    wrong(lambda h: np.abs(gap(h)), "fail", "do not take the absolute value", "abs"),
    wrong(lambda h: -gap(h), "fail", "the sign is flipped", "val - train"),
    wrong(lambda h: np.mean(gap(h)), "fail", "that is the mean gap", "mean"),
    wrong(lambda h: gap(h)[-1], "fail", "the last epoch's gap only", "last epoch"),
    wrong(lambda h: np.asarray(h["train_acc"]) - np.asarray(h["val_acc"]), "fail", "raised KeyError", "key spelt with _"),
    wrong(gap_in_place, "fail", "changed its input `history['train acc']` in place", "history changed"),
    wrong(lambda h: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(gap), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(gap), "fail", "expected shape (12,), got (5,)", "right for the first input only"),
])
def test_generalization_gap_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_generalization_gap, answer, status, phrase, capsys)


def occlusion(score_fn, image, patch):
    H, W = image.shape
    positions = [(i, j) for i in range(H - patch + 1) for j in range(W - patch + 1)]
    batch = np.repeat(image[None], len(positions), axis=0)
    for k, (i, j) in enumerate(positions):
        batch[k, i:i + patch, j:j + patch] = 0
    return (score_fn(image[None])[0] - score_fn(batch)).reshape(H - patch + 1, W - patch + 1)


def occlusion_loop(score_fn, image, patch):
    H, W = image.shape
    base = score_fn(image[None])[0]
    out = np.zeros((H - patch + 1, W - patch + 1))
    for i in range(H - patch + 1):
        for j in range(W - patch + 1):
            occluded = image.copy()
            occluded[i:i + patch, j:j + patch] = 0
            out[i, j] = base - score_fn(occluded[None])[0]
    return out


def occlusion_in_place(score_fn, image, patch):
    H, W = image.shape
    base = score_fn(image[None])[0]
    out = np.zeros((H - patch + 1, W - patch + 1))
    for i in range(H - patch + 1):
        for j in range(W - patch + 1):
            image[i:i + patch, j:j + patch] = 0
            out[i, j] = base - score_fn(image[None])[0]
    return out


def occlusion_no_batch(score_fn, image, patch):
    return np.array([[score_fn(image)[0]]])


def occlusion_strided(score_fn, image, patch):
    return occlusion_loop(score_fn, image, patch)[::patch, ::patch]


@pytest.mark.parametrize("answer", [right(occlusion, "one batch"), right(occlusion_loop, "a loop")])
def test_occlusion_map_right(answer, capsys):
    assert_right(ex.check_occlusion_map, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(occlusion_in_place, "fail", "the image was changed in place", "in place"),
    wrong(lambda f, im, p: -occlusion(f, im, p), "fail", "the sign is flipped", "sign"),
    wrong(lambda f, im, p: f(im[None])[0] - occlusion(f, im, p), "fail", "those are the scores of the occluded images", "scores"),
    wrong(occlusion_no_batch, "fail", "score_fn takes a batch of images", "image without a batch axis"),
    wrong(occlusion_strided, "fail", "slide the patch one pixel at a time", "strided"),
    wrong(lambda f, im, p: occlusion(f, im, p).T, "fail", "transposed", "transposed"),
    wrong(lambda f, im, p: occlusion(f, im, p).ravel(), "fail", "expected shape (5, 7), got (35,)", "flat"),
    wrong(lambda f, im, p: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(occlusion), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_occlusion_map_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_occlusion_map, answer, status, phrase, capsys)


def early(val_losses, patience):
    best_loss, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            break
    return best_epoch


def early_counter(val_losses, patience):
    best, best_epoch, waited = val_losses[0], 0, 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < best:
            best, best_epoch, waited = val_losses[epoch], epoch, 0
        else:
            waited += 1
            if waited == patience:
                break
    return best_epoch


def early_gt(val_losses, patience):
    best_loss, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch > patience:
            break
    return best_epoch


def early_stop_first(val_losses, patience):
    best_loss, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if epoch - best_epoch >= patience:
            break
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
    return best_epoch


def early_stop_epoch_minus_patience(val_losses, patience):
    best_loss, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best_loss:
            best_loss, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            return epoch - patience
    return len(val_losses) - 1


@pytest.mark.parametrize("answer", [
    right(early, "best so far"), right(early_counter, "a counter"),
    right(lambda v, p: int(np.argmin(v[:next((e for e in range(len(v)) if e - int(np.argmin(v[:e + 1])) >= p), len(v) - 1) + 1])),
          "argmin of what was seen"),
])
def test_early_stopping_epoch_right(answer, capsys):
    assert_right(ex.check_early_stopping_epoch, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda v, p: int(np.argmin(v)), "fail", "the lowest loss of the whole list", "global argmin"),
    wrong(early_gt, "fail", "one epoch too many is looked at", "> instead of >="),
    wrong(early_stop_first, "fail", "the last epoch allowed was not looked at", "stop tested first"),
    wrong(lambda v, p: early(v, p) + 1, "fail", "epochs are counted from 0", "1-based"),
    wrong(early_stop_epoch_minus_patience, "fail", "got 2, expected 0", "stop - patience"),
    wrong(lambda v, p: int(np.argmax(v)), "fail", "the highest validation loss", "argmax"),
    wrong(lambda v, p: len(v) - 1, "fail", "the last epoch of the list", "always the last epoch"),
    wrong(lambda v, p: float(early(v, p)), "fail", "the right value, but as a float", "a float"),
    wrong(lambda v, p: v[early(v, p)], "fail", "returned 0.8, not a whole number; expected the int 1", "the loss, not the epoch"),
    wrong(lambda v, p: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(early), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_early_stopping_epoch_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_early_stopping_epoch, answer, status, phrase, capsys)
