"""course_utils.checks.core: numerical gradients, rel_error, and the messages of check_function."""

import numpy as np
import pytest

from course_utils.checks import Verdict, check_function, compare, numerical_gradient, rel_error, report

# --------------------------------------------------------------------------- numerical_gradient


@pytest.mark.parametrize("shape", [(1,), (5,), (3, 4), (2, 3, 4)])
def test_numerical_gradient_of_sum_of_squares(shape):
    x = np.random.default_rng(0).normal(size=shape)
    grad = numerical_gradient(lambda: np.sum(x**2), x)
    assert grad.shape == shape
    assert rel_error(grad, 2 * x) < 1e-8


def test_numerical_gradient_of_a_3d_function_with_weights():
    rng = np.random.default_rng(1)
    x, A = rng.normal(size=(2, 3, 4)), rng.normal(size=(2, 3, 4))
    grad = numerical_gradient(lambda: np.sum(np.sin(x) * A), x)
    assert rel_error(grad, np.cos(x) * A) < 1e-7


def test_numerical_gradient_of_a_matrix_product():
    rng = np.random.default_rng(2)
    X, W = rng.normal(size=(5, 3)), rng.normal(size=(3, 2))
    grad = numerical_gradient(lambda: np.sum(X @ W), W)  # d/dW sum(XW) = X^T 1
    assert rel_error(grad, X.T @ np.ones((5, 2))) < 1e-8


def test_numerical_gradient_restores_x_exactly():
    x = np.random.default_rng(3).normal(size=(3, 2, 2))
    before = x.copy()
    numerical_gradient(lambda: np.sum(np.exp(x)), x)
    assert np.array_equal(x, before)


def test_numerical_gradient_needs_a_float_array_and_says_why():
    with pytest.raises(TypeError, match="float NumPy array.*nudges x in place.*dtype int64.*dtype=float"):
        numerical_gradient(lambda: 0.0, np.arange(3))
    with pytest.raises(TypeError, match="float NumPy array.*got list"):
        numerical_gradient(lambda: 0.0, [1.0, 2.0])


def test_numerical_gradient_restores_x_even_when_f_raises():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f():
        calls.append(1)
        if len(calls) == 3:  # while the second entry is nudged
            raise ValueError("the learner's loss broke")
        return float(np.sum(x**2))

    with pytest.raises(ValueError, match="loss broke"):
        numerical_gradient(f, x)
    assert np.array_equal(x, [1.0, 2.0, 3.0])


def test_numerical_gradient_accepts_f_of_x_as_cs231n_and_dlfs_write_it():
    x = np.random.default_rng(4).normal(size=(2, 3))
    assert rel_error(numerical_gradient(lambda w: np.sum(np.sin(w)), x), np.cos(x)) < 1e-8

    def loss(w, scale=2.0):  # a parameter with a default is not required
        return scale * np.sum(w)

    assert rel_error(numerical_gradient(loss, x), 2 * np.ones_like(x)) < 1e-8


def test_numerical_gradient_says_f_must_return_one_number():
    with pytest.raises(ValueError, match="one number .*shape \\(3,\\)"):
        numerical_gradient(lambda: np.ones(3), np.zeros(3))


# --------------------------------------------------------------------------- rel_error


def test_rel_error_basics():
    assert rel_error(np.zeros(3), np.zeros(3)) == 0.0  # no 0/0
    assert rel_error([], []) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert rel_error([1.0], [-1.0]) == pytest.approx(1.0)
    assert rel_error([1e-3], [1.001e-3]) == pytest.approx(rel_error([1e3], [1.001e3]))  # relative: scale-free
    assert np.isfinite(rel_error([0.0], [1e-20]))
    with pytest.raises(ValueError, match="shapes differ"):
        rel_error(np.zeros(3), np.zeros(4))


# --------------------------------------------------------------------------- check_function


def reference(X, W):
    """A mean over the batch: X^T X W / m, shape (D, K)."""
    return X.T @ X @ W / len(X)


def make_args(rng):
    m = int(rng.integers(4, 8))
    return rng.normal(size=(m, 3)), rng.normal(size=(3, 2))


def run(fn, capsys, **kwargs):
    v = check_function(fn, reference, make_args, name="grad", batch_size=lambda args: len(args[0]), **kwargs)
    return v, capsys.readouterr().out


def test_right_answer_passes(capsys):
    v, out = run(lambda X, W: X.T @ X @ W / X.shape[0], capsys)
    assert v and v.status == "pass"
    assert out.startswith("✅ grad: correct on 5 random inputs")


def test_wrong_shape(capsys):
    v, out = run(lambda X, W: (X.T @ X @ W / len(X))[:, :1], capsys)
    assert not v and out.startswith("❌") and "expected shape (3, 2), got (3, 1)" in out


def test_transposed(capsys):
    v, out = run(lambda X, W: (X.T @ X @ W / len(X)).T, capsys)
    assert "shape (2, 3) is transposed: expected (3, 2)" in out


def test_sign_flipped(capsys):
    v, out = run(lambda X, W: -(X.T @ X @ W) / len(X), capsys)
    assert "the sign is flipped" in out


def test_missing_one_over_m(capsys):
    v, out = run(lambda X, W: X.T @ X @ W, capsys)
    assert "= m, the batch size: divide the sum by m" in out


def test_extra_one_over_m(capsys):
    v, out = run(lambda X, W: X.T @ X @ W / len(X) ** 2, capsys)
    assert "off by a factor of 1/" in out and "should not be averaged" in out


def test_other_constant_factor(capsys):
    v, out = run(lambda X, W: 2 * X.T @ X @ W / len(X), capsys)
    assert "off by a factor of 2." in out


def test_nan_with_hint(capsys):
    v, out = run(lambda X, W: np.full((3, 2), np.nan), capsys, nan_hint="did log(0) happen?")
    assert "6 entries are NaN or inf; did log(0) happen?" in out
    v, out = run(lambda X, W: np.where(np.arange(6).reshape(3, 2) == 0, np.inf, reference(X, W)), capsys)
    assert "1 of 6 entries is NaN or inf." in out


def test_wrong_values_name_the_worst_entry(capsys):
    def off_by_one_entry(X, W):
        out = reference(X, W)
        out[2, 1] += 1.0
        return out

    v, out = run(off_by_one_entry, capsys)
    assert "wrong values: the largest error is 1, at index (2, 1)" in out
    assert "(trial 1 of 5: X (" in out


def test_exception_is_explained_with_the_learners_line(capsys):
    def learner(X, W):
        return X @ W.T  # the bug: (m, 3) @ (2, 3)

    v, out = run(learner, capsys)
    assert v.status == "fail"
    assert "your code raised ValueError at `return X @ W.T  # the bug: (m, 3) @ (2, 3)` (line" in out
    assert "inner sizes of a matrix product must match" in out  # the hint for this ValueError


def test_name_error_gets_its_hint(capsys):
    def learner(X, W):
        return X @ W_typo  # noqa: F821

    v, out = run(learner, capsys)
    assert "raised NameError" in out and "run the cells above" in out


@pytest.mark.parametrize("placeholder", [None, Ellipsis, NotImplemented])
def test_placeholder_means_not_implemented(capsys, placeholder):
    v, out = run(lambda X, W: placeholder, capsys)
    assert v.status == "todo" and not v
    assert out.startswith("⏳ grad: not implemented yet")


def test_not_implemented_error_is_todo(capsys):
    def learner(X, W):
        raise NotImplementedError

    v, out = run(learner, capsys)
    assert v.status == "todo" and "raise NotImplementedError" in out


def test_returning_a_tuple_is_named_as_such(capsys):
    v, out = run(lambda X, W: (reference(X, W), X.sum()), capsys)  # e.g. (grad, loss)
    assert "returned a tuple of 2 values; expected an array of shape (3, 2)" in out
    assert "your code raised" not in out


def test_scalar_expected_but_array_returned(capsys):
    v = check_function(
        lambda X: X**2, lambda X: np.mean(X**2), lambda rng: (rng.normal(size=5),), name="loss"
    )
    assert "expected one number (did you forget to average over the batch?)" in capsys.readouterr().out


def test_torch_tensor_answers_are_accepted(capsys):
    torch = pytest.importorskip("torch")
    v, _ = run(lambda X, W: torch.tensor(reference(X, W), requires_grad=True) * 1.0, capsys)
    assert v


def test_inputs_are_copies_and_changing_one_in_place_is_named(capsys):
    def learner(X, W):
        out = reference(X, W)
        X[:] = 0  # vandalise the input
        return out

    v, out = run(learner, capsys)
    assert not v and "changed its input `X` in place" in out


def test_strict_raises_on_fail_and_todo_but_not_on_pass(capsys):
    with pytest.raises(AssertionError, match="sign is flipped"):
        run(lambda X, W: -reference(X, W), capsys, strict=True)
    with pytest.raises(AssertionError, match="not implemented yet"):
        run(lambda X, W: None, capsys, strict=True)
    v, _ = run(reference, capsys, strict=True)
    assert v


def test_trials_stop_at_the_first_failure(capsys):
    calls = []

    def learner(X, W):
        calls.append(1)
        return reference(X, W) if len(calls) < 3 else -reference(X, W)

    v, out = run(learner, capsys, trials=10)
    assert len(calls) == 3 and "trial 3 of 10" in out


# --------------------------------------------------------------------------- compare, report, Verdict


def test_compare_direct():
    assert compare([1.0, 2.0], [1.0, 2.0]) is None
    assert compare(np.array(2.0), 2.0 + 1e-12) is None
    assert "returned the string 'x', which is text" in compare("x", [1.0])
    assert compare([0.0, 0.0], [0.0, 0.0]) is None  # all zero: no ratio, no division


def test_report_and_verdict(capsys):
    v = report(Verdict("thing", "fail", "broken."))
    assert capsys.readouterr().out == "❌ thing: broken.\n" and not v
    assert Verdict("t", "pass", "ok").line() == "✅ t: ok"
    with pytest.raises(AssertionError, match="❌ thing: broken"):
        report(Verdict("thing", "fail", "broken."), strict=True)


def test_one_number_is_called_off_by_a_factor_only_when_the_factor_tells_something():
    assert compare(8.0, 4.0) == "off by a factor of 2."
    assert compare(0.1, 1.0) == "off by a factor of 1/10."
    assert compare(11.0, 4.0) == "got 11, expected 4."
    assert compare([11.0, 22.0], [4.0, 8.0]) == "off by a constant factor of 2.75."  # many entries, one ratio: telling


def test_a_known_mistake_that_cannot_run_is_skipped(capsys):
    """A listed wrong formula that raises on some input must not crash the check."""
    from course_utils.checks import check

    def broken_mistake(x):
        raise ValueError("this wrong formula needs another shape")

    make_args = lambda rng, trial: (rng.normal(size=(4, 3)),)  # noqa: E731
    right = check(lambda x: 2 * x, name="double", reference=lambda x: 2 * x, make_args=make_args,
                  mistakes=[(broken_mistake, "never shown")])
    assert right.status == "pass"
    wrong = check(lambda x: 3 * x, name="double", reference=lambda x: 2 * x, make_args=make_args,
                  mistakes=[(broken_mistake, "never shown"), (lambda x: 3 * x, "tripled, not doubled")])
    assert wrong.status == "fail" and "tripled" in wrong.message
