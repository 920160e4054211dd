"""English and Korean, with Python's gettext. The English text is the message id: code says
``tr("Learning rate", lang)``, and the Korean comes from the catalogues beside this file,
``ko/LC_MESSAGES/playground.po`` (the page's words) and ``nnlib.po`` (nnlib's error templates), compiled to
``.mo`` files with ``pybabel compile -d playground/i18n -D "playground nnlib"`` after each edit (the tests check
the ``.mo`` files are up to date). No Streamlit here.

Three kinds of text reach the page:
- the page's own words, ``tr(template, lang, **values)``, with ``str.format`` placeholders, and those that count,
  ``tr_plural(singular, plural, count, lang, **values)`` (Korean has one form, English two);
- messages made where the language is not known (the session, the link parser): a ``Message`` keeps its
  template and values, so the page says it in the language chosen when it shows it;
- nnlib's ``ValueError`` texts, made in a library that knows no page: ``Message``s too (the class is nnlib's),
  looked up in nnlib's own catalogue.

A text without Korean is shown in English and noted in ``missing``; the tests fail on any.
"""

import gettext
import string
from pathlib import Path

from nnlib.messages import Message
from playground.i18n.korean import with_particles

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).parent
DOMAINS = ("playground", "nnlib")  # the page's words, then nnlib's error templates
missing = set()  # English texts asked for in Korean that have none: the tests require this to stay empty
# what the page says of an error it did not expect (logged on the server, never shown as a traceback)
UNEXPECTED = (
    "Something went wrong on the server, and the page could not do that. Your run and settings are kept; try again, "
    "or press Reset."
)


class _NotedMissing(gettext.NullTranslations):
    """The last fallback: the English text, noted in ``missing``."""

    def gettext(self, message):
        missing.add(message)
        return super().gettext(message)

    def ngettext(self, singular, plural, n):
        missing.add(singular)
        return super().ngettext(singular, plural, n)


def _translation(lang):
    """The catalogues of ``lang``, one domain falling back on the next, and on English last."""
    first, *others = (gettext.translation(domain, LOCALE_DIR, languages=[lang]) for domain in DOMAINS)
    for other in others:
        first.add_fallback(other)
    first.add_fallback(_NotedMissing())
    return first


# English is the message ids themselves: gettext's null translation (the singular for 1, else the plural)
TRANSLATIONS = {DEFAULT_LANGUAGE: gettext.NullTranslations()} | {
    lang: _translation(lang) for lang in LANGUAGES if lang != DEFAULT_LANGUAGE
}


def tr(text, lang, **values):
    """``text`` (a template, or a ``Message``) in ``lang``, its placeholders filled from ``values``."""
    if isinstance(text, Message):
        text, values = text.template, text.values
    values = {name: tr(value, lang) if isinstance(value, Message) else value for name, value in values.items()}
    text = TRANSLATIONS[lang].gettext(text)
    return fitted(text.format(**values) if values else text, lang)


def tr_plural(singular, plural, count, lang, **values):
    """The form of ``singular`` or ``plural`` that ``count`` takes in ``lang``, with ``{count}`` and ``values``
    filled in."""
    return fitted(TRANSLATIONS[lang].ngettext(singular, plural, count).format(count=count, **values), lang)


def fitted(text, lang):
    """``text`` with its words fitted to the values put in: in Korean, each particle written in both forms, 은(는),
    takes the one its value needs (``korean.with_particles``)."""
    return with_particles(text) if lang == "ko" else text


def placeholders(template):
    """The names of a template's ``{placeholders}``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
