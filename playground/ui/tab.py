"""A tab's session and its widgets: every control has a key, and its value lives in ``st.session_state``
under that key; the settings are read from those values once a run and applied to the session, and
written into them when a link or a weights file sets them. The page's link, and the session's lock."""

import gc

import streamlit as st

import nnlib.datasets
from playground.lessons import LESSON_KEY, expand, lesson_of
from playground.links import (
    QUERY,
    access_from_query,
    access_query,
    from_query,
    presenter_query,
    to_query,
    view_from_query,
)
from playground.session import Session
from playground.settings import (
    CHOICE,
    DATA_SETTINGS,
    FEATURES,
    FREE,
    VALUE,
    VIEW_OPTION_CONTROLS,
    VIEW_OPTIONS,
    Settings,
    View,
    capped_batch_size,
    fields_where,
    train_size,
)
from playground.tasks import task_from_query, task_query
from playground.ui.language import write_link
from playground.ui.text import lang, t

NEW_LAYER_WIDTH = 8
# the settings whose widget holds their value under their own name; the others' widgets are read below
SIMPLE_FIELDS = fields_where(Settings, widget=(VALUE, CHOICE))


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
    for index, rate in enumerate(settings.dropout_rates):
        state[f"dropout_{index}"] = rate


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
    rates = tuple(float(state.get(f"dropout_{index}", 0.0)) for index in range(state.hidden_layers))
    values["dropout"] = rates if any(rates) else ()
    if values["dataset"] == "upload" and session.uploaded is None:
        values["dataset"] = session.settings.dataset  # nothing to show yet: keep the current points
    return Settings(**values)


def holding_lock(session, build):
    """``build`` as a download's data: built at the click, holding the lock, so the file holds the model between
    two of the live socket's steps."""

    def built():
        with session.held():
            return build()

    return built


def start_session():
    """On a tab's first run: the settings and the view from the link, its notices, and a session built from them."""
    query = tab_query()
    tab_access()
    settings, notices = from_query(query)
    view, view_notices = view_from_query(query)
    write_widgets(settings)
    write_view(view)
    st.session_state.session = Session(settings)
    lesson = lesson_of(query)  # its task, the link's own task keys replacing its parts
    st.session_state.task, task_notices = task_from_query(query, lesson.task if lesson else None)
    st.session_state.setdefault("link_notices", []).extend(notices + view_notices + task_notices)


def tab_access():
    """The controls the tab's link hides and locks, read on its first run (on whichever page) and kept for the
    tab's life: the link the playground writes carries them on. Names it does not know get a notice."""
    state = st.session_state
    if "access" not in state:
        state.access, notices = access_from_query(tab_query())
        state.setdefault("link_notices", []).extend(notices)
    return state.access


def tab_query():
    """The tab's first link, a lesson's (``?lesson=<id>``) made into that lesson's settings, flags and task
    (``lessons.expand``): read once, on the first run, with a notice for a lesson it does not know."""
    state = st.session_state
    if "first_query" not in state:
        state.first_query, notices = expand(st.query_params.to_dict())
        state.setdefault("link_notices", []).extend(notices)
    return state.first_query


def hides(name):
    """Whether the tab's link hides the control ``name`` (``links.CONTROLS``): it is not drawn."""
    return name in st.session_state.get("access", FREE).hidden


def locks(name):
    """Whether the tab's link locks the control ``name``: it is drawn disabled, with its value."""
    return name in st.session_state.get("access", FREE).locked


def fixed(name):
    """Whether the tab's link hides or locks the control ``name``: either way the page may not change it."""
    return hides(name) or locks(name)


def points_fixed():
    """Whether the points stay as they are: a regression's are its surface's (the points you add or edit have
    classes), and a link may fix editing them, or the data set, which an added point or an edited table would turn
    into "upload"."""
    return fixed("edit") or fixed("data") or st.session_state.session.settings.regression


def fixed_settings_changed(settings, current):
    """The link keys of the controls the link fixes whose setting differs between ``settings`` and ``current``:
    what a weights file would change behind a locked or hidden control."""
    return [
        key
        for field, (key, _, _) in QUERY.items()
        if fixed(key) and getattr(settings, field) != getattr(current, field)
    ]


def switchable_view_options():
    """The view's options the page lets the user switch: those the link neither hides nor locks."""
    if fixed("view"):
        return ()
    return tuple(name for name in VIEW_OPTIONS if not fixed(VIEW_OPTION_CONTROLS[name]))


def write_view(view):
    """``view`` into its widgets: the options the user may switch into the pills' state, the others kept as the
    link set them."""
    switchable = switchable_view_options()
    st.session_state.speed = view.speed
    st.session_state.space_layer, st.session_state.space_axes = view.space_layer, view.space_axes
    st.session_state.view = [name for name in view.options if name in switchable]  # a tab's own list
    st.session_state.fixed_view = tuple(name for name in view.options if name not in switchable)


def read_view():
    state = st.session_state
    return View(state.speed, tuple(name for name in VIEW_OPTIONS if shows(name)), state.space_layer, state.space_axes)


def shows(option):
    """Whether the view option (one of VIEW_OPTIONS) is chosen: in the pills, or fixed by the link."""
    return option in st.session_state.view or option in st.session_state.get("fixed_view", ())


def training_points(session):
    """How many points the training split will hold with the data widgets as they are now."""
    state = st.session_state
    if state.dataset == "upload" and session.uploaded is not None:
        return nnlib.datasets.train_size(len(session.uploaded[0]), state.train_percent)
    return train_size(read_widgets(session))


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
    st.session_state.batch_size = capped_batch_size(st.session_state.batch_size, training_points(session))
    apply_widgets(session)
    st.session_state.shown = read_view()
    write_link(page_link(session))
    return session


def apply_widgets(session):
    """The widgets' settings applied to the session (``Session.apply``'s kind of change). The lock only where
    the page reads or changes the model: the live socket trains on meanwhile, so a change shows in its next
    frame and the picture moves while the page draws. A change that starts training again from new weights says
    so, where training had got anywhere: the counter's jump back to 0 is not left unexplained."""
    with session.held():
        trained = session.trainer.step_count > 0
        before = session.settings
        kind = session.apply(read_widgets(session))
    if kind == "rebuild" and trained:
        new_data = bool(session.settings.changed(before) & DATA_SETTINGS)
        st.toast(
            t("New data: training starts again at epoch 0, from new initial weights.")
            if new_data
            else t("A new network: training starts again at epoch 0, from new initial weights."),
            icon=":material/restart_alt:",
        )
    return kind


def page_link(session):
    """The playground's link: its settings, its view, its language, the controls it hides and locks, its task (a
    lesson's by the lesson's id) and presenter mode."""
    state = st.session_state
    task = state.get("task")
    query = link_query(session.settings, state.shown, state.get("access", FREE), task, state.get("presenting", False))
    lesson = lesson_of(state.get("first_query", {}))
    if lesson is not None and task is not None and task.text == lesson.task.text:
        query[LESSON_KEY] = lesson.id
    return query


def link_query(settings, view, access, task, presenting):
    """A playground link (the page's own, or one the class link dialog makes)."""
    query = to_query(settings, view, lang()) | access_query(access) | presenter_query(presenting)
    return query if task is None else query | task_query(task)
