"""The Chinese edition (中文版), built from the English notebooks and gettext catalogs: one source, two languages.

    python tools/translate.py update    # after the English changed: sync the catalogs (new cells added empty,
                                        # changed cells marked fuzzy with the old English kept beside the new)
    python tools/translate.py figures   # run the English notebooks (fast mode) and add the text they draw in
                                        # figures to the figures catalog
    python tools/translate.py build     # write notebooks/zh/*.ipynb and compile the package's .mo files
    python tools/translate.py status    # what is untranslated, fuzzy (English changed since) or unused

The catalogs are gettext .po files, which translators' tools (Poedit, Lokalize, Weblate, a text editor) read:
- notebooks/locales/zh/LC_MESSAGES/NN_name.po: one entry per markdown cell of notebooks/NN_name.ipynb;
  msgctxt is the cell's id, msgid its English, msgstr its Chinese.
- course_utils/locale/zh/LC_MESSAGES/course_utils.po: every message the package wraps in ``_()`` (the
  exercise checkers' feedback).
- course_utils/locale/zh/LC_MESSAGES/figures.po: the text notebooks draw in figures (titles, labels, legends),
  numbers replaced by ``{}`` (see course_utils/i18n.py).

Code cells are copied byte for byte, their comments included (these stay English), with one exception: the call
``start(...)`` in the set-up cell gets ``lang="zh"``, which makes the checkers and the figures speak Chinese. The
``launch`` cell (Colab and Binder links) is written by this tool, pointing at the Chinese notebook.

polib reads, writes and compiles the catalogs and Babel extracts the package's messages (two well-kept
gettext libraries); this file only knows where the cells are.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import os
import re
import sys
import tempfile
from pathlib import Path

import nbformat
import polib
from babel.messages.extract import extract_from_dir

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LANG = "zh"
PACKAGE_LOCALE = ROOT / "course_utils" / "locale"
LAUNCH_ID = "launch"
START = re.compile(r"\bstart\(")
LAUNCH_ZH = ("[在 Colab 中打开]({colab})（免费 GPU：*代码执行程序 → 更改运行时类型*）· "
             "[在 Binder 上启动]({binder})（CPU）")


def english_notebooks() -> list[Path]:
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def catalog_path(notebook: Path, lang: str = LANG) -> Path:
    return NOTEBOOKS / "locales" / lang / "LC_MESSAGES" / f"{notebook.stem}.po"


def translated_path(notebook: Path, lang: str = LANG) -> Path:
    return NOTEBOOKS / lang / notebook.name


def translatable(cell) -> bool:
    return cell.cell_type == "markdown" and cell.get("id") != LAUNCH_ID


def read_catalog(path: Path, lang: str = LANG) -> polib.POFile:
    if path.exists():
        return polib.pofile(str(path), wrapwidth=0)
    po = polib.POFile(wrapwidth=0)  # wrapwidth=0: a cell's markdown lines stay as they are, diffs stay readable
    po.metadata = {"Project-Id-Version": "course_utils", "Language": lang, "MIME-Version": "1.0",
                   "Content-Type": "text/plain; charset=utf-8", "Content-Transfer-Encoding": "8bit"}
    return po


def write_catalog(po: polib.POFile, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    po.wrapwidth = 0
    po.save(str(path))


# --------------------------------------------------------------------------- notebook catalogs


def sync_notebook(notebook: Path, lang: str = LANG) -> dict:
    """Bring the notebook's catalog in line with its English; returns counts of what changed.

    A cell whose English changed keeps its Chinese, is flagged fuzzy, and keeps the English it was translated
    from as the previous msgid (``#| msgid``), so the translator sees what changed.
    """
    nb = nbformat.read(notebook, as_version=4)
    path = catalog_path(notebook, lang)
    old = read_catalog(path, lang)
    entries = {e.msgctxt: e for e in old if not e.obsolete}
    new = read_catalog(Path("/nonexistent"), lang)
    new.header, new.metadata = old.header, old.metadata
    counts = {"new": 0, "changed": 0, "removed": 0}
    for cell in nb.cells:
        if not translatable(cell):
            continue
        entry = entries.get(cell.id) or polib.POEntry(msgctxt=cell.id, msgid=cell.source, msgstr="")
        if cell.id not in entries:
            counts["new"] += 1
        elif entry.msgid != cell.source:
            counts["changed"] += 1
            entry.previous_msgid = entry.previous_msgid or entry.msgid
            entry.msgid = cell.source
            if "fuzzy" not in entry.flags:
                entry.flags.append("fuzzy")
        entry.occurrences = [(notebook.name, "")]  # no index: inserting a cell must not touch every entry
        new.append(entry)
    ids = {c.id for c in nb.cells if translatable(c)}
    counts["removed"] = sum(1 for context in entries if context not in ids)
    write_catalog(new, path)
    return counts


def problems(notebook: Path, lang: str = LANG) -> list[str]:
    """Why the notebook's translation is not complete and current: one line per cell at fault."""
    nb = nbformat.read(notebook, as_version=4)
    entries = {e.msgctxt: e for e in read_catalog(catalog_path(notebook, lang), lang) if not e.obsolete}
    found = []
    for cell in nb.cells:
        if not translatable(cell):
            continue
        m = entries.get(cell.id)
        if m is None or not m.msgstr:
            found.append(f"{notebook.name} cell {cell.id}: no translation")
        elif m.msgid != cell.source:
            found.append(f"{notebook.name} cell {cell.id}: stale, the English changed after it was translated "
                         "(run `python tools/translate.py update`, then revise the fuzzy entry)")
        elif "fuzzy" in m.flags:
            found.append(f"{notebook.name} cell {cell.id}: fuzzy, the English changed: revise it and remove the fuzzy flag")
    ids = {c.id for c in nb.cells if translatable(c)}
    found += [f"{notebook.name}: entry {c!r} belongs to no cell (run update)" for c in entries if c not in ids]
    return found


# --------------------------------------------------------------------------- the translated notebook


def with_lang(source: str, lang: str = LANG) -> str:
    """The set-up cell's ``start(...)`` call with ``lang="zh"`` added before its closing parenthesis."""
    match = START.search(source)
    depth, i = 0, match.end() - 1
    for i in range(match.end() - 1, len(source)):
        depth += {"(": 1, ")": -1}.get(source[i], 0)
        if depth == 0:
            break
    inside = source[match.end():i].strip()
    return source[:i] + (", " if inside else "") + f'lang="{lang}"' + source[i:]


def launch_cell_zh(source: str) -> str:
    colab, binder = (re.search(rf"\]\(([^)]*{host}[^)]*)\)", source).group(1) for host in ("colab", "binder"))
    to_zh = lambda url: re.sub(r"notebooks/(\d\d_[^/?)]*\.ipynb)", r"notebooks/zh/\1", url)  # noqa: E731
    return LAUNCH_ZH.format(colab=to_zh(colab), binder=to_zh(binder))


LEAVES = re.compile(r"""(\]\(|\b(?:src|href)=["'])\.\./""")  # a markdown link or image, or an HTML src/href, to ../


def relink(markdown: str) -> str:
    """Links that leave notebooks/ gain one ``../``, the Chinese notebooks sitting one folder deeper: markdown links
    and images (``](../GLOSSARY.md)``) and HTML ones (``<img src="../docs/images/x.png">``). Links to a sibling
    (``01_the_neuron.ipynb``) stay as they are, and so lead to the sibling in Chinese."""
    return LEAVES.sub(r"\1../../", markdown)


def translate_notebook(notebook: Path, lang: str = LANG):
    """The Chinese notebook as the build writes it; untranslated cells stay English (``problems`` lists them)."""
    nb = nbformat.read(notebook, as_version=4)
    entries = {e.msgctxt: e for e in read_catalog(catalog_path(notebook, lang), lang) if not e.obsolete}
    out = copy.deepcopy(nb)
    started = False
    for cell in out.cells:
        if cell.cell_type == "code" and not started and START.search(cell.source):
            cell.source, started = with_lang(cell.source, lang), True
        elif cell.get("id") == LAUNCH_ID:
            cell.source = launch_cell_zh(cell.source)
        elif translatable(cell):  # a cell not (yet) translated stays English, its links relinked all the same
            m = entries.get(cell.id)
            current = m is not None and m.msgstr and m.msgid == cell.source and "fuzzy" not in m.flags
            cell.source = relink(m.msgstr if current else cell.source)
    out.metadata["course"] = {"lang": lang, "translated_from": f"../{notebook.name}"}
    return out


def build_notebooks(lang: str = LANG) -> list[Path]:
    written = []
    for notebook in english_notebooks():
        path = translated_path(notebook, lang)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(translate_notebook(notebook, lang), path)
        written.append(path)
    return written


# --------------------------------------------------------------------------- the package's catalogs


def mo_bytes(po_path: Path, lang: str = LANG) -> bytes:
    """The compiled catalog (fuzzy and untranslated entries left out, as msgfmt does)."""
    with tempfile.TemporaryDirectory() as tmp:
        mo = Path(tmp) / "messages.mo"
        read_catalog(po_path, lang).save_as_mofile(str(mo))
        return mo.read_bytes()


def compile_package(lang: str = LANG) -> list[Path]:
    written = []
    for po in sorted((PACKAGE_LOCALE / lang / "LC_MESSAGES").glob("*.po")):
        mo = po.with_suffix(".mo")
        mo.write_bytes(mo_bytes(po, lang))
        written.append(mo)
    return written


def package_messages() -> dict[str, list[tuple[str, str]]]:
    """Every ``_("...")`` in the package's Python files: message -> where it is used."""
    found: dict[str, list[tuple[str, str]]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT / "course_utils"), method_map=[("**.py", "python")], keywords={"_": None}
    ):
        found.setdefault(message, []).append((f"course_utils/{filename}", str(lineno)))
    return found


def sync_messages(found: dict, domain: str, lang: str = LANG) -> int:
    """Add the messages ``found`` to the package catalog ``domain``, drop those no longer used; returns how many are new."""
    path = PACKAGE_LOCALE / lang / "LC_MESSAGES" / f"{domain}.po"
    po = read_catalog(path, lang)
    old = {e.msgid: e for e in po if not e.obsolete}
    new = read_catalog(Path("/nonexistent"), lang)
    new.header, new.metadata = po.header, po.metadata
    for message in sorted(found):
        entry = old.get(message) or polib.POEntry(msgid=message, msgstr="")
        entry.occurrences = found[message]
        new.append(entry)
    write_catalog(new, path)
    return sum(1 for m in found if m not in old)


def collect_figure_text(notebooks=None) -> set[str]:
    """Run the English notebooks (fast mode) with matplotlib's text logged, and return what they drew."""
    sys.path.insert(0, str(ROOT / "tools"))
    import nbrun

    found = set()
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "figure-text.jsonl"
        os.environ["COURSE_FIGURE_TEXT_LOG"] = str(log)
        try:
            for notebook in notebooks or english_notebooks():
                nb = nbformat.read(notebook, as_version=4)
                nbrun.execute(nb, notebook.parent, timeout=600, fast=True, allow_errors=True)
        finally:
            del os.environ["COURSE_FIGURE_TEXT_LOG"]
        if log.exists():
            found = {json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line}
    return found


# --------------------------------------------------------------------------- command line


def status(lang: str = LANG) -> int:
    lines = [line for nb in english_notebooks() for line in problems(nb, lang)]
    for path in sorted((PACKAGE_LOCALE / lang / "LC_MESSAGES").glob("*.po")):
        po = read_catalog(path, lang)
        todo = po.untranslated_entries() + po.fuzzy_entries()
        if todo:
            lines.append(f"{path.relative_to(ROOT)}: {len(todo)} of {len(po)} entries untranslated or fuzzy")
    print("\n".join(lines) if lines else f"everything is translated into {lang} and current")
    return 1 if lines else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["update", "figures", "build", "status"])
    parser.add_argument("notebooks", nargs="*", type=Path, help="figures: only these notebooks")
    args = parser.parse_args(argv)
    if args.command == "update":
        for notebook in english_notebooks():
            counts = sync_notebook(notebook)
            if any(counts.values()):
                print(f"{catalog_path(notebook).relative_to(ROOT)}: " + ", ".join(f"{n} {k}" for k, n in counts.items()))
        new = sync_messages(package_messages(), "course_utils")
        print(f"course_utils/locale: the package's messages synced, {new} new")
    elif args.command == "figures":
        texts = collect_figure_text([p.resolve() for p in args.notebooks] or None)
        kept = {e.msgid: e.occurrences for e in read_catalog(PACKAGE_LOCALE / LANG / "LC_MESSAGES" / "figures.po")}
        if args.notebooks:  # only some notebooks were run: keep what the others drew
            texts |= set(kept)
        print(f"{len(texts)} figure texts; {sync_messages({t: [] for t in texts}, 'figures')} new in the figures catalog")
    elif args.command == "build":
        for path in build_notebooks() + compile_package():
            print(path.relative_to(ROOT))
    else:
        return status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
