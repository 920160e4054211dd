"""The live view as one Streamlit component (Components v2), its JavaScript and CSS beside this file.

Mounted under a fixed key, it is one element for the page's whole life: each new ``data`` reaches the same
canvases, so nothing is unmounted and redrawn from blank, and the zoom and the curves stay (``st.plotly_chart``
makes a new element of every new figure). No build step: the browser gets the files as they are.
"""

import secrets
from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
KEY = "live_view"
SERVER = secrets.token_urlsafe(12)  # this server process: a tab whose page comes back to another saw a restart
COMPONENT = st.components.v2.component(
    "spiral_playground_live",
    js=(HERE / "live.js").read_text(),
    css=(HERE / "live.css").read_text(),
    isolate_styles=False,  # in the page's own fonts, and found by the page's tests as any text is
)


def mount(data, on_add, on_neuron, on_restarted):
    """Draw ``data`` (``{"setup": ..., "frames": [...], "socket": path, "tab": {"id": ..., ...}}``, see
    ``playground.live.frames`` and ``playground.live.feed``; ``tab``: the tab's session and what it holds).

    ``on_add(x1, x2)``: a click on the paused regions; ``on_neuron(layer, index)``: a click on a hidden neuron;
    ``on_restarted(tab)``: the page came back in a new session, and ``tab`` is what the old one's last run said of
    it, with ``"playing"``, whether it played. Two more triggers need nothing but the page run they start, which
    sends the view everything: "resend" (the view missed a setup or history rows, or lost its socket) and
    "stopped" (the socket's run paused itself: the session says why)."""
    COMPONENT(
        key=KEY,
        data={"key": KEY, **data},
        on_add_change=lambda: on_add(*clicked("add")),
        on_neuron_change=lambda: on_neuron(*clicked("neuron")),
        on_restarted_change=lambda: on_restarted(clicked("restarted")),
        on_resend_change=lambda: None,
        on_stopped_change=lambda: None,
    )


def clicked(name):
    """What the last click of kind ``name`` sent, from the component's trigger values."""
    return st.session_state[KEY][name]
