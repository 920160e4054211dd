"""What the page says: its words in the chosen language, its alerts, and the guard that turns an unexpected
error into a short message (never a traceback)."""

import functools
import logging
import re
import string

import streamlit as st

from playground.i18n import DEFAULT_LANGUAGE, UNEXPECTED, tr, tr_plural

LOG = logging.getLogger("playground")


def shielded(draw):
    """A page, a fragment or a callback whose unexpected error is logged on the server and shown as a short
    message in the page's language: the tab's session, its run and its settings stay, and the next click works.
    (Streamlit's own traceback, code paths included, is off: ``client.showErrorDetails``.)"""

    @functools.wraps(draw)
    def shielded_draw(*args):
        try:
            return draw(*args)
        except Exception:  # Streamlit's reruns and stops are BaseExceptions: they pass
            LOG.exception("unexpected error in %s", draw.__name__)
            alert("error", t(UNEXPECTED), icon=":material/error:")

    return shielded_draw


# each as a character reference, so markdown reads it as plain text: no link, image, emphasis, emoji or icon code,
# maths or colour is made from a user's text
MARKDOWN_ESCAPES = str.maketrans({character: f"&#{ord(character)};" for character in string.punctuation})
# a bare URL or e-mail address is linked from the text markdown leaves: an invisible word joiner where one starts
# keeps it text
BARE_LINK = re.compile(r"://|@|(?i:www)(?=\.)")


def alert(kind, text, **options):
    """An error, warning, info or success box that shows ``text`` as text. A message quotes what came from a link,
    a file or its name, and Streamlit would render that as markdown: a link in the app's own words, an image
    fetched from anywhere."""
    getattr(st, kind)(plain(text), **options)


def plain(text):
    """``text`` as markdown that Streamlit shows as the text itself (see ``alert``)."""
    return BARE_LINK.sub(lambda found: found[0] + "\u2060", text).translate(MARKDOWN_ESCAPES)


def lang():
    """The page's language, a key of ``LANGUAGES``."""
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def t(text, **values):
    """``text`` in the page's language: see ``playground.i18n.tr``."""
    return tr(text, lang(), **values)


def t_plural(singular, plural, count, **values):
    """``singular`` or ``plural``, as ``count`` takes it, in the page's language: see ``playground.i18n``."""
    return tr_plural(singular, plural, count, lang(), **values)


def labels_of(table, default=None):
    """A widget's ``format_func``: an option's label from ``table`` in the page's language, else ``default``.

    The language is fixed when the widget is drawn: Streamlit's test harness calls a format_func outside the
    page's run, where the session's state cannot be read."""
    language = lang()
    return lambda option: tr(table[option], language) if option in table else default(option)


def error_text(error):
    """A ValueError's message in the page's language (a ``Message``, or one of nnlib's texts)."""
    return t(error.args[0] if error.args else str(error))
