"""playground.charts: one byte per grid cell for class and confidence, the data on top, and the learning curves."""

import json

import numpy as np
import pytest

from playground import pins
from playground.charts import (
    CLASS_COLORS,
    CLICK_GRID,
    CONFIDENCE_LEVELS,
    compare_curves,
    decision_regions,
    input_grid,
    learning_curves,
    region_codes,
    region_colorscale,
)
from playground.data import Split
from playground.settings import Settings
from playground.state import Session

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


def regions_figure(split, resolution=20, show_test=True, hard=False, seed=0):
    x1, x2, _ = input_grid(split.points, resolution)
    probabilities = random_probabilities(resolution**2, split.classes, seed)
    return decision_regions(x1, x2, probabilities, split, show_test, hard), probabilities


def points_of(traces):
    """The (x, y) rows of these scatter traces, sorted, for comparing as sets."""
    rows = np.concatenate([np.column_stack([trace.x, trace.y]) for trace in traces]) if traces else np.empty((0, 2))
    return rows[np.lexsort(rows.T[::-1])]


def sorted_rows(x):
    x = np.asarray(x, dtype=np.float32)
    return x[np.lexsort(x.T[::-1])]


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


# --- region_colorscale ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("classes", [2, 3, 6, 10])
def test_the_colorscale_has_a_step_per_code(classes):
    scale = region_colorscale(classes)
    steps = classes * CONFIDENCE_LEVELS
    assert len(scale) == 2 * steps
    positions = [position for position, _ in scale]
    assert positions[0] == 0 and positions[-1] == 1 and positions == sorted(positions)
    colors = [color for _, color in scale[::2]]
    assert all(scale[2 * z][1] == scale[2 * z + 1][1] for z in range(steps))  # flat within each step
    assert len(set(colors[:CONFIDENCE_LEVELS])) == CONFIDENCE_LEVELS  # every level of a class is its own shade
    top_colors = colors[TOP::CONFIDENCE_LEVELS]
    assert len(set(top_colors)) == min(classes, len(CLASS_COLORS))


def test_paler_levels_are_closer_to_white():
    colors = [color for _, color in region_colorscale(2)[::2]]
    brightness = [sum(int(channel) for channel in color[4:-1].split(",")) for color in colors[:CONFIDENCE_LEVELS]]
    assert brightness == sorted(brightness, reverse=True)


# --- decision_regions ----------------------------------------------------------------------------------------------


def test_decision_regions_draw_one_byte_codes_over_the_grid():
    split = small_split()
    figure, probabilities = regions_figure(split, resolution=20)
    heatmap = figure.data[0]
    assert heatmap.type == "heatmap"
    z = np.asarray(heatmap.z)
    assert z.dtype == np.uint8
    np.testing.assert_array_equal(z, region_codes(probabilities, 20))
    assert heatmap.zmin < 0 and heatmap.zmax == pytest.approx(3 * CONFIDENCE_LEVELS - 0.5)
    assert len(heatmap.colorscale) == 2 * 3 * CONFIDENCE_LEVELS


def test_decision_regions_axes_span_the_grid():
    split = small_split()
    x1, x2, _ = input_grid(split.points, 20)
    figure = decision_regions(x1, x2, random_probabilities(400, 3), split)
    assert figure.layout.xaxis.range == pytest.approx((x1[0], x1[-1]))
    assert figure.layout.yaxis.range == pytest.approx((x2[0], x2[-1]))
    np.testing.assert_allclose(figure.data[0].x, x1, rtol=1e-6)
    np.testing.assert_allclose(figure.data[0].y, x2, rtol=1e-6)


@pytest.mark.parametrize("show_test", [True, False])
def test_decision_regions_show_the_training_points_and_the_test_points_on_request(show_test):
    split = small_split(classes=3)
    figure, _ = regions_figure(split, show_test=show_test)
    train, *test = figure.data[1:]
    assert train.marker.symbol == "circle"
    np.testing.assert_array_equal(points_of([train]), sorted_rows(split.x_train))
    np.testing.assert_array_equal(train.marker.color, split.t_train.argmax(axis=1))  # coloured by class
    if show_test:
        (test_points,) = test
        assert test_points.marker.symbol == "circle-open"
        np.testing.assert_array_equal(points_of([test_points]), sorted_rows(split.x_test))
        np.testing.assert_array_equal(test_points.marker.color, split.t_test.argmax(axis=1))
    else:
        assert test == []


def test_decision_regions_of_a_session():
    session = Session(Settings())
    figure = decision_regions(session.grid_x1, session.grid_x2, session.grid_probabilities(), session.data)
    assert np.asarray(figure.data[0].z).shape == (100, 100)
    assert sum(len(trace.x) for trace in figure.data[1:]) == 300


@pytest.mark.parametrize("hard", [False, True])
def test_a_100_by_100_region_chart_serializes_compactly(hard):
    session = Session(Settings())
    probabilities = random_probabilities(100 * 100, 3, seed=1)
    figure = decision_regions(session.grid_x1, session.grid_x2, probabilities, session.data, hard=hard)
    text = figure.to_json()
    assert len(text) < 40_000
    z = json.loads(text)["data"][0]["z"]
    assert z["dtype"] == "u1" and "bdata" in z  # base64 bytes, not a list of numbers


# --- learning_curves -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("log_scale", [False, True])
def test_learning_curves_plot_the_history(log_scale):
    figure = learning_curves(HISTORY, log_scale)
    assert [trace.name for trace in figure.data] == ["train loss", "test loss", "train accuracy", "test accuracy"]
    for trace, column in zip(figure.data, ("train_loss", "test_loss", "train_accuracy", "test_accuracy")):
        np.testing.assert_allclose(trace.x, HISTORY["epoch"])
        np.testing.assert_allclose(trace.y, HISTORY[column], rtol=1e-6)
    assert [trace.yaxis for trace in figure.data] == ["y", "y", "y2", "y2"]
    assert figure.layout.yaxis.type == ("log" if log_scale else "linear")
    assert tuple(figure.layout.yaxis2.range) == (0, 1.02)


def test_learning_curves_of_a_fresh_history_have_one_point():
    figure = learning_curves({column: values[:1] for column, values in HISTORY.items()})
    assert all(len(trace.y) == 1 for trace in figure.data)


def test_learning_curves_take_a_huge_but_finite_loss():
    history = {**HISTORY, "train_loss": [1.1, 0.9, 8.6e49, 1e300]}
    figure = learning_curves(history, log_scale=True)
    assert figure.data[0].y[2] > 1e30


def test_a_clickable_chart_has_invisible_targets_all_over_the_plane():
    split = small_split()
    x1, x2, _ = input_grid(split.points, 20)
    plain = decision_regions(x1, x2, random_probabilities(400, 3), split)
    figure = decision_regions(x1, x2, random_probabilities(400, 3), split, clickable=True)
    assert len(figure.data) == len(plain.data) + 1
    targets = figure.data[-1]
    assert len(targets.x) == CLICK_GRID**2 and targets.marker.opacity == 0 and targets.hoverinfo == "none"
    assert (min(targets.x), max(targets.x)) == pytest.approx((x1[0], x1[-1]), abs=1e-6)
    assert (min(targets.y), max(targets.y)) == pytest.approx((x2[0], x2[-1]), abs=1e-6)


@pytest.mark.parametrize("log_scale", [False, True])
def test_the_comparison_charts_accuracy_ticks_are_even_on_either_loss_scale(log_scale):
    runs = pins.pin([], Session())
    axis = compare_curves(runs, pins.labels(runs), log_scale).layout.yaxis2
    assert axis.type == "linear" and (axis.tickmode, axis.tick0, axis.dtick) == ("linear", 0, 0.25)
    assert axis.tickformat == ".0%" and tuple(axis.range) == (0, 1.02)
