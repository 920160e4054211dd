"""The sidebar: the settings in the order a run is set up (the data, the network, its training), then the
files. Each section a short function that draws its widgets."""

import json

import streamlit as st

from nnlib.io import fits_float16
from playground import export
from playground.i18n import DEFAULT_LANGUAGE
from playground.settings import (
    ACTIVATION_NAMES,
    BETA_RANGE,
    CLASS_RANGE,
    DATASETS,
    DROPOUT_RATES,
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
    REGRESSION_DATASETS,
    REGULARIZATIONS,
    SCHEDULE_EPOCHS_RANGE,
    SCHEDULES,
    SEED_RANGE,
    STOP_EPOCH_RANGE,
    STOP_LOSS_RANGE,
    TRAIN_PERCENT_RANGE,
    classes_and_points,
    gpu_available,
)
from playground.ui.callbacks import (
    chose_data,
    decline_offered_weights,
    rate_or_batch_changed,
    regenerate,
    upload_points,
    upload_weights,
    use_offered_weights,
)
from playground.ui.class_link import class_link_button
from playground.ui.tab import (
    NEW_LAYER_WIDTH,
    fixed,
    hides,
    holding_lock,
    locks,
    read_widgets,
    tab_access,
    training_points,
)
from playground.ui.text import alert, labels_of, lang, t

# a text of Streamlit's hidden (from screen readers too), and ours shown where it was, in its size
OUR_WORDS = (
    "{theirs} {{ font-size: 0; visibility: hidden; }} "
    "{ours}::after {{ content: {words}; font-size: 14px; visibility: visible; }} "
)
DATA_SLIDERS = (  # setting, its control's name, label, range, step, help
    ("classes", "classes", "Classes", CLASS_RANGE, 1, "Spiral arms, rings or clusters."),
    (
        "points",
        "points",
        "Points per class",
        POINTS_RANGE,
        1,
        "How many points each class has; a regression's, how many in all.",
    ),
    (
        "noise",
        "noise",
        "Noise",
        NOISE_RANGE,
        0.01,
        "Spiral: jitter of the angle. A regression: noise on the values. Others: jitter of the coordinates.",
    ),
    (
        "train_percent",
        "train",
        "Training data (%)",
        TRAIN_PERCENT_RANGE,
        5,
        "The rest is test data: the model never trains on it.",
    ),
)
DATA_SLIDER_CONTROLS = tuple(control for _, control, *_ in DATA_SLIDERS)
OPTIMIZER_SLIDERS = (  # setting, its control's name, label, range, optimizers that use it, step, format, help
    (
        "momentum",
        "momentum",
        "Momentum",
        MOMENTUM_RANGE,
        ("Momentum", "Nesterov"),
        0.01,
        "%.2f",
        "Momentum and Nesterov: how much of the last step carries on.",
    ),
    (
        "decay_rate",
        "decay",
        "Decay rate",
        MOMENTUM_RANGE,
        ("RMSprop",),
        0.001,
        "%.3f",
        "RMSprop: how fast old squared gradients are forgotten.",
    ),
    ("beta1", "beta1", "β1", BETA_RANGE, ("Adam",), 0.001, "%.3f", "Adam: decay of the mean gradient."),
    ("beta2", "beta2", "β2", BETA_RANGE, ("Adam",), 0.0001, "%.4f", "Adam: decay of the mean squared gradient."),
)

OPTIMIZER_SLIDER_CONTROLS = tuple(control for _, control, *_ in OPTIMIZER_SLIDERS)


def weights_feedback():
    """Under the weights uploader, where the user is looking: why a file was refused, or, for a file of another
    network than the page's, which one it is, switched to only if asked."""
    state = st.session_state
    if "weights_error" in state:
        alert("error", state.pop("weights_error"))
    if "offered_weights" not in state:
        return
    name, _, architecture = state.offered_weights
    alert(
        "info",
        t(
            "{name} holds a network of another shape, {architecture}. Switch to it? The current run is "
            "replaced (pin it first to keep it).",
            name=name,
            architecture=architecture,
        ),
    )
    switch, keep = st.columns([1, 1])
    switch.button(t("Switch to it"), key="use_offered_weights", on_click=use_offered_weights, width="stretch")
    keep.button(
        t("Keep the current network"), key="decline_offered_weights", on_click=decline_offered_weights, width="stretch"
    )


REFUSAL_TIP = "[data-testid='stTooltipErrorContent']"  # only a refused file's chip has such a tip


def uploader_words():
    """Streamlit's file uploaders say "Upload" and "5MB per file" in English whatever the page's language, and
    offer no way to change their words: in another language, CSS hides theirs and shows ours in their place. A
    file the browser refuses (its type, or its size) gets one sentence for both, in the tip on its chip and in what
    a screen reader hears of it: CSS cannot tell which of Streamlit's two it replaces."""
    limit = st.get_option("server.maxUploadSize")
    button = "[data-testid='stFileUploaderDropzone'] button"
    instructions = "[data-testid='stFileUploaderDropzoneInstructions'] > div"
    refused = t("Not taken: a file of another type, or larger than {mb} MB.", mb=limit)
    rules = (  # theirs, where ours goes (the button's own box: ours is then its accessible name), ours
        (f"{button} [data-testid='stMarkdownContainer']", f"{button} span[data-has-shortcut]", t("Upload")),
        (f"{instructions} > span", f".st-key-csv_upload {instructions}", t("Up to {mb} MB · CSV", mb=limit)),
        (f"{instructions} > span", f".st-key-weights_upload {instructions}", t("Up to {mb} MB · NPZ", mb=limit)),
        ("[data-testid='stFileChip'] [role='alert']",) * 2 + (refused,),  # what a screen reader hears of the chip
    )
    css = "".join(
        OUR_WORDS.format(theirs=theirs, ours=ours, words=json.dumps(words, ensure_ascii=False))
        for theirs, ours, words in rules
    )
    # the tip on the chip keeps its box, which only its text sizes: theirs takes no room, ours comes after it
    words = json.dumps(refused, ensure_ascii=False)
    css += f"{REFUSAL_TIP} {{ font-size: 0; }} {REFUSAL_TIP}::after {{ content: {words}; font-size: 14px; }}"
    st.html(f"<style>{css}</style>")


DATA_CONTROLS = ("data", "classes", "points", "noise", "train", "seed", "features")
NETWORK_CONTROLS = ("hidden", "activation", "acts", "init", "reg", "reg_rate", "dropout")
TRAINING_CONTROLS = ("optimizer", "lr", "batch", "momentum", "decay", "beta1", "beta2", "schedule", "sched_epochs")
TRAINING_CONTROLS += ("precision", "stop_epoch", "stop_loss")


def sidebar(session):
    """The settings, in the order a run is set up: the data, the network, its training; then the files. A section
    whose every control the link hides is left out, its header too."""
    if lang() != DEFAULT_LANGUAGE:
        uploader_words()
    with st.sidebar:
        link_fixes(tab_access())
        for controls, section in (
            (DATA_CONTROLS, lambda: data_section(session)),
            (NETWORK_CONTROLS, network_section),
            (TRAINING_CONTROLS, training_section),
            (("export", "upload"), lambda: export_and_import(session)),
        ):
            if any_shown(controls):
                section()
        if not hides("teacher"):
            class_link_button()


def link_fixes(access):
    """A word, where the link locks or hides controls, so that a greyed or a missing one is not a puzzle."""
    if access.locked and access.hidden:
        st.caption(t("This link locks some controls (greyed) and hides others; they keep the link's values."))
    elif access.locked:
        st.caption(t("This link locks some controls (greyed); they keep the link's values."))
    elif access.hidden:
        st.caption(t("This link hides some controls; they keep the link's values."))


def any_shown(controls):
    return not all(map(hides, controls))


def data_section(session):
    """The data set, its size and split, the seed and the input features."""
    state = st.session_state
    st.header(t("Data"))
    if not hides("data"):
        st.selectbox(
            t("Data set"),
            [name for name in DATASETS if name != "upload" or not hides("upload") or state.dataset == name],
            format_func=labels_of(DATASETS),
            key="dataset",
            on_change=chose_data,
            disabled=locks("data"),
            help=t("The book's spiral is the chapter's data: 300 points in 3 arms."),
        )
    if state.dataset == "upload" and not (fixed("upload") or locks("data")):
        st.file_uploader(
            t("CSV with columns x1, x2, label"),
            type="csv",
            key="csv_upload",
            on_change=upload_points,
            help=t("A header row is optional; labels are whole numbers from 0."),
        )
    if any_shown(DATA_SLIDER_CONTROLS):
        data_size_and_split(session)
    if not hides("seed"):
        seed_and_new_data()
    if not hides("features"):
        st.pills(
            t("Input features"),
            FEATURES,
            selection_mode="multi",
            key="features",
            disabled=locks("features"),
            help=t("What the first layer sees; x1² or x1·x2 make some shapes linear."),
        )


def seed_and_new_data():
    """The seed, and a button for the next one: locked, neither changes."""
    seed_column, button_column = st.columns([3, 2], vertical_alignment="bottom")
    seed_column.number_input(
        t("Seed"),
        *SEED_RANGE,
        key="seed",
        disabled=locks("seed"),
        help=t("One seed fixes the data, the split, the initial weights and the shuffling."),
    )
    button_column.button(
        t("New data"),
        key="regenerate",
        on_click=regenerate,
        args=(st.session_state.seed,),
        width="stretch",
        disabled=locks("seed"),
        help=t("Draw new data: the next seed."),
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
        for key, control, label, limits, step, description in DATA_SLIDERS:
            if not hides(control):
                st.slider(
                    t("Points" if key == "points" and state.dataset in REGRESSION_DATASETS else label),
                    *limits,
                    key=key,
                    step=step,
                    disabled=disabled.get(key, False) or locks(control),
                    help=t(description),
                )


def network_section():
    """The hidden layers, their widths and activations, the weight init and regularization."""
    state = st.session_state
    st.header(t("Network"))
    if not hides("hidden"):
        hidden_layers()
    if not hides("activation"):
        st.selectbox(
            t("Activation"),
            list(ACTIVATION_NAMES),
            format_func=labels_of(ACTIVATION_NAMES),
            key="activation",
            disabled=state.get("per_layer", False) or locks("activation"),
            help=t(
                "Sigmoid is the book's. Linear layers stack into one linear map. Softmax, whose outputs sum to 1, "
                "is the output's, not a hidden layer's: try it to see why."
            ),
        )
    if not hides("acts"):
        activation_per_layer()
    if any_shown(("init", "reg", "reg_rate")):
        init_and_regularization()
    if not hides("dropout") and state.hidden_layers:
        dropout_per_layer()


def hidden_layers():
    """How many hidden layers, and a width for each."""
    state = st.session_state
    st.slider(
        t("Hidden layers"),
        0,
        MAX_HIDDEN_LAYERS,
        key="hidden_layers",
        disabled=locks("hidden"),
        help=t("0 is a linear softmax classifier."),
    )
    if state.hidden_layers:
        st.caption(t("Neurons in each hidden layer"))
    with st.container(key="widths"):  # a row each, wide enough for its − and + (44 px each, for a finger)
        for index in range(state.hidden_layers):
            state.setdefault(f"width_{index}", NEW_LAYER_WIDTH)
            st.number_input(
                t("Layer {layer}", layer=index + 1),
                1,
                MAX_WIDTH,
                key=f"width_{index}",
                disabled=locks("hidden"),
                help=t("Neurons in hidden layer {layer}.", layer=index + 1),
            )


def activation_per_layer():
    """The switch to an activation per hidden layer, and then each layer's."""
    state = st.session_state
    st.toggle(
        t("Activation per layer"),
        key="per_layer",
        disabled=locks("acts"),
        help=t("Choose the activation of each hidden layer."),
    )
    if state.per_layer:
        columns = st.columns(4)
        for index in range(state.hidden_layers):
            state.setdefault(f"act_{index}", state.activation)
            columns[index % 4].selectbox(
                t("Act. {layer}", layer=index + 1),
                list(ACTIVATION_NAMES),
                format_func=labels_of(ACTIVATION_NAMES),
                key=f"act_{index}",
                disabled=locks("acts"),
                help=t("The activation of hidden layer {layer}.", layer=index + 1),
            )


def init_and_regularization():
    """The weight init and the regularization, in a popover named by what is chosen."""
    state = st.session_state
    regularization = (
        t("no regularization")
        if state.regularization == "none"
        else (f"{state.regularization} {_short(state.reg_rate)}")
    )
    with st.popover(
        f"{t(INITS[state.init]).split(' (')[0]} · {regularization}",
        key="init_popover",
        width="stretch",
        help=t("Weight init and regularization."),
    ):
        if not hides("init"):
            st.selectbox(
                t("Weight init"),
                list(INITS),
                format_func=labels_of(INITS),
                key="init",
                disabled=locks("init"),
                help=t("The spread of the initial weights; Xavier suits sigmoid and tanh, He suits ReLU."),
            )
            if state.init == "zero":
                st.caption(
                    t(
                        "Zero: every neuron of a hidden layer computes the same output, gets the same gradient and "
                        "so stays the same as the others: the layer learns as one neuron would. Random initial "
                        "weights break this symmetry."
                    )
                )
        if not hides("reg"):
            st.selectbox(
                t("Regularization"),
                REGULARIZATIONS,
                format_func=labels_of({"none": "none", "L1": "L1", "L2": "L2"}),
                key="regularization",
                disabled=locks("reg"),
                help=t("L2 shrinks weights, L1 pushes them to zero."),
            )
        if not hides("reg_rate"):
            st.select_slider(
                t("Rate"),
                _options(REG_RATES, state.reg_rate),
                key="reg_rate",
                format_func=_short,
                disabled=state.regularization == "none" or locks("reg_rate"),
                help=t("Strength of the penalty."),
            )


def dropout_per_layer():
    """A dropout rate for each hidden layer (the book's Dropout after its activation), four to a row, in a popover
    named by the rates."""
    state = st.session_state
    for index in range(state.hidden_layers):
        state.setdefault(f"dropout_{index}", 0.0)
    rates = [state[f"dropout_{index}"] for index in range(state.hidden_layers)]
    with st.popover(
        t("Dropout {rates}", rates=" · ".join(map(_short, rates))) if any(rates) else t("No dropout"),
        key="dropout_popover",
        width="stretch",
        help=t("Dropout per hidden layer."),
    ):
        st.caption(
            t(
                "The share of a hidden layer's outputs that each training step drops at random. The regions, the "
                "losses and the accuracies are the network's without dropout, as a prediction is."
            )
        )
        columns = st.columns(4)
        for index in range(state.hidden_layers):
            columns[index % 4].selectbox(
                t("Drop. {layer}", layer=index + 1),
                _options(DROPOUT_RATES, state[f"dropout_{index}"]),
                format_func=_short,
                key=f"dropout_{index}",
                disabled=locks("dropout"),
                help=t("The dropout rate of hidden layer {layer}; 0: none.", layer=index + 1),
            )


def training_section():
    """The optimizer, the learning rate and the batch size; the rest in two popovers."""
    state = st.session_state
    st.header(t("Training"))
    if not hides("optimizer"):
        st.selectbox(
            t("Optimizer"),
            OPTIMIZERS,
            key="optimizer",
            disabled=locks("optimizer"),
            help=t("Changing it keeps the weights and starts a fresh optimizer state."),
        )
    if any_shown(("lr", "batch")):
        rate_and_batch()
    # popovers: closed, the browser does not render their widgets, and every widget on the page costs it
    # ~3 ms of each live update
    if any_shown(OPTIMIZER_SLIDER_CONTROLS):
        with st.popover(t("Optimizer settings"), key="optimizer_popover", width="stretch"):
            for key, control, label, limits, used_by, step, number_format, description in OPTIMIZER_SLIDERS:
                if not hides(control):
                    st.slider(
                        t(label),
                        *limits,
                        key=key,
                        step=step,
                        format=number_format,
                        disabled=state.optimizer not in used_by or locks(control),
                        help=t(description),
                    )
    if any_shown(("schedule", "sched_epochs", "precision", "stop_epoch", "stop_loss")):
        schedule_precision_stop()


@st.fragment
def rate_and_batch():
    """The learning rate and the batch size, the changes made most while playing, in a fragment: a change of
    theirs reruns these two widgets, not the page (whose rendering takes Streamlit's frontend a tenth of a
    second, with the view's frames waiting behind it), and the live socket shows it at once
    (``rate_or_batch_changed``)."""
    state, session = st.session_state, st.session_state.session
    if not hides("lr"):
        st.select_slider(
            t("Learning rate"),
            _options(LEARNING_RATES, state.learning_rate),
            key="learning_rate",
            format_func=_short,
            on_change=rate_or_batch_changed,
            disabled=locks("lr"),
            help=t("Log scale. Takes effect at once, even while playing."),
        )
    if not hides("batch"):
        st.slider(
            t("Batch size"),
            1,
            max(training_points(session), 2),
            key="batch_size",
            on_change=rate_or_batch_changed,
            disabled=locks("batch"),
            help=t("Points per step; the book uses 30. Takes effect at once."),
        )


def schedule_precision_stop():
    """The rate schedule, the precision and the stop targets, in a popover."""
    state = st.session_state
    with st.popover(t("Schedule, precision, stop"), key="more_popover", width="stretch"):
        if not hides("schedule"):
            st.selectbox(
                t("Rate schedule"),
                list(SCHEDULES),
                format_func=labels_of(SCHEDULES),
                key="schedule",
                disabled=locks("schedule"),
                help=t("Lower the learning rate as training goes on: big steps early, fine ones later."),
            )
        if not hides("sched_epochs"):
            st.number_input(
                t("N epochs"),
                *SCHEDULE_EPOCHS_RANGE,
                key="schedule_epochs",
                disabled=state.schedule == "constant" or locks("sched_epochs"),
                help=t("Step: the rate halves every N epochs. Cosine: it falls to 0 over N epochs."),
            )
        if not hides("precision"):
            st.selectbox(
                t("Precision"),
                available_precisions(),
                format_func=labels_of(PRECISIONS),
                key="precision",
                disabled=locks("precision"),
                help=t(
                    "float32 trains faster on a CPU; the run restarts from the seed in the new precision. "
                    "Compare both under Look inside."
                ),
            )
        if not hides("stop_epoch"):
            st.number_input(
                t("Stop at epoch"),
                *STOP_EPOCH_RANGE,
                key="stop_epoch",
                disabled=locks("stop_epoch"),
                help=t("Pause when training reaches this epoch; 0: never. Play goes on past it."),
            )
        if not hides("stop_loss"):
            st.number_input(
                t("Stop at loss"),
                *STOP_LOSS_RANGE,
                step=0.01,
                key="stop_loss",
                disabled=locks("stop_loss"),
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
        if not hides("export"):
            downloads(session, half, disabled=locks("export"))
        if not hides("upload"):
            weights_in(session, half_fits, disabled=locks("upload"))


def downloads(session, half, disabled):
    """A button for each file, in a row; the Python script's unless no script can repeat this run."""
    with st.container(horizontal=True, gap="small"):
        for kind, extension, build, label, description in (
            (
                "weights",
                "npz",
                lambda: export.weights_bytes(session.model, "float16" if half else None, session.trained()),
                "Weights (.npz)",
                "The weights at the moment you click, in nnlib's .npz format.",
            ),
            (
                "history",
                "csv",
                lambda: export.history_csv(session.history),
                "History (.csv)",
                "Loss and accuracy per epoch.",
            ),
            (
                "settings",
                "json",
                lambda: export.settings_json(session.settings),
                "Settings (.json)",
                "Every setting of this page.",
            ),
            (
                "data",
                "csv",
                lambda: export.points_csv(session.data.points, session.data.labels, session.settings.regression),
                "Data (.csv)",
                "Every point (training and test) as x1, x2, label: the CSV upload reads it back.",
            ),
        ):
            # data is a callable: the file is built at the click, so it holds the model of that moment
            name = f"{kind}_float16" if kind == "weights" and half else kind
            st.download_button(
                t(label),
                holding_lock(session, build),
                f"{name}.{extension}",
                key=f"download_{kind}",
                on_click="ignore",
                disabled=disabled,
                help=t(description),
            )
        if not session.no_script:
            st.download_button(
                t("Python script (.py)"),
                holding_lock(session, lambda: export.python_script(session).encode()),
                "playground_run.py",
                key="download_python",
                on_click="ignore",
                disabled=disabled,
                help=t("A script using nnlib that repeats this run step for step and prints its final loss."),
            )
    if session.no_script:
        st.caption(t(session.no_script))


def weights_in(session, half_fits, disabled):
    """The float16 switch for the weights file, the weights upload and what became of it, the notebook lines."""
    st.toggle(
        t("Weights in float16: half the size"),
        key="weights_float16",
        disabled=not half_fits or fixed("export"),
        help=t(
            "The same weights in half the space, as the book keeps them (1.5.1): each rounded to "
            "float16, read back in the model's own precision."
        ),
    )
    if not half_fits:
        st.caption(t("These weights are beyond float16's range (±65,504): the float16 file is not offered."))
    st.file_uploader(
        t("Continue from weights (.npz)"),
        type="npz",
        key="weights_upload",
        on_change=upload_weights,
        disabled=disabled,
        help=t("A file downloaded here; the page switches to its architecture."),
    )
    weights_feedback()
    st.caption(t("The weights in a notebook:"))
    st.code(
        export.notebook_snippet("weights.npz", session.settings.features, session.settings.regression),
        language="python",
    )


def available_precisions():
    return [name for name in PRECISIONS if name != "cupy" or gpu_available()]


def data_summary(settings):
    """The data popover's label: its settings at a glance, so it need not be opened to read them."""
    if settings.dataset == "upload":
        return t("Your points · {percent} % train", percent=settings.train_percent)
    classes, points = classes_and_points(settings)
    if settings.regression:
        return t(
            "{points} points · noise {noise:.2f} · {percent} % train",
            points=points,
            noise=settings.noise,
            percent=settings.train_percent,
        )
    if settings.dataset == "book_spiral":  # its noise is the book's, not a setting
        return t(
            "{classes} classes · {points} each · {percent} % train",
            classes=classes,
            points=points,
            percent=settings.train_percent,
        )
    return t(
        "{classes} × {points} · noise {noise:.2f} · {percent} % train",
        classes=classes,
        points=points,
        noise=settings.noise,
        percent=settings.train_percent,
    )


def _options(values, current):
    """The slider's stops, plus the current value if a link set one between them."""
    return sorted({*values, current})


def _short(value):
    return f"{value:g}"
