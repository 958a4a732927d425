"""Convolution and max-pooling in NumPy, forward and backward: notebook 07's reference.

Notebook 07 builds each of these by hand, cell by cell, and then asserts that its own
version equals the one here; the unit tests check these against PyTorch. One contract,
as in cs231n:

    out, cache = conv2d_forward(x, w, b, stride=1, pad=0)   # x (N, C, H, W), w (F, C, kh, kw), b (F,)
    dx, dw, db = conv2d_backward(dout, cache)                # dout (N, F, H_out, W_out)
    out, cache = maxpool_forward(x, size=2, stride=None)     # x (N, C, H, W)
    dx = maxpool_backward(dout, cache)

"Convolution" here is what deep learning means by it: cross-correlation, the kernel is
*not* flipped (``torch.nn.functional.conv2d`` does the same).

The speed comes from ``im2col``: every patch the kernel visits becomes one row of a
matrix, so the whole convolution is one matrix product. ``col2im`` is its adjoint: it
adds each row back onto the patch it came from (overlapping patches add up), which is
exactly what the backward pass needs.
"""

from __future__ import annotations

import numpy as np


def output_size(n: int, k: int, pad: int = 0, stride: int = 1) -> int:
    """Positions a kernel of size ``k`` can take along an axis of size ``n``:
    ``floor((n + 2 pad - k) / stride) + 1``."""
    return (n + 2 * pad - k) // stride + 1


def im2col(x, kh: int, kw: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """Unfold ``x (N, C, H, W)`` into ``cols (N * H_out * W_out, C * kh * kw)``.

    Row ``(n, i, j)`` (in that order, ``j`` fastest) is the patch under the kernel at output
    position ``(i, j)`` of image ``n``, flattened in ``(C, kh, kw)`` order, the same order as
    ``w.reshape(F, -1)``. Only ``kh * kw`` Python iterations: for each kernel offset
    ``(di, dj)`` the values it meets at every position form one strided slice of the image.
    """
    N, C, H, W = x.shape
    H_out, W_out = output_size(H, kh, pad, stride), output_size(W, kw, pad, stride)
    if H_out < 1 or W_out < 1:
        raise ValueError(f"a {kh}x{kw} kernel does not fit a {H}x{W} input with pad {pad}")
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((N, C, kh, kw, H_out, W_out), dtype=x.dtype)
    for di in range(kh):
        for dj in range(kw):
            cols[:, :, di, dj] = xp[:, :, di : di + stride * H_out : stride, dj : dj + stride * W_out : stride]
    # (N, C, kh, kw, H_out, W_out) -> (N, H_out, W_out, C, kh, kw): one row per patch
    return cols.transpose(0, 4, 5, 1, 2, 3).reshape(N * H_out * W_out, C * kh * kw)


def col2im(cols, x_shape, kh: int, kw: int, stride: int = 1, pad: int = 0) -> np.ndarray:
    """The adjoint of ``im2col``: add each row of ``cols`` back onto its patch; ``(N, C, H, W)``.

    Where patches overlap the values add, so ``col2im(im2col(x))`` is ``x`` times the
    number of patches covering each pixel, not ``x`` itself.
    """
    N, C, H, W = x_shape
    H_out, W_out = output_size(H, kh, pad, stride), output_size(W, kw, pad, stride)
    cols = cols.reshape(N, H_out, W_out, C, kh, kw).transpose(0, 3, 4, 5, 1, 2)
    xp = np.zeros((N, C, H + 2 * pad, W + 2 * pad), dtype=cols.dtype)
    for di in range(kh):
        for dj in range(kw):
            xp[:, :, di : di + stride * H_out : stride, dj : dj + stride * W_out : stride] += cols[:, :, di, dj]
    return xp[:, :, pad : pad + H, pad : pad + W]


def conv2d_forward(x, w, b, stride: int = 1, pad: int = 0):
    """``x (N, C, H, W)``, ``w (F, C, kh, kw)``, ``b (F,)`` -> ``out (N, F, H_out, W_out)``, cache.

    ``out[n, f] = sum over c, di, dj of x_padded[n, c, i*s + di, j*s + dj] * w[f, c, di, dj] + b[f]``,
    computed as one matrix product ``cols @ w.reshape(F, -1).T``.
    """
    N, C, H, W = x.shape
    F, C_w, kh, kw = w.shape
    if C_w != C:
        raise ValueError(f"x has {C} channels but w expects {C_w}")
    H_out, W_out = output_size(H, kh, pad, stride), output_size(W, kw, pad, stride)
    cols = im2col(x, kh, kw, stride, pad)  # (N*H_out*W_out, C*kh*kw)
    out = cols @ w.reshape(F, -1).T + b  # (N*H_out*W_out, F)
    out = out.reshape(N, H_out, W_out, F).transpose(0, 3, 1, 2)
    return out, (x.shape, w, stride, pad, cols)


def conv2d_backward(dout, cache):
    """Gradients of the loss for ``dout = dL/dout (N, F, H_out, W_out)``: ``dx, dw, db``.

    With ``out_mat = cols @ W_mat.T + b``: ``dW_mat = dout_mat.T @ cols``, ``db`` sums
    ``dout`` over everything but ``F``, and ``dcols = dout_mat @ W_mat`` goes back to the
    image through ``col2im``.
    """
    x_shape, w, stride, pad, cols = cache
    F, C, kh, kw = w.shape
    dout_mat = dout.transpose(0, 2, 3, 1).reshape(-1, F)  # (N*H_out*W_out, F)
    dw = (dout_mat.T @ cols).reshape(w.shape)
    db = dout.sum(axis=(0, 2, 3))
    dcols = dout_mat @ w.reshape(F, -1)
    dx = col2im(dcols, x_shape, kh, kw, stride, pad)
    return dx, dw, db


def maxpool_forward(x, size: int = 2, stride: int | None = None):
    """Max over each ``size x size`` window of ``x (N, C, H, W)``; ``stride`` defaults to ``size``.

    Returns ``out (N, C, H_out, W_out)`` and a cache holding where each maximum was: the
    only place the gradient will go. Rows and columns that do not fill a window are
    dropped (floor), as in ``torch.nn.functional.max_pool2d``.
    """
    stride = size if stride is None else stride
    N, C, H, W = x.shape
    H_out, W_out = output_size(H, size, 0, stride), output_size(W, size, 0, stride)
    cols = im2col(x.reshape(N * C, 1, H, W), size, size, stride)  # (N*C*H_out*W_out, size*size)
    arg = cols.argmax(axis=1)
    out = cols[np.arange(len(cols)), arg].reshape(N, C, H_out, W_out)
    return out, (x.shape, size, stride, arg)


def maxpool_backward(dout, cache):
    """``dx (N, C, H, W)``: each entry of ``dout`` goes to the argmax of its window, the
    rest get zero; where windows overlap (stride < size) the contributions add."""
    x_shape, size, stride, arg = cache
    N, C, H, W = x_shape
    dcols = np.zeros((arg.size, size * size), dtype=dout.dtype)
    dcols[np.arange(arg.size), arg] = dout.ravel()
    return col2im(dcols, (N * C, 1, H, W), size, size, stride).reshape(x_shape)
