"""playground.charts: one byte per grid cell for class and confidence, the data on top, and the learning curves."""

import numpy as np
import pytest

from playground import pins
from playground.charts import (
    CLASS_COLORS,
    CONFIDENCE_LEVELS,
    compare_curves,
    region_codes,
    region_palette,
)
from playground.data import Split, input_grid
from playground.session import Session

TOP = CONFIDENCE_LEVELS - 1

# --- helpers ---------------------------------------------------------------------------------------------------


def random_probabilities(cells, classes, seed=0):
    return np.random.default_rng(seed).dirichlet(np.ones(classes) * 0.5, cells)


def one_cell(probabilities, hard=False):
    """The code of a single grid cell with these class probabilities."""
    return int(region_codes(np.array([probabilities], dtype=float), 1, hard)[0, 0])


def small_split(classes=3, n_train=12, n_test=6, seed=0):
    rng = np.random.default_rng(seed)
    labels = np.arange(n_train + n_test) % classes
    t = np.eye(classes, dtype=np.int64)[labels]
    x = rng.normal(size=(n_train + n_test, 2))
    return Split(x[:n_train], t[:n_train], x[n_train:], t[n_train:])


HISTORY = {
    "epoch": [0, 1, 2, 3],
    "step": [0, 8, 16, 24],
    "train_loss": [1.1, 0.9, 0.55, 0.31],
    "test_loss": [1.12, 0.95, 0.6, 0.4],
    "train_accuracy": [0.33, 0.5, 0.75, 0.9],
    "test_accuracy": [0.3, 0.45, 0.7, 0.85],
}

# --- input_grid ----------------------------------------------------------------------------------------------------


def test_input_grid_covers_the_data_with_a_margin_in_row_major_order():
    x = np.array([[-1.0, 0.0], [2.0, 0.5], [0.0, 1.0]])
    x1, x2, points = input_grid(x, 30)
    assert x1.shape == x2.shape == (30,) and points.shape == (900, 2)
    assert x1[0] < -1.0 and x1[-1] > 2.0 and x2[0] < 0.0 and x2[-1] > 1.0
    np.testing.assert_allclose(x1[-1] - x1[0], x2[-1] - x2[0] + 2.0)  # the same margin on every side
    np.testing.assert_array_equal(points[7 * 30 + 4], [x1[4], x2[7]])  # row 7 of the heatmap is x2[7]


def test_input_grid_of_a_single_point_is_not_degenerate():
    x1, x2, _ = input_grid(np.array([[0.5, 0.5]]), 10)
    assert x1[-1] > x1[0] and x2[-1] > x2[0]


# --- region_codes --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("probabilities", "expected"),
    [
        ([1.0, 0.0, 0.0], 0 * CONFIDENCE_LEVELS + TOP),
        ([0.0, 1.0, 0.0], 1 * CONFIDENCE_LEVELS + TOP),
        ([0.0, 0.0, 1.0], 2 * CONFIDENCE_LEVELS + TOP),
        ([0.0, 1.0], CONFIDENCE_LEVELS + TOP),
        ([0, 0, 0, 0, 0, 1.0], 5 * CONFIDENCE_LEVELS + TOP),
        ([0.5, 0.5], 0),  # a tie: the first class at its palest
        ([1 / 3, 1 / 3, 1 / 3], 0),
        ([1 / 6] * 6, 0),
        ([0.25, 0.75], CONFIDENCE_LEVELS + round(0.5 * TOP)),  # halfway from a tie to certainty
    ],
)
def test_region_codes_encode_class_and_confidence(probabilities, expected):
    assert one_cell(probabilities) == expected


@pytest.mark.parametrize("probabilities", [[0.5, 0.5], [0.4, 0.6], [0.1, 0.2, 0.7], [1 / 3] * 3, [0, 0, 1.0]])
def test_hard_regions_use_the_top_level(probabilities):
    code = one_cell(probabilities, hard=True)
    assert code == int(np.argmax(probabilities)) * CONFIDENCE_LEVELS + TOP


@pytest.mark.parametrize("classes", [2, 3, 6, 10])
@pytest.mark.parametrize("hard", [False, True])
def test_region_codes_are_one_byte_per_cell_with_the_predicted_class(classes, hard):
    resolution = 25
    probabilities = random_probabilities(resolution**2, classes, seed=classes)
    codes = region_codes(probabilities, resolution, hard)
    assert codes.dtype == np.uint8 and codes.shape == (resolution, resolution)
    np.testing.assert_array_equal(codes // CONFIDENCE_LEVELS, probabilities.argmax(axis=1).reshape(resolution, -1))
    assert codes.max() < classes * CONFIDENCE_LEVELS


def test_the_level_grows_with_the_models_certainty():
    probabilities = random_probabilities(40 * 40, 3, seed=4)
    levels = region_codes(probabilities, 40).ravel() % CONFIDENCE_LEVELS
    order = np.argsort(probabilities.max(axis=1), kind="stable")
    assert (np.diff(levels[order].astype(int)) >= 0).all()
    assert levels.min() == 0 and levels.max() == TOP


def test_region_codes_follow_the_grid_layout():
    x1, _, points = input_grid(np.array([[-1.0, -1.0], [1.0, 1.0]]), 16)
    right = (points[:, 0] > 0).astype(float)
    probabilities = np.column_stack([1 - right, right])  # class 1 where x1 > 0, certain everywhere
    codes = region_codes(probabilities, 16)
    expected_row = np.where(x1 > 0, CONFIDENCE_LEVELS + TOP, TOP)
    np.testing.assert_array_equal(codes, np.tile(expected_row, (16, 1)))


def test_nan_probabilities_of_a_diverged_model_still_give_valid_codes():
    codes = region_codes(np.full((4, 3), np.nan), 2)
    assert codes.max() < 3 * CONFIDENCE_LEVELS


# --- region_palette ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("classes", [2, 3, 6, 10])
def test_the_palette_has_a_colour_per_code_each_level_its_own_shade(classes):
    palette = region_palette(classes)
    assert palette.shape == (classes * CONFIDENCE_LEVELS, 3) and palette.dtype == np.uint8
    assert len({tuple(color) for color in palette[:CONFIDENCE_LEVELS]}) == CONFIDENCE_LEVELS
    top_colors = {tuple(color) for color in palette[TOP::CONFIDENCE_LEVELS]}
    assert len(top_colors) == min(classes, len(CLASS_COLORS))


def test_paler_levels_are_closer_to_white():
    brightness = region_palette(2)[:CONFIDENCE_LEVELS].astype(int).sum(axis=1)
    assert list(brightness) == sorted(brightness, reverse=True)


# --- compare_curves ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_scale", [False, True])
def test_the_comparison_charts_accuracy_ticks_are_even_on_either_loss_scale(log_scale):
    runs = pins.pin([], Session())
    axis = compare_curves(runs, pins.labels(runs), log_scale).layout.yaxis2
    assert axis.type == "linear" and (axis.tickmode, axis.tick0, axis.dtick) == ("linear", 0, 0.25)
    assert axis.tickformat == ".0%" and tuple(axis.range) == (0, 1.02)
