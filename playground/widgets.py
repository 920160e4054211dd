"""The Streamlit page: sidebar controls → Settings → Session → charts. Everything that calls ``st.*`` is here.

Every control has a key, and its value lives in ``st.session_state`` under that key; the settings are read
from those values on each run, and written into them when a link or a weights file sets them.
"""

import contextlib
import functools
import gc
import io
import logging
import re
import string

import pandas as pd
import streamlit as st

from nnlib.datasets import MAX_CLASSES, load_points
from nnlib.io import fits_float16
from playground import export, live, network, pins
from playground.charts import compare_curves
from playground.data import with_point
from playground.i18n import DEFAULT_LANGUAGE, LANGUAGES, UNEXPECTED, Message, tr
from playground.live.feed import LiveFeed
from playground.live.socket import PATH as SOCKET_PATH
from playground.settings import (
    ACTIVATION_NAMES,
    BETA_RANGE,
    CLASS_RANGE,
    DATASETS,
    FEATURES,
    INITS,
    LEARNING_RATES,
    MAX_HIDDEN_LAYERS,
    MAX_WIDTH,
    MOMENTUM_RANGE,
    MULTI_CLASS_DATASETS,
    NOISE_RANGE,
    OPTIMIZERS,
    POINTS_RANGE,
    PRECISIONS,
    REG_RATES,
    REGULARIZATIONS,
    SCHEDULE_EPOCHS_RANGE,
    SCHEDULES,
    SEED_RANGE,
    SPEEDS,
    STOP_EPOCH_RANGE,
    STOP_LOSS_RANGE,
    TRAIN_PERCENT_RANGE,
    VIEW_OPTIONS,
    Settings,
    View,
    classes_and_points,
    from_query,
    gpu_available,
    to_query,
    train_size,
    view_from_query,
)
from playground.state import Session

RUN_LABELS = {"play": ":material/play_arrow: Play", "pause": ":material/pause: Pause"}
NEW_LAYER_WIDTH = 8
MAX_EDITED_POINTS = 6_000  # the largest generated data set; an uploaded CSV may hold up to 100,000
SAMPLE_POINTS = 1_000  # shown of a data set too large to edit in the page
VIEW_LABELS = {  # one pills widget rather than four toggles: each widget costs every live update ~3 ms
    "show_test": ":material/radio_button_unchecked: Test points",
    "hard_regions": ":material/square: Hard regions",
    "log_loss": ":material/show_chart: Log-scale loss",
    "show_network": ":material/hub: Network",
}
NETWORK_COLUMNS = [2.7, 1.3]  # the diagram, and one neuron's map large
DATA_SLIDERS = (  # setting, label, range, step, help
    ("classes", "Classes", CLASS_RANGE, 1, "Spiral arms, rings or clusters."),
    ("points", "Points per class", POINTS_RANGE, 1, "How many points each class has."),
    ("noise", "Noise", NOISE_RANGE, 0.01, "Spiral: jitter of the angle. Others: jitter of the coordinates."),
    (
        "train_percent",
        "Training data (%)",
        TRAIN_PERCENT_RANGE,
        5,
        "The rest is test data: the model never trains on it.",
    ),
)
OPTIMIZER_SLIDERS = (  # setting, label, range, optimizers that use it, step, format, help
    ("momentum", "Momentum", MOMENTUM_RANGE, ("Momentum", "Nesterov"), 0.01, "%.2f",
     "Momentum and Nesterov: how much of the last step carries on."),
    ("decay_rate", "Decay rate", MOMENTUM_RANGE, ("RMSprop",), 0.001, "%.3f",
     "RMSprop: how fast old squared gradients are forgotten."),
    ("beta1", "β1", BETA_RANGE, ("Adam",), 0.001, "%.3f", "Adam: decay of the mean gradient."),
    ("beta2", "β2", BETA_RANGE, ("Adam",), 0.0001, "%.4f", "Adam: decay of the mean squared gradient."),
)  # fmt: skip

# Streamlit fades the elements of a run in progress; live charts are redrawn every tick and would flicker
STYLE = """
<style>
.st-key-live_view [data-stale="true"], .st-key-live_view[data-stale="true"] {
  opacity: 1 !important; transition: none !important;
}
.block-container { padding-top: 2.2rem; padding-bottom: 0; }
[data-testid="stStatusWidget"] { visibility: hidden; }  /* its "running" animation repaints every tick */
/* the run controls stay in view as the page scrolls (the header above them is empty), on the page's background */
[data-testid="stLayoutWrapper"]:has(> .st-key-run_bar) {
  position: sticky; top: 0; z-index: 999; padding: 0.5rem 0;
}
[data-testid="stAppViewContainer"], [data-testid="stAppViewContainer"] :has(.st-key-run_bar) {
  background-color: inherit !important;
}
</style>
"""

# the widgets whose value is one of a list of options (act_0, act_1, ... too): what the browser sends for them is
# the option's label, which a language switch changes
CHOICE_WIDGETS = ("dataset", "features", "activation", "init", "regularization", "reg_rate", "optimizer",
                  "learning_rate", "schedule", "precision", "speed", "run", "view", "neuron", "add_class")  # fmt: skip

SIMPLE_FIELDS = (
    "dataset",
    "classes",
    "points",
    "noise",
    "train_percent",
    "seed",
    "activation",
    "init",
    "regularization",
    "reg_rate",
    "optimizer",
    "learning_rate",
    "momentum",
    "decay_rate",
    "beta1",
    "beta2",
    "batch_size",
    "schedule",
    "schedule_epochs",
    "stop_epoch",
    "stop_loss",
    "precision",
)


# --- errors: no traceback reaches the page -----------------------------------------------------------------

LOG = logging.getLogger("playground")


def shielded(draw):
    """A page, a fragment or a callback whose unexpected error is logged on the server and shown as a short
    message in the page's language: the tab's session, its run and its settings stay, and the next click works.
    (Streamlit's own traceback, code paths included, is off: ``client.showErrorDetails``.)"""

    @functools.wraps(draw)
    def shielded_draw(*args):
        try:
            return draw(*args)
        except Exception:  # Streamlit's reruns and stops are BaseExceptions: they pass
            LOG.exception("unexpected error in %s", draw.__name__)
            alert("error", t(UNEXPECTED), icon=":material/error:")

    return shielded_draw


# each as a character reference, so markdown reads it as plain text: no link, image, emphasis, emoji or icon code,
# maths or colour is made from a user's text
MARKDOWN_ESCAPES = str.maketrans({character: f"&#{ord(character)};" for character in string.punctuation})
# a bare URL or e-mail address is linked from the text markdown leaves: an invisible word joiner where one starts
# keeps it text
BARE_LINK = re.compile(r"://|@|(?i:www)(?=\.)")


def alert(kind, text, **options):
    """An error, warning, info or success box that shows ``text`` as text. A message quotes what came from a link,
    a file or its name, and Streamlit would render that as markdown: a link in the app's own words, an image
    fetched from anywhere."""
    getattr(st, kind)(BARE_LINK.sub(lambda found: found[0] + "\u2060", text).translate(MARKDOWN_ESCAPES), **options)


# --- language -------------------------------------------------------------------------------------------------


def lang():
    """The page's language, a key of ``LANGUAGES``."""
    return st.session_state.get("lang", DEFAULT_LANGUAGE)


def t(text, **values):
    """``text`` in the page's language: see ``playground.i18n.tr``."""
    return tr(text, lang(), **values)


def labels_of(table, default=None):
    """A widget's ``format_func``: an option's label from ``table`` in the page's language, else ``default``.

    The language is fixed when the widget is drawn: Streamlit's test harness calls a format_func outside the
    page's run, where the session's state cannot be read."""
    language = lang()
    return lambda option: tr(table[option], language) if option in table else default(option)


def error_text(error):
    """A ValueError's message in the page's language (a ``Message``, or one of nnlib's texts)."""
    return t(error.args[0] if error.args else str(error))


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


# --- settings <-> widget state ---------------------------------------------------------------------------------


def write_widgets(settings):
    """Put ``settings`` into the widgets' state (before they are drawn, or from a callback)."""
    state = st.session_state
    for field in SIMPLE_FIELDS:
        state[field] = getattr(settings, field)
    state.features = list(settings.features)
    state.hidden_layers = len(settings.hidden)
    for index, width in enumerate(settings.hidden):
        state[f"width_{index}"] = width
    state.per_layer = bool(settings.layer_activations)
    for index, name in enumerate(settings.activations):
        state[f"act_{index}"] = name


def read_widgets(session):
    """The settings the widgets show now; an empty feature choice keeps the session's features."""
    state = st.session_state
    values = {field: state[field] for field in SIMPLE_FIELDS}
    values["features"] = tuple(name for name in FEATURES if name in state.features) or session.settings.features
    values["hidden"] = tuple(state.get(f"width_{index}", NEW_LAYER_WIDTH) for index in range(state.hidden_layers))
    values["layer_activations"] = (
        tuple(state.get(f"act_{index}", state.activation) for index in range(state.hidden_layers))
        if state.get("per_layer")
        else ()
    )
    if values["dataset"] == "upload" and session.uploaded is None:
        values["dataset"] = session.settings.dataset  # nothing to show yet: keep the current points
    return Settings(**values)


# --- callbacks: they run before the page, so the page already shows their outcome ---------------------------


def holding_session(callback):
    """A callback that runs holding the session's lock (and ``shielded``): it runs before its page run, maybe
    while the live socket is training. What it changed (a Pause, a Step) the socket then sends at once, before
    the page run, which Streamlit's frontend takes a tenth of a second to render."""

    @functools.wraps(callback)
    def locked(*args):
        state = st.session_state
        with holding(state.session):
            outcome = callback(*args)
        if state.get("live_feed") is not None:
            state.live_feed.changed(wait=True)
        return outcome

    return shielded(locked)


@contextlib.contextmanager
def holding(session):
    """The session's lock, which the live socket's training may be holding: it is asked to hurry, so a control's
    change waits for the end of a training chunk rather than of the frame's whole budget."""
    session.hurry = True
    with session.lock:
        session.hurry = False
        yield


def holding_lock(session, build):
    """``build`` as a download's data: built at the click, holding the lock, so the file holds the model between
    two of the live socket's steps."""

    def built():
        with holding(session):
            return build()

    return built


@holding_session
def step_to(epoch):
    """Pause and train until ``epoch`` is complete: a click delivered twice still steps once."""
    session = st.session_state.session
    session.pause()
    session.message = None  # after a divergence too: on from the weights put back
    while session.trainer.current_epoch < epoch and not session.message:
        session.step_epoch()


@holding_session
def play_or_pause():
    """Play or Pause at once, before the page's run: a tick that runs first already sees it, so nothing trains
    after Pause. Clicking the chosen segment again would leave neither chosen; that means Pause."""
    state = st.session_state
    if state.run == "play":
        state.session.play()
    else:
        state.session.pause()


@holding_session
def reset():
    st.session_state.session.reset()


@shielded
def regenerate(seed):
    st.session_state.seed = (seed + 1) % (SEED_RANGE[1] + 1)  # from the seed shown: a repeated click is harmless


@holding_session
def pin_run():
    try:
        st.session_state.pins = pins.pin(st.session_state.pins, st.session_state.session)
    except ValueError as error:
        st.session_state.error = t("Not pinned: {reason}.", reason=error_text(error))


@shielded
def unpin_run(number):
    st.session_state.pins = pins.unpin(st.session_state.pins, number)


@holding_session
def upload_points():
    file = st.session_state.csv_upload
    if file is None:
        return
    try:
        points = load_points(file)
    except ValueError as error:
        st.session_state.error = t("That CSV was not loaded, and the current points stay: {reason}",
                                   reason=error_text(error))  # fmt: skip
        return
    st.session_state.session.use_uploaded(points)
    st.session_state.notice = t("Loaded {count} points in {classes} classes.", count=len(points[0]),
                                classes=points[1].shape[1])  # fmt: skip


@holding_session
def use_edited_points(frame):
    """Train on the table's points: checked as an uploaded CSV is, so a bad cell gets the same message."""
    try:
        points = load_points(io.BytesIO(frame.to_csv(index=False).encode()))
    except ValueError as error:
        st.session_state.error = t("Those points were not used, and the current ones stay: {reason}",
                                   reason=error_text(error))  # fmt: skip
        return
    st.session_state.session.use_uploaded(points)
    st.session_state.dataset = "upload"
    st.session_state.notice = t("Training on your {count} points in {classes} classes.", count=len(points[0]),
                                classes=points[1].shape[1])  # fmt: skip


@holding_session
def upload_weights():
    state = st.session_state
    state.pop("offered_weights", None)  # a new file: an older offer no longer stands
    file = state.weights_upload
    if file is None:
        return
    session = state.session
    try:
        model, settings = session.read_weights(file)
    except ValueError as error:
        state.weights_error = t("Those weights were not loaded, and the current model stays: {reason}",
                                reason=error_text(error))  # fmt: skip
        return
    state.offered_weights = (file.name, file.getvalue(), network_name(model))
    if settings == session.settings:  # the network on the page: nothing to ask
        use_offered_weights()


@holding_session
def use_offered_weights():
    """Switch to the offered file, read again now: the data or the input features may have changed since."""
    state = st.session_state
    name, data, _ = state.pop("offered_weights")
    try:
        model, settings = state.session.read_weights(io.BytesIO(data))
    except ValueError as error:
        state.weights_error = t("{name} no longer fits, and the current model stays: {reason}", name=name,
                                reason=error_text(error))  # fmt: skip
        return
    state.session.use_weights(model, settings)
    write_widgets(settings)
    state.notice = t("Loaded the weights of {name}; training continues from them.", name=name)


@shielded
def decline_offered_weights():
    st.session_state.pop("offered_weights", None)


def weights_feedback():
    """Under the weights uploader, where the user is looking: why a file was refused, or, for a file of another
    network than the page's, which one it is, switched to only if asked."""
    state = st.session_state
    if "weights_error" in state:
        alert("error", state.pop("weights_error"))
    if "offered_weights" not in state:
        return
    name, _, architecture = state.offered_weights
    alert("info", t("{name} holds a network of another shape, {architecture}. Switch to it? The current run is "
                    "replaced (pin it first to keep it).", name=name, architecture=architecture))  # fmt: skip
    switch, keep = st.columns([1, 1])
    switch.button(t("Switch to it"), key="use_offered_weights", on_click=use_offered_weights, width="stretch")
    keep.button(t("Keep the current network"), key="decline_offered_weights", on_click=decline_offered_weights,
                width="stretch")  # fmt: skip


def network_name(model):
    """A network as people name it: its layer sizes and each hidden layer's activation, as "2-6-4-3 (tanh)"."""
    config = model.config
    sizes = "-".join(map(str, [config["input_size"], *config["hidden_sizes"], config["output_size"]]))
    activations = list(dict.fromkeys(config["activation"]))  # each once, in order
    return f"{sizes} ({', '.join(activations)})" if activations else sizes


# --- the page ------------------------------------------------------------------------------------------------


def start_session():
    """On a tab's first run: the settings and the view from the link, its notices, and a session built from them."""
    settings, notices = from_query(st.query_params.to_dict())
    view, view_notices = view_from_query(st.query_params.to_dict())
    write_widgets(settings)
    write_view(view)
    st.session_state.session = Session(settings)
    st.session_state.link_notices = notices + view_notices


def write_view(view):
    st.session_state.speed = view.speed
    st.session_state.view = list(view.options)  # a tab's own list, never one shared by all tabs


def read_view():
    return View(st.session_state.speed, tuple(name for name in VIEW_OPTIONS if name in st.session_state.view))


def sidebar(session):
    """The settings, in the order a run is set up: the data, the network, its training; then the files."""
    with st.sidebar:
        data_section(session)
        network_section()
        training_section()
        export_and_import(session)


def data_section(session):
    """The data set, its size and split, the seed and the input features."""
    state = st.session_state
    st.header(t("Data"))
    st.selectbox(
        t("Data set"),
        list(DATASETS),
        format_func=labels_of(DATASETS),
        key="dataset",
        help=t("The book's spiral is the chapter's data: 300 points in 3 arms."),
    )
    if state.dataset == "upload":
        st.file_uploader(
            t("CSV with columns x1, x2, label"),
            type="csv",
            key="csv_upload",
            on_change=upload_points,
            help=t("A header row is optional; labels are whole numbers from 0."),
        )
    data_size_and_split(session)
    seed_column, button_column = st.columns([3, 2], vertical_alignment="bottom")
    seed_column.number_input(
        t("Seed"),
        *SEED_RANGE,
        key="seed",
        help=t("One seed fixes the data, the split, the initial weights and the shuffling."),
    )
    button_column.button(
        t("New data"),
        key="regenerate",
        on_click=regenerate,
        args=(state.seed,),
        width="stretch",
        help=t("Draw new data: the next seed."),
    )
    st.pills(
        t("Input features"),
        FEATURES,
        selection_mode="multi",
        key="features",
        help=t("What the first layer sees; x1² or x1·x2 make some shapes linear."),
    )


def data_size_and_split(session):
    """Classes, points, noise and the train/test split, in a popover named by what they make."""
    state = st.session_state
    fixed = state.dataset in ("book_spiral", "upload")
    disabled = {"classes": state.dataset not in MULTI_CLASS_DATASETS, "points": fixed, "noise": fixed}
    with st.popover(
        data_summary(read_widgets(session)),  # no help: its tooltip would cover the data set box above
        key="data_popover",
        width="stretch",
    ):
        for key, label, limits, step, description in DATA_SLIDERS:
            st.slider(t(label), *limits, key=key, step=step, disabled=disabled.get(key, False), help=t(description))


def network_section():
    """The hidden layers, their widths and activations, the weight init and regularization."""
    state = st.session_state
    st.header(t("Network"))
    st.slider(
        t("Hidden layers"), 0, MAX_HIDDEN_LAYERS, key="hidden_layers", help=t("0 is a linear softmax classifier.")
    )
    if state.hidden_layers:
        st.caption(t("Neurons in each hidden layer"))
    columns = st.columns(4)
    for index in range(state.hidden_layers):
        state.setdefault(f"width_{index}", NEW_LAYER_WIDTH)
        columns[index % 4].number_input(
            f"#{index + 1}",
            1,
            MAX_WIDTH,
            key=f"width_{index}",
            help=t("Neurons in hidden layer {layer}.", layer=index + 1),
        )
    st.selectbox(
        t("Activation"),
        list(ACTIVATION_NAMES),
        format_func=labels_of(ACTIVATION_NAMES),
        key="activation",
        disabled=state.get("per_layer", False),
        help=t("Sigmoid is the book's. Linear layers stack into one linear map."),
    )
    st.toggle(t("Activation per layer"), key="per_layer", help=t("Choose the activation of each hidden layer."))
    if state.per_layer:
        columns = st.columns(4)
        for index in range(state.hidden_layers):
            state.setdefault(f"act_{index}", state.activation)
            columns[index % 4].selectbox(
                t("Act. {layer}", layer=index + 1),
                list(ACTIVATION_NAMES),
                format_func=labels_of(ACTIVATION_NAMES),
                key=f"act_{index}",
                help=t("The activation of hidden layer {layer}.", layer=index + 1),
            )
    init_and_regularization()


def init_and_regularization():
    """The weight init and the regularization, in a popover named by what is chosen."""
    state = st.session_state
    regularization = (
        t("no regularization")
        if state.regularization == "none"
        else (f"{state.regularization} {_short(state.reg_rate)}")
    )
    with st.popover(f"{t(INITS[state.init]).split(' (')[0]} · {regularization}", key="init_popover",
                    width="stretch", help=t("Weight init and regularization.")):  # fmt: skip
        st.selectbox(
            t("Weight init"),
            list(INITS),
            format_func=labels_of(INITS),
            key="init",
            help=t("The spread of the initial weights; Xavier suits sigmoid and tanh, He suits ReLU."),
        )
        st.selectbox(
            t("Regularization"),
            REGULARIZATIONS,
            format_func=labels_of({"none": "none", "L1": "L1", "L2": "L2"}),
            key="regularization",
            help=t("L2 shrinks weights, L1 pushes them to zero."),
        )
        st.select_slider(
            t("Rate"),
            _options(REG_RATES, state.reg_rate),
            key="reg_rate",
            format_func=_short,
            disabled=state.regularization == "none",
            help=t("Strength of the penalty."),
        )


def training_section():
    """The optimizer, the learning rate and the batch size; the rest in two popovers."""
    state = st.session_state
    st.header(t("Training"))
    st.selectbox(
        t("Optimizer"),
        OPTIMIZERS,
        key="optimizer",
        help=t("Changing it keeps the weights and starts a fresh optimizer state."),
    )
    rate_and_batch()
    # popovers: closed, the browser does not render their widgets, and every widget on the page costs it
    # ~3 ms of each live update
    with st.popover(t("Optimizer settings"), key="optimizer_popover", width="stretch"):
        for key, label, limits, used_by, step, number_format, description in OPTIMIZER_SLIDERS:
            st.slider(t(label), *limits, key=key, step=step, format=number_format,
                      disabled=state.optimizer not in used_by, help=t(description))  # fmt: skip
    schedule_precision_stop()


@st.fragment
def rate_and_batch():
    """The learning rate and the batch size, the changes made most while playing, in a fragment: a change of
    theirs reruns these two widgets, not the page (whose rendering takes Streamlit's frontend a tenth of a
    second, with the view's frames waiting behind it), and the live socket shows it at once. Paused, the page
    runs, as it does for every other control."""
    state, session = st.session_state, st.session_state.session
    if apply_widgets(session) != "none":  # their own run: a page run has applied them already
        if not session.playing:
            st.rerun()
        write_link(session)
        state.live_feed.changed(wait=True)
    st.select_slider(
        t("Learning rate"),
        _options(LEARNING_RATES, state.learning_rate),
        key="learning_rate",
        format_func=_short,
        help=t("Log scale. Takes effect at once, even while playing."),
    )
    st.slider(
        t("Batch size"),
        1,
        max(training_points(session), 2),
        key="batch_size",
        help=t("Points per step; the book uses 30. Takes effect at once."),
    )


def schedule_precision_stop():
    """The rate schedule, the precision and the stop targets, in a popover."""
    state = st.session_state
    with st.popover(t("Schedule, precision, stop"), key="more_popover", width="stretch"):
        st.selectbox(
            t("Rate schedule"),
            list(SCHEDULES),
            format_func=labels_of(SCHEDULES),
            key="schedule",
            help=t("Lower the learning rate as training goes on: big steps early, fine ones later."),
        )
        st.number_input(
            t("N epochs"),
            *SCHEDULE_EPOCHS_RANGE,
            key="schedule_epochs",
            disabled=state.schedule == "constant",
            help=t("Step: the rate halves every N epochs. Cosine: it falls to 0 over N epochs."),
        )
        st.selectbox(
            t("Precision"),
            available_precisions(),
            format_func=labels_of(PRECISIONS),
            key="precision",
            help=t(
                "float32 trains faster on a CPU; the run restarts from the seed in the new precision. "
                "Compare both under Look inside."
            ),
        )
        st.number_input(
            t("Stop at epoch"),
            *STOP_EPOCH_RANGE,
            key="stop_epoch",
            help=t("Pause when training reaches this epoch; 0: never. Play goes on past it."),
        )
        st.number_input(
            t("Stop at loss"),
            *STOP_LOSS_RANGE,
            step=0.01,
            key="stop_loss",
            help=t("Pause when the training loss falls to this; 0: never."),
        )


def export_and_import(session):
    """Every download in a row or two, then the weights upload and what became of it, then the notebook lines: the
    uploader stays within the first screen even at 800 pixels."""
    half_fits = fits_float16(session.model)
    half = half_fits and st.session_state.get("weights_float16", False)  # the switch below the downloads
    with st.popover(
        t("Export and import"),
        key="export_popover",
        width="stretch",
        help=t("Weights, history, settings, a Python script."),
    ):
        with st.container(horizontal=True, gap="small"):
            for kind, extension, build, label, description in (
                ("weights", "npz", lambda: export.weights_bytes(session.model, "float16" if half else None),
                 "Weights (.npz)", "The weights at the moment you click, in nnlib's .npz format."),
                ("history", "csv", lambda: export.history_csv(session.history), "History (.csv)",
                 "Loss and accuracy per epoch."),
                ("settings", "json", lambda: export.settings_json(session.settings), "Settings (.json)",
                 "Every setting of this page."),
                ("data", "csv", lambda: export.points_csv(session.data.points, session.data.labels), "Data (.csv)",
                 "Every point (training and test) as x1, x2, label: the CSV upload reads it back."),
            ):  # fmt: skip
                # data is a callable: the file is built at the click, so it holds the model of that moment
                name = f"{kind}_float16" if kind == "weights" and half else kind
                st.download_button(t(label), holding_lock(session, build), f"{name}.{extension}",
                                   key=f"download_{kind}", on_click="ignore",
                                   help=t(description))  # fmt: skip
            if not session.no_script:
                st.download_button(t("Python script (.py)"),
                                   holding_lock(session, lambda: export.python_script(session).encode()),
                                   "playground_run.py", key="download_python", on_click="ignore",
                                   help=t("A script using nnlib that repeats this run step for step and prints "
                                   "its final loss."))  # fmt: skip
        if session.no_script:
            st.caption(t(session.no_script))
        st.toggle(t("Weights in float16: half the size"), key="weights_float16", disabled=not half_fits,
                  help=t("The same weights in half the space, as the book keeps them (1.5.1): each rounded to "
                         "float16, read back in the model's own precision."))  # fmt: skip
        if not half_fits:
            st.caption(t("These weights are beyond float16's range (±65,504): the float16 file is not offered."))
        st.file_uploader(
            t("Continue from weights (.npz)"),
            type="npz",
            key="weights_upload",
            on_change=upload_weights,
            help=t("A file downloaded here; the page switches to its architecture."),
        )
        weights_feedback()
        st.caption(t("The weights in a notebook:"))
        st.code(export.notebook_snippet("weights.npz", session.settings.features), language="python")


def run_controls(session):
    """Play or Pause, Step, Reset and the speed, above the charts and kept in view when the page scrolls: where
    TensorFlow Playground has them, the first thing a newcomer looks for."""
    with st.container(key="run_bar", horizontal=True, vertical_alignment="bottom", gap="small"):
        # a value, not a button: a button's click can reach the server twice (in a tick's rerun and in the
        # page's), and the second would undo the first; a chosen value stays chosen however often it arrives
        st.segmented_control(
            t("Run"),
            ("play", "pause"),
            format_func=labels_of(RUN_LABELS),
            key="run",
            on_change=play_or_pause,
            label_visibility="collapsed",
            help=t("Train continuously; every change applies to the running training."),
        )
        st.button(
            t("Step"),
            key="step",
            on_click=step_to,
            args=(session.trainer.current_epoch + 1,),
            icon=":material/skip_next:",
            help=t("Train one epoch, then pause."),
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


def available_precisions():
    return [name for name in PRECISIONS if name != "cupy" or gpu_available()]


def shows(option):
    """Whether the view option (one of VIEW_OPTIONS) is chosen."""
    return option in st.session_state.view


def data_summary(settings):
    """The data popover's label: its settings at a glance, so it need not be opened to read them."""
    if settings.dataset == "upload":
        return t("Your points · {percent} % train", percent=settings.train_percent)
    classes, points = classes_and_points(settings)
    if settings.dataset == "book_spiral":  # its noise is the book's, not a setting
        return t("{classes} classes · {points} each · {percent} % train", classes=classes, points=points,
                 percent=settings.train_percent)  # fmt: skip
    return t("{classes} × {points} · noise {noise:.2f} · {percent} % train", classes=classes, points=points,
             noise=settings.noise, percent=settings.train_percent)  # fmt: skip


def training_points(session):
    """How many points the training split will hold with the data widgets as they are now."""
    state = st.session_state
    if state.dataset == "upload" and session.uploaded is not None:
        return max(1, round(len(session.uploaded[0]) * state.train_percent / 100))
    return train_size(read_widgets(session))


def _options(values, current):
    """The slider's stops, plus the current value if a link set one between them."""
    return sorted({*values, current})


def _short(value):
    return f"{value:g}"


@holding_session
def add_point(x1, x2):
    """A click on the paused regions: add a point of the chosen class there, or, with no class chosen, say how to
    choose one (a click that does nothing at all would say nothing)."""
    state = st.session_state
    if state.get("add_class") is None:
        st.toast(t("To add a point where you click, choose its class first, under “Your data” below the charts."),
                 icon=":material/ads_click:")  # fmt: skip
        return
    data = state.session.data
    point = (x1, x2)
    state.session.use_uploaded(with_point(data.points, data.labels, point, state.add_class))
    state.dataset = "upload"
    state.notice = t(
        "Added a point of class {label} at ({x1:.2f}, {x2:.2f}): {count} points, trained afresh.",
        label=state.add_class,
        x1=point[0],
        x2=point[1],
        count=len(state.session.uploaded[0]),
    )


@holding_session
def choose_neuron(layer, index):
    """A click on a hidden neuron of the diagram: show it large, and in the picker below."""
    st.session_state.chosen_neuron = st.session_state.neuron = (layer, index)


def chosen_neuron(session):
    """The hidden neuron shown large, as (layer, index), kept valid for the current network; None without one.

    Kept under a key of its own: Streamlit drops the picker's state whenever the network view is off."""
    state = st.session_state
    neurons = dict(network.hidden_neurons(session.model.config["hidden_sizes"]))
    if not neurons:
        return None
    state.chosen_neuron = state.get("neuron", state.get("chosen_neuron"))
    if state.chosen_neuron not in neurons:
        state.chosen_neuron = next(iter(neurons))
    state.neuron = state.chosen_neuron
    return state.chosen_neuron


def neuron_picker(session):
    """Below the live view, outside the ticking fragment: a widget there would be redrawn on every tick."""
    neurons = dict(network.hidden_neurons(session.model.config["hidden_sizes"], lang()))
    legend, picker = st.columns(NETWORK_COLUMNS, vertical_alignment="center")
    legend.caption(t("Links: blue positive, orange negative weights, thicker when larger. Each neuron's picture: "
                     "its output over the input plane, blue high, orange low."))  # fmt: skip
    if chosen_neuron(session) is None:
        picker.caption(t("A linear model has no hidden neurons: its regions are cut by straight lines."))
    else:
        picker.selectbox(t("Neuron shown large"), list(neurons), format_func=neurons.get, key="neuron",
                         help=t("Its output over the input plane, with values."))  # fmt: skip


def edit_points(session):
    """The points as a table to change, extend or cut down, then train on: your own data, or a variation."""
    with st.expander(t("Your data: click to add points, or edit them in a table")):
        classes = session.data.classes
        st.pills(
            t("Click the regions chart to add a point of class"),
            list(range(min(classes + 1, MAX_CLASSES))),
            format_func=labels_of({classes: Message("{label} (new)", label=classes)}, default=str),
            key="add_class",
            help=t("Each click adds a point where it falls and trains afresh on the points: they become your data "
                   "set. Choose the class again to stop adding."),
        )  # fmt: skip
        frame = export.points_frame(session.data.points, session.data.labels)
        if len(frame) > MAX_EDITED_POINTS:  # a table of 100,000 rows took the browser 16 s to show
            st.caption(t("The first {shown:,} of {count:,} points. To change them, download them as CSV under Export "
                         "and import, edit the file and upload it.", shown=SAMPLE_POINTS,
                         count=len(frame)))  # fmt: skip
            st.dataframe(frame.head(SAMPLE_POINTS), height=300)
            return
        st.caption(t("Or change a cell, add a row at the bottom, or select rows and delete them; labels are whole "
                     "numbers from 0. Then train on the table: it becomes the uploaded data set."))  # fmt: skip
        edited = st.data_editor(
            frame,
            num_rows="dynamic",
            key="points_editor",
            height=300,
            column_config={"label": st.column_config.NumberColumn("label", min_value=0, max_value=9, step=1)},
        )
        st.button(t("Train on these points"), key="use_points", on_click=use_edited_points, args=(edited,),
                  help=t("Fresh weights from the seed, on the points in the table."))  # fmt: skip


def confusion_table(counts):
    """Rows named by the true class, columns by the bare predicted one: narrow enough for six classes side by side
    at 1280 pixels (the caption above says which is which)."""
    classes = range(len(counts))
    return pd.DataFrame(counts, index=[t("true class {label}", label=label) for label in classes],
                        columns=[str(label) for label in classes])  # fmt: skip


def look_inside(session):
    """Confusion matrices, a gradient check and the speed of each precision, shown while paused (while playing
    they would slow every tick)."""
    with st.expander(t("Look inside: confusion matrices, gradient check, precision")):
        st.caption(t("Confusion matrices: a row for each true class, a column for each class predicted; the diagonal "
                     "counts the points classified right."))  # fmt: skip
        train, test = st.columns(2)
        train.markdown(t("**Training points**"))
        train.dataframe(confusion_table(session.confusion_matrix("train")))
        test.markdown(t("**Test points**"))
        test.dataframe(confusion_table(session.confusion_matrix("test")))
        gradients, precision = st.columns(2)
        gradients.markdown(t("**Gradient check**"))
        if gradients.button(t("Compare with numerical gradients"), key="gradient_check",
                            help=t("Backpropagation against central differences on 20 training points.")):  # fmt: skip
            errors = session.gradient_check()
            verdicts = [t("agrees") if error < 1e-5 else t("check") for error in errors.values()]
            worst = [f"{error:.1e}" for error in errors.values()]
            table = pd.DataFrame({t("worst relative error"): worst, t("verdict"): verdicts}, index=list(errors))
            gradients.dataframe(table)
        precision.markdown(t("**Precision**"))
        timing = t("Trains a copy of this network in each for 0.2 s; the run is untouched.")
        if precision.button(t("Time each precision"), key="precision_speeds", help=timing):
            speeds = session.precision_speeds(available_precisions())
            precision.dataframe(
                pd.DataFrame(
                    {t("steps/s"): [f"{speed:,.0f}" for speed in speeds.values()]},
                    index=[t(PRECISIONS[name]) for name in speeds],
                )
            )


def pinned_runs(pinned):
    """The pinned runs' curves on one chart, their final metrics, and each one's weights to download."""
    names = pins.labels(pinned, lang())
    st.markdown(t("#### Pinned runs ({count} of {limit})", count=len(pinned), limit=pins.MAX_PINNED))
    st.plotly_chart(compare_curves(pinned, names, shows("log_loss"), lang()), key="compare")
    st.dataframe(
        pins.metrics_table(pinned, lang()),
        column_config={
            "_index": st.column_config.TextColumn(width="large"),  # the run's name, whole
            **{t(name): st.column_config.NumberColumn(format="%.4f") for name in ("train loss", "test loss")},
            **{
                t(name): st.column_config.NumberColumn(format="percent") for name in ("train accuracy", "test accuracy")
            },
        },
    )
    for run in pinned:
        label, download, remove = st.columns([4, 1.2, 0.8], vertical_alignment="center")
        label.markdown(names[run.number])
        download.download_button(
            t("Weights (.npz)"),
            run.weights,
            f"run-{run.number}.npz",
            key=f"pin_download_{run.number}",
            on_click="ignore",
            help=t("This run's weights as they were when pinned."),
        )
        remove.button(t("Unpin"), key=f"unpin_{run.number}", on_click=unpin_run, args=(run.number,))


def live_view(session):
    """The live component. A page run sends what the session shows now (the setup, a frame with every history
    row) and its tab's ``LiveFeed`` token; while playing, the feed's own socket sends the frames (live/socket.py),
    so the picture moves without a Streamlit run."""
    state = st.session_state
    if state.get("live_feed") is None or state.live_feed.session is not session:
        state.live_feed = LiveFeed(session)
    feed = state.live_feed
    chosen = chosen_neuron(session) if shows("show_network") else None
    with holding(session):
        data = feed.page_data(state.shown.options, chosen, lang(), state.speed)
    live.mount(data | {"socket": f"{SOCKET_PATH}?token={feed.token}"}, on_add=add_point, on_neuron=choose_neuron)


@shielded
def playground_page():
    draw_playground()


def draw_playground():
    st.html(STYLE)
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
        with holding(session):
            look_inside(session)
            edit_points(session)
    if st.session_state.pins:
        if session.playing:  # drawn while paused only: every element on the page slows a page run
            st.caption(t("{count} pinned run(s): pause to compare them.", count=len(st.session_state.pins)))
        else:
            pinned_runs(st.session_state.pins)


def page_session():
    """The tab's session, the widgets' settings applied to it, and the link saying them: what the rest of
    the page shows."""
    if "session" not in st.session_state:
        # a new tab: free the closed tabs Streamlit has dropped, whose sessions sit in reference cycles and would
        # otherwise wait for a full collection that postScriptGC = false no longer makes (~40 ms, once a tab)
        gc.collect()
        start_session()
    elif any(field not in st.session_state for field in SIMPLE_FIELDS):
        # back from the lab page: Streamlit dropped the state of the widgets it did not draw there
        write_widgets(st.session_state.session.settings)
    if "speed" not in st.session_state or "view" not in st.session_state:  # the same: the view last shown
        write_view(st.session_state.shown)
    st.session_state.setdefault("pins", [])
    session = st.session_state.session
    # the control shows what the session does: Play and Pause change it in their callback, and it pauses by
    # itself at a target or a divergence
    st.session_state.run = "play" if session.playing else "pause"
    st.session_state.batch_size = min(st.session_state.batch_size, training_points(session))
    apply_widgets(session)
    st.session_state.shown = read_view()
    write_link(session)
    return session


def apply_widgets(session):
    """The widgets' settings applied to the session (``Session.apply``'s kind of change). The lock only where
    the page reads or changes the model: the live socket trains on meanwhile, so a change shows in its next
    frame and the picture moves while the page draws."""
    with holding(session):
        return session.apply(read_widgets(session))


def write_link(session):
    """The page's link saying its settings, its view and its language."""
    query = to_query(session.settings, st.session_state.shown) | language_query()
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)


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
    if not st.session_state.features:
        alert("warning", t("Choose at least one input feature; the network keeps its current ones until then."))
    if st.session_state.dataset == "upload" and session.uploaded is None:
        alert("info", t("Upload a CSV with columns x1, x2, label to train on your own points; the current points "
                        "stay until then."))  # fmt: skip


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
        help=t("Test points: hollow circles the model never trains on. Hard regions: the predicted class without "
               "shading. Network: its links and each neuron's map, below the charts."),
    )  # fmt: skip
    pin_column.button(
        t(":material/push_pin: Pin this run"),
        key="pin",
        on_click=pin_run,
        width="stretch",
        help=t("Keep this run's settings, curves and weights to compare with the next (up to {limit}).",
               limit=pins.MAX_PINNED),
    )  # fmt: skip
