"""The hidden space's computation: the input plane's lines through a layer, its axes, and a projection that moves
without turning over (playground/session/space.py)."""

import numpy as np
import pytest

from playground.live.feed import LiveFeed
from playground.session import Session
from playground.session import space as space_module
from playground.session.space import (
    EASING,
    LINES,
    MAX_POINTS,
    REFRESH_SECONDS,
    SAMPLES,
    SECONDS_PER_FRAME,
    Choice,
    HiddenSpace,
    aligned,
    axis_ranges,
    choose,
    grid_lines,
)
from playground.settings import DEFAULTS

GRID = np.array([[-1.0, 1.0], [-2.0, 2.0]])


def test_the_lines_cross_the_plane_each_way_at_even_steps():
    points = grid_lines(*GRID, lines=3, samples=5)
    across, up = points[:15], points[15:]
    assert points.shape == (30, 2)
    assert np.allclose(across[:5, 1], -2) and np.allclose(across[:5, 0], np.linspace(-1, 1, 5))
    assert np.allclose(across[10:, 1], 2)
    assert np.allclose(up[:5, 0], -1) and np.allclose(up[:5, 1], np.linspace(-2, 2, 5))
    assert np.allclose(up[5:10, 0], 0)


@pytest.mark.parametrize(
    ("sizes", "layer", "axes", "expected"),
    [
        ((10,), 0, "pca", Choice(0, 10, None)),
        ((10, 6, 4), 0, "pca", Choice(2, 4, None)),  # 0: the last
        ((10, 6, 4), 2, "3,7", Choice(1, 6, (2, 5))),  # a neuron past the width: its last
        ((10, 6), 8, "1,2", Choice(1, 6, (0, 1))),  # a layer past the network: its last
        ((1,), 1, "1,2", Choice(0, 1, (0, None))),  # one neuron: one axis
        ((1,), 1, "pca", Choice(0, 1, None)),
    ],
)
def test_the_choice_keeps_to_the_network(sizes, layer, axes, expected):
    assert choose(sizes, layer, axes) == expected


def test_a_network_without_hidden_layers_has_no_choice():
    assert choose((), 0, "pca") is None


def linear_session(width=2):
    """A session whose one hidden layer is x · W + b with a W and b chosen here."""
    session = Session(DEFAULTS.replace(hidden=(width,), activation="identity"))
    affine = session.model.layers[0]
    affine.params[0][...] = np.arange(1, 2 * width + 1).reshape(2, width)
    affine.params[1][...] = np.arange(width) * 10
    return session


def test_a_linear_layer_maps_the_lines_as_its_weights_say():
    session = linear_session()
    coordinates, ranges = HiddenSpace().coordinates(session, choose((2,), 1, "2,1"), GRID, ease=False)
    lines = grid_lines(*GRID)
    expected = lines @ np.array([[1, 2], [3, 4]]) + [0, 10]
    assert coordinates.shape == (len(lines) + min(MAX_POINTS, len(session.features_train)), 2)
    assert np.allclose(coordinates[: len(lines)], expected[:, ::-1])  # neuron 2 across, neuron 1 up
    training = session.features_train @ np.array([[2, 1], [4, 3]]) + [10, 0]
    assert np.allclose(coordinates[len(lines) :], training[:MAX_POINTS])
    assert (ranges[:, 0] < coordinates.min(axis=0)).all() and (ranges[:, 1] > coordinates.max(axis=0)).all()


def test_the_principal_components_of_a_linear_layer_keep_its_lines_straight_and_its_spread():
    session = linear_session(width=3)  # three neurons from two inputs: the points lie in a plane of the three
    coordinates, _ = HiddenSpace().coordinates(session, choose((3,), 1, "pca"), GRID, ease=False)
    training = coordinates[2 * LINES * SAMPLES :]
    hidden = session.features_train @ session.model.layers[0].params[0]
    centred = hidden - hidden.mean(axis=0)
    # the plane's two components hold the whole spread, in order, and the mean sits at the origin
    assert np.isclose((training**2).sum(), (centred**2).sum())
    assert training[:, 0].var() >= training[:, 1].var()
    assert np.allclose(training.mean(axis=0), 0, atol=1e-9)
    first_line = coordinates[:SAMPLES]
    steps = np.diff(first_line, axis=0)
    assert np.allclose(steps, steps[0])  # a straight line, evenly sampled, stays one


def test_one_neuron_is_drawn_on_one_axis():
    session = linear_session(width=1)
    for axes in ("pca", "1,2"):
        coordinates, ranges = HiddenSpace().coordinates(session, choose((1,), 1, axes), GRID, ease=False)
        assert np.all(coordinates[:, 1] == 0) and np.ptp(coordinates[:, 0]) > 0
        assert ranges[1].tolist() == [-0.5, 0.5]


def test_a_flipped_or_swapped_fit_is_turned_back_to_the_previous_basis():
    previous = np.linalg.qr(np.random.default_rng(0).normal(size=(6, 2)))[0]
    assert np.allclose(aligned(-previous, previous), previous)
    assert np.allclose(aligned(previous[:, ::-1] * [1, -1], previous), previous)
    assert np.allclose(aligned(previous, None), previous)


def test_while_training_the_basis_moves_a_little_each_frame_and_never_turns_over():
    session = Session(DEFAULTS.replace(hidden=(10,)))
    space, choice = HiddenSpace(), choose((10,), 0, "pca")
    space.coordinates(session, choice, GRID, ease=False)
    for _ in range(60):
        before = space.basis.copy()
        session.trainer.train_steps(20)
        _, ranges = space.coordinates(session, choice, GRID, ease=True)
        assert (np.sum(before * space.basis, axis=0) > 0.5).all()  # each axis near where it was, same way round
        assert np.allclose(space.basis.T @ space.basis, np.eye(2))
    assert session.latest()["epoch"] >= 0 and np.isfinite(ranges).all()


def test_a_playing_frame_eases_towards_the_new_fit_and_a_paused_one_goes_all_the_way():
    session = Session(DEFAULTS.replace(hidden=(10,)))
    space, choice = HiddenSpace(), choose((10,), 0, "pca")
    space.coordinates(session, choice, GRID, ease=False)
    session.trainer.train_steps(300)
    start = space.basis.copy()
    space.coordinates(session, choice, GRID, ease=True)
    eased = space.basis.copy()
    space.coordinates(session, choice, GRID, ease=False)
    fitted = space.basis
    assert not np.allclose(start, fitted, atol=1e-3)
    assert np.linalg.norm(eased - start) < np.linalg.norm(fitted - start)  # part of the way
    assert np.linalg.norm(eased - fitted) > 1e-6


def test_another_layer_or_run_starts_the_projection_afresh():
    session = Session(DEFAULTS.replace(hidden=(10, 4)))
    space = HiddenSpace()
    space.coordinates(session, choose((10, 4), 1, "pca"), GRID, ease=True)
    assert space.basis.shape == (10, 2)
    space.coordinates(session, choose((10, 4), 2, "pca"), GRID, ease=True)
    assert space.basis.shape == (4, 2)
    session.reset()
    space.coordinates(session, choose((10, 4), 2, "pca"), GRID, ease=True)
    assert space.shown[0] is session.trainer


def test_the_axes_widen_at_once_and_narrow_slowly():
    previous = np.array([[0.0, 1.0], [0.0, 1.0]])
    wide = axis_ranges(np.array([[-10.0, 0.5], [10.0, 0.5]]), previous, EASING)
    assert wide[0, 0] < -10 and wide[0, 1] > 10  # every point inside at once
    narrow = axis_ranges(np.array([[0.4, 0.4], [0.6, 0.6]]), previous, EASING)
    assert np.allclose(narrow, previous + EASING * (np.array([[0.39, 0.61], [0.39, 0.61]]) - previous))
    assert np.allclose(axis_ranges(np.full((3, 2), np.nan), previous, EASING), previous)


def test_a_diverged_model_draws_no_error():
    session = linear_session()
    session.model.layers[0].params[0][...] = np.nan
    coordinates, ranges = HiddenSpace().coordinates(session, choose((2,), 1, "pca"), GRID, ease=False)
    assert np.isnan(coordinates).all() and np.isfinite(ranges).all()


def test_a_costly_space_is_refreshed_every_so_many_playing_frames_and_every_paused_one(monkeypatch):
    frames_at = iter(np.arange(1000) / 32)  # a playing tab's frames, 32 a second (exact in binary)
    monkeypatch.setattr(space_module.time, "perf_counter", lambda: next(frames_at))
    space = HiddenSpace()
    space.seconds = 10 * SECONDS_PER_FRAME  # what a wide, deep layer's refresh took
    playing = [space.due(playing=True) for _ in range(30)]
    assert playing.count(True) == 3 and playing[9] and not any(playing[:9])
    assert all(space.due(playing=False) for _ in range(3))
    space.seconds = SECONDS_PER_FRAME / 10  # the defaults': at most every REFRESH_SECONDS, every third frame here
    assert REFRESH_SECONDS == 1 / 15
    assert [space.due(playing=True) for _ in range(6)] == [False, False, True] * 2


def test_new_points_or_features_are_mapped_afresh():
    session = Session(DEFAULTS.replace(hidden=(10,)))
    space, choice = HiddenSpace(), choose((10,), 0, "pca")
    space.coordinates(session, choice, GRID, ease=False)
    session.apply(session.settings.replace(dataset="moons", points=40))  # new data, a new run
    coordinates, _ = space.coordinates(session, choice, GRID, ease=True)
    assert len(coordinates) == 2 * LINES * SAMPLES + len(session.features_train) == 2 * LINES * SAMPLES + 64
    session.apply(session.settings.replace(features=("x1", "x2", "x1·x2")))
    assert space.points(session, GRID).shape[1] == 3


def test_the_view_turned_off_keeps_nothing_of_the_run_it_showed():
    session = Session()
    feed = LiveFeed(session)
    feed.page_data(("hidden_space",), None, "en", 0)
    feed.next_frame()
    assert feed.space.shown is not None
    feed.page_data(("show_network",), None, "en", 0)
    assert feed.space.shown is None and feed.space.points_of is None
