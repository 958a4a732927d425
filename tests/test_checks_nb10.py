"""Notebook 10's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb10 as ex


def conv_flops(k, c_in, c_out, h_out, w_out):
    return 2 * k * k * c_in * c_out * h_out * w_out


@pytest.mark.parametrize("answer", [
    right(conv_flops, "one product"), right(lambda k, ci, co, h, w: 2 * (k**2 * ci) * (co * h * w), "per output, times outputs"),
    right(lambda k, ci, co, h, w: float(2 * k * k * ci * co * h * w), "a float"),
    right(lambda k, ci, co, h, w: int(np.prod([2, k, k, ci, co, h, w], dtype=np.int64)), "np.prod"),
])
def test_conv_flops_right(answer, capsys):
    assert_right(ex.check_conv_flops, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda k, ci, co, h, w: k * k * ci * co * h * w, "fail", "you counted multiply-adds", "MACs"),
    wrong(lambda k, ci, co, h, w: 2 * k * ci * co * h * w, "fail", "use k*k (or k**2), not k", "k once"),
    wrong(lambda k, ci, co, h, w: 2 * k * k * co * h * w, "fail", "multiply by c_in as well", "no c_in"),
    wrong(lambda k, ci, co, h, w: 2 * k * k * ci * co, "fail", "multiply by h_out * w_out", "no positions"),
    wrong(lambda k, ci, co, h, w: 2 * (k * k * ci + 1) * co * h * w, "fail", "the bias addition is not counted", "bias counted"),
    wrong(lambda k, ci, co, h, w: 2 * k * k * ci * co * (h + k - 1) * (w + k - 1), "fail", "count output positions", "input pixels"),
    wrong(lambda k, ci, co, h, w: f"{conv_flops(k, ci, co, h, w):.2e}", "fail", "which is text", "a string"),
    wrong(lambda k, ci, co, h, w: 2 * k ** k * ci * co * h * w, "fail", "got 1,168,128, expected 389,376", "k ** k"),
    wrong(lambda *a: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(conv_flops), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_conv_flops_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_conv_flops, answer, status, phrase, capsys)


@pytest.mark.parametrize("answer", [
    right(lambda n_in, n_out: 2 * n_in * n_out, "2 n_in n_out"), right(lambda i, o: i * o * 2.0, "a float"),
    right(lambda i, o: sum(2 * i for _ in range(o)), "per output"),
])
def test_linear_flops_right(answer, capsys):
    assert_right(ex.check_linear_flops, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda i, o: i * o, "fail", "you counted multiply-adds", "MACs"),
    wrong(lambda i, o: 2 * (i + 1) * o, "fail", "the bias addition is not counted", "bias"),
    wrong(lambda i, o: i * o + o, "fail", "that is the number of parameters", "parameters"),
    wrong(lambda i, o: 2 * i + 2 * o, "fail", "multiply n_in by n_out, not add", "added"),
    wrong(lambda i, o: 2 * i, "fail", "that is one output's FLOPs", "one output"),
    wrong(lambda i, o: 2 ** (i * o), "fail", "far too large", "a power"),
    wrong(lambda i, o: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda i, o: 2 * i * o), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(lambda i, o: 2 * i * o), "fail", "got 409,600, expected 2,560", "right for the first input only"),
])
def test_linear_flops_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_linear_flops, answer, status, phrase, capsys)


@pytest.mark.parametrize("answer", [
    right(lambda n_params, n_tokens: 6 * n_params * n_tokens, "6 N D"), right(lambda n, d: 2 * n * d + 4 * n * d, "forward + backward"),
    right(lambda n, d: 6.0 * n * d, "a float"),
])
def test_training_flops_right(answer, capsys):
    assert_right(ex.check_training_flops, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda n, d: 2 * n * d, "fail", "that is the forward pass only", "forward only"),
    wrong(lambda n, d: 4 * n * d, "fail", "that is the backward pass only", "backward only"),
    wrong(lambda n, d: n * d, "fail", "a factor of 6 is missing", "N D"),
    wrong(lambda n, d: 3 * n * d, "fail", "a multiply-add is 2 FLOPs", "3 N D"),
    wrong(lambda n, d: 6 * (n + d), "fail", "multiply N by D", "N + D"),
    wrong(lambda n, d: np.int64(6) * n * d if n * d < 2**62 else np.int64(6) * np.int64(n) * np.int64(d), "fail", "the count overflowed NumPy's int64", "int64 overflow"),
    wrong(lambda n, d: f"{6 * n * d:.3e}", "fail", "which is text", "a string"),
    wrong(lambda n, d: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda n, d: 6 * n * d), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_training_flops_students(answer, status, phrase, capsys):
    with np.errstate(over="ignore"):
        assert_verdict(ex.check_training_flops, answer, status, phrase, capsys)


@pytest.mark.parametrize("answer", [
    right(lambda n_params: 16 * n_params, "16 n"), right(lambda n: 4 * n * 4, "4 numbers × 4 bytes"), right(lambda n: n * 4 + n * 4 + n * 8, "w, g, m+v"),
])
def test_adam_memory_bytes_right(answer, capsys):
    assert_right(ex.check_adam_memory_bytes, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda n: 4 * n, "fail", "the fp32 weights alone", "weights only"),
    wrong(lambda n: 8 * n, "fail", "Adam's two moment estimates (m and v) are missing", "no m, v"),
    wrong(lambda n: 12 * n, "fail", "one of the four fp32 copies is missing", "three copies"),
    wrong(lambda n: 128 * n, "fail", "that is bits", "bits"),
    wrong(lambda n: 16 * n / 1e9, "fail", "that is in gigabytes", "GB"),
    wrong(lambda n: 16, "fail", "that is the bytes of one parameter", "per parameter"),
    wrong(lambda n: 16 * n // 2**30, "fail", "got 0, expected 3,600,544", "GiB, floored"),
    wrong(lambda n: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda n: 16 * n), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_adam_memory_bytes_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_adam_memory_bytes, answer, status, phrase, capsys)
