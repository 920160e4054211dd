"""playground.export: the weights, history and settings downloads read back to what they were made from, and the
exported Python script replays a run to the last bit."""

import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nnlib.datasets import input_features, load_points, make_circle
from nnlib.io import ARCHITECTURE_KEY, load_model
from nnlib.models import MLP, TwoLayerNet, named_params
from playground.export import (
    FINAL_LOSS_LABEL,
    history_csv,
    notebook_snippet,
    python_script,
    settings_json,
    weights_bytes,
)
from playground.export import points_csv as data_set_csv
from playground.session import Session
from playground.session.core import HISTORY_COLUMNS
from playground.session.passes import loss_and_accuracy
from playground.settings import Settings, gpu_available

REPO_ROOT = Path(__file__).resolve().parents[1]


def trained_session(settings=None, epochs=3):
    session = Session(settings or Settings())
    for _ in range(epochs):
        session.step_epoch()
    return session


MODELS = {
    "session": lambda: trained_session().model,
    "deep-relu-l2": lambda: MLP(3, [8, 4, 6], 5, "relu", "he", weight_decay=0.01, seed=1),
    "linear-l1": lambda: MLP(2, [], 4, weight_init="xavier", l1=0.001, seed=2),
    "float32": lambda: MLP(2, [5], 3, "tanh", dtype=np.float32, seed=3),
    "two-layer-net": lambda: TwoLayerNet(2, 10, 3, seed=4),
}


@pytest.mark.parametrize("make_model", MODELS.values(), ids=MODELS.keys())
def test_weights_load_back_without_pickle(make_model):
    model = make_model()
    archive = np.load(io.BytesIO(weights_bytes(model)), allow_pickle=False)
    expected = dict(named_params(model))
    assert set(archive.files) == {*expected, ARCHITECTURE_KEY}
    for name, param in expected.items():
        assert archive[name].dtype == param.dtype
        np.testing.assert_array_equal(archive[name], param)
    assert json.loads(str(archive[ARCHITECTURE_KEY]))["config"] == model.config


@pytest.mark.parametrize("make_model", MODELS.values(), ids=MODELS.keys())
def test_weights_rebuild_the_same_model(make_model):
    model = make_model()
    loaded = load_model(io.BytesIO(weights_bytes(model)))
    assert type(loaded) is type(model) and loaded.config == model.config
    np.testing.assert_array_equal(loaded.flat_params, model.flat_params)
    x = np.random.default_rng(0).normal(size=(20, model.config["input_size"]))
    np.testing.assert_array_equal(loaded.predict(x), model.predict(x))


def test_weights_bytes_are_reproducible():
    model = MODELS["deep-relu-l2"]()
    first = load_model(io.BytesIO(weights_bytes(model)))
    second = load_model(io.BytesIO(weights_bytes(model)))
    np.testing.assert_array_equal(first.flat_params, second.flat_params)


def read_csv(data):
    return pd.read_csv(io.BytesIO(data))


@pytest.mark.parametrize("epochs", [0, 1, 5])
def test_history_csv_holds_one_row_per_recorded_epoch(epochs):
    history = trained_session(epochs=epochs).history
    table = read_csv(history_csv(history))
    assert list(table.columns) == list(HISTORY_COLUMNS)
    assert len(table) == epochs + 1
    for column in HISTORY_COLUMNS:
        assert table[column].tolist() == history[column]  # floats exactly
    assert table["epoch"].dtype.kind == table["step"].dtype.kind == "i"


def test_history_csv_writes_missing_values_as_empty_fields():
    history = {column: [0, 1] for column in HISTORY_COLUMNS} | {"test_loss": [float("nan"), 0.5]}
    table = read_csv(history_csv(history))
    assert np.isnan(table["test_loss"][0]) and table["test_loss"][1] == 0.5
    assert history_csv(history).decode().splitlines()[1].split(",")[3] == ""


SETTINGS = [
    Settings(),
    Settings(dataset="gaussian", classes=5, features=("x1", "x1²", "x1·x2", "sin x2"), hidden=()),
    Settings(hidden=(256,) * 8, optimizer="Adam", learning_rate=1e-5, regularization="L1", reg_rate=1e-6, seed=0),
]


@pytest.mark.parametrize("settings", SETTINGS)
def test_settings_json_round_trips(settings):
    data = json.loads(settings_json(settings).decode("utf-8"))
    assert data == settings.to_json_dict()
    assert set(data) == {field.name for field in dataclasses.fields(Settings)}
    rebuilt = Settings(**{key: tuple(value) if isinstance(value, list) else value for key, value in data.items()})
    assert rebuilt == settings


def test_settings_json_is_readable_text():
    text = settings_json(Settings(features=("x1²", "x1·x2"))).decode("utf-8")
    assert '"x1²"' in text and '"x1·x2"' in text  # the names as the page shows them, not \u escapes
    assert '\n  "dataset": "book_spiral",' in text


# --- the exported Python script --------------------------------------------------------------------------------


def book_run():
    """The page as it opens, a few epochs in and stopped mid-epoch."""
    session = Session()
    for _ in range(4):
        session.step_epoch()
    session.trainer.train_steps(3)
    return session


def moons_run():
    session = Session(
        Settings(
            dataset="moons",
            features=("x1²", "x1·x2", "sin x2"),
            hidden=(8, 6),
            layer_activations=("relu", "tanh"),
            init="auto",
            optimizer="Adam",
            learning_rate=0.01,
            precision="float32",
            regularization="L2",
            reg_rate=0.001,
            schedule="cosine",
            schedule_epochs=4,
        )
    )
    for _ in range(6):  # past the end of the cosine
        session.step_epoch()
    return session


def formula_run():
    """Data from a formula, from zero initial weights."""
    session = Session(Settings(dataset="cubic", noise=0.2, init="zero", hidden=(5,)))
    for _ in range(3):
        session.step_epoch()
    return session


def dropout_run():
    """Dropout in two hidden layers, and a live change mid-epoch: the script's masks are the page's, step for step."""
    session = Session(
        Settings(
            hidden=(8, 6), activation="relu", init="auto", dropout=(0.3, 0.1), optimizer="Adam", learning_rate=0.01
        )
    )
    for _ in range(3):
        session.step_epoch()
    session.trainer.train_steps(2)
    session.apply(session.settings.replace(learning_rate=0.02))
    session.trainer.train_steps(3)
    return session


def live_changes_run():
    """A rebuild, then changes to the running training as the page makes them, one of them at a timed tick."""
    session = Session(Settings(optimizer="Momentum", learning_rate=0.5, hidden=(6,)))
    session.trainer.train_steps(11)
    session.apply(session.settings.replace(hidden=(12,)))  # rebuilds: the run to export starts here
    session.trainer.train_steps(13)
    session.apply(session.settings.replace(learning_rate=0.3))
    session.step_epoch()
    session.apply(session.settings.replace(batch_size=50))
    session.trainer.train_steps(7)
    session.apply(session.settings.replace(optimizer="Adam", learning_rate=0.01))
    session.train_for(0.01)
    session.apply(session.settings.replace(schedule="step", schedule_epochs=2))
    for _ in range(3):
        session.step_epoch()
    session.trainer.train_steps(1)
    session.apply(session.settings.replace(learning_rate=0.02))  # mid-epoch: the schedule sets the new rate at once
    session.trainer.train_steps(2)
    return session


def every_live_setting_run():
    """Changes that act and changes that do not, several at one step, on a k-armed spiral."""
    session = Session(
        Settings(
            dataset="spiral",
            classes=4,
            points=40,
            noise=0.2,
            seed=7,
            hidden=(10, 10),
            activation="tanh",
            init="xavier",
            optimizer="RMSprop",
            learning_rate=0.02,
            regularization="L1",
            reg_rate=1e-4,
            schedule="step",
            schedule_epochs=1,
        )
    )
    changes = [
        (0, {"learning_rate": 0.03}),  # before the first step
        (9, {"decay_rate": 0.9}),
        (0, {"beta1": 0.5}),  # RMSprop has no beta1
        (0, {"stop_epoch": 100}),  # a pause target, not a change to the training
        (5, {"schedule": "constant"}),  # the rate, halved three times by now, goes back to the base rate
        (3, {"optimizer": "Nesterov", "momentum": 0.8}),
        (6, {"momentum": 0.6, "regularization": "L2"}),
        (0, {"batch_size": 100_000}),  # capped at the training set: full-batch steps
        (4, {"batch_size": 20, "learning_rate": 0.05, "schedule": "cosine", "schedule_epochs": 10}),
        (3, {"optimizer": "Adam"}),  # mid-epoch, mid-cosine: the new optimizer starts at the scheduled rate
    ]
    for steps, change in changes:
        session.trainer.train_steps(steps)
        session.apply(session.settings.replace(**change))
    session.step_epoch()
    session.step_epoch()
    return session


def points_csv():
    """A user's CSV: a header, then x1, x2, label rows with each float written so that it reads back exactly."""
    x, t = make_circle(n=30, noise=0.05, seed=3)
    rows = [f"{x1!r},{x2!r},{label}" for (x1, x2), label in zip(x.tolist(), t.argmax(axis=1).tolist())]
    return "\n".join(["x1,x2,label", *rows]).encode()


UPLOADED_CSV = points_csv()


def uploaded_run():
    settings = Settings(dataset="upload", optimizer="AdaGrad", learning_rate=0.5, batch_size=16, train_percent=70)
    session = Session(settings, uploaded=load_points(io.BytesIO(UPLOADED_CSV)))
    for _ in range(5):
        session.step_epoch()
    return session


def regression_run():
    """A surface to fit, with extra input features and a change mid-run: the script builds an mse network and
    prints R² where a classifier's prints accuracy."""
    settings = Settings(dataset="wave", hidden=(6,), activation="tanh", features=("x1", "x2", "sin x1"), batch_size=10)
    session = Session(settings)
    for _ in range(3):
        session.step_epoch()
    session.apply(session.settings.replace(learning_rate=0.3))
    session.step_epoch()
    return session


def gpu_run():
    """float32 on the GPU, with a change mid-epoch: the script builds the model with backend="cupy"."""
    session = Session(Settings(precision="cupy", optimizer="Adam", learning_rate=0.01, schedule="cosine"))
    for _ in range(4):
        session.step_epoch()
    session.trainer.train_steps(2)
    session.apply(session.settings.replace(learning_rate=0.02, batch_size=20))
    session.trainer.train_steps(3)
    return session


RUNS = [
    pytest.param(book_run, id="book"),
    pytest.param(moons_run, id="moons"),
    pytest.param(formula_run, id="formula"),
    pytest.param(dropout_run, id="dropout"),
    pytest.param(live_changes_run, id="live-changes"),
    pytest.param(every_live_setting_run, id="every-live-setting"),
    pytest.param(uploaded_run, id="uploaded"),
    pytest.param(regression_run, id="regression"),
    pytest.param(gpu_run, id="cupy", marks=pytest.mark.skipif(not gpu_available(), reason="needs CuPy and a GPU")),
]


@pytest.fixture(scope="module", params=RUNS)
def exported(request):
    """(session, its exported script), made once for the tests that read them."""
    session = request.param()
    return session, python_script(session)


@pytest.fixture(scope="module")
def nnlib_only(tmp_path_factory):
    """A folder that holds a copy of nnlib and nothing else from this repository: the user's machine."""
    folder = tmp_path_factory.mktemp("site")
    shutil.copytree(REPO_ROOT / "nnlib", folder / "nnlib", ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def run_script(script, folder, nnlib_folder):
    """The script's standard output, run as a user runs it: its own file, with nnlib importable."""
    path = folder / "replay.py"
    path.write_text(script, encoding="utf-8")
    environment = {**os.environ, "PYTHONPATH": str(nnlib_folder)}
    result = subprocess.run(
        [sys.executable, str(path)], cwd=folder, env=environment, timeout=60, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def printed_loss(stdout):
    (line,) = [line for line in stdout.splitlines() if line.startswith(FINAL_LOSS_LABEL)]
    return float(line.removeprefix(FINAL_LOSS_LABEL))


def test_the_script_takes_the_same_steps_and_prints_the_sessions_loss_to_the_last_bit(exported, tmp_path, nnlib_only):
    session, script = exported
    if session.settings.dataset == "upload":
        (tmp_path / "points.csv").write_bytes(UPLOADED_CSV)
    stdout = run_script(script, tmp_path, nnlib_only)
    loss, accuracy = loss_and_accuracy(session.model, session.features_train, session.data.t_train)
    assert printed_loss(stdout) == loss
    assert f"final training {'R²' if session.settings.regression else 'accuracy'}: {accuracy:.17g}" in stdout
    assert f"steps: {session.trainer.step_count}, epochs: {session.trainer.current_epoch}" in stdout


def test_the_script_passes_ruff_with_the_house_rules_and_is_formatted(exported, tmp_path):
    path = tmp_path / "replay.py"
    path.write_text(exported[1], encoding="utf-8")
    config = str(REPO_ROOT / "pyproject.toml")
    for command in (["check"], ["format", "--check"]):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "--config", config, str(path)],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_script_is_the_same_text_for_the_same_run():
    assert python_script(every_live_setting_run()) == python_script(every_live_setting_run())


def test_the_script_replays_only_the_changes_that_act_on_the_training_each_where_it_was_made():
    script = python_script(every_live_setting_run())
    assert [line for line in script.splitlines() if line.startswith(("# step", "trainer.train_steps"))] == [
        "# step 0: learning rate 0.03",
        "trainer.train_steps(9)",
        "# step 9: decay rate 0.9",
        "trainer.train_steps(5)",
        "# step 14: schedule constant",
        "trainer.train_steps(3)",
        "# step 17: optimizer Nesterov, momentum 0.8",
        "trainer.train_steps(6)",
        "# step 23: regularization L2, momentum 0.6",
        "# step 23: batch size 100000",
        "trainer.train_steps(4)",
        "# step 27: learning rate 0.05, batch size 20, schedule cosine, schedule epochs 10",
        "trainer.train_steps(3)",
        "# step 30: optimizer Adam",
        "trainer.train_steps(9)",
    ]
    assert "# step 14: schedule constant\ntrainer.schedule = None\noptimizer.lr = 0.03\n" in script
    assert "\nmodel.weight_decay = 0.0001\nmodel.l1 = 0.0\noptimizer.momentum = 0.6\n" in script
    assert "\ntrainer.batch_size = 128  # 100000, capped at the training-set size\n" in script


def test_the_script_imports_only_numpy_and_nnlib(exported):
    imports = [line for line in exported[1].splitlines() if line.startswith(("import ", "from "))]
    modules = {line.split()[1].split(".")[0] for line in imports}
    assert modules <= {"numpy", "nnlib", "pathlib"}


def test_the_script_says_first_how_to_get_nnlib(exported):
    assert exported[1].splitlines()[2].startswith("Needs only NumPy and nnlib: `pip install .` in a checkout of")


def test_the_script_reads_uploaded_points_from_the_csv_next_to_it():
    script = python_script(uploaded_run())
    assert 'x, t = load_points(Path(__file__).with_name("points.csv"))' in script
    assert "points.csv next to this script" in script.split('"""')[1]  # said in the docstring too


def test_a_run_from_a_weights_file_cannot_be_exported_until_it_is_reset():
    session = Session()
    session.load_weights(io.BytesIO(weights_bytes(MLP(2, [10], 3, "sigmoid", "std:0.01", seed=5))))
    with pytest.raises(ValueError, match="weights file"):
        python_script(session)
    session.reset()  # the initial weights of the seed again
    assert FINAL_LOSS_LABEL in python_script(session)


@pytest.mark.parametrize("features", [("x1", "x2"), ("x2", "x1²", "x1·x2", "sin x1")])
def test_the_notebook_snippet_predicts_as_the_model_it_came_from(features, tmp_path, monkeypatch):
    session = Session(Settings(features=features, hidden=(6,), precision="float32"))
    session.trainer.train_steps(20)
    (tmp_path / "weights.npz").write_bytes(weights_bytes(session.model))
    monkeypatch.chdir(tmp_path)
    namespace = {}
    exec(notebook_snippet(features=features), namespace)
    expected = session.model.predict_proba(input_features(namespace["points"], features))
    np.testing.assert_array_equal(namespace["probabilities"], expected)
    np.testing.assert_array_equal(namespace["predicted_class"], expected.argmax(axis=1))


def test_the_notebook_snippet_quotes_any_file_name(tmp_path):
    path = tmp_path / 'run "3"\'s weights.npz'
    model = MLP(2, [4], 3, seed=1)
    path.write_bytes(weights_bytes(model))
    namespace = {}
    exec(notebook_snippet(str(path)), namespace)
    np.testing.assert_array_equal(namespace["predicted_class"], model.predict(namespace["points"]).argmax(axis=1))


def test_the_data_set_csv_loads_back_as_the_same_points():
    session = Session(Settings(dataset="moons", points=40, noise=0.2))
    x, t = load_points(io.BytesIO(data_set_csv(session.data.points, session.data.labels)))
    np.testing.assert_array_equal(x, session.data.points)
    np.testing.assert_array_equal(t, session.data.labels)


def test_a_regressions_points_download_with_their_values_and_its_snippet_predicts_values():
    session = Session(Settings(dataset="plane"))
    frame = read_csv(data_set_csv(session.data.points, session.data.labels, regression=True))
    assert list(frame.columns) == ["x1", "x2", "value"]
    np.testing.assert_allclose(frame["value"], session.data.labels[:, 0])
    snippet = notebook_snippet("weights.npz", ("x1", "x2"), regression=True)
    assert "predicted_values = model.predict(points)[:, 0]" in snippet and "argmax" not in snippet
