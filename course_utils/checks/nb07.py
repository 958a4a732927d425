"""Exercise checkers for notebook 07, convolution and pooling by hand.

Each checker knows the usual wrong answers (a flipped kernel, padding on one side only,
stride ignored, average instead of max, a missing ``+ 1``) and names them.
"""

from __future__ import annotations

import math

import numpy as np

from .core import Verdict, _explain_exception, check_function, report

# --------------------------------------------------------------------------- references


def _output_size(n, k, p, s):
    return (n + 2 * p - k) // s + 1


def _pad(x, p):
    return np.pad(x, p) if p else x


def _corr2d(x, k, stride=1, pad=0):
    """One channel: ``x (H, W)``, ``k (kh, kw)`` -> ``(H_out, W_out)``; no flip."""
    x = _pad(x, pad)
    kh, kw = k.shape
    H_out, W_out = (x.shape[0] - kh) // stride + 1, (x.shape[1] - kw) // stride + 1
    out = np.empty((H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[i, j] = np.sum(x[i * stride : i * stride + kh, j * stride : j * stride + kw] * k)
    return out


def _pool(x, size, stride, reduce=np.max):
    stride = size if stride is None else stride
    N, C, H, W = x.shape
    H_out, W_out = (H - size) // stride + 1, (W - size) // stride + 1
    out = np.empty((N, C, H_out, W_out))
    for i in range(H_out):
        for j in range(W_out):
            out[:, :, i, j] = reduce(x[:, :, i * stride : i * stride + size, j * stride : j * stride + size], axis=(2, 3))
    return out


# --------------------------------------------------------------------------- helpers


def _known_mistake(fn, args, right, mistakes):
    """The message of the first wrong answer ``fn`` reproduces on ``args``, else None."""
    try:
        got = np.asarray(fn(*[np.copy(a) if isinstance(a, np.ndarray) else a for a in args]), dtype=np.float64)
    except Exception:  # placeholders and crashes are check_function's job
        return None
    if got.shape == right.shape and np.allclose(got, right):
        return None
    for wrong_fn, message in mistakes:
        try:
            wrong = np.asarray(wrong_fn(*args), dtype=np.float64)
        except Exception:
            continue
        if wrong.shape == got.shape and not (wrong.shape == right.shape and np.allclose(wrong, right)) \
                and np.allclose(got, wrong):
            return message
    return None


def _check(fn, reference, make_args, mistakes, describe, *, name, strict, trials=5, seed=0):
    """Name a known mistake if ``fn`` makes one on the first inputs, else ``check_function``."""
    rng = np.random.default_rng(seed)
    for _ in range(trials):
        args = make_args(rng)
        message = _known_mistake(fn, args, np.asarray(reference(*args), dtype=np.float64), mistakes)
        if message:
            return report(Verdict(name, "fail", f"{message} (seen with {describe(*args)})."), strict)
    return check_function(fn, reference, make_args, name=name, trials=trials, seed=seed, strict=strict)


def _cycling(settings, make):
    """``make_args`` that goes through ``settings`` in turn (so every stride and padding is
    tried whatever the seed), with random arrays from ``make(rng, *setting)``."""
    state = {"i": 0}

    def make_args(rng):
        setting = settings[state["i"] % len(settings)]
        state["i"] += 1
        return make(rng, *setting)

    return make_args


# --------------------------------------------------------------------------- exercise 1


OUTPUT_SIZE_CASES = [(28, 3, 0, 1), (26, 2, 0, 2), (28, 3, 1, 1), (28, 3, 1, 2), (7, 3, 1, 2), (10, 5, 2, 3),
                     (11, 3, 0, 2), (13, 3, 0, 1), (32, 5, 2, 1), (9, 4, 1, 3), (5, 1, 0, 1), (6, 3, 2, 2)]


def check_output_size(output_size, strict: bool = False) -> Verdict:
    """``output_size(n, k, p, s)``: positions of a size-``k`` kernel on ``n`` pixels padded by
    ``p`` on each side, moving ``s`` at a time: ``floor((n + 2p - k) / s) + 1``, an int."""
    name = "output_size"
    wrong = [
        (lambda n, k, p, s: (n + 2 * p - k) // s, "missing the + 1: the kernel's first position counts too"),
        (lambda n, k, p, s: (n + p - k) // s + 1, "padding goes on both sides, so the input grows by 2p, not p"),
        (lambda n, k, p, s: (n - k) // s + 1, "the padding p is ignored: the padded input has n + 2p pixels"),
        (lambda n, k, p, s: n + 2 * p - k + 1, "the stride is ignored: divide the room the kernel can move by s"),
        (lambda n, k, p, s: -(-(n + 2 * p - k) // s) + 1,
         "rounded up: a position where the kernel hangs off the edge does not count, so round down (floor, //)"),
        (lambda n, k, p, s: (n + 2 * p - k) // s - 1, "- 1 where it should be + 1"),
        (lambda n, k, p, s: (n + 2 * p + k) // s + 1, "the kernel size is added; it should be subtracted (n + 2p - k)"),
    ]
    answers = []
    for n, k, p, s in OUTPUT_SIZE_CASES:
        case = f"n={n}, k={k}, p={p}, s={s}"
        try:
            got = output_size(n, k, p, s)
        except NotImplementedError:
            return report(Verdict(name, "todo", "not implemented yet: replace the `raise NotImplementedError` above."), strict)
        except Exception as exc:
            return report(Verdict(name, "fail", f"for {case}, {_explain_exception(exc)}"), strict)
        if got is None or got is Ellipsis:
            return report(Verdict(name, "todo", "not implemented yet: replace the placeholder in the cell above, "
                                                "then run it and this check again."), strict)
        if isinstance(got, bool) or not isinstance(got, (int, np.integer, float, np.floating)):
            return report(Verdict(name, "fail", f"for {case} returned {type(got).__name__} {got!r}; expected an int."), strict)
        if isinstance(got, (float, np.floating)) and (not math.isfinite(got) or got != int(got)):
            return report(Verdict(name, "fail", f"for {case} returned {got}, not a whole number: a kernel cannot take "
                                                f"part of a position, round down with // (expected "
                                                f"{_output_size(n, k, p, s)})."), strict)
        answers.append(got)
    bad = [(c, got) for c, got in zip(OUTPUT_SIZE_CASES, answers) if got != _output_size(*c)]
    if bad:
        (n, k, p, s), got = bad[0]
        expected = _output_size(n, k, p, s)
        where = f"for n={n}, k={k}, p={p}, s={s} returned {got}, expected {expected}"
        for f, why in wrong:  # the mistake that explains every answer, not just the first
            if all(a == f(*c) for c, a in zip(OUTPUT_SIZE_CASES, answers)):
                return report(Verdict(name, "fail", f"{where}: {why}."), strict)
        return report(Verdict(name, "fail", f"{where} = floor(({n} + 2*{p} - {k}) / {s}) + 1."), strict)
    if any(isinstance(a, (float, np.floating)) for a in answers):
        return report(Verdict(name, "fail", "right values, but returned as floats: use // so the size is an int "
                                            "(array shapes need ints)."), strict)
    return report(Verdict(name, "pass", f"correct on {len(OUTPUT_SIZE_CASES)} cases (padding, strides, odd sizes)."), strict)


# --------------------------------------------------------------------------- exercise 2


# (kernel size, stride, pad): each trial of the checker uses the next one
_CONV_SETTINGS = [(3, 2, 1), (3, 1, 1), (2, 2, 0), (3, 1, 0), (2, 3, 2)]


def _corr2d_args(rng, k, stride, pad):
    H, W = rng.integers(5, 10, size=2)
    return (rng.normal(size=(H, W)), rng.normal(size=(k, k)), stride, pad)


def _describe_corr2d(x, k, stride, pad):
    return f"x {x.shape}, kernel {k.shape}, stride {stride}, pad {pad}"


def check_conv2d_single(conv2d_single, strict: bool = False) -> Verdict:
    """``conv2d_single(x, k, stride, pad)``: one channel, ``x (H, W)``, ``k (kh, kw)`` ->
    ``(H_out, W_out)``, cross-correlation (no flip) with zero padding and a stride."""

    def one_side(x, k, s, p):
        return _corr2d(np.pad(x, ((p, 0), (p, 0))), k, s, 0)

    mistakes = [
        (lambda x, k, s, p: _corr2d(x, k[::-1, ::-1], s, p),
         "the kernel is flipped: that is the convolution of mathematics; deep learning's conv2d is "
         "cross-correlation, which multiplies x[i+a, j+b] by k[a, b] as it stands"),
        (lambda x, k, s, p: _corr2d(x, k, 1, p),
         "the stride is ignored: window (i, j) starts at row i*stride, column j*stride"),
        (lambda x, k, s, p: _corr2d(x, k, s, 0), "the padding is ignored: surround x with pad rows and columns of zeros first"),
        (one_side, "zeros were added on one side only: np.pad(x, pad) pads top, bottom, left and right"),
        (lambda x, k, s, p: _corr2d(np.pad(x, p, constant_values=1.0), k, s, 0), "padded with ones: padding adds zeros"),
    ]
    return _check(conv2d_single, _corr2d, _cycling(_CONV_SETTINGS, _corr2d_args), mistakes, _describe_corr2d,
                  name="conv2d_single", strict=strict)


# --------------------------------------------------------------------------- exercise 3


# (size, stride): each trial of the checker uses the next one
_POOL_SETTINGS = [(2, 2), (3, 2), (2, 1), (3, 3), (2, 2)]


def _pool_args(rng, size, stride):
    N, C = rng.integers(1, 3, size=2)
    H, W = rng.integers(5, 10, size=2)
    return (rng.normal(size=(N, C, H, W)), size, stride)


def _describe_pool(x, size, stride):
    return f"x {x.shape}, size {size}, stride {stride}"


def check_maxpool2d(maxpool2d, strict: bool = False) -> Verdict:
    """``maxpool2d(x, size, stride)``: ``x (N, C, H, W)`` -> ``(N, C, H_out, W_out)``, the
    largest value of each ``size x size`` window, windows ``stride`` apart."""
    mistakes = [
        (lambda x, size, s: _pool(x, size, s, np.mean), "that is average pooling: take the max of each window, not the mean"),
        (lambda x, size, s: _pool(x, size, s, np.min), "that is the min of each window: max-pooling keeps the largest value"),
        (lambda x, size, s: _pool(x, size, size), "the stride is ignored (windows were `size` apart): window (i, j) starts at "
                                                   "row i*stride, column j*stride"),
        (lambda x, size, s: _pool(x, size, 1), "the stride is ignored (windows 1 apart): window (i, j) starts at row "
                                                "i*stride, column j*stride"),
        (lambda x, size, s: _pool(np.abs(x), size, s),
         "took the largest |value|: max-pooling keeps the largest value, sign included"),
    ]
    return _check(maxpool2d, lambda x, size, s: _pool(x, size, s), _cycling(_POOL_SETTINGS, _pool_args), mistakes,
                  _describe_pool, name="maxpool2d", strict=strict)
