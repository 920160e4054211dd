"""The Korean catalogues as the tests read them: each ``.po`` file (the source the ``.mo`` files are compiled
from) as a dict, English -> Korean."""

from babel.messages.pofile import read_po

from playground.i18n import LOCALE_DIR


def po_path(domain):
    return LOCALE_DIR / "ko" / "LC_MESSAGES" / f"{domain}.po"


def read_catalogue(domain):
    with open(po_path(domain), "rb") as file:
        return read_po(file)


def korean(domain):
    """A domain's entries; one with plural forms is there under each of its English forms (Korean has one)."""
    table = {}
    for message in read_catalogue(domain):
        if not message.id:
            continue  # the header
        forms = message.id if message.pluralizable else (message.id,)
        table.update(dict.fromkeys(forms, message.string[0] if message.pluralizable else message.string))
    return table


KO = korean("playground")  # the page's words
KO_ERRORS = korean("nnlib")  # nnlib's error templates
