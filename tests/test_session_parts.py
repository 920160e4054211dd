"""A Session's one step (the Step control), its probe of the plane, and the objects it holds: its guards and its
grid pass."""

import numpy as np
import pytest

from nnlib.datasets import input_features
from nnlib.functions import softmax
from playground.i18n import tr
from playground.session import Session
from playground.settings import Settings

# 240 training points, batches of 30: 8 steps an epoch
EIGHT_STEPS = Settings(batch_size=30)


# --- one step ---------------------------------------------------------------------------------------------------


def test_a_step_trains_one_batch_pauses_and_records_the_step_it_stopped_at():
    session, plain = Session(EIGHT_STEPS), Session(EIGHT_STEPS)
    session.play()
    session.step()
    plain.trainer.train_steps(1)
    assert not session.playing and session.trainer.step_count == 1 and session.trainer.current_epoch == 0
    np.testing.assert_array_equal(session.model.flat_params, plain.model.flat_params)
    assert session.history["step"] == [0, 1] and session.history["epoch"] == [0, 0]
    assert session.latest()["step"] == 1  # the status line says the step shown


def test_steps_through_an_epochs_end_record_it_as_an_epochs_training_does():
    stepped, by_epoch = Session(EIGHT_STEPS), Session(EIGHT_STEPS)
    for _ in range(8):
        stepped.step()
    by_epoch.step_epoch()
    np.testing.assert_array_equal(stepped.model.flat_params, by_epoch.model.flat_params)
    assert stepped.history["step"] == list(range(9))  # a row for each step it stopped at, the 8th its epoch's end
    assert stepped.history["epoch"] == [0] * 8 + [1]
    assert {column: values[-1] for column, values in stepped.history.items()} == by_epoch.latest()


def test_a_step_that_reaches_the_epoch_to_stop_at_says_so():
    session = Session(EIGHT_STEPS.replace(stop_epoch=1))
    for _ in range(7):
        session.step()
        assert session.notice is None
    session.step()
    assert "Reached epoch 1" in session.notice and session.history["step"][-2:] == [7, 8]


def test_a_step_that_diverges_puts_the_weights_back_and_the_next_step_goes_on_from_them():
    session = Session(Settings(learning_rate=10.0))
    session.model.flat_params[...] = 1e308  # finite weights whose loss is not
    session.step()
    assert "diverged at step 1" in session.message and session.history["step"] == [0]
    assert (session.model.flat_params == 1e308).all()
    session.apply(session.settings.replace(learning_rate=0.1))
    session.model.flat_params[...] = Session(Settings()).model.flat_params
    session.step()
    assert session.message is None and session.trainer.step_count == 2 and session.history["step"] == [0, 2]


# --- the probe --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("precision", ["float64", "float32"])
def test_the_probe_gives_every_neurons_value_for_any_point_of_the_plane(precision):
    chosen = Settings(features=("x1", "x2", "x1·x2"), hidden=(5, 4), activation="tanh", precision=precision)
    session = Session(chosen)
    session.trainer.train_steps(20)
    point = (0.37, -1.25)  # no data point
    probed = session.probe(point)
    copy = session.model.astype(session.model.dtype)  # the same weights, computed apart with nnlib's own layers
    x = input_features(np.array([point]), chosen.features).astype(copy.dtype)
    np.testing.assert_array_equal(probed["input"]["values"], x[0])
    expected = []
    for layer in copy.layers:
        x = layer.forward(x)
        expected.append(x[0])
    assert [layer["name"] for layer in probed["layers"]] == ["Affine", "Tanh", "Affine", "Tanh", "Affine"]
    assert [layer["values"].tolist() for layer in probed["layers"]] == [values.tolist() for values in expected]
    assert [values.tolist() for values in probed["hidden"]] == [expected[1].tolist(), expected[3].tolist()]
    np.testing.assert_array_equal(probed["scores"], expected[-1])
    np.testing.assert_array_equal(probed["probabilities"], softmax(x)[0])
    _, hidden = copy.predict_with_hidden(input_features(np.array([point]), chosen.features))
    np.testing.assert_array_equal(probed["hidden"][1], hidden[1][0])  # what the neuron maps draw there


def test_the_probe_trains_nothing_and_a_diverged_model_probes_as_nan_without_warnings():
    session = Session(Settings(hidden=(6,)))
    weights = session.model.flat_params.copy()
    session.probe((0.0, 0.0))
    np.testing.assert_array_equal(session.model.flat_params, weights)
    session.model.flat_params[...] = 1e308
    probed = session.probe((1.0, 1.0))  # a RuntimeWarning would fail here: pytest makes them errors
    assert not np.isfinite(probed["scores"]).all()


# --- the objects it holds ---------------------------------------------------------------------------------------


def test_a_new_model_gets_a_new_grid_pass_and_new_guards():
    session = Session(Settings(hidden=(16,)))
    session.grid_pass(seconds=1e-9)  # a playing page's pass: kept for the next tick
    grid, guards = session.grid, session.guards
    assert grid.kept is not None and grid.model is session.model
    session.reset()
    assert session.grid is not grid and session.grid.kept is None and session.grid.model is session.model
    assert session.guards is not guards and session.guards.finite_weights[0] == 0


def test_the_guards_keep_the_weights_of_the_step_before_each_training():
    session = Session(EIGHT_STEPS)
    session.step()
    session.step()
    kept, weights = session.guards.finite_weights
    fresh = Session(EIGHT_STEPS)
    fresh.trainer.train_steps(1)
    assert kept == 1
    np.testing.assert_array_equal(weights, fresh.model.flat_params)


@pytest.mark.parametrize(("activation", "place"), [("relu", "hidden layer 1"), ("sigmoid", "the output layer")])
def test_a_divergence_names_the_first_layer_whose_outputs_overflowed(activation, place):
    """Weights of 1e308 overflow the first layer's sums: ReLU passes the inf on, Sigmoid squashes it to 1, and the
    output layer's scores overflow instead."""
    session = Session(Settings(learning_rate=10.0, activation=activation))
    session.model.flat_params[...] = 1e308
    session.step()
    where = session.message.values["where"]
    assert tr(where, "en") == f"It blew up in {place}: its outputs overflowed to inf or NaN."


def test_a_loss_that_explodes_stops_at_its_step_and_names_the_layer_whose_weights_grew_most():
    session = Session(Settings(optimizer="RMSprop", learning_rate=10.0))
    session.playing = True
    while session.playing:
        session.train_for(0.02)
    step, where = session.message.values["step"], session.message.values["where"]
    assert session.trainer.step_count == step  # the chunk stopped at the step whose loss exploded
    kept = session.model.param_views(session.model.flat_params)[0::2]  # the weights put back
    growth = where.values["after"] / where.values["before"]
    assert where.values["layer"].values == {"layer": 1} and growth > 1000
    assert where.values["before"] == np.abs(kept[0]).max()
