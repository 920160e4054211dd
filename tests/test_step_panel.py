"""The panel below the live view in slow motion (playground/ui/step_panel.py), drawn by Streamlit's AppTest for each
stage of a real SlowStep on a real Session: the numbers it shows are the stage's data, its code is the data's
sources, and it speaks Korean in the book's terms."""

import re
import textwrap

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from playground import i18n
from playground.session import Session
from playground.session.step_stages import STAGES
from playground.settings import OPTIMIZERS, Settings
from tests.page_text import english_left

NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e[-+]\d+)?|nan|-?inf")
WIDE = (256,) * 8  # the widest network the page allows
RATES = {"SGD": 1.0, "Momentum": 0.1, "Nesterov": 0.1, "AdaGrad": 0.1, "RMSprop": 0.01, "Adam": 0.01}


def draw(slow):
    from playground.ui.step_panel import step_panel

    step_panel(slow)


@pytest.fixture
def untranslated(monkeypatch):
    """The texts asked for in Korean that have none: each Korean test requires it empty."""
    monkeypatch.setattr(i18n, "missing", set())
    return i18n.missing


def drawn(slow, lang="en"):
    at = AppTest.from_function(draw, args=(slow,), default_timeout=30)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception
    return at


def slowed(optimizer="SGD", regularization="L2", steps=0, shown=None, **changes):
    """A session after ``steps`` plain steps, in slow motion from its next step's batch."""
    session = Session(
        Settings(
            optimizer=optimizer,
            learning_rate=RATES[optimizer],
            regularization=regularization,
            reg_rate=1e-3,
        ).replace(**changes)
    )
    for _ in range(steps):
        session.step()
    return session.enter_slow_step(shown)


def at_stage(slow, stage):
    while slow.stage_name != stage:
        slow.next_stage()
    return slow.data()


def text(at):
    """The panel's words: its markdown blocks and captions, one string."""
    return "\n".join(block.value for block in [*at.markdown, *at.caption])


def line(at, start):
    """The first line of the panel's words that starts with ``start`` (after any list marker)."""
    return next(row for row in text(at).splitlines() if row.removeprefix("- ").startswith(start))


def shown_code(data):
    """The stage's sources as the panel shows them: flush left, without the blank line at the end."""
    return [textwrap.dedent(source["code"]).strip() for source in data["sources"]]


def numbers_in(words):
    return np.array([float(found) for found in NUMBER.findall(words)])


def assert_shown(shown, data):
    """Numbers shown to 4 significant digits are the data's."""
    np.testing.assert_allclose(shown, data, rtol=5e-4, atol=0)


# --- every stage ----------------------------------------------------------------------------------------------

CASES = {
    "SGD with L2": lambda: slowed("SGD", "L2"),
    "Adam with L1, 8 × 256 thinned": lambda: slowed(
        "Adam", "L1", steps=3, hidden=WIDE, activation="relu", shown=(2, *(12,) * 8, 3)
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_shows_its_heading_its_step_and_its_sources(stage, case):
    slow = case()
    data = at_stage(slow, stage)
    at = drawn(slow)
    name = {"batch": "The mini-batch", "forward": "Forward", "backward": "Backward: the gradients", "update": "Update"}
    assert [header.value for header in at.subheader] == [f"Stage {STAGES.index(stage) + 1} of 4: {name[stage]}"]
    assert f"Training step {data['step']}: iteration {data['iteration'] + 1} of 8 in epoch 1." in text(at)
    assert [tab.label for tab in at.tabs] == [source["name"] for source in data["sources"]]
    assert [block.value for block in at.code] == shown_code(data)
    assert [block.language for block in at.code] == ["python"] * len(data["sources"])
    thinned = "At this size the links' numbers cover only the neurons the diagram draws" in text(at)
    assert thinned == (data["thinned"] and stage in ("backward", "update"))


def test_the_batch_stage_names_the_batch_its_shuffle_and_the_chosen_point():
    slow = slowed("SGD", "L2")
    slow.choose(2)
    data = slow.data()
    at = drawn(slow)
    rows = ", ".join(map(str, data["indices"][:5]))
    assert f"**30** of the 240 training points, in the order the step takes them: rows [{rows}, … 25 more]." in text(at)
    assert "The first batch of epoch 1: the trainer has just shuffled the training points" in text(at)
    assert "The epoch's last batch" not in text(at)
    row = data["point_index"]
    x1, x2 = slow.batch.x[2]  # as the step takes it: the inputs x1, x2 are the point itself
    label = slow.batch.t[2].argmax()
    chosen = line(at, "The chosen point, number 3 of the batch")
    assert chosen.endswith(f"row {row} of the training points, at ({x1:.4g}, {x2:.4g}), class {label}.")


def test_a_batch_from_the_middle_of_an_epoch_and_its_last_say_so():
    middle, last = slowed("SGD", "L2", steps=3), slowed("SGD", "L2", steps=7)
    assert "The next 30 points of the order this epoch's shuffle drew." in text(drawn(middle))
    shown = text(drawn(last))
    assert "just shuffled" not in shown and "The epoch's last batch: after its update the epoch ends" in shown


def test_the_forward_stage_shows_the_graphs_shapes_the_points_probabilities_and_the_losses():
    slow = slowed("SGD", "L2")
    data = at_stage(slow, "forward")
    at = drawn(slow)
    assert line(at, "Shapes for the whole batch").endswith(
        "draws them: 30×2 → Affine → 30×10 → Sigmoid → 30×10 → Affine → 30×3"
    )
    header = line(at, "| |")
    assert header == f"| | {' | '.join(f'**class {c}**' if c == data['target'] else f'class {c}' for c in range(3))} |"
    assert_shown(numbers_in(line(at, "| score |")), data["scores"])
    assert_shown(numbers_in(line(at, "| probability |")), data["probabilities"])
    assert_shown(
        numbers_in(line(at, "The chosen point (row")), [data["point_index"], data["target"], *data["input"]["values"]]
    )
    assert line(at, "Its loss").endswith(f"**{data['point_loss']:.4g}**.")
    assert f"The batch's loss, the mean over its 30 points: **{data['loss']:.4g}**." in text(at)
    assert (
        f"With the L2 penalty, {data['penalty']:.4g}, the loss the step minimises is **{data['total_loss']:.4g}**."
        in text(at)
    )


def test_without_a_penalty_the_forward_stage_names_none():
    slow = slowed("SGD", "none")
    data = at_stage(slow, "forward")
    assert data["penalty"] is None
    assert "penalty" not in text(drawn(slow))


def test_the_wide_networks_shapes_go_through_every_layer():
    slow = slowed("Adam", "L1", hidden=WIDE, activation="relu", shown=(2, *(12,) * 8, 3))
    at_stage(slow, "forward")
    assert line(drawn(slow), "Shapes for the whole batch").endswith(
        "draws them: 30×2" + " → Affine → 30×256 → ReLU → 30×256" * 8 + " → Affine → 30×3"
    )


def test_the_backward_stage_shows_the_loss_gradient_each_layers_dout_and_each_affines_largest_gradients():
    slow = slowed("Adam", "L1", steps=3, hidden=WIDE, activation="relu", shown=(2, *(12,) * 8, 3))
    data = at_stage(slow, "backward")
    at = drawn(slow)
    label = slow.batch.t[slow.point].argmax()  # the class the step trains the point on
    gradient = line(at, f"The gradient of Softmax with Loss for the chosen point (class {label})")
    assert_shown(numbers_in(gradient.split("=")[1].split("]")[0]), data["loss_gradient"])
    douts = [row for row in text(at).splitlines() if "← `30×" in row]
    names = ["Affine9", *(f"{kind}{k}" for k in range(8, 0, -1) for kind in ("ReLU", "Affine"))]
    assert [row.split(" ← ")[0] for row in douts] == [f"- {name}" for name in names]
    assert douts[0] == f"- Affine9 ← `30×3` [{', '.join(f'{value:.4g}' for value in data['loss_gradient'])}]"
    assert douts[1].startswith("- ReLU8 ← `30×256` [") and douts[1].endswith(", … 251 more]")
    assert_shown(numbers_in(douts[1].split("` ")[1])[:5], data["layers"][-2]["dout"][:5])
    for index, link in enumerate(data["links"], start=1):
        dW = link["dW"]
        row, column = np.unravel_index(np.abs(dW).argmax(), dW.shape)
        bias = np.abs(link["db"]).argmax()
        shown = line(at, f"W{index} ({link['shape'][0]}×{link['shape'][1]}): ")
        assert f"the dW largest in size is {dW[row, column]:.4g}, at W{index}[{row}, {column}]" in shown
        assert f"the db largest in size is {link['db'][bias]:.4g}, at b{index}[{bias}]" in shown
        assert shown.endswith(f"The cross-entropy's part of that dW: {link['dW_loss'][row, column]:.4g}.")
    assert at.caption[0].value == (
        "At this size the links' numbers cover only the neurons the diagram draws: the first "
        "2 · 12 · 12 · 12 · 12 · 12 · 12 · 12 · 12 · 3 of 2 · 256 · 256 · 256 · 256 · 256 · 256 · 256 · 256 · 3 in "
        "each column."
    )


def largest_change(links):
    """(layer, row, column) of the weight whose change was largest in size, over every link sent."""
    sizes = [np.abs(link["change"]).max() for link in links]
    layer = int(np.argmax(sizes))
    return layer, *np.unravel_index(np.abs(links[layer]["change"]).argmax(), links[layer]["change"].shape)


@pytest.mark.parametrize(
    ("optimizer", "rule", "words"),
    [
        ("SGD", "`W ← W − lr·dW`", "Each weight moves against its gradient, by lr = 1 times it."),
        (
            "Adam",
            "`m ← m + (1 − beta1)·(dW − m);  v ← v + (1 − beta2)·(dW² − v);  "
            "W ← W − lr·√(1 − beta2^iter) / (1 − beta1^iter)·m / (√v + 1e-7)`",
            "(beta1 = 0.9) and v of its square (beta2 = 0.999); both start at 0, which the factor with iter = 4, "
            "the optimizer's step count, corrects; lr = 0.01.",
        ),
    ],
)
def test_the_update_stage_shows_the_rule_the_largest_change_its_state_and_the_loss_before_and_after(
    optimizer, rule, words
):
    slow = slowed(optimizer, "L2", steps=3)
    data = at_stage(slow, "update")
    at = drawn(slow)
    assert rule in text(at).splitlines() and words in text(at)
    layer, row, column = largest_change(data["links"])
    link = data["links"][layer]
    assert line(at, "The largest weight change") == (
        f"The largest weight change: W{layer + 1}[{row}, {column}] went from {link['W_before'][row, column]:.4g} "
        f"to {link['W_after'][row, column]:.4g} ({link['change'][row, column]:.4g}), its dW being "
        f"{link['dW'][row, column]:.4g}."
    )
    if optimizer == "Adam":
        m, v = (link["state"][name]["W"][row, column] for name in ("m", "v"))
        assert f"The optimizer's state for that weight after the step: m = {m:.4g}, v = {v:.4g}." in text(at)
    else:
        assert link["state"] == {} and "The optimizer's state" not in text(at)
    assert (
        f"The batch's loss: **{data['loss_before']:.4g}** before the update, **{data['loss_after']:.4g}** after."
        in text(at)
    )
    assert f"Of which the L2 penalty: {data['penalty_before']:.4g} before, {data['penalty_after']:.4g} after." in text(
        at
    )
    assert data["loss_after"] < data["loss_before"] and "It went up" not in text(at)


def test_an_update_that_raises_the_batchs_loss_says_that_it_can():
    slow = slowed("SGD", "none", learning_rate=10.0)
    data = at_stage(slow, "update")
    assert data["loss_after"] > data["loss_before"]
    assert "It went up: this step overshot on this batch" in text(drawn(slow))


def test_the_update_that_ends_an_epoch_says_so():
    slow = slowed("SGD", "L2", steps=7)
    data = at_stage(slow, "update")
    assert data["ended_epoch"]
    assert "This step ended epoch 1: the history records it, and the next batch starts a new shuffle." in text(
        drawn(slow)
    )


# --- Korean ---------------------------------------------------------------------------------------------------

KOREAN_HEADINGS = {
    "batch": "4단계 중 1단계: 미니배치",
    "forward": "4단계 중 2단계: 순전파",
    "backward": "4단계 중 3단계: 역전파: 기울기",
    "update": "4단계 중 4단계: 갱신",
}


# a line of each stage, in Korean, with the stage's numbers
KOREAN_LINES = {
    "batch": lambda data: "훈련 데이터 240개 중 **30**개, 반복이 쓰는 순서대로: 행 [",
    "forward": lambda data: f"배치의 손실, 점 30개의 평균: **{data['loss']:.4g}**.",
    "backward": lambda data: "고른 점에서 계층마다 도착하는 `dout`, 마지막 계층부터 거슬러:",
    "update": lambda data: f"배치의 손실: 갱신 전 **{data['loss_before']:.4g}**, 갱신 후 **{data['loss_after']:.4g}**.",
}


@pytest.mark.parametrize("stage", STAGES)
def test_each_stage_in_korean(stage, untranslated):
    slow = slowed("Adam", "L1", steps=7, hidden=WIDE, activation="relu", shown=(2, *(12,) * 8, 3))
    data = at_stage(slow, stage)
    at = drawn(slow, "ko")
    assert [header.value for header in at.subheader] == [KOREAN_HEADINGS[stage]]
    assert english_left(at) == [] and untranslated == set()
    assert at.caption[-1].value == "이 단계를 계산한 nnlib 코드"
    assert [block.value for block in at.code] == shown_code(data)
    assert KOREAN_LINES[stage](data) in text(at)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_every_optimizers_rule_in_korean(optimizer, untranslated):
    slow = slowed(optimizer, "L2")
    data = at_stage(slow, "update")
    shown = text(drawn(slow, "ko"))
    numbers = {"lr": data["lr"]} | data["hyper_parameters"]
    assert [f"{name} = {value:.4g}" for name, value in numbers.items() if f"{name} = {value:.4g}" not in shown] == []
    assert "가장 크게 바뀐 가중치: W" in shown
    assert untranslated == set()


# --- a regression -----------------------------------------------------------------------------------------------


def regression_slowed(steps=3):
    return slowed("Momentum", "L2", steps=steps, dataset="wave", hidden=(8,), activation="tanh", init="auto")


def test_a_regressions_stages_speak_of_its_prediction_its_value_and_its_squared_error():
    slow = regression_slowed()
    batch = slow.data()
    value = slow.batch.t[slow.point, 0]  # the value the step fits the point to
    assert line(drawn(slow), "The chosen point, number 1 of the batch").endswith(f"value {value:.4g}.")
    forward = at_stage(slow, "forward")
    at = drawn(slow)
    assert "the squared error loss says how far the predictions are from the points' values" in text(at)
    assert "| |" not in text(at) and "class" not in text(at)  # no classes' table
    chosen = line(at, f"The chosen point (row {batch['point_index']}, value t = {value:.4g})")
    assert chosen.endswith(f"its prediction y = **{forward['probabilities'][0]:.4g}**.")
    assert line(at, "Its loss, half its squared error ½·(y − t)²").endswith(f"**{forward['point_loss']:.4g}**.")
    assert [tab.label for tab in at.tabs][-2:] == ["IdentityWithLoss.forward", "MLP.penalty"]
    backward = at_stage(slow, "backward")
    at = drawn(slow)
    gradient = line(at, f"The gradient of Identity with Loss for the chosen point (value {value:.4g})")
    assert_shown(numbers_in(gradient.split("=")[1].split("]")[0]), backward["loss_gradient"])
    assert "The squared error's part of that dW: " in text(at) and "cross-entropy" not in text(at)


@pytest.mark.parametrize("stage", STAGES)
def test_a_regressions_stages_in_korean(stage, untranslated):
    slow = regression_slowed()
    at_stage(slow, stage)
    at = drawn(slow, "ko")
    assert english_left(at) == [] and untranslated == set()
    assert {"forward": "제곱 오차 손실", "backward": "Identity with Loss의 기울기"}.get(stage, "") in text(at)
