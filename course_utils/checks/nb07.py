"""Exercise checkers for notebook 07, convolution and pooling by hand.

Each checker knows the usual wrong answers (a flipped kernel, padding on one side only,
stride ignored or ``stride=None`` taken as 1, average instead of max, a missing ``+ 1``; in the
backward pass ``dW`` not summed over the batch, ``db`` over the wrong axes, ``dx`` with a
flipped kernel, its padding not cropped, ``=`` where overlapping windows need ``+=``) and
names them; the defaults of each function (``pad=0, stride=1``, ``size=2, stride=None``) are
among the trials, and so are non-square inputs and kernels. The backward pass is checked
against torch's autograd.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..i18n import _
from .engine import check

# --------------------------------------------------------------------------- exercise 1: the output size


def _positions(n, k, pad=0, stride=1):
    """Count the places a kernel of size k fits on n + 2·pad pixels, stepping stride at a time."""
    count, start = 0, 0
    while start + k <= n + 2 * pad:
        count, start = count + 1, start + stride
    return count


OUTPUT_SIZE_CASES = [(28, 3, 0, 1), (26, 2, 0, 2), (28, 3, 1, 1), (28, 3, 1, 2), (7, 3, 1, 2), (10, 5, 2, 3),
                     (11, 3, 0, 2), (13, 3, 0, 1), (32, 5, 2, 1), (9, 4, 1, 3), (5, 1, 0, 1), (6, 3, 2, 2),
                     (28, 3), (7, 7), (28, 5, 2), (3, 3, 1)]  # the last four leave pad and stride at their defaults


def check_output_size(output_size, strict: bool = False):
    """``output_size(n, k, pad=0, stride=1)``: positions of a size-``k`` kernel on ``n`` pixels padded by
    ``pad`` on each side, moving ``stride`` at a time: ``floor((n + 2 pad - k) / stride) + 1``, an int."""
    mistakes = [
        (lambda n, k, p=0, s=1: (n + 2 * p - k) // s, _("missing the + 1: the kernel's first position counts too.")),
        (lambda n, k, p=0, s=1: (n + p - k) // s + 1, _("padding goes on both sides, so the input grows by 2p, not p.")),
        (lambda n, k, p=0, s=1: (n - k) // s + 1, _("the padding is ignored: the padded input has n + 2·pad pixels.")),
        (lambda n, k, p=0, s=1: n + 2 * p - k + 1, _("the stride is ignored: divide the room the kernel can move by stride.")),
        (lambda n, k, p=0, s=1: -(-(n + 2 * p - k) // s) + 1,
         _("rounded up: a position where the kernel hangs off the edge does not count, so round down (floor, //).")),
        (lambda n, k, p=0, s=1: (n + 2 * p - k) // s - 1, _("- 1 where it should be + 1.")),
        (lambda n, k, p=0, s=1: (n + 2 * p + k) // s + 1, _("the kernel size is added; it should be subtracted (n + 2p - k).")),
        (lambda n, k, p=0, s=1: (n + 2 * p - k + 1) // s, _("the + 1 belongs after the division: (n + 2p - k) // s + 1.")),
    ]
    return check(output_size, name="output_size", reference=_positions, make_args=lambda rng, i: OUTPUT_SIZE_CASES[i],
                 trials=len(OUTPUT_SIZE_CASES), mistakes=mistakes, integer=True,
                 passed=_("correct on {n} cases (padding, strides, odd sizes, the defaults).").format(n=len(OUTPUT_SIZE_CASES)),
                 strict=strict)


# --------------------------------------------------------------------------- exercise 2: one channel


def _cross_correlate(x, k, stride=1, pad=0):
    """One channel: ``x (H, W)``, ``k (kh, kw)`` -> ``(H_out, W_out)``; no flip."""
    windows = sliding_window_view(np.pad(x, pad), k.shape)[::stride, ::stride]  # (H_out, W_out, kh, kw)
    return np.einsum("ijab,ab->ij", windows, k)


# (x shape, kernel shape, stride, pad); None: left at the default
_CONV_SETTINGS = [((7, 8), (3, 3), 2, 1), ((6, 6), (3, 3), None, None), ((6, 9), (2, 2), 2, 0), ((8, 7), (2, 3), 1, 0),
                  ((5, 5), (3, 3), 1, 1), ((9, 6), (2, 2), 3, 2), ((3, 3), (3, 3), 1, 0), ((7, 7), (3, 3), 2, None)]


def _conv_args(rng, trial):
    x_shape, k_shape, stride, pad = _CONV_SETTINGS[trial]
    args = (rng.normal(size=x_shape), rng.normal(size=k_shape))
    if stride is None:
        return args
    return args + (stride,) if pad is None else args + (stride, pad)


def check_conv2d_single(conv2d_single, strict: bool = False):
    """``conv2d_single(x, k, stride=1, pad=0)``: one channel, ``x (H, W)``, ``k (kh, kw)`` ->
    ``(H_out, W_out)``, cross-correlation (no flip) with zero padding and a stride."""

    def one_side(x, k, s=1, p=0):
        return _cross_correlate(np.pad(x, ((p, 0), (p, 0))), k, s, 0)

    def stride_one_cut(x, k, s=1, p=0):  # the output size has the stride, the windows do not
        H, W = (np.array(x.shape) + 2 * p - k.shape) // s + 1
        return _cross_correlate(x, k, 1, p)[:H, :W]

    mistakes = [
        (lambda x, k, s=1, p=0: _cross_correlate(x, k[::-1, ::-1], s, p),
         _("the kernel is flipped: that is the convolution of mathematics; deep learning's conv2d is "
           "cross-correlation, which multiplies x[i+a, j+b] by k[a, b] as it stands.")),
        (lambda x, k, s=1, p=0: _cross_correlate(x, k, 1, p),
         _("the stride is ignored: window (i, j) starts at row i*stride, column j*stride.")),
        (stride_one_cut, _("the windows move 1 pixel at a time: window (i, j) starts at row i*stride, column j*stride.")),
        (lambda x, k, s=1, p=0: _cross_correlate(x, k, s, 0),
         _("the padding is ignored: surround x with pad rows and columns of zeros first.")),
        (one_side, _("zeros were added on one side only: np.pad(x, pad) pads top, bottom, left and right.")),
        (lambda x, k, s=1, p=0: _cross_correlate(np.pad(x, p, constant_values=1.0), k, s, 0), _("padded with ones: padding adds zeros.")),
        (lambda x, k, s=1, p=0: _cross_correlate(x.T, k.T, s, p).T if x.shape[0] == x.shape[1] else None,
         _("rows and columns are mixed up (x.T or k.T somewhere): row i of the output is row i*stride of x.")),
    ]
    return check(conv2d_single, name="conv2d_single", reference=_cross_correlate, make_args=_conv_args,
                 trials=len(_CONV_SETTINGS), mistakes=mistakes,
                 passed=_("correct on {n} inputs: strides, padding, a non-square kernel and the defaults.").format(
                     n=len(_CONV_SETTINGS)), strict=strict)


# --------------------------------------------------------------------------- exercise 3: max-pooling


def _pool(x, size=2, stride=None, reduce=np.max):
    stride = size if stride is None else stride
    windows = sliding_window_view(x, (size, size), axis=(2, 3))[:, :, ::stride, ::stride]  # (N, C, H_out, W_out, s, s)
    return reduce(windows, axis=(4, 5))


def _maxpool(x, size=2, stride=None):
    return _pool(x, size, stride)


# (x shape, size, stride); "-" means left at the default
_POOL_SETTINGS = [((2, 3, 8, 8), "-", "-"), ((1, 2, 7, 9), 3, "-"), ((2, 1, 6, 6), 2, 1), ((1, 2, 9, 7), 3, 2),
                  ((2, 2, 5, 7), 2, None), ((1, 1, 6, 6), 3, 3), ((1, 3, 2, 2), "-", "-")]


def _pool_args(rng, trial):
    shape, size, stride = _POOL_SETTINGS[trial]
    return (rng.normal(size=shape),) + tuple(v for v in (size, stride) if v != "-")


def check_maxpool2d(maxpool2d, strict: bool = False):
    """``maxpool2d(x, size=2, stride=None)``: ``x (N, C, H, W)`` -> ``(N, C, H_out, W_out)``, the
    largest value of each ``size x size`` window, windows ``stride`` apart (``None``: ``size``)."""
    mistakes = [
        (lambda x, size=2, s=None: _pool(x, size, s, np.mean), _("that is average pooling: take the max of each window, not the mean.")),
        (lambda x, size=2, s=None: _pool(x, size, s, np.min), _("that is the min of each window: max-pooling keeps the largest value.")),
        (lambda x, size=2, s=None: _pool(x, size, 1) if s is None else None,
         _("stride=None was taken as 1: None means stride = size (windows side by side, not overlapping).")),
        (lambda x, size=2, s=None: _pool(x, size, size),
         _("the stride is ignored (windows were `size` apart): window (i, j) starts at row i*stride, column j*stride.")),
        (lambda x, size=2, s=None: _pool(x, size, 1),
         _("the stride is ignored (windows 1 apart): window (i, j) starts at row i*stride, column j*stride.")),
        (lambda x, size=2, s=None: _pool(np.abs(x), size, s),
         _("took the largest |value|: max-pooling keeps the largest value, sign included.")),
    ]
    hints = [("NoneType", _("stride=None means stride = size: set it before the loops, "
                            "stride = size if stride is None else stride"))]
    return check(maxpool2d, name="maxpool2d", reference=_maxpool, make_args=_pool_args, trials=len(_POOL_SETTINGS),
                 mistakes=mistakes, hints=hints,
                 passed=_("correct on {n} inputs: the defaults, stride=None, overlapping windows and odd sizes.").format(
                     n=len(_POOL_SETTINGS)), strict=strict)


# --------------------------------------------------------------------------- exercise 4: convolution backward

# (x shape, number of kernels F, kernel (kh, kw), stride, pad); "-" means left at the default
_BACKWARD_SETTINGS = [((2, 3, 6, 7), 4, (3, 3), "-", "-"), ((2, 2, 7, 6), 3, (3, 3), 2, 1),
                      ((1, 2, 5, 5), 2, (3, 3), 1, 2), ((2, 1, 8, 9), 2, (2, 3), 3, 0),
                      ((3, 2, 6, 6), 3, (3, 3), 2, "-"), ((2, 3, 4, 5), 2, (1, 1), 1, 1),
                      ((2, 2, 7, 7), 2, (3, 3), 3, 1)]


def _backward_args(rng, trial):
    x_shape, n_kernels, (kh, kw), stride, pad = _BACKWARD_SETTINGS[trial]
    x, W = rng.normal(size=x_shape), rng.normal(size=(n_kernels, x_shape[1], kh, kw))
    s, p = (1 if stride == "-" else stride), (0 if pad == "-" else pad)
    H_out, W_out = ((n + 2 * p - k) // s + 1 for n, k in zip(x_shape[2:], (kh, kw)))
    dout = rng.normal(size=(x_shape[0], n_kernels, H_out, W_out))
    return (dout, x, W) + tuple(v for v in (stride, pad) if v != "-")


def _conv_backward_autograd(dout, x, W, stride=1, pad=0):
    """The reference: torch's autograd through F.conv2d, in float64 (bias included, for db)."""
    import torch
    import torch.nn.functional as F

    xt, Wt = torch.tensor(x, requires_grad=True), torch.tensor(W, requires_grad=True)
    bt = torch.zeros(W.shape[0], dtype=torch.float64, requires_grad=True)
    F.conv2d(xt, Wt, bt, stride=stride, padding=pad).backward(torch.tensor(dout))
    return xt.grad.numpy(), Wt.grad.numpy(), bt.grad.numpy()


def _conv_backward_variant(dout, x, W, stride=1, pad=0, *, flip=False, dx_stride=True, dW_stride=True,
                           dx_assign=False, dW_assign=False, dW_last_image=False, crop="both"):
    """Loops for (dx, dW, db), with one of the usual mistakes switched on: the mistakes' formulas."""
    N, F_out, H_out, W_out = dout.shape
    kh, kw = W.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    kernels = W[:, :, ::-1, ::-1] if flip else W
    for n in range(N):
        if dW_last_image:
            dW = np.zeros_like(W)
        for f in range(F_out):
            for i in range(H_out):
                for j in range(W_out):
                    r, c = (i * stride, j * stride) if dx_stride else (i, j)
                    share = dout[n, f, i, j] * kernels[f]
                    if dx_assign:
                        dxp[n, :, r:r + kh, c:c + kw] = share
                    else:
                        dxp[n, :, r:r + kh, c:c + kw] += share
                    r, c = (i * stride, j * stride) if dW_stride else (i, j)
                    window = dout[n, f, i, j] * xp[n, :, r:r + kh, c:c + kw]
                    dW[f] = window if dW_assign else dW[f] + window
    H, W_in = x.shape[2:]
    dx = {"both": dxp[:, :, pad:pad + H, pad:pad + W_in], "none": dxp, "start": dxp[:, :, :H, :W_in]}[crop]
    return dx, dW, dout.sum(axis=(0, 2, 3))


def _with_db(wrong_db):
    """A mistake in db only: the right dx and dW (autograd's), db = wrong_db(dout)."""
    return lambda dout, x, W, s=1, p=0: _conv_backward_autograd(dout, x, W, s, p)[:2] + (wrong_db(dout),)


def check_conv2d_backward(conv2d_backward_loops, strict: bool = False):
    """``conv2d_backward_loops(dout, x, W, stride=1, pad=0) -> (dx, dW, db)``: the gradients of
    ``out = conv2d(x, W, b, stride, pad)`` for an upstream gradient ``dout (N, F, H_out, W_out)``;
    ``dx`` has the shape of ``x (N, C, H, W)``, ``dW`` of ``W (F, C, kh, kw)``, ``db`` is ``(F,)``."""

    def variant(**mistake):
        return lambda dout, x, W, s=1, p=0: _conv_backward_variant(dout, x, W, s, p, **mistake)

    over_batch = _("db: each bias b[f] is added at every image and every position, so db[f] sums dout[:, f] "
                   "over the images and the positions: dout.sum(axis=(0, 2, 3)), shape (F,).")
    stride = _("the stride is ignored: output (i, j) read the window starting at row i*stride, column j*stride; "
               "its gradient goes back to that same window.")
    mistakes = [
        (variant(dW_last_image=True),
         _("dW holds one image's share: every image of the batch used the same kernels, so dW adds up (+=) over "
           "the images as well as over the positions.")),
        (lambda dout, x, W, s=1, p=0: tuple(g / len(dout) if k else g for k, g in
                                            enumerate(_conv_backward_autograd(dout, x, W, s, p))),
         _("dW and db were divided by the batch size: the gradient of a sum is a sum (any 1/m of the loss is "
           "already inside dout), so add the images' shares up.")),
        (lambda dout, x, W, s=1, p=0: _conv_backward_autograd(dout, x, W, s, p)[:2] + (dout.mean(axis=(0, 2, 3)),),
         _("db was averaged over the images and positions: db[f] is the sum of dout[:, f].")),
        (_with_db(lambda d: d.sum(axis=(2, 3))), over_batch),
        (_with_db(lambda d: d.sum(axis=0)), over_batch),
        (_with_db(lambda d: d.sum(axis=(1, 2, 3))), over_batch),
        (_with_db(lambda d: d.sum(axis=(0, 1))), over_batch),
        (_with_db(lambda d: d.sum(axis=(0, 2, 3), keepdims=True)),
         _("db: the right sums, but of shape (1, F, 1, 1): leave out keepdims=True, db has shape (F,).")),
        (variant(flip=True),
         _("dx: the kernel is flipped. In the forward pass pixel xp[n, c, i*stride + a, j*stride + b] was "
           "multiplied by W[f, c, a, b], so it gets dout[n, f, i, j] * W[f, c, a, b] back, the weight as it "
           "stands (a flip appears only when dx is written as a full convolution of dout).")),
        (variant(crop="none"),
         _("dx still has the padding: crop it, dx = dxp[:, :, pad:pad + H, pad:pad + W]; the zeros of the "
           "padding are not inputs and get no gradient.")),
        (variant(crop="start"),
         _("dx is cropped at the wrong place: the padding is on both sides, so keep dxp[:, :, pad:pad + H, "
           "pad:pad + W], not the first H rows and W columns.")),
        (variant(dx_stride=False, dW_stride=False), stride),
        (variant(dx_stride=False), "dx: " + stride),
        (variant(dW_stride=False), "dW: " + stride),
        (variant(dx_assign=True),
         _("dx: a pixel under several windows, or seen by several kernels, gets the sum of all their shares: "
           "dxp[...] += ..., not =.")),
        (variant(dW_assign=True),
         _("dW: every window adds its share, dW[f] += dout[n, f, i, j] * window; with = only the last window "
           "is kept.")),
    ]
    hints = [("could not be broadcast",
              _("a window reaches past the edge: take the windows from the padded input, "
                "xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad))), and give dxp the padded shape"))]
    return check(conv2d_backward_loops, name="conv2d_backward_loops", reference=_conv_backward_autograd,
                 make_args=_backward_args, trials=len(_BACKWARD_SETTINGS), outputs=("dx", "dW", "db"),
                 mistakes=mistakes, hints=hints,
                 passed=_("matches autograd on {n} inputs: the defaults, strides 2 and 3, padding 1 and 2, "
                          "overlapping windows, 2x3 and 1x1 kernels, batches of 1 to 3.").format(
                     n=len(_BACKWARD_SETTINGS)), strict=strict)
