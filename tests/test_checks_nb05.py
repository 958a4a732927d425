"""The notebook-05 checkers accept right answers and name each kind of wrong one."""

import numpy as np
import pytest

from course_utils.checks import nb05 as ex


def strict_fails(checker, fn, match):
    with pytest.raises(AssertionError, match=match):
        checker(fn, strict=True)


# --------------------------------------------------------------------------- one_hot


def one_hot(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[np.arange(len(y)), y] = 1
    return out


def test_one_hot_accepts_right_answer():
    assert ex.check_one_hot(one_hot, strict=True)
    assert ex.check_one_hot(lambda y, k: np.eye(k)[y], strict=True)


def test_one_hot_placeholder(capsys):
    v = ex.check_one_hot(lambda y, k: None)
    assert v.status == "todo" and "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "fn, match",
    [
        (lambda y, k: one_hot(y, k).T, "transposed"),
        (lambda y, k: np.eye(k)[y - 1], "column y-1"),
        (lambda y, k: np.zeros((len(y), k)), "exactly one 1"),
        (lambda y, k: one_hot(y, k) * np.nan, "exactly one 1"),
        (lambda y, k: np.eye(10)[y], "shape"),
        (lambda y, k: np.eye(k)[y + 1], "IndexError|column y\\+1"),
        (lambda y, k: y.reshape(-1, 1) == np.arange(k + 1), "shape"),
    ],
)
def test_one_hot_rejects(fn, match):
    strict_fails(ex.check_one_hot, fn, match)


# --------------------------------------------------------------------------- accuracy


def accuracy(scores, y):
    return float(np.mean(scores.argmax(axis=1) == y))


def test_accuracy_accepts_right_answer():
    assert ex.check_accuracy(accuracy, strict=True)


def test_accuracy_placeholder(capsys):
    assert ex.check_accuracy(lambda s, y: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "fn, match",
    [
        (lambda s, y: np.sum(s.argmax(axis=1) == y), "factor .* = m"),
        (lambda s, y: 100 * np.mean(s.argmax(axis=1) == y), "percentage"),
        (lambda s, y: s.argmax(axis=1) == y, "average"),
        (lambda s, y: np.mean(s.argmax(axis=0) == y), "ValueError|wrong values|shape"),
        (lambda s, y: np.mean(s.argmin(axis=1) == y), "wrong values"),
        (lambda s, y: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_accuracy_rejects(fn, match):
    strict_fails(ex.check_accuracy, fn, match)


# --------------------------------------------------------------------------- iterate_minibatches


def iterate_minibatches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


def no_shuffle(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start : start + batch_size], y[start : start + batch_size]


def drops_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X) - batch_size + 1, batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


def with_replacement(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        idx = rng.integers(0, len(X), min(batch_size, len(X) - start))
        yield X[idx], y[idx]


def misaligned(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[start : start + len(idx)]


def global_rng(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


def fixed_order(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start : start + batch_size]
        yield X[idx], y[idx]


def test_minibatches_accepts_right_answer():
    assert ex.check_iterate_minibatches(iterate_minibatches, strict=True)


def test_minibatches_accepts_a_list():
    assert ex.check_iterate_minibatches(lambda X, y, b, rng: list(iterate_minibatches(X, y, b, rng)), strict=True)


def test_minibatches_placeholder(capsys):
    assert ex.check_iterate_minibatches(lambda X, y, b, rng: None).status == "todo"
    assert "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize(
    "fn, match",
    [
        (no_shuffle, "original order"),
        (drops_last, "never appear"),
        (with_replacement, "more than once"),
        (misaligned, "labels no longer belong"),
        (global_rng, "same rng seed"),
        (fixed_order, "same order"),
        (lambda X, y, b, rng: [X[:b]], "pair"),
        (lambda X, y, b, rng: 3, "cannot be looped"),
        (lambda X, y, b, rng: [(X, y)], "more than batch_size"),
        (lambda X, y, b, rng: X.undefined, "AttributeError"),
    ],
)
def test_minibatches_rejects(fn, match):
    strict_fails(ex.check_iterate_minibatches, fn, match)


# --------------------------------------------------------------------------- he_init


def he_init_layer(fan_in, fan_out, rng):
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), (fan_in, fan_out)), np.zeros(fan_out)


def test_he_init_accepts_right_answers():
    assert ex.check_he_init(he_init_layer, strict=True)
    bound = lambda fi: np.sqrt(6.0 / fi)  # noqa: E731  He-uniform has the same variance
    assert ex.check_he_init(lambda fi, fo, rng: (rng.uniform(-bound(fi), bound(fi), (fi, fo)), np.zeros(fo)), strict=True)


def test_he_init_placeholder(capsys):
    assert ex.check_he_init(lambda fi, fo, rng: None).status == "todo"
    assert ex.check_he_init(lambda fi, fo, rng: (None, None)).status == "todo"


@pytest.mark.parametrize(
    "fn, match",
    [
        (lambda fi, fo, rng: (rng.normal(0, np.sqrt(2 / fi), (fo, fi)), np.zeros(fo)), "transposed"),
        (lambda fi, fo, rng: (rng.normal(0, 2 / fi, (fi, fo)), np.zeros(fo)), "variance"),
        (lambda fi, fo, rng: (rng.normal(0, np.sqrt(1 / fi), (fi, fo)), np.zeros(fo)), "LeCun"),
        (lambda fi, fo, rng: (rng.normal(0, np.sqrt(2 / fo), (fi, fo)), np.zeros(fo)), "fan_out"),
        (lambda fi, fo, rng: (np.zeros((fi, fo)), np.zeros(fo)), "all weights are equal"),
        (lambda fi, fo, rng: (rng.random((fi, fo)), np.zeros(fo)), "centred on 0"),
        (lambda fi, fo, rng: (rng.normal(0, np.sqrt(2 / fi), (fi, fo)), np.ones(fo)), "zero"),
        (lambda fi, fo, rng: (rng.normal(0, np.sqrt(2 / fi), (fi, fo)), np.zeros((1, fo))), "b has shape"),
        (lambda fi, fo, rng: (np.random.normal(0, np.sqrt(2 / fi), (fi, fo)), np.zeros(fo)), "same seed"),
        (lambda fi, fo, rng: (np.random.default_rng(3).normal(0, np.sqrt(2 / fi), (fi, fo)), np.zeros(fo)), "different seeds"),
        (lambda fi, fo, rng: rng.normal(0, np.sqrt(2 / fi), (fi, fo)), "pair"),
        (lambda fi, fo, rng: (rng.normal(0, np.sqrt(2 / fi), (fi, fo)) * np.nan, np.zeros(fo)), "NaN"),
    ],
)
def test_he_init_rejects(fn, match):
    strict_fails(ex.check_he_init, fn, match)
