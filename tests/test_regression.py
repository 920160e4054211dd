"""A regression in the playground: a surface's data trains an mse network, whose history holds R², whose view is a
field of values, whose weights files load back, and whose slow motion and added points are refused in words."""

import base64
import io

import numpy as np
import pytest

from nnlib.metrics import r2_score, rmse, rmse_from_loss
from nnlib.models import MLP
from playground import export
from playground.charts import VALUE_LEVELS, picture_codes, value_codes, value_palette
from playground.i18n import tr
from playground.live import frames
from playground.session import Session
from playground.session.passes import class_scores
from playground.settings import (
    REGRESSION_DATASETS,
    REGRESSION_LEARNING_RATE,
    Settings,
    classes_and_points,
    train_size,
)
from playground.tasks import TaskCheck, task_from_query

FIT = {"hidden": (8,), "activation": "tanh", "init": "auto", "learning_rate": 0.3}


def decoded(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


@pytest.mark.parametrize("dataset", REGRESSION_DATASETS)
def test_a_surface_trains_a_one_output_mse_network_on_points_in_all(dataset):
    session = Session(Settings(dataset=dataset, points=150))
    assert session.settings.regression and session.model.is_regression
    assert session.model.config["output_size"] == 1 and session.data.classes == 1
    assert len(session.data.points) == 150 == classes_and_points(session.settings)[1]
    assert len(session.data.x_train) == train_size(session.settings)


def test_its_history_records_the_squared_error_and_r2_and_r2_rises_as_it_fits():
    session = Session(Settings(dataset="plane", **FIT))
    first = session.latest()
    session.trainer.train_steps(400)
    session.pause()
    last = session.latest()
    predictions = class_scores(session.model, session.features_train[:1000])
    assert last["train_accuracy"] == pytest.approx(r2_score(predictions, session.data.t_train))
    assert rmse_from_loss(last["train_loss"]) == pytest.approx(rmse(predictions, session.data.t_train))
    assert first["train_accuracy"] < 0.1 < 0.9 < last["train_accuracy"] and last["test_accuracy"] > 0.9


def test_the_status_line_says_r2_and_rmse_in_the_pages_language():
    session = Session(Settings(dataset="plane"))
    latest = session.latest()
    status = frames.status_text(session, "en")
    assert f"R² train {latest['train_accuracy']:.3f}" in status and "accuracy" not in status
    assert f"RMSE train {rmse_from_loss(latest['train_loss']):.3f}" in status
    assert "RMSE" in frames.status_text(session, "ko") and "정확도" not in frames.status_text(session, "ko")


def test_values_are_coded_from_orange_through_white_to_blue_and_clipped_at_the_ends():
    codes = value_codes([-3.0, -1.0, 0.0, 1.0, 7.0, np.nan])
    assert codes.tolist() == [0, 0, VALUE_LEVELS // 2, VALUE_LEVELS - 1, VALUE_LEVELS - 1, VALUE_LEVELS // 2]
    palette = value_palette()
    assert palette[VALUE_LEVELS // 2].tolist() == [255, 255, 255]
    assert palette[0].tolist() == [230, 159, 0] and palette[-1].tolist() == [0, 114, 178]
    assert value_codes([-0.2, 0.3], hard=True).tolist() == [0, VALUE_LEVELS - 1]  # the sign only


def test_the_view_is_set_up_for_values_and_its_frames_draw_the_predictions():
    session = Session(Settings(dataset="bumps"))
    setup = frames.setup(session, ("show_network", "show_test"), False, None, "en")
    train, test = setup["points"]
    np.testing.assert_array_equal(decoded(train["labels"], np.uint8), value_codes(session.data.t_train[:, 0]))
    np.testing.assert_array_equal(decoded(test["labels"], np.uint8), value_codes(session.data.t_test[:, 0]))
    assert setup["regression"]["pointPalette"] == value_palette().tolist()
    assert len(setup["regionPalette"]) == VALUE_LEVELS
    assert setup["labels"]["accuracyAxis"] == "R² (dotted)" and "valueAt" in setup["labels"]
    assert [curve["name"] for curve in setup["curves"]][2:] == ["train R²", "test R²"]
    assert setup["network"]["outputs"] == ["value"]
    outputs, hidden = session.grid_pass()
    frame = frames.frame(session, outputs, hidden, None, "en")
    np.testing.assert_array_equal(
        decoded(frame["regions"], np.uint8), picture_codes(outputs, 100, regression=True).ravel()
    )
    rows = frames.sample_rows(100, frames.PROBABILITY_RESOLUTION)
    np.testing.assert_allclose(decoded(frame["values"], np.float16), outputs[rows, 0], atol=1e-3)
    assert "probabilities" not in frame


def test_a_classifiers_setup_has_no_regression():
    assert frames.setup(Session(), ("show_network",), False, None, "en")["regression"] is None


def test_a_regressions_weights_file_loads_back_and_a_classifiers_is_refused_in_words():
    session = Session(Settings(dataset="wave", **FIT))
    session.trainer.train_steps(50)
    saved = export.weights_bytes(session.model)
    fresh = Session(Settings(dataset="wave", **FIT))
    fresh.load_weights(io.BytesIO(saved))
    np.testing.assert_array_equal(fresh.model.flat_params, session.model.flat_params)
    assert fresh.latest()["train_loss"] == pytest.approx(
        session.model.loss(session.features_train, session.data.t_train), rel=0.2
    )
    with pytest.raises(ValueError) as refused:
        fresh.load_weights(io.BytesIO(export.weights_bytes(MLP(2, [8], 3, seed=0))))
    assert "surface to fit" in tr(refused.value.args[0], "en")
    with pytest.raises(ValueError) as refused:
        Session().load_weights(io.BytesIO(saved))
    assert "regression" in tr(refused.value.args[0], "en")


def played(session, seconds=2.0):
    session.play()
    for _ in range(int(seconds / 0.05)):
        session.train_for(0.05)
        if not session.playing:
            break
    return session


@pytest.mark.parametrize("dataset", REGRESSION_DATASETS)
def test_at_the_default_rate_a_surface_diverges_in_steps_and_says_where_at_the_regressions_it_fits(dataset):
    session = played(Session(Settings(dataset=dataset)))
    said = tr(session.message, "en")
    assert not session.playing and session.trainer.step_count <= 10
    assert "It blew up in the output layer" in said and np.isfinite(session.model.flat_params).all()
    session = played(Session(Settings(dataset=dataset, learning_rate=REGRESSION_LEARNING_RATE)), seconds=0.5)
    assert session.playing and session.message is None and session.trainer.step_count > 1000


def test_a_regressions_accuracy_goal_asks_for_r2_and_is_checked_against_it():
    task, notices = task_from_query({"data": "plane", "goal_acc": "0.9"})
    assert notices == [] and tr(task.text, "en") == "Reach these goals: test R² at least 0.900."
    session = Session(Settings(dataset="plane", **FIT))
    check = TaskCheck(task)
    (goal,) = check.status(session).goals
    assert tr(goal.goal, "en") == "test R² at least 0.900" and not goal.met
    assert tr(goal.missing, "en").startswith("test R² ")
    session.trainer.train_steps(400)
    session.pause()
    assert check.status(session).met_epoch == session.trainer.current_epoch
    classifier, _ = task_from_query({"goal_acc": "0.9"})
    assert tr(classifier.text, "en") == "Reach these goals: test accuracy at least 90.0%."
