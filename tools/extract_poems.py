"""Rebuild course_utils/tang_poems/five_character_poems.tsv from the npm package, byte for byte.

    cd /tmp && npm pack chinese-poetry@2.0.1          # 85 MB, MIT licence
    python tools/extract_poems.py /tmp/chinese-poetry-2.0.1.tgz           # writes the bundle
    python tools/extract_poems.py /tmp/chinese-poetry-2.0.1.tgz --check   # compares, writes nothing

What it does, in order (everything deterministic: no clock, no randomness, no converter):
1. checks the tarball's SHA-256 (the rule below is defined on version 2.0.1 only);
2. reads the Complete Tang Poems, ``package/dist/quantangshi/poet.tang.N.json``, in numeric
   order of N; a poem's ``source`` is its position in that sequence (0-based);
3. keeps a poem when its lines joined are 2 or 4 couplets of five Han characters +
   ``，`` + five + ``。`` (``course_utils.poems.is_five_character_poem``). This drops, among
   others, the poems with a missing character (the source writes ``□``): a model should not
   learn to write a placeholder, and a poem with a hole is not the poem;
4. drops exact repeats of a text already kept (the same poem under a second title or poet);
5. splits by poem: poems that share a whole couplet (variants of one poem) form a group; a
   group goes to validation when the SHA-256 of its first poem's text is 0 modulo 10, else
   to training. So no poem, and no variant of one, is on both sides;
6. writes UTF-8, tab-separated, one poem per line, a header line, ``\\n`` line ends.

It needs only the standard library and course_utils (run it from the repository root).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tarfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # course_utils from this checkout

from course_utils import poems as P  # noqa: E402

TARBALL_SHA256 = "25b549e46919c3a0569db6b68ddc96956b04a484ea4518ad2bbd4f137e307e86"  # chinese-poetry-2.0.1.tgz
MEMBER = re.compile(r"package/dist/quantangshi/poet\.tang\.(\d+)\.json")
VALIDATION_MODULUS = 10  # about one group in ten goes to validation
_LINE_PAIR = f"{P.HAN}{{5}}[，、；？！]{P.HAN}{{5}}[。？！]"
OTHER_PUNCTUATION = re.compile(f"(?:{_LINE_PAIR}){{2}}|(?:{_LINE_PAIR}){{4}}")  # reported, not kept


def read_tang_poems(tarball) -> list[dict]:
    """All poems of the Complete Tang Poems in the tarball, in the source's order."""
    digest = hashlib.sha256(Path(tarball).read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        raise SystemExit(
            f"{tarball}: sha256 {digest[:12]}… is not that of chinese-poetry-2.0.1.tgz ({TARBALL_SHA256[:12]}…); "
            "get it with `npm pack chinese-poetry@2.0.1`"
        )
    with tarfile.open(tarball, "r:gz") as tar:
        members = sorted(
            (int(m.group(1)), info) for info in tar.getmembers() if (m := MEMBER.fullmatch(info.name))
        )
        return [poem for _, info in members for poem in json.load(tar.extractfile(info))]


def select(source_poems: list[dict]) -> tuple[list[P.Poem], Counter]:
    """The regular five-character poems, exact repeats dropped; and counts of what was dropped."""
    kept, seen, dropped = [], set(), Counter()
    for index, poem in enumerate(source_poems):
        text = "".join(poem["paragraphs"])
        if not P.is_five_character_poem(text):
            if "□" in text and P.is_five_character_poem(text.replace("□", "一")):
                dropped["in the form but with a missing character (□)"] += 1
            elif OTHER_PUNCTUATION.fullmatch(text):
                dropped["in the form but with ？, ！, ； or 、 at a line's end"] += 1
            else:
                dropped["not in the form"] += 1
            continue
        if text in seen:
            dropped["exact repeat"] += 1
            continue
        seen.add(text)
        author, title = poem["author"].strip(), poem["title"].strip()
        if any(c in field for c in "\t\n" for field in (author, title)):
            raise ValueError(f"poem {index}: a tab or newline in its author or title")
        kept.append(P.Poem(index, "", author, title, text))
    return kept, dropped


def assign_splits(texts: list[str]) -> list[str]:
    """``"train"`` or ``"validation"`` for each text; variants sharing a couplet go together.

    Union-find over shared couplets: each group is named by its first member.
    """
    parent = list(range(len(texts)))

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with = {}
    for i, text in enumerate(texts):
        for couplet in P.couplets(text):
            j = first_with.setdefault(couplet, i)
            a, b = root(i), root(j)
            parent[max(a, b)] = min(a, b)
    return [
        "validation" if int(hashlib.sha256(texts[root(i)].encode()).hexdigest(), 16) % VALIDATION_MODULUS == 0
        else "train"
        for i in range(len(texts))
    ]


def build(tarball) -> tuple[bytes, str]:
    """The bundle's bytes, and a short report of what went in and what was dropped."""
    source = read_tang_poems(tarball)
    kept, dropped = select(source)
    splits = assign_splits([p.text for p in kept])
    rows = ["\t".join(P.HEADER)]
    rows += [f"{p.source}\t{s}\t{p.author}\t{p.title}\t{p.text}" for p, s in zip(kept, splits)]
    raw = ("\n".join(rows) + "\n").encode("utf-8")
    lines = Counter(len(p.text) // 6 for p in kept)
    by_split = Counter(splits)
    chars = Counter(s for p, s in zip(kept, splits) for _ in p.text)
    report = "\n".join([
        f"source: {len(source):,} poems in the Complete Tang Poems",
        f"kept: {len(kept):,} poems ({lines[4]:,} of 4 lines, {lines[8]:,} of 8), "
        f"{sum(chars.values()):,} characters with punctuation, "
        f"{len({c for p in kept for c in p.text}):,} distinct characters",
        f"split: {by_split['train']:,} training poems ({chars['train']:,} characters), "
        f"{by_split['validation']:,} validation poems ({chars['validation']:,})",
        "dropped: " + ", ".join(f"{n:,} {why}" for why, n in dropped.most_common()),
        f"{len(raw):,} bytes, sha256 {hashlib.sha256(raw).hexdigest()}",
    ])
    return raw, report


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", help="chinese-poetry-2.0.1.tgz, from `npm pack chinese-poetry@2.0.1`")
    parser.add_argument("--out", default=str(P.BUNDLE_DIR / P.POEMS_FILE), help="where to write (default: the bundle)")
    parser.add_argument("--check", action="store_true", help="compare with --out instead of writing it")
    args = parser.parse_args(argv)
    raw, report = build(args.tarball)
    print(report)
    out = Path(args.out)
    if args.check:
        same = out.is_file() and out.read_bytes() == raw
        print(f"{out}: {'identical' if same else 'DIFFERENT'} to the rebuild")
        return 0 if same else 1
    out.write_bytes(raw)
    print(f"wrote {out}")
    if hashlib.sha256(raw).hexdigest() != P.POEMS_SHA256:
        print("the sha256 differs from course_utils.poems.POEMS_SHA256: update it there and in the README")
    return 0


if __name__ == "__main__":
    sys.exit(main())
