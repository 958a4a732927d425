"""Notebook 00's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb00 as ex


def dense(D, M):
    return (D + 1) * M


def mlp(sizes):
    total = 0
    for D, M in zip(sizes[:-1], sizes[1:]):
        total += dense(D, M)
    return total


def mlp_pop(sizes):
    total = 0
    while len(sizes) > 1:  # eats the caller's list
        D = sizes.pop(0)
        total += (D + 1) * sizes[0]
    return total


def mlp_off_by_one(sizes):
    return sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(sizes) - 2))


@pytest.mark.parametrize("answer", [
    right(dense, "(D + 1) * M"), right(lambda D, M: D * M + M, "D * M + M"), right(lambda D, M: float((D + 1) * M), "a float"),
    right(lambda D, M: np.int64(D + 1) * M, "numpy int"), right(lambda D, M: sum(D + 1 for _ in range(M)), "a loop"),
])
def test_count_dense_params_right(answer, capsys):
    assert_right(ex.check_count_dense_params, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda D, M: D * M, "fail", "only the weights W", "no biases"),
    wrong(lambda D, M: D * M + 1, "fail", "one bias for the whole layer", "one bias"),
    wrong(lambda D, M: (D + 1) ** M, "fail", "is a power", "power"),
    wrong(lambda D, M: D + M, "fail", "D + M adds the sizes", "sum of sizes"),
    wrong(lambda D, M: (D + 1) * (M + 1), "fail", "one row too many", "extra row"),
    wrong(lambda D, M: str((D + 1) * M), "fail", "returned the string '4', which is text", "a string"),
    wrong(lambda D, M: f"{(D + 1) * M:,}", "fail", "which is text", "formatted string"),
    wrong(lambda D, M: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(dense), "fail", "printed '4' but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than 0.25 s", "endless loop"),
    wrong(first_only(dense), "fail", "got 4, expected 100,480", "right for the first input only"),
    wrong(lambda D, M: 100480, "fail", "got 100,480, expected 4", "the prose's number written in"),
    wrong(lambda D, M: 2 * (D + 1) * M, "fail", "off by a factor of 2", "doubled"),
    wrong(lambda D, M: [(D + 1) * M], "fail", "returned an array of shape (1,)", "a list"),
])
def test_count_dense_params_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_count_dense_params, answer, status, phrase, capsys)


@pytest.mark.parametrize("answer", [
    right(mlp, "loop over pairs"), right(lambda s: sum(dense(D, M) for D, M in zip(s, s[1:])), "zip"),
    right(lambda s: int(np.sum((np.array(s[:-1]) + 1) * np.array(s[1:]))), "numpy"),
])
def test_count_mlp_params_right(answer, capsys):
    assert_right(ex.check_count_mlp_params, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda s: sum(d * m for d, m in zip(s, s[1:])), "fail", "the biases are missing", "no biases"),
    wrong(lambda s: sum(s), "fail", "adds up the layer widths", "sum of sizes"),
    wrong(mlp_off_by_one, "fail", "the last layer is missing", "range off by one"),
    wrong(lambda s: mlp(s[1:]), "fail", "the first layer is missing", "first layer dropped"),
    wrong(lambda s: dense(s[0], s[-1]), "fail", "only the first and last sizes", "first and last only"),
    wrong(mlp_pop, "fail", "changed its input `sizes` in place", "pops the caller's list"),
    wrong(lambda s: sum(d * (m + 1) for d, m in zip(s, s[1:])), "fail", "one bias per input", "bias per input"),
    wrong(lambda s: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(mlp), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(mlp), "fail", "got 101,770, expected 4", "right for the first input only"),
    wrong(lambda s: [dense(D, M) for D, M in zip(s, s[1:])], "fail", "returned an array of shape", "list per layer"),
    wrong(lambda s: dense(s[0], s[1]), "fail", "that is the first layer only", "first layer only"),
])
def test_count_mlp_params_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_count_mlp_params, answer, status, phrase, capsys)


@pytest.mark.parametrize("answer", [
    right(lambda n, b: n * b, "n * b"), right(lambda n, b: b * n, "b * n"), right(lambda n, b: float(n) * b, "a float"),
])
def test_bytes_needed_right(answer, capsys):
    assert_right(ex.check_bytes_needed, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda n, b: n * b * 8, "fail", "that is bits, not bytes", "bits"),
    wrong(lambda n, b: n * 32, "fail", "the bits of float32", "float32 bits written in"),
    wrong(lambda n, b: n / b, "fail", "divided by bytes_per_param", "divided"),
    wrong(lambda n, b: n * b / 1e9, "fail", "that is in gigabytes", "GB"),
    wrong(lambda n, b: n * b / 2**20, "fail", "that is in MiB", "MiB"),
    wrong(lambda n, b: n, "fail", "that is the number of parameters", "parameters only"),
    wrong(lambda n, b: f"{n * b / 1e6:.1f} MB", "fail", "which is text", "a formatted string"),
    wrong(lambda n, b: n * 4, "fail", "that is always 4 bytes (float32)", "float32 written in"),
    wrong(lambda n, b: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(lambda n, b: n * b), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_bytes_needed_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_bytes_needed, answer, status, phrase, capsys)
