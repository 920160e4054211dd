"""What a click does: the callbacks, which run before their page run, so the page already shows their
outcome."""

import functools
import io

import streamlit as st

from nnlib.datasets import load_points
from playground import live, pins
from playground.data import with_point
from playground.i18n import Message
from playground.live.frames import shown_neurons
from playground.session.edits import edit_parameter
from playground.session.step_stages import STAGES
from playground.settings import REGRESSION_DATASETS, REGRESSION_LEARNING_RATE, SEED_RANGE
from playground.ui.class_link import CONTROL_LABELS
from playground.ui.language import write_link
from playground.ui.tab import fixed, fixed_settings_changed, page_link, points_fixed, read_widgets, write_widgets
from playground.ui.text import error_text, shielded, t, t_plural


def holding_session(callback):
    """A callback that runs holding the session's lock (and ``shielded``): it runs before its page's or its
    fragment's run, maybe while the live socket is training. What it changed (a Pause, a Step) the socket then
    sends at once, before that run, which Streamlit's frontend takes up to a tenth of a second to render."""

    @functools.wraps(callback)
    def locked(*args):
        state = st.session_state
        with state.session.held():
            outcome = callback(*args)
        if state.get("live_feed") is not None:
            state.live_feed.changed(wait=True)
        return outcome

    return shielded(locked)


@holding_session
def step_to(epoch):
    st.session_state.session.step_to(epoch)


@holding_session
def one_step(count):
    """Step: one mini-batch and one update, then paused. Paused, only until the trainer has taken ``count`` steps
    (the page's count when drawn, and one): a click that reaches the server twice steps once, as Epoch's
    ``step_to`` does. Playing, the count drawn is behind the socket's training: the click pauses and steps once."""
    session = st.session_state.session
    if session.playing or session.trainer.step_count < count:
        session.step()


def start_slow_motion(session, stage=STAGES[0]):
    """Pause and show the next training step in slow motion, at ``stage``, on the diagram's neurons; a session
    already showing one keeps it where it is (a click that arrives twice enters once). Under the session's lock."""
    session.pause()
    if session.slow_step is None:
        try:
            slow = session.enter_slow_step(shown_neurons(session.model))
        except ValueError as error:
            st.session_state.error = t("No slow motion: {reason}.", reason=error_text(error))
            return
        slow.go_to(slow.position[0], STAGES.index(stage))


@holding_session
def slow_motion():
    start_slow_motion(st.session_state.session)


@holding_session
def go_to_stage(step, stage):
    """← or →, or a stage chosen, in slow motion: where the click goes (``SlowStep.go_to``), named when drawn."""
    slow = st.session_state.session.slow_step
    if slow is not None:
        slow.go_to(step, stage)


def stage_chosen(step):
    """A stage of the stage bar chosen: go there (the bar's value is the stage's name)."""
    go_to_stage(step, STAGES.index(st.session_state.stage))


@holding_session
def choose_point(position):
    """In slow motion, a click on a point of the batch (its position in it): the stages follow it."""
    slow = st.session_state.session.slow_step
    if slow is None:
        return
    try:
        slow.choose(position)
    except ValueError:  # not a position of the batch: only a page not the view's own sends one
        return


@holding_session
def leave_slow_motion():
    st.session_state.session.leave_slow_step()


def play_or_pause():
    """Play or Pause at once, before any run: a tick that runs first already sees it, so nothing trains after
    Pause. Clicking the chosen segment again would leave neither chosen; that means Pause. The control sits in a
    fragment, whose run this callback turns into the page's, once the live socket has sent the change's frame."""
    _play_or_pause()
    st.rerun()


@holding_session
def _play_or_pause():
    state = st.session_state
    if state.run == "play" and state.session.guards.stopped_just_now():
        state.run = "pause"  # the page had not shown the stop yet: this Play was sent before it
    elif state.run == "play":
        state.session.play()
    else:
        state.session.pause()


def rate_or_batch_changed():
    """The learning rate or the batch size applied at once, and the link follows. Playing, the live socket shows
    it while the fragment they sit in reruns alone; paused, when no socket frame would come, the page runs."""
    _apply_rate_or_batch()
    if not st.session_state.session.playing:
        st.rerun()


@holding_session
def _apply_rate_or_batch():
    session = st.session_state.session
    session.apply(read_widgets(session))
    write_link(page_link(session))


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


def chose_data():
    """The data set box's change: a surface to fit, chosen after classes, starts at REGRESSION_LEARNING_RATE
    where the rate is higher (and a link leaves it free), and the page says so."""
    state = st.session_state
    rate = state.learning_rate
    if state.session.settings.regression or state.dataset not in REGRESSION_DATASETS or fixed("lr"):
        return
    if rate > REGRESSION_LEARNING_RATE:
        state.learning_rate = REGRESSION_LEARNING_RATE
        state.notice = t(
            "Learning rate {rate:g} → {new:g}: a regression's squared error through these layers diverges in a few "
            "steps at {rate:g}.",
            rate=rate,
            new=REGRESSION_LEARNING_RATE,
        )


@holding_session
def upload_points():
    file = st.session_state.csv_upload
    if file is None:
        return
    try:
        points = load_points(file)
    except ValueError as error:
        st.session_state.error = t(
            "That CSV was not loaded, and the current points stay: {reason}", reason=error_text(error)
        )
        return
    st.session_state.session.use_uploaded(points)
    st.session_state.notice = t(
        "Loaded {count} points in {classes} classes.", count=len(points[0]), classes=points[1].shape[1]
    )


@holding_session
def use_edited_points(frame):
    """Train on the table's points: checked as an uploaded CSV is, so a bad cell gets the same message."""
    try:
        points = load_points(io.BytesIO(frame.to_csv(index=False).encode()))
    except ValueError as error:
        st.session_state.error = t(
            "Those points were not used, and the current ones stay: {reason}", reason=error_text(error)
        )
        return
    st.session_state.session.use_uploaded(points)
    st.session_state.dataset = "upload"
    st.session_state.notice = t(
        "Training on your {count} points in {classes} classes.", count=len(points[0]), classes=points[1].shape[1]
    )


@holding_session
def upload_weights():
    state = st.session_state
    state.pop("offered_weights", None)  # a new file: an older offer no longer stands
    file = state.weights_upload
    if file is None:
        return
    session = state.session
    try:
        model, settings, _ = session.read_weights(file)
    except ValueError as error:
        state.weights_error = t(
            "Those weights were not loaded, and the current model stays: {reason}", reason=error_text(error)
        )
        return
    if refused_by_link(settings, session.settings):
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
        model, settings, trained = state.session.read_weights(io.BytesIO(data))
    except ValueError as error:
        state.weights_error = t(
            "{name} no longer fits, and the current model stays: {reason}", name=name, reason=error_text(error)
        )
        return
    if refused_by_link(settings, state.session.settings):
        return
    state.session.use_weights(model, settings, name, trained)
    write_widgets(settings)
    state.notice = t("Loaded the weights of {name}; training continues from them.", name=name)


def refused_by_link(settings, current):
    """Whether a weights file's ``settings`` would change a control the link locks or hides, which the page then
    says: a teacher's lesson keeps its network."""
    changed = fixed_settings_changed(settings, current)
    if changed:
        st.session_state.weights_error = t(
            "Those weights were not loaded: they would change {controls}, which this link keeps as they are.",
            controls=", ".join(t(CONTROL_LABELS[key]) for key in changed),
        )
    return bool(changed)


@shielded
def decline_offered_weights():
    st.session_state.pop("offered_weights", None)


def network_name(model):
    """A network as people name it: its layer sizes and each hidden layer's activation, as "2-6-4-3 (tanh)"."""
    config = model.config
    sizes = "-".join(map(str, [config["input_size"], *config["hidden_sizes"], config["output_size"]]))
    activations = list(dict.fromkeys(config["activation"]))  # each once, in order
    return f"{sizes} ({', '.join(activations)})" if activations else sizes


@holding_session
def add_point(x1, x2):
    """A click on the paused regions: add a point of the chosen class there, or, with no class chosen, say how to
    choose one (a click that does nothing at all would say nothing)."""
    state = st.session_state
    if state.session.settings.regression:
        st.toast(
            t("A regression's points are its surface's: choose a data set with classes to add points."),
            icon=":material/ads_click:",
        )
        return
    if points_fixed():
        return
    if state.get("add_class") is None:
        st.toast(
            t("To add a point where you click, choose its class first, under “Your data” below the charts."),
            icon=":material/ads_click:",
        )
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


@holding_session
def set_parameter(target):
    """A weight or a bias typed in on the paused diagram (``target``: its Affine layer, row (None for a bias),
    column and value, as network.js sends them)."""
    state = st.session_state
    if fixed("weights"):  # the link keeps the network's weights: the page offers no field for them
        return
    try:
        edit_parameter(state.session, *parameter_of(target))
    except ValueError as error:
        state.error = t("That value was not set, and the network stays as it was: {reason}", reason=error_text(error))
        return
    state.notice = t(
        "Set to {value:g} by hand: the regions and the loss show what the network computes with it. Reset goes "
        "back to the seed's weights.",
        value=target["value"],
    )


def parameter_of(target):
    """(layer, row or None, column, value) from what the browser sent, or a ValueError: the page's own script
    sends whole numbers and a number, another client may send anything."""
    try:
        layer, row, column, value = (target[name] for name in ("layer", "row", "column", "value"))
        places = (layer, column) if row is None else (layer, column, row)
        if any(place != int(place) for place in places) or isinstance(value, bool):
            raise TypeError
        return int(layer), None if row is None else int(row), int(column), float(value)
    except (TypeError, KeyError, ValueError):
        raise ValueError(Message("the network has no such weight")) from None


@holding_session
def came_back(tab):
    """The page came back in a new session (live.js): the server restarted, or it ended the tab's session while the
    tab was away. ``tab`` is what the old session's last page run said of it (``page.tab_data``), with whether it
    played: the page says what is gone, and plays on if it played."""
    state = st.session_state
    state.restart_notice = restart_notice(tab)
    if tab.get("playing") is True:
        state.session.play()


def restart_notice(tab):
    """What a tab lost with its session, from what the old session said of it (its values come back from the
    browser, so only ints and booleans of it are used). The settings are not lost: the link holds them."""
    if tab.get("server") == live.SERVER:
        seconds = st.get_option("server.disconnectedSessionTTL")
        sentences = [
            t(
                "This tab was disconnected for longer than {seconds} s, so the server ended its session: training "
                "starts again at epoch 0, with the settings kept from the link.",
                seconds=seconds,
            )
        ]
    else:
        sentences = [t("The server restarted: training starts again at epoch 0, with the settings kept from the link.")]
    numbers = [number for number in tab.get("pins", ()) if type(number) is int][: pins.MAX_PINNED]
    if numbers:
        names = ", ".join(t("run {number}", number=number) for number in numbers)
        sentences.append(
            t_plural(
                "Your pinned run ({names}) is gone.", "Your pinned runs ({names}) are gone.", len(numbers), names=names
            )
        )
    points = tab.get("points")
    if type(points) is int and points > 0:
        sentences.append(
            t_plural(
                "The {count:,} point you uploaded or added is gone.",
                "The {count:,} points you uploaded or added are gone.",
                points,
            )
        )
    if tab.get("weights") is True:
        sentences.append(t("The weights loaded from your file are gone."))
    return " ".join(sentences)
