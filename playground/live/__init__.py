"""The live view as one Streamlit component (Components v2), its JavaScript and CSS beside this file.

Mounted under a fixed key, it is one element for the page's whole life: each new ``data`` reaches the same
canvases, so nothing is unmounted and redrawn from blank, and the zoom and the curves stay (``st.plotly_chart``
makes a new element of every new figure). No build step: the browser gets the files as they are, joined into one
script (``joined_script``).
"""

import re
import secrets
from pathlib import Path

import streamlit as st

from playground.session.core import HISTORY_COLUMNS

HERE = Path(__file__).parent
KEY = "live_view"
SERVER = secrets.token_urlsafe(12)  # this server process: a tab whose page comes back to another saw a restart
# a module's imports of its neighbours, one statement each (it may run over several lines), and the ``export``
# before a declaration, which the joined script no longer needs
IMPORT = re.compile(r'^import \{[^}]*\} from "\./([\w-]+\.js)";\n', re.MULTILINE)
EXPORT = re.compile(r"^export (?!default )", re.MULTILINE)


def joined_script(entry="live.js"):
    """The view's modules as one script: each module once, after the modules it imports, without its imports and
    without ``export`` before its declarations, which become the whole script's (two modules may not declare the
    same name at their top level). Only the entry's ``export default`` stays.

    Components v2 runs inline JavaScript from a blob URL, where ``import "./x.js"`` finds nothing. The files it
    serves by URL (an ``asset_dir`` in a ``[tool.streamlit.component]`` table) are found through a pyproject.toml
    beside an installed package named as the project, ``spiral_playground``: this project's packages are
    ``playground`` and ``nnlib``, and its wheel holds no pyproject.toml; and each import would be one more request
    before the first picture. Joined, the page gets one script, as before the view was split into modules, while
    Node's tests import each module as it is."""
    sources = {}
    ordered = []

    def add(name):
        if name in sources:
            return
        source = sources[name] = (HERE / name).read_text()
        for imported in IMPORT.findall(source):
            add(imported)
        ordered.append(name)

    add(entry)
    return "\n".join(f"// playground/live/{name}\n{EXPORT.sub('', IMPORT.sub('', sources[name]))}" for name in ordered)


COMPONENT = st.components.v2.component(
    "spiral_playground_live",
    js=joined_script(),
    css=(HERE / "live.css").read_text(),
    isolate_styles=False,  # in the page's own fonts, and found by the page's tests as any text is
)


def mount(data, on_add, on_neuron, on_edit, on_restarted, on_point):
    """Draw ``data`` (``{"setup": ..., "frames": [...], "socket": path, "tab": {"id": ..., ...}}``, see
    ``playground.live.frames`` and ``playground.live.feed``; ``tab``: the tab's session and what it holds), with the
    names of the history rows' columns (``HISTORY_COLUMNS``, the order ``frames.history_rows`` sends them in), which
    the curves read by name.

    ``on_add(x1, x2)``: a click on the paused regions; ``on_neuron(layer, index)``: a click on a hidden neuron;
    ``on_edit(target)``: a weight or a bias typed in on the paused diagram (see ``set_parameter``);
    ``on_restarted(tab)``: the page came back in a new session, and ``tab`` is what the old one's last run said of
    it, with ``"playing"``, whether it played; ``on_point(position)``: in slow motion, a click on a point of the
    batch, its position in it. Two more triggers need nothing but the page run they start, which
    sends the view everything: "resend" (the view missed a setup or history rows, or lost its socket) and
    "stopped" (the socket's run paused itself: the session says why)."""
    COMPONENT(
        key=KEY,
        data={"key": KEY, "historyColumns": HISTORY_COLUMNS, **data},
        on_add_change=lambda: on_add(*clicked("add")),
        on_neuron_change=lambda: on_neuron(*clicked("neuron")),
        on_edit_change=lambda: on_edit(clicked("edit")),
        on_restarted_change=lambda: on_restarted(clicked("restarted")),
        on_point_change=lambda: on_point(clicked("point")),
        on_resend_change=lambda: None,
        on_stopped_change=lambda: None,
    )


def clicked(name):
    """What the last click of kind ``name`` sent, from the component's trigger values."""
    return st.session_state[KEY][name]
