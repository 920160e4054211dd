"""The upload handlers behind the page's two file uploaders (AppTest cannot drive a file uploader; the
browser test does, this checks what the handlers do with good and bad files)."""

import io
import pickle

import numpy as np
import pytest

from nnlib.io import save_params
from nnlib.models import MLP
from playground import widgets
from playground.settings import Settings
from playground.state import Session


class FakeState(dict):
    """Enough of st.session_state for the handlers: item and attribute access to the same values."""

    __getattr__ = dict.__getitem__
    __setattr__ = dict.__setitem__


def named(data, name):
    file = io.BytesIO(data)
    file.name = name
    return file


@pytest.fixture
def state(monkeypatch):
    fake = FakeState(session=Session(Settings()))
    monkeypatch.setattr(widgets.st, "session_state", fake)
    return fake


def weights_file(model, name="weights.npz"):
    buffer = io.BytesIO()
    save_params(model, buffer)
    return named(buffer.getvalue(), name)


def test_weights_of_another_network_are_offered_and_switch_the_architecture_only_when_asked(state):
    session = state.session
    model, weights = session.model, session.model.flat_params.copy()
    source = MLP(2, [6, 4], 3, "tanh", seed=1)
    state.weights_upload = weights_file(source)
    widgets.upload_weights()
    assert session.model is model and session.settings == Settings()  # asked first: nothing changed yet
    np.testing.assert_array_equal(session.model.flat_params, weights)
    assert widgets.network_name(state.offered_weights[1]) == "2-6-4-3 (tanh)"

    widgets.use_offered_weights()
    assert session.settings.hidden == (6, 4) and session.settings.activation == "tanh"
    assert state.hidden_layers == 2 and state.width_0 == 6 and state.activation == "tanh"
    np.testing.assert_array_equal(session.model.flat_params, source.flat_params)
    assert "Loaded the weights of weights.npz" in state.notice and "offered_weights" not in state


def test_declined_weights_change_nothing(state):
    session = state.session
    model = session.model
    state.weights_upload = weights_file(MLP(2, [6, 4], 3, "tanh", seed=1))
    widgets.upload_weights()
    widgets.decline_offered_weights()
    assert session.model is model and session.settings == Settings() and "offered_weights" not in state


def test_weights_of_the_network_on_the_page_load_at_once(state):
    source = MLP(2, [10], 3, "sigmoid", "std:0.01", seed=9)
    state.weights_upload = weights_file(source)
    widgets.upload_weights()
    np.testing.assert_array_equal(state.session.model.flat_params, source.flat_params)
    assert "Loaded the weights of weights.npz" in state.notice and "offered_weights" not in state


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (pickle.dumps({"W": np.ones(3)}), "not a weights file"),
        (b"PK\x03\x04 truncated", "not a weights file"),
        (None, "takes 5 inputs"),
    ],
)
def test_bad_weights_leave_the_model_and_settings_untouched(state, data, problem):
    session = state.session
    model, weights, settings = session.model, session.model.flat_params.copy(), session.settings
    file = weights_file(MLP(5, [4], 3, seed=0)) if data is None else named(data, "bad.npz")
    state.weights_upload = file
    widgets.upload_weights()
    assert session.model is model and session.settings == settings
    np.testing.assert_array_equal(session.model.flat_params, weights)
    assert "current model stays" in state.error and problem in state.error


def test_a_good_csv_is_kept_and_a_bad_one_keeps_the_previous_points(state):
    state.csv_upload = named(b"x1,x2,label\n0,0,0\n1,1,1\n0.5,0.2,1\n", "points.csv")
    widgets.upload_points()
    session = state.session
    assert session.uploaded[0].shape == (3, 2) and "Loaded 3 points in 2 classes" in state.notice
    kept = session.uploaded
    state.csv_upload = named(b"x1,x2,label\n0,0,0\n1,nan,1\n", "bad.csv")
    widgets.upload_points()
    assert session.uploaded is kept
    assert "current points stay" in state.error and "row 3" in state.error
