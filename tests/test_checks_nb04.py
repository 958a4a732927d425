"""The notebook-04 checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

from course_utils.checks import nb04 as ex


def relu_backward(dout, mask):
    return dout * mask


def dense_backward(dout, cache):
    X, W = cache
    return dout @ W.T, X.T @ dout, dout.sum(axis=0)


def softmax_ce_backward(dloss, cache):
    probs, y = cache
    d = probs.copy()
    d[np.arange(len(y)), y] -= 1
    return dloss * d / len(y)


@pytest.mark.parametrize("checker, right", [
    (ex.check_relu_backward, relu_backward), (ex.check_dense_backward, dense_backward),
    (ex.check_softmax_ce_backward, softmax_ce_backward),
])
def test_accepts_right_answer_and_says_todo_for_placeholder(checker, right, capsys):
    assert checker(right, strict=True)
    assert "✅" in capsys.readouterr().out
    verdict = checker(lambda *a: None)
    assert verdict.status == "todo" and "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize("wrong, message", [
    (lambda dout, mask: mask, "just the mask"),
    (lambda dout, mask: dout, "unchanged"),
    (lambda dout, mask: dout * ~mask, "inverted"),
    (lambda dout, mask: -dout * mask, "sign is flipped"),
    (lambda dout, mask: (dout * mask).T, "transposed|expected shape"),
    (lambda dout, mask: dout * mask / 0.0, "NaN or inf"),
    (lambda dout, mask: dout @ mask, "raised ValueError"),
])
def test_relu_backward_mistakes(wrong, message):
    with np.errstate(all="ignore"), pytest.raises(AssertionError, match=message):
        ex.check_relu_backward(wrong, strict=True)


@pytest.mark.parametrize("wrong, message", [
    (lambda dout, c: (c[0].T @ dout, dout @ c[1].T, dout.sum(axis=0)), "swapped"),
    (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout.mean(axis=0)), "db is averaged"),
    (lambda dout, c: (dout @ c[1].T, c[0].T @ dout, dout.sum(axis=1)), "wrong axis"),
    (lambda dout, c: (dout @ c[1].T, dout.T @ c[0], dout.sum(axis=0)), r"dW: shape \(\d, \d\) is transposed"),
    (lambda dout, c: (dout @ c[1].T, c[0].T @ dout / len(dout), dout.sum(axis=0) / len(dout)), "divided by m"),
    (lambda dout, c: (dout @ c[1].T, c[0].T @ dout * 2, dout.sum(axis=0)), "dW: off by a constant factor of 2"),
    (lambda dout, c: (dout @ c[1], c[0].T @ dout, dout.sum(axis=0)), "raised ValueError"),
    (lambda dout, c: (c[0].T @ dout, dout.sum(axis=0)), "return 3 values"),
])
def test_dense_backward_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_dense_backward(wrong, strict=True)


def _onehot(y, K):
    return np.eye(K)[y]


@pytest.mark.parametrize("wrong, message", [
    (lambda dl, c: dl * (c[0] - _onehot(c[1], c[0].shape[1])), "1/m is missing"),
    (lambda dl, c: dl * c[0] / len(c[1]), "not subtracted"),
    (lambda dl, c: dl * (c[0] + _onehot(c[1], c[0].shape[1])) / len(c[1]), "added"),
    (lambda dl, c: (c[0] - _onehot(c[1], c[0].shape[1])) / len(c[1]), "dloss is ignored"),
    (lambda dl, c: dl * (_onehot(c[1], c[0].shape[1]) - c[0]) / len(c[1]), "sign is flipped"),
    (lambda dl, c: dl * (c[0] - _onehot(c[1], c[0].shape[1])).sum(axis=0), r"expected shape"),
])
def test_softmax_ce_backward_mistakes(wrong, message):
    with pytest.raises(AssertionError, match=message):
        ex.check_softmax_ce_backward(wrong, strict=True)


def test_mul_backward(capsys):
    assert ex.check_mul_backward(lambda a, b, dout: (b * dout, a * dout), strict=True)
    assert ex.check_mul_backward(lambda a, b, dout: None).status == "todo"
    for wrong, message in [
        (lambda a, b, dout: (a * dout, b * dout), "swapped"),
        (lambda a, b, dout: (b, a), "local slopes only"),
        (lambda a, b, dout: (dout, dout), "rule for +"),
        (lambda a, b, dout: (-b * dout, -a * dout), "sign is flipped"),
        (lambda a, b, dout: b * dout, "return 2 values"),
    ]:
        with pytest.raises(AssertionError, match=message):
            ex.check_mul_backward(wrong, strict=True)
