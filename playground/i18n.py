"""English and Korean. The English text is the key: code says ``tr("Learning rate", lang)``, and
``playground.korean.KO`` holds its Korean (``korean_errors`` that of nnlib's errors). No Streamlit here.

Three kinds of text reach the page:
- the page's own words, ``tr(template, lang, **values)``, with ``str.format`` placeholders;
- messages made where the language is not known (the session, the link parser): a ``Message`` keeps its
  template and values, so the page says it in the language chosen when it shows it;
- nnlib's ``ValueError`` texts, made in a library that knows no page: ``Message``s too (the class is nnlib's), whose
  templates ``KO_ERRORS`` says in Korean. Looking a template up takes no longer than the message is long, however
  much of a user's file the message quotes.

A text without Korean is shown in English and noted in ``missing``; the tests fail on any.
"""

import string

from nnlib.messages import Message
from playground.korean import KO
from playground.korean_errors import KO_ERRORS

LANGUAGES = {"en": "English", "ko": "한국어"}
DEFAULT_LANGUAGE = "en"
KOREAN = KO | KO_ERRORS
missing = set()  # English texts asked for in Korean that have none: the tests require this to stay empty
# what the page says of an error it did not expect (logged on the server, never shown as a traceback)
UNEXPECTED = (
    "Something went wrong on the server, and the page could not do that. Your run and settings are kept; try again, "
    "or press Reset."
)


def tr(text, lang, **values):
    """``text`` (a template, or a ``Message``) in ``lang``, its placeholders filled from ``values``."""
    if isinstance(text, Message):
        text, values = text.template, text.values
    values = {name: tr(value, lang) if isinstance(value, Message) else value for name, value in values.items()}
    if lang != "en":
        korean = KOREAN.get(text)
        if korean is None:
            missing.add(text)
        else:
            text = korean
    return text.format(**values) if values else text


def placeholders(template):
    """The names of a template's ``{placeholders}``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
