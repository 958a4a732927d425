"""Notebook 12's checkers against a class of students: right answers written several ways pass,
and each wrong one gets its status and the phrase that names its mistake."""

import collections
import re

import numpy as np
import pytest
import torch

from checks_students import assert_right, assert_verdict, first_only, loops_for_ever, prints, right, short_time_limits, wrong  # noqa: F401
from course_utils.checks import nb12 as ex

# --------------------------------------------------------------------------- bigram_counts


def bigram_counts(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    np.add.at(counts, (ids[:-1], ids[1:]), 1)
    return counts


def bigram_loop(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size))
    for a, b in zip(ids, ids[1:]):
        counts[a, b] += 1
    return counts


def bigram_bincount(ids, vocab_size):
    flat = np.bincount(ids[:-1] * vocab_size + ids[1:], minlength=vocab_size * vocab_size)
    return flat.reshape(vocab_size, vocab_size)


def bigram_fancy(ids, vocab_size):
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    counts[ids[:-1], ids[1:]] += 1
    return counts


@pytest.mark.parametrize("answer", [
    right(bigram_counts, "np.add.at"), right(bigram_loop, "a loop over pairs"), right(bigram_bincount, "bincount"),
    right(lambda ids, V: torch.zeros(V, V).index_put_((torch.tensor(ids[:-1]), torch.tensor(ids[1:])),
                                                      torch.ones(max(len(ids) - 1, 0)), accumulate=True),
          "torch index_put_"),
])
def test_bigram_counts_right(answer, capsys):
    assert_right(ex.check_bigram_counts, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(bigram_fancy, "fail", "use np.add.at", "counts[a, b] += 1 with arrays"),
    wrong(lambda ids, V: bigram_counts(ids, V).T, "fail", "the pairs are reversed", "transposed"),
    wrong(lambda ids, V: bigram_counts(ids[:-1], V), "fail", "wrong values", "last pair dropped"),
    wrong(lambda ids, V: bigram_counts(np.r_[ids, ids[:1]].astype(np.int64), V), "fail", "paired with the first",
          "wraps around"),
    wrong(lambda ids, V: bigram_counts(ids, V) / np.maximum(bigram_counts(ids, V).sum(1, keepdims=True), 1), "fail",
          "those are probabilities", "normalized rows"),
    wrong(lambda ids, V: np.diag(np.bincount(ids, minlength=V)), "fail", "paired with itself", "pairs (x_t, x_t)"),
    wrong(lambda ids, V: bigram_counts(ids, V)[:-1, :-1], "fail", "expected shape", "shape V - 1"),
    wrong(lambda ids, V: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(bigram_counts), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
    wrong(first_only(bigram_counts), "fail", "expected shape", "right for the first input only"),
])
def test_bigram_counts_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_bigram_counts, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- sample


def sample(logits, temperature=1.0, top_k=None, generator=None):
    logits = logits / temperature
    if top_k is not None:
        kth = torch.topk(logits, top_k, dim=-1).values[:, -1:]
        logits = logits.masked_fill(logits < kth, float("-inf"))
    return torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=generator)[:, 0]


def sample_sorted(logits, temperature=1.0, top_k=None, generator=None):
    probs = torch.softmax(logits / temperature, dim=-1)
    if top_k is not None:
        values, index = torch.topk(probs, top_k, dim=-1)
        pick = torch.multinomial(values, 1, generator=generator)
        return index.gather(1, pick).squeeze(1)
    return torch.multinomial(probs, 1, generator=generator).squeeze(1)


def sample_gumbel(logits, temperature=1.0, top_k=None, generator=None):
    z = logits / temperature
    if top_k:
        z = torch.where(z >= torch.topk(z, top_k).values[:, -1:], z, torch.tensor(float("-inf")))
    u = torch.rand(z.shape, generator=generator).clamp_min(1e-12)
    return torch.argmax(z - torch.log(-torch.log(u)), dim=-1)


def multiply_temperature(logits, temperature=1.0, top_k=None, generator=None):
    return sample(logits * temperature * temperature, temperature, top_k, generator)


def top_k_plus_one(logits, temperature=1.0, top_k=None, generator=None):
    return sample(logits, temperature, None if top_k is None else top_k + 1, generator)


def no_generator(logits, temperature=1.0, top_k=None, generator=None):
    return sample(logits, temperature, top_k, None)


def argmax_only(logits, temperature=1.0, top_k=None, generator=None):
    return logits.argmax(dim=-1)


def shape_n_by_1(logits, temperature=1.0, top_k=None, generator=None):
    return sample(logits, temperature, top_k, generator)[:, None]


def softmax_over_rows(logits, temperature=1.0, top_k=None, generator=None):
    return torch.multinomial(torch.softmax(logits / temperature, dim=0), 1, generator=generator)[:, 0]


def logits_as_probabilities(logits, temperature=1.0, top_k=None, generator=None):
    return torch.multinomial(logits / temperature, 1, generator=generator)[:, 0]


def in_place(logits, temperature=1.0, top_k=None, generator=None):
    logits /= temperature
    return sample(logits, 1.0, top_k, generator)


@pytest.mark.parametrize("answer", [
    right(sample, "masked_fill"), right(sample_sorted, "topk then gather"), right(sample_gumbel, "Gumbel max"),
    right(lambda logits, temperature=1.0, top_k=None, generator=None: sample(logits.double(), temperature, top_k, generator),
          "in float64"),
])
def test_sample_right(answer, capsys):
    assert_right(ex.check_sample, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(multiply_temperature, "fail", "multiplied by the temperature", "T multiplied"),
    wrong(lambda logits, temperature=1.0, top_k=None, generator=None: sample(logits, 1.0, top_k, generator), "fail",
          "temperature=0.5 changed nothing", "temperature ignored"),
    wrong(top_k_plus_one, "fail", "top_k=1 kept 2 candidates", "top_k + 1"),
    wrong(lambda logits, temperature=1.0, top_k=None, generator=None: sample(logits, temperature, None, generator),
          "fail", "top_k=1 was ignored", "top_k ignored"),
    wrong(no_generator, "fail", "pass generator=generator", "generator unused"),
    wrong(argmax_only, "fail", "that is argmax", "always the largest"),
    wrong(shape_n_by_1, "fail", "take [:, 0]", "(N, 1)"),
    wrong(softmax_over_rows, "fail", "uniform over the ids", "softmax over dim 0"),
    wrong(logits_as_probabilities, "fail", "torch.multinomial takes probabilities", "logits into multinomial"),
    wrong(in_place, "fail", "changed its input `logits` in place", "/= on the input"),
    wrong(lambda logits, temperature=1.0, top_k=None, generator=None: sample(logits, temperature, top_k, generator).float(),
          "fail", "return integer ids", "float ids"),
    wrong(lambda logits, temperature=1.0, top_k=None, generator=None: None, "todo", "not implemented yet", "the stub"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_sample_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_sample, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- line_form_share


def lines_of(text):
    return re.findall(r"[^，。]*[，。]|[^，。]+$", text)


def line_form_share(texts):
    good = total = 0
    for text in texts:
        for i, line in enumerate(lines_of(text)):
            total += 1
            good += len(line) == 6 and line[-1] == "，。"[i % 2] and not set(line[:5]) & {"，", "。"}
    return good / total if total else 0.0


def form_by_hand(texts):
    good = total = 0
    for text in texts:
        line, number = "", 0
        for c in text + "\0":
            if c in "，。" or c == "\0":
                if line or c != "\0":
                    total += 1
                    mark = c if c != "\0" else ""
                    good += len(line) == 5 and mark == ("，" if number % 2 == 0 else "。")
                    number += 1
                line = ""
            else:
                line += c
    return good / total if total else 0.0


@pytest.mark.parametrize("answer", [
    right(line_form_share, "enumerate lines"), right(form_by_hand, "character by character"),
    right(lambda texts: np.float64(line_form_share(texts)), "a NumPy float"),
])
def test_line_form_share_right(answer, capsys):
    assert_right(ex.check_line_form_share, answer, capsys)


def any_mark(texts):
    lines = [line for text in texts for line in lines_of(text)]
    return sum(len(line) == 6 and line[-1] in "，。" for line in lines) / max(len(lines), 1)


def finished_lines_only(texts):
    lines = [(i, line) for text in texts for i, line in enumerate(re.findall(r"[^，。]*[，。]", text))]
    return sum(len(line) == 6 and line[-1] == "，。"[i % 2] for i, line in lines) / max(len(lines), 1)


def mean_per_text(texts):
    shares = [line_form_share([text]) for text in texts if lines_of(text)]
    return float(np.mean(shares)) if shares else 0.0


def numbered_across_texts(texts):
    lines = [line for text in texts for line in lines_of(text)]
    return sum(len(line) == 6 and line[-1] == "，。"[i % 2] for i, line in enumerate(lines)) / max(len(lines), 1)


def no_zero_guard(texts):
    good = total = 0
    for text in texts:
        for i, line in enumerate(lines_of(text)):
            total += 1
            good += len(line) == 6 and line[-1] == "，。"[i % 2]
    return good / total


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(any_mark, "fail", "either mark was accepted", "any mark"),
    wrong(finished_lines_only, "fail", "an unfinished last line", "unfinished line dropped"),
    wrong(mean_per_text, "fail", "the mean of each text's share", "mean per text"),
    wrong(numbered_across_texts, "fail", "numbered across texts", "numbering not restarted"),
    wrong(lambda texts: float(np.mean([bool(re.fullmatch(r"(?:[^，。]{5}，[^，。]{5}。){2,4}", t)) for t in texts]))
          if texts else 0.0,
          "fail", "share of whole texts", "whole poems"),
    wrong(lambda texts: 100 * line_form_share(texts), "fail", "off by a factor of 100", "percent"),
    wrong(lambda texts: sum(len(line) == 5 and line[-1] == "，。"[i % 2] for t in texts for i, line in enumerate(lines_of(t)))
          / max(sum(len(lines_of(t)) for t in texts), 1), "fail", "the mark was counted as one of the five", "len 5"),
    wrong(no_zero_guard, "fail", "nothing to divide by: return 0.0", "no zero guard"),
    wrong(lambda texts: float(np.mean([len(ln) == 6 and ln[-1] == "，。"[i % 2] for t in texts
                                       for i, ln in enumerate(lines_of(t))])),
          "fail", "nothing to divide by: return 0.0", "np.mean of no lines (NaN)"),
    wrong(lambda texts: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(line_form_share), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_line_form_share_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_line_form_share, answer, status, phrase, capsys)


# --------------------------------------------------------------------------- longest_copied_run


def longest_copied_run(text, corpus):
    best = 0
    for i in range(len(text)):
        j = i + best + 1
        while j <= len(text) and text[i:j] in corpus:
            best, j = j - i, j + 1
    return best


def longest_by_length(text, corpus):
    for n in range(len(text), 0, -1):
        if any(text[i:i + n] in corpus for i in range(len(text) - n + 1)):
            return n
    return 0


@pytest.mark.parametrize("answer", [
    right(longest_copied_run, "grow from each start"), right(longest_by_length, "longest first"),
    right(lambda text, corpus: max([j - i for i in range(len(text)) for j in range(i + 1, len(text) + 1)
                                    if text[i:j] in corpus] or [0]), "every substring"),
])
def test_longest_copied_run_right(answer, capsys):
    assert_right(ex.check_longest_copied_run, answer, capsys)


@pytest.mark.parametrize("answer, status, phrase", [
    wrong(lambda text, corpus: max([j for j in range(len(text) + 1) if text[:j] in corpus] or [0]), "fail",
          "only runs that start at the first character", "prefix only"),
    wrong(lambda text, corpus: max(map(len, re.findall("[" + re.escape("".join(set("".join(corpus)))) + "]+", text)),
                                   default=0) if corpus else 0,
          "fail", "each character was looked up on its own", "character by character"),
    wrong(lambda text, corpus: max([j - i for i in range(len(text)) for j in range(i + 1, len(text)) if text[i:j] in corpus]
                                   or [0]), "fail", "runs that end at the last character were missed", "j < len(text)"),
    wrong(lambda text, corpus: longest_copied_run(text, corpus) + 1, "fail", "got", "one too many"),
    wrong(lambda text, corpus: max((j - i for i in range(len(text)) for j in range(i + 1, len(text) + 1)
                                    if corpus.find(text[i:j]) >= 0), default=0), "fail",
          "works for a string and for a set", "str.find on a set"),
    wrong(lambda text, corpus: "".join(text[:longest_copied_run(text, corpus)]), "fail", "which is text", "returns the run"),
    wrong(lambda text, corpus: float(longest_copied_run(text, corpus)), "fail", "as a float", "a float"),
    wrong(lambda text, corpus: None, "todo", "not implemented yet", "the stub"),
    wrong(prints(longest_copied_run), "fail", "but returned None", "print instead of return"),
    wrong(loops_for_ever, "fail", "ran more than", "endless loop"),
])
def test_longest_copied_run_students(answer, status, phrase, capsys):
    assert_verdict(ex.check_longest_copied_run, answer, status, phrase, capsys)


def test_the_sampling_check_is_deterministic_for_a_right_answer(capsys):
    """The draws come from the learner's generator (or torch's, seeded here): the verdict does not flicker."""
    torch.manual_seed(0)
    verdicts = {ex.check_sample(sample).status for _ in range(3)}
    capsys.readouterr()
    assert verdicts == {"pass"}
