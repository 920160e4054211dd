"""playground.export: the weights, history and settings downloads read back to what they were made from."""

import dataclasses
import io
import json

import numpy as np
import pandas as pd
import pytest

from nnlib.io import ARCHITECTURE_KEY, load_model
from nnlib.models import MLP, TwoLayerNet, named_params
from playground.export import history_csv, settings_json, weights_bytes
from playground.settings import Settings
from playground.state import HISTORY_COLUMNS, Session


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
