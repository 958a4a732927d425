"""The Chinese edition: one source, two languages (tools/translate.py, docs in CONTRIBUTING.md).

- every markdown cell of every English notebook has a current translation (none missing, none stale);
- notebooks/zh/ is exactly what the build writes from the English notebooks and the catalogs, and its code
  cells are the English ones byte for byte, but for `lang="zh"` in the set-up cell's start(...);
- the glossary's terms are used: where an English cell uses a term, its translation uses the term's Chinese;
- the package's catalogs are complete and their compiled .mo files current;
- and the tool itself, on a notebook built here: new, changed and removed cells.
"""

import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import translate  # noqa: E402

ENGLISH = translate.english_notebooks()
PACKAGE_PO = sorted((translate.PACKAGE_LOCALE / "zh" / "LC_MESSAGES").glob("*.po"))


def ids(paths):
    return [p.stem for p in paths]


@pytest.mark.parametrize("notebook", ENGLISH, ids=ids(ENGLISH))
def test_every_markdown_cell_has_a_current_translation(notebook):
    problems = translate.problems(notebook)
    assert not problems, "\n".join(problems[:20]) + (f"\n... {len(problems) - 20} more" if len(problems) > 20 else "")


@pytest.mark.parametrize("notebook", ENGLISH, ids=ids(ENGLISH))
def test_the_committed_chinese_notebook_is_what_the_build_writes(notebook):
    committed = translate.translated_path(notebook)
    assert committed.is_file(), f"{committed} is missing: run `python tools/translate.py build`"
    built = nbformat.writes(translate.translate_notebook(notebook))
    assert committed.read_text(encoding="utf-8") == built + "\n" or committed.read_text(encoding="utf-8") == built, \
        f"{committed.relative_to(ROOT)} differs from what the build writes: run `python tools/translate.py build`"


@pytest.mark.parametrize("notebook", ENGLISH, ids=ids(ENGLISH))
def test_code_cells_are_the_english_ones_but_for_the_language(notebook):
    english = nbformat.read(notebook, as_version=4)
    chinese = nbformat.read(translate.translated_path(notebook), as_version=4)
    assert [c.id for c in chinese.cells] == [c.id for c in english.cells]
    setup = [i for i, c in enumerate(english.cells) if c.cell_type == "code" and translate.START.search(c.source)][0]
    for i, (en, zh) in enumerate(zip(english.cells, chinese.cells)):
        if en.cell_type != "code":
            continue
        if i == setup:
            assert zh.source == translate.with_lang(en.source) and 'lang="zh"' in zh.source
        else:
            assert zh.source == en.source, f"code cell {en.id} differs"


def glossary():
    """(English alternatives, Chinese) for each row of GLOSSARY.md: 'dense layer (fully connected layer)'
    gives both names; a † (term not in the source text) is dropped."""
    rows = []
    for line in (ROOT / "GLOSSARY.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or cells[0] in ("English", "---") or set(cells[0]) <= {"-"}:
            continue
        english = re.sub(r"\s*†", "", cells[0])
        names = [english.split(" (")[0]] + re.findall(r"\(([^)]*)\)", english)
        chinese = re.sub(r"\s*†", "", cells[1])
        rows.append(([n.strip() for n in names if n.strip()], chinese))
    return rows


def _uses(text, term):
    return re.search(rf"(?<![\w-]){re.escape(term)}s?(?![\w-])", text, re.I) is not None


@pytest.mark.parametrize("notebook", ENGLISH, ids=ids(ENGLISH))
def test_glossary_terms_are_translated_with_the_glossary_words(notebook):
    """Where an English cell names a glossary term, its translation contains the term's Chinese (one of them, when
    the glossary gives several separated by '/' or '、'). A translator who must word a term otherwise in a cell writes
    `glossary: TERM` in a translator comment (# ...) of that entry, saying why."""
    entries = {e.msgctxt: e for e in translate.read_catalog(translate.catalog_path(notebook)) if not e.obsolete}
    missing = []
    for english_names, chinese in glossary():
        options = [c.strip() for c in re.split(r"[/、]| or ", chinese) if c.strip()]
        for context, entry in entries.items():
            if not entry.msgstr or not any(_uses(entry.msgid, name) for name in english_names):
                continue
            if any(o.lower() in entry.msgstr.lower() for o in options):
                continue
            if f"glossary: {english_names[0]}" in (entry.tcomment or ""):
                continue
            missing.append(f"cell {context}: '{english_names[0]}' -> {chinese}")
    assert not missing, f"{notebook.name}: glossary terms not used in the translation:\n" + "\n".join(missing)


@pytest.mark.parametrize("po", PACKAGE_PO, ids=ids(PACKAGE_PO))
def test_the_package_catalogs_are_complete_and_compiled(po):
    catalog = translate.read_catalog(po)
    todo = [e.msgid[:70] for e in catalog.untranslated_entries() + catalog.fuzzy_entries()]
    assert not todo, f"{po.name}: {len(todo)} untranslated or fuzzy:\n" + "\n".join(todo[:15])
    assert po.with_suffix(".mo").read_bytes() == translate.mo_bytes(po), \
        f"{po.with_suffix('.mo').name} is stale: run `python tools/translate.py build`"


def test_every_message_of_the_package_is_in_its_catalog():
    po = translate.PACKAGE_LOCALE / "zh" / "LC_MESSAGES" / "course_utils.po"
    known = {e.msgid for e in translate.read_catalog(po)}
    new = sorted(set(translate.package_messages()) - known)
    assert not new, f"{len(new)} messages are not in {po.name} yet (run `python tools/translate.py update`):\n" \
        + "\n".join(m[:70] for m in new[:15])


# --------------------------------------------------------------------------- the tool on a small notebook


@pytest.fixture
def course(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook()
    cells = [nbformat.v4.new_markdown_cell("# 98 · A fixture\n\nSee the [glossary](../GLOSSARY.md)."),
             nbformat.v4.new_markdown_cell("[Open in Colab](https://colab.research.google.com/github/O/R/blob/main/"
                                           "notebooks/98_fixture.ipynb) · [Launch on Binder](https://mybinder.org/v2/"
                                           "gh/O/R/main?urlpath=lab/tree/notebooks/98_fixture.ipynb) (CPU)"),
             nbformat.v4.new_code_cell("from course_utils.session import start\nFAST = start(seed=0)"),
             nbformat.v4.new_markdown_cell("## 1. A section"),
             nbformat.v4.new_code_cell("x = 1  # a comment stays English")]
    for cell, ident in zip(cells, ["title", "launch", "setup", "sec1", "code1"]):
        cell.id = ident
    nb.cells = cells
    path = folder / "98_fixture.ipynb"
    nbformat.write(nb, path)
    monkeypatch.setattr(translate, "NOTEBOOKS", folder)
    return path


def test_update_adds_every_markdown_cell_but_the_launch_links(course):
    assert translate.sync_notebook(course) == {"new": 2, "changed": 0, "removed": 0}
    assert [p.split(": ")[1] for p in translate.problems(course)] == ["no translation"] * 2


def _translate_all(course, prefix="中文"):
    path = translate.catalog_path(course)
    po = translate.read_catalog(path)
    for entry in po:
        entry.msgstr = f"{prefix}：{entry.msgid}"
    translate.write_catalog(po, path)


def test_a_changed_english_cell_is_stale_then_fuzzy_with_its_old_english_kept(course):
    translate.sync_notebook(course)
    _translate_all(course)
    assert translate.problems(course) == []
    nb = nbformat.read(course, as_version=4)
    nb.cells[3].source = "## 1. A section, renamed"
    nbformat.write(nb, course)
    assert "stale" in translate.problems(course)[0]
    assert translate.sync_notebook(course)["changed"] == 1
    assert "fuzzy" in translate.problems(course)[0]
    entry = [e for e in translate.read_catalog(translate.catalog_path(course)) if e.msgctxt == "sec1"][0]
    assert entry.previous_msgid == "## 1. A section" and entry.msgstr == "中文：## 1. A section"
    # the build never uses a fuzzy translation: the cell stays English until revised
    assert translate.translate_notebook(course).cells[3].source == "## 1. A section, renamed"


def test_a_removed_cell_leaves_the_catalog(course):
    translate.sync_notebook(course)
    nb = nbformat.read(course, as_version=4)
    del nb.cells[3]
    nbformat.write(nb, course)
    assert translate.sync_notebook(course)["removed"] == 1
    assert [e.msgctxt for e in translate.read_catalog(translate.catalog_path(course))] == ["title"]


def test_the_build_translates_prose_keeps_code_and_points_links_at_the_chinese_edition(course):
    translate.sync_notebook(course)
    _translate_all(course)
    zh = translate.translate_notebook(course)
    assert zh.cells[0].source.startswith("中文：# 98") and "](../../GLOSSARY.md)" in zh.cells[0].source
    assert "notebooks/zh/98_fixture.ipynb" in zh.cells[1].source and "Colab" in zh.cells[1].source
    assert zh.cells[2].source == 'from course_utils.session import start\nFAST = start(seed=0, lang="zh")'
    assert zh.cells[4].source == "x = 1  # a comment stays English"
    assert zh.metadata["course"]["lang"] == "zh"


@pytest.mark.parametrize("call, expected", [
    ("FAST = start(seed=0)", 'FAST = start(seed=0, lang="zh")'),
    ("FAST = start()", 'FAST = start(lang="zh")'),
    ('FAST = start(seed=0, packages=("numpy", "torch"))', 'FAST = start(seed=0, packages=("numpy", "torch"), lang="zh")'),
])
def test_with_lang_adds_the_argument_inside_the_call(call, expected):
    assert translate.with_lang(call) == expected
