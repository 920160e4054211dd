"""playground.network: each neuron's map over the input plane in a few shades, and the neurons' names."""

import warnings

import numpy as np

from playground.data import input_grid
from playground.network import (
    NEGATIVE,
    NEURON_LEVELS,
    NEURON_PALETTE,
    POSITIVE,
    hidden_neurons,
    neuron_codes,
    sample_rows,
)

RESOLUTION = 40  # smaller than the app's 100: the same code paths, faster tests
MIDDLE = NEURON_LEVELS // 2

# --- helpers ---------------------------------------------------------------------------------------------------


def grid(resolution=RESOLUTION):
    points = np.random.RandomState(0).randn(50, 2)
    return input_grid(points, resolution)


def rgb(color):
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


# --- neuron maps -----------------------------------------------------------------------------------------------


def test_codes_run_from_each_neurons_own_minimum_to_its_own_maximum():
    # a 2×2 grid, three neurons with different ranges; rows 0, 1 are the lower row of the grid (smallest x2)
    activations = np.array(
        [
            [0.0, 10.0, -1.0],
            [1.0, 20.0, 0.0],
            [2.0, 10.0, 0.5],
            [4.0, 30.0, 1.0],
        ]
    )
    codes = neuron_codes(activations, 2, levels=5)
    assert codes.dtype == np.uint8 and codes.shape == (3, 2, 2)
    np.testing.assert_array_equal(codes[0], [[0, 1], [2, 4]])  # (v - 0) / 4 · 4
    np.testing.assert_array_equal(codes[1], [[0, 2], [0, 4]])  # (v - 10) / 20 · 4
    np.testing.assert_array_equal(codes[2], [[0, 2], [3, 4]])  # (v + 1) / 2 · 4, 0.75 · 4 = 3


def test_constant_and_diverged_neurons_get_the_middle_level_without_warnings():
    activations = np.array(
        [
            [0.7, np.nan, 0.0],
            [0.7, np.nan, np.nan],
            [0.7, np.nan, 2.0],
            [0.7, np.nan, np.inf],
        ]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        codes = neuron_codes(activations, 2, levels=5)
    np.testing.assert_array_equal(codes[0], np.full((2, 2), 2))  # constant
    np.testing.assert_array_equal(codes[1], np.full((2, 2), 2))  # all NaN
    np.testing.assert_array_equal(codes[2], [[0, 2], [4, 2]])  # NaN and inf cells: middle; the rest by 0..2


def test_codes_of_huge_activations_stay_in_range_without_warnings():
    activations = np.array([[-1e308], [1e308], [0.0], [1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        codes = neuron_codes(activations, 2, levels=5)
    assert codes.max() < 5


def test_the_palette_runs_from_orange_through_white_to_blue():
    assert len(NEURON_PALETTE) == NEURON_LEVELS
    np.testing.assert_array_equal(NEURON_PALETTE[0], rgb(NEGATIVE))
    np.testing.assert_array_equal(NEURON_PALETTE[MIDDLE], [255, 255, 255])
    np.testing.assert_array_equal(NEURON_PALETTE[-1], rgb(POSITIVE))


def test_sample_rows_spread_a_small_grid_over_the_large_one_corners_included():
    rows = sample_rows(100, 25)
    assert len(rows) == 625
    assert {0, 99, 9900, 9999} <= set(rows)
    np.testing.assert_array_equal(rows[:25] // 100, 0)  # the first sampled row is the grid's first row
    np.testing.assert_array_equal(sample_rows(10, 25), np.arange(100))  # a grid smaller than the picture: all of it


def test_hidden_neurons_are_listed_layer_by_layer_and_counted_from_one():
    assert hidden_neurons([2, 3]) == [
        ((0, 0), "layer 1 · neuron 1"),
        ((0, 1), "layer 1 · neuron 2"),
        ((1, 0), "layer 2 · neuron 1"),
        ((1, 1), "layer 2 · neuron 2"),
        ((1, 2), "layer 2 · neuron 3"),
    ]
    assert hidden_neurons([]) == []
