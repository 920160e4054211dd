"""The live view as one Streamlit component (Components v2), its JavaScript and CSS beside this file.

Mounted under a fixed key, it is one element for the page's whole life: each new ``data`` reaches the same
canvases, so nothing is unmounted and redrawn from blank, and the zoom and the curves stay (``st.plotly_chart``
makes a new element of every new figure). No build step: the browser gets the files as they are.
"""

from pathlib import Path

import streamlit as st

HERE = Path(__file__).parent
KEY = "live_view"
COMPONENT = st.components.v2.component(
    "spiral_playground_live",
    js=(HERE / "live.js").read_text(),
    css=(HERE / "live.css").read_text(),
    isolate_styles=False,  # in the page's own fonts, and found by the page's tests as any text is
)


def mount(data, on_add, on_neuron):
    """Draw ``data`` (``{"setup": ..., "frames": [...], "socket": path}``, see ``playground.live.frames`` and
    ``playground.live.feed``).

    ``on_add(x1, x2)``: a click on the paused regions; ``on_neuron(layer, index)``: a click on a hidden neuron.
    Two more triggers need nothing but the page run they start, which sends the view everything: "resend" (the
    view missed a setup or history rows) and "stopped" (the socket's run paused itself: the session says why)."""
    COMPONENT(
        key=KEY,
        data={"key": KEY, **data},
        on_add_change=lambda: on_add(*clicked("add")),
        on_neuron_change=lambda: on_neuron(*clicked("neuron")),
        on_resend_change=lambda: None,
        on_stopped_change=lambda: None,
    )


def clicked(name):
    """What the last click of kind ``name`` sent, from the component's trigger values."""
    return st.session_state[KEY][name]
