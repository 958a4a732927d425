"""The notebook-00 checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

from course_utils.checks import nb00 as ex


def dense(D, M):
    return (D + 1) * M


def mlp(sizes):
    return sum(dense(D, M) for D, M in zip(sizes[:-1], sizes[1:]))


def nbytes(n_params, bytes_per_param):
    return n_params * bytes_per_param


RIGHT = [(ex.check_count_dense_params, dense), (ex.check_count_mlp_params, mlp), (ex.check_bytes_needed, nbytes)]


@pytest.mark.parametrize("checker, right", RIGHT)
def test_accepts_the_right_answer(checker, right, capsys):
    assert checker(right, strict=True)
    assert capsys.readouterr().out.startswith("✅")


@pytest.mark.parametrize("checker, right", RIGHT)
def test_accepts_floats_and_numpy_integers(checker, right):
    assert checker(lambda *a: float(right(*a)))
    assert checker(lambda *a: np.int64(right(*a)))


@pytest.mark.parametrize("checker, right", RIGHT)
def test_placeholder_is_not_implemented_yet(checker, right, capsys):
    verdict = checker(lambda *a: None)
    assert verdict.status == "todo"
    assert capsys.readouterr().out.startswith("⏳")
    with pytest.raises(AssertionError, match="not implemented yet"):
        checker(lambda *a: None, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda D, M: D * M, "only the weights W"),
    (lambda D, M: D * M + 1, "one bias for the whole layer"),
    (lambda D, M: D + M, "D \\+ M adds the sizes"),
    (lambda D, M: (D + 1) * (M + 1), "one row too many"),
    (lambda D, M: D * (M + 1), "one per neuron \\(M of them\\), not one per input"),
    (lambda D, M: (D + 1) * M + 7, "wrong values: largest error 7"),
    (lambda D, M: [D, M], "expected one number"),
    (lambda D, M: float("nan"), "NaN or inf"),
    (lambda D, M: D / (M - M), "ZeroDivisionError"),
    (lambda D, M: D * m, "NameError"),  # noqa: F821
])
def test_dense_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_count_dense_params(wrong, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda s: sum(d * m for d, m in zip(s[:-1], s[1:])), "biases are missing"),
    (lambda s: sum(s), "adds up the layer widths"),
    (lambda s: sum(s[1:]), "counts the neurons"),
    (lambda s: mlp(s[:-1]), "last layer is missing"),
    (lambda s: mlp(s[1:]), "first layer is missing"),
    (lambda s: mlp(s) * 2, "wrong values|factor"),
    (lambda s: s[5], "IndexError"),
    (lambda s: [dense(d, m) for d, m in zip(s[:-1], s[1:])], "expected one number|shape"),
])
def test_mlp_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_count_mlp_params(wrong, strict=True)


def test_mlp_input_list_is_not_spoiled_for_the_reference(capsys):
    def pops(sizes):  # a learner who empties the list as they go, but counts right
        total = 0
        while len(sizes) > 1:
            D = sizes.pop(0)
            total += (D + 1) * sizes[0]
        return total

    assert ex.check_count_mlp_params(pops)


@pytest.mark.parametrize("wrong, message", [
    (lambda n, b: n * b * 8, "that is bits"),
    (lambda n, b: n / b, "multiply"),
    (lambda n, b: n, "the number of parameters"),
    (lambda n, b: n * b / 1e9, "gigabytes"),
    (lambda n, b: n * b / 2**30, "GiB"),
    (lambda n, b: n * b / 1e6, "megabytes"),
    (lambda n, b: n * b + 1, "wrong values"),
    (lambda n, b: "many", "returned str"),
])
def test_bytes_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_bytes_needed(wrong, strict=True)
