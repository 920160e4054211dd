"""Messages for people: English text that keeps its template and values, so a page can say it in another language.

nnlib writes its errors in English and knows no page. A ``Message`` is that English text, an ordinary ``str``, that
also remembers what it was made from: a page that speaks Korean looks the template up and fills in the same values,
instead of taking the finished text apart. A value can be a ``Message`` itself, said in the same language.

A message quotes what a user sent, and a user can send a name of a megabyte or a header of a million names: it
quotes a glimpse of each value and a few of many, so every message stays a sentence long.
"""

QUOTED_CHARS = 40
LISTED = 5
REASON_CHARS = 200


class Message(str):
    """``template.format(**values)``, remembering ``template`` and ``values``."""

    def __new__(cls, template, **values):
        message = super().__new__(cls, template.format(**values))
        message.template, message.values = template, values
        return message


def shortened(text, limit=QUOTED_CHARS):
    """``text``, cut to ``limit`` characters ending in "…" if it is longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def quoted(value):
    """``repr(value)``, cut short; a long string is cut inside its quotes."""
    if isinstance(value, str) and len(value) > QUOTED_CHARS:
        value = value[: QUOTED_CHARS - 3] + "…"
    return shortened(repr(value))


def listing(items, show=quoted):
    """The first few items, each shown by ``show``, joined by commas, and how many more there are."""
    listed = ", ".join(map(show, items[:LISTED]))
    if len(items) <= LISTED:
        return listed
    return Message("{listed} and {more:,} more", listed=listed, more=len(items) - LISTED)


def reason(error):
    """Why ``error`` was raised, to quote in a message: its ``Message``, or else Python's own text (English, it is
    not ours to translate), cut short."""
    if error.args and isinstance(error.args[0], Message):
        return error.args[0]
    return shortened(str(error) or type(error).__name__, REASON_CHARS)
