"""The network options the page offers beyond the book's: zero initial weights, and dropout per hidden layer."""

import numpy as np
import pytest

from nnlib.datasets import input_features
from nnlib.functions import softmax
from playground.links import from_query, to_query
from playground.session import Session
from playground.session.passes import loss_and_accuracy
from playground.settings import Settings
from tests.test_app import run_app

# --- zero init ----------------------------------------------------------------------------------------------------


def test_zero_init_trains_but_every_hidden_layer_stays_symmetric():
    session = Session(Settings(init="zero", hidden=(4, 3)))
    assert not session.model.flat_params.any()  # every weight and bias 0
    session.step_to(300)
    assert session.latest()["train_loss"] < 0.95 < session.history["train_loss"][0]  # it learns something
    for affine in session.model.layers[0:-1:2]:  # each hidden layer's Affine: its neurons' columns are one column
        weights, bias = affine.params
        assert np.abs(weights).max() > 0.1
        np.testing.assert_array_equal(weights, np.repeat(weights[:, :1], weights.shape[1], axis=1))
        np.testing.assert_array_equal(bias, np.full_like(bias, bias[0]))
    drawn = Session(Settings(hidden=(4, 3)))  # the book's random init: neurons that differ
    drawn.step_to(300)
    assert np.abs(np.diff(drawn.model.layers[0].params[0], axis=1)).max() > 0.01


def test_zero_init_goes_into_the_link_and_back():
    settings, notices = from_query({"init": "zero", "hidden": "4"})
    assert settings.init == "zero" and settings.hidden == (4,) and notices == []
    assert to_query(settings)["init"] == "zero"


# --- dropout ------------------------------------------------------------------------------------------------------

DROPPING = Settings(hidden=(20, 20), activation="relu", init="auto", dropout=(0.5, 0.2))


def test_a_session_with_dropout_builds_its_layers_with_it_and_trains():
    session = Session(DROPPING)
    assert [layer.dropout_ratio for layer in session.model.dropouts.values()] == [0.5, 0.2]
    session.step_to(30)
    assert session.latest()["train_accuracy"] > 0.6 and session.latest()["train_loss"] < 1.0


def test_the_metrics_and_the_regions_are_the_networks_without_dropout():
    session = Session(DROPPING)
    session.step_to(5)
    rng_state = session.model.rng.get_state()[1].copy()
    measured = [loss_and_accuracy(session.model, session.features_test, session.data.t_test) for _ in range(2)]
    grids = [session.grid_probabilities() for _ in range(2)]
    assert measured[0] == measured[1]  # no mask drawn: the same numbers each time
    np.testing.assert_array_equal(grids[0], grids[1])
    np.testing.assert_array_equal(session.model.rng.get_state()[1], rng_state)  # the training's masks untouched
    dropped = session.model.loss_layer.forward(
        session.model.predict(session.features_test, train_flg=True), session.data.t_test
    )
    assert dropped != measured[0][0]  # as training sees it, the loss differs
    assert session.history["test_loss"][-1] == measured[0][0]  # and the curves record the one without


def test_no_dropout_and_rates_of_zero_are_the_same_network_a_rate_rebuilds_it():
    session = Session(Settings(hidden=(6, 4)))
    session.step_to(1)
    assert session.apply(session.settings.replace(dropout=(0.0, 0.0))) == "none"
    assert session.trainer.step_count > 0 and not session.model.dropouts
    assert session.apply(session.settings.replace(dropout=(0.3, 0.0))) == "rebuild"
    assert list(session.model.dropouts) == [1] and session.trainer.step_count == 0


def test_slow_motion_says_it_does_not_show_dropout():
    session = Session(DROPPING)
    with pytest.raises(ValueError, match="slow motion shows the book's layers without dropout"):
        session.enter_slow_step()


def test_slow_motion_on_a_page_with_dropout_says_why_not_and_leaves_the_run_alone():
    at = run_app(hidden="6", dropout="0.3")
    at.button(key="slow_motion").click().run()
    assert not at.exception and at.session_state["session"].slow_step is None
    assert any("No slow motion" in error.value for error in at.error)


def test_a_probe_of_the_plane_reads_the_same_network_as_the_regions():
    session = Session(DROPPING)
    session.step_to(3)
    probed = session.probe((0.3, -0.2))
    expected = softmax(session.model.predict(input_features(np.array([[0.3, -0.2]]), session.settings.features)))
    np.testing.assert_allclose(probed["probabilities"], expected[0], rtol=1e-12)
