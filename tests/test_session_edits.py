"""A weight or a bias set by hand (playground/session/edits.py): the network computes with it at once, the step's
history row says so, training goes on from it, and what cannot be set is refused in words."""

import numpy as np
import pytest

from nnlib.layers import Affine
from playground.i18n import tr
from playground.session import Session
from playground.session.edits import edit_parameter
from playground.session.passes import loss_and_accuracy
from playground.settings import Settings


def affines(session):
    return [layer for layer in session.model.layers if isinstance(layer, Affine)]


def test_a_weight_and_a_bias_set_by_hand_are_the_networks_and_the_steps_row_measures_them():
    session = Session(Settings(hidden=(4,)))
    session.step_to(5)
    rows, step = len(session.history["step"]), session.trainer.step_count
    edit_parameter(session, 0, 1, 2, 3.5)  # x2 → hidden neuron 3
    edit_parameter(session, 1, None, 0, -20.0)  # class 0's bias: it loses everywhere
    W, b = affines(session)[0].params[0], affines(session)[1].params[1]
    assert W[1, 2] == 3.5 and b[0] == -20.0
    assert len(session.history["step"]) == rows and session.history["step"][-1] == step  # the same step, measured again
    loss, accuracy = loss_and_accuracy(session.model, session.features_train, session.data.t_train)
    assert session.history["train_loss"][-1] == loss and session.history["train_accuracy"][-1] == accuracy
    probabilities, _ = session.grid_pass(False)
    assert probabilities[:, 0].max() < 1e-6  # the regions: no class 0 anywhere
    assert "set by hand" in tr(session.no_script, "en")
    session.step_to(6)  # training goes on from them
    assert session.trainer.step_count > step and affines(session)[0].params[0][1, 2] != 3.5
    session.reset()
    assert session.no_script is None and affines(session)[1].params[1][0] != -20.0


@pytest.mark.parametrize(
    ("place", "value", "said"),
    [
        ((5, 0, 0), 1.0, "the network has no such weight"),
        ((0, 2, 0), 1.0, "the network has no such weight"),  # two inputs: rows 0 and 1
        ((0, None, 10), 1.0, "the network has no such weight"),
        ((0, 0, 0), float("nan"), "a weight from -10,000 to 10,000"),
        ((0, 0, 0), 1e5, "a weight from -10,000 to 10,000"),
    ],
)
def test_what_the_network_has_not_or_cannot_take_is_refused_and_changes_nothing(place, value, said):
    session = Session()
    before, history = session.model.flat_params.copy(), {key: list(values) for key, values in session.history.items()}
    with pytest.raises(ValueError) as refused:
        edit_parameter(session, *place, value)
    assert tr(refused.value.args[0], "en") == said
    assert np.array_equal(session.model.flat_params, before) and session.history == history


def test_a_weight_is_set_only_while_paused_outside_slow_motion():
    session = Session()
    session.playing = True
    with pytest.raises(ValueError):
        edit_parameter(session, 0, 0, 0, 1.0)
    session.pause()
    session.enter_slow_step()
    with pytest.raises(ValueError):
        edit_parameter(session, 0, 0, 0, 1.0)


@pytest.mark.parametrize(
    "sent",
    [
        {},
        {"layer": 0, "row": 0, "column": 0},
        {"layer": "0", "row": 0, "column": 0, "value": 1},
        {"layer": 0.5, "row": 0, "column": 0, "value": 1},
        {"layer": 0, "row": [0], "column": 0, "value": 1},
        {"layer": 0, "row": 0, "column": 0, "value": True},
        {"layer": 0, "row": 0, "column": 0, "value": "a lot"},
        "not even a dict",
    ],
)
def test_what_another_client_sends_in_place_of_a_weight_is_refused_in_words(sent):
    """The view's callback checks what the browser sent before it reaches the session: anything but whole numbers
    for the place and a number for the value is 'no such weight', said in the page's language."""
    from playground.ui.callbacks import parameter_of

    with pytest.raises(ValueError) as refused:
        parameter_of(sent)
    assert tr(refused.value.args[0], "ko") == "신경망에 그런 가중치가 없습니다"


def test_what_the_pages_own_script_sends_is_taken_as_whole_numbers():
    from playground.ui.callbacks import parameter_of

    assert parameter_of({"layer": 1.0, "row": None, "column": 2, "value": -3}) == (1, None, 2, -3.0)
