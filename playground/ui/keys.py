"""The keyboard's shortcuts (keys.js, one listener on the document) and their list beside the run bar."""

from pathlib import Path

import streamlit as st

from playground.ui.text import t

SHORTCUTS = (  # key (as printed on keyboards), what it does: the shortcuts of keys.js, listed beside the run bar
    ("Space", "Play or pause"),
    ("→", "Train one epoch, then pause"),
    ("→ ←", "In slow motion: the next or the previous stage"),
    ("T", "Test points on or off"),
    ("H", "Hard regions on or off"),
    ("L", "Log-scale loss on or off"),
    ("N", "Network on or off"),
    ("?", "This list"),
)
KEYS = st.components.v2.component("spiral_playground_keys", js=(Path(__file__).parent / "keys.js").read_text())


def keyboard(view_options):
    """The shortcuts' listener and the skip link to Play, first in the Tab order; it draws nothing. T, H, L and N
    press the pills of ``view_options`` (those the page lets the user switch)."""
    KEYS(key="keys", data={"skip": t("Skip to the run controls"), "view": list(view_options)})


def shortcuts_help():
    """The keyboard's shortcuts, listed beside the controls they press."""
    with st.popover(t("Keyboard shortcuts"), icon=":material/keyboard:", key="shortcuts"):
        st.markdown(
            "\n".join(
                [f"| {t('Key')} | {t('What it does')} |", "|:--|:--|"]
                + [f"| `{key}` | {t(action)} |" for key, action in SHORTCUTS]
            )
        )
        st.caption(t("Not while typing in a field. Tab from the top of the page: a link skips to Play."))
