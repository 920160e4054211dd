"""The playground page: the run controls, the notices and the live view above the sidebar's settings and
the panels below. Widgets → settings → session → view, in that order, once a run."""

import string

import streamlit as st

from playground import live, pins
from playground.live.feed import LiveFeed
from playground.live.socket import PATH as SOCKET_PATH
from playground.settings import SPEEDS, VIEW_OPTIONS
from playground.ui.callbacks import add_point, choose_neuron, pin_run, play_or_pause, reset, step_to
from playground.ui.panels import chosen_neuron, edit_points, look_inside, neuron_picker, pinned_runs
from playground.ui.sidebar import sidebar
from playground.ui.tab import page_session, shows
from playground.ui.text import alert, labels_of, lang, plain, shielded, t, t_plural

RUN_LABELS = {"play": ":material/play_arrow: Play", "pause": ":material/pause: Pause"}
VIEW_LABELS = {  # one pills widget rather than four toggles: each widget costs every live update ~3 ms
    "show_test": ":material/radio_button_unchecked: Test points",
    "hard_regions": ":material/square: Hard regions",
    "log_loss": ":material/show_chart: Log-scale loss",
    "show_network": ":material/hub: Network",
}
SHORTCUTS = (  # key (as printed on keyboards), what it does: the shortcuts of KEYS_JS, listed beside the run bar
    ("Space", "Play or pause"),
    ("→", "Train one epoch, then pause"),
    ("T", "Test points on or off"),
    ("H", "Hard regions on or off"),
    ("L", "Log-scale loss on or off"),
    ("N", "Network on or off"),
    ("?", "This list"),
)
# words out of sight that stay a control's accessible name
WORDS_HIDDEN = (
    "position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap;"
)
# Streamlit fades the elements of a run in progress; live charts are redrawn every tick and would flicker
STYLE = string.Template("""
<style>
.st-key-live_view [data-stale="true"], .st-key-live_view[data-stale="true"] {
  opacity: 1 !important; transition: none !important;
}
/* the title starts below Streamlit's header (3.75rem, over the page's top), which would clip it */
.block-container { padding-top: 3.75rem; padding-bottom: 0; }
[data-testid="stStatusWidget"] { visibility: hidden; }  /* its "running" animation repaints every tick */
/* the run controls stay in view as the page scrolls, below the header, on the page's background */
[data-testid="stLayoutWrapper"]:has(> .st-key-run_bar) {
  position: sticky; top: 3.75rem; z-index: 999; padding: 0.5rem 0;
}
[data-testid="stAppViewContainer"], [data-testid="stAppViewContainer"] :has(.st-key-run_bar) {
  background-color: inherit !important;
}
.st-key-keys { display: none; }  /* the shortcuts' listener draws nothing */
/* the shortcuts' button shows its icon; its words are its name (a tooltip would say them again) */
.st-key-shortcuts button [data-testid="stMarkdownContainer"] {
  $words_hidden
}
/* the skip link: out of sight until the Tab key reaches it */
#spl-skip {
  position: fixed; left: 0.5rem; top: -4rem; z-index: 1000100; padding: 0.5rem 0.75rem;
  background: white; color: black; border: 2px solid $primary; border-radius: 0.5rem;
}
#spl-skip:focus { top: 0.5rem; }
/* Play and Pause's fragment as wide as they are, not a share of the row */
.st-key-run_bar > div:has(.st-key-run) { flex: 0 0 auto; width: auto; min-width: 0; }
/* paused, Play is the next thing to do: it looks like a primary button, the chosen Pause like any other */
.st-key-run:has(button:last-child[aria-checked="true"]) button:first-child {
  background-color: $primary; border-color: $primary; color: white;
}
.st-key-run button:last-child[aria-checked="true"] { background-color: transparent; color: inherit; }
/* the view's options wrap to a second row rather than scroll sideways out of sight */
.st-key-view [data-baseweb], .st-key-view [role="group"], .st-key-view div:has(> button) {
  flex-wrap: wrap !important; overflow-x: visible !important;
}
/* the sidebar's neuron counts: the layer's name beside its box, a − and a + big enough for a finger */
.st-key-widths [data-testid="stNumberInput"] { display: flex; align-items: center; gap: 0.75rem; }
.st-key-widths [data-testid="stNumberInput"] > label { flex: 0 0 4.5rem; margin: 0; }
.st-key-widths [data-testid="stNumberInput"] > div { flex: 1 1 0; min-width: 0; }
.st-key-widths [data-testid="stNumberInputContainer"] { height: 44px; }
.st-key-widths [data-testid^="stNumberInputStep"] { width: 44px; height: 44px; }
/* a phone: the run bar on one row, its buttons as icons (their words stay their names), the speed in what is
   left; the shortcuts' list is for keyboards */
@media (max-width: 640px) {
  .st-key-run_bar { flex-wrap: nowrap !important; gap: 0.5rem !important; }
  .st-key-run_bar button [data-testid="stMarkdownContainer"] {
    $words_hidden
  }
  .st-key-run_bar button { min-width: 44px; min-height: 44px; padding-left: 0.6rem; padding-right: 0.6rem; }
  .st-key-run_bar button [data-testid="stIconMaterial"] { margin: 0; }
  .st-key-run_bar .st-key-speed { flex: 1 1 0; min-width: 6rem; width: auto !important; }
  .st-key-run_bar .st-key-speed label { min-width: 0; }
  .st-key-run_bar .st-key-speed label p { white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .st-key-run_bar .st-key-speed [data-testid="stTooltipIcon"] { display: none; }
  .st-key-run_bar .st-key-shortcuts { display: none; }
}
</style>
""")
# The keyboard's shortcuts, one listener on the document: each clicks the control it stands for, so a shortcut does
# exactly what that click does (Streamlit's own ``shortcut=`` fires inside the live view too, and segmented controls
# and pills have none). None fires while typing in a field, with a modifier held, or on a control that takes the key
# itself (Space on a button, an arrow on a slider or in the live view, whose arrow keys move its probe); Streamlit's
# own keys (r, c, Esc) are left alone. Keys are matched by their place on the keyboard (``code``), so they work in a
# Korean input mode too. A skip link, first in the Tab order, takes a keyboard to Play past the sidebar.
KEYS_JS = """
const TYPING = "input, textarea, select, [contenteditable]:not([contenteditable='false']), [role='textbox'], "
  + "[role='combobox'], [role='listbox']";
const TAKES_SPACE = "button, a, summary, [role='button'], [role='radio'], [role='checkbox'], [role='switch'], "
  + "[role='option'], [role='tab'], [role='menuitem'], [role='slider'], .spl-live";
const TAKES_ARROWS = "[role='slider'], [role='radio'], [role='radiogroup'], [role='tab'], [role='option'], "
  + "[role='menu'], [role='menuitem'], .spl-live";
const VIEW_KEYS = { KeyT: 0, KeyH: 1, KeyL: 2, KeyN: 3 };

function shown(selector) {
  return [...document.querySelectorAll(selector)].find((control) => control.getClientRects().length);
}

function click(control) {
  if (!control) return false;
  control.click();
  return true;
}

function playOrPause() {
  const [play, pause] = document.querySelectorAll(".st-key-run [role='radio']");
  return click(play && play.getAttribute("aria-checked") === "true" ? pause : play);
}

function shortcut(event) {
  const target = event.target instanceof Element ? event.target : document.body;
  if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing || event.defaultPrevented) return false;
  if (target.closest(TYPING)) return false;
  if (event.key === "?") return click(shown(".st-key-shortcuts button"));
  if (event.repeat || event.shiftKey) return false;
  if (event.code === "Space") return !target.closest(TAKES_SPACE) && playOrPause();
  if (event.key === "ArrowRight") return !target.closest(TAKES_ARROWS) && click(shown(".st-key-step button"));
  const pills = document.querySelectorAll(".st-key-view button[aria-pressed]");
  return event.code in VIEW_KEYS && click(pills[VIEW_KEYS[event.code]]);
}

function onKey(event) {
  if (shortcut(event)) event.preventDefault();
}

function skipLink(text) {
  const link = document.getElementById("spl-skip") || document.createElement("a");
  if (!link.isConnected) {
    link.id = "spl-skip";
    link.href = "#";
    link.addEventListener("click", (event) => {
      event.preventDefault();
      document.querySelector(".st-key-run [role='radio']")?.focus();
    });
    document.body.prepend(link);
  }
  link.textContent = text;
  return link;
}

// the same listener each run (added once, however often this is called); both go when the page does (the lab's)
export default function ({ data }) {
  const link = skipLink(data.skip);
  document.addEventListener("keydown", onKey);
  return () => {
    document.removeEventListener("keydown", onKey);
    link.remove();
  };
}
"""
KEYS = st.components.v2.component("spiral_playground_keys", js=KEYS_JS)


def primary_color():
    """The theme's primary colour (.streamlit/config.toml), else Streamlit's own: a primary button's."""
    return st.get_option("theme.light.primaryColor") or st.get_option("theme.primaryColor") or "#ff4b4b"


def run_controls(session):
    """Play or Pause, Step, Reset and the speed, above the charts and kept in view when the page scrolls: where
    TensorFlow Playground has them, the first thing a newcomer looks for."""
    with st.container(key="run_bar", horizontal=True, vertical_alignment="bottom", gap="small"):
        play_pause()
        st.button(
            t("Epoch"),
            key="step",
            on_click=step_to,
            args=(session.trainer.current_epoch + 1,),
            icon=":material/skip_next:",
            help=t("Train one epoch (every training point once), then pause."),
        )
        st.button(
            t("Reset"),
            key="reset",
            on_click=reset,
            icon=":material/replay:",
            help=t("Back to the initial weights of this seed."),
        )
        st.select_slider(
            t("Speed (steps/s)"),
            SPEEDS,
            key="speed",
            format_func=labels_of({0: "max"}, default=lambda speed: f"{speed:,}"),
            width=260,
            help=t("A cap on training steps per second, to watch learning in slow motion."),
        )
        shortcuts_help()


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


@st.fragment
def play_pause():
    """Play or Pause, in a fragment: a click starts a run of this control alone, which keeps Streamlit's frontend
    free for the live socket's frame of the change; the callback then reruns the page (``play_or_pause``).

    A value, not a button: a button's click can reach the server twice (in a tick's rerun and in the page's),
    and the second would undo the first; a chosen value stays chosen however often it arrives."""
    st.segmented_control(
        t("Run"),
        ("play", "pause"),
        format_func=labels_of(RUN_LABELS),
        key="run",
        on_change=play_or_pause,
        label_visibility="collapsed",
        help=t("Train continuously; every change applies to the running training."),
    )


def live_view(session):
    """The live component. A page run sends what the session shows now (the setup, a frame with every history
    row) and its tab's ``LiveFeed`` token; while playing, the feed's own socket sends the frames (live/socket.py),
    so the picture moves without a Streamlit run."""
    state = st.session_state
    if state.get("live_feed") is None or state.live_feed.session is not session:
        state.live_feed = LiveFeed(session)
    feed = state.live_feed
    chosen = chosen_neuron(session) if shows("show_network") else None
    with session.held():
        data = feed.page_data(state.shown.options, chosen, lang(), state.speed)
    live.mount(data | {"socket": f"{SOCKET_PATH}?token={feed.token}"}, on_add=add_point, on_neuron=choose_neuron)


@shielded
def playground_page():
    draw_playground()


def draw_playground():
    st.html(STYLE.substitute(primary=primary_color(), words_hidden=WORDS_HIDDEN))
    KEYS(key="keys", data={"skip": t("Skip to the run controls")})
    session = page_session()
    st.markdown(t("### Spiral playground"))
    run_controls(session)
    notices(session)
    view_and_pin()
    # the live view before the sidebar's many widgets (in its own column of the page whatever the order): a
    # control's change reaches the view sooner
    live_view(session)
    sidebar(session)
    if shows("show_network"):
        neuron_picker(session)
    if not session.playing:  # below the chart, and only while paused: a page run while playing stays quick
        with session.held():
            look_inside(session)
            edit_points(session)
    if st.session_state.pins:
        if session.playing:  # drawn while paused only: every element on the page slows a page run
            count = len(st.session_state.pins)
            st.caption(
                t_plural(
                    "{count} pinned run: pause to compare it.", "{count} pinned runs: pause to compare them.", count
                )
            )
        else:
            pinned_runs(st.session_state.pins)


def notices(session):
    """What the page has to say above the charts: the link's, the last action's, the run's, the settings'."""
    for notice in st.session_state.pop("link_notices", []):
        alert("warning", t(notice))
    if "error" in st.session_state:
        alert("error", st.session_state.pop("error"))
    if "notice" in st.session_state:
        alert("success", st.session_state.pop("notice"))
    if session.message:
        alert("error", t(session.message))
        st.button(
            t("Reset"),
            key="reset_after_divergence",
            on_click=reset,
            help=t("Back to the initial weights of this seed."),
        )
    if session.notice and not session.playing:
        alert("info", t(session.notice))
    if session.weights_file:
        st.caption(plain(weights_origin(session.weights_file, session.weights_trained)))
    if not st.session_state.features:
        alert("warning", t("Choose at least one input feature; the network keeps its current ones until then."))
    if st.session_state.dataset == "upload" and session.uploaded is None:
        alert(
            "info",
            t(
                "Upload a CSV with columns x1, x2, label to train on your own points; the current points "
                "stay until then."
            ),
        )


def weights_origin(name, trained):
    """Where a run that started from a weights file comes from: the file, and how long it was trained if it says."""
    if trained is None:
        return t(
            "Started from the weights in {name}: epoch 0 is where that file left them (it does not record how long "
            "they were trained).",
            name=name,
        )
    return t(
        "Started from the weights in {name}, trained for {epoch:,} epochs ({step:,} steps): epoch 0 here is where "
        "that file left them.",
        name=name,
        **trained,
    )


def view_and_pin():
    """What the view shows, and the button that keeps this run to compare."""
    view_column, pin_column = st.columns([4, 1], vertical_alignment="bottom")
    view_column.pills(
        t("View"),
        VIEW_OPTIONS,
        selection_mode="multi",
        format_func=labels_of(VIEW_LABELS),
        key="view",
        label_visibility="collapsed",
        help=t(
            "Test points: hollow circles the model never trains on. Hard regions: the predicted class without "
            "shading. Network: its links and each neuron's map, below the charts."
        ),
    )
    pin_column.button(
        t(":material/push_pin: Pin this run"),
        key="pin",
        on_click=pin_run,
        width="stretch",
        help=t(
            "Keep this run's settings, curves and weights to compare with the next (up to {limit}).",
            limit=pins.MAX_PINNED,
        ),
    )
