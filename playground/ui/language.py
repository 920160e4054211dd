"""The language control at the top of the sidebar, and the language's part of the link."""

import streamlit as st

from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, Message
from playground.settings import MAX_HIDDEN_LAYERS
from playground.ui.text import alert, lang, shielded, t

# the widgets whose value is one of a list of options (act_0, act_1, ... too): what the browser sends for them is
# the option's label, which a language switch changes
CHOICE_WIDGETS = ("dataset", "features", "activation", "init", "regularization", "reg_rate", "optimizer",
                  "learning_rate", "schedule", "precision", "speed", "run", "view", "neuron", "add_class")  # fmt: skip


def language_query():
    """The language's part of the link: nothing for English, the default."""
    return {} if lang() == DEFAULT_LANGUAGE else {"lang": lang()}


def language_switch():
    """English or 한국어, at the top of the sidebar on every page; ``?lang=ko`` in a link chooses Korean."""
    state = st.session_state
    if "lang" not in state:  # a tab's first run: the link's language
        asked = st.query_params.get("lang", DEFAULT_LANGUAGE)
        state.lang = asked if asked in LANGUAGES else DEFAULT_LANGUAGE
        if asked not in LANGUAGES:
            notice = Message("Link parameter {key}={text!r} is not {expected}; using {default!r}.", key="lang",
                             text=asked[:200], expected=Message("one of {options}", options=", ".join(LANGUAGES)),
                             default=DEFAULT_LANGUAGE)  # fmt: skip
            alert("warning", t(notice))
    st.sidebar.radio(t("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True,
                     label_visibility="collapsed", on_change=relabel_choices)  # fmt: skip
    if st.query_params.get("lang") != language_query().get("lang"):
        if lang() == DEFAULT_LANGUAGE:
            del st.query_params["lang"]
        else:
            st.query_params["lang"] = lang()
    return lang()


@shielded
def relabel_choices():
    """Give every choice widget its value again, so the browser takes it with the new language's label.

    A choice widget sends back the label it shows, and the server finds the option by that label: after a switch
    the browser would still send the old language's label, which names no option in the new one."""
    state = st.session_state
    for key in [*CHOICE_WIDGETS, *(f"act_{index}" for index in range(MAX_HIDDEN_LAYERS))]:
        if key in state:
            state[key] = state[key]  # read as last drawn (the old labels), written to be drawn with the new
