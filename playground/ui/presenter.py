"""Presenter mode, for a projector and the back of a room: the settings' sidebar closed (its » opens it), the
charts as large as the screen's height allows, their text and lines larger, the status line large; the task card
and the run bar stay above them, and the keyboard's shortcuts work as ever. The link's ``present=1`` (links.py)
or the toggle turns it on."""

from pathlib import Path

import streamlit as st

from playground.links import presenter_from_query
from playground.ui.text import alert, t

HERE = Path(__file__).parent
STYLE = (HERE / "presenter.css").read_text()
SIDEBAR = st.components.v2.component("spiral_playground_presenter", js=(HERE / "presenter.js").read_text())


def presenter_mode():
    """Whether the page presents this run; if it does, its style and the sidebar's closing go on the page.

    Called before the page rewrites its link: a tab's first run reads the link, each later run the toggle. A copy
    (``presenting``) outlives the toggle's state, which Streamlit drops on the lab page, where it is not drawn."""
    state = st.session_state
    if "presenter" not in state:
        if "presenting" in state:
            state.presenter = state.presenting
        else:
            state.presenter, notices = presenter_from_query(st.query_params.to_dict())
            for notice in notices:
                alert("warning", t(notice))
    state.presenting = state.presenter
    if state.presenting:
        st.html(f"<style>{STYLE}</style>")
        SIDEBAR(key="presenter_sidebar")
    return state.presenting


def presenter_toggle():
    """The toggle that turns presenter mode on and off (its link then says so)."""
    st.toggle(
        t("Presenter mode"),
        key="presenter",
        help=t("For a projector: the settings closed (» opens them), the charts, their text and the status larger."),
    )
