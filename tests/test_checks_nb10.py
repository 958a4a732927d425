"""The notebook 10 checkers accept right answers and name each kind of wrong one."""

import math

import numpy as np
import pytest

from course_utils.checks import nb10 as ex


def _fails_with(checker, fn, match):
    with pytest.raises(AssertionError, match=match):
        checker(fn, strict=True)


def test_placeholder_is_not_implemented_yet(capsys):
    for checker, stub in [
        (ex.check_conv_flops, lambda k, ci, co, h, w: None),
        (ex.check_linear_flops, lambda i, o: None),
        (ex.check_training_flops, lambda n, d: None),
        (ex.check_adam_memory_bytes, lambda n: None),
    ]:
        verdict = checker(stub)
        assert verdict.status == "todo"
        assert "not implemented yet" in capsys.readouterr().out


def test_not_implemented_error_is_todo():
    def stub(i, o):
        raise NotImplementedError

    assert ex.check_linear_flops(stub).status == "todo"


def test_conv_flops():
    assert ex.check_conv_flops(lambda k, ci, co, h, w: 2 * k * k * ci * co * h * w, strict=True)
    assert ex.check_conv_flops(lambda k, ci, co, h, w: float(2 * k**2 * ci * co * h * w), strict=True)
    assert ex.check_conv_flops(lambda k, ci, co, h, w: np.int64(2 * k * k * ci * co * h * w), strict=True)
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: k * k * ci * co * h * w, "multiply-adds")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: 2 * k * ci * co * h * w, "k\\*k")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: 2 * k * k * co * h * w, "c_in")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: 2 * k * k * ci * h * w, "c_out")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: 2 * k * k * ci * co, "output position")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: 2 * k * k * ci * co * (h + k - 1) * (w + k - 1), "not input pixels")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: -2 * k * k * ci * co * h * w, "wrong value")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: [1, 2], "expected one number")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: math.nan, "not a finite number")
    _fails_with(ex.check_conv_flops, lambda k, ci, co, h, w: k / 0, "ZeroDivisionError")


def test_linear_flops():
    assert ex.check_linear_flops(lambda i, o: 2 * i * o, strict=True)
    _fails_with(ex.check_linear_flops, lambda i, o: i * o, "multiply-adds")
    _fails_with(ex.check_linear_flops, lambda i, o: 2 * (i + 1) * o, "bias")
    _fails_with(ex.check_linear_flops, lambda i, o: i * o + o, "number of parameters")
    _fails_with(ex.check_linear_flops, lambda i, o: 2 * i + 2 * o, "not add")
    _fails_with(ex.check_linear_flops, lambda i, o: math.inf, "not a finite number")


def test_training_flops():
    assert ex.check_training_flops(lambda n, d: 6 * n * d, strict=True)
    assert ex.check_training_flops(lambda n, d: 6.0 * n * d, strict=True)
    _fails_with(ex.check_training_flops, lambda n, d: 2 * n * d, "forward pass only")
    _fails_with(ex.check_training_flops, lambda n, d: 4 * n * d, "backward pass only")
    _fails_with(ex.check_training_flops, lambda n, d: n * d, "factor of 6")
    _fails_with(ex.check_training_flops, lambda n, d: 3 * n * d, "factor of 2")
    _fails_with(ex.check_training_flops, lambda n, d: "6ND", "expected one number")


def test_adam_memory_bytes():
    assert ex.check_adam_memory_bytes(lambda n: 16 * n, strict=True)
    assert ex.check_adam_memory_bytes(lambda n: (4 + 4 + 4 + 4) * n, strict=True)
    _fails_with(ex.check_adam_memory_bytes, lambda n: 4 * n, "weights alone")
    _fails_with(ex.check_adam_memory_bytes, lambda n: 8 * n, "m and v")
    _fails_with(ex.check_adam_memory_bytes, lambda n: 12 * n, "four fp32 copies")
    _fails_with(ex.check_adam_memory_bytes, lambda n: 16 * n / 1e9, "gigabytes")
    _fails_with(ex.check_adam_memory_bytes, lambda n: 16 * n / 2**30, "GiB")
    _fails_with(ex.check_adam_memory_bytes, lambda n: 18 * n, "wrong value")
