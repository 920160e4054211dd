"""What a session keeps between a page's runs, bounded by its structure: no layer caches after a pass made to draw
or to measure, no hidden maps while paused, a byte per hidden output it draws while playing, a grid pass in parts,
a few whole passes at once."""

import threading
import tracemalloc

import numpy as np
import pytest

from playground import network
from playground.live import frames
from playground.session import Session
from playground.session.grid import WHOLE_PASSES
from playground.session.passes import PASS_VALUES, CodedMaps
from playground.settings import Settings


def cached_arrays(model):
    """What the layers keep of their last pass for a backward: every array a layer holds besides its params."""
    return [value for layer in model.layers for value in vars(layer).values() if isinstance(value, np.ndarray)]


def held_bytes(maps):
    return sum(value.nbytes for value in vars(maps).values() if isinstance(value, np.ndarray))


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "leaky_relu", "softmax"])
def test_a_pass_made_to_draw_or_to_measure_leaves_no_layer_caches(activation):
    session = Session(Settings(hidden=(16, 8), activation=activation, batch_size=30))
    session.trainer.train_steps(3)
    assert max(len(cached) for cached in cached_arrays(session.model)) == 30  # a step's batch, for its backward
    for draw_or_measure in (
        session.grid_pass,
        lambda: session.grid_pass(seconds=1e-9),
        lambda: session.confusion_matrix("test"),
        session.step_epoch,  # which measures the epoch as it ends
    ):
        session.trainer.train_steps(3)
        draw_or_measure()
        assert all(len(cached) == 0 for cached in cached_arrays(session.model))


def test_a_paused_session_keeps_no_hidden_maps_and_a_playing_one_a_byte_and_a_tenth_per_output():
    session = Session(Settings(hidden=(64, 32)))
    session.grid_pass(seconds=1e-9)
    kept = session.grid.kept[1]
    assert all(isinstance(maps, CodedMaps) for maps in kept)
    assert sum(held_bytes(maps) for maps in kept) <= 1.1 * len(session.grid_features) * (64 + 32)
    session.grid_pass()  # a paused page run's
    assert session.grid.kept is None


def test_a_playing_tab_keeps_the_maps_of_the_neurons_it_draws_and_no_others():
    session = Session(Settings(hidden=(256, 256)))
    drawn = frames.drawn_neurons(session.model, (1, 200))
    _, hidden = session.grid_pass(seconds=1e-9, neurons=drawn)
    assert sum(held_bytes(maps) for maps in session.grid.kept[1]) <= 1.1 * len(session.grid_features) * 25
    assert hidden[1][:, 200].shape == (len(session.grid_features),)
    with pytest.raises(IndexError):
        hidden[1][:, 100]
    session.trainer.train_steps(5)
    _, hidden = session.grid_pass(seconds=1e-9, neurons=frames.drawn_neurons(session.model, (1, 100)))
    fresh = session.model.predict_with_hidden(session.grid_features)[1][1][:, 100]
    assert (abs(hidden[1][:, 100] - fresh) <= np.ptp(fresh) / (2 * 254) + 1e-6).all()  # another neuron: a whole pass


def test_a_grid_pass_through_a_wide_network_goes_in_parts_of_a_bounded_size(monkeypatch):
    session = Session(Settings(hidden=(256, 256, 256), classes=3))
    passed = []
    predict_with_hidden = session.model.predict_with_hidden

    def counting(x):
        passed.append(len(x))
        return predict_with_hidden(x)

    monkeypatch.setattr(session.model, "predict_with_hidden", counting)
    probabilities, hidden = session.grid_pass()
    monkeypatch.undo()
    assert sum(passed) == len(session.grid_features) and len(passed) > 1
    assert max(passed) * (3 * 256 + 3) <= PASS_VALUES
    fresh, fresh_hidden = session.model.predict_with_hidden(session.grid_features)
    np.testing.assert_allclose(probabilities, fresh)
    np.testing.assert_allclose(hidden[2], fresh_hidden[2], rtol=1e-6)


# --- CodedMaps -------------------------------------------------------------------------------------------------


def coded(values, row_length):
    """``values`` coded in two parts, as two ticks code their stripes."""
    maps = CodedMaps(len(values), values.shape[1], row_length)
    half = len(values) // 2
    maps[0:half] = values[:half]
    maps[half : len(values)] = values[half:]
    return maps


def test_coded_maps_decode_to_within_half_a_level_of_each_picture_rows_range():
    rng = np.random.default_rng(0)
    values = rng.normal(size=(40, 3)) * [1.0, 100.0, 1e-4]
    values[20:] += 50.0  # a later stripe far from the first: it has a range of its own
    maps = coded(values, row_length=10)
    by_row = values.reshape(4, 10, 3)
    half_level = np.repeat(np.ptp(by_row, axis=1) / (2 * 254), 10, axis=0)
    assert (abs(np.asarray(maps) - values) <= half_level * 1.0001 + 1e-5 * abs(values)).all()
    assert np.asarray(maps).dtype == np.float32


def test_coded_maps_index_as_the_array_they_decode_to():
    maps = coded(np.random.default_rng(1).normal(size=(20, 3)), row_length=5)
    decoded = np.asarray(maps)
    for key in [(slice(None), 1), (slice(None), [2]), (slice(None), slice(None, 2)), 7, (slice(2, 9), -1)]:
        assert maps[key].shape == decoded[key].shape
        np.testing.assert_array_equal(maps[key], decoded[key])
    assert len(maps) == 20


def test_coded_maps_keep_a_constant_neuron_exact_and_a_diverged_ones_outputs_not_finite():
    values = np.column_stack([np.full(10, 0.25), np.linspace(0, 1, 10)])
    values[3, 1], values[4, 1] = np.nan, np.inf
    decoded = np.asarray(coded(values, row_length=5))
    assert (decoded[:, 0] == 0.25).all()
    assert np.isnan(decoded[[3, 4], 1]).all() and np.isfinite(np.delete(decoded[:, 1], [3, 4])).all()


def test_a_neurons_picture_from_coded_maps_is_its_picture_from_floats_give_or_take_a_shade_at_a_border():
    session = Session(Settings(hidden=(12,), activation="tanh", init="auto"))
    session.trainer.train_steps(200)
    exact = session.model.predict_with_hidden(session.grid_features)[1][0]
    resolution = len(session.grid_x1)
    maps = CodedMaps(len(exact), exact.shape[1])
    maps[0 : len(exact)] = exact
    from_floats = network.neuron_codes(exact, resolution).astype(int)
    from_codes = network.neuron_codes(maps[:, :], resolution).astype(int)
    assert abs(from_codes - from_floats).max() <= 1 and (from_codes == from_floats).mean() > 0.99


def test_whole_grid_passes_through_a_wide_network_run_a_few_at_a_time():
    """Thirty pages paused at once each pass the whole grid: what those passes hold together stays that of a few."""
    sessions = [Session(Settings(hidden=(256, 256, 256), seed=seed)) for seed in range(8)]
    tracemalloc.start()
    try:
        sessions[0].grid_pass()
        alone = tracemalloc.get_traced_memory()[1]
        tracemalloc.reset_peak()
        started = tracemalloc.get_traced_memory()[0]
        passes = [threading.Thread(target=session.grid_pass) for session in sessions]
        for each in passes:
            each.start()
        for each in passes:
            each.join()
        together = tracemalloc.get_traced_memory()[1] - started
    finally:
        tracemalloc.stop()
    assert together <= (WHOLE_PASSES + 1) * alone
