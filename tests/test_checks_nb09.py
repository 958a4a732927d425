"""The notebook 09 checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

from course_utils.checks import nb09 as ex


def _fails_with(checker, fn, match):
    with pytest.raises(AssertionError, match=match):
        checker(fn, strict=True)


# ----------------------------------------------------------------------------- the gap

def gap(history):
    return np.array(history["train acc"]) - np.array(history["val acc"])


def test_gap_accepts_right_answers():
    assert ex.check_generalization_gap(gap, strict=True)
    assert ex.check_generalization_gap(lambda h: [t - v for t, v in zip(h["train acc"], h["val acc"])], strict=True)


def test_gap_names_mistakes(capsys):
    _fails_with(ex.check_generalization_gap, lambda h: -gap(h), "sign is flipped")
    _fails_with(ex.check_generalization_gap, lambda h: np.array(h["val loss"]) - np.array(h["train loss"]), "losses")
    _fails_with(ex.check_generalization_gap, lambda h: np.abs(gap(h)), "absolute value")
    _fails_with(ex.check_generalization_gap, lambda h: gap(h)[-1], "shape")
    _fails_with(ex.check_generalization_gap, lambda h: gap(h) * np.nan, "NaN")
    _fails_with(ex.check_generalization_gap, lambda h: h["test acc"], "KeyError")
    assert ex.check_generalization_gap(lambda h: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


# ----------------------------------------------------------------------------- occlusion

def occlusion_map(score_fn, image, patch):
    H, W = image.shape
    base = score_fn(image[None])[0]
    out = np.zeros((H - patch + 1, W - patch + 1))
    for i in range(H - patch + 1):
        for j in range(W - patch + 1):
            occluded = image.copy()
            occluded[i:i + patch, j:j + patch] = 0
            out[i, j] = base - score_fn(occluded[None])[0]
    return out


def occlusion_batched(score_fn, image, patch):
    H, W = image.shape
    positions = [(i, j) for i in range(H - patch + 1) for j in range(W - patch + 1)]
    batch = np.repeat(image[None], len(positions), axis=0)
    for k, (i, j) in enumerate(positions):
        batch[k, i:i + patch, j:j + patch] = 0
    return (score_fn(image[None])[0] - score_fn(batch)).reshape(H - patch + 1, W - patch + 1)


def test_occlusion_accepts_loops_and_batches():
    assert ex.check_occlusion_map(occlusion_map, strict=True)
    assert ex.check_occlusion_map(occlusion_batched, strict=True)


def test_occlusion_names_mistakes():
    def fill_one(f, image, p):
        H, W = image.shape
        out = np.zeros((H - p + 1, W - p + 1))
        for i in range(H - p + 1):
            for j in range(W - p + 1):
                o = image.copy()
                o[i:i + p, j:j + p] = 1
                out[i, j] = f(image[None])[0] - f(o[None])[0]
        return out

    def in_place(f, image, p):
        base = f(image[None])[0]
        H, W = image.shape
        out = np.zeros((H - p + 1, W - p + 1))
        for i in range(H - p + 1):
            for j in range(W - p + 1):
                image[i:i + p, j:j + p] = 0
                out[i, j] = base - f(image[None])[0]
        return out

    def scores_not_drops(f, image, p):
        return f(image[None])[0] - occlusion_map(f, image, p)

    def strided(f, image, p):
        return occlusion_map(f, image, p)[::p, ::p][: image.shape[0] // p, : image.shape[1] // p]

    _fails_with(ex.check_occlusion_map, fill_one, "filled with 0")
    _fails_with(ex.check_occlusion_map, in_place, "in place")
    _fails_with(ex.check_occlusion_map, scores_not_drops, "return the drop")
    _fails_with(ex.check_occlusion_map, strided, "one pixel at a time")
    _fails_with(ex.check_occlusion_map, lambda f, im, p: -occlusion_map(f, im, p), "sign is flipped")
    _fails_with(ex.check_occlusion_map, lambda f, im, p: occlusion_map(f, im, p).T, "transposed|shape")
    _fails_with(ex.check_occlusion_map, lambda f, im, p: np.full_like(occlusion_map(f, im, p), np.nan), "NaN or inf")
    _fails_with(ex.check_occlusion_map, lambda f, im, p: f(im), "raised AxisError")
    assert ex.check_occlusion_map(lambda f, im, p: None).status == "todo"


# ----------------------------------------------------------------------------- early stopping

def early_stopping_epoch(val_losses, patience):
    best, best_epoch = float("inf"), 0
    for epoch, loss in enumerate(val_losses):
        if loss < best:
            best, best_epoch = loss, epoch
        elif epoch - best_epoch >= patience:
            break
    return best_epoch


def test_early_stopping_accepts_right_answers():
    assert ex.check_early_stopping_epoch(early_stopping_epoch, strict=True)
    assert ex.check_early_stopping_epoch(lambda v, p: np.int64(early_stopping_epoch(v, p)), strict=True)


def test_early_stopping_names_mistakes(capsys):
    def stop_epoch(v, p):
        best, best_epoch = float("inf"), 0
        for epoch, loss in enumerate(v):
            if loss < best:
                best, best_epoch = loss, epoch
            elif epoch - best_epoch >= p:
                return epoch
        return len(v) - 1

    _fails_with(ex.check_early_stopping_epoch, lambda v, p: int(np.argmin(v)), "never sees the later epochs")
    _fails_with(ex.check_early_stopping_epoch, lambda v, p: early_stopping_epoch(v, p) + 1, "counted from 0")
    _fails_with(ex.check_early_stopping_epoch, stop_epoch, "where training stops")
    _fails_with(ex.check_early_stopping_epoch, lambda v, p: int(np.argmax(v)), "highest validation loss")
    _fails_with(ex.check_early_stopping_epoch, lambda v, p: v[early_stopping_epoch(v, p)], "wrong value")
    _fails_with(ex.check_early_stopping_epoch, lambda v, p: v.index(None), "ValueError")
    assert ex.check_early_stopping_epoch(lambda v, p: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out
