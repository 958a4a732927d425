"""course_utils.scale (generated from notebook 10): mixed precision, channels-last and one-cycle around
notebook 08's fit. Each test fails when its setting is removed."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
from torch import nn  # noqa: E402

from course_utils.scale import MixedPrecision, fit_fast, one_cycle  # noqa: E402


def small_cnn():
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(4 * 13 * 13, 10))


@pytest.fixture(scope="module")
def data():
    g = torch.Generator().manual_seed(0)
    return torch.rand(64, 1, 28, 28, generator=g), torch.randint(0, 10, (64,), generator=g)


def _channels_last(model):
    """Whether the first convolution's weight (4, 1, 3, 3) is stored channels-last: strides (9, 1, 3, 1), not (9, 9, 3, 1)."""
    return model[0].weight.stride() == (9, 1, 3, 1)


def _conv_dtypes(model):
    seen = []
    model[0].register_forward_hook(lambda module, inputs, output: seen.append(output.dtype))
    return seen


def test_mixed_precision_runs_the_forward_pass_in_bf16_and_returns_float32():
    model = small_cnn()
    seen = _conv_dtypes(model)
    logits = MixedPrecision(model)(torch.rand(3, 1, 28, 28))
    assert seen == [torch.bfloat16] and logits.dtype == torch.float32 and logits.shape == (3, 10)
    assert model[0].weight.dtype == torch.float32
    assert list(MixedPrecision(model).parameters()) == list(model.parameters())  # the same weights are trained


def test_fit_fast_trains_in_bf16_channels_last_with_one_cycle(data):
    X, y = data
    model = small_cnn()
    seen = _conv_dtypes(model)
    before = [p.detach().clone() for p in model.parameters()]
    history = fit_fast(model, X, y, num_epochs=2, batch_size=16, lr=1e-2, progress=False)
    assert set(seen) == {torch.bfloat16}
    assert _channels_last(model)
    assert len(history["train loss"]) == 2 and all(np.isfinite(history["train loss"]))
    assert any(not torch.equal(a, b) for a, b in zip(before, model.parameters()))


def test_each_setting_of_fit_fast_can_be_switched_off(data):
    X, y = data
    model = small_cnn()
    seen = _conv_dtypes(model)
    fit_fast(model, X, y, num_epochs=1, batch_size=16, mixed_precision=False, channels_last=False, progress=False)
    assert set(seen) == {torch.float32} and not _channels_last(model)


def test_fit_fast_uses_the_one_cycle_schedule(data):
    X, y = data

    def weights(**options):
        model = small_cnn()
        fit_fast(model, X, y, num_epochs=1, batch_size=16, lr=1e-2, mixed_precision=False, progress=False, **options)
        return torch.cat([p.detach().ravel() for p in model.parameters()])

    assert torch.equal(weights(), weights(schedule=one_cycle))
    assert not torch.equal(weights(), weights(schedule=None))


def test_one_cycle_matches_torch_onecycle():
    steps = 200
    optimizer = torch.optim.Adam([torch.zeros(1, requires_grad=True)], lr=1.0)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=1.0, total_steps=steps)
    theirs = []
    for _ in range(steps):
        theirs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        scheduler.step()
    ours = np.array([one_cycle(t / steps) for t in range(steps)])
    assert np.max(np.abs(ours - theirs)) < 0.02
    assert one_cycle(0.0) == pytest.approx(1 / 25) and one_cycle(0.3) == pytest.approx(1.0)
    assert one_cycle(1.0) == pytest.approx(1 / 25 / 1e4)
    assert np.all(np.diff(ours[:60]) > 0) and np.all(np.diff(ours[61:]) < 0)
    assert one_cycle(0.5, warmup=0.5) == pytest.approx(1.0)
