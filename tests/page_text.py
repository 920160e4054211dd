"""What a page shows as text, from an AppTest tree: for checking that nothing is left in English."""

import html

from playground.settings import OPTIMIZERS
from tests.catalogues import KO

# the page's English texts; names written alike in Korean, and the optimizers' names (Momentum is both an
# optimizer and, translated, the label of its slider), excepted
UNTRANSLATED = {english for english, korean in KO.items() if english != korean} - set(OPTIMIZERS)
TEXT_ELEMENTS = {"Markdown", "Caption", "Header", "Subheader", "Title", "Text", "Error", "Warning", "Info", "Success"}
ALERTS = {"Error", "Warning", "Info", "Success"}


def shown(alert):
    """An alert's text as the page shows it: ``playground.ui.text.alert`` writes each punctuation mark as a character
    reference, with an invisible word joiner after some."""
    return html.unescape(alert.value).replace("\u2060", "")


def visible_texts(at):
    """Every label, help text and option of the page's widgets, and the text of its text elements."""
    texts, blocks = set(), [at._tree]
    while blocks:
        node = blocks.pop()
        for child in getattr(node, "children", {}).values():
            blocks.append(child)
            kind = type(child).__name__
            names = ("label", "help", "value") if kind in TEXT_ELEMENTS - ALERTS else ("label", "help")
            texts.update(value for value in (getattr(child, name, None) for name in names) if isinstance(value, str))
            if kind in ALERTS:
                texts.add(shown(child))
            texts.update(option for option in getattr(child, "options", []) if isinstance(option, str))
    return texts - {""}


def english_left(at):
    """The page's own English texts still on show."""
    return sorted(visible_texts(at) & UNTRANSLATED)
