"""playground.live.frames: what the live view is sent, checked against the session it describes."""

import base64
import json

import numpy as np
import pytest

from playground.charts import region_codes
from playground.live import frames
from playground.network import MAX_SHOWN_NEURONS, PICTURE_SIZE, neuron_codes, sample_rows
from playground.session import Session
from playground.settings import Settings


def decoded(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def trained(settings=None, epochs=3):
    session = Session(settings)
    for _ in range(epochs):
        session.step_epoch()
    return session


ALL_OPTIONS = ("show_test", "hard_regions", "log_loss", "show_network")


def test_the_setup_carries_the_points_the_grid_and_the_labels():
    session = Session()
    setup = frames.setup(session, ALL_OPTIONS, False, (0, 0), "ko")
    (train, test) = setup["points"]
    np.testing.assert_array_equal(
        decoded(train["xy"], np.float32).reshape(-1, 2), session.data.x_train.astype(np.float32)
    )
    np.testing.assert_array_equal(decoded(test["labels"], np.uint8), session.data.t_test.argmax(axis=1))
    assert not train["hollow"] and test["hollow"]
    assert setup["grid"]["resolution"] == len(session.grid_x1)
    assert setup["grid"]["x1"][0] < session.data.points[:, 0].min() and setup["grid"]["x1"][1] > session.grid_x1[-1]
    assert setup["labels"]["epochAxis"] == "에폭" and setup["curves"][0]["name"] == "훈련 손실"
    assert setup["network"]["inputs"] == ["x1", "x2"] and len(setup["network"]["hidden"][0]["names"]) == 10
    assert setup["chosen"] == [0, 0] and setup["hard"] and setup["logLoss"]
    json.dumps(setup, allow_nan=False)  # the browser parses it: plain JSON


def test_a_setup_is_named_by_what_it_holds():
    session = Session()
    same = frames.setup(session, ("show_network",), True, (0, 1), "en")
    assert same["id"] == frames.setup(session, ("show_network",), True, (0, 1), "en")["id"]
    others = [
        frames.setup(session, ("show_network", "show_test"), True, (0, 1), "en"),
        frames.setup(session, ("show_network",), False, (0, 1), "en"),
        frames.setup(session, ("show_network",), True, (0, 2), "en"),
        frames.setup(session, ("show_network",), True, (0, 1), "ko"),
        frames.setup(Session(Settings(seed=3)), ("show_network",), True, (0, 1), "en"),
    ]
    assert len({same["id"], *(other["id"] for other in others)}) == 6


def test_without_the_network_the_setup_has_no_diagram():
    setup = frames.setup(Session(), (), True, (0, 0), "en")
    assert setup["network"] is None and setup["chosen"] is None and len(setup["points"]) == 1


def test_a_frame_holds_the_regions_and_the_status_of_the_session():
    session = trained()
    probabilities, hidden = session.grid_pass()
    frame = frames.frame(session, probabilities, hidden, (0, 0), "en")
    np.testing.assert_array_equal(decoded(frame["regions"], np.uint8), region_codes(probabilities, 100).ravel())
    assert frame["step"] == session.trainer.step_count == 24
    assert frame["status"].startswith("**Epoch 3** · step 24 · loss train ")
    assert frame["run"] == str(id(session.trainer))
    json.dumps(frame, allow_nan=False)


def test_the_status_shows_the_step_as_it_moves_within_an_epoch():
    """A big upload's epoch takes thousands of steps: the status must not stand at the last epoch's end."""
    session = Session()
    session.train_for(1.0, max_steps=5)  # an epoch is 8 steps here: still the first
    assert session.trainer.current_epoch == 0 and session.history["step"] == [0]
    assert frames.status_text(session, "en").startswith("**Epoch 0** · step 5 · loss train ")


def test_the_status_shows_the_speed_only_while_playing():
    session = trained()
    session.steps_per_second = 301.0
    session.playing = False
    assert "steps/s" not in frames.status_text(session, "en") and "반복" in frames.status_text(session, "ko")
    assert "초당" not in frames.status_text(session, "ko")
    session.playing = True
    assert frames.status_text(session, "en").endswith("batch 30 · 301 steps/s")
    assert frames.status_text(session, "ko").endswith("· 초당 301 반복")


def test_the_hover_reads_each_class_probability_on_a_coarser_grid():
    session = trained()
    probabilities, _ = session.grid_pass(with_hidden=False)
    coarse = decoded(frames.frame(session, probabilities, None, None, "en")["probabilities"], np.uint8)
    size = frames.PROBABILITY_RESOLUTION
    expected = np.rint(probabilities[sample_rows(100, size)] * 255).ravel()
    np.testing.assert_array_equal(coarse, expected)
    assert "probabilities" not in frames.frame(session, probabilities, None, None, "en", hover=False)


def test_rows_come_after_the_step_already_sent_and_nan_becomes_none():
    session = trained(epochs=4)
    rows = frames.history_rows(session.history, after_step=16)
    assert [row[1] for row in rows] == [24, 32] and rows[0][0] == 3
    assert [row[:2] for row in frames.history_rows(session.history)] == [[0, 0], [1, 8], [2, 16], [3, 24], [4, 32]]
    assert len(frames.history_rows({column: list(range(5_000)) for column in session.history})) == 2_000
    session.history["test_loss"][-1] = float("nan")
    assert frames.history_rows(session.history, after_step=24) == [[4, 32, session.history["train_loss"][-1], None,
                                                                   session.history["train_accuracy"][-1],
                                                                   session.history["test_accuracy"][-1]]]  # fmt: skip


@pytest.mark.parametrize("hidden_sizes", [(10,), (6, 4), (20, 3)])
def test_the_network_frame_has_the_shown_links_in_order_and_a_picture_per_shown_neuron(hidden_sizes):
    session = trained(Settings(hidden=hidden_sizes, activation="tanh"))
    probabilities, hidden = session.grid_pass()
    network = frames.frame(session, probabilities, hidden, (len(hidden_sizes) - 1, 1), "en")["network"]
    shown = [2, *(min(size, MAX_SHOWN_NEURONS) for size in hidden_sizes), 3]
    affine = session.model.layers[0::2]
    expected = np.concatenate([layer.params[0][:a, :b].ravel() for layer, a, b in zip(affine, shown, shown[1:])])
    np.testing.assert_array_equal(decoded(network["weights"], np.float32), expected.astype(np.float32))
    assert len(decoded(network["biases"], np.float32)) == sum(shown[1:])
    pictures = decoded(network["pictures"], np.uint8).reshape(-1, PICTURE_SIZE, PICTURE_SIZE)
    assert len(pictures) == sum(shown[1:-1])
    np.testing.assert_array_equal(pictures[0], neuron_codes(hidden[0][sample_rows(100), :1], PICTURE_SIZE)[0])
    chosen = hidden[-1][:, 1]
    big = network["big"]
    assert (big["low"], big["high"]) == (pytest.approx(chosen.min()), pytest.approx(chosen.max()))
    np.testing.assert_array_equal(decoded(big["codes"], np.uint8), neuron_codes(chosen[:, None], 100)[0].ravel())


def test_a_wide_layer_shows_its_first_neurons_and_says_how_many_more():
    setup = frames.setup(Session(Settings(hidden=(40,))), ("show_network",), False, (0, 30), "en")
    assert len(setup["network"]["hidden"][0]["names"]) == MAX_SHOWN_NEURONS
    assert setup["network"]["more"] == [[1, "+28 more"]]
    assert setup["network"]["chosenLabel"] == "layer 1 · neuron 31"  # beyond those shown, still shown large


def test_a_diverged_model_sends_no_nan():
    session = Session(Settings(hidden=(6,)))
    session.model.flat_params[...] = np.nan
    with np.errstate(invalid="ignore"):
        probabilities, hidden = session.grid_pass()
    frame = frames.frame(session, probabilities, hidden, (0, 0), "en")
    json.dumps(frame, allow_nan=False)
    assert frame["network"]["big"]["low"] is None


def test_a_frame_draws_its_neurons_the_same_from_a_pass_that_kept_only_theirs():
    session = trained(Settings(hidden=(32, 20), activation="tanh"), epochs=1)
    chosen = (1, 17)  # beyond the diagram's first neurons of its layer
    drawn = frames.drawn_neurons(session.model, chosen)
    assert drawn == [list(range(MAX_SHOWN_NEURONS)), [*range(MAX_SHOWN_NEURONS), 17]]
    every = frames.frame(session, *session.grid_pass(), chosen, "en")
    only_drawn = frames.frame(session, *session.grid_pass(neurons=drawn), chosen, "en")
    assert only_drawn == every  # paused: the probe, the pictures and the big map, number for number
    session.play()
    every, only_drawn = (
        frames.frame(session, *session.grid_pass(seconds=1.0, neurons=neurons), chosen, "en")
        for neurons in (None, drawn)
    )
    assert only_drawn["network"] == every["network"]  # the same codes of each neuron shown, kept between ticks
