"""What the live view is sent of a step in slow motion and of the paused probe (playground/live/frames.py), checked
against the stage's own data (``SlowStep.data``, itself checked against nnlib in test_step_stages.py) and against
the session's probe of the same points of the plane."""

import base64
import json

import numpy as np
import pytest

from playground.charts import region_codes, value_codes
from playground.live import frames
from playground.network import MAX_SHOWN_NEURONS
from playground.session import Session
from playground.settings import Settings


def floats(text):
    return np.frombuffer(base64.b64decode(text), dtype=np.float32)


def slowed(settings=None, steps=3):
    """A session after a few steps, in slow motion on the diagram's neurons: its SlowStep."""
    session = Session(settings or Settings(optimizer="Adam", learning_rate=0.01, hidden=(6, 5), activation="tanh"))
    for _ in range(steps):
        session.step()
    return session.enter_slow_step(frames.shown_neurons(session.model), point=2)


def at(slow, stage):
    """The view's data of ``stage``, and the stage's own."""
    while slow.stage_name != stage:
        slow.next_stage()
    sent = frames.slow_frame(slow, len(slow.session.grid_x1), hard=False)
    json.dumps(sent, allow_nan=False)
    return sent, slow.data()


def cut(vectors, counts):
    return np.concatenate([np.asarray(vector)[:count] for vector, count in zip(vectors, counts)]).astype(np.float32)


def test_every_stage_names_the_batch_by_its_training_rows_and_the_point_followed():
    slow = slowed()
    for stage in ("batch", "forward", "backward", "update"):
        sent, data = at(slow, stage)
        assert sent["stage"] == stage and sent["step"] == 4 and sent["size"] == 30
        rows = np.frombuffer(base64.b64decode(sent["batch"]), dtype=np.int32)
        np.testing.assert_array_equal(rows, slow.batch.indices)
        assert sent["point"] == 2 and sent["pointRow"] == rows[2] == data["point_index"]
        assert sent["sizes"] == sent["shown"] == [2, 6, 5, 3] and not sent["thinned"]
    assert {"nodes", "links", "biases", "update", "regionsBefore"} & set(at(slow, "batch")[0]) == set()


def test_forward_sends_every_shown_neurons_value_for_the_point():
    slow = slowed()
    sent, data = at(slow, "forward")
    assert sent["nodes"]["first"] == 0 and "links" not in sent
    expected = cut([data["input"]["values"], *data["hidden"], data["probabilities"]], [2, 6, 5, 3])
    np.testing.assert_array_equal(floats(sent["nodes"]["values"]), expected)


def test_backward_sends_each_neurons_dout_each_links_dw_and_each_biass_db():
    slow = slowed()
    sent, data = at(slow, "backward")
    layers = data["layers"]  # Affine, Tanh, Affine, Tanh, Affine
    assert sent["nodes"]["first"] == 1
    expected = cut([layers[1]["dout"], layers[3]["dout"], data["loss_gradient"]], [6, 5, 3])
    np.testing.assert_array_equal(floats(sent["nodes"]["values"]), expected)
    np.testing.assert_array_equal(layers[4]["dout"], data["loss_gradient"])  # (y − t)/N arrives at the last Affine
    links = np.concatenate([link["dW"].ravel() for link in data["links"]]).astype(np.float32)
    np.testing.assert_array_equal(floats(sent["links"]), links)
    np.testing.assert_array_equal(floats(sent["biases"]), cut([link["db"] for link in data["links"]], [6, 5, 3]))


def test_the_update_sends_each_change_and_for_the_tips_the_weights_dw_the_rate_and_adams_state():
    slow = slowed()
    session = slow.session
    sent, data = at(slow, "update")
    links = data["links"]
    whole = {name: np.concatenate([link[name].ravel() for link in links]).astype(np.float32) for name in
             ("change", "W_before", "W_after", "dW")}  # fmt: skip
    np.testing.assert_array_equal(floats(sent["links"]), whole["change"])
    np.testing.assert_array_equal(floats(sent["biases"]), cut([link["b_change"] for link in links], [6, 5, 3]))
    update = sent["update"]
    assert update["optimizer"] == "Adam" and update["lr"] == data["lr"] and update["state"] == ["m", "v"]
    for name in ("W_before", "W_after", "dW"):
        np.testing.assert_array_equal(floats(update["tips"][name]), whole[name])
    np.testing.assert_array_equal(
        floats(update["tips"]["b_after"]), cut([link["b_after"] for link in links], [6, 5, 3])
    )
    state = np.concatenate([link["state"]["v"]["W"].ravel() for link in links]).astype(np.float32)
    np.testing.assert_array_equal(floats(update["tips"]["W_v"]), state)
    codes = region_codes(data["grid_before"], len(session.grid_x1), False)
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(sent["regionsBefore"]), np.uint8), codes.ravel())


def test_a_regressions_stages_send_its_prediction_and_its_regions_before_as_predicted_values():
    slow = slowed(Settings(dataset="wave", hidden=(8,), activation="tanh", init="auto", learning_rate=0.3))
    sent, data = at(slow, "forward")
    assert floats(sent["nodes"]["values"])[-1] == np.float32(data["scores"][0])  # the output node: y itself
    sent, data = at(slow, "update")
    codes = value_codes(data["grid_before"][:, 0])
    np.testing.assert_array_equal(np.frombuffer(base64.b64decode(sent["regionsBefore"]), np.uint8), codes)


def test_at_8_by_256_only_the_diagrams_neurons_and_links_are_sent_and_it_says_so():
    slow = slowed(Settings(hidden=(256,) * 8), steps=0)
    shown = [2] + [MAX_SHOWN_NEURONS] * 8 + [3]
    sent, data = at(slow, "backward")
    assert sent["thinned"] and sent["shown"] == shown and sent["sizes"] == [2, *(256,) * 8, 3]
    assert len(floats(sent["nodes"]["values"])) == sum(shown[1:])
    assert len(floats(sent["links"])) == sum(a * b for a, b in zip(shown, shown[1:]))
    np.testing.assert_array_equal(floats(sent["links"])[:24], data["links"][0]["dW"].ravel().astype(np.float32))


def test_slow_motion_rides_on_every_frame_while_it_lasts():
    slow = slowed()
    session = slow.session
    probabilities, hidden = session.grid_pass()
    assert frames.frame(session, probabilities, hidden, None, "en")["slow"]["stage"] == "batch"
    slow.next_stage()
    assert frames.frame(session, probabilities, None, None, "en")["slow"]["stage"] == "forward"
    session.leave_slow_step()
    assert "slow" not in frames.frame(session, probabilities, hidden, None, "en")


@pytest.mark.parametrize("hidden_sizes", [(10,), (4, 3), (256, 256)])
def test_the_paused_probe_reads_each_shown_neurons_value_as_nnlib_gives_it_at_the_grids_points(hidden_sizes):
    session = Session(Settings(hidden=hidden_sizes, features=("x1", "x2", "x1²")))
    session.step_epoch()
    probabilities, hidden = session.grid_pass()
    probe = frames.frame(session, probabilities, hidden, None, "en")["network"]["probe"]
    size, shown = probe["size"], frames.shown_neurons(session.model)
    values = np.frombuffer(base64.b64decode(probe["values"]), np.float16).reshape(size, size, sum(shown))
    ticks = np.linspace(0, len(session.grid_x1) - 1, size).round().astype(int)
    for row, column in ((0, 0), (3, 17), (size - 1, size // 2)):
        point = (session.grid_x1[ticks[column]], session.grid_x2[ticks[row]])
        probed = session.probe(point)  # one point through the model
        expected = cut([probed["input"]["values"], *probed["hidden"], probed["probabilities"]], shown)
        np.testing.assert_allclose(values[row, column], expected.astype(np.float16), rtol=1e-3, atol=1e-6)


def test_the_probe_is_sent_only_while_paused():
    session = Session()
    probabilities, hidden = session.grid_pass()
    session.play()
    assert "probe" not in frames.frame(session, probabilities, hidden, None, "en")["network"]
