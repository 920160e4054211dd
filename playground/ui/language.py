"""The language control at the top of the sidebar, and the page's link written into the address bar."""

import streamlit as st

from playground.i18n import LANGUAGES
from playground.links import language_from_query
from playground.settings import CHOICE, CHOICES, MAX_HIDDEN_LAYERS, Settings, fields_where
from playground.ui.text import alert, lang, shielded, t

# the widgets whose value is one of a list of options: what the browser sends for them is the option's label, which
# a language switch changes. The settings' own (their declarations say so), then the page's
CHOICE_WIDGETS = (
    *fields_where(Settings, widget=(CHOICE, CHOICES)),
    *(f"act_{index}" for index in range(MAX_HIDDEN_LAYERS)),
    "speed",
    "view",
    "run",
    "neuron",
    *("space_layer_pick", "space_mode_pick", "space_across_pick", "space_up_pick"),
    "add_class",
)


def language_switch():
    """English or 한국어, at the top of the sidebar on every page; ``?lang=ko`` in a link chooses Korean (each page
    writes its link, the language included)."""
    state = st.session_state
    if "lang" not in state:  # a tab's first run: the link's language
        state.lang, notices = language_from_query(st.query_params.to_dict())
        for notice in notices:
            alert("warning", t(notice))
    st.sidebar.radio(
        t("Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        key="lang",
        horizontal=True,
        label_visibility="collapsed",
        on_change=relabel_choices,
    )
    return lang()


def write_link(query):
    """``query`` (from ``links.py``) as the page's link in the address bar, written only when it changed: each
    write makes Streamlit's frontend render the app again."""
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


@shielded
def relabel_choices():
    """Give every choice widget its value again, so the browser takes it with the new language's label.

    A choice widget sends back the label it shows, and the server finds the option by that label: after a switch
    the browser would still send the old language's label, which names no option in the new one."""
    state = st.session_state
    for key in CHOICE_WIDGETS:
        if key in state:
            state[key] = state[key]  # read as last drawn (the old labels), written to be drawn with the new
