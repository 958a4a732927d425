"""Notebook 13's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import math

import numpy as np
import pytest

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb13 as ex

# --------------------------------------------------------------------------- fit_power_law


def fit_polyfit(x, y):
    slope, intercept = np.polyfit(np.log(x), np.log(y), 1)
    return -slope, np.exp(intercept)


def fit_lstsq(x, y):
    A = np.stack([np.log(x), np.ones(len(x))], axis=1)
    (slope, intercept), *_ = np.linalg.lstsq(A, np.log(y), rcond=None)
    return -slope, math.exp(intercept)


def fit_log10(x, y):
    slope, intercept = np.polyfit(np.log10(x), np.log10(y), 1)
    return -slope, 10 ** intercept


def fit_sums(x, y):
    u, v = [math.log(a) for a in x], [math.log(b) for b in y]
    n = len(u)
    slope = (n * sum(a * b for a, b in zip(u, v)) - sum(u) * sum(v)) / (n * sum(a * a for a in u) - sum(u) ** 2)
    return -slope, math.exp((sum(v) - slope * sum(u)) / n)


def fit_two_points(x, y):
    slope = math.log(y[-1] / y[0]) / math.log(x[-1] / x[0])
    return -slope, y[0] / x[0] ** slope


@pytest.mark.parametrize("answer", [
    right(fit_polyfit, "np.polyfit"), right(fit_lstsq, "np.linalg.lstsq"), right(fit_log10, "log10 and 10**"),
    right(fit_sums, "sums by hand"), right(lambda x, y: list(fit_polyfit(x, y)), "a list"),
])
def test_fit_power_law_right(answer, capsys):
    assert_right(ex.check_fit_power_law, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda x, y: (-fit_polyfit(x, y)[0], fit_polyfit(x, y)[1]), "fail", "wrong sign", "slope kept as alpha"),
    wrong(lambda x, y: (fit_polyfit(x, y)[0], math.log(fit_polyfit(x, y)[1])), "fail", "the intercept is ln c",
          "intercept returned as c"),
    wrong(lambda x, y: (-np.polyfit(x, y, 1)[0], np.polyfit(x, y, 1)[1]), "fail", "x and y themselves", "fit in linear space"),
    wrong(lambda x, y: (-np.polyfit(x, np.log(y), 1)[0], np.exp(np.polyfit(x, np.log(y), 1)[1])), "fail",
          "only y was put in log space", "semi-log"),
    wrong(lambda x, y: (fit_log10(x, y)[0], np.exp(np.polyfit(np.log10(x), np.log10(y), 1)[1])), "fail",
          "used log10 but c was computed with np.exp", "log10 then exp"),
    wrong(lambda x, y: (fit_log10(x, y)[0], np.polyfit(np.log10(x), np.log10(y), 1)[1]), "fail",
          "c is 10 ** intercept", "log10 c returned"),
    wrong(lambda x, y: (-np.polyfit(np.log(x), np.log(y), 1)[1], np.exp(np.polyfit(np.log(x), np.log(y), 1)[0])),
          "fail", "the wrong way round", "polyfit's order"),
    wrong(fit_two_points, "fail", "first and last points only", "two points"),
    wrong(lambda x, y: (-1 / np.polyfit(np.log(y), np.log(x), 1)[0],
                        np.exp(-np.polyfit(np.log(y), np.log(x), 1)[1] / np.polyfit(np.log(y), np.log(x), 1)[0])),
          "fail", "regresses ln x on ln y", "axes swapped"),
    wrong(lambda x, y: fit_polyfit(x, y)[::-1], "fail", "swapped", "(c, alpha)"),
    wrong(lambda x, y: -np.polyfit(np.log(x), np.log(y), 1)[0], "fail", "return 2 values", "alpha only"),
    wrong(lambda x, y: (math.log(x), 1.0), "fail", "np.log", "math.log on an array"),
    wrong(lambda x, y: (fit_polyfit(x, y)[0], None), "todo", "not written yet", "c unfinished"),
    wrong(lambda x, y: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(fit_polyfit), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(fit_polyfit), "fail", "alpha", "right for the first input only"),
])
def test_fit_power_law_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_fit_power_law, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- run_flops


def run_flops(num_layers, d, n_tokens):
    return 6 * 12 * num_layers * d ** 2 * n_tokens


@pytest.mark.parametrize("answer", [
    right(run_flops, "6·12·L·d²·D"),
    right(lambda L, d, D: 72 * L * d * d * D, "72"),
    right(lambda L, d, D: float(6 * (12 * L * d ** 2) * D), "a float"),
    right(lambda L, d, D: 2 * (12 * L * d * d) * D + 4 * (12 * L * d * d) * D, "forward + backward"),
])
def test_run_flops_right(answer, capsys):
    assert_right(ex.check_run_flops, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda L, d, D: 6 * L * d ** 2 * D, "fail", "not L·d²", "no 12"),
    wrong(lambda L, d, D: 6 * 12 * L * d * D, "fail", "d must be squared", "d not squared"),
    wrong(lambda L, d, D: 6 * 12 * d ** 2 * D, "fail", "num_layers too", "one block"),
    wrong(lambda L, d, D: 12 * L * d ** 2 * D, "fail", "that is N·D", "no 6"),
    wrong(lambda L, d, D: 2 * 12 * L * d ** 2 * D, "fail", "forward pass only", "2·N·D"),
    wrong(lambda L, d, D: 6 * 12 * L * d ** 2 + D, "fail", "multiply by the tokens", "added"),
    wrong(lambda L, d, D: 12 * L * d ** 2, "fail", "that is N", "parameters"),
    wrong(lambda L, d, D: 6 * 12 * L * d ** 2, "fail", "one token", "per token"),
    wrong(lambda L, d, D: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(run_flops), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(run_flops), "fail", "expected", "right for the first input only"),
])
def test_run_flops_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_run_flops, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- optimal_split


def optimal_split(compute, tokens_per_param=20):
    n = math.sqrt(compute / (6 * tokens_per_param))
    return n, tokens_per_param * n


@pytest.mark.parametrize("answer", [
    right(optimal_split, "sqrt"),
    right(lambda C, r=20: ((C / (6 * r)) ** 0.5, (C * r / 6) ** 0.5), "both roots"),
    right(lambda C, r=20: (np.sqrt(C / 6 / r), C / (6 * np.sqrt(C / 6 / r))), "D = C / 6N"),
    right(lambda C, r=20: [math.sqrt(C / (6 * r)), r * math.sqrt(C / (6 * r))], "a list"),
])
def test_optimal_split_right(answer, capsys):
    assert_right(ex.check_optimal_split, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda C, r=20: (math.sqrt(C / r), r * math.sqrt(C / r)), "fail", "the 6 of 6·N·D", "no 6"),
    wrong(lambda C, r=20: (C / (6 * r), r * C / (6 * r)), "fail", "square root is missing", "no sqrt"),
    wrong(lambda C, r=20: (optimal_split(C, r)[0], optimal_split(C, r)[0] / r), "fail", "upside down", "D = N / r"),
    wrong(lambda C, r=20: (math.sqrt(C * r / 6), math.sqrt(C / (6 * r))), "fail", "swapped", "N and D swapped"),
    wrong(lambda C, r=20: (optimal_split(C, r)[0], C / optimal_split(C, r)[0]), "fail", "forgets the 6", "D = C / N"),
    wrong(lambda C, r=20: optimal_split(C, 20), "fail", "whatever tokens_per_param", "20 hard-coded"),
    wrong(lambda C, r=20: (math.sqrt(C / 6), math.sqrt(C / 6)), "fail", "tokens_per_param is left out", "N = D"),
    wrong(lambda C, r: optimal_split(C, r), "fail", "tokens_per_param", "no default"),
    wrong(lambda C, r=20: (optimal_split(C, r)[0], None), "todo", "not written yet", "D unfinished"),
    wrong(lambda C, r=20: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(optimal_split), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_optimal_split_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_optimal_split, answer, status, phrase, capsys)
