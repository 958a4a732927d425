"""Notebook 05's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import numpy as np
import pytest

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb05 as ex


def one_hot(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[np.arange(len(y)), y] = 1.0
    return out


def one_hot_columns(y, num_classes):
    out = np.zeros((len(y), num_classes))
    out[:, y] = 1.0
    return out


def one_hot_loop_last_wrong(y, num_classes):
    out = np.zeros((len(y), num_classes))
    for i in range(len(y) - 1):  # the last example is left out
        out[i, y[i]] = 1
    return out


@pytest.mark.parametrize("answer", [
    right(one_hot, "fancy indexing"), right(lambda y, k: np.eye(k)[y], "np.eye"), right(lambda y, k: np.eye(k, dtype=int)[y], "int"),
    right(lambda y, k: (y[:, None] == np.arange(k)).astype(float), "comparison"),
    right(lambda y, k: [[1.0 if j == c else 0.0 for j in range(k)] for c in y], "nested lists"),
])
def test_one_hot_right(answer, capsys):
    assert_right(ex.check_one_hot, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda y, k: np.eye(k)[y - 1], "fail", "the 1 sits in column y-1", "shifted"),
    wrong(one_hot_columns, "fail", "out[:, y] = 1 sets whole columns", "whole columns"),
    wrong(lambda y, k: one_hot(y, k).T, "fail", "transposed", "transposed"),
    wrong(lambda y, k: np.eye(10)[y], "fail", "expected shape (12, 4), got (12, 10)", "10 classes written in"),
    wrong(lambda y, k: 1 - one_hot(y, k), "fail", "0 and 1 are swapped", "inverted"),
    wrong(one_hot_loop_last_wrong, "fail", "each row must hold exactly one 1", "last row left out"),
    wrong(lambda y, k: np.eye(k)[y + 1], "fail", "raised IndexError", "y + 1 out of range"),
    wrong(lambda y, k: y, "fail", "expected shape (7, 10), got (7,)", "labels returned"),
    wrong(lambda y, k: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(one_hot), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(one_hot), "fail", "expected shape (12, 4), got (7, 10)", "right for the first input only"),
])
def test_one_hot_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_one_hot, answer, status, phrase, capsys)


def accuracy(scores, y):
    return float(np.mean(scores.argmax(axis=1) == y))


@pytest.mark.parametrize("answer", [
    right(accuracy, "np.mean"), right(lambda s, y: np.sum(np.argmax(s, 1) == y) / len(y), "sum / N"),
    right(lambda s, y: sum(int(np.argmax(r) == t) for r, t in zip(s, y)) / len(y), "a loop"),
    right(lambda s, y: np.mean(s.argmax(axis=1) == y), "numpy float"),
])
def test_accuracy_right(answer, capsys):
    assert_right(ex.check_accuracy, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda s, y: np.sum(s.argmax(axis=1) == y), "fail", "that is the count of right rows", "count"),
    wrong(lambda s, y: 100 * accuracy(s, y), "fail", "that is a percentage", "percent"),
    wrong(lambda s, y: np.sum(s.argmax(axis=1) == y) // len(y), "fail", "whole numbers", "integer division"),
    wrong(lambda s, y: np.mean(s.argmin(axis=1) == y), "fail", "argmin picks the smallest score", "argmin"),
    wrong(lambda s, y: 1 - accuracy(s, y), "fail", "that is the error rate", "error rate"),
    wrong(lambda s, y: s.argmax(axis=1) == y, "fail", "did you forget to average", "no mean"),
    wrong(lambda s, y: np.mean(s.argmax(axis=0) == y), "fail", "operands could not be broadcast", "argmax over the batch"),
    wrong(lambda s, y: f"{accuracy(s, y):.1%}", "fail", "which is text", "a string"),
    wrong(lambda s, y: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(accuracy), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_accuracy_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_accuracy, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- iterate_minibatches


def batches(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        yield X[idx], y[idx]


def batches_list(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    return [[X[order[s:s + batch_size]], y[order[s:s + batch_size]]] for s in range(0, len(X), batch_size)]


def batches_split(X, y, batch_size, rng):
    idx = rng.permutation(len(X))
    for part in np.array_split(idx, range(batch_size, len(X), batch_size)):
        yield X[part], y[part]


def batches_drop_last(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X) - batch_size + 1, batch_size):
        yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]


def batches_endless(X, y, batch_size, rng):
    while True:
        idx = rng.choice(len(X), batch_size)
        yield X[idx], y[idx]


def batches_global_rng(X, y, batch_size, rng):
    order = np.random.permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]


def batches_shuffled_apart(X, y, batch_size, rng):
    X, y = X[rng.permutation(len(X))], y[rng.permutation(len(y))]
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def batches_unshuffled(X, y, batch_size, rng):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def batches_reseeded(X, y, batch_size, rng):
    order = np.random.default_rng(0).permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[order[start:start + batch_size]], y[order[start:start + batch_size]]


def batches_with_replacement(X, y, batch_size, rng):
    for _ in range(int(np.ceil(len(X) / batch_size))):
        idx = rng.integers(0, len(X), batch_size)
        yield X[idx], y[idx]


def batches_print(X, y, batch_size, rng):
    for b in batches(X, y, batch_size, rng):
        print(b)


def batches_in_place(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    X[:], y[:] = X[order], y[order]  # shuffles the caller's data
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]


def batches_raise(X, y, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        yield X[order[start:start + batch_size]], y[order[start + batch_size]]


def batches_dict(X, y, batch_size, rng):
    for X_batch, y_batch in batches(X, y, batch_size, rng):
        yield {"X": X_batch, "y": y_batch}


@pytest.mark.parametrize("answer", [
    right(batches, "the notebook's generator"), right(batches_list, "a list of [X_batch, y_batch] lists"),
    right(batches_split, "np.array_split"),
])
def test_iterate_minibatches_right(answer, capsys):
    assert_right(ex.check_iterate_minibatches, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(batches_drop_last, "fail", "never appear: keep the last, smaller batch too", "last batch dropped"),
    wrong(batches_endless, "fail", "more than 11 batches for N=103", "endless generator"),
    wrong(batches_global_rng, "fail", "draw the permutation from the rng argument, not np.random", "np.random"),
    wrong(batches_shuffled_apart, "fail", "the labels no longer belong to their images", "X and y shuffled apart"),
    wrong(batches_unshuffled, "fail", "the examples come in their original order", "no shuffle"),
    wrong(batches_reseeded, "fail", "two epochs came in the same order", "re-seeded inside"),
    wrong(batches_with_replacement, "fail", "appear more than once in one epoch", "with replacement"),
    wrong(batches_in_place, "fail", "changed its input `X` in place", "shuffles the caller's X"),
    wrong(batches_raise, "fail", "raised IndexError", "index past the end"),
    wrong(batches_dict, "fail", "batch 0 is a dict, expected a pair", "dicts"),
    wrong(batches_print, "fail", "your function printed '(array(", "prints the batches"),
    wrong(lambda X, y, b, rng: None, "todo", "not implemented yet", "the stub"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(lambda X, y, b, rng: (X, y), "fail", "batch 0 is a ndarray, expected a pair", "the whole set"),
])
def test_iterate_minibatches_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_iterate_minibatches, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- he_init


def he(fan_in, fan_out, rng):
    return rng.standard_normal((fan_in, fan_out)) * np.sqrt(2.0 / fan_in), np.zeros(fan_out)


@pytest.mark.parametrize("answer", [
    right(he, "standard_normal * std"), right(lambda i, o, rng: [rng.normal(0, np.sqrt(2 / i), (i, o)), np.zeros(o)], "a list, rng.normal"),
    right(lambda i, o, rng: (rng.normal(scale=np.sqrt(2 / i), size=(i, o)).astype(np.float32), np.zeros(o, np.float32)), "float32"),
])
def test_he_init_right(answer, capsys):
    assert_right(ex.check_he_init, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda i, o, rng: (rng.normal(0, 2 / i, (i, o)), np.zeros(o)), "fail", "the variance 2/fan_in as the standard deviation", "variance as std"),
    wrong(lambda i, o, rng: (rng.normal(0, np.sqrt(1 / i), (i, o)), np.zeros(o)), "fail", "LeCun", "sqrt(1/fan_in)"),
    wrong(lambda i, o, rng: (rng.normal(0, np.sqrt(2 / o), (i, o)), np.zeros(o)), "fail", "you divided by fan_out", "fan_out"),
    wrong(lambda i, o, rng: (rng.standard_normal((i, o)), np.zeros(o)), "fail", "std 1", "no scaling"),
    wrong(lambda i, o, rng: (rng.uniform(-np.sqrt(6 / i), np.sqrt(6 / i), (i, o)), np.zeros(o)), "fail", "not normally distributed", "He uniform"),
    wrong(lambda i, o, rng: (np.random.randn(i, o) * np.sqrt(2 / i), np.zeros(o)), "fail", "not np.random", "np.random"),
    wrong(lambda i, o, rng: (rng.standard_normal((o, i)) * np.sqrt(2 / i), np.zeros(o)), "fail", "transposed", "transposed"),
    wrong(lambda i, o, rng: (he(i, o, rng)[0], np.ones(o)), "fail", "b should start at zero", "b ones"),
    wrong(lambda i, o, rng: (np.full((i, o), np.sqrt(2 / i)), np.zeros(o)), "fail", "all weights are equal", "constant"),
    wrong(lambda i, o, rng: (he(i, o, rng)[0], np.zeros((1, o))), "fail", "b has shape (1, 256)", "b as a row"),
    wrong(lambda i, o, rng: (he(i, o, rng)[0], None), "todo", "b is not written yet", "half-written"),
    wrong(lambda i, o, rng: he(i, o, rng)[0], "fail", "return 2 values, (W, b); got one ndarray", "W only"),
    wrong(lambda i, o, rng: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(he), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_he_init_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_he_init, answer, status, phrase, capsys)
