"""Notebook 07's checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

from course_utils.checks import nb07 as ex

# --------------------------------------------------------------------------- output_size


def good_output_size(n, k, p, s):
    return (n + 2 * p - k) // s + 1


def test_output_size_accepts_the_formula():
    assert ex.check_output_size(good_output_size, strict=True)


def test_output_size_accepts_numpy_ints():
    assert ex.check_output_size(lambda n, k, p, s: np.int64(good_output_size(n, k, p, s)))


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda n, k, p, s: (n + 2 * p - k) // s, "missing the \\+ 1"),
        (lambda n, k, p, s: (n + p - k) // s + 1, "both sides"),
        (lambda n, k, p, s: (n - k) // s + 1, "padding p is ignored"),
        (lambda n, k, p, s: n + 2 * p - k + 1, "stride is ignored"),
        (lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1, "round down"),
        (lambda n, k, p, s: (n + 2 * p - k) / s + 1, "not a whole number"),
        (lambda n, k, p, s: float((n + 2 * p - k) // s + 1), "as floats"),
        (lambda n, k, p, s: (n + 2 * p + k) // s + 1, "should be subtracted"),
        (lambda n, k, p, s: n + k, "expected"),
        (lambda n, k, p, s: float("nan"), "not a whole number"),
        (lambda n, k, p, s: str(n), "expected an int"),
        (lambda n, k, p, s: n // (s - 1), "ZeroDivisionError"),
    ],
)
def test_output_size_names_the_mistake(wrong, message, capsys):
    with pytest.raises(AssertionError, match=message):
        ex.check_output_size(wrong, strict=True)
    assert "❌" in capsys.readouterr().out


def test_output_size_placeholder_is_not_implemented_yet(capsys):
    verdict = ex.check_output_size(lambda n, k, p, s: None)
    assert verdict.status == "todo" and "not implemented yet" in capsys.readouterr().out


# --------------------------------------------------------------------------- conv2d_single


def good_conv2d_single(x, k, stride=1, pad=0):
    x = np.pad(x, pad)
    kh, kw = k.shape
    H_out, W_out = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.zeros((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(x[i * stride : i * stride + kh, j * stride : j * stride + kw] * k)
    return out


def test_conv2d_single_accepts_loops_and_torch():
    torch = pytest.importorskip("torch")
    assert ex.check_conv2d_single(good_conv2d_single, strict=True)

    def with_torch(x, k, stride=1, pad=0):
        t = torch.nn.functional.conv2d(torch.tensor(x)[None, None], torch.tensor(k)[None, None], stride=stride, padding=pad)
        return t[0, 0].numpy()

    assert ex.check_conv2d_single(with_torch, strict=True)


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda x, k, s=1, p=0: good_conv2d_single(x, k[::-1, ::-1], s, p), "flipped"),
        (lambda x, k, s=1, p=0: good_conv2d_single(x, k, 1, p), "stride is ignored"),
        (lambda x, k, s=1, p=0: good_conv2d_single(x, k, s, 0), "padding is ignored"),
        (lambda x, k, s=1, p=0: good_conv2d_single(np.pad(x, ((p, 0), (p, 0))), k, s, 0), "one side"),
        (lambda x, k, s=1, p=0: good_conv2d_single(np.pad(x, p, constant_values=1.0), k, s, 0), "padded with ones"),
        (lambda x, k, s=1, p=0: -good_conv2d_single(x, k, s, p), "sign is flipped"),
        (lambda x, k, s=1, p=0: good_conv2d_single(x, k, s, p)[1:], "expected shape"),
        (lambda x, k, s=1, p=0: good_conv2d_single(x, k, s, p) * np.nan, "NaN"),
        (lambda x, k, s=1, p=0: x[: k.shape[0] + 99, 0] @ k, "raised ValueError"),
    ],
)
def test_conv2d_single_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_conv2d_single(wrong, strict=True)


def test_conv2d_single_placeholder_is_not_implemented_yet(capsys):
    assert ex.check_conv2d_single(lambda x, k, s=1, p=0: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


# --------------------------------------------------------------------------- maxpool2d


def pool_with(reduce):
    def pool(x, size=2, stride=None):
        stride = size if stride is None else stride
        N, C, H, W = x.shape
        H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
        out = np.zeros((N, C, H_out, W_out))
        for i in range(H_out):
            for j in range(W_out):
                out[:, :, i, j] = reduce(x[:, :, i * stride : i * stride + size, j * stride : j * stride + size], axis=(2, 3))
        return out

    return pool


def test_maxpool2d_accepts_loops_and_torch():
    torch = pytest.importorskip("torch")
    assert ex.check_maxpool2d(pool_with(np.max), strict=True)
    assert ex.check_maxpool2d(lambda x, size, stride: torch.nn.functional.max_pool2d(torch.tensor(x), size, stride), strict=True)


@pytest.mark.parametrize(
    "wrong, message",
    [
        (pool_with(np.mean), "average pooling"),
        (pool_with(np.min), "min of each window"),
        (lambda x, size, stride: pool_with(np.max)(x, size, size), "stride is ignored"),
        (lambda x, size, stride: pool_with(np.max)(x, size, 1), "stride is ignored"),
        (lambda x, size, stride: pool_with(np.max)(np.abs(x), size, stride), "\\|value\\|"),
        (lambda x, size, stride: pool_with(np.max)(x, size, stride)[0], "expected shape"),
        (lambda x, size, stride: pool_with(np.max)(x, size, stride) + np.inf, "NaN or inf"),
        (lambda x, size, stride: np.concatenate([x, x[0]]), "raised ValueError"),
    ],
)
def test_maxpool2d_names_the_mistake(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_maxpool2d(wrong, strict=True)


def test_maxpool2d_placeholder_is_not_implemented_yet(capsys):
    assert ex.check_maxpool2d(lambda x, size, stride: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


def test_checker_does_not_trust_inputs_the_learner_changed():
    """A function that zeroes its input in place must not spoil the reference."""

    def destructive(x, size, stride):
        out = pool_with(np.max)(x, size, stride)
        x[...] = 0
        return out

    assert ex.check_maxpool2d(destructive, strict=True)
