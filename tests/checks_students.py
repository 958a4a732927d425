"""A class of students, played against the exercise checkers: the answers real learners write.

Each ``tests/test_checks_nbNN.py`` lists, per exercise, right answers written several ways
(they must pass, with ``strict=True``) and wrong ones, each with the status and a key phrase
of the message the learner should read. The helpers here make the answers every exercise gets:
an endless loop, printing instead of returning, right for the first input only.
"""

import pytest


def loops_for_ever(*args, **kwargs):
    while True:
        pass


def prints(right):
    """The answer printed, and None returned."""

    def answer(*args, **kwargs):
        print(right(*args, **kwargs))

    return answer


def first_only(right):
    """Right on the first input, and the same answer for every later one (a value kept from a test call)."""
    kept = []

    def answer(*args, **kwargs):
        if not kept:
            kept.append(right(*args, **kwargs))
        return kept[0]

    return answer


def wrong(answer, status, phrase, id):
    """One student's wrong (or unfinished) answer, the verdict status it must get and a phrase of its message."""
    return pytest.param(answer, status, phrase, id=id)


def right(answer, id):
    return pytest.param(answer, id=id)


def assert_verdict(checker, answer, status, phrase, capsys):
    verdict = checker(answer)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1, lines
    assert verdict.status == status, verdict.message
    assert phrase in verdict.message, verdict.message
    return verdict


def assert_right(checker, answer, capsys):
    verdict = checker(answer, strict=True)
    assert verdict and capsys.readouterr().out.startswith("✅")


@pytest.fixture(autouse=True)
def short_time_limits(monkeypatch):
    """Every checker's time limit a twentieth of its own (0.25 s for the usual 5 s), so endless loops end fast."""
    monkeypatch.setenv("COURSE_CHECK_TIMEOUT", "0.05")
