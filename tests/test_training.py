"""course_utils.training: the fit loop, augmentation and checkpoints (small and quick, on the CPU)."""

import os

import numpy as np
import pytest
import torch
from torch import nn

from course_utils.data import load_mnist
from course_utils.models import source_cnn
from course_utils.training import (CheckpointError, augment_batch, evaluate, fit, load_checkpoint, predict,
                                   save_checkpoint, to_tensors)


@pytest.fixture(scope="module")
def digits():
    """200 real training digits, 20 of each class (the bundle is sorted by label)."""
    (x, y), _ = load_mnist("bundled", verbose=False)
    idx = np.concatenate([np.flatnonzero(y == d)[:20] for d in range(10)])
    return to_tensors(x[idx], y[idx])


def small_cnn():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 13 * 13, 10))


def test_to_tensors_shapes_range_and_types():
    x = np.array([[[0, 255], [128, 3]]], dtype=np.uint8)
    x.flags.writeable = False  # like the arrays load_mnist returns
    X, y = to_tensors(x, [7])
    assert X.shape == (1, 1, 2, 2) and X.dtype == torch.float32
    assert float(X.min()) == 0.0 and float(X.max()) == 1.0
    assert y.dtype == torch.int64 and y.tolist() == [7]
    assert to_tensors(x, None)[1] is None
    assert X[0, 0, 1, 0].item() == pytest.approx(128 / 255)  # scaled, not clipped or normalized


def test_fit_loss_falls_and_history_has_every_epoch(digits):
    X, y = digits
    model = small_cnn()
    history = fit(model, X, y, num_epochs=3, batch_size=20, lr=3e-3, X_val=X[::4], y_val=y[::4], progress=False)
    assert set(history) == {"train loss", "train acc", "val loss", "val acc", "seconds"}
    assert history["seconds"] == sorted(history["seconds"]) and history["seconds"][0] > 0
    assert all(len(v) == 3 for v in history.values())
    assert history["train loss"][-1] < 0.7 * history["train loss"][0]
    assert all(0.0 <= a <= 1.0 for a in history["train acc"] + history["val acc"])
    assert history["val acc"][-1] == pytest.approx(evaluate(model, X[::4], y[::4])[1])
    assert "val loss" not in fit(small_cnn(), X[:40], y[:40], num_epochs=1, progress=False)


def _weights(model):
    return torch.cat([p.detach().ravel() for p in model.parameters()])


def _trained(X, y, **options):
    model = small_cnn()
    fit(model, X, y, num_epochs=1, batch_size=20, lr=3e-3, progress=False, **options)
    return _weights(model)


def test_fit_uses_augmentation(digits, monkeypatch):
    """augment=True must train on moved copies: other weights than without, and augment_batch is called."""
    X, y = digits
    assert not torch.equal(_trained(X, y, augment=True), _trained(X, y, augment=False))
    import course_utils.training as training
    calls = []
    monkeypatch.setattr(training, "augment_batch", lambda X_batch, gen: calls.append(len(X_batch)) or X_batch)
    _trained(X, y, augment=True)
    assert sum(calls) == len(X)  # every image of the epoch went through it


def test_fit_uses_weight_decay(digits):
    """weight_decay pulls the weights towards 0: different weights, and a smaller norm after training."""
    X, y = digits
    plain, decayed = _trained(X, y), _trained(X, y, weight_decay=0.5)
    assert not torch.equal(plain, decayed)
    assert decayed.norm() < plain.norm()


def test_fit_uses_the_schedule(digits):
    """schedule(fraction) scales lr at every step: a schedule of 0 leaves the weights where they started."""
    X, y = digits
    start = _weights(small_cnn())
    assert torch.equal(_trained(X, y, schedule=lambda fraction: 0.0), start)
    seen = []
    _trained(X, y, schedule=lambda fraction: seen.append(fraction) or 1.0)
    assert seen == [i / 10 for i in range(10)]  # 200 images in batches of 20: fractions 0, 0.1, ..., 0.9
    assert not torch.equal(_trained(X, y, schedule=lambda f: 1.0 - f), _trained(X, y))


def test_fit_counts_every_image_once_per_epoch(digits):
    """Shuffled batches cover the training set exactly once an epoch, in a new order each epoch."""
    X, y = digits
    model, seen = small_cnn(), []
    model.register_forward_pre_hook(lambda module, inputs: seen.append(inputs[0].sum((1, 2, 3))) if module.training else None)
    fit(model, X, y, num_epochs=2, batch_size=64, progress=False)
    first, second = torch.cat(seen[:4]), torch.cat(seen[4:])
    assert len(first) == len(second) == len(X)
    assert torch.allclose(first.sort().values, X.sum((1, 2, 3)).sort().values)
    assert not torch.allclose(first, second)


def test_fit_reports_the_loss_and_accuracy_of_the_epoch(digits):
    """With one batch per epoch, an epoch's training numbers are those of the weights before its one step."""
    X, y = digits
    model = small_cnn()
    before_loss, before_acc = evaluate(model, X, y)
    history = fit(model, X, y, num_epochs=2, batch_size=len(X), lr=1e-2, progress=False)
    assert history["train loss"][0] == pytest.approx(before_loss, rel=1e-5)
    assert history["train acc"][0] == pytest.approx(before_acc)
    assert history["train loss"][1] < history["train loss"][0]


def test_same_seed_same_weights_different_seed_different(digits):
    X, y = digits

    def run(seed):
        model = small_cnn()
        fit(model, X, y, num_epochs=1, batch_size=32, augment=True, seed=seed, progress=False)
        return _weights(model)

    assert torch.equal(run(0), run(0))
    assert not torch.equal(run(0), run(1))


def test_evaluate_and_predict_agree(digits):
    X, y = digits
    model = small_cnn()
    logits = predict(model, X, batch_size=64)
    assert logits.shape == (len(X), 10) and logits.device.type == "cpu"
    loss, acc = evaluate(model, X, y, batch_size=64)
    assert loss == pytest.approx(nn.functional.cross_entropy(logits, y).item(), rel=1e-5)
    assert acc == pytest.approx((logits.argmax(1) == y).float().mean().item())
    assert torch.allclose(predict(model, X, batch_size=7), logits, atol=1e-6)  # the batches do not matter
    model.train()
    evaluate(model, X, y)
    assert model.training, "evaluate must restore training mode"
    dropout = nn.Sequential(nn.Flatten(), nn.Dropout(0.9), nn.Linear(784, 10))
    assert torch.equal(predict(dropout, X[:5]), predict(dropout, X[:5])), "predict must run in eval mode"
    dropout.eval()
    predict(dropout, X[:5])
    assert not dropout.training, "predict must restore evaluation mode too"


def test_augment_keeps_shape_and_range_moves_pixels_and_is_seeded(digits):
    X, _ = digits
    out = augment_batch(X, torch.Generator().manual_seed(0))
    assert out.shape == X.shape and out.dtype == X.dtype
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0
    assert not torch.allclose(out, X), "augmentation should move the digits"
    # ink is neither created nor lost in bulk: a small move keeps the total close
    assert torch.allclose(out.sum((1, 2, 3)), X.sum((1, 2, 3)), rtol=0.15)
    assert torch.equal(out, augment_batch(X, torch.Generator().manual_seed(0)))
    # with no shift and no rotation it is the identity
    same = augment_batch(X, torch.Generator().manual_seed(0), max_shift=0.0, max_degrees=0.0)
    assert torch.allclose(same, X, atol=1e-5)


def test_augment_shift_moves_a_pixel_by_whole_pixels():
    X = torch.zeros(1, 1, 28, 28)
    X[0, 0, 14, 14] = 1.0
    gen = torch.Generator().manual_seed(3)
    out = augment_batch(X, gen, max_shift=2.0, max_degrees=0.0)
    r, c = np.unravel_index(int(out.argmax()), (28, 28))
    assert abs(r - 14) <= 2 and abs(c - 14) <= 2


def test_checkpoint_round_trip_and_no_temp_file_left(tmp_path):
    model = small_cnn()
    path = save_checkpoint(model, tmp_path / "sub" / "cnn.pt")
    assert os.listdir(tmp_path / "sub") == ["cnn.pt"], "the atomic write must leave no temporary file"
    other = small_cnn()
    with torch.no_grad():
        for p in other.parameters():
            p.zero_()
    load_checkpoint(other, path)
    for a, b in zip(model.state_dict().values(), other.state_dict().values()):
        assert torch.equal(a, b)
    save_checkpoint(model, path)  # overwriting works too, still one file
    assert os.listdir(tmp_path / "sub") == ["cnn.pt"]


def test_failed_save_leaves_old_file_and_no_temp(tmp_path, monkeypatch):
    path = save_checkpoint(small_cnn(), tmp_path / "cnn.pt")
    before = path.read_bytes()

    def broken_save(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", broken_save)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(small_cnn(), path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["cnn.pt"]


def test_mismatched_architecture_names_the_layers(tmp_path):
    path = save_checkpoint(source_cnn(), tmp_path / "cnn.pt")
    with pytest.raises(CheckpointError, match="different architecture") as info:
        load_checkpoint(small_cnn(), path)
    text = str(info.value)
    assert "unexpected in the checkpoint: 3.weight, 3.bias, 7.weight" in text  # conv2 and the dense layers
    assert "0.weight: checkpoint (32, 1, 3, 3) vs model (4, 1, 3, 3)" in text
    # a model with an extra layer: its weights are named as missing
    bigger = nn.Sequential(*source_cnn(), nn.ReLU(), nn.Linear(10, 10))
    with pytest.raises(CheckpointError, match=r"missing in the checkpoint: 11\.weight, 11\.bias"):
        load_checkpoint(bigger, path)


def test_truncated_or_corrupt_file_gives_a_clear_error(tmp_path):
    path = save_checkpoint(small_cnn(), tmp_path / "cnn.pt")
    data = path.read_bytes()
    (tmp_path / "half.pt").write_bytes(data[: len(data) // 2])
    with pytest.raises(CheckpointError, match="truncated or corrupt"):
        load_checkpoint(small_cnn(), tmp_path / "half.pt")
    (tmp_path / "junk.pt").write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError, match="half.pt|junk.pt"):
        load_checkpoint(small_cnn(), tmp_path / "junk.pt")
    with pytest.raises(FileNotFoundError, match="no checkpoint"):
        load_checkpoint(small_cnn(), tmp_path / "absent.pt")


class _RunsCode:
    def __reduce__(self):
        return (os.getcwd, ())


def test_weights_only_refuses_a_pickle_that_would_run_code(tmp_path):
    torch.save({"0.weight": _RunsCode()}, tmp_path / "evil.pt")
    with pytest.raises(CheckpointError, match="weights_only=True refused"):
        load_checkpoint(small_cnn(), tmp_path / "evil.pt")


def test_gpu_check_smoke_runs_on_the_cpu(capsys):
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent.parent / "benchmarks" / "gpu_check.py"
    spec = importlib.util.spec_from_file_location("gpu_check", path)
    gpu_check = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gpu_check)
    assert gpu_check.main(["--epochs", "1", "--limit", "100", "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "images per second" in out and "accuracy" in out and "smoke test" in out
