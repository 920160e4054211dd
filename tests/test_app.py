"""The page's state transitions, driven headless with Streamlit's AppTest; ``tick`` stands in for the live
socket, which trains between the page's runs."""

import base64
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from nnlib.models import MLP
from playground import export, i18n
from playground.links import to_query
from playground.network import neuron_codes
from playground.session.passes import loss_and_accuracy
from playground.settings import DEFAULTS
from playground.ui.text import plain
from tests.page_text import english_left, shown

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def run_app(**query):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def session(at):
    return at.session_state["session"]


def opened(at, *panels):
    """The page with these panels open ("look_inside", "your_data"): closed, they draw no table."""
    for panel in panels:
        at.session_state[panel] = True
    return at.run()


def play(at):
    return at.button_group(key="run").set_value("play").run()


def pause(at):
    return at.button_group(key="run").set_value("pause").run()


def tick(at):
    """One frame of the live socket's (playground/live/feed.py): what it trains and sends between page runs. None
    while paused."""
    return at.session_state["live_feed"].next_frame()


def ticks_until_paused(at, limit=200):
    """The socket's frames until the run pauses itself (a target, a divergence), then the page run its "stopped"
    trigger starts."""
    for _ in range(limit):
        if not session(at).playing:
            break
        tick(at)
    return at.run()


def live_data(at):
    """What the page's last run sent the live view (playground/live): its frames and, when it changed, its setup."""
    (component,) = [element for element in at.get("bidi_component") if element.proto.id.endswith("-live_view")]
    return json.loads(component.proto.json)


def status(at):
    """The status line of the last frame sent."""
    return live_data(at)["frames"][-1]["status"]


def decoded(text, dtype):
    return np.frombuffer(base64.b64decode(text), dtype=dtype)


def initial_weights(settings=DEFAULTS, inputs=2, classes=3):
    weight_decay = settings.reg_rate if settings.regularization == "L2" else 0.0
    l1 = settings.reg_rate if settings.regularization == "L1" else 0.0
    model = MLP(
        inputs, list(settings.hidden), classes, settings.activation, settings.init, weight_decay, l1, seed=settings.seed
    )
    return model.flat_params


def test_the_page_opens_paused_on_the_books_spiral():
    at = run_app()
    assert not at.exception
    assert status(at).startswith("**Epoch 0** · step 0")
    assert not session(at).playing
    assert session(at).settings == DEFAULTS
    live = live_data(at)
    assert at.get("plotly_chart") == [] and not live["setup"]["playing"] and len(live["frames"]) == 1
    np.testing.assert_array_equal(session(at).model.flat_params, initial_weights())


def test_play_trains_on_every_tick_and_pause_stops():
    at = run_app()
    play(at)
    assert session(at).playing and live_data(at)["setup"]["playing"]
    first = tick(at)
    steps = session(at).trainer.step_count
    assert steps > 0 and first["step"] == steps and first["allRows"]  # the first after a page run: every row
    frames = [tick(at) for _ in range(10)]
    assert session(at).trainer.step_count > steps and "Epoch 0**" not in frames[-1]["status"]
    assert [frame["number"] for frame in frames] == list(range(2, 12)) and not frames[-1]["allRows"]
    pause(at)
    assert not session(at).playing
    paused_at = session(at).trainer.step_count
    assert tick(at) is None and session(at).trainer.step_count == paused_at
    at.run()
    assert session(at).trainer.step_count == paused_at


def test_step_trains_exactly_one_epoch_and_pauses():
    at = run_app()
    at.button(key="step").click().run()
    assert session(at).trainer.current_epoch == 1
    assert session(at).history["epoch"] == [0, 1]
    assert status(at).startswith("**Epoch 1**")
    assert not session(at).playing


def test_reset_restores_the_exact_initial_weights():
    at = run_app()
    play(at)
    tick(at)
    pause(at)
    assert not np.array_equal(session(at).model.flat_params, initial_weights())
    at.button(key="reset").click().run()
    np.testing.assert_array_equal(session(at).model.flat_params, initial_weights())
    assert session(at).trainer.step_count == 0 and session(at).history["epoch"] == [0]


def test_learning_rate_change_keeps_weights_and_optimizer_state():
    at = run_app(optimizer="Adam", lr="0.01")
    play(at)
    tick(at)
    model, optimizer = session(at).model, session(at).optimizer
    moments, steps_before = optimizer.m, optimizer.iter
    weights = model.flat_params.copy()
    pause(at)
    at.select_slider(key="learning_rate").set_value(0.001).run()
    assert session(at).model is model and session(at).optimizer is optimizer
    assert optimizer.lr == 0.001 and optimizer.m is moments and optimizer.iter >= steps_before
    np.testing.assert_array_equal(model.flat_params, weights)
    assert at.query_params["lr"] == "0.001"


def test_batch_size_changes_the_running_training():
    at = run_app()
    play(at)
    model = session(at).model
    at.slider(key="batch_size").set_value(100).run()
    assert session(at).model is model and session(at).trainer.batch_size == 100 and session(at).playing


def test_architecture_change_rebuilds_and_keeps_playing():
    at = run_app()
    play(at)
    old_model = session(at).model
    at.slider(key="hidden_layers").set_value(2).run()
    new = session(at)
    assert new.model is not old_model and new.settings.hidden == (10, 8)
    assert [W.shape for W in new.model.params[0::2]] == [(2, 10), (10, 8), (8, 3)]
    assert new.playing and new.history["epoch"][0] == 0
    assert at.query_params["hidden"] == "10,8"


RESTARTED = {
    "network": "A new network: training starts again at epoch 0, from new initial weights.",
    "data": "New data: training starts again at epoch 0, from new initial weights.",
}


def test_a_rebuild_after_training_says_training_starts_again_and_one_at_epoch_0_says_nothing():
    at = run_app()
    at.number_input(key="width_0").set_value(12).run()  # nothing trained: nothing lost, nothing to say
    assert [toast.value for toast in at.toast] == []
    at.button(key="step").click().run()
    at.number_input(key="width_0").set_value(14).run()
    assert [toast.value for toast in at.toast] == [RESTARTED["network"]] and session(at).trainer.current_epoch == 0
    at.button(key="step").click().run()
    at.selectbox(key="dataset").set_value("xor").run()
    assert [toast.value for toast in at.toast] == [RESTARTED["data"]]


def test_a_run_from_a_weights_file_names_the_file_until_reset():
    at = run_app()
    model = MLP(2, [10], 3, "sigmoid", seed=4)
    session(at).use_weights(model, session(at).settings, "teacher.npz")
    at.run()
    said = [caption.value for caption in at.caption if "teacher" in caption.value]
    assert len(said) == 1 and said[0].startswith("Started from the weights in teacher")
    at.button(key="reset").click().run()
    assert not [caption for caption in at.caption if "teacher" in caption.value]


def test_a_run_from_a_weights_file_that_records_its_training_says_how_long():
    at = run_app()
    session(at).use_weights(
        MLP(2, [10], 3, "sigmoid", seed=4), session(at).settings, "teacher.npz", {"epoch": 1200, "step": 9600}
    )
    at.run()
    said = [caption.value for caption in at.caption if "teacher" in caption.value]
    assert said == [  # as plain(), which escapes it so that a file's name is never read as Markdown
        plain(
            "Started from the weights in teacher.npz, trained for 1,200 epochs (9,600 steps): epoch 0 here is where "
            "that file left them."
        )
    ]


def test_data_change_rebuilds_on_the_new_points():
    at = run_app()
    at.selectbox(key="dataset").set_value("xor").run()
    assert session(at).data.classes == 2
    assert session(at).model.params[-1].shape == (2,)
    at.selectbox(key="dataset").set_value("gaussian").run()
    at.slider(key="classes").set_value(5).run()
    assert session(at).data.classes == 5


def test_features_change_the_input_layer():
    at = run_app()
    at.button_group(key="features").set_value(["x1", "x2", "x1²", "x1·x2"]).run()
    assert session(at).settings.features == ("x1", "x2", "x1²", "x1·x2")
    assert session(at).model.params[0].shape == (4, 10)


def test_the_url_reopens_the_same_configuration():
    first = run_app()
    first.selectbox(key="activation").set_value("tanh").run()
    first.select_slider(key="learning_rate").set_value(0.3).run()
    first.slider(key="batch_size").set_value(17).run()
    reopened = run_app(**dict(first.query_params))
    assert session(reopened).settings == session(first).settings
    assert not reopened.warning
    np.testing.assert_array_equal(session(reopened).model.flat_params, session(first).model.flat_params)


def test_the_speed_and_the_view_come_from_the_link_and_go_back_into_it():
    at = run_app(speed="3000", view="show_test,log_loss")
    assert at.select_slider(key="speed").value == 3000
    assert at.pills(key="view").value == ["show_test", "log_loss"]
    at.select_slider(key="speed").set_value(30).run()
    at.pills(key="view").set_value(["show_network"]).run()
    assert at.query_params["speed"] == "30" and at.query_params["view"] == "show_network"
    reopened = run_app(**dict(at.query_params))
    assert reopened.select_slider(key="speed").value == 30 and reopened.pills(key="view").value == ["show_network"]


def test_the_default_speed_is_slow_enough_to_watch_the_regions_form():
    assert run_app().select_slider(key="speed").value == 300  # the book's run takes ~8 s to 97 % (bench.browser)


def test_a_pause_between_two_epochs_ends_records_its_step_and_the_exports_say_the_same():
    at = run_app(speed="10")  # a step or two a tick: the pause falls inside an epoch
    play(at)
    tick(at)
    pause(at)
    paused = session(at)
    steps = paused.trainer.step_count
    assert steps % paused.trainer.iterations_per_epoch != 0  # inside an epoch
    assert paused.history["step"][-1] == steps
    assert f"step {steps:,} ·" in status(at)
    assert f"replayed with nnlib: {steps:,} steps" in export.python_script(paused)
    assert export.history_csv(paused.history).decode().splitlines()[-1].split(",")[1] == str(steps)
    at.run()
    assert paused.trainer.step_count == steps and len(paused.history["step"]) == len(set(paused.history["step"]))


def test_the_run_control_follows_a_session_that_paused_itself():
    at = run_app(stop_epoch="2")
    play(at)
    ticks_until_paused(at)
    assert at.button_group(key="run").value == "pause" and session(at).trainer.current_epoch == 2


def test_a_full_link_sets_every_control():
    settings = DEFAULTS.replace(
        dataset="circle",
        classes=4,
        hidden=(16, 16, 16),
        activation="relu",
        init="he",
        optimizer="Momentum",
        learning_rate=0.03,
        batch_size=64,
        seed=7,
    )
    at = run_app(**to_query(settings))
    assert session(at).settings == settings
    assert at.slider(key="hidden_layers").value == 3 and at.number_input(key="width_2").value == 16
    assert at.selectbox(key="optimizer").value == "Momentum"


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"lr": "banana"}, "lr='banana'"),
        ({"hidden": "0,999"}, "hidden='0,999'"),
        ({"data": "upload"}, "Uploaded data cannot travel in a link"),
        ({"batch": "9999"}, "batch size 9999 is larger"),
        ({"seed": "-1"}, "seed='-1'"),
    ],
)
def test_bad_link_values_fall_back_with_a_notice(query, fragment):
    at = run_app(**query)
    assert not at.exception
    assert any(fragment in shown(warning) for warning in at.warning)
    settings = session(at).settings
    assert settings.learning_rate == DEFAULTS.learning_rate and settings.hidden == DEFAULTS.hidden


def test_a_play_sent_before_the_page_showed_the_stop_is_not_obeyed(monkeypatch):
    """A run that diverges at its first steps pauses itself before the page has shown its Play chosen: the page's
    next run then says Pause, and a Play still on its way (the segmented control's value as the browser sent it) would
    start it again from the weights put back, to diverge again. A Play after the stop has shown plays."""
    import playground.session.guards as guards

    at = run_app(lr="10", optimizer="RMSprop")
    play(at)
    ticks_until_paused(at)
    assert not session(at).playing and "diverged at step" in session(at).message.template
    play(at)  # the stale Play, within a second of the stop
    assert not session(at).playing and at.session_state["run"] == "pause"
    monkeypatch.setattr(guards.time, "monotonic", lambda: session(at).guards.stopped_at + guards.UNSEEN_STOP_SECONDS)
    play(at)  # a Play sent once the stop showed
    assert session(at).playing


def test_a_diverging_run_pauses_with_a_message():
    at = run_app(lr="10", hidden="64,64", activation="identity", init="he")
    play(at)
    ticks_until_paused(at)
    assert not session(at).playing
    assert any("diverged at step" in shown(error) for error in at.error)
    assert not at.exception
    assert np.isfinite(session(at).model.flat_params).all()  # the last finite weights, kept
    at.button(key="reset_after_divergence").click().run()
    assert session(at).message is None and not at.error
    settings = session(at).settings
    np.testing.assert_array_equal(session(at).model.flat_params, initial_weights(settings))


def test_look_inside_shows_confusion_matrices_and_a_gradient_check_while_paused():
    at = opened(run_app(), "look_inside")
    at.button(key="step").click().run()
    train, test = at.dataframe[0].value, at.dataframe[1].value
    counts = session(at).confusion_matrix("train")
    assert train.to_numpy().tolist() == counts.tolist()
    assert train.to_numpy().sum() == len(session(at).data.x_train) and test.to_numpy().sum() == 60
    assert list(train.columns) == ["0", "1", "2"]
    assert list(train.index) == ["true class 0", "true class 1", "true class 2"]
    accuracy = np.trace(counts) / counts.sum()
    assert f"{session(at).latest()['train_accuracy']:.3f}" == f"{accuracy:.3f}"
    at.button(key="gradient_check").click().run()
    checks = at.dataframe[2].value
    assert list(checks.index) == ["layers.0.W", "layers.0.b", "layers.2.W", "layers.2.b"]
    assert set(checks["verdict"]) == {"agrees"}


def test_look_inside_waits_for_a_pause():
    at = run_app()
    play(at)

    def look_inside():
        return [block for block in at.expander if block.label.startswith("Look inside")]

    assert not at.dataframe and not look_inside()
    pause(at)
    opened(at, "look_inside", "your_data")
    assert len(at.dataframe) == 3 and len(look_inside()) == 1  # two confusion matrices and the points table


def test_the_panels_draw_their_tables_only_once_opened():
    """A closed panel's tables would load their code before the page's first picture; the class to add with a
    click is chosen closed too."""
    at = run_app()
    assert [block.label[:11] for block in at.expander] == ["Look inside", "Your data: "] and not at.dataframe
    assert at.pills(key="add_class").options == ["0", "1", "2", "3 (new)"]
    opened(at, "look_inside")
    assert len(at.dataframe) == 2  # the confusion matrices
    opened(at, "your_data")
    assert len(at.dataframe) == 3  # and the points table


def test_an_activation_per_layer():
    at = run_app(hidden="6,5", activation="tanh")
    assert at.selectbox(key="activation").disabled is False
    at.toggle(key="per_layer").set_value(True).run()
    assert [at.selectbox(key=f"act_{index}").value for index in range(2)] == ["tanh", "tanh"]
    assert at.selectbox(key="activation").disabled
    at.selectbox(key="act_1").set_value("relu").run()
    assert session(at).settings.layer_activations == ("tanh", "relu")
    assert session(at).model.config["activation"] == ["tanh", "relu"]
    assert at.query_params["acts"] == "tanh,relu"
    at.toggle(key="per_layer").set_value(False).run()
    assert session(at).model.config["activation"] == ["tanh", "tanh"]


def test_a_schedule_changes_the_running_rate_shown_in_the_status():
    at = run_app()
    at.selectbox(key="schedule").set_value("step").run()
    at.number_input(key="schedule_epochs").set_value(1).run()
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    assert session(at).optimizer.lr == 0.25  # halved after epochs 1 and 2
    assert "lr 0.25 ·" in status(at)


def test_playing_stops_at_the_epoch_to_stop_at_with_a_notice():
    at = run_app(stop_epoch="3")
    play(at)
    ticks_until_paused(at)
    assert session(at).trainer.current_epoch == 3 and at.button_group(key="run").value == "pause"
    assert any("Reached epoch 3" in shown(info) for info in at.info)
    assert not at.exception


def test_precision_switch_and_the_speed_of_each():
    at = opened(run_app(), "look_inside")
    at.selectbox(key="precision").set_value("float32").run()
    assert session(at).model.dtype == np.float32
    np.testing.assert_array_equal(session(at).model.flat_params, initial_weights().astype(np.float32))
    at.button(key="precision_speeds").click().run()
    speeds = table_with(at, "steps/s")
    assert list(speeds.index) == ["float64", "float32"]
    assert all(float(value.replace(",", "")) > 0 for value in speeds["steps/s"])


def test_pin_two_runs_compare_them_and_unpin_one():
    at = run_app()
    at.button(key="step").click().run()
    at.button(key="pin").click().run()
    at.select_slider(key="learning_rate").set_value(0.1).run()
    at.button(key="step").click().run()
    at.button(key="step").click().run()
    at.button(key="pin").click().run()
    pinned = at.session_state["pins"]
    assert [run.history["epoch"][-1] for run in pinned] == [1, 3]
    assert at.get("plotly_chart")[-1].key == "compare"
    table = table_with(at, "test accuracy")
    assert list(table.index) == ["run 1: lr 1", "run 2: lr 0.1"]
    assert table["epochs"].tolist() == [1, 3]
    assert any("Pinned runs (2 of 5)" in block.value for block in at.markdown)
    at.button(key="unpin_1").click().run()
    assert [run.number for run in at.session_state["pins"]] == [2]
    assert list(table_with(at, "test accuracy").index) == ["run 2"]


@pytest.mark.parametrize(
    ("lang", "one", "two"),
    [
        ("en", "1 pinned run: pause to compare it.", "2 pinned runs: pause to compare them."),
        (
            "ko",
            "비교용으로 저장한 학습 1개: 멈추면 비교할 수 있습니다.",
            "비교용으로 저장한 학습 2개: 멈추면 비교할 수 있습니다.",
        ),
    ],
)
def test_while_playing_the_pinned_runs_are_counted_in_the_form_the_count_takes(lang, one, two):
    at = run_app(lang=lang)
    at.button(key="pin").click().run()
    play(at)
    assert one in [caption.value for caption in at.caption]
    pause(at)
    at.button(key="pin").click().run()
    play(at)
    captions = [caption.value for caption in at.caption]
    assert two in captions and one not in captions


def test_a_sixth_pin_is_refused_with_a_message():
    at = run_app()
    for _ in range(5):
        at.button(key="pin").click().run()
    at.button(key="pin").click().run()
    assert len(at.session_state["pins"]) == 5
    assert any("unpin one to pin this one" in shown(error) for error in at.error)


def table_with(at, column):
    """The dataframe on the page that has this column."""
    return next(frame.value for frame in at.dataframe if column in frame.value.columns)


def test_the_network_diagram_and_an_enlarged_neuron_follow_the_model():
    at = run_app(hidden="4,3")
    network = live_data(at)["setup"]["network"]
    assert [len(layer["names"]) for layer in network["hidden"]] == [4, 3] and network["inputs"] == ["x1", "x2"]
    options = [f"layer {layer} · neuron {n}" for layer, size in ((1, 4), (2, 3)) for n in range(1, size + 1)]
    assert at.selectbox(key="neuron").options == options
    at.selectbox(key="neuron").set_value((1, 2)).run()
    live = live_data(at)
    assert live["setup"]["chosen"] == [1, 2] and live["setup"]["network"]["chosenLabel"] == "layer 2 · neuron 3"
    _, hidden = session(at).grid_pass()
    big = live["frames"][-1]["network"]["big"]
    resolution = len(session(at).grid_x1)
    np.testing.assert_array_equal(
        decoded(big["codes"], np.uint8), neuron_codes(hidden[1][:, [2]], resolution)[0].ravel()
    )
    assert big["low"] == pytest.approx(hidden[1][:, 2].min()) and big["high"] == pytest.approx(hidden[1][:, 2].max())
    weights = decoded(live["frames"][-1]["network"]["weights"], np.float32)
    assert len(weights) == 2 * 4 + 4 * 3 + 3 * 3  # every link shown, input to output
    np.testing.assert_allclose(weights[:8], session(at).model.layers[0].params[0].ravel(), rtol=1e-6)

    play(at)
    first = tick(at)["network"]
    assert tick(at)["network"]["weights"] != first["weights"]  # it learns: links move
    at.pills(key="view").set_value([]).run()
    live = live_data(at)
    assert live["setup"]["network"] is None and "network" not in live["frames"][-1]


def test_a_linear_model_has_no_neurons_to_enlarge():
    at = run_app(hidden="")
    assert live_data(at)["setup"]["network"]["hidden"] == [] and live_data(at)["setup"]["chosen"] is None
    assert any("no hidden neurons" in caption.value for caption in at.caption)


def test_export_as_python_repeats_the_pages_run_with_its_live_changes(tmp_path):
    at = run_app(hidden="8,6", optimizer="Momentum", lr="0.3")
    play(at)
    at.select_slider(key="learning_rate").set_value(0.1).run()  # changed while playing
    at.slider(key="batch_size").set_value(16).run()
    at.selectbox(key="schedule").set_value("cosine").run()
    pause(at)
    run = session(at)
    assert len(run.timeline) == 4
    script = tmp_path / "playground_run.py"
    script.write_text(export.python_script(run), encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "PYTHONPATH": str(Path(APP).parent)})  # fmt: skip
    assert result.returncode == 0, result.stderr
    (line,) = [line for line in result.stdout.splitlines() if line.startswith(export.FINAL_LOSS_LABEL)]
    loss, _ = loss_and_accuracy(run.model, run.features_train, run.data.t_train)
    assert float(line.removeprefix(export.FINAL_LOSS_LABEL)) == loss
    assert any("load_model(" in block.value for block in at.code)  # the notebook snippet


def test_switching_to_per_layer_activations_keeps_the_run_and_the_chosen_neuron_survives_the_view():
    at = run_app(hidden="4,3")
    at.button(key="step").click().run()
    at.selectbox(key="neuron").set_value((1, 2)).run()
    at.toggle(key="per_layer").set_value(True).run()
    assert session(at).trainer.current_epoch == 1  # the same layers: training goes on
    at.pills(key="view").set_value([]).run()
    at.pills(key="view").set_value(["show_network"]).run()
    assert at.selectbox(key="neuron").value == (1, 2)
    assert live_data(at)["setup"]["network"]["chosenLabel"] == "layer 2 · neuron 3"


def test_the_points_table_shows_every_point_while_paused():
    at = opened(run_app(), "your_data")
    editor = next(frame for frame in at.dataframe if frame.key == "points_editor")
    assert list(editor.value.columns) == ["x1", "x2", "label"] and len(editor.value) == 300
    np.testing.assert_array_equal(editor.value[["x1", "x2"]].to_numpy(), session(at).data.points)
    np.testing.assert_array_equal(editor.value["label"], session(at).data.labels.argmax(axis=1))


def test_a_data_set_too_large_to_edit_shows_a_sample_and_how_to_change_it():
    at = opened(run_app(), "your_data")
    x = np.random.RandomState(0).uniform(-1, 1, (100_000, 2))
    session(at).use_uploaded((x, np.eye(2)[(x[:, 0] > 0).astype(int)]))
    at.selectbox(key="dataset").set_value("upload").run()
    assert len(session(at).data.points) == 100_000
    assert [frame.key for frame in at.dataframe if frame.key == "points_editor"] == []
    assert [len(frame.value) for frame in at.dataframe if list(frame.value.columns) == ["x1", "x2", "label"]] == [1_000]
    assert any(caption.value.startswith("The first 1,000 of 100,000 points.") for caption in at.caption)


def edit_points_script():
    """The table's button callback, run as the page runs it, with a table as a user may have edited it."""
    import pandas as pd
    import streamlit as st

    from playground.session import Session
    from playground.ui.callbacks import use_edited_points

    if "session" not in st.session_state:
        st.session_state.session = Session()
        st.session_state.dataset = "book_spiral"
    use_edited_points(pd.DataFrame(st.session_state.table))


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"x1": [0.0, 1.0, 0.1, 0.9], "x2": [0.0, 1.0, 0.2, 0.8], "label": [0, 1, 0, 1]}, None),
        ({"x1": [0.0, 1.0], "x2": [0.0, None], "label": [0, 1]}, "row 3, column x2"),
        ({"x1": [0.0, 1.0], "x2": [0.0, 1.0], "label": [0, 0]}, "need at least two classes"),
        ({"x1": [0.0, 1.0], "x2": [0.0, 1.0], "label": [0, 1.5]}, "a label must be a whole number"),
    ],
)
def test_edited_points_become_the_data_and_bad_ones_change_nothing(table, message):
    at = AppTest.from_function(edit_points_script, default_timeout=30)
    at.session_state["table"] = table
    at.run()
    if message is None:
        assert at.session_state["dataset"] == "upload"
        np.testing.assert_array_equal(at.session_state["session"].uploaded[0][:, 0], table["x1"])
        assert at.session_state["notice"] == "Training on your 4 points in 2 classes."
    else:
        assert at.session_state["dataset"] == "book_spiral" and at.session_state["session"].uploaded is None
        assert message in at.session_state["error"]


def test_the_paused_view_takes_clicks_with_a_class_to_add_to_choose():
    at = run_app()
    assert at.pills(key="add_class").options == ["0", "1", "2", "3 (new)"]
    assert not live_data(at)["setup"]["playing"]  # the browser's view sends a click as a point to add
    play(at)
    assert live_data(at)["setup"]["playing"]  # and no click while playing


def add_point_script():
    """The view's click callback as the page runs it, with a click the browser sent at (0.5, -0.25)."""
    import streamlit as st

    from playground.session import Session
    from playground.ui.callbacks import add_point

    if "session" not in st.session_state:
        st.session_state.session = Session()
        st.session_state.dataset = "book_spiral"
    add_point(0.5, -0.25)


@pytest.mark.parametrize("label", [1, 3])
def test_a_click_adds_a_point_of_the_chosen_class_there(label):
    at = AppTest.from_function(add_point_script, default_timeout=30)
    at.session_state["add_class"] = label
    at.run()
    session_after = at.session_state["session"]
    x, t = session_after.uploaded
    assert len(x) == 301 and x[-1].tolist() == [0.5, -0.25] and t[-1].argmax() == label
    assert at.session_state["dataset"] == "upload" and t.shape[1] == max(3, label + 1)  # the page then trains on them
    assert at.session_state["notice"].startswith(f"Added a point of class {label} at (0.50, -0.25): 301 points")


def test_a_click_before_a_class_is_chosen_says_how_to_choose_one():
    at = AppTest.from_function(add_point_script, default_timeout=30)
    at.run()
    assert at.session_state["session"].uploaded is None and at.session_state["dataset"] == "book_spiral"
    assert [toast.value for toast in at.toast] == [
        "To add a point where you click, choose its class first, under “Your data” below the charts."
    ]


def choose_neuron_script():
    """The diagram's click callback as the page runs it, with a click on layer 2's third neuron."""
    import streamlit as st

    from playground.session import Session
    from playground.settings import DEFAULTS
    from playground.ui.callbacks import choose_neuron

    if "session" not in st.session_state:
        st.session_state.session = Session(DEFAULTS.replace(hidden=(4, 3)))
    choose_neuron(1, 2)


def test_a_click_on_a_neuron_shows_it_large_and_in_the_picker():
    at = AppTest.from_function(choose_neuron_script, default_timeout=30).run()
    assert at.session_state["neuron"] == (1, 2) and at.session_state["chosen_neuron"] == (1, 2)


# --- English and Korean -------------------------------------------------------------------------------------


@pytest.fixture
def untranslated(monkeypatch):
    """The texts the page asked for in Korean and found none: a test ends by requiring it empty."""
    monkeypatch.setattr(i18n, "missing", set())
    return i18n.missing


def sidebar_labels(at):
    return {widget.label for kind in ("slider", "select_slider", "selectbox") for widget in at.sidebar.get(kind)}


def test_a_korean_link_opens_the_page_in_korean_and_the_switch_keeps_the_run(untranslated):
    at = run_app(lang="ko")
    assert at.radio(key="lang").value == "ko" and at.query_params["lang"] == "ko"
    assert english_left(at) == []
    assert status(at).startswith("**에폭 0** · 반복 0 · 훈련 손실 1.09")
    assert {"학습률", "배치 크기", "은닉층 수", "데이터셋", "옵티마이저"} <= sidebar_labels(at)
    assert at.markdown[0].value == "### 스파이럴 플레이그라운드"
    play(at)
    assert "훈련 정확도" in tick(at)["status"]
    steps = session(at).trainer.step_count

    at.radio(key="lang").set_value("en").run()
    assert session(at).playing and tick(at)["status"].startswith("**Epoch ")  # the run goes on, in English
    assert session(at).trainer.step_count > steps
    assert {"Learning rate", "Batch size", "Hidden layers"} <= sidebar_labels(at)
    assert status(at).startswith("**Epoch ") and "lang" not in at.query_params
    assert session(at).settings == DEFAULTS  # no widget lost its value to the relabelled options

    at.radio(key="lang").set_value("ko").run()
    assert english_left(at) == [] and at.query_params["lang"] == "ko"
    assert untranslated == set()


def test_everything_shown_while_paused_is_korean(untranslated):
    at = run_app(lang="ko", optimizer="Adam", reg="L2", schedule="cosine", hidden="6,4", acts="relu,tanh")
    opened(at, "look_inside", "your_data")
    at.button(key="step").click().run()
    at.button(key="pin").click().run()
    at.button(key="pin").click().run()
    at.button(key="gradient_check").click().run()
    assert english_left(at) == []
    assert {"최대 상대 오차", "판정"} <= set(table_with(at, "판정").columns)
    assert list(table_with(at, "훈련 손실").index) == ["학습 1", "학습 2"]
    assert "정답 클래스 0" in next(frame.value for frame in at.dataframe if "0" in frame.value.columns).index
    assert untranslated == set()


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ({"lr": "fast"}, "링크 매개변수 lr='fast'는 쓸 수 없는 값입니다 (허용: 1e-05부터 10까지의 수)."),
        ({"data": "upload"}, "업로드한 데이터는 링크에 담을 수 없습니다"),
        ({"batch": "9999"}, "배치 크기 9999가 훈련 데이터 240개보다 큽니다"),
    ],
)
def test_link_notices_in_korean(query, fragment, untranslated):
    at = run_app(lang="ko", **query)
    assert any(fragment in shown(warning) for warning in at.warning)
    assert untranslated == set()


def test_an_unknown_language_in_the_link_falls_back_to_english_with_a_notice():
    at = run_app(lang="fr")
    assert at.radio(key="lang").value == "en" and "lang" not in at.query_params
    assert any(shown(warning) == "Link parameter lang='fr' is not one of en, ko; using 'en'." for warning in at.warning)


def test_divergence_and_a_refused_pin_are_said_in_korean(untranslated):
    at = run_app(lang="ko", lr="10", hidden="64,64", activation="identity", init="he")
    play(at)
    ticks_until_paused(at)
    step = session(at).message.values["step"]
    assert any(f"학습이 반복 {step}에서 발산했습니다" in shown(error) for error in at.error)
    for _ in range(6):
        at.button(key="pin").click().run()
    assert any("이미 5개를 저장했습니다" in shown(error) for error in at.error)
    assert untranslated == set()


def test_bad_edited_points_are_refused_in_korean(untranslated):
    at = AppTest.from_function(edit_points_script, default_timeout=30)
    at.session_state["lang"] = "ko"
    at.session_state["table"] = {"x1": [0.0, 1.0], "x2": [0.0, 1.0], "label": [0, 0]}
    at.run()
    assert at.session_state["error"] == (
        "그 점들은 쓰지 않았고, 지금의 점이 그대로 있습니다: 분류하려면 클래스가 둘 이상 있어야 하는데, 모든 행의 "
        "레이블이 0입니다"
    )
    assert untranslated == set()


# --- an unexpected error: a short message, never a traceback, and the page goes on --------------------------

UNEXPECTED = (
    "Something went wrong on the server, and the page could not do that. Your run and settings are kept; try again, "
    "or press Reset."
)


def broken(*args, **kwargs):
    raise RuntimeError("a bug")


@pytest.mark.parametrize(
    ("where", "action"),
    [
        ("playground.ui.page.look_inside", lambda at: at.run()),  # the page, paused
        ("playground.live.feed.LiveFeed._trained_frame", lambda at: play(at) and tick(at)["failed"] and at.run()),
        ("playground.session.core.Session.reset", lambda at: at.button(key="reset").click().run()),  # a callback
    ],
)
def test_an_unexpected_error_shows_a_short_message_and_the_session_goes_on(monkeypatch, caplog, where, action):
    at = run_app(lang="ko")
    at.button(key="step").click().run()
    before = session(at)
    monkeypatch.setattr(where, broken)
    action(at)
    assert not at.exception
    assert [shown(element) for element in at.error] == [i18n.tr(UNEXPECTED, "ko")]
    assert "a bug" not in str(at) and "Traceback" not in str(at)
    assert "RuntimeError: a bug" in caplog.text  # in the server's log instead
    monkeypatch.undo()
    at.button(key="step").click().run()  # the next click works
    assert not at.exception and not at.error
    assert session(at) is before and before.trainer.current_epoch >= 1  # the run is still there


def test_an_unexpected_error_on_the_lab_page_shows_the_short_message(monkeypatch, caplog):
    monkeypatch.setattr("playground.lab.matrix_product", broken)
    at = AppTest.from_string("from playground.ui.lab_page import lab_page\nlab_page()", default_timeout=60).run()
    assert not at.exception and [shown(element) for element in at.error] == [UNEXPECTED]
    assert "RuntimeError: a bug" in caplog.text


def test_streamlit_shows_no_error_details_of_its_own():
    """Should an error ever get past the page's own handling, Streamlit prints no traceback or code path."""
    config = tomllib.loads((Path(APP).parent / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"


# --- what a user typed or named is shown as text -------------------------------------------------------------

MARKDOWN_IN_A_LINK = "![p](http://host.invalid/pixel.png) [click me](https://host.invalid/login) **b** :red[r] $x$"


def test_markdown_in_a_link_value_is_shown_as_the_text_it_is():
    at = run_app(lr=MARKDOWN_IN_A_LINK)
    (warning,) = at.warning
    assert shown(warning) == f"Link parameter lr={MARKDOWN_IN_A_LINK!r} is not a number from 1e-05 to 10; using 1.0."
    for syntax in ("![", "](", "**", ":red[", "$x$", "http://", "https://"):
        assert syntax not in warning.value  # nothing markdown would turn into a link, an image or a style


ALERTS = ("error", "warning", "info", "success")


def test_every_alert_of_the_page_goes_through_the_one_that_shows_text_as_text():
    import ast

    calls = []
    for path in (Path(APP), *(Path(APP).parent / "playground").glob("**/*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ALERTS:
                calls.append(f"{path.name}:{node.lineno}")  # st.error(...), or a column's .error(...)
    assert calls == []  # ui.text.alert calls them through getattr
