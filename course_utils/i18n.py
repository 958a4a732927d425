"""The language the course speaks to the learner: English, or Simplified Chinese (``zh``).

Messages are written in English in the code and wrapped in ``_()``; their translations live in
gettext catalogs, ``course_utils/locale/<lang>/LC_MESSAGES/<domain>.po`` (what translators
edit) compiled to ``.mo`` beside them (what Python's ``gettext`` reads). A message with values
in it is translated first and formatted after, so the catalog holds the template:

    _("off by a factor of {ratio:g}").format(ratio=r)

The language is English until ``set_language`` is called (``session.start`` does, from its
``lang`` argument); a message with no translation stays English. Text drawn in figures has a
catalog of its own, ``figures`` (see ``figure_text`` below).
"""

from __future__ import annotations

import gettext
import json
import os
import re
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("en", "zh")
DOMAIN = "course_utils"

_current = ["en"]  # a one-item list, so set_language changes it without a `global`


def set_language(lang: str) -> str:
    """Speak ``lang`` ("en" or "zh") from now on in this process; returns it."""
    lang = (lang or "en").lower().replace("_", "-")
    lang = "zh" if lang.startswith("zh") else lang
    if lang not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, not {lang!r}")
    _current[0] = lang
    if lang != "en" or os.environ.get("COURSE_FIGURE_TEXT_LOG"):
        install_figure_translation()
    else:
        remove_figure_translation()
    return lang


def get_language() -> str:
    return _current[0]


@lru_cache(maxsize=None)
def _catalog(lang: str, domain: str):
    return gettext.translation(domain, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def translate(message: str, domain: str = DOMAIN, lang: str | None = None) -> str:
    """``message`` in the current language (or ``lang``), from the ``domain`` catalog."""
    lang = lang or _current[0]
    if lang == "en" or not message:
        return message
    return _catalog(lang, domain).gettext(message)


def _(message: str) -> str:
    """The usual gettext shorthand: ``message`` translated into the current language."""
    return translate(message)


# --------------------------------------------------------------------------- text drawn in figures
# Notebooks draw their titles, labels and legends with plain English strings, often f-strings with numbers in
# them, and their code cells are the same in both editions. So figure text is translated where matplotlib
# receives it, in ``Text.set_text``: an exact entry of the ``figures`` catalog first, else its template, the
# text with every number replaced by ``{}`` ("accuracy 98.5%" -> "accuracy {}%"), whose translation gets the
# numbers back in order. The hook is installed by ``set_language`` for a language other than English.

FIGURES = "figures"
_NUMBER = re.compile(r"(?<![A-Za-z_\d.])[-+−]?\d[\d,]*(?:\.\d+)?(?:[eE][-+]?\d+)?")
_MATH = re.compile(r"\$[^$]*\$")
_WORD = re.compile(r"[A-Za-z]{3,}")
_hook = []  # the original Text.set_text while the hook is installed


def needs_translation(text) -> bool:
    """True for figure text with words in it (three letters or more outside $maths$), not internal labels."""
    return isinstance(text, str) and not text.startswith("_") and bool(_WORD.search(_MATH.sub("", text)))


def template_of(text: str) -> str:
    """``text`` with each number (not a digit inside a name such as conv1 or W2) replaced by ``{}``."""
    return _NUMBER.sub("{}", text.replace("{", "{{").replace("}", "}}"))


def figure_text(text, lang: str | None = None):
    """The translation of one piece of figure text, or ``text`` itself when there is none."""
    lang = lang or _current[0]
    if lang == "en" or not needs_translation(text):
        return text
    table = getattr(_catalog(lang, FIGURES), "_catalog", {})  # GNUTranslations keeps its messages here
    if text in table:
        return table[text]
    template = template_of(text)
    if template in table:
        numbers = _NUMBER.findall(text)
        try:
            return table[template].format(*numbers)
        except (IndexError, KeyError, ValueError):
            pass  # a broken translation: better English than an error in the learner's figure
    if os.environ.get("COURSE_I18N_STRICT"):  # set by the tests: every figure text must be translated
        raise LookupError(
            f"figure text {text!r} (template {template!r}) has no {lang} translation in "
            f"course_utils/locale/{lang}/LC_MESSAGES/{FIGURES}.po; run `python tools/translate.py figures`"
        )
    return text


def _log_figure_text(text) -> None:
    path = os.environ.get("COURSE_FIGURE_TEXT_LOG")  # tools/translate.py sets it to collect the strings
    if path and needs_translation(text):
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(template_of(text) if _NUMBER.search(text) else text, ensure_ascii=False) + "\n")


def install_figure_translation() -> None:
    """Make matplotlib translate (and, for tools/translate.py, log) every text as it is set. Idempotent."""
    from matplotlib.text import Text

    if _hook:
        return
    original = Text.set_text

    def set_text(self, s):
        if isinstance(s, str):
            _log_figure_text(s)
            s = figure_text(s)
        return original(self, s)

    _hook.append(original)
    Text.set_text = set_text


def remove_figure_translation() -> None:
    if _hook:
        from matplotlib.text import Text

        Text.set_text = _hook.pop()
