"""course_utils.conv (generated from notebook 07) against PyTorch (float64, autograd as the reference)."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

from course_utils import conv  # noqa: E402

# (N, C, H, W, F, k, stride, pad): square and non-square inputs, stride 1-3, pad 0-2
CONV_CASES = [
    (2, 3, 7, 7, 4, 3, 1, 0),
    (1, 1, 28, 28, 2, 3, 1, 0),
    (3, 2, 8, 5, 3, 3, 2, 1),
    (2, 4, 9, 11, 5, 3, 1, 1),
    (1, 3, 6, 10, 2, 2, 2, 0),
    (2, 2, 10, 7, 3, 5, 3, 2),
    (2, 1, 5, 5, 1, 1, 1, 0),
    (1, 2, 4, 6, 3, 3, 2, 1),
]


def _torch_conv(x, w, b, dout, stride, pad):
    xt, wt, bt = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    out = F.conv2d(xt, wt, bt, stride=stride, padding=pad)
    out.backward(torch.tensor(dout))
    return out.detach().numpy(), xt.grad.numpy(), wt.grad.numpy(), bt.grad.numpy()


@pytest.mark.parametrize("case", CONV_CASES, ids=str)
def test_conv2d_forward_and_backward_match_torch(case):
    N, C, H, W, Fo, k, s, p = case
    rng = np.random.default_rng(sum(case))
    x, w, b = rng.normal(size=(N, C, H, W)), rng.normal(size=(Fo, C, k, k)), rng.normal(size=Fo)
    out, cache = conv.conv2d_forward(x, w, b, stride=s, pad=p)
    dout = rng.normal(size=out.shape)
    dx, dw, db = conv.conv2d_backward(dout, cache)
    t_out, t_dx, t_dw, t_db = _torch_conv(x, w, b, dout, s, p)
    assert out.shape == t_out.shape == (N, Fo, conv.output_size(H, k, p, s), conv.output_size(W, k, p, s))
    for mine, ref in ((out, t_out), (dx, t_dx), (dw, t_dw), (db, t_db)):
        assert mine.shape == ref.shape
        assert np.max(np.abs(mine - ref)) < 1e-10


def test_conv2d_non_square_kernel():
    rng = np.random.default_rng(1)
    x, w, b = rng.normal(size=(2, 3, 7, 9)), rng.normal(size=(4, 3, 2, 3)), rng.normal(size=4)
    out, cache = conv.conv2d_forward(x, w, b, stride=2, pad=1)
    dout = rng.normal(size=out.shape)
    got = (out, *conv.conv2d_backward(dout, cache))
    for mine, ref in zip(got, _torch_conv(x, w, b, dout, 2, 1)):
        np.testing.assert_allclose(mine, ref, atol=1e-10)


def test_conv2d_rejects_channel_mismatch():
    with pytest.raises(ValueError, match="channels"):
        conv.conv2d_forward(np.zeros((1, 2, 5, 5)), np.zeros((3, 1, 3, 3)), np.zeros(3))


def test_im2col_matches_torch_unfold():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 3, 6, 8))
    for k, s, p in [(3, 1, 0), (3, 2, 1), (2, 2, 0), (4, 3, 2)]:
        cols = conv.im2col(x, k, k, s, p)
        ref = F.unfold(torch.tensor(x), k, padding=p, stride=s).numpy()  # (N, C*k*k, L)
        np.testing.assert_array_equal(cols, ref.transpose(0, 2, 1).reshape(-1, ref.shape[1]))


def test_col2im_is_the_adjoint_of_im2col():
    """<im2col(x), c> == <x, col2im(c)> for every x and c: what backward relies on."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 3, 7, 6))
    for k, s, p in [(3, 1, 0), (3, 2, 1), (2, 3, 2)]:
        cols = conv.im2col(x, k, k, s, p)
        c = rng.normal(size=cols.shape)
        assert np.isclose(np.sum(cols * c), np.sum(x * conv.col2im(c, x.shape, k, k, s, p)))


def test_output_size_formula_matches_torch():
    for n in range(3, 12):
        for k in range(1, 5):
            for p in range(0, 3):
                for s in range(1, 4):
                    if n + 2 * p < k:  # the kernel does not fit
                        continue
                    got = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p).shape[-1]
                    assert conv.output_size(n, k, p, s) == got, (n, k, p, s)


# (N, C, H, W, size, stride): pool 2 and 3, non-square, overlapping windows, ragged edges
POOL_CASES = [
    (2, 3, 8, 8, 2, None),
    (1, 2, 7, 9, 2, None),
    (2, 2, 9, 6, 3, None),
    (1, 3, 10, 11, 3, 3),
    (2, 1, 7, 7, 3, 2),
    (1, 2, 6, 5, 2, 1),
    (1, 32, 26, 26, 2, None),
]


@pytest.mark.parametrize("case", POOL_CASES, ids=str)
def test_maxpool_forward_and_backward_match_torch(case):
    N, C, H, W, size, stride = case
    rng = np.random.default_rng(H * W + size)
    x = rng.normal(size=(N, C, H, W))
    out = conv.maxpool2d(x, size, stride)
    dout = rng.normal(size=out.shape)
    dx = conv.maxpool2d_backward(dout, x, size, stride)
    xt = torch.tensor(x, requires_grad=True)
    t_out = F.max_pool2d(xt, size, stride)
    t_out.backward(torch.tensor(dout))
    assert out.shape == t_out.shape
    assert np.max(np.abs(out - t_out.detach().numpy())) == 0.0
    assert np.max(np.abs(dx - xt.grad.numpy())) < 1e-12


def test_maxpool_gradient_goes_only_to_the_max():
    x = np.array([[[[1.0, 5.0], [3.0, 2.0]]]])
    out = conv.maxpool2d(x, 2)
    assert out.item() == 5.0
    np.testing.assert_array_equal(conv.maxpool2d_backward(np.array([[[[7.0]]]]), x, 2), [[[[0, 7], [0, 0]]]])


def test_float32_stays_float32():
    x, w = np.ones((1, 1, 4, 4), dtype=np.float32), np.ones((2, 1, 3, 3), dtype=np.float32)
    out, cache = conv.conv2d_forward(x, w, np.zeros(2, dtype=np.float32))
    assert conv.im2col(x, 3, 3).dtype == np.float32 and out.dtype == np.float32
    assert all(g.dtype == np.float32 for g in conv.conv2d_backward(np.ones_like(out), cache))
