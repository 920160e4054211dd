"""A teacher's link (issue 25): the controls it hides are not drawn, those it locks are drawn disabled with the
link's values, what they set stays in force, and the page's own link carries the flags on. Driven with AppTest;
tests/e2e/test_teacher_links.py checks what a browser shows."""

import pytest
from streamlit.testing.v1 import AppTest

from nnlib.models import MLP
from playground import export
from playground.links import CONTROLS, access_from_query, access_query
from playground.settings import ACTIONS, Access
from playground.ui.text import plain
from tests.test_app import live_data, opened, play, run_app, session, tick

WIDGET_KINDS = ("selectbox", "slider", "select_slider", "number_input", "button", "toggle", "button_group")
WIDGET_KINDS += ("download_button", "file_uploader")


def widget(at, key):
    """The widget under ``key``, or None where the page did not draw it."""
    for kind in WIDGET_KINDS:
        for element in getattr(at, kind):
            if element.key == key:
                return element
    return None


def test_flags_read_back_as_written_and_hidden_wins_over_locked():
    access, notices = access_from_query({"hide": "lr,batch,play", "lock": "data,lr"})
    assert notices == []
    assert access == Access(hidden=frozenset({"lr", "batch", "play"}), locked=frozenset({"data"}))
    assert access_from_query(access_query(access)) == (access, [])
    assert access_query(Access()) == {}


def test_an_unknown_name_gets_a_notice_and_the_others_still_apply():
    access, notices = access_from_query({"hide": "learningRate,lr", "lock": " data ,"})
    assert access.hidden == {"lr"} and access.locked == {"data"}
    (notice,) = notices
    assert "learningRate" in notice.format() and "lr" in notice.format()


def test_every_setting_view_option_and_action_is_a_control():
    assert len(CONTROLS) == len(set(CONTROLS))
    assert {"lr", "batch", "data", "noise", "hidden", "features", "test", "hard", "speed"} <= set(CONTROLS)
    assert set(ACTIONS) <= set(CONTROLS)


SETTING_WIDGETS = {  # control: the widget keys it stands for (drawn in the sidebar, its popovers open)
    "data": ("dataset",),
    "classes": ("classes",),
    "points": ("points",),
    "noise": ("noise",),
    "train": ("train_percent",),
    "seed": ("seed", "regenerate"),
    "features": ("features",),
    "hidden": ("hidden_layers", "width_0"),
    "activation": ("activation",),
    "acts": ("per_layer",),
    "init": ("init",),
    "reg": ("regularization",),
    "reg_rate": ("reg_rate",),
    "dropout": ("dropout_0",),
    "optimizer": ("optimizer",),
    "lr": ("learning_rate",),
    "momentum": ("momentum",),
    "decay": ("decay_rate",),
    "beta1": ("beta1",),
    "beta2": ("beta2",),
    "batch": ("batch_size",),
    "schedule": ("schedule",),
    "sched_epochs": ("schedule_epochs",),
    "stop_epoch": ("stop_epoch",),
    "stop_loss": ("stop_loss",),
    "precision": ("precision",),
    "export": ("download_weights", "download_history", "download_settings", "download_data", "download_python"),
    "upload": ("weights_upload",),
    "teacher": ("class_link",),
    "play": ("run",),
    "epoch": ("step",),
    "step": ("one_step",),
    "reset": ("reset",),
    "speed": ("speed",),
    "pin": ("pin",),
    "slow": ("slow_motion",),
    "space_layer": ("space_layer_pick",),
    "space_axes": ("space_mode_pick", "space_across_pick", "space_up_pick"),
}


# the settings under which a control's widgets are free on a page without flags (the book's spiral has its own
# classes, points, noise and split; each optimizer its own parameters)
FREED_BY = {
    **{key: {"data": "spiral"} for key in ("classes", "points", "noise", "train")},
    **{key: {"optimizer": "Adam"} for key in ("beta1", "beta2")},
    "momentum": {"optimizer": "Momentum"},
    "decay": {"optimizer": "RMSprop"},
    "reg_rate": {"reg": "L2"},
    "sched_epochs": {"schedule": "step"},
    "space_layer": {"view": "hidden_space"},  # drawn while the view shows the hidden space
    "space_axes": {"view": "hidden_space", "space_axes": "1,2"},  # two neurons: their pickers too
}


@pytest.mark.parametrize("control", sorted(SETTING_WIDGETS))
def test_a_hidden_control_is_not_drawn_and_a_locked_one_is_drawn_disabled(control):
    query = FREED_BY.get(control, {})
    free = run_app(**query)
    for key in SETTING_WIDGETS[control]:
        assert widget(free, key) is not None and not widget(free, key).disabled
    hidden = run_app(hide=control, **query)
    for key in SETTING_WIDGETS[control]:
        assert widget(hidden, key) is None, key
    locked = run_app(lock=control, **query)
    for key in SETTING_WIDGETS[control]:
        assert widget(locked, key).disabled, key
    assert not hidden.exception and not locked.exception


def test_what_hidden_and_locked_controls_set_stays_in_force_and_the_link_keeps_the_flags():
    at = run_app(lr="0.1", batch="10", hide="lr,batch", lock="hidden,data", data="moons", hidden="4,4")
    settings = session(at).settings
    assert (settings.learning_rate, settings.batch_size, settings.dataset, settings.hidden) == (
        0.1,
        10,
        "moons",
        (4, 4),
    )
    assert widget(at, "dataset").value == "moons" and widget(at, "dataset").disabled
    at = play(at)
    tick(at)
    at.run()
    assert session(at).settings.learning_rate == 0.1  # still, after a run reading the widgets
    link = at.query_params
    assert (link["hide"], link["lock"], link["lr"], link["data"]) == ("lr,batch", "data,hidden", "0.1", "moons")


def test_hidden_view_options_keep_the_links_choice_and_locked_ones_show_it_disabled():
    at = run_app(view="show_test,show_network", hide="test", lock="hard")
    assert len(widget(at, "view").options) == 4  # log-scale loss, network, inside the training and hidden space
    assert widget(at, "view_locked").disabled and widget(at, "view_locked").value == []  # hard regions: off
    assert session(at) and at.query_params["view"] == "show_test,show_network"
    at = widget(at, "view").set_value([]).run()  # the network off: the test points stay, as the link set them
    assert at.query_params["view"] == "show_test"


def test_a_hidden_section_loses_its_header_and_hidden_pages_leave_the_navigation():
    every_data_control = "data,classes,points,noise,train,seed,features"
    at = run_app(hide=every_data_control)
    assert "Data" not in [header.value for header in at.sidebar.header]
    assert "Network" in [header.value for header in at.sidebar.header]


def test_every_control_has_words_in_the_class_link_panel():
    from playground.ui.class_link import CONTROL_LABELS  # their Korean: tests/test_i18n.py

    assert list(CONTROL_LABELS) == list(CONTROLS)


def add_point_on(**query):
    """A click on the paused regions, class 1 chosen, on a page opened from ``query``."""
    from tests.test_app import add_point_script

    at = AppTest.from_function(add_point_script, default_timeout=30)
    at.session_state["access"] = access_from_query(query)[0]
    at.session_state["add_class"] = 1
    return at.run()


@pytest.mark.parametrize("query", [{"lock": "data"}, {"hide": "data"}, {"lock": "edit"}, {"hide": "edit"}])
def test_a_link_that_fixes_the_data_or_editing_takes_no_point_and_draws_no_table(query):
    at = add_point_on(**query)
    assert at.session_state["session"].uploaded is None and at.session_state["dataset"] == "book_spiral"
    page = opened(run_app(**query), "your_data")
    assert [frame for frame in page.dataframe if frame.key == "points_editor"] == []
    assert add_point_on().session_state["session"].uploaded is not None  # no flags: the click adds its point


def offered(at, model):
    """``at`` with a weights file of ``model`` offered, as an upload whose network differs from the page's leaves it."""
    at.session_state["offered_weights"] = ("teacher.npz", export.weights_bytes(model), "2-10-3")
    return at.run()


@pytest.mark.parametrize("flag", ["lock", "hide"])
def test_weights_that_would_change_a_fixed_control_are_refused_in_words(flag):
    at = offered(run_app(hidden="4", **{flag: "hidden"}), MLP(2, [10], 3, "sigmoid", seed=4))
    at = at.button(key="use_offered_weights").click().run()
    assert session(at).settings.hidden == (4,) and session(at).weights_file is None
    assert [error.value for error in at.error] == [  # as plain() escapes it, never read as Markdown
        plain("Those weights were not loaded: they would change Hidden layers, which this link keeps as they are.")
    ]
    at = offered(run_app(hidden="4", lock="activation"), MLP(2, [10], 3, "sigmoid", seed=4))  # the same activation
    at = at.button(key="use_offered_weights").click().run()
    assert session(at).settings.hidden == (10,) and not at.error


def test_every_setting_is_in_exactly_one_section_of_the_sidebar():
    """The sections' lists say which controls a hidden section's header goes with: each setting in one of them."""
    from playground.links import QUERY
    from playground.ui.sidebar import DATA_CONTROLS, NETWORK_CONTROLS, TRAINING_CONTROLS

    sections = (*DATA_CONTROLS, *NETWORK_CONTROLS, *TRAINING_CONTROLS)
    assert sorted(sections) == sorted(key for key, _, _ in QUERY.values())


def set_weight_script():
    """A weight typed in on the paused diagram, as the page runs the view's callback: x1 → hidden neuron 1, 5."""
    import streamlit as st

    from playground.session import Session
    from playground.ui.callbacks import set_parameter

    if "session" not in st.session_state:
        st.session_state.session = Session()
    set_parameter({"layer": 0, "row": 0, "column": 0, "value": 5.0})


def set_weight_on(**query):
    at = AppTest.from_function(set_weight_script, default_timeout=30)
    at.session_state["access"] = access_from_query(query)[0]
    return at.run()


@pytest.mark.parametrize("flag", ["lock", "hide"])
def test_a_link_that_fixes_the_weights_offers_no_field_and_takes_no_value(flag):
    free, fixed = run_app(view="show_network"), run_app(view="show_network", **{flag: "weights"})
    assert live_data(free)["setup"]["network"]["editable"] and not live_data(fixed)["setup"]["network"]["editable"]
    W = set_weight_on().session_state["session"].model.layers[0].params[0]
    assert W[0, 0] == 5.0
    W = set_weight_on(**{flag: "weights"}).session_state["session"].model.layers[0].params[0]
    assert W[0, 0] != 5.0
