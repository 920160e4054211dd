"""English and Korean. The English text is the key: code says ``tr("Learning rate", lang)``, and
``playground.korean.KO`` holds its Korean (``korean_errors`` that of nnlib's errors). No Streamlit here.

Three kinds of text reach the page:
- the page's own words, ``tr(template, lang, **values)``, with ``str.format`` placeholders;
- messages made where the language is not known (the session, the link parser): a ``Message`` keeps its
  template and values, so the page says it in the language chosen when it shows it;
- nnlib's ``ValueError`` texts, made in a library that knows no page: ``KO_ERRORS`` holds a Korean version of
  each message template, matched against the finished text.

A text without Korean is shown in English and noted in ``missing``; the tests fail on any.
"""

import re
import string

from playground.korean import KO
from playground.korean_errors import KO_ERRORS

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
missing = set()  # English texts asked for in Korean that have none: the tests require this to stay empty


class Message(str):
    """English text that remembers its template and values, to be said again in another language."""

    def __new__(cls, template, **values):
        message = super().__new__(cls, template.format(**values))
        message.template, message.values = template, values
        return message


def tr(text, lang, **values):
    """``text`` (a template, or a ``Message``) in ``lang``, its placeholders filled from ``values``."""
    if isinstance(text, Message):
        text, values = text.template, text.values
    values = {name: tr(value, lang) if isinstance(value, Message) else value for name, value in values.items()}
    if lang != "en":
        korean = KO.get(text)
        if korean is None:
            korean = _error_in_korean(text) if not values else None
            if korean is not None:
                return korean
            missing.add(text)
        else:
            text = korean
    return text.format(**values) if values else text


def placeholders(template):
    """The names of a template's ``{placeholders}``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def _pattern(template):
    """A regular expression that matches what an nnlib f-string template (``{}`` for each value) produces."""
    return re.compile("(.*?)".join(re.escape(part) for part in template.split("{}")), re.DOTALL)


# the most specific first: a template with more fixed text is tried before one that would match more loosely
ERROR_PATTERNS = [
    (_pattern(english), korean)
    for english, korean in sorted(KO_ERRORS.items(), key=lambda item: -len(item[0].replace("{}", "")))
]


def _error_in_korean(text):
    """One of nnlib's error messages in Korean, its values carried over; None if it is not one of them."""
    for pattern, korean in ERROR_PATTERNS:
        found = pattern.fullmatch(text)
        if found:  # a value may be another message, as in "the architecture cannot be built: <why>"
            return korean.format(*(_error_in_korean(value) or value for value in found.groups()))
    return None
