"""The upload handlers behind the page's two file uploaders (AppTest cannot drive a file uploader; the
browser test does, this checks what the handlers do with good and bad files)."""

import io
import pickle
import re
import time
import zipfile

import numpy as np
import pytest

from nnlib.io import save_params
from nnlib.models import MLP
from playground.session import Session
from playground.settings import Settings
from playground.ui import callbacks


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
    monkeypatch.setattr(callbacks.st, "session_state", fake)
    return fake


def weights_file(model, name="weights.npz", trained=None):
    buffer = io.BytesIO()
    save_params(model, buffer, trained=trained)
    return named(buffer.getvalue(), name)


def test_weights_of_another_network_are_offered_and_switch_the_architecture_only_when_asked(state):
    session = state.session
    model, weights = session.model, session.model.flat_params.copy()
    source = MLP(2, [6, 4], 3, "tanh", seed=1)
    state.weights_upload = weights_file(source)
    callbacks.upload_weights()
    assert session.model is model and session.settings == Settings()  # asked first: nothing changed yet
    np.testing.assert_array_equal(session.model.flat_params, weights)
    assert state.offered_weights[2] == "2-6-4-3 (tanh)"

    callbacks.use_offered_weights()
    assert session.settings.hidden == (6, 4) and session.settings.activation == "tanh"
    assert state.hidden_layers == 2 and state.width_0 == 6 and state.activation == "tanh"
    np.testing.assert_array_equal(session.model.flat_params, source.flat_params)
    assert "Loaded the weights of weights.npz" in state.notice and "offered_weights" not in state


def test_declined_weights_change_nothing(state):
    session = state.session
    model = session.model
    state.weights_upload = weights_file(MLP(2, [6, 4], 3, "tanh", seed=1))
    callbacks.upload_weights()
    callbacks.decline_offered_weights()
    assert session.model is model and session.settings == Settings() and "offered_weights" not in state


def test_weights_of_the_network_on_the_page_load_at_once(state):
    source = MLP(2, [10], 3, "sigmoid", "std:0.01", seed=9)
    state.weights_upload = weights_file(source)
    callbacks.upload_weights()
    np.testing.assert_array_equal(state.session.model.flat_params, source.flat_params)
    assert "Loaded the weights of weights.npz" in state.notice and "offered_weights" not in state


def test_a_downloaded_weights_file_says_how_long_it_trained_and_the_run_from_it_counts_on(state):
    session = state.session
    session.step_to(3)
    saved = session.trained()
    assert saved == {"epoch": 3, "step": session.trainer.step_count} and saved["step"] > 0
    state.weights_upload = weights_file(session.model, "teacher.npz", trained=saved)
    callbacks.upload_weights()
    assert session.weights_file == "teacher.npz" and session.weights_trained == saved
    assert session.trainer.current_epoch == 0
    session.step_to(2)
    assert session.trained() == {"epoch": 5, "step": saved["step"] + session.trainer.step_count}
    state.weights_upload = weights_file(session.model, "unknown.npz")  # a file that does not say how long
    callbacks.upload_weights()
    assert session.weights_file == "unknown.npz" and session.trained() is None


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
    callbacks.upload_weights()
    assert session.model is model and session.settings == settings
    np.testing.assert_array_equal(session.model.flat_params, weights)
    assert "current model stays" in state.weights_error and problem in state.weights_error


def filled(model, value):
    model.flat_params[...] = value
    return model


def scaled(model, factor):
    model.flat_params[...] *= factor
    return model


@pytest.mark.parametrize(
    ("model", "problem"),
    [
        (filled(MLP(2, [10], 3, seed=0), 1e308), "too large to train: their loss on the current points is nan"),
        (scaled(MLP(2, [10], 3, seed=0), 1e100), "too large to train: their loss on the current points is 5.53e+99"),
        (MLP(2, [10], 3, weight_decay=5.0, seed=0), "regularization rate 5 is outside the page's range"),
        (MLP(2, [10], 3, weight_decay=0.01, l1=3.0, seed=0), "both L1 and L2"),
        (MLP(2, [700] * 8, 3, seed=0), "more than the 3,786,832 allowed"),  # checked before its arrays are read
    ],
    ids=["weights near the largest float", "huge weights", "a rate beyond the page's", "two penalties", "too large"],
)
def test_weights_the_page_cannot_train_on_are_refused(state, model, problem):
    session = state.session
    kept = session.model
    state.weights_upload = weights_file(model)
    callbacks.upload_weights()
    assert session.model is kept and "offered_weights" not in state
    assert problem in state.weights_error


def test_a_new_upload_clears_an_older_offer_and_says_what_the_file_is_not(state):
    state.weights_upload = weights_file(MLP(2, [6, 4], 3, "tanh", seed=1))
    callbacks.upload_weights()
    assert "offered_weights" in state
    state.weights_upload = named(b"\x89PNG\r\n\x1a\n not weights", "picture.npz")
    callbacks.upload_weights()
    assert "offered_weights" not in state
    assert "not a weights file (.npz)" in state.weights_error and "pickle" not in state.weights_error


def test_an_offer_taken_after_the_inputs_changed_is_read_again_and_refused(state):
    session = state.session
    state.weights_upload = weights_file(MLP(2, [6, 4], 3, "tanh", seed=1))
    callbacks.upload_weights()
    session.apply(session.settings.replace(features=("x1", "x2", "x1²")))
    model = session.model
    callbacks.use_offered_weights()
    assert session.model is model and session.settings.hidden == (10,) and "offered_weights" not in state
    assert "weights.npz no longer fits" in state.weights_error and "takes 2 inputs" in state.weights_error


def test_a_good_csv_is_kept_and_a_bad_one_keeps_the_previous_points(state):
    state.csv_upload = named(b"x1,x2,label\n0,0,0\n1,1,1\n0.5,0.2,1\n", "points.csv")
    callbacks.upload_points()
    session = state.session
    assert session.uploaded[0].shape == (3, 2) and "Loaded 3 points in 2 classes" in state.notice
    kept = session.uploaded
    state.csv_upload = named(b"x1,x2,label\n0,0,0\n1,nan,1\n", "bad.csv")
    callbacks.upload_points()
    assert session.uploaded is kept
    assert "current points stay" in state.error and "row 3" in state.error


def weights_with_extra_arrays(count):
    buffer = io.BytesIO(weights_file(MLP(2, [8], 2, seed=0)).getvalue())
    with zipfile.ZipFile(buffer, "a") as archive:
        for index in range(count):
            archive.writestr(f"extra{index}.npy", b"")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("uploader", "handler", "data", "korean"),
    [
        ("csv_upload", callbacks.upload_points, b"x1,x2," + b"," * 4_800_000 + b"\n", "열이 너무 많습니다"),
        (
            "csv_upload",
            callbacks.upload_points,
            b"x1,x2,label\n0,0,0\n" + b"\n" * 4_800_000,
            "빈 줄을 포함해 200,000줄이 넘습니다",
        ),
        ("weights_upload", callbacks.upload_weights, weights_with_extra_arrays(4_001), "외 3,996개"),
        (
            "weights_upload",
            callbacks.upload_weights,
            np.lib.format.MAGIC_PREFIX + b"\x01\x00",
            "NumPy 배열 하나 (.npy)",
        ),
    ],
    ids=["a line of millions of fields", "millions of blank lines", "thousands of unexpected arrays", "an .npy"],
)
def test_a_bad_upload_is_refused_in_korean_at_once_and_in_a_sentence(state, uploader, handler, data, korean):
    """On the Korean page: a refusal quoting a few of the file's names, in well under the second a page can wait."""
    state.lang = "ko"
    state[uploader] = named(data, "upload")
    start = time.perf_counter()
    handler()
    assert time.perf_counter() - start < 2  # generous: it takes a fraction of a second
    refusal = state.get("error") or state.get("weights_error")
    assert korean in refusal and re.search("[가-힣]", refusal) and len(refusal) < 2_000
