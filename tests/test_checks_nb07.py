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
