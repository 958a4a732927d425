"""What the checker engine guarantees, whatever the learner's function does (issue 11).

Each test is one promise of course_utils/checks/engine.py (and guard.py, answers.py): one
verdict line and no traceback of the course, a time limit, tolerances that follow the dtype,
the named slips (print instead of return, in place, swapped, integer division, a string), the
learner's own line blamed, and an error of a checker reported as the course's.
"""

import signal
import threading
import time

import numpy as np
import pytest

from course_utils.checks import check, checker, compare
from course_utils.checks.guard import TimeUp, time_limit

torch = pytest.importorskip("torch")

# A small exercise for the engine: add two arrays (and a two-output one, and a count).


def add_args(rng, trial):
    shape = [(3,), (2, 4), (5,)][trial % 3]
    return rng.normal(size=shape), rng.normal(size=shape)


def run_add(fn, capsys, **options):
    verdict = check(fn, name="add", reference=lambda a, b: a + b, make_args=add_args, trials=3, **options)
    out = capsys.readouterr().out
    return verdict, out


def one_line(out):
    lines = out.splitlines()
    assert len(lines) == 1, out
    return lines[0]


@pytest.fixture
def fast_timeout(monkeypatch):
    """Every time limit scaled down to a tenth (0.5 s for the default of 5 s)."""
    monkeypatch.setenv("COURSE_CHECK_TIMEOUT", "0.1")


# --------------------------------------------------------------------------- one line, never a traceback


def loop_for_ever(a, b):
    while True:
        pass


def recurse(a, b):
    return recurse(a, b)


def prints(a, b):
    print(a + b)


def mutates_and_returns_none(a, b):
    a += b


WEIRD = {
    "None": lambda a, b: None,
    "Ellipsis": lambda a, b: ...,
    "str": lambda a, b: "0.5",
    "empty list": lambda a, b: [],
    "tuple with None": lambda a, b: (a + b, None),
    "list with None": lambda a, b: [None, None, None],
    "huge int": lambda a, b: (784 + 1) ** 10_000,
    "NaN": lambda a, b: np.full(np.shape(a), np.nan),
    "raises": lambda a, b: a @ np.ones((7, 7)),
    "prints": prints,
    "mutates": mutates_and_returns_none,
    "loops for ever": loop_for_ever,
    "recursion": recurse,
    "generator": lambda a, b: (x for x in a),
    "dict": lambda a, b: {"sum": a + b},
    "function": lambda a, b: np.add,
    "bool": lambda a, b: True,
    "complex": lambda a, b: (a + b) * 1j,
    "object": lambda a, b: object(),
    "exits": lambda a, b: exit(),
    "wrong torch tensor": lambda a, b: torch.zeros(3, 3),
}


@pytest.mark.parametrize("kind", list(WEIRD))
def test_any_answer_gives_one_line_and_no_exception(kind, capsys, fast_timeout):
    start = time.monotonic()
    verdict, out = run_add(WEIRD[kind], capsys)
    line = one_line(out)
    assert verdict.status in ("fail", "todo") and line.startswith(("❌", "⏳"))
    assert "Traceback" not in out and "_Placeholder" not in out
    assert time.monotonic() - start < 3
    with pytest.raises(AssertionError) as raised:  # strict: the same line, as the assertion's message
        run_add(WEIRD[kind], capsys, strict=True)
    assert str(raised.value) == line


def test_strict_never_raises_for_a_right_answer(capsys):
    verdict, out = run_add(lambda a, b: b + a, capsys, strict=True)
    assert verdict and one_line(out) == "✅ add: correct on 3 random inputs."


def test_an_error_in_a_checker_is_the_courses_fault_not_a_crash(capsys):
    @checker("broken")
    def check_broken(t, fn):
        t.call(fn, 1)
        return {}["missing"]  # the checker's own bug

    verdict = check_broken(lambda x: x)
    line = one_line(capsys.readouterr().out)
    assert verdict.status == "fail" and "the checker itself failed (KeyError" in line and "not in your code" in line
    with pytest.raises(AssertionError, match="checker itself failed"):
        check_broken(lambda x: x, strict=True)


def test_a_keyboard_interrupt_still_stops_the_cell(capsys):
    def interrupted(a, b):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_add(interrupted, capsys)


def test_learner_output_and_warnings_are_kept_out_of_the_cell(capsys):
    def noisy(a, b):
        print("debugging", a)
        np.log(-np.ones(2))  # a RuntimeWarning
        return a + b

    verdict, out = run_add(noisy, capsys)
    assert verdict and one_line(out).startswith("✅")
    assert capsys.readouterr().err == ""


# --------------------------------------------------------------------------- the time limit


def test_an_endless_loop_is_stopped_and_named(capsys, fast_timeout):
    start = time.monotonic()
    verdict, out = run_add(loop_for_ever, capsys)
    assert time.monotonic() - start < 2
    assert "ran more than 0.5 s: is there a loop that never ends?" in one_line(out)


def test_the_limit_scales_with_the_environment(capsys, monkeypatch):
    monkeypatch.setenv("COURSE_CHECK_TIMEOUT", "0.02")
    _, out = run_add(loop_for_ever, capsys)
    assert "ran more than 0.1 s" in out
    monkeypatch.setenv("COURSE_CHECK_TIMEOUT", "not a number")  # ignored: the default 5 s
    from course_utils.checks.guard import seconds_allowed

    assert seconds_allowed(5) == 5


def test_a_checker_can_allow_longer(capsys, fast_timeout):
    _, out = run_add(loop_for_ever, capsys, seconds=2)
    assert "ran more than 0.2 s" in out


def test_time_limit_in_another_thread_uses_the_watchdog(capsys, fast_timeout):
    """Off the main thread there is no SIGALRM; a watchdog interrupts Python loops there."""
    result = {}

    def worker():
        result["verdict"], result["out"] = run_add(loop_for_ever, capsys)

    thread = threading.Thread(target=worker)
    start = time.monotonic()
    thread.start()
    thread.join(10)
    assert not thread.is_alive() and time.monotonic() - start < 3
    assert result["verdict"].status == "fail" and "ran more than 0.5 s" in result["verdict"].message


def test_time_limit_leaves_an_outer_alarm_in_place():
    """A test runner's or grader's own SIGALRM keeps its handler and its deadline."""
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *a: fired.append(True))
    try:
        signal.setitimer(signal.ITIMER_REAL, 0.6)
        with time_limit(0.1):
            pass
        assert signal.getsignal(signal.SIGALRM) is not None and 0 < signal.getitimer(signal.ITIMER_REAL)[0] <= 0.6
        time.sleep(0.8)
        assert fired == [True]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def test_time_limit_raises_only_inside_its_block():
    with pytest.raises(TimeUp):
        with time_limit(0.05):
            while True:
                pass
    time.sleep(0.1)  # nothing fires later
    assert signal.getitimer(signal.ITIMER_REAL)[0] == 0


def test_a_learners_bare_except_exception_cannot_swallow_the_time_out(capsys, fast_timeout):
    def stubborn(a, b):
        while True:
            try:
                while True:
                    pass
            except Exception:
                pass

    _, out = run_add(stubborn, capsys)
    assert "ran more than" in out


# --------------------------------------------------------------------------- tolerances follow the dtype


def test_a_right_float32_answer_passes(capsys):
    verdict, _ = run_add(lambda a, b: (a.astype(np.float32) + b.astype(np.float32)), capsys)
    assert verdict
    verdict = check(lambda x: np.float32(np.mean(x.astype(np.float32) ** 2)), name="ms", reference=lambda x: np.mean(x**2),
                    make_args=lambda rng, i: (rng.normal(size=1000),))
    assert verdict


def test_a_float32_answer_that_is_too_rough_is_told_so(capsys):
    verdict, out = run_add(lambda a, b: (a + b).astype(np.float16).astype(np.float32) + 1e-3, capsys)
    assert not verdict and "computed in float32" in out


def test_a_float64_answer_slightly_wrong_is_never_accepted(capsys):
    verdict, out = run_add(lambda a, b: (a + b) * (1 + 1e-5), capsys)
    assert not verdict
    assert compare(1.0 + 1e-5, 1.0) is not None and compare(np.float32(1.0 + 1e-5), 1.0) is None


def test_torch_tensors_and_lists_are_read_as_arrays(capsys):
    assert run_add(lambda a, b: torch.tensor(a + b, requires_grad=True) * 1.0, capsys)[0]
    assert run_add(lambda a, b: list(a + b) if a.ndim == 1 else (a + b).tolist(), capsys)[0]


def test_never_two_equal_looking_numbers_in_a_message():
    message = compare(3.609091, 3.609095)  # the same to 6 digits, apart by more than 1e-6
    assert "got 3.609091, expected 3.609095" in message


def test_no_one_times_the_right_answer():
    for got, expected in [(3.6091, 3.6090), (1.00001, 1.0), (7.0, 4.0), (101, 100)]:
        message = compare(got, expected)
        assert message and "1 times" not in message and "factor of 1." not in message, message
    assert compare(8.0, 4.0) == "off by a factor of 2."
    assert compare(0.1, 1.0) == "off by a factor of 1/10."


# --------------------------------------------------------------------------- named slips


def test_printed_instead_of_returned(capsys):
    _, out = run_add(prints, capsys)
    assert "your function printed" in out and "but returned None: use `return`" in out


def test_returned_none_is_not_written_yet(capsys):
    verdict, out = run_add(lambda a, b: None, capsys)
    assert verdict.status == "todo" and "not implemented yet" in out


def test_raise_not_implemented_is_not_written_yet(capsys):
    def stub(a, b):
        raise NotImplementedError

    verdict, out = run_add(stub, capsys)
    assert verdict.status == "todo" and "raise NotImplementedError" in out


def test_in_place_is_named_and_the_promise_of_a_new_array_said(capsys):
    def in_place(a, b):
        a += b
        return a

    verdict, out = run_add(in_place, capsys)
    assert not verdict and "changed its input `a` in place" in out
    _, out = run_add(in_place, capsys, new_array=True)
    assert "the docstring promises a new array" in out
    _, out = run_add(mutates_and_returns_none, capsys)
    assert "changed `a` in place and returned None" in out


def test_in_place_on_a_list_or_inside_a_tuple_is_named(capsys):
    def pops(sizes):
        sizes.pop()
        return sum(sizes)

    check(pops, name="total", reference=lambda sizes: sum(sizes[:-1]), make_args=lambda rng, i: ([1, 2, 3],))
    assert "changed its input `sizes` in place" in capsys.readouterr().out

    def scribbles(cache):
        cache[0][0] = 0.0
        return cache[0].sum()

    check(scribbles, name="s", reference=lambda cache: 0.0, make_args=lambda rng, i: ((np.ones(3), np.ones(2)),))
    assert "changed its input `cache[0]` in place" in capsys.readouterr().out


def two(rng, trial):
    return rng.normal(size=(3, 2)), rng.normal(size=(2, 4))


def run_two(fn, capsys, **options):
    verdict = check(fn, name="pair", reference=lambda X, W: (X @ W, X.sum()), make_args=two, outputs=("Z", "total"), **options)
    return verdict, capsys.readouterr().out


def test_swapped_outputs_are_named_and_a_list_is_fine(capsys):
    verdict, out = run_two(lambda X, W: (X.sum(), X @ W), capsys)
    assert "Z and total are swapped: return them in the order (Z, total)" in out
    assert run_two(lambda X, W: [X @ W, X.sum()], capsys)[0]  # [W, b] where a pair is unpacked: right


def test_half_written_tuple_is_not_written_yet(capsys):
    verdict, out = run_two(lambda X, W: (X @ W, None), capsys)
    assert verdict.status == "todo" and "total is not written yet (it is still None)" in out
    verdict, out = run_two(lambda X, W: X @ W, capsys)
    assert verdict.status == "fail" and "return 2 values, (Z, total); got one ndarray" in out


def test_integer_division_and_integer_arrays_are_named(capsys):
    verdict = check(lambda s, n: s // n, name="mean", reference=lambda s, n: s / n,
                    make_args=lambda rng, i: (int(rng.integers(10, 20)), 7))
    assert "whole numbers" in verdict.message and "//" in verdict.message
    verdict = check(lambda x: np.zeros(3, dtype=int) + x.astype(int), name="copy", reference=lambda x: x * 1.0,
                    make_args=lambda rng, i: (rng.normal(size=3),))
    assert "(int64) where fractions belong" in verdict.message


def test_a_string_for_a_count_is_rejected_and_said_to_be_a_string(capsys):
    verdict = check(lambda D, M: str((D + 1) * M), name="count", reference=lambda D, M: (D + 1) * M,
                    make_args=lambda rng, i: (784, 128))
    assert not verdict and "returned the string '100480', which is text" in verdict.message


def test_a_huge_integer_answer_is_compared_without_overflow(capsys):
    verdict = check(lambda D, M: (D + 1) ** M, name="count", reference=lambda D, M: (D + 1) * M,
                    make_args=lambda rng, i: (784, 10_000))
    assert verdict.status == "fail" and "a number with 28,949 digits" in verdict.message


def test_a_listed_mistake_is_named_only_when_it_explains_every_trial(capsys):
    mistakes = [(lambda D, M: (D + 1) * (M + 1), "one row too many")]
    cases = [(3, 1), (4, 5), (2, 7)]
    make = lambda rng, i: cases[i]  # noqa: E731
    right = lambda D, M: (D + 1) * M  # noqa: E731
    assert "one row too many" in check(lambda D, M: (D + 1) * (M + 1), name="c", reference=right, make_args=make,
                                       trials=3, mistakes=mistakes).message
    # 2 (D + 1) M equals (D + 1)(M + 1) for M = 1 only: not blamed on that mistake
    message = check(lambda D, M: 2 * (D + 1) * M, name="c", reference=right, make_args=make, trials=3, mistakes=mistakes).message
    assert "one row too many" not in message and "factor of 2" in message


def test_a_known_mistake_is_recognised_in_its_stable_form(capsys):
    from course_utils.checks import nb01

    def stable_without_keepdims(Z):
        E = np.exp(Z - Z.max(axis=1, keepdims=True))
        return E / E.sum(axis=1)

    assert "keepdims=True" in nb01.check_softmax(stable_without_keepdims).message


# --------------------------------------------------------------------------- the learner's line


def cell_function(source, name):
    """A function defined as a Jupyter cell defines it: its file is the kernel's name for the cell."""
    import linecache

    filename = "/tmp/ipykernel_4242/2731.py"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)  # as IPython keeps cells
    namespace = {"np": np, "torch": torch}
    exec(compile(source, filename, "exec"), namespace)
    return namespace[name]


def test_the_blamed_line_is_the_learners_with_its_line_in_the_cell(capsys):
    learner = cell_function("def add(a, b):\n    total = a + b\n    return np.sum(total, axis=3)\n", "add")
    _, out = run_add(learner, capsys)
    assert "raised AxisError at `return np.sum(total, axis=3)` (line 3 of your cell)" in out
    assert "umr_sum" not in out and "fromnumeric" not in out


def test_torch_frames_are_skipped_too(capsys):
    learner = cell_function("def f(a, b):\n    t = torch.tensor(a)\n    t.backward()\n    return a + b\n", "f")
    _, out = run_add(learner, capsys)
    assert "at `t.backward()` (line 3 of your cell)" in out and "run_backward" not in out


def test_course_frames_are_skipped(capsys):
    from course_utils.checks import nb09

    learner = cell_function("def occlusion_map(score_fn, image, patch):\n    return score_fn(image)\n", "occlusion_map")
    verdict = nb09.check_occlusion_map(learner)
    assert "at `return score_fn(image)` (line 2 of your cell)" in verdict.message
    assert "pass image[None]" in verdict.message


def test_runaway_recursion_is_named(capsys):
    _, out = run_add(recurse, capsys)
    assert "calls itself without end (RecursionError" in out


# --------------------------------------------------------------------------- every message translatable


def test_every_message_goes_through_gettext(capsys, monkeypatch, fast_timeout):
    """With a fake translation, no English phrase of the engine is left in the verdicts."""
    import re

    import course_utils.i18n as i18n

    monkeypatch.setattr(i18n, "translate", lambda message, *a, **k: "«" + message + "»")
    answers = [WEIRD[k] for k in ("None", "str", "tuple with None", "huge int", "NaN", "raises", "prints", "mutates",
                                  "loops for ever", "recursion", "generator")] + [lambda a, b: -(a + b), lambda a, b: a + b]
    for fn in answers:
        verdict, _ = run_add(fn, capsys)
        outside, before = verdict.message, None
        while outside != before:  # translated pieces may hold translated pieces
            before, outside = outside, re.sub(r"«[^«»]*»", "", outside)
        assert not re.search(r"[a-z]{3,} [a-z]{3,}", outside), verdict.message


def test_messages_are_templates_not_f_strings():
    """``_()`` gets a plain string literal everywhere in the checks (gettext needs the template)."""
    import ast
    from pathlib import Path

    import course_utils.checks as checks

    for path in Path(checks.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "_":
                assert len(node.args) == 1 and isinstance(node.args[0], ast.Constant) \
                    and isinstance(node.args[0].value, str), f"{path.name}:{node.lineno}"


# --------------------------------------------------------------------------- a checker with its own logic


def test_custom_checkers_use_the_same_primitives(capsys, fast_timeout):
    @checker("counter")
    def check_counter(t, make_counter):
        """``make_counter()`` returns a generator of 0, 1, 2."""
        out = t.call(make_counter)
        values = t.run(lambda: list(out)).value
        t.expect(values, np.arange(3.0), "(counting to 3)")
        return "counts to 3."

    def endless():
        while True:
            yield 0

    assert check_counter(lambda: iter(range(3)))
    assert "ran more than" in check_counter(endless).message  # the loop runs in t.run, under the limit
    assert check_counter(lambda: None).status == "todo"
    assert "expected shape (3,), got (2,). (counting to 3)" in check_counter(lambda: iter(range(2))).message
    assert check_counter.__doc__.startswith("``make_counter()``") and check_counter.__name__ == "check_counter"


def test_the_notebooks_tables_are_translated_when_a_check_runs(capsys, monkeypatch):
    """Mistake tables are built inside each checker, so the language of the moment is used."""
    import course_utils.i18n as i18n
    from course_utils.checks import nb00, nb05

    monkeypatch.setattr(i18n, "translate", lambda message, *a, **k: "«" + message + "»")
    verdict = nb00.check_count_dense_params(lambda D, M: D * M)
    assert verdict.message.startswith("«only the weights W") and "«(trial {i} of {n}: {inputs})»" not in verdict.message
    verdict = nb05.check_iterate_minibatches(lambda X, y, b, rng: iter([(X, y)]))
    assert verdict.message.startswith("«batch 0 has 103 examples")
