"""Exercise checkers for notebook 12, a tiny GPT writes Tang poems.

Each checker knows the usual wrong answers and names them: bigram counts made with
``counts[a, b] += 1`` on arrays (a repeated pair counted once), reversed or shifted pairs;
sampling that multiplies by the temperature, keeps the wrong number of candidates or ignores
the generator; a form measure that accepts either mark, forgets an unfinished last line or
averages per poem; a copied run that must start at the first character. The references are
written differently from the notebook's solutions (loops, Counter, regular expressions,
brute force over all substrings).
"""

from __future__ import annotations

import collections
import re

import numpy as np

from ..i18n import _
from .engine import check, checker

# --------------------------------------------------------------------------- exercise 1: bigram counts


def _bigram_loops(ids, vocab_size):
    pairs = collections.Counter(zip(list(ids)[:-1], list(ids)[1:]))
    counts = np.zeros((vocab_size, vocab_size), dtype=np.int64)
    for (a, b), n in pairs.items():
        counts[a, b] = n  # b followed a, n times
    return counts


def _bigram_args(rng, trial):
    # (length of the stream, vocabulary size); the last ones are edge cases
    length, V = [(60, 6), (300, 12), (8, 3), (2, 4), (1, 5), (40, 2), (0, 3)][trial]
    ids = rng.integers(0, V, length).astype(np.int64)
    if trial == 5:
        ids = np.array([0, 1] * 20, dtype=np.int64)  # one pair repeated over and over
    return ids, V


def check_bigram_counts(bigram_counts, strict: bool = False):
    """``bigram_counts(ids, vocab_size)``: ``ids (n,)`` int64 -> ``counts (V, V)``, where
    ``counts[a, b]`` is how many times id ``b`` comes right after id ``a`` in ``ids``."""

    def fancy_index(ids, V):
        counts = np.zeros((V, V), dtype=np.int64)
        counts[ids[:-1], ids[1:]] += 1  # buffered: a pair that occurs twice is counted once
        return counts

    def shifted(ids, V, gap):
        counts = np.zeros((V, V), dtype=np.int64)
        if len(ids) > gap:
            np.add.at(counts, (ids[:-gap], ids[gap:]), 1)
        return counts

    def wrapped(ids, V):  # pairs (ids[t], ids[(t + 1) % n]): the last id followed by the first
        counts = np.zeros((V, V), dtype=np.int64)
        np.add.at(counts, (ids, np.roll(ids, -1)), 1)
        return counts

    def probabilities(ids, V):
        counts = _bigram_loops(ids, V).astype(float)
        return counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)

    mistakes = [
        (fancy_index, _("counts[a, b] += 1 with arrays of indices adds 1 only once for a pair that occurs several "
                        "times: use np.add.at(counts, (ids[:-1], ids[1:]), 1), or a loop.")),
        (lambda ids, V: _bigram_loops(ids, V).T, _("the pairs are reversed: counts[a, b] counts b coming after a, "
                                                   "so the row is the current id and the column the next one.")),
        (lambda ids, V: shifted(ids, V, 2), _("those are pairs two apart: the next id is ids[1:], the current one "
                                              "ids[:-1].")),
        (wrapped, _("the last id was paired with the first: the stream does not wrap around, so there are "
                    "len(ids) - 1 pairs.")),
        (probabilities, _("those are probabilities (each row divided by its sum): return the counts themselves; "
                          "smoothing and dividing come next.")),
        (lambda ids, V: np.diag(np.bincount(ids, minlength=V)) if len(ids) else np.zeros((V, V)),
         _("each id was paired with itself: pair ids[t] with the next one, ids[t + 1].")),
    ]
    return check(bigram_counts, name="bigram_counts", reference=_bigram_loops, make_args=_bigram_args, trials=7,
                 mistakes=mistakes,
                 passed=_("correct on 7 streams, repeated pairs, one id and an empty stream included."), strict=strict)


# --------------------------------------------------------------------------- exercise 2: sampling

SECONDS = 20  # ten thousand draws, a few times over


def _draws(t, sample, logits, what, **options):
    """The learner's draws for ``logits (N, V)``, as a NumPy int array of shape (N,), or the check stops."""
    got = t.call(sample, logits, **options)
    try:
        array = np.asarray(got.detach().cpu() if hasattr(got, "detach") else got)
    except Exception:  # noqa: BLE001 - not an array of ids at all
        t.stop(_("return a tensor of ids, one per row of logits; got a {type}.").format(type=type(got).__name__))
    N, V = logits.shape
    if array.shape == (N, 1):
        t.stop(_("return shape ({n},), one id per row: torch.multinomial gives ({n}, 1), take [:, 0] or "
                 ".squeeze(1).").format(n=N))
    if array.shape != (N,):
        t.stop(_("return one id per row of logits, shape ({n},); got shape {shape} ({what}).").format(
            n=N, shape=array.shape, what=what))
    if array.dtype.kind not in "iu":
        t.stop(_("return integer ids (int64), not {dtype}: torch.multinomial already gives them.").format(
            dtype=array.dtype))
    if array.min() < 0 or array.max() >= V:
        t.stop(_("ids must lie in 0..{top}, one of the {v} columns of logits; got {low}..{high}.").format(
            top=V - 1, v=V, low=array.min(), high=array.max()))
    return array


def _chi2(draws, p):
    counts = np.bincount(draws, minlength=len(p))
    expected = len(draws) * np.asarray(p)
    keep = expected > 0
    if np.any(counts[~keep]):
        return np.inf
    return float(((counts[keep] - expected[keep]) ** 2 / expected[keep]).sum())


def _softmax(z):
    e = np.exp(z - z.max())
    return e / e.sum()


def _sample_hints():
    return [("probability tensor contains", _("torch.multinomial takes probabilities, finite and not negative: give "
                                             "it torch.softmax(logits / temperature, dim=-1), not the logits or "
                                             "an exp that overflowed")),
            ("invalid multinomial distribution", _("every candidate of a row was removed (all -inf): keep the top_k "
                                                   "largest logits, those >= the k-th largest")),
            ("selected index k out of range", _("top_k is larger than the number of ids: it can be at most "
                                                "logits.shape[-1]"))]


@checker("sample", seconds=SECONDS, hints=_sample_hints)
def check_sample(t, sample):
    """``sample(logits, temperature=1.0, top_k=None, generator=None)``: ``logits (N, V)`` float tensor ->
    ``(N,)`` int64 ids, one draw per row from ``softmax(logits / temperature)``, among the ``top_k`` largest
    logits only when ``top_k`` is given, using ``generator`` (a ``torch.Generator``) for the randomness."""
    import torch

    base = np.array([2.0, 1.0, 0.5, 0.0, -0.5, -1.5])  # six candidates, the first the most likely
    rows = lambda n, z=base: torch.tensor(np.tile(z, (n, 1)), dtype=torch.float32)  # noqa: E731
    gen = lambda seed: torch.Generator().manual_seed(seed)  # noqa: E731

    # the defaults left out: one draw per row, from softmax(logits)
    draws = _draws(t, sample, rows(20_000), "the defaults")
    if np.all(draws == draws[0]):
        t.stop(_("every draw is id {i}, the largest logit: that is argmax; draw at random with "
                 "torch.multinomial(probs, 1), probs = softmax(logits / temperature).").format(i=draws[0]))
    if _chi2(draws, np.full(6, 1 / 6)) < 60:
        t.stop(_("the draws are uniform over the ids: the probabilities are softmax(logits) over each row "
                 "(dim=-1), not over the rows or constant."))
    limit = 45.0  # chi-squared with 5 degrees of freedom: above 45 happens by chance about once in 10^8
    if _chi2(draws, _softmax(base)) > limit:
        t.stop(_("20,000 draws do not follow softmax(logits) (chi-squared {chi:.0f}): the probabilities must be "
                 "softmax(logits / temperature) of each row.").format(chi=_chi2(draws, _softmax(base))))

    # the temperature divides the logits
    draws = _draws(t, sample, rows(20_000), "temperature=0.5", temperature=0.5, generator=gen(1))
    if _chi2(draws, _softmax(base / 0.5)) > limit:
        if _chi2(draws, _softmax(base * 0.5)) <= limit:
            t.stop(_("the logits were multiplied by the temperature: divide them, logits / temperature, so that "
                     "a low temperature sharpens the distribution."))
        if _chi2(draws, _softmax(base)) <= limit:
            t.stop(_("temperature=0.5 changed nothing: divide the logits by the temperature before the softmax."))
        t.stop(_("with temperature=0.5 the draws do not follow softmax(logits / 0.5)."))
    cold = torch.tensor(np.random.default_rng(0).normal(size=(50, 9)) * 3, dtype=torch.float32)
    draws = _draws(t, sample, cold, "temperature=0.001", temperature=1e-3, generator=gen(2))
    if not np.array_equal(draws, cold.argmax(dim=1).numpy()):
        t.stop(_("with temperature=0.001 every draw should be the largest logit of its row (argmax): dividing "
                 "by a small temperature makes the gaps huge."))

    # top-k keeps exactly k candidates
    for k in (1, 3):
        draws = _draws(t, sample, rows(6_000), f"top_k={k}", top_k=k, generator=gen(3))
        seen = sorted(set(draws.tolist()))
        if seen != list(range(k)):
            if len(seen) > k and set(seen) >= set(range(k)):
                if len(seen) == k + 1:
                    t.stop(_("top_k={k} kept {n} candidates: keep exactly the k largest logits (compare with the "
                             "k-th largest, torch.topk(logits, k).values[:, -1:]).").format(k=k, n=len(seen)))
                t.stop(_("top_k={k} was ignored: ids outside the {k} largest logits were drawn. Set the other "
                         "logits to -inf before the softmax.").format(k=k))
            t.stop(_("top_k={k} kept the ids {ids}, but the {k} largest logits are at ids {want}.").format(
                k=k, ids=seen, want=list(range(k))))
    draws = _draws(t, sample, rows(20_000), "top_k=3", top_k=3, generator=gen(4))
    if _chi2(draws, _softmax(np.where(np.arange(6) < 3, base, -np.inf))) > 25.0:
        t.stop(_("with top_k=3 the draws should follow the softmax of the 3 largest logits (the others at "
                 "-inf); they do not."))

    # the generator makes the draws repeatable
    mixed = torch.tensor(np.zeros((300, 6)), dtype=torch.float32)  # uniform: every draw is a coin of six
    a = _draws(t, sample, mixed, "generator seeded 5", generator=gen(5))
    b = _draws(t, sample, mixed, "generator seeded 5 again", generator=gen(5))
    if not np.array_equal(a, b):
        t.stop(_("two generators seeded alike gave different draws: pass generator=generator to "
                 "torch.multinomial, so that a seed repeats the samples."))
    return _("right on 5 kinds of draws: the defaults, temperatures 0.5 and 0.001, top_k 1 and 3, a seeded "
             "generator.")


# --------------------------------------------------------------------------- exercise 3: form


def _lines(text):
    """The lines of a text: each ends at ，or 。; an unfinished end counts as a line too."""
    return re.findall(r"[^，。]*[，。]|[^，。]+$", text)


def _form_regex(texts):
    lines = [(i, line) for text in texts for i, line in enumerate(_lines(text))]
    good = sum(bool(re.fullmatch("[^，。]{5}" + ("，" if i % 2 == 0 else "。"), line)) for i, line in lines)
    return good / len(lines) if lines else 0.0


A, B, C_, D = "白日依山盡", "黃河入海流", "欲窮千里目", "更上一層樓"
QUATRAIN = f"{A}，{B}。{C_}，{D}。"


def _form_args(rng, trial):
    fixed = [
        [QUATRAIN], [QUATRAIN + QUATRAIN], [f"{A}，{B}外。{C_}，{D}。"], [f"{A}。{B}，{C_}，{D}。"],
        [f"{A}，{B}。{C_}，更上"], [QUATRAIN, f"{A}山，"], ["", f"{A}，{B}。"], [f"白日，{B}。"], [f"{A}，{B}"],
        [], [""],  # no line at all: 0.0, not a division by zero
    ]
    if trial < len(fixed):
        return (fixed[trial],)
    texts = []  # poems spoiled at random: a character dropped or added, marks swapped, cut short
    for _ in range(12):
        text = list(QUATRAIN + QUATRAIN)
        for _ in range(int(rng.integers(0, 3))):
            i = int(rng.integers(0, len(text)))
            kind = rng.integers(0, 3)
            if kind == 0:
                del text[i]
            elif kind == 1:
                text.insert(i, "山")
            else:
                text[i] = {"，": "。", "。": "，"}.get(text[i], text[i])
        texts.append("".join(text)[: int(rng.integers(5, 49))])
    return (texts,)


def check_line_form_share(line_form_share, strict: bool = False):
    """``line_form_share(texts)``: of all the lines of all ``texts`` (strings), the share that are five
    characters followed by the right mark: ``，`` on lines 1, 3, 5, 7 (the first of each couplet), ``。`` on
    lines 2, 4, 6, 8. A line ends at ``，`` or ``。``; an unfinished end counts as a line. 0.0 when there are no
    lines."""

    def any_mark(texts):
        lines = [line for text in texts for line in _lines(text)]
        return sum(bool(re.fullmatch("[^，。]{5}[，。]", line)) for line in lines) / len(lines) if lines else 0.0

    def finished_only(texts):
        lines = [(i, line) for text in texts for i, line in enumerate(re.findall(r"[^，。]*[，。]", text))]
        good = sum(bool(re.fullmatch("[^，。]{5}" + "，。"[i % 2], line)) for i, line in lines)
        return good / len(lines) if lines else 0.0

    def per_text(texts):
        shares = [_form_regex([text]) for text in texts if _lines(text)]
        return sum(shares) / len(shares) if shares else 0.0

    def whole_poems(texts):
        ok = [bool(re.fullmatch(f"(?:[^，。]{{5}}，[^，。]{{5}}。){{2,4}}", text)) for text in texts]
        return sum(ok) / len(ok) if ok else 0.0

    def mark_in_count(texts):
        lines = [(i, line) for text in texts for i, line in enumerate(_lines(text))]
        good = sum(bool(re.fullmatch("[^，。]{4}" + "，。"[i % 2], line)) for i, line in lines)
        return good / len(lines) if lines else 0.0

    def numbered_across(texts):
        lines = [line for text in texts for line in _lines(text)]
        good = sum(bool(re.fullmatch("[^，。]{5}" + "，。"[i % 2], line)) for i, line in enumerate(lines))
        return good / len(lines) if lines else 0.0

    mistakes = [
        (any_mark, _("either mark was accepted: the first line of a couplet ends with ，, the second with 。, "
                     "so the mark depends on whether the line's number is odd or even.")),
        (finished_only, _("an unfinished last line (no mark after it) was left out: it counts as a line, a wrong one.")),
        (per_text, _("that is the mean of each text's share: pool the lines of all the texts, then divide the good "
                     "ones by all of them.")),
        (whole_poems, _("that is the share of whole texts that are perfect poems: count lines, not texts.")),
        (mark_in_count, _("the mark was counted as one of the five: a good line is five characters and then its "
                          "mark, six in all.")),
        (numbered_across, _("the lines were numbered across texts: each text is its own poem, so its first line is "
                            "line 1 again (enumerate the lines of each text).")),
    ]
    no_lines = _("with no line at all (texts = [] or [\"\"]) there is nothing to divide by: return 0.0 then, "
                 "as asked (for example `return good / total if total else 0.0`)")
    return check(line_form_share, name="line_form_share", reference=_form_regex, make_args=_form_args, trials=14,
                 mistakes=mistakes, hints=[("division by zero", no_lines)], nan_hint=no_lines,
                 passed=_("correct on 14 sets of texts: whole poems, wrong lengths and marks, unfinished lines, "
                          "no line at all."),
                 strict=strict)


# --------------------------------------------------------------------------- exercise 4: copying


def _longest_brute(text, corpus):
    best = 0
    for i in range(len(text)):
        for j in range(i + 1, len(text) + 1):
            if text[i:j] in corpus:
                best = max(best, j - i)
    return best


def _substrings(texts):
    return {text[i:j] for text in texts for i in range(len(text)) for j in range(i + 1, len(text) + 1)}


POEM = QUATRAIN


def _copy_args(rng, trial):
    fixed = [(A, POEM), ("山盡黃河", POEM), ("xx山盡", POEM), ("", POEM), ("xyz", POEM), ("abcab", "zzcabz"),
             ("aaaa", "aa"), ("入海流", _substrings([A, B, C_, D])), ("窮千里目更", _substrings([A, B, C_, D]))]
    if trial < len(fixed):
        return fixed[trial]
    letters = np.array(list("abc"))
    return "".join(rng.choice(letters, 12)), "".join(rng.choice(letters, 30))


def check_longest_copied_run(longest_copied_run, strict: bool = False):
    """``longest_copied_run(text, corpus)``: the length (an int) of the longest run of consecutive
    characters of ``text`` that occurs in ``corpus`` (a string, or a set of strings holding every substring
    of the training lines); 0 when none does."""

    def from_start(text, corpus):
        return max((j for j in range(len(text) + 1) if text[:j] in corpus), default=0)

    def character_by_character(text, corpus):
        best = run = 0
        for c in text:
            run = run + 1 if c in corpus else 0
            best = max(best, run)
        return best

    def not_to_the_end(text, corpus):
        return max((j - i for i in range(len(text)) for j in range(i + 1, len(text)) if text[i:j] in corpus),
                   default=0)

    mistakes = [
        (from_start, _("only runs that start at the first character were tried: a copied run can start anywhere "
                       "in the text, so try every start i.")),
        (character_by_character, _("each character was looked up on its own: a run counts only if the whole run "
                                   "text[i:j] occurs in the corpus.")),
        (not_to_the_end, _("runs that end at the last character were missed: let j go up to len(text), "
                           "range(i + 1, len(text) + 1).")),
    ]
    hints = [("'set' object has no attribute", _("the corpus may be a set: ask `run in corpus`, which works for a "
                                                "string and for a set"))]
    return check(longest_copied_run, name="longest_copied_run", reference=_longest_brute, make_args=_copy_args,
                 trials=12, mistakes=mistakes, hints=hints, integer=True,
                 passed=_("correct on 12 cases: runs at the start, the middle and the end, none, a set as corpus."),
                 strict=strict)
