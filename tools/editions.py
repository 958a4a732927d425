"""The course's two editions: English, notebooks/NN_*.ipynb, and Chinese (中文版), notebooks/zh/NN_*.ipynb, which
tools/translate.py builds from the English and the catalogs (it writes ``metadata.course.lang = "zh"``).

The teaching tools (make_student.py, make_nbgrader.py, build_slides.py, build_site.py) take ``--lang zh`` to work
on the Chinese notebooks and write beside the English output, in a ``zh/`` folder of it; the words they add
themselves (a note, a button) come from ``WORDS`` in the notebook's language, read from its metadata, so a tool
given the paths of Chinese notebooks speaks Chinese too.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LANGS = ("en", "zh")

# What the tools add to a notebook, a deck or a page. Few enough to keep here; the package's messages and the
# notebooks' prose have their gettext catalogs (tools/translate.py).
WORDS = {
    "en": {
        "student_note": (
            "> **Your copy of this notebook.** The worked solutions are not in it: where the text mentions "
            "a solution after an exercise's check, the answer is yours to write. Until you have written an "
            "exercise, the cells after it that use your function stop with an error (and *Run All* stops "
            "there too); its check cell says what is missing."),
        "show_solution": "Show the solution",
        "hide_solution": "Hide the solution",
        "teacher_notes": "Notes for the teacher",
        "slides": "slides",
    },
    "zh": {
        "student_note": (
            "> **这是你的学生版笔记本。** 其中没有参考答案：正文在练习的检查之后提到答案的地方，答案要由你自己来写。"
            "在你写好一个练习之前，它后面用到你的函数的单元格会报错停下（*全部运行*（Run All）也会停在那里）；"
            "它的检查单元格会告诉你还缺什么。"),
        "show_solution": "显示参考答案",
        "hide_solution": "隐藏参考答案",
        "teacher_notes": "给教师的备注",
        "slides": "幻灯片",
    },
}


def notebooks(lang: str = "en") -> list[Path]:
    """The course's notebooks in ``lang``: notebooks/NN_*.ipynb, or notebooks/<lang>/NN_*.ipynb."""
    folder = ROOT / "notebooks" if lang == "en" else ROOT / "notebooks" / lang
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def lang_of(nb) -> str:
    """The language of a notebook (a NotebookNode): what translate.py wrote in its metadata, else English."""
    return nb.metadata.get("course", {}).get("lang", "en")


def words(nb) -> dict:
    """``WORDS`` in the notebook's language."""
    return WORDS[lang_of(nb)]


def out_folder(base: Path, lang: str) -> Path:
    """Where a tool writes the edition ``lang``: ``base`` for English, ``base/zh`` for Chinese."""
    return base if lang == "en" else base / lang


def add_lang_option(parser) -> None:
    parser.add_argument("--lang", choices=LANGS, default="en",
                        help="the edition: en (notebooks/) or zh (notebooks/zh/, written to OUT/zh/)")
