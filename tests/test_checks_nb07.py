"""Notebook 07's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb07 as ex


def output_size(n, k, p=0, s=1):
    return (n + 2 * p - k) // s + 1


@pytest.mark.parametrize("answer", [
    right(output_size, "the formula"), right(lambda n, k, p=0, s=1: int((n + 2 * p - k) / s) + 1, "int()"),
    right(lambda n, k, p=0, s=1: math.floor((n + 2 * p - k) / s) + 1, "math.floor"),
    right(lambda n, k, p=0, s=1: len(range(0, n + 2 * p - k + 1, s)), "len(range)"),
])
def test_output_size_right(answer, capsys):
    assert_right(ex.check_output_size, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda n, k, p=0, s=1: (n + 2 * p - k) // s, "fail", "missing the + 1", "no + 1"),
    wrong(lambda n, k, p=0, s=1: (n + p - k) // s + 1, "fail", "padding goes on both sides", "p once"),
    wrong(lambda n, k, p=0, s=1: (n - k) // s + 1, "fail", "the padding is ignored", "no padding"),
    wrong(lambda n, k, p=0, s=1: n + 2 * p - k + 1, "fail", "the stride is ignored", "no stride"),
    wrong(lambda n, k, p=0, s=1: math.ceil((n + 2 * p - k) / s) + 1, "fail", "rounded up", "ceil"),
    wrong(lambda n, k, p=0, s=1: (n + 2 * p - k) / s + 1, "fail", "the right value, but as a float (26.0)", "true division"),
    wrong(lambda n, k, p=0, s=1: float(output_size(n, k, p, s)), "fail", "the right value, but as a float", "a float"),
    wrong(lambda n, k, p=1, s=1: output_size(n, k, p, s), "fail", "got 28, expected 26", "default pad=1"),
    wrong(lambda n, k, p=0, s=1: (n + 2 * p - k + 1) // s, "fail", "the + 1 belongs after the division", "+ 1 inside"),
    wrong(lambda n, k, p=0, s=1: str(output_size(n, k, p, s)), "fail", "which is text", "a string"),
    wrong(lambda n, k, p=0, s=1: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(output_size), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(lambda n, k, p=0, s=1: 26, "fail", "got 26, expected 13", "the example's answer written in"),
])
def test_output_size_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_output_size, answer, status, phrase, capsys)


def conv(x, k, stride=1, pad=0):
    x = np.pad(x, pad)
    kh, kw = k.shape
    H, W = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.zeros((H, W))
    for i in range(H):
        for j in range(W):
            out[i, j] = np.sum(x[i * stride:i * stride + kh, j * stride:j * stride + kw] * k)
    return out


def conv_square_kernel(x, k, stride=1, pad=0):
    x = np.pad(x, pad)
    kh = kw = k.shape[0]  # assumes a square kernel
    H, W = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    return np.array([[np.sum(x[i * stride:i * stride + kh, j * stride:j * stride + kw] * k) for j in range(W)] for i in range(H)])


def conv_windows_one_apart(x, k, stride=1, pad=0):
    x = np.pad(x, pad)
    kh, kw = k.shape
    H, W = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    return np.array([[np.sum(x[i:i + kh, j:j + kw] * k) for j in range(W)] for i in range(H)])


def conv_torch(x, k, stride=1, pad=0):
    return F.conv2d(torch.tensor(x)[None, None], torch.tensor(k)[None, None], stride=stride, padding=pad)[0, 0]


@pytest.mark.parametrize("answer", [
    right(conv, "loops"), right(conv_torch, "F.conv2d"),
    right(lambda x, k, stride=1, pad=0: np.einsum("ijab,ab->ij", np.lib.stride_tricks.sliding_window_view(np.pad(x, pad), k.shape)[::stride, ::stride], k),
          "sliding windows"),
])
def test_conv2d_single_right(answer, capsys):
    assert_right(ex.check_conv2d_single, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda x, k, stride=1, pad=0: conv(x, k[::-1, ::-1], stride, pad), "fail", "the kernel is flipped", "flipped"),
    wrong(lambda x, k, stride=1, pad=0: conv(x, k, 1, pad), "fail", "the stride is ignored", "no stride"),
    wrong(conv_windows_one_apart, "fail", "the windows move 1 pixel at a time", "windows 1 apart"),
    wrong(lambda x, k, stride=1, pad=0: conv(x, k, stride, 0), "fail", "the padding is ignored", "no padding"),
    wrong(lambda x, k, stride=1, pad=0: conv(np.pad(x, ((pad, 0), (pad, 0))), k, stride, 0), "fail", "zeros were added on one side only", "one side"),
    wrong(lambda x, k, stride=1, pad=0: conv(np.pad(x, pad, constant_values=1), k, stride, 0), "fail", "padded with ones", "ones"),
    wrong(conv_square_kernel, "fail", "operands could not be broadcast together with shapes (2,2) (2,3)", "square kernel assumed"),
    wrong(lambda x, k, stride=2, pad=0: conv(x, k, stride, pad), "fail", "stride, pad left at the default", "default stride 2"),
    wrong(lambda x, k, stride=1, pad=0: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(conv), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(conv), "fail", "wrong values", "right for the first input only"),
])
def test_conv2d_single_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_conv2d_single, answer, status, phrase, capsys)


def maxpool(x, size=2, stride=None):
    stride = size if stride is None else stride
    N, C, H, W = x.shape
    Ho, Wo = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.zeros((N, C, Ho, Wo))
    for i in range(Ho):
        for j in range(Wo):
            out[:, :, i, j] = x[:, :, i * stride:i * stride + size, j * stride:j * stride + size].max(axis=(2, 3))
    return out


def maxpool_none_unhandled(x, size=2, stride=None):
    N, C, H, W = x.shape
    Ho = (H - size) // stride + 1
    return np.zeros((N, C, Ho, Ho))


@pytest.mark.parametrize("answer", [
    right(maxpool, "loops over outputs"), right(lambda x, size=2, stride=None: F.max_pool2d(torch.tensor(x), size, stride), "F.max_pool2d"),
    right(lambda x, size=2, stride=None: maxpool(x, size, stride or size), "stride or size"),
])
def test_maxpool2d_right(answer, capsys):
    assert_right(ex.check_maxpool2d, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda x, size=2, stride=None: maxpool(x, size, stride or 1), "fail", "stride=None was taken as 1", "None as 1"),
    wrong(maxpool_none_unhandled, "fail", "stride=None means stride = size", "None not handled"),
    wrong(lambda x, size=2, stride=None: maxpool(x, size, size), "fail", "the stride is ignored (windows were `size` apart)", "stride ignored"),
    wrong(lambda x, size=2, stride=2: maxpool(x, size, stride), "fail", "stride left at the default", "default stride 2"),
    wrong(lambda x, size=2, stride=None: F.avg_pool2d(torch.tensor(x), size, stride), "fail", "that is average pooling", "average"),
    wrong(lambda x, size=2, stride=None: -maxpool(-x, size, stride), "fail", "that is the min of each window", "min"),
    wrong(lambda x, size=2, stride=None: maxpool(np.abs(x), size, stride), "fail", "took the largest |value|", "abs"),
    wrong(lambda x, size=2, stride=None: maxpool(x, size, stride)[0], "fail", "expected shape (2, 3, 4, 4), got (3, 4, 4)", "first image only"),
    wrong(lambda x, size=2, stride=None: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(maxpool), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_maxpool2d_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_maxpool2d, answer, status, phrase, capsys)


def conv_backward(dout, x, W, stride=1, pad=0):
    N, F_out, H_out, W_out = dout.shape
    kh, kw = W.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dW = np.zeros_like(xp), np.zeros_like(W)
    for n in range(N):
        for f in range(F_out):
            for i in range(H_out):
                for j in range(W_out):
                    rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * W[f]
                    dW[f] += dout[n, f, i, j] * xp[n, :, rows, cols]
    return dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]], dW, dout.sum(axis=(0, 2, 3))


def conv_backward_positions_outside(dout, x, W, stride=1, pad=0):
    # the loops in another order: positions outside, kernels inside; a list instead of a tuple
    N, F_out, H_out, W_out = dout.shape
    kh, kw = W.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dW, db = np.zeros_like(xp), np.zeros_like(W), np.zeros(F_out)
    for i in range(H_out):
        for j in range(W_out):
            window = xp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw]    # (N, C, kh, kw)
            g = dout[:, :, i, j]                                                          # (N, F)
            dxp[:, :, i * stride:i * stride + kh, j * stride:j * stride + kw] += np.einsum("nf,fcab->ncab", g, W)
            dW += np.einsum("nf,ncab->fcab", g, window)
            db += g.sum(axis=0)
    H, W_in = x.shape[2:]
    return [dxp[:, :, pad:pad + H, pad:pad + W_in], dW, db]


def conv_backward_im2col(dout, x, W, stride=1, pad=0):
    from course_utils import conv

    _, cache = conv.conv2d_forward(x, W, np.zeros(len(W)), stride, pad)
    return conv.conv2d_backward(dout, cache)


def conv_backward_torch(dout, x, W, stride=1, pad=0):
    xt, Wt = torch.tensor(x, requires_grad=True), torch.tensor(W, requires_grad=True)
    F.conv2d(xt, Wt, stride=stride, padding=pad).backward(torch.tensor(dout))
    return xt.grad, Wt.grad, torch.tensor(dout).sum(dim=(0, 2, 3))


def conv_backward_float32(dout, x, W, stride=1, pad=0):
    return tuple(g.astype(np.float32) for g in conv_backward(dout.astype(np.float32), x.astype(np.float32),
                                                              W.astype(np.float32), stride, pad))


def mistake(**kw):
    return lambda dout, x, W, stride=1, pad=0: ex._conv_backward_variant(dout, x, W, stride, pad, **kw)


def with_db(db):
    return lambda dout, x, W, stride=1, pad=0: conv_backward(dout, x, W, stride, pad)[:2] + (db(dout),)


def dx_only(dout, x, W, stride=1, pad=0):
    return conv_backward(dout, x, W, stride, pad)[0], None, None


def dW_summed_over_positions_only(dout, x, W, stride=1, pad=0):
    # a loop over the images that starts dW afresh for each one: only the last image's share is left
    dx, _, db = conv_backward(dout, x, W, stride, pad)
    return dx, conv_backward(dout[-1:], x[-1:], W, stride, pad)[1], db


def dW_from_unpadded_x(dout, x, W, stride=1, pad=0):
    N, F_out, H_out, W_out = dout.shape
    kh, kw = W.shape[2:]
    dxp, dW = np.zeros((N, x.shape[1], x.shape[2] + 2 * pad, x.shape[3] + 2 * pad)), np.zeros_like(W)
    for n in range(N):
        for f in range(F_out):
            for i in range(H_out):
                for j in range(W_out):
                    rows, cols = slice(i * stride, i * stride + kh), slice(j * stride, j * stride + kw)
                    dxp[n, :, rows, cols] += dout[n, f, i, j] * W[f]
                    dW[f] += dout[n, f, i, j] * x[n, :, rows, cols]      # x is not padded
    return dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]], dW, dout.sum(axis=(0, 2, 3))


@pytest.mark.parametrize("answer", [
    right(conv_backward, "loops n, f, i, j"), right(conv_backward_positions_outside, "loops over positions, a list"),
    right(conv_backward_im2col, "im2col and col2im"), right(conv_backward_torch, "torch autograd, tensors"),
    right(conv_backward_float32, "float32"),
])
def test_conv2d_backward_right(answer, capsys):
    assert_right(ex.check_conv2d_backward, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(dW_summed_over_positions_only, "fail", "dW holds one image's share", "dW of the last image only"),
    wrong(lambda dout, x, W, stride=1, pad=0: tuple(g / len(dout) if k else g for k, g in
                                                    enumerate(conv_backward(dout, x, W, stride, pad))),
          "fail", "divided by the batch size", "dW and db averaged"),
    wrong(with_db(lambda d: d.sum(axis=(2, 3))), "fail", "db[f] sums dout[:, f] over the images", "db per image"),
    wrong(with_db(lambda d: d.sum(axis=0)), "fail", "dout.sum(axis=(0, 2, 3))", "db over the batch only"),
    wrong(with_db(lambda d: d.sum(axis=(0, 2, 3), keepdims=True)), "fail", "leave out keepdims=True", "db keepdims"),
    wrong(with_db(lambda d: d.mean(axis=(0, 2, 3))), "fail", "db was averaged", "db mean"),
    wrong(mistake(flip=True), "fail", "dx: the kernel is flipped", "flipped kernel in dx"),
    wrong(mistake(crop="none"), "fail", "dx still has the padding", "padding not cropped"),
    wrong(mistake(crop="start"), "fail", "cropped at the wrong place", "cropped at the start"),
    wrong(mistake(dx_stride=False, dW_stride=False), "fail", "the stride is ignored", "stride ignored"),
    wrong(mistake(dW_stride=False), "fail", "dW: the stride is ignored", "stride ignored in dW"),
    wrong(mistake(dx_assign=True), "fail", "dxp[...] += ..., not =", "= instead of += in dx"),
    wrong(mistake(dW_assign=True), "fail", "only the last window is kept", "= instead of += in dW"),
    wrong(lambda dout, x, W, stride=1, pad=0: (lambda g: (g[1], g[0], g[2]))(conv_backward(dout, x, W, stride, pad)),
          "fail", "dx and dW are swapped", "dW and dx swapped"),
    wrong(dW_from_unpadded_x, "fail", "take the windows from the padded input", "dW's windows from x, not xp"),
    wrong(dx_only, "todo", "dW is not written yet", "only dx written"),
    wrong(lambda dout, x, W, stride=1, pad=0: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(conv_backward), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(conv_backward), "fail", "dx:", "right for the first input only"),
])
def test_conv2d_backward_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_conv2d_backward, answer, status, phrase, capsys)
