"""playground.pins: pin up to five runs, name them by what differs, tabulate their final metrics."""

import io

import numpy as np
import pytest

from nnlib.io import load_model
from playground.charts import compare_curves
from playground.pins import MAX_PINNED, labels, metrics_table, pin, unpin
from playground.session import Session
from playground.session.weights import MAX_WEIGHTS_BYTES
from playground.settings import FEATURES, MAX_HIDDEN_LAYERS, MAX_WIDTH, Settings


def session_after(settings, epochs=2):
    session = Session(settings)
    for _ in range(epochs):
        session.step_epoch()
    return session


def test_a_pin_keeps_the_run_as_it_was_when_pinned():
    session = session_after(Settings())
    pins = pin([], session)
    run = pins[0]
    assert run.number == 1 and run.settings == session.settings and run.steps == session.trainer.step_count
    assert run.history == session.history and run.history is not session.history
    weights = session.model.flat_params.copy()
    session.step_epoch()  # the run goes on; the pin does not
    assert run.history["epoch"] == [0, 1, 2]
    np.testing.assert_array_equal(load_model(io.BytesIO(run.weights)).flat_params, weights)


def test_a_pin_keeps_at_most_max_pinned_rows_of_history_the_first_and_the_last_among_them(monkeypatch):
    monkeypatch.setattr("playground.pins.MAX_PINNED_ROWS", 10)
    session = session_after(Settings(batch_size=240), 30)  # one step an epoch: 31 rows
    run = pin([], session)[0]
    assert all(len(values) == 10 for values in run.history.values())
    assert run.history["epoch"][0] == 0 and run.history["epoch"][-1] == 30 and run.steps == session.trainer.step_count
    rows = [session.history["epoch"].index(epoch) for epoch in run.history["epoch"]]
    assert rows == sorted(rows) and all(
        run.history[column] == [session.history[column][row] for row in rows] for column in session.history
    )  # whole rows of the run, in order


def test_a_pin_of_the_largest_network_keeps_its_weights_as_a_file_within_the_bound():
    session = Session(Settings(hidden=(MAX_WIDTH,) * MAX_HIDDEN_LAYERS, features=FEATURES))
    weights = pin([], session)[0].weights
    assert isinstance(weights, bytes) and len(weights) <= MAX_WEIGHTS_BYTES
    np.testing.assert_array_equal(load_model(io.BytesIO(weights)).flat_params, session.model.flat_params)


def test_at_most_five_pins_and_numbers_are_never_reused():
    session = Session()
    pins = []
    for _ in range(MAX_PINNED):
        pins = pin(pins, session)
    with pytest.raises(ValueError, match="unpin one"):
        pin(pins, session)
    pins = pin(unpin(pins, 2), session)
    assert [run.number for run in pins] == [1, 3, 4, 5, 6]


def test_labels_name_only_the_settings_that_differ():
    base = Settings()
    pins = pin([], session_after(base, 1))
    assert labels(pins) == {1: "run 1"}
    pins = pin(pins, session_after(base.replace(learning_rate=0.3), 1))
    pins = pin(pins, session_after(base.replace(learning_rate=0.3, optimizer="Adam", hidden=(8, 4)), 1))
    assert labels(pins) == {
        1: "run 1: hidden 10, optimizer SGD, lr 1",
        2: "run 2: hidden 10, optimizer SGD, lr 0.3",
        3: "run 3: hidden 8,4, optimizer Adam, lr 0.3",
    }
    same = pin(pin([], session_after(base, 1)), session_after(base, 1))
    assert labels(same) == {1: "run 1", 2: "run 2"}


def test_the_metrics_table_holds_each_runs_last_epoch():
    first, second = session_after(Settings(), 3), session_after(Settings(learning_rate=0.1), 1)
    table = metrics_table(pin(pin([], first), second))
    assert list(table.index) == ["run 1: lr 1", "run 2: lr 0.1"]
    assert table["epochs"].tolist() == [3, 1]
    assert table["steps"].tolist() == [first.trainer.step_count, second.trainer.step_count]
    assert table["train loss"].tolist() == [first.latest()["train_loss"], second.latest()["train_loss"]]
    assert table["test accuracy"].tolist() == [first.latest()["test_accuracy"], second.latest()["test_accuracy"]]


def test_the_comparison_chart_draws_loss_and_accuracy_per_run_with_one_legend_entry():
    runs = pin(pin([], session_after(Settings(), 3)), session_after(Settings(learning_rate=0.1), 2))
    names = labels(runs)
    figure = compare_curves(runs, names)
    assert len(figure.data) == 4
    assert [trace.name for trace in figure.data if trace.showlegend] == ["run 1: lr 1", "run 2: lr 0.1"]
    loss, accuracy = figure.data[2], figure.data[3]
    np.testing.assert_allclose(loss.y, runs[1].history["train_loss"], rtol=1e-6)
    np.testing.assert_allclose(accuracy.y, runs[1].history["train_accuracy"], rtol=1e-6)
    assert loss.line.color == accuracy.line.color != figure.data[0].line.color
    assert (loss.yaxis, accuracy.yaxis) == ("y", "y2")


def test_runs_that_differ_in_one_layers_activation_are_named_by_it():
    base = Settings(hidden=(6, 6))
    pins = pin(pin([], session_after(base, 1)), session_after(base.replace(layer_activations=("relu", "tanh")), 1))
    pins = pin(pins, session_after(base.replace(layer_activations=("sigmoid", "sigmoid")), 1))  # = run 1's
    assert labels(pins) == {
        1: "run 1: activation sigmoid",
        2: "run 2: activation relu,tanh",
        3: "run 3: activation sigmoid",
    }


def test_a_pinned_regressions_r2_has_columns_of_its_own():
    classifier, regression = session_after(Settings(), 2), session_after(Settings(dataset="plane"), 2)
    table = metrics_table(pin(pin([], classifier), regression))
    assert table["test accuracy"].tolist()[0] == classifier.latest()["test_accuracy"]
    assert table["test R²"].tolist()[1] == regression.latest()["test_accuracy"]
    assert np.isnan(table["test accuracy"].tolist()[1]) and np.isnan(table["test R²"].tolist()[0])
