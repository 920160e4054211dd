"""A training step in slow motion (playground/session/step_stages.py): every stage's numbers against nnlib's own
layers run apart on a copy of the model, gradients against central differences, and the session left bit for
bit as a run that took the same steps without slow motion, whatever the stage it is left at."""

import inspect

import numpy as np
import pytest

from nnlib.backend import to_numpy
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import Affine, Sigmoid, SoftmaxWithLoss, Tanh
from nnlib.optimizers import AdaGrad, Adam, Momentum, Nesterov, RMSprop
from nnlib.trainer import Trainer
from playground.session import Session
from playground.session.step_stages import STAGES
from playground.settings import OPTIMIZERS, Settings, gpu_available

RATES = {"SGD": 1.0, "Momentum": 0.1, "Nesterov": 0.1, "AdaGrad": 0.1, "RMSprop": 0.01, "Adam": 0.01}
STEPS_PER_EPOCH = 8  # the book's spiral: 240 training points in batches of 30


def chosen(optimizer="SGD", regularization="L2", precision="float64", **changes):
    """A small run with a penalty and a schedule that halves the rate every epoch: each epoch's rate differs."""
    return Settings(
        optimizer=optimizer,
        learning_rate=RATES[optimizer],
        regularization=regularization,
        reg_rate=1e-3,
        schedule="step",
        schedule_epochs=1,
        batch_size=30,
        hidden=(6, 5),
        activation="tanh",
        precision=precision,
    ).replace(**changes)


def stepped(settings, steps):
    """A session after ``steps`` single steps, as the Step control takes them."""
    session = Session(settings)
    for _ in range(steps):
        session.step()
    return session


def bits(array):
    return np.asarray(to_numpy(array)).tobytes()


def state_of(session):
    """Everything a step can change, as bytes and plain values: two sessions in the same state compare equal."""
    trainer, optimizer, model = session.trainer, session.optimizer, session.model
    rng = trainer._rng.get_state()
    return {
        "weights": bits(model.flat_params),
        "grads": bits(model.flat_grads),
        "optimizer": type(optimizer).__name__,
        "optimizer state": {
            name: [bits(array) for array in value] if isinstance(value, list) else value
            for name, value in vars(optimizer).items()
        },
        "trainer": (trainer.step_count, trainer.current_epoch, trainer._offset, trainer.batch_size),
        "rng": (rng[0], bits(rng[1]), *rng[2:]),
        "data order": (bits(trainer._x), bits(trainer._t), bits(trainer._order)),
        "history": {column: bits(np.array(values, dtype=float)) for column, values in session.history.items()},
        "timeline": session.timeline,
        "said": (session.message, session.notice, session.no_script, session.playing),
        "guards": (session.guards.finite_weights[0], bits(session.guards.finite_weights[1])),
    }


def walk_to(slow, stage):
    """→ and ← until ``stage`` is on show, having gone to the update and back twice on the way."""
    for move in ["next"] * 3 + ["previous"] * 3 + ["next"] * 3 + ["previous"]:
        getattr(slow, f"{move}_stage")()
    assert slow.stage_name == "backward"
    while slow.stage_name != stage:
        slow.next_stage() if STAGES.index(stage) > slow.stage else slow.previous_stage()


POSITIONS = {"mid-epoch": 3, "ends an epoch": STEPS_PER_EPOCH - 1, "starts an epoch": STEPS_PER_EPOCH}


@pytest.mark.parametrize("position", POSITIONS.values(), ids=POSITIONS.keys())
@pytest.mark.parametrize("regularization", ["L1", "L2"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
@pytest.mark.parametrize("stage", STAGES)
def test_leaving_at_any_stage_leaves_the_session_as_a_run_without_slow_motion(
    stage, optimizer, regularization, position
):
    settings = chosen(optimizer, regularization)
    shown, plain = stepped(settings, position), stepped(settings, position)
    shown.enter_slow_step()
    walk_to(shown.slow_step, stage)
    shown.leave_slow_step()
    if stage == "update":
        plain.step()
    for session in (shown, plain):
        session.trainer.next_batch()  # the shuffle an epoch's first batch draws: slow motion draws it before
    assert state_of(shown) == state_of(plain)
    for _ in range(2):
        shown.step()
        plain.step()
    assert state_of(shown) == state_of(plain)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_in_float32_too(optimizer):
    settings = chosen(optimizer, "L2", "float32")
    shown, plain = stepped(settings, STEPS_PER_EPOCH - 1), stepped(settings, STEPS_PER_EPOCH - 1)
    slow = shown.enter_slow_step()
    for _ in range(4):
        slow.next_stage()  # the update: the epoch's last step
    slow.next_stage()  # the next step's batch: a new epoch's shuffle
    slow.next_stage()
    plain.step()
    plain.trainer.next_batch()
    assert shown.model.dtype == np.float32 and state_of(shown) == state_of(plain)
    shown.step()
    plain.step()
    assert state_of(shown) == state_of(plain)


@pytest.mark.skipif(not gpu_available(), reason="needs CuPy and a GPU")
def test_on_the_gpu_too():
    settings = chosen("Adam", "L1", "cupy")
    shown, plain = stepped(settings, STEPS_PER_EPOCH - 1), stepped(settings, STEPS_PER_EPOCH - 1)
    slow = shown.enter_slow_step()
    walk_to(slow, "update")
    assert all(isinstance(link["dW"], np.ndarray) for link in slow.data()["links"])
    plain.step()
    assert shown.model.xp.__name__ == "cupy" and state_of(shown) == state_of(plain)
    assert shown.probe((0.5, 0.5))["probabilities"].shape == (3,)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_back_from_the_update_puts_the_weights_and_the_optimizers_state_back_bit_for_bit(optimizer):
    session = stepped(chosen(optimizer, "L1"), STEPS_PER_EPOCH - 1)
    slow = session.enter_slow_step()
    before = state_of(session)
    for _ in range(3):
        slow.next_stage()
    assert slow.stage_name == "update" and state_of(session) != before
    assert slow.previous_stage() == "backward"
    assert state_of(session) == before


# --- the batch --------------------------------------------------------------------------------------------------


def test_the_batch_is_the_real_shuffles_next_one_in_the_training_split():
    settings = chosen()
    session = Session(settings)
    slow = session.enter_slow_step()
    data = slow.data()
    shuffle = np.random.RandomState(settings.seed).permutation(len(session.features_train))  # the trainer's, restated
    assert data["stage"] == "batch" and data["step"] == 1 and data["size"] == 30
    np.testing.assert_array_equal(data["indices"], shuffle[:30])
    assert data["starts_epoch"] and not data["ends_epoch"] and (data["epoch"], data["iteration"]) == (0, 0)
    assert data["point"] == 0 and data["point_index"] == shuffle[0] and not data["can_go_back"]
    assert [item["name"] for item in data["sources"]] == ["Trainer.next_batch", "Trainer._next_rows"]
    assert data["sources"][0]["code"] == inspect.getsource(Trainer.next_batch)
    for _ in range(4):
        slow.next_stage()  # the next step's batch
    np.testing.assert_array_equal(slow.data()["indices"], shuffle[30:60])
    assert slow.data()["step"] == 2 and session.trainer.step_count == 1


def test_back_at_the_batch_stays_there_and_the_step_before_stays_taken():
    session = Session(chosen())
    slow = session.enter_slow_step()
    assert slow.previous_stage() == "batch"
    for _ in range(4):
        slow.next_stage()
    assert slow.previous_stage() == "batch" and session.trainer.step_count == 1


# --- forward and backward against nnlib's layers run apart ------------------------------------------------------


def apart(session, indices):
    """A copy of the session's model, the batch's inputs and labels, and each layer's outputs from the copy's own
    layers."""
    copy = session.model.astype(session.model.dtype)
    x = session.features_train[indices].astype(copy.dtype)
    t = session.data.t_train[indices].astype(copy.dtype)
    outputs = []
    for layer in copy.layers:
        outputs.append(layer.forward(outputs[-1] if outputs else x))
    return copy, x, t, outputs


@pytest.mark.parametrize("precision", ["float64", "float32"])
@pytest.mark.parametrize("regularization", ["none", "L1", "L2"])
def test_the_forward_stage_gives_every_layers_output_for_the_chosen_point(precision, regularization):
    session = stepped(chosen("Adam", regularization, precision, activation="sigmoid"), 11)
    slow = session.enter_slow_step(point=4)
    slow.next_stage()
    data = slow.data()
    copy, x, t, outputs = apart(session, slow.batch.indices)
    assert data["stage"] == "forward" and data["point"] == 4 and data["point_index"] == slow.batch.indices[4]
    assert data["input"]["shape"] == (30, 2) and data["input"]["values"].tolist() == x[4].tolist()
    assert [(layer["name"], layer["shape"]) for layer in data["layers"]] == [
        ("Affine", (30, 6)),
        ("Sigmoid", (30, 6)),
        ("Affine", (30, 5)),
        ("Sigmoid", (30, 5)),
        ("Affine", (30, 3)),
    ]
    assert [layer["values"].tolist() for layer in data["layers"]] == [output[4].tolist() for output in outputs]
    assert [hidden.tolist() for hidden in data["hidden"]] == [outputs[1][4].tolist(), outputs[3][4].tolist()]
    assert data["scores"].tolist() == outputs[-1][4].tolist()
    loss_layer = SoftmaxWithLoss()
    assert data["loss"] == loss_layer.forward(outputs[-1], t)
    assert data["probabilities"].tolist() == loss_layer.y[4].tolist()
    assert data["target"] == t[4].argmax()
    assert data["point_loss"] == pytest.approx(-np.log(loss_layer.y[4, data["target"]]), rel=1e-5)
    assert data["total_loss"] == copy.forward(x, t)
    assert data["penalty"] == (None if regularization == "none" else copy.penalty())
    names = [item["name"] for item in data["sources"]]
    assert names == ["Affine.forward", "Sigmoid.forward", "SoftmaxWithLoss.forward"] + (
        [] if regularization == "none" else ["MLP.penalty"]
    )
    assert data["sources"][1]["code"] == inspect.getsource(Sigmoid.forward)


# the book's 0.01·randn weights give gradients of 1e-6 and less, where central differences' rounding is ~1e-11:
# a wrong backward is off by far more
GRADIENT_TOLERANCE = 1e-5


def loss_from(model, first, output, t):
    """The batch's cross-entropy from ``output``, as if layer ``first - 1`` had given it, through the rest."""
    for layer in model.layers[first:]:
        output = layer.forward(output)
    return SoftmaxWithLoss().forward(output, t)


@pytest.mark.parametrize("regularization", ["none", "L2", "L1"])
def test_the_backward_stage_gives_each_layers_dout_and_each_links_gradient(regularization):
    session = stepped(chosen("Momentum", regularization), 5)
    slow = session.enter_slow_step(point=7)
    slow.next_stage()
    slow.next_stage()
    data = slow.data()
    copy, x, t, _ = apart(session, slow.batch.indices)
    copy.forward(x, t)
    arriving, dout = [], copy.loss_layer.backward()
    loss_gradient = dout[7].copy()
    for layer in reversed(copy.layers):
        arriving.insert(0, dout[7])
        dout = layer.backward(dout)
    assert data["stage"] == "backward" and data["can_go_back"]
    assert data["loss_gradient"].tolist() == loss_gradient.tolist()
    np.testing.assert_allclose(data["loss_gradient"], (copy.loss_layer.y[7] - t[7]) / 30, rtol=1e-12)  # (y − t)/N
    assert [layer["name"] for layer in data["layers"]] == ["Affine", "Tanh", "Affine", "Tanh", "Affine"]
    assert [layer["dout"].tolist() for layer in data["layers"]] == [values.tolist() for values in arriving]
    assert data["layers"][0]["dx"] is None  # the data need no gradient
    assert data["layers"][1]["dx"].tolist() == arriving[0].tolist()
    copy.forward(x, t)
    copy.backward()  # the whole model's backward, the penalty's part included
    for link, affine in zip(data["links"], copy.layers[0::2]):
        dW, db = affine.grads
        assert link["dW"].tolist() == dW.tolist() and link["db"].tolist() == db.tolist()
        assert link["shape"] == dW.shape and link["shown"] == dW.shape
        assert (link["dW_loss"] is None) == (regularization == "none")
        for shown, param in ((link["dW"], affine.params[0]), (link["db"], affine.params[1])):
            numerical = numerical_gradient(lambda: float(copy.forward(x, t)), param)
            assert relative_error(shown, numerical) < GRADIENT_TOLERANCE  # of the loss the step minimises
    outputs = apart(session, slow.batch.indices)[3]
    for index, layer in enumerate(data["layers"]):  # dout: the batch loss's gradient by the layer's output
        output = outputs[index].copy()
        loss = lambda first=index + 1, output=output: float(loss_from(copy, first, output, t))  # noqa: E731
        numerical = numerical_gradient(loss, output)
        assert relative_error(layer["dout"], numerical[7]) < GRADIENT_TOLERANCE
    names = [item["name"] for item in data["sources"]]
    assert names == ["SoftmaxWithLoss.backward", "Affine.backward", "Tanh.backward"] + (
        [] if regularization == "none" else ["MLP.penalty_backward"]
    )
    assert data["sources"][2]["code"] == inspect.getsource(Tanh.backward)


def test_the_penaltys_part_of_a_gradient_is_shown_apart():
    session = Session(chosen("SGD", "L2"))
    slow = session.enter_slow_step()
    slow.next_stage()
    slow.next_stage()
    weights = session.model.param_views(session.model.flat_params)
    for link, W in zip(slow.data()["links"], weights[0::2]):
        np.testing.assert_allclose(link["dW"] - link["dW_loss"], 1e-3 * W, rtol=1e-9, atol=1e-17)


def test_the_gradients_the_stages_computed_are_put_back_and_are_those_the_step_takes():
    session = stepped(chosen(), 2)
    grads = session.model.flat_grads.copy()
    slow = session.enter_slow_step()
    slow.next_stage()
    slow.next_stage()
    np.testing.assert_array_equal(session.model.flat_grads, grads)
    shown = slow.data()["links"]
    slow.next_stage()  # the update: the step computes them again
    taken = session.model.param_views(session.model.flat_grads)
    assert [link["dW"].tolist() for link in shown] == [W.tolist() for W in taken[0::2]]
    assert [link["db"].tolist() for link in shown] == [b.tolist() for b in taken[1::2]]


def test_choosing_another_point_follows_it_through_every_stage_the_update_included():
    session = stepped(chosen(), 1)
    slow = session.enter_slow_step()
    outputs = apart(session, slow.batch.indices)[3]
    for _ in range(3):
        slow.next_stage()
    slow.choose(12)
    assert slow.data()["point"] == 12 and slow.data()["point_index"] == slow.batch.indices[12]
    slow.previous_stage()
    slow.previous_stage()  # forward, of the weights before the step again
    assert slow.data()["scores"].tolist() == outputs[-1][12].tolist()
    slow.choose(29)
    assert slow.data()["layers"][1]["values"].tolist() == outputs[1][29].tolist()
    for point in (30, -1, 1.5):
        with pytest.raises(ValueError, match="30 points"):
            slow.choose(point)


# --- a regression ------------------------------------------------------------------------------------------------


def regression(regularization="L2"):
    return chosen("Momentum", regularization, dataset="wave", activation="tanh", init="auto").replace(learning_rate=0.3)


def test_a_regressions_stages_are_its_identity_output_and_squared_error():
    """The same walk with IdentityWithLoss: the last Affine's output is the prediction, the point's loss ½·(y − t)²,
    the gradient at the output (y − t)/N, and every dW the loss's own, by central differences."""
    session = stepped(regression(), 5)
    slow = session.enter_slow_step(point=3)
    slow.next_stage()
    forward = slow.data()
    copy, x, t, outputs = apart(session, slow.batch.indices)
    assert [layer["shape"] for layer in forward["layers"]][-1] == (30, 1)
    assert forward["probabilities"].tolist() == forward["scores"].tolist() == outputs[-1][3].tolist()  # y = x
    assert forward["target"] == t[3, 0] and isinstance(forward["target"], float)
    assert forward["point_loss"] == pytest.approx(0.5 * (outputs[-1][3, 0] - t[3, 0]) ** 2, rel=1e-12)
    assert forward["loss"] == pytest.approx(0.5 * np.mean((outputs[-1][:, 0] - t[:, 0]) ** 2), rel=1e-12)
    assert forward["total_loss"] == copy.forward(x, t)
    assert [item["name"] for item in forward["sources"]][-2:] == ["IdentityWithLoss.forward", "MLP.penalty"]
    slow.next_stage()
    backward = slow.data()
    np.testing.assert_allclose(backward["loss_gradient"], (outputs[-1][3] - t[3]) / 30, rtol=1e-12)
    assert backward["sources"][0]["name"] == "IdentityWithLoss.backward"
    for link, affine in zip(backward["links"], copy.layers[0::2]):
        numerical = numerical_gradient(lambda: float(copy.forward(x, t)), affine.params[0])
        assert relative_error(link["dW"], numerical) < GRADIENT_TOLERANCE


def test_a_regressions_update_is_its_plain_step_and_its_regions_are_predicted_values():
    settings = regression()
    shown, plain = stepped(settings, 3), stepped(settings, 3)
    slow = shown.enter_slow_step()
    walk_to(slow, "update")
    data = slow.data()
    plain.step()
    assert state_of(shown) == state_of(plain)
    assert data["grid_after"].shape == (len(shown.grid_x1) ** 2, 1)  # a predicted value per grid point
    np.testing.assert_array_equal(data["grid_after"], plain.grid_probabilities())
    assert data["loss_after"] == pytest.approx(float(plain.model.forward(*apart(plain, slow.batch.indices)[1:3])))


# --- the update -------------------------------------------------------------------------------------------------

STATES = {"Momentum": ["v"], "Nesterov": ["v"], "AdaGrad": ["h"], "RMSprop": ["h"], "Adam": ["m", "v"], "SGD": []}
UPDATES = {
    "SGD": ["SGD.update"],
    "Momentum": ["Momentum.update", "Momentum._move"],
    "Nesterov": ["Momentum.update", "Nesterov._move"],
    "AdaGrad": ["AdaGrad.update", "AdaGrad._accumulate"],
    "RMSprop": ["AdaGrad.update", "RMSprop._accumulate"],
    "Adam": ["Adam.update"],
}


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_the_update_shows_each_weights_change_and_the_optimizers_state_after(optimizer):
    settings = chosen(optimizer, "L2")
    session, plain = stepped(settings, STEPS_PER_EPOCH - 1), stepped(settings, STEPS_PER_EPOCH - 1)
    slow = session.enter_slow_step()
    copy, x, t, _ = apart(session, slow.batch.indices)
    grid_before = plain.grid_probabilities()
    for _ in range(3):
        slow.next_stage()
    data = slow.data()
    plain.step()
    before = copy.param_views(copy.flat_params)
    after = plain.model.param_views(plain.model.flat_params)
    assert data["stage"] == "update" and data["optimizer"] == optimizer
    assert data["lr"] == RATES[optimizer]  # epoch 0's rate: the schedule halves it only once this step ends it
    assert session.optimizer.lr == RATES[optimizer] / 2 and data["ended_epoch"] and data["step_taken"] == 8
    for index, link in enumerate(data["links"]):
        W, b = 2 * index, 2 * index + 1
        assert link["W_before"].tolist() == before[W].tolist() and link["W_after"].tolist() == after[W].tolist()
        assert link["b_before"].tolist() == before[b].tolist() and link["b_after"].tolist() == after[b].tolist()
        np.testing.assert_array_equal(link["change"], after[W] - before[W])
        np.testing.assert_array_equal(link["b_change"], after[b] - before[b])
        assert sorted(link["state"]) == STATES[optimizer]
        for name, state in link["state"].items():
            views = plain.model.param_views(getattr(plain.optimizer, name)[0])
            assert state["W"].tolist() == views[W].tolist() and state["b"].tolist() == views[b].tolist()
        if optimizer == "SGD":
            np.testing.assert_allclose(link["change"], -RATES["SGD"] * link["dW"], rtol=1e-10, atol=1e-15)
    assert data["hyper_parameters"].get("iter") == (STEPS_PER_EPOCH if optimizer == "Adam" else None)
    assert data["loss_before"] == copy.forward(x, t) and data["penalty_before"] == copy.penalty()
    assert data["loss_after"] == plain.model.forward(x, t) and data["penalty_after"] == plain.model.penalty()
    assert data["loss_after"] < data["loss_before"]
    np.testing.assert_array_equal(data["grid_before"], grid_before)
    np.testing.assert_array_equal(data["grid_after"], plain.grid_probabilities())
    assert [item["name"] for item in data["sources"]] == UPDATES[optimizer]
    kind = {"Momentum": Momentum, "Nesterov": Momentum, "AdaGrad": AdaGrad, "RMSprop": AdaGrad, "Adam": Adam}
    if optimizer in kind:
        assert data["sources"][0]["code"] == inspect.getsource(kind[optimizer].update)
    assert optimizer != "RMSprop" or data["sources"][1]["code"] == inspect.getsource(RMSprop._accumulate)
    assert optimizer != "Nesterov" or data["sources"][1]["code"] == inspect.getsource(Nesterov._move)


def test_a_step_that_diverges_in_slow_motion_says_so_and_back_from_it_undoes_that_too():
    session = Session(Settings(learning_rate=10.0))
    session.model.flat_params[...] = 1e308  # finite weights whose loss is not
    slow = session.enter_slow_step()
    before = state_of(session)
    slow.next_stage()
    assert not np.isfinite(slow.data()["total_loss"])  # a RuntimeWarning would fail here: pytest makes them errors
    slow.next_stage()
    slow.next_stage()
    assert "diverged at step 1" in slow.data()["message"] and "diverged" in session.message
    slow.previous_stage()
    assert state_of(session) == before and session.message is None


def test_a_step_that_reaches_the_epoch_to_stop_at_shows_the_notice():
    session = stepped(chosen(stop_epoch=1), STEPS_PER_EPOCH - 1)
    slow = session.enter_slow_step()
    for _ in range(3):
        slow.next_stage()
    assert "Reached epoch 1" in slow.data()["notice"]


# --- the largest network: small data ----------------------------------------------------------------------------


def numbers_sent(data):
    """How many numbers a stage's data hold, the grids of the regions (a frame's own) and the sources aside."""
    skipped = ("grid_before", "grid_after", "sources", "indices")
    if isinstance(data, dict):
        return sum(numbers_sent(value) for key, value in data.items() if key not in skipped)
    if isinstance(data, list | tuple):
        return sum(numbers_sent(value) for value in data)
    return np.size(data) if isinstance(data, np.ndarray) else 1


def test_at_8_by_256_every_neuron_is_sent_but_only_the_drawn_links_matrices():
    session = Session(Settings(hidden=(256,) * 8, activation="relu", init="he", optimizer="Adam", learning_rate=1e-3))
    shown = [2] + [12] * 8 + [3]  # the diagram's columns (playground.live.frames.shown_neurons)
    slow = session.enter_slow_step(shown)
    stages = {}
    while slow.stage_name not in stages:
        stages[slow.stage_name] = data = slow.data()
        assert data["thinned"] and data["shown"] == tuple(shown) and data["sizes"] == (2, *[256] * 8, 3)
        if slow.stage_name != "update":
            slow.next_stage()
    sizes = {stage: numbers_sent(data) for stage, data in stages.items()}
    assert max(sizes.values()) < 30_000, sizes  # the links alone would be 8 × 256² = 524,288 numbers each time
    assert [len(values) for values in stages["forward"]["hidden"]] == [256] * 8
    assert [len(layer["dout"]) for layer in stages["backward"]["layers"]] == [256] * 16 + [3]
    links = stages["update"]["links"]
    assert [link["W_after"].shape for link in links] == [(2, 12)] + [(12, 12)] * 7 + [(12, 3)]
    assert [link["b_after"].shape for link in links] == [(256,)] * 8 + [(3,)]  # every bias: one number a neuron
    assert [link["shape"] for link in links] == [(2, 256)] + [(256, 256)] * 7 + [(256, 3)]
    assert all(link["state"]["m"]["W"].shape == link["W_after"].shape for link in links)


def test_the_links_shown_are_the_first_neurons_of_each_column():
    session = Session(Settings(hidden=(20, 15)))
    slow = session.enter_slow_step([2, 12, 12, 3])
    slow.next_stage()
    slow.next_stage()
    data = slow.data()
    session.model.forward(slow.batch.x, slow.batch.t)
    session.model.backward()
    grads = session.model.param_views(session.model.flat_grads)
    assert [link["dW"].tolist() for link in data["links"]] == [
        grads[0][:2, :12].tolist(),
        grads[2][:12, :12].tolist(),
        grads[4][:12, :3].tolist(),
    ]
    assert [len(layer["dout"]) for layer in data["layers"]] == [20, 20, 15, 15, 3]
    assert [len(link["db"]) for link in data["links"]] == [20, 15, 3]
    with pytest.raises(ValueError, match="shown"):
        session.enter_slow_step([2, 13, 12])


# --- the session holds it while the run stays where it left it ---------------------------------------------------


MOVES = {
    "play": lambda session: session.play(),
    "a step": lambda session: session.step(),
    "an epoch": lambda session: session.step_to(1),
    "a live setting": lambda session: session.apply(session.settings.replace(learning_rate=0.5)),
    "reset": lambda session: session.reset(),
    "leave": lambda session: session.leave_slow_step(),
}


@pytest.mark.parametrize("move", MOVES.values(), ids=MOVES.keys())
def test_slow_motion_is_forgotten_once_the_run_moves_on_without_it(move):
    session = Session(chosen())
    slow = session.enter_slow_step()
    slow.next_stage()
    assert session.slow_step is slow
    session.apply(session.settings)  # the same settings: a page run's, which keeps it
    session.pause()
    assert session.slow_step is slow
    move(session)
    assert session.slow_step is None


def test_the_update_stage_is_still_current_after_its_own_step_and_a_playing_session_cannot_enter():
    session = Session(chosen())
    slow = session.enter_slow_step()
    for _ in range(3):
        slow.next_stage()
    assert session.slow_step is slow and session.trainer.step_count == 1
    session.play()
    with pytest.raises(ValueError, match="pause"):
        session.enter_slow_step()


def test_the_layers_named_are_nnlibs_own():
    session = Session(Settings(hidden=(4,)))
    slow = session.enter_slow_step()
    slow.next_stage()
    assert [item["code"] for item in slow.data()["sources"][:2]] == [
        inspect.getsource(Affine.forward),
        inspect.getsource(Sigmoid.forward),
    ]


def test_going_to_a_stage_named_twice_moves_once_and_goes_back_no_further_than_the_batch():
    session = Session(chosen())
    slow = session.enter_slow_step()
    assert slow.position == (1, 0)
    for _ in range(2):  # a click that reaches the server twice
        assert slow.go_to(1, 3) == "update"
    assert slow.position == (1, 3) and session.trainer.step_count == 1
    for _ in range(2):
        assert slow.go_to(2, 0) == "batch"
    assert slow.position == (2, 0) and session.trainer.step_count == 1
    assert slow.go_to(1, 2) == "batch"  # the step before is taken for good
    assert slow.go_to(2, 2) == "backward" and slow.go_to(2, 1) == "forward"
    assert session.trainer.step_count == 1
    for step, stage in ((2, 4), (2, -1), (4, 0)):
        with pytest.raises(ValueError, match="go to a stage"):
            slow.go_to(step, stage)
    assert slow.position == (2, 1)
