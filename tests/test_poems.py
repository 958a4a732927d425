"""course_utils.poems and tools/extract_poems.py: the bundled Tang poems, offline.

The bundle is read and checked as shipped; damaged copies are made in tmp. The rebuild from
the npm tarball runs only when the tarball is already on this machine
(``CHINESE_POETRY_TGZ``, or chinese-poetry-2.0.1.tgz in the repository root or the temporary
folder): nothing here downloads.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest

from course_utils import poems as P
from course_utils.data import CorruptDataError

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import extract_poems  # noqa: E402

BUNDLE = P.BUNDLE_DIR / P.POEMS_FILE


@pytest.fixture(scope="module")
def records():
    return P.read_poems()


# --------------------------------------------------------------------------- the bundle as shipped


def test_bundle_checksum_is_the_published_one():
    readme = (P.BUNDLE_DIR / "README.md").read_text(encoding="utf-8")
    assert re.search(rf"\| {P.POEMS_FILE} \|[^\n]*\| {P.POEMS_SHA256} \|", readme), "README's sha256 differs from poems.py"
    assert extract_poems.TARBALL_SHA256 in readme
    P.read_poems()  # raises if the file does not match POEMS_SHA256


def test_counts(records):
    train, validation = P.load_poems()
    assert (len(records), len(train), len(validation)) == (17_969, 16_124, 1_845)
    assert sum(map(len, train)) == 693_840 and sum(map(len, validation)) == 79_272
    assert sorted({len(t) for t in train + validation}) == [24, 48]  # 4 or 8 lines
    assert sum(len(t) == 24 for t in train + validation) == 3_725
    assert len({c for t in train + validation for c in t}) == 6_040


def test_every_poem_is_in_the_five_character_form(records):
    """Checked line by line here, without the module's regular expression."""
    for p in records:
        lines = re.split("(?<=[，。])", p.text)[:-1]
        assert "".join(lines) == p.text and len(lines) in (4, 8), p
        for i, line in enumerate(lines):
            assert len(line) == 6 and line[-1] == "，。"[i % 2], (p.source, line)
            assert all(ord(c) >= 0x3400 and c not in "，。□○？！" for c in line[:5]), (p.source, line)


def test_split_is_by_poem_and_keeps_variants_together(records):
    train = [p for p in records if p.split == "train"]
    validation = [p for p in records if p.split == "validation"]
    assert len(train) + len(validation) == len(records)
    assert len({p.text for p in records}) == len(records), "a poem appears twice"
    assert len({p.source for p in records}) == len(records)
    assert [p.source for p in records] == sorted(p.source for p in records)
    train_couplets = {c for p in train for c in P.couplets(p.text)}
    shared = [p.source for p in validation if any(c in train_couplets for c in P.couplets(p.text))]
    assert shared == [], f"validation poems sharing a couplet with training: {shared[:5]}"
    # the stored split is the tool's rule, not an accident of one run
    assert extract_poems.assign_splits([p.text for p in records]) == [p.split for p in records]


def test_loader_is_fast():
    start = time.perf_counter()
    train, validation = P.load_poems()
    seconds = time.perf_counter() - start
    assert train and validation
    assert seconds < 1.0, f"load_poems took {seconds:.2f} s"


# --------------------------------------------------------------------------- damaged files


@pytest.fixture
def copy(tmp_path):
    target = tmp_path / P.POEMS_FILE
    shutil.copyfile(BUNDLE, target)
    return target


def test_corrupted_copy_raises_naming_the_file(copy):
    raw = bytearray(copy.read_bytes())
    raw[1000] ^= 0x01  # one bit
    copy.write_bytes(bytes(raw))
    with pytest.raises(CorruptDataError, match=rf"{re.escape(str(copy))} is damaged \(sha256"):
        P.load_poems(copy)


def test_missing_file_raises_saying_what_to_do(tmp_path):
    with pytest.raises(CorruptDataError, match="missing: reinstall"):
        P.read_poems(tmp_path / P.POEMS_FILE)


def test_a_record_out_of_form_is_refused_even_with_its_checksum(copy):
    """parse_poems checks each line too, so a rebuilt file with a broken rule is caught."""
    raw = copy.read_bytes().replace("秦川雄帝宅，".encode(), "秦川雄帝宅？".encode(), 1)
    with pytest.raises(CorruptDataError, match=r"line 2: not a five-character poem record"):
        P.parse_poems(raw, copy.name)
    with pytest.raises(CorruptDataError, match="not the poems file"):
        P.parse_poems(b"id\tpoem\n", copy.name)


# --------------------------------------------------------------------------- the form


@pytest.mark.parametrize(
    "text, ok",
    [
        ("白日依山盡，黃河入海流。欲窮千里目，更上一層樓。", True),
        ("白日依山盡，黃河入海流。", False),  # one couplet
        ("白日依山盡，黃河入海流。欲窮千里目，更上一層樓。" + "白日依山盡，黃河入海流。", False),  # three
        ("白日依山盡，黃河入海流。欲窮千里目？更上一層樓。", False),  # question mark
        ("白日依山盡。黃河入海流，欲窮千里目，更上一層樓。", False),  # punctuation swapped
        ("白日依山□，黃河入海流。欲窮千里目，更上一層樓。", False),  # missing character
        ("白日依山盡了，黃河入海流。欲窮千里目，更上一層樓。", False),  # six characters
        ("白日依山盡，黃河入海流。欲窮千里目，更上一層樓。\n", False),
    ],
)
def test_is_five_character_poem(text, ok):
    assert P.is_five_character_poem(text) is ok


# --------------------------------------------------------------------------- characters as tokens


def test_char_vocab_ids_round_trip_and_unknown_characters():
    texts = ["山山水，", "水月。"]
    vocab = P.CharVocab(texts)
    assert vocab.chars[:2] == [P.END_OF_POEM, P.UNK]
    assert vocab.chars[2:4] == ["山", "水"]  # most frequent first (2 each, then code point)
    assert vocab.chars == P.CharVocab(texts[::-1]).chars  # order of texts does not matter
    ids = vocab.encode("水月山")
    assert ids.dtype == np.int64 and ids.shape == (3,)
    assert vocab.decode(ids) == "水月山"
    assert vocab.decode(vocab.encode("海")) == P.UNK
    small = P.CharVocab(texts, max_size=4)
    assert len(small) == 4 and small.decode(small.encode("山水月")) == "山水" + P.UNK
    with pytest.raises(ValueError, match="at least 3"):
        P.CharVocab(texts, max_size=2)


def test_encode_poems_ends_each_poem(records):
    train, _ = P.load_poems()
    vocab = P.CharVocab(train)
    stream = vocab.encode_poems(train[:3])
    assert stream.shape == (sum(len(t) + 1 for t in train[:3]),)
    assert vocab.decode(stream).split(P.END_OF_POEM) == [*train[:3], ""]
    assert (stream == 0).sum() == 3
    top = P.CharVocab(train, max_size=3000)  # 甍 (poem 0) is rarer than the 2,998 most frequent
    assert top.decode(top.encode_poems(train[:1])) == train[0].replace("甍", P.UNK) + P.END_OF_POEM


# --------------------------------------------------------------------------- the extraction


def _tarball(tmp_path, poems_by_file: dict[int, list]) -> Path:
    """A small tarball laid out like the npm package (its sha256 is not the real one)."""
    import json

    path = tmp_path / "fake.tgz"
    with tarfile.open(path, "w:gz") as tar:
        for n, poems in poems_by_file.items():
            data = json.dumps(poems, ensure_ascii=False).encode()
            info = tarfile.TarInfo(f"package/dist/quantangshi/poet.tang.{n}.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return path


def test_extraction_refuses_another_tarball(tmp_path):
    with pytest.raises(SystemExit, match="is not that of chinese-poetry-2.0.1.tgz"):
        extract_poems.read_tang_poems(_tarball(tmp_path, {0: []}))


def test_extraction_rules_on_a_small_source(tmp_path, monkeypatch):
    def poem(*lines, title="t"):
        return {"author": "某", "title": title, "paragraphs": list(lines)}

    a = ("白日依山盡，黃河入海流。", "欲窮千里目，更上一層樓。")
    source = {
        1000: [poem(*a, title="repeat")],  # read after file 0, though written first
        0: [
            poem(*a),
            poem("白日依山盡，黃河入海流。", "欲窮千里目，更上一層臺。"),  # a variant: shares a couplet
            poem("床前明月光，疑是地上霜。", "舉頭望明月，低頭思故鄉。"),
            poem("床前明月□，疑是地上霜。", "舉頭望明月，低頭思故鄉。"),  # a hole
            poem("朝辭白帝彩雲間，千里江陵一日還。"),  # seven characters
        ],
    }
    path = _tarball(tmp_path, source)
    monkeypatch.setattr(extract_poems, "TARBALL_SHA256", extract_poems.hashlib.sha256(path.read_bytes()).hexdigest())
    kept, dropped = extract_poems.select(extract_poems.read_tang_poems(path))
    assert [p.source for p in kept] == [0, 1, 2]
    assert dropped == {"exact repeat": 1, "in the form but with a missing character (□)": 1, "not in the form": 1}
    splits = extract_poems.assign_splits([p.text for p in kept])
    assert splits[0] == splits[1]  # the variant follows its group
    raw, _ = extract_poems.build(path)
    assert [p.source for p in P.parse_poems(raw)] == [0, 1, 2]


def _real_tarball():
    candidates = [os.environ.get("CHINESE_POETRY_TGZ"), ROOT / "chinese-poetry-2.0.1.tgz",
                  Path(tempfile.gettempdir()) / "chinese-poetry-2.0.1.tgz"]
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def test_rebuild_gives_the_same_bytes_twice():
    tarball = _real_tarball()
    if tarball is None:
        pytest.skip("the npm tarball is not here: `npm pack chinese-poetry@2.0.1` and set CHINESE_POETRY_TGZ to run this")
    first, report = extract_poems.build(tarball)
    second, _ = extract_poems.build(tarball)
    assert first == second, "two rebuilds differ"
    assert first == BUNDLE.read_bytes(), "the rebuild differs from the bundled file"
    assert "17,969 poems" in report
