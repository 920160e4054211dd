"""The playground page: the run controls, the notices and the live view above the sidebar's settings and
the panels below. Widgets → settings → session → view, in that order, once a run."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from playground import live, pins
from playground.links import slow_motion_from_query
from playground.live.feed import LiveFeed
from playground.live.socket import PATH as SOCKET_PATH
from playground.session.step_stages import STAGES
from playground.settings import SPEEDS, VIEW_OPTION_CONTROLS, VIEW_OPTIONS
from playground.ui.callbacks import (
    add_point,
    came_back,
    choose_neuron,
    choose_point,
    go_to_stage,
    leave_slow_motion,
    one_step,
    pin_run,
    play_or_pause,
    reset,
    set_parameter,
    slow_motion,
    stage_chosen,
    start_slow_motion,
    step_to,
)
from playground.ui.keys import keyboard, shortcuts_help
from playground.ui.panels import chosen_neuron, edit_points, look_inside, neuron_picker, pinned_runs
from playground.ui.presenter import presenter_mode, presenter_toggle
from playground.ui.sidebar import sidebar
from playground.ui.space_controls import space_controls
from playground.ui.step_panel import step_panel
from playground.ui.tab import fixed, hides, locks, page_session, points_fixed, shows, switchable_view_options
from playground.ui.text import alert, labels_of, lang, plain, shielded, t, t_plural

RUN_LABELS = {"play": ":material/play_arrow: Play", "pause": ":material/pause: Pause"}
VIEW_LABELS = {  # one pills widget rather than a toggle each: each widget costs every live update ~3 ms
    "show_test": ":material/radio_button_unchecked: Test points",
    "hard_regions": ":material/square: Hard regions",
    "log_loss": ":material/show_chart: Log-scale loss",
    "show_network": ":material/hub: Network",
    "insides": ":material/stacked_bar_chart: Inside the training",
    "hidden_space": ":material/scatter_plot: Hidden space",
}
STAGE_LABELS = {"batch": "Mini-batch", "forward": "Forward", "backward": "Backward", "update": "Update"}


def primary_color(theme="light"):
    """The primary colour of the ``theme`` shown (.streamlit/config.toml), else Streamlit's own: a primary button's."""
    return st.get_option(f"theme.{theme}.primaryColor") or st.get_option("theme.primaryColor") or "#ff4b4b"


def run_controls(session):
    """Play or Pause, Epoch, Step, Reset and the speed, above the charts and kept in view when the page scrolls:
    where TensorFlow Playground has them, the first thing a newcomer looks for."""
    with st.container(key="run_bar", horizontal=True, vertical_alignment="bottom", gap="small"):
        if not hides("play"):
            play_pause()
        for control, label, key, on_click, args, icon, description in (
            (
                "epoch",
                "Epoch",
                "step",
                step_to,
                (session.trainer.current_epoch + 1,),
                ":material/skip_next:",
                "Train one epoch (every training point once), then pause.",
            ),
            (
                "step",
                "Step",
                "one_step",
                one_step,
                (session.trainer.step_count + 1,),
                ":material/navigate_next:",
                "Train one step (one mini-batch and one update), then pause.",
            ),
            ("reset", "Reset", "reset", reset, (), ":material/replay:", "Back to the initial weights of this seed."),
        ):
            if not hides(control):
                st.button(
                    t(label),
                    key=key,
                    on_click=on_click,
                    args=args,
                    icon=icon,
                    disabled=locks(control),
                    help=t(description),
                )
        if not hides("speed"):
            st.select_slider(
                t("Speed (steps/s)"),
                SPEEDS,
                key="speed",
                format_func=labels_of({0: "max"}, default=lambda speed: f"{speed:,}"),
                width=260,
                disabled=locks("speed"),
                help=t("A cap on training steps per second, to watch learning in slow motion."),
            )
        shortcuts_help()
        presenter_toggle()


def slow_motion_bar(slow):
    """Below the run bar (which has no room left on a phone): Slow motion, or while it is on (``slow``, the
    SlowStep on show), its stage bar."""
    if slow is None and hides("slow"):  # a link's slow motion still shows its stages, and the way out
        return
    with st.container(key="slow_bar", horizontal=True, vertical_alignment="center", gap="small"):
        if slow is None:
            st.button(
                t("Slow motion"),
                key="slow_motion",
                on_click=slow_motion,
                icon=":material/slow_motion_video:",
                disabled=locks("slow"),
                help=t(
                    "Pause and show the next training step in stages: the mini-batch, the forward pass, the "
                    "backward pass and the update."
                ),
            )
        else:
            stage_bar(*slow.position)


def stage_bar(step, stage):
    """Slow motion's stages, the one on show chosen, between ← Back and Next →, and the way out. Each names where
    it goes, step and stage (``SlowStep.go_to``): a click that reaches the server twice moves once."""
    st.session_state.stage = STAGES[stage]
    st.button(
        t("Back"),
        key="stage_back",
        on_click=go_to_stage,
        args=(step, stage - 1),
        icon=":material/arrow_back:",
        disabled=stage == 0,
        help=t("The stage before (←)."),
    )
    st.segmented_control(
        t("Stage"),
        STAGES,
        key="stage",
        required=True,
        format_func=labels_of(STAGE_LABELS),
        on_change=stage_chosen,
        args=(step,),
        label_visibility="collapsed",
    )
    st.button(
        t("Next"),
        key="stage_next",
        on_click=go_to_stage,
        args=(step + (stage + 1) // len(STAGES), (stage + 1) % len(STAGES)),
        icon=":material/arrow_forward:",
        help=t("The next stage (→); after the update, the next step's mini-batch."),
    )
    st.button(
        t("Leave slow motion"),
        key="stage_leave",
        on_click=leave_slow_motion,
        icon=":material/close:",
        help=t("Back to the usual view, the network as the stage on show left it. Play leaves it too."),
    )


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
        disabled=locks("play"),
        label_visibility="collapsed",
        help=t("Train continuously; every change applies to the running training."),
    )


def live_view(session, slow):
    """The live component. A page run sends what the session shows now (the setup, a frame with every history
    row) and its tab's ``LiveFeed`` token; while playing, the feed's own socket sends the frames (live/socket.py),
    so the picture moves without a Streamlit run. In slow motion the network is drawn whether or not the view
    shows it otherwise: the stages are drawn on it."""
    state = st.session_state
    if state.get("live_feed") is None or state.live_feed.session is not session:
        state.live_feed = LiveFeed(session, get_script_run_ctx().session_id)
    feed = state.live_feed
    feed.task = state.get("task")  # its card is drawn with the frames: the run may meet it between page runs
    chosen = chosen_neuron(session) if shows("show_network") else None
    options = state.shown.options
    if slow is not None and "show_network" not in options:
        options = (*options, "show_network")
    space = (state.shown.space_layer, state.shown.space_axes)
    with session.held():
        data = feed.page_data(options, chosen, lang(), state.speed, not fixed("weights"), space)
    live.mount(
        data | {"socket": f"{SOCKET_PATH}?token={feed.token}", "tab": tab_data(session, feed.tab_id)},
        on_add=add_point,
        on_neuron=choose_neuron,
        on_edit=set_parameter,
        on_restarted=came_back,
        on_point=choose_point,
    )


def tab_data(session, tab_id):
    """The tab as its view keeps it: which session it is (``id``, its Streamlit session's, and ``server``), and what
    a new one would not have.
    The view sends it back should the page come back in a new session (``callbacks.came_back``)."""
    state = st.session_state
    return {
        "id": tab_id,
        "server": live.SERVER,
        "pins": [run.number for run in state.pins],
        "points": 0 if session.uploaded is None else len(session.uploaded[0]),
        "weights": session.weights_file is not None,
    }


@shielded
def playground_page():
    draw_playground()


def draw_playground():
    # the page's rules came in its head (page_head.py) with the light theme's colour; this names the one shown
    st.html(f"<style>:root {{ --spl-primary: {primary_color(st.context.theme.type or 'light')}; }}</style>")
    presenter_mode()  # before the page rewrites its link
    linked_stage, stage_notices = slow_motion_from_query(st.query_params.to_dict())  # before the page rewrites it
    session = page_session()
    keyboard(switchable_view_options())
    with session.held():
        if linked_stage is not None:
            start_slow_motion(session, linked_stage)
            st.session_state.run = "pause"
        slow = session.slow_step
    st.session_state.setdefault("link_notices", []).extend(stage_notices)
    st.markdown(t("### Spiral playground"))
    run_controls(session)
    slow_motion_bar(slow)
    notices(session)
    view_and_pin()
    # the live view before the sidebar's many widgets (in its own column of the page whatever the order): a
    # control's change reaches the view sooner
    live_view(session, slow)
    sidebar(session)
    if shows("show_network") or slow is not None:  # the diagram's legend and picker go where the diagram is drawn
        neuron_picker(session)
    if shows("hidden_space"):
        space_controls(session)
    if not session.playing:  # below the chart, and only while paused: a page run while playing stays quick
        with session.held():
            if slow is not None:
                step_panel(slow)
            if not hides("inside"):
                look_inside(session)
            if not points_fixed():  # nothing of the panel shows without editing
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
    if "restart_notice" in st.session_state:
        alert("warning", st.session_state.pop("restart_notice"), icon=":material/sync_problem:")
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
    return t_plural(
        "Started from the weights in {name}, trained for {count:,} epoch ({step:,} steps): epoch 0 here is where "
        "that file left them.",
        "Started from the weights in {name}, trained for {count:,} epochs ({step:,} steps): epoch 0 here is where "
        "that file left them.",
        trained["epoch"],
        name=name,
        step=trained["step"],
    )


def view_pills():
    """The view's options as pills; those a link locks in disabled pills of their own, showing whether they are on;
    those it hides, not at all."""
    switchable = switchable_view_options()
    if switchable:
        pills_of_view("view", switchable)
    locked = [
        name
        for name in VIEW_OPTIONS
        if name not in switchable and not (hides("view") or hides(VIEW_OPTION_CONTROLS[name]))
    ]
    if locked:
        st.session_state.view_locked = [name for name in locked if shows(name)]
        pills_of_view("view_locked", locked, disabled=True)


def pills_of_view(key, options, disabled=False):
    st.pills(
        t("View"),
        options,
        selection_mode="multi",
        format_func=labels_of(VIEW_LABELS),
        key=key,
        disabled=disabled,
        label_visibility="collapsed",
        help=t(
            "Test points: hollow markers the model never trains on. Hard regions: the predicted class without "
            "shading (a regression's: the sign of its value). Log-scale loss: the loss axis in powers of ten. "
            "Network: its links and each neuron's map, below the charts. Inside the training: each layer's "
            "activations and gradients over the epochs, its dead ReLUs and its weight norm. Hidden space: the input "
            "plane's grid lines and the training points as a hidden layer maps them."
        ),
    )


def view_and_pin():
    """What the view shows, and the button that keeps this run to compare."""
    view_column, pin_column = st.columns([4, 1], vertical_alignment="bottom")
    with view_column.container(horizontal=True, gap="small"):
        view_pills()
    if not hides("pin"):
        pin_column.button(
            t(":material/push_pin: Pin this run"),
            key="pin",
            on_click=pin_run,
            width="stretch",
            disabled=locks("pin"),
            help=t(
                "Keep this run's settings, curves and weights to compare with the next (up to {limit}).",
                limit=pins.MAX_PINNED,
            ),
        )
