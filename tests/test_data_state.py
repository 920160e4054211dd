"""playground.data and playground.session: features, the seeded split, and a Session's moves between settings."""

import io
import json
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from nnlib import optimizers
from nnlib.datasets import input_features, make_moons, spiral
from nnlib.models import MLP
from playground import export
from playground.data import GRID_RESOLUTION, make_points, split, with_point
from playground.links import from_query, to_query
from playground.recipe import penalties
from playground.session import Session
from playground.session.core import HISTORY_COLUMNS
from playground.session.pacing import MAX_CATCH_UP_SECONDS
from playground.session.passes import loss_and_accuracy
from playground.settings import FEATURES, Settings, gpu_available, train_size

# --- helpers ---------------------------------------------------------------------------------------------------


def trained(settings=None, steps=25, uploaded=None):
    """A session after ``steps`` training steps (any optimizer state exists by then)."""
    session = Session(settings or Settings(), uploaded)
    session.trainer.train_steps(steps)
    return session


def weights_of(session):
    return session.model.flat_params.copy()


def uploaded_points(n=30, seed=0):
    """(x, t) as a CSV upload gives them: points and one-hot labels of two classes."""
    return make_moons(n=n, noise=0.1, seed=seed)


def load(session, file_bytes):
    return session.load_weights(io.BytesIO(file_bytes))


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def optimizer_state(optimizer):
    """The optimizer's state arrays (velocities, squared sums, moments), by attribute name."""
    return {name: getattr(optimizer, name) for name in ("v", "h", "m") if getattr(optimizer, name, None) is not None}


# --- input_features --------------------------------------------------------------------------------------------

POINTS = np.array([[0.5, -2.0], [1.0, 3.0], [0.0, 0.25]])
X1, X2 = POINTS[:, 0], POINTS[:, 1]
EXPECTED_FEATURES = {
    "x1": X1,
    "x2": X2,
    "x1²": X1**2,
    "x2²": X2**2,
    "x1·x2": X1 * X2,
    "sin x1": np.sin(X1),
    "sin x2": np.sin(X2),
}


@pytest.mark.parametrize("name", FEATURES)
def test_input_features_computes_each_feature(name):
    np.testing.assert_allclose(input_features(POINTS, [name]), EXPECTED_FEATURES[name][:, None], rtol=1e-15)


def test_input_features_has_one_column_per_name_in_the_given_order():
    names = ["sin x2", "x1", "x1·x2"]
    matrix = input_features(POINTS, names)
    assert matrix.shape == (3, 3)
    np.testing.assert_array_equal(matrix, np.column_stack([EXPECTED_FEATURES[name] for name in names]))


# --- make_points -----------------------------------------------------------------------------------------------


def test_make_points_gives_the_books_spiral_whatever_the_other_data_settings():
    x, t = make_points(Settings(points=10, classes=5, noise=0.9, seed=1))
    book_x, book_t = spiral.load_data()
    np.testing.assert_array_equal(x, book_x)
    np.testing.assert_array_equal(t, book_t)


@pytest.mark.parametrize(
    ("dataset", "classes", "expected_classes"),
    [("spiral", 4, 4), ("circle", 3, 3), ("gaussian", 6, 6), ("xor", 5, 2), ("moons", 5, 2), ("sine", 5, 2)],
)
def test_make_points_follows_the_settings_and_the_seed(dataset, classes, expected_classes):
    chosen = Settings(dataset=dataset, classes=classes, points=20, noise=0.2, seed=11)
    x, t = make_points(chosen)
    assert x.shape == (20 * expected_classes, 2) and t.shape == (20 * expected_classes, expected_classes)
    np.testing.assert_array_equal(make_points(chosen)[0], x)
    assert not np.array_equal(make_points(chosen.replace(seed=12))[0], x)


def test_make_points_gives_the_upload_only_when_it_is_chosen():
    points = uploaded_points()
    assert make_points(Settings(dataset="upload"), points) is points
    assert make_points(Settings(), points)[0].shape == (300, 2)
    with pytest.raises(ValueError, match="no CSV"):
        make_points(Settings(dataset="upload"))


@pytest.mark.parametrize("dataset", ["book_spiral", "spiral", "circle", "xor", "gaussian", "moons", "cubic", "abs"])
@pytest.mark.parametrize(("classes", "points", "train_percent"), [(2, 10, 10), (4, 37, 33), (6, 1000, 90)])
def test_train_size_is_the_size_of_the_training_split(dataset, classes, points, train_percent):
    chosen = Settings(dataset=dataset, classes=classes, points=points, train_percent=train_percent)
    x, t = make_points(chosen)
    assert len(split(x, t, train_percent, seed=3).x_train) == train_size(chosen)


# --- split -----------------------------------------------------------------------------------------------------


def numbered(n):
    """Points whose first coordinate is their row number, and labels that follow it, to trace the split."""
    x = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    t = np.eye(3, dtype=np.int64)[np.arange(n) % 3]
    return x, t


@pytest.mark.parametrize("n", [2, 3, 10, 37, 300])
@pytest.mark.parametrize("percent", [1, 10, 33, 50, 80, 90, 99])
def test_split_is_disjoint_complete_and_honours_the_percentage(n, percent):
    x, t = numbered(n)
    parts = split(x, t, percent, seed=5)
    train_rows, test_rows = parts.x_train[:, 0].astype(int), parts.x_test[:, 0].astype(int)
    assert set(train_rows).isdisjoint(test_rows)
    assert sorted([*train_rows, *test_rows]) == list(range(n))
    assert len(train_rows) >= 1 and len(test_rows) >= 1
    if 1 <= n * percent / 100 <= n - 1:
        assert abs(len(train_rows) - n * percent / 100) <= 0.5
    np.testing.assert_array_equal(parts.t_train, t[train_rows])  # labels stay with their points
    np.testing.assert_array_equal(parts.t_test, t[test_rows])
    assert parts.classes == 3
    np.testing.assert_array_equal(parts.points, np.concatenate([x[train_rows], x[test_rows]]))


def test_split_is_seeded():
    x, t = numbered(100)
    first, again, other = split(x, t, 80, seed=1), split(x, t, 80, seed=1), split(x, t, 80, seed=2)
    np.testing.assert_array_equal(first.x_train, again.x_train)
    np.testing.assert_array_equal(first.x_test, again.x_test)
    assert not np.array_equal(first.x_train, other.x_train)
    assert not np.array_equal(first.x_train, x[:80])  # shuffled, not the first rows


# --- a new session ---------------------------------------------------------------------------------------------


def test_a_new_session_is_built_from_its_settings():
    chosen = Settings(dataset="circle", classes=4, points=50, features=("x1", "x2", "x1²"), hidden=(6, 5))
    session = Session(chosen)
    assert session.settings == chosen and not session.playing and session.message is None
    assert session.model.config["input_size"] == 3
    assert session.model.config["hidden_sizes"] == [6, 5] and session.model.config["output_size"] == 4
    assert session.features_train.shape == (160, 3) and session.features_test.shape == (40, 3)
    assert session.history == {column: [value] for column, value in session.latest().items()}
    assert session.latest()["epoch"] == 0 and session.latest()["step"] == 0
    probabilities = session.grid_probabilities()
    assert probabilities.shape == (GRID_RESOLUTION**2, 4)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)


def test_the_batch_size_is_capped_at_the_training_set():
    session = Session(Settings(dataset="xor", points=10, train_percent=50, batch_size=30))
    assert session.batch_size == session.trainer.batch_size == 10


# --- apply: live changes -----------------------------------------------------------------------------------------

LIVE_CHANGES = [
    ("SGD", {"learning_rate": 0.3}),
    ("SGD", {"batch_size": 7}),
    ("Momentum", {"momentum": 0.5}),
    ("Nesterov", {"momentum": 0.5, "learning_rate": 0.2}),
    ("AdaGrad", {"learning_rate": 0.05}),
    ("RMSprop", {"decay_rate": 0.5}),
    ("Adam", {"beta1": 0.5}),
    ("Adam", {"beta2": 0.9}),
    ("Adam", {"regularization": "L2"}),
    ("Adam", {"regularization": "L1", "reg_rate": 0.01}),
    ("Momentum", {"reg_rate": 0.5}),  # a rate without a regularisation changes nothing in the model
]


@pytest.mark.parametrize(("optimizer", "changes"), LIVE_CHANGES)
def test_a_live_change_keeps_the_model_the_weights_and_the_optimizer_state(optimizer, changes):
    session = trained(Settings(optimizer=optimizer, learning_rate=0.01))
    model, weights, trainer, opt = session.model, weights_of(session), session.trainer, session.optimizer
    state = optimizer_state(opt)
    state_values = {name: [array.copy() for array in arrays] for name, arrays in state.items()}
    adam_iter = getattr(opt, "iter", None)
    new_settings = session.settings.replace(**changes)

    assert session.apply(new_settings) == "live"

    assert session.settings == new_settings
    assert session.model is model and session.trainer is trainer and trainer.model is model
    np.testing.assert_array_equal(model.flat_params, weights)
    assert session.optimizer is opt and trainer.optimizer is opt
    for name, arrays in state.items():
        assert getattr(opt, name) is arrays
        for array, value in zip(arrays, state_values[name]):
            np.testing.assert_array_equal(array, value)
    assert getattr(opt, "iter", None) == adam_iter
    assert trainer.step_count == 25 and len(session.history["epoch"]) == 1
    assert opt.lr == new_settings.learning_rate
    for name in ("momentum", "decay_rate", "beta1", "beta2"):
        if hasattr(opt, name):
            assert getattr(opt, name) == getattr(new_settings, name)
    assert trainer.batch_size == new_settings.batch_size
    assert (model.weight_decay, model.l1) == penalties(new_settings)


def test_after_a_live_change_training_carries_on_with_the_new_values():
    session = trained(Settings(optimizer="Adam", learning_rate=0.01), steps=3)
    session.apply(session.settings.replace(learning_rate=0.0001, batch_size=12))
    before = weights_of(session)
    session.trainer.train_steps(1)
    assert session.trainer.optimizer.iter == 4  # Adam's count goes on
    assert 0 < np.abs(session.model.flat_params - before).max() < 0.01
    assert session.trainer.step_count == 4


def test_the_same_settings_change_nothing():
    session = trained()
    model, optimizer, weights = session.model, session.optimizer, weights_of(session)
    assert session.apply(Settings()) == "none"
    assert session.model is model and session.optimizer is optimizer
    np.testing.assert_array_equal(session.model.flat_params, weights)


# --- apply: a new optimizer ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("old", "new"), [("SGD", "Adam"), ("Adam", "Momentum"), ("RMSprop", "AdaGrad")])
def test_a_new_optimizer_keeps_the_weights(old, new):
    session = trained(Settings(optimizer=old, learning_rate=0.01))
    model, trainer, old_optimizer, weights = session.model, session.trainer, session.optimizer, weights_of(session)
    new_settings = session.settings.replace(optimizer=new, learning_rate=0.02, momentum=0.7)

    assert session.apply(new_settings) == "optimizer"

    assert session.model is model and session.trainer is trainer
    np.testing.assert_array_equal(model.flat_params, weights)
    assert session.optimizer is not old_optimizer and session.trainer.optimizer is session.optimizer
    assert type(session.optimizer) is getattr(optimizers, new)
    assert session.optimizer.lr == 0.02 and getattr(session.optimizer, "momentum", 0.7) == 0.7
    assert optimizer_state(session.optimizer) == {} and trainer.step_count == 25


# --- apply: a rebuild ----------------------------------------------------------------------------------------------

REBUILDS = [
    {"dataset": "moons"},
    {"dataset": "spiral", "classes": 5},
    {"train_percent": 50},
    {"seed": 7},
    {"features": ("x1", "x2", "x1·x2")},
    {"hidden": (4, 4)},
    {"hidden": ()},
    {"activation": "relu"},
    {"init": "xavier"},
    {"hidden": (12,), "optimizer": "Adam", "learning_rate": 0.01},  # a rebuild takes the optimizer along
    {"points": 50},  # the book's spiral ignores it, but it is no live setting
]


@pytest.mark.parametrize("changes", REBUILDS)
def test_other_changes_rebuild_the_model_from_the_seed(changes):
    session = trained()
    old_model, old_trainer = session.model, session.trainer
    new_settings = session.settings.replace(**changes)

    assert session.apply(new_settings) == "rebuild"

    fresh = Session(new_settings)
    assert session.model is not old_model and session.trainer is not old_trainer
    assert session.model.config == fresh.model.config
    np.testing.assert_array_equal(session.model.flat_params, fresh.model.flat_params)
    np.testing.assert_array_equal(session.data.x_train, fresh.data.x_train)
    np.testing.assert_array_equal(session.grid_features, fresh.grid_features)
    assert type(session.optimizer) is type(fresh.optimizer) and session.optimizer.lr == fresh.optimizer.lr
    assert session.trainer.step_count == 0 and session.history == fresh.history


def test_going_back_to_the_old_settings_rebuilds_the_old_initial_weights():
    session = Session()
    initial = weights_of(session)
    session.trainer.train_steps(30)
    session.apply(Settings(seed=2))
    assert not np.array_equal(session.model.flat_params, initial)
    session.apply(Settings())
    np.testing.assert_array_equal(session.model.flat_params, initial)


# --- reset and reproducibility -------------------------------------------------------------------------------------


@pytest.mark.parametrize("chosen", [Settings(), Settings(optimizer="Adam", learning_rate=0.01, hidden=(8, 8))])
def test_reset_restores_the_initial_weights_and_a_fresh_start(chosen):
    session = Session(chosen)
    initial = weights_of(session)
    first_run = [step.loss for step in session.trainer.train_steps(40)]
    session.message = "something from before"

    session.reset()

    np.testing.assert_array_equal(session.model.flat_params, initial)
    assert session.trainer.step_count == 0 and session.message is None
    assert session.history == Session(chosen).history
    assert optimizer_state(session.optimizer) == {}
    assert [step.loss for step in session.trainer.train_steps(40)] == first_run  # the same shuffles again


@pytest.mark.parametrize(
    "chosen",
    [Settings(), Settings(optimizer="Adam", learning_rate=0.01, activation="relu", init="he", hidden=(8, 8), seed=3)],
)
def test_the_same_settings_train_to_bit_identical_weights(chosen):
    first, second = Session(chosen), Session(chosen)
    np.testing.assert_array_equal(first.model.flat_params, second.model.flat_params)
    for n in (1, 7, 30, 3, 11):
        losses = [step.loss for step in first.trainer.train_steps(n)]
        assert [step.loss for step in second.trainer.train_steps(n)] == losses
        np.testing.assert_array_equal(first.model.flat_params, second.model.flat_params)


def test_train_for_follows_the_same_trajectory_as_single_steps():
    timed, stepped = Session(), Session()
    steps = timed.train_for(0.02)
    stepped.trainer.train_steps(steps)
    np.testing.assert_array_equal(timed.model.flat_params, stepped.model.flat_params)


# --- train_for and step_epoch ---------------------------------------------------------------------------------------


def test_train_for_takes_at_least_one_step_even_without_time():
    session = Session()
    assert session.train_for(0.0) >= 1
    assert session.trainer.step_count >= 1


def test_a_pace_allows_the_steps_of_the_time_since_the_last_tick_and_no_rush_after_a_pause(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("playground.session.pacing.time.perf_counter", lambda: clock[0])
    session = Session()
    session.steps_allowed(300)
    clock[0] += 0.1
    assert session.steps_allowed(300) == 30
    clock[0] += 0.001
    assert session.steps_allowed(300) == 1  # at least a step a tick
    clock[0] += 60  # a long pause
    assert session.steps_allowed(300) == round(300 * MAX_CATCH_UP_SECONDS)
    assert session.steps_allowed(0) == float("inf")  # no cap
    assert session.train_for(10, max_steps=5) == 5 and session.trainer.step_count == 5


@pytest.mark.parametrize("chosen", [Settings(), Settings(batch_size=7, optimizer="Adam", learning_rate=0.01)])
def test_train_for_records_every_epoch_end(chosen):
    session = Session(chosen)
    taken = session.train_for(0.05) + session.train_for(0.05)
    trainer = session.trainer
    assert taken == trainer.step_count >= 1
    epochs = session.history["epoch"]
    assert epochs == list(range(trainer.current_epoch + 1))  # one row per epoch end, none missed
    assert session.history["step"] == [epoch * trainer.iterations_per_epoch for epoch in epochs]
    assert set(session.history) == set(HISTORY_COLUMNS)
    assert all(len(values) == len(epochs) for values in session.history.values())
    assert all(0 <= value <= 1 for value in session.history["train_accuracy"] + session.history["test_accuracy"])
    assert session.latest() == {column: values[-1] for column, values in session.history.items()}
    assert session.steps_per_second > 0


@pytest.mark.parametrize("budget", [0.01, 0.1, 0.3])
def test_train_for_keeps_to_its_budget(budget):
    session = Session(Settings(hidden=(64, 64)))
    start = time.perf_counter()
    session.train_for(budget)
    elapsed = time.perf_counter() - start
    assert budget / 2 <= elapsed < budget + 0.5  # it may stop short of an epoch's end it has no time to record


def test_the_default_settings_learn_the_spiral_within_three_seconds_of_ticks():
    session, spent = Session(), 0.0
    while session.latest()["train_accuracy"] < 0.97 and spent < 3.0:
        start = time.perf_counter()
        session.train_for(0.04)
        spent += time.perf_counter() - start
    assert session.latest()["train_accuracy"] >= 0.97, f"{session.latest()} after {spent:.2f} s"


def test_training_lowers_the_loss():
    session = Session()
    first = session.latest()["train_loss"]
    for _ in range(20):
        session.step_epoch()
    assert session.latest()["train_loss"] < first - 0.1


def test_step_epoch_trains_to_the_end_of_the_current_epoch():
    session = trained(steps=3)  # 8 steps of 30 make an epoch of the book's 240 training points
    session.step_epoch()
    assert session.trainer.step_count == 8 and session.trainer.current_epoch == 1
    session.step_epoch()
    assert session.trainer.step_count == 16
    assert session.history["epoch"] == [0, 1, 2] and session.history["step"] == [0, 8, 16]


def test_step_epoch_after_a_larger_batch_late_in_the_epoch():
    session = trained(steps=7)  # 210 of 240 points used: 30 left
    session.apply(session.settings.replace(batch_size=100))
    session.step_epoch()
    assert session.trainer.current_epoch == 1 and session.history["epoch"] == [0, 1]


def test_train_for_after_a_larger_batch_late_in_the_epoch_finishes_the_epoch():
    session = trained(steps=7)
    session.apply(session.settings.replace(batch_size=100))
    session.train_for(0.0)
    assert session.history["epoch"][:2] == [0, 1]


# --- divergence ---------------------------------------------------------------------------------------------------

DIVERGING = [
    pytest.param(Settings(optimizer="SGD", learning_rate=10.0, activation="identity", hidden=(64, 64)), 1, id="linear"),
    pytest.param(
        Settings(optimizer="SGD", learning_rate=10.0, activation="identity", init="he", hidden=(256, 256, 256)),
        1,
        id="linear-he-wide",
    ),
    pytest.param(
        Settings(optimizer="SGD", learning_rate=10.0, activation="leaky_relu", init="he", hidden=(64, 64)),
        1e3,
        id="leaky-relu-scaled-weights",
    ),
]


def run_until_stopped(session, advance, limit=200):
    session.playing = True
    for _ in range(limit):
        advance(session)
        if not session.playing:
            return
    pytest.fail("training did not diverge")


ADVANCES = {"train_for": lambda session: session.train_for(0.04), "step_epoch": Session.step_epoch}


@pytest.mark.parametrize("advance", ADVANCES.values(), ids=ADVANCES.keys())
@pytest.mark.parametrize(("chosen", "scale"), DIVERGING)
def test_a_diverging_run_stops_with_a_message(chosen, scale, advance):
    session = Session(chosen)
    session.model.flat_params *= scale
    run_until_stopped(session, advance)  # a RuntimeWarning would fail here: pytest makes them errors
    assert not session.playing
    assert "diverged at step" in session.message
    bad_step, kept = session.message.values["step"], session.message.values["kept"]
    assert 0 <= kept < bad_step <= session.trainer.step_count
    assert all(np.isfinite(session.history["train_loss"]))  # no row for the diverged epoch
    # the weights of step ``kept`` are back: those a fresh run of the same settings has after that many steps
    fresh = Session(chosen)
    fresh.model.flat_params *= scale
    fresh.trainer.train_steps(kept)
    np.testing.assert_array_equal(session.model.flat_params, fresh.model.flat_params)
    assert session.no_script and "diverged" in session.no_script
    session.reset()
    assert session.message is None and np.isfinite(session.model.flat_params).all() and session.no_script is None


def test_playing_on_at_a_lower_rate_after_a_divergence_goes_on_from_the_weights_put_back():
    chosen = Settings(optimizer="Momentum", learning_rate=10.0, activation="identity", hidden=(64, 64))
    session = Session(chosen)
    run_until_stopped(session, ADVANCES["train_for"])
    kept, weights = session.message.values["kept"], session.model.flat_params.copy()
    session.apply(chosen.replace(learning_rate=0.01))
    session.message, session.playing = None, True  # as the page does when Play is pressed again
    for _ in range(5):
        session.train_for(0.02)
    assert session.playing and session.message is None and session.trainer.step_count > kept + 10
    assert np.isfinite(session.model.flat_params).all() and not np.array_equal(session.model.flat_params, weights)


def test_a_run_that_overflows_at_an_epoch_end_stops_without_a_warning():
    session = Session(Settings(optimizer="SGD", learning_rate=10.0, activation="identity", init="he", hidden=(64, 64)))
    run_until_stopped(session, ADVANCES["train_for"])
    assert "diverged at step" in session.message


def test_a_loss_that_explodes_but_stays_finite_is_called_divergence_too():
    chosen = Settings(optimizer="RMSprop", learning_rate=10.0, activation="identity", init="he", hidden=(64, 64, 64))
    session = Session(chosen)
    run_until_stopped(session, ADVANCES["train_for"])
    assert "diverged at step" in session.message and "over 100 times where it started" in session.message
    assert max(session.history["train_loss"]) <= 100 * session.history["train_loss"][0]  # no exploded row kept


def test_a_run_that_diverges_at_its_first_step_keeps_its_first_history_row():
    session = Session(Settings(learning_rate=10.0))
    session.model.flat_params[...] = 1e308  # finite weights whose loss is not
    session.playing = True
    session.train_for(0.04)
    assert not session.playing and "diverged at step 1" in session.message
    assert session.history["step"] == [0] and session.latest()["step"] == 0


# --- load_weights ----------------------------------------------------------------------------------------------------


def test_weights_of_another_architecture_load_and_predict_like_their_source():
    source = trained(Settings(hidden=(7, 5), activation="tanh", init="xavier", optimizer="Adam", learning_rate=0.01))
    session = trained(Settings(optimizer="Adam", learning_rate=0.01))

    loaded = load(session, export.weights_bytes(source.model))

    assert loaded == session.settings
    assert loaded == Settings(hidden=(7, 5), activation="tanh", init="xavier", optimizer="Adam", learning_rate=0.01)
    assert session.model.config == source.model.config
    np.testing.assert_array_equal(session.model.flat_params, source.model.flat_params)
    np.testing.assert_array_equal(session.grid_probabilities(), source.grid_probabilities())
    assert session.trainer.model is session.model and session.trainer.step_count == 0
    assert optimizer_state(session.optimizer) == {} and session.history["epoch"] == [0]
    assert (session.latest()["train_loss"], session.latest()["train_accuracy"]) == loss_and_accuracy(
        source.model, source.features_train, source.data.t_train
    )
    before = weights_of(session)
    session.trainer.train_steps(2)  # and training goes on from them
    assert not np.array_equal(session.model.flat_params, before)


def test_weights_with_an_activation_per_layer_load_with_them():
    source = MLP(2, [5, 4], 3, ["relu", "tanh"], seed=0)
    session = Session()
    loaded = load(session, export.weights_bytes(source))
    assert loaded.layer_activations == ("relu", "tanh") and loaded.activations == ("relu", "tanh")
    assert from_query(to_query(loaded)) == (loaded, [])
    np.testing.assert_array_equal(session.model.flat_params, source.flat_params)


def test_weights_with_dropout_load_with_their_rates_and_keep_dropping_as_they_train():
    source = MLP(2, [5, 4], 3, dropout=[0.5, 0.0], seed=0)
    session = Session()
    loaded = load(session, export.weights_bytes(source))
    assert loaded.dropout == (0.5, 0.0) and session.settings == loaded
    assert from_query(to_query(loaded)) == (loaded, [])
    assert [layer.dropout_ratio for layer in session.model.dropouts.values()] == [0.5]
    np.testing.assert_array_equal(session.model.flat_params, source.flat_params)
    assert session.apply(loaded) == "none"  # the page's widgets, set from the file, say what it holds


def test_loaded_weights_take_the_sessions_precision():
    source = MLP(2, [6], 3, "relu", "he", seed=0)
    session = Session(Settings(precision="float32"))
    load(session, export.weights_bytes(source))
    assert session.model.dtype == np.float32
    np.testing.assert_array_equal(session.model.flat_params, source.flat_params.astype(np.float32))


def test_loaded_weights_bring_their_regularisation_and_float32_becomes_float64():
    source = MLP(2, [6], 3, "relu", "he", weight_decay=0.01, dtype=np.float32, seed=0)
    session = Session()
    loaded = load(session, export.weights_bytes(source))
    assert (loaded.regularization, loaded.reg_rate, loaded.activation, loaded.init) == ("L2", 0.01, "relu", "he")
    assert session.model.dtype == np.float64 and session.model.weight_decay == 0.01
    np.testing.assert_array_equal(session.model.flat_params, source.flat_params.astype(np.float64))


def test_loaded_model_penalties_follow_the_returned_settings():
    session = Session(Settings(regularization="L2", reg_rate=0.01))
    loaded = load(session, export.weights_bytes(MLP(2, [5], 3, "sigmoid", "std:0.01", seed=0)))
    assert (session.model.weight_decay, session.model.l1) == penalties(loaded)


@pytest.mark.parametrize("hidden", [[300], [4] * 9], ids=["width-300", "9-layers"])
def test_loaded_settings_stay_within_the_pages_ranges(hidden):
    session = Session()
    file_bytes = export.weights_bytes(MLP(2, hidden, 3, "sigmoid", "std:0.01", seed=0))
    try:
        loaded = load(session, file_bytes)
    except ValueError:
        return  # refusing it is fine too
    assert from_query(to_query(loaded)) == (loaded, [])


BAD_FILES = {
    "wrong-input-size": export.weights_bytes(MLP(3, [5], 3, seed=0)),
    "wrong-class-count": export.weights_bytes(MLP(2, [5], 4, seed=0)),
    "regression": export.weights_bytes(MLP(2, [5], 3, loss="mse", seed=0)),
    "dropout-above-the-pages": export.weights_bytes(MLP(2, [5], 3, dropout=0.95, seed=0)),
    "garbage": b"these are not the weights you are looking for",
    "empty": b"",
    "pickle": pickle.dumps({"layers.0.W": np.zeros((2, 10))}),
    "npy": npy_bytes(np.zeros((2, 10))),
    "truncated": export.weights_bytes(MLP(2, [10], 3, seed=0))[:200],
}


@pytest.mark.parametrize("file_bytes", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_weights_file_raises_and_leaves_the_session_alone(file_bytes):
    session = trained(Settings(optimizer="Adam", learning_rate=0.01))
    model, optimizer, trainer, settings, weights = (
        session.model,
        session.optimizer,
        session.trainer,
        session.settings,
        weights_of(session),
    )
    history = {column: list(values) for column, values in session.history.items()}

    with pytest.raises(ValueError):
        load(session, file_bytes)

    assert session.model is model and session.optimizer is optimizer and session.trainer is trainer
    assert session.settings == settings and session.history == history
    np.testing.assert_array_equal(session.model.flat_params, weights)


# --- uploaded points ------------------------------------------------------------------------------------------------


def test_an_upload_is_kept_but_not_shown_while_another_data_set_is_chosen():
    session = trained()
    model, weights, x_train = session.model, weights_of(session), session.data.x_train.copy()
    points = uploaded_points()

    session.use_uploaded(points)

    assert session.uploaded is points
    assert session.model is model
    np.testing.assert_array_equal(session.model.flat_params, weights)
    np.testing.assert_array_equal(session.data.x_train, x_train)


def test_choosing_upload_trains_on_the_uploaded_points():
    points = uploaded_points()
    session = Session(uploaded=points)
    assert session.apply(session.settings.replace(dataset="upload")) == "rebuild"
    assert sorted(map(tuple, session.data.points)) == sorted(map(tuple, points[0]))
    assert session.data.classes == 2 and session.model.config["output_size"] == 2


def test_a_new_upload_replaces_the_shown_points_with_fresh_weights():
    first, second = uploaded_points(seed=0), uploaded_points(n=40, seed=1)
    session = trained(Settings(dataset="upload"), uploaded=first)
    old_model = session.model

    session.use_uploaded(second)

    assert session.uploaded is second and session.model is not old_model
    assert sorted(map(tuple, session.data.points)) == sorted(map(tuple, second[0]))
    assert session.trainer.step_count == 0 and session.history["epoch"] == [0]
    np.testing.assert_array_equal(
        session.model.flat_params, Session(Settings(dataset="upload"), second).model.flat_params
    )


# --- precision, schedules, targets, activations per layer ---------------------------------------------------------


def test_precision_rebuilds_the_same_initial_weights_in_float32():
    session = Session()
    initial = weights_of(session)
    assert session.apply(session.settings.replace(precision="float32")) == "rebuild"
    assert session.model.dtype == np.float32 and session.trainer._x.dtype == np.float32
    np.testing.assert_array_equal(session.model.flat_params, initial.astype(np.float32))
    session.train_for(0.05)
    assert session.grid_probabilities().dtype == np.float32 and np.isfinite(session.latest()["train_loss"])


def test_an_activation_per_layer_builds_those_layers():
    session = Session(Settings(hidden=(4, 3)))
    assert session.apply(session.settings.replace(layer_activations=("relu", "tanh"))) == "rebuild"
    assert session.model.config["activation"] == ["relu", "tanh"]
    assert [type(layer).__name__ for layer in session.model.layers[1::2]] == ["ReLU", "Tanh"]


@pytest.mark.parametrize(("schedule", "expected"), [("step", [1.0, 1.0, 0.5, 0.5, 0.25]), ("constant", [1.0] * 5)])
def test_a_schedule_sets_the_rate_of_each_epoch(schedule, expected):
    session = Session(Settings(schedule=schedule, schedule_epochs=2))
    rates = []
    for _ in range(5):
        rates.append(session.optimizer.lr)
        session.step_epoch()
    assert rates == expected


def test_a_schedule_and_a_new_rate_act_on_the_running_training():
    session = trained(Settings(schedule_epochs=2), steps=40)  # 8 steps per epoch: epoch 5
    optimizer = session.optimizer
    assert session.apply(session.settings.replace(schedule="step")) == "live"
    assert session.optimizer is optimizer and optimizer.lr == 0.25  # 1.0 halved at epochs 2 and 4
    assert session.apply(session.settings.replace(learning_rate=0.4)) == "live"
    assert optimizer.lr == 0.1
    assert session.apply(session.settings.replace(schedule="cosine")) == "live"  # 5 epochs past its 2: the floor
    assert optimizer.lr == 0.0


def test_training_pauses_at_the_epoch_to_stop_at_and_goes_on_when_played_again():
    session = Session(Settings(stop_epoch=3))
    session.playing = True
    while session.playing:
        session.train_for(0.05)
    assert session.trainer.current_epoch == 3 and session.history["epoch"][-1] == 3
    assert "Reached epoch 3" in session.notice and session.message is None
    session.playing = True
    session.train_for(0.05)
    assert session.playing and session.trainer.current_epoch > 3 and session.notice is None


def test_training_pauses_when_the_loss_falls_to_the_target():
    session = Session(Settings(stop_loss=0.9))
    session.playing = True
    for _ in range(200):
        session.train_for(0.05)
        if not session.playing:
            break
    losses = session.history["train_loss"]
    assert not session.playing and losses[-1] <= 0.9 < losses[-2]
    assert "training loss reached" in session.notice


def test_precision_speeds_time_copies_and_leave_the_run_alone():
    session = trained(Settings(hidden=(32, 32)))
    weights, steps = weights_of(session), session.trainer.step_count
    speeds = session.precision_speeds(seconds=0.05)
    assert set(speeds) == {"float64", "float32"} and all(speed > 0 for speed in speeds.values())
    np.testing.assert_array_equal(session.model.flat_params, weights)
    assert session.trainer.step_count == steps


def test_the_timeline_records_each_change_to_the_running_training_at_its_step():
    session = trained(steps=12)
    start = session.settings
    faster = start.replace(learning_rate=0.3)
    session.apply(faster)
    session.trainer.train_steps(5)
    adam = faster.replace(optimizer="Adam", batch_size=10)
    session.apply(adam)
    assert session.timeline == [(0, start), (12, faster), (17, adam)]
    session.apply(adam.replace(hidden=(4,)))
    assert session.timeline == [(0, adam.replace(hidden=(4,)))] and session.no_script is None


@pytest.mark.skipif(not gpu_available(), reason="needs CuPy and a GPU")
def test_a_session_trains_on_the_gpu_like_on_the_cpu():
    on_cpu, on_gpu = Session(Settings(precision="float32")), Session(Settings(precision="cupy"))
    for session in (on_cpu, on_gpu):
        for _ in range(20):
            session.step_epoch()
    assert on_gpu.model.xp.__name__ == "cupy"
    np.testing.assert_allclose(on_gpu.history["train_loss"], on_cpu.history["train_loss"], rtol=1e-4)
    probabilities, hidden = on_gpu.grid_pass()
    assert isinstance(probabilities, np.ndarray) and all(isinstance(layer, np.ndarray) for layer in hidden)
    np.testing.assert_allclose(probabilities, on_cpu.grid_probabilities(), atol=1e-5)
    np.testing.assert_array_equal(on_gpu.confusion_matrix("test"), on_cpu.confusion_matrix("test"))
    assert max(on_gpu.gradient_check().values()) < 1e-5
    assert set(on_gpu.precision_speeds(("float32", "cupy"), seconds=0.05)) == {"float32", "cupy"}
    load(on_gpu, export.weights_bytes(on_cpu.model))
    assert on_gpu.model.xp.__name__ == "cupy"
    np.testing.assert_allclose(on_gpu.grid_probabilities(), on_cpu.grid_probabilities(), atol=1e-6)


def test_choosing_the_same_activations_per_layer_keeps_the_run():
    session = trained(Settings(hidden=(5, 4), activation="tanh"))
    weights, steps = weights_of(session), session.trainer.step_count
    assert session.apply(session.settings.replace(layer_activations=("tanh", "tanh"))) == "none"
    assert session.trainer.step_count == steps
    np.testing.assert_array_equal(session.model.flat_params, weights)
    assert session.apply(session.settings.replace(layer_activations=("tanh", "relu"))) == "rebuild"


def test_the_target_notice_goes_once_training_goes_on():
    session = Session(Settings(stop_epoch=1))
    session.step_epoch()
    session.guards.reached_target()  # as train_for would have found it
    assert "Reached epoch 1" in session.notice
    session.step_epoch()
    assert session.notice is None
    session.notice = "old"
    session.apply(session.settings.replace(stop_epoch=5))
    assert session.notice is None


def test_with_point_adds_one_point_and_can_open_a_new_class():
    x, t = np.zeros((3, 2)), np.eye(2, dtype=np.int64)[[0, 1, 0]]
    more_x, more_t = with_point(x, t, (0.5, -0.25), 1)
    np.testing.assert_array_equal(more_x[-1], [0.5, -0.25])
    assert more_t.tolist() == [[1, 0], [0, 1], [1, 0], [0, 1]]
    _, new_class = with_point(x, t, (0.0, 0.0), 2)
    assert new_class.shape == (4, 3) and new_class[-1].tolist() == [0, 0, 1] and new_class[:3, 2].sum() == 0


def test_the_grid_pass_gives_hidden_outputs_only_when_asked():
    session = Session(Settings(hidden=(5, 4)))
    probabilities, hidden = session.grid_pass()
    assert [layer.shape for layer in hidden] == [(100 * 100, 5), (100 * 100, 4)]
    alone, none = session.grid_pass(with_hidden=False)
    np.testing.assert_array_equal(alone, probabilities)
    assert none == []


def test_the_history_stays_bounded_keeping_the_first_and_the_recent_epochs(monkeypatch):
    monkeypatch.setattr("playground.session.core.MAX_HISTORY_ROWS", 40)
    session = Session(Settings(batch_size=240))  # one step per epoch
    for _ in range(200):
        session.step_epoch()
    epochs = session.history["epoch"]
    assert len(epochs) <= 40 and all(len(values) == len(epochs) for values in session.history.values())
    assert epochs[0] == 0 and epochs[-1] == 200 and epochs == sorted(epochs)
    assert epochs[-15:] == list(range(186, 201))  # the recent epochs, every one
    steps = dict(zip(session.history["epoch"], session.history["step"]))
    assert all(steps[epoch] == epoch for epoch in epochs)  # rows stay whole: each epoch with its own step


# --- a tick's budget at the largest settings -------------------------------------------------------------------


def test_a_network_not_yet_timed_takes_one_step_first():
    session = Session(Settings(hidden=(64, 64)))
    session.train_for(1e-9)
    assert session.trainer.step_count == 1


def test_an_epochs_end_that_would_overrun_the_budget_waits_for_the_next_tick():
    session = Session(Settings(batch_size=30))  # 8 steps per epoch
    session.train_for(1e-9)  # times a step
    session._record_seconds = 3600.0  # as if measuring the epoch would take an hour
    session.train_for(0.05)
    assert session.trainer.current_epoch == 0 and session.trainer.steps_left_in_epoch == 1
    assert session.history["epoch"] == [0]
    session.train_for(0.05)  # a fresh tick: its first chunk ends the epoch however long that takes
    assert session.history["epoch"][:2] == [0, 1]


def coding_error(values):
    """What a playing pass's one-byte hidden outputs may be off by: half a level of a neuron's range."""
    return np.ptp(values, axis=0) / (2 * 254)


def test_a_playing_grid_pass_refreshes_a_part_of_the_grid_and_in_turn_all_of_it():
    session = Session(Settings(hidden=(16, 16)))
    session.grid_pass(seconds=1e-9)  # the first pass of a playing page is whole
    session.trainer.train_steps(50)
    probabilities, hidden = session.grid_pass(seconds=1e-9)  # one row of the grid, the first
    fresh, fresh_hidden = session.model.predict_with_hidden(session.grid_features)
    first_row = slice(GRID_RESOLUTION)
    np.testing.assert_allclose(probabilities[first_row], fresh[first_row])
    error = coding_error(fresh_hidden[1])
    assert (abs(hidden[1][first_row, :] - fresh_hidden[1][first_row]) <= error).all()
    assert not np.allclose(probabilities[GRID_RESOLUTION:], fresh[GRID_RESOLUTION:])  # the rest as last drawn
    for _ in range(GRID_RESOLUTION - 1):
        probabilities, hidden = session.grid_pass(seconds=1e-9)
    np.testing.assert_allclose(probabilities, fresh)
    assert (abs(np.asarray(hidden[0]) - fresh_hidden[0]) <= coding_error(fresh_hidden[0])).all()


def test_a_grid_pass_without_the_hidden_outputs_drops_them_and_the_next_with_them_is_whole():
    session = Session(Settings(hidden=(8,)))
    session.grid_pass(seconds=1e-9)
    assert session.grid_pass(with_hidden=False, seconds=1e-9)[1] == []
    session.trainer.train_steps(20)
    _, hidden = session.grid_pass(seconds=1e-9)
    fresh = session.model.predict_with_hidden(session.grid_features)[1][0]
    assert (abs(np.asarray(hidden[0]) - fresh) <= coding_error(fresh)).all()


def test_an_epochs_metrics_are_measured_on_at_most_a_thousand_points_of_each_split():
    session = Session(Settings(dataset="spiral", classes=6, points=1000, hidden=(4,)))
    assert len(session.features_train) == 4800 and len(session.features_test) == 1200
    loss, accuracy = loss_and_accuracy(session.model, session.features_train[:1000], session.data.t_train[:1000])
    test_loss, _ = loss_and_accuracy(session.model, session.features_test[:1000], session.data.t_test[:1000])
    latest = session.latest()
    assert (latest["train_loss"], latest["train_accuracy"], latest["test_loss"]) == (loss, accuracy, test_loss)


def test_a_run_waiting_for_the_session_cuts_a_ticks_training_short():
    session = Session(Settings(batch_size=30))
    session.train_for(0.01)  # timed
    session.hurry = True
    taken = session.train_for(10.0)  # ten seconds' budget, left after the first chunk
    assert taken <= session.trainer.iterations_per_epoch


def test_the_session_imports_neither_streamlit_nor_plotly():
    """The training session is the engine's side of the page: the browser's libraries stay out of it."""
    code = "import json, sys, playground.session; print(json.dumps(list(sys.modules)))"
    root = Path(__file__).resolve().parents[1]
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=root, check=True)
    loaded = {name.split(".")[0] for name in json.loads(result.stdout)}
    assert "numpy" in loaded and not loaded & {"streamlit", "plotly"}


def test_held_asks_the_training_to_hurry_while_it_waits_for_the_lock_and_no_longer_once_it_has_it():
    session = Session()
    seen = []

    def page_run():
        with session.held():
            seen.append(session.hurry)

    with session.lock:  # as the live socket's training holds it
        waiter = threading.Thread(target=page_run)
        waiter.start()
        deadline = time.perf_counter() + 5
        while not session.hurry and time.perf_counter() < deadline:
            time.sleep(0.001)
        assert session.hurry and seen == []
    waiter.join(5)
    assert seen == [False] and not session.hurry


def test_a_step_after_a_divergence_trains_on_from_the_weights_put_back_to_the_next_epoch_and_pauses():
    session = Session(Settings(learning_rate=1e6, optimizer="SGD"))
    session.play()
    session.train_for(1.0)
    assert session.message is not None and not session.playing
    session.apply(Settings(learning_rate=0.1, optimizer="SGD"))
    target = session.trainer.current_epoch + 1
    session.step_to(target)
    assert session.message is None and not session.playing
    assert session.trainer.current_epoch == target and session.history["epoch"][-1] == target
