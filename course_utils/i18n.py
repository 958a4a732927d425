"""The language the course speaks to the learner: English, or Simplified Chinese (``zh``).

Messages are written in English in the code and wrapped in ``_()``; their translations live in
gettext catalogues, ``course_utils/locale/<lang>/LC_MESSAGES/<domain>.po`` (what translators
edit) compiled to ``.mo`` beside them (what Python's ``gettext`` reads). A message with values
in it is translated first and formatted after, so the catalogue holds the template:

    _("off by a factor of {ratio:g}").format(ratio=r)

The language is English until ``set_language`` is called (``session.start`` does, from its
``lang`` argument); a message with no translation stays English.
"""

from __future__ import annotations

import gettext
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
    return lang


def get_language() -> str:
    return _current[0]


@lru_cache(maxsize=None)
def _catalogue(lang: str, domain: str):
    return gettext.translation(domain, localedir=str(LOCALE_DIR), languages=[lang], fallback=True)


def translate(message: str, domain: str = DOMAIN, lang: str | None = None) -> str:
    """``message`` in the current language (or ``lang``), from the ``domain`` catalogue."""
    lang = lang or _current[0]
    if lang == "en" or not message:
        return message
    return _catalogue(lang, domain).gettext(message)


def _(message: str) -> str:
    """The usual gettext shorthand: ``message`` translated into the current language."""
    return translate(message)
