"""Both editions everywhere (issue 18): the Chinese notebooks, notebooks/zh/, are opened, tested, handed out, shown
as decks and published like the English ones. The build itself is tested in tests/test_translation.py.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
sys.path.insert(0, str(ROOT / "tests"))
from notebook_fixtures import fixture_notebook  # noqa: E402
from test_slides_and_pages import fake_npm  # noqa: E402,F401  (the fixture: stub reveal.js and MathJax)
import build_site  # noqa: E402
import build_slides  # noqa: E402
import editions  # noqa: E402
import execute_all  # noqa: E402
import grade  # noqa: E402
import make_nbgrader  # noqa: E402
import make_student  # noqa: E402
import translate  # noqa: E402

FIRST = translate.english_notebooks()[0]


def test_make_lab_zh_opens_the_first_chinese_notebook():
    # under `make test` the child make inherits MAKELEVEL and would print "Entering directory" lines
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    run = subprocess.run(["make", "--no-print-directory", "-n", "lab-zh"], cwd=ROOT, capture_output=True,
                         text=True, env=env)
    assert run.returncode == 0, run.stderr
    opened = run.stdout.strip().splitlines()[-1].split("--LabApp.default_url=/lab/tree/")[1]
    assert ROOT / opened == translate.translated_path(FIRST)


def test_make_test_collects_the_chinese_notebooks_under_nbval():
    """pyproject's testpaths hold `notebooks`, which pytest searches recursively: notebooks/zh/ is in `make test`."""
    run = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "notebooks"], cwd=ROOT,
                         capture_output=True, text=True)
    collected = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    chinese = {str(translate.translated_path(nb).relative_to(ROOT)) for nb in translate.english_notebooks()}
    built = {path for path in chinese if (ROOT / path).is_file()}
    assert built, "no Chinese notebook: run `python tools/translate.py build`"
    assert built <= collected, f"not collected by nbval: {sorted(built - collected)}"


# --------------------------------------------------------------------------- the teaching tools, on a Chinese fixture

TITLE_ZH = "98 · 一个测试用的笔记本"


def chinese(nb):
    """The fixture as translate.py would write it: a Chinese title and ``metadata.course.lang = "zh"``."""
    nb.cells[0].source = f"# {TITLE_ZH}\n测试工具用的小笔记本。"
    nb.metadata["course"] = {"lang": "zh", "translated_from": "../98_fixture.ipynb"}
    return nb


@pytest.fixture
def zh_path(tmp_path):
    path = tmp_path / "notebooks" / "zh" / "98_fixture.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(chinese(fixture_notebook()), path)
    return path


def test_the_chinese_edition_is_the_built_notebooks():
    assert editions.notebooks("zh") == [p for p in map(translate.translated_path, translate.english_notebooks())
                                        if p.is_file()]
    assert editions.notebooks("en") == translate.english_notebooks()
    assert editions.lang_of(nbformat.read(editions.notebooks("zh")[0], as_version=4)) == "zh"
    assert editions.lang_of(fixture_notebook()) == "en"


def test_a_chinese_student_copy_gets_the_chinese_note(zh_path, tmp_path, capsys):
    out = tmp_path / "student"
    assert make_student.main([str(zh_path), "--out", str(out)]) == 0
    copy = nbformat.read(out / zh_path.name, as_version=4)
    [note] = [c for c in copy.cells if "student-note" in c.metadata.get("tags", [])]
    assert note.source == editions.WORDS["zh"]["student_note"] and "参考答案" in note.source
    assert make_student.solution_cells(copy) == 0 and "SOLUTION-ADD" not in nbformat.writes(copy)
    english = make_student.student_copy(fixture_notebook())
    assert english.cells[1].source == make_student.NOTE


def test_lang_zh_picks_the_chinese_notebooks_and_writes_beside_the_english(tmp_path, monkeypatch, capsys):
    assert make_student.course_notebooks([], "zh") == editions.notebooks("zh")
    assert editions.out_folder(tmp_path, "zh") == tmp_path / "zh" and editions.out_folder(tmp_path, "en") == tmp_path
    monkeypatch.setattr(make_student, "ROOT", tmp_path)  # the default --out
    first = editions.notebooks("zh")[0]
    assert make_student.main(["--lang", "zh", str(first)]) == 0
    assert (tmp_path / "build" / "student" / "zh" / first.name).is_file()


def test_the_chinese_nbgrader_source_has_the_chinese_note_and_the_same_tests():
    english = make_nbgrader.assignment(nbformat.read(FIRST, as_version=4))
    zh = make_nbgrader.assignment(nbformat.read(translate.translated_path(FIRST), as_version=4))
    [note] = [c for c in zh.cells if c.get("id") == "student-note"]
    assert note.source == editions.WORDS["zh"]["student_note"]
    tests = lambda nb: [c.source for c in nb.cells if c.metadata["nbgrader"]["grade"]]  # noqa: E731
    assert tests(zh) == tests(english) and len(tests(zh)) >= 2


def test_each_edition_keeps_its_own_executed_copy(zh_path, tmp_path):
    en_path = tmp_path / "98_fixture.ipynb"
    nbformat.write(fixture_notebook(), en_path)
    out = tmp_path / "executed"
    en, zh = execute_all.execute([en_path, zh_path], out, fast=True, timeout=120)
    assert en.executed == out / "fast" / "98_fixture.ipynb" and zh.executed == out / "fast" / "zh" / "98_fixture.ipynb"
    assert TITLE_ZH in nbformat.read(zh.executed, as_version=4).cells[0].source
    assert TITLE_ZH not in nbformat.read(en.executed, as_version=4).cells[0].source
    assert all(r.reused for r in execute_all.execute([en_path, zh_path], out, fast=True, timeout=120))


def test_a_chinese_deck_has_the_chinese_title_and_language(zh_path, tmp_path, fake_npm):
    [deck] = build_slides.build([zh_path], tmp_path / "slides", execute=False)
    html = deck.read_text(encoding="utf-8")
    assert f"<title>{TITLE_ZH} 幻灯片</title>" in html and '<html lang="zh">' in html
    theme = (tmp_path / "slides" / "vendor/reveal.js/dist/theme/course.css").read_text(encoding="utf-8")
    assert re.search(r':lang\(zh\) \.reveal \.course-solution::before \{ content: "参考答案"; \}', theme)
    [english] = build_slides.build([fixture_notebook_path(tmp_path)], tmp_path / "slides-en", execute=False)
    assert '<html lang="en">' in english.read_text(encoding="utf-8") and " slides</title>" in english.read_text()


def fixture_notebook_path(tmp_path):
    path = tmp_path / "en" / "98_fixture.ipynb"
    path.parent.mkdir(exist_ok=True)
    nbformat.write(fixture_notebook(), path)
    return path


def test_fold_labels_a_chinese_notebook_in_chinese(zh_path):
    nb = build_site.fold(nbformat.read(zh_path, as_version=4))
    prompts = {c.metadata["mystnb"]["code_prompt_show"] for c in nb.cells if "mystnb" in c.metadata}
    assert prompts == {"显示参考答案"}
    assert any("<summary>给教师的备注</summary>" in c.source for c in nb.cells if c.cell_type == "markdown")


def test_the_chinese_site_has_its_home_page_chinese_words_and_launch_buttons(zh_path, tmp_path, fake_npm, monkeypatch):
    pytest.importorskip("myst_nb", reason="the site's packages are not installed: pip install -r site/requirements.txt")
    monkeypatch.setattr(build_site, "SOURCE", tmp_path / "site-src")
    monkeypatch.setattr(execute_all, "OUT", tmp_path / "executed")
    site = tmp_path / "site" / "zh"
    result = build_site.build(site, fast=True, paths=[zh_path], lang="zh")
    assert result["returncode"] == 0 and result["failed"] == []
    assert (tmp_path / "site-src-zh" / "index.md").read_text(encoding="utf-8") == \
        (build_site.SITE / "index.zh.md").read_text(encoding="utf-8")
    page = (site / "notebooks" / "zh" / "98_fixture.html").read_text(encoding="utf-8")
    assert 'lang="zh-CN"' in page and TITLE_ZH in page
    assert "mybinder.org/v2/gh/OWNER/REPO/main?urlpath=lab/tree/notebooks/zh/98_fixture.ipynb" in page
    assert "colab.research.google.com/github/OWNER/REPO/blob/main/notebooks/zh/98_fixture.ipynb" in page
    assert page.count("显示参考答案") == 3 and "Show the solution" not in page
    index = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>从一个神经元到 GPU 上的卷积神经网络" in index and 'href="notebooks/zh/98_fixture.html"' in index
    search = json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)", (site / "searchindex.js").read_text().strip()).group(1))
    assert "测试" in search["terms"], "the search finds Chinese words (jieba, site/requirements.txt)"


# --------------------------------------------------------------------------- README.zh.md


def test_the_chinese_readme_mirrors_the_english_one():
    english = (ROOT / "README.md").read_text(encoding="utf-8")
    chinese = (ROOT / "README.zh.md").read_text(encoding="utf-8")
    assert "](README.zh.md)" in english and "](README.md)" in chinese
    assert len(re.findall(r"^## ", chinese, re.M)) == len(re.findall(r"^## ", english, re.M))
    commands = lambda text: set(re.findall(r"`?(make [a-z-]+)", text))  # noqa: E731
    assert commands(english) <= commands(chinese), sorted(commands(english) - commands(chinese))
    # every notebook the English README links, the Chinese one links in its Chinese edition, and nothing else
    linked = lambda text: re.findall(r"\]\((notebooks/[^)]*\.ipynb)\)", text)  # noqa: E731
    wanted = [str(translate.translated_path(ROOT / p).relative_to(ROOT)) for p in linked(english)]
    assert linked(chinese) == wanted
    assert re.search(r"^\[binder\]: .*urlpath=lab/tree/notebooks/zh/00_", chinese, re.M)


# --------------------------------------------------------------------------- links from notebooks/zh/, one folder deeper


@pytest.mark.parametrize("source, relinked", [
    ("见[术语表](../GLOSSARY.md)。", "见[术语表](../../GLOSSARY.md)。"),
    ("![网站](../docs/images/course.png)", "![网站](../../docs/images/course.png)"),
    ('<img src="../docs/images/course.png" width="720">', '<img src="../../docs/images/course.png" width="720">'),
    ("<a href='../README.md'>README</a>", "<a href='../../README.md'>README</a>"),
    ("[笔记本 04](04_backpropagation.ipynb)", "[笔记本 04](04_backpropagation.ipynb)"),  # the Chinese sibling
    ("[Keras](https://keras.io/../x)", "[Keras](https://keras.io/../x)"),
])
def test_links_that_leave_notebooks_gain_one_level(source, relinked):
    assert translate.relink(source) == relinked


def test_an_untranslated_cell_keeps_its_english_but_its_links_work_from_notebooks_zh(tmp_path, monkeypatch):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# 98 · A fixture"),
                                         nbformat.v4.new_markdown_cell("Terms: [the glossary](../GLOSSARY.md).")])
    nb.cells[0].id, nb.cells[1].id = "title", "terms"
    nbformat.write(nb, folder / "98_fixture.ipynb")
    monkeypatch.setattr(translate, "NOTEBOOKS", folder)
    translate.sync_notebook(folder / "98_fixture.ipynb")  # both entries empty: nothing translated yet
    zh = translate.translate_notebook(folder / "98_fixture.ipynb")
    assert zh.cells[1].source == "Terms: [the glossary](../../GLOSSARY.md)."
    target = (translate.translated_path(folder / "98_fixture.ipynb").parent / "../../GLOSSARY.md").resolve()
    assert target == (tmp_path / "GLOSSARY.md").resolve()


# --------------------------------------------------------------------------- grading a Chinese submission


def test_a_chinese_submission_is_graded_against_the_chinese_copy(tmp_path):
    """Against the English copy its set-up cell (lang="zh", importing course_utils.checks) counted as changed and
    was flagged to the teacher as reaching into the grading machinery."""
    zh_first = translate.translated_path(FIRST)
    submission = tmp_path / zh_first.name
    submission.write_bytes(zh_first.read_bytes())
    sub = nbformat.read(submission, as_version=4)
    assert grade.find_reference(submission, sub) == zh_first
    assert grade.flagged(sub, nbformat.read(zh_first, as_version=4)) == []
    assert grade.find_reference(tmp_path / FIRST.name, nbformat.read(FIRST, as_version=4)) == FIRST
