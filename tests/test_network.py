"""playground.network: each neuron's map over the input plane, and the network drawn as TF Playground draws it."""

import base64
import warnings

import numpy as np
import pytest

from nnlib.models import MLP
from playground.charts import CLASS_COLORS, input_grid
from playground.network import (
    MAX_SHOWN_NEURONS,
    NEGATIVE,
    NEURON_LEVELS,
    NEURON_PALETTE,
    POSITIVE,
    WIDTH_BINS,
    NetworkChart,
    architecture,
    hidden_neurons,
    neuron_codes,
    neuron_figure,
    sample_rows,
)
from tests.png_reader import decode_png

RESOLUTION = 40  # smaller than the app's 100: the same code paths, faster tests
LINK_TRACES = 2 * len(WIDTH_BINS)
MIDDLE = NEURON_LEVELS // 2

# --- helpers ---------------------------------------------------------------------------------------------------


def grid(resolution=RESOLUTION):
    points = np.random.RandomState(0).randn(50, 2)
    return input_grid(points, resolution)


def chart_for(hidden_sizes, output_size=3, seed=0, activation="tanh"):
    model = MLP(2, hidden_sizes, output_size, activation=activation, seed=seed)
    _, _, points = grid()
    _, hidden = model.predict_with_hidden(points)
    return model, hidden, NetworkChart(model, hidden, ("x1", "x2"))


def nodes(chart):
    """The hoverable node trace (the last one) as rows of (layer, neuron, x, y, hover text)."""
    trace = chart.figure.data[-1]
    return [
        (int(layer), int(neuron), x, y, text)
        for (layer, neuron), x, y, text in zip(trace.customdata, trace.x, trace.y, trace.hovertext)
    ]


def column_of(chart, layer):
    """The (x, y) of one column's nodes, top to bottom; layer -1 is the inputs."""
    return np.array([(x, y) for node_layer, _, x, y, _ in nodes(chart) if node_layer == layer])


def segments(trace):
    """The (x0, y0, x1, y1) of each line of a None-separated (here NaN-separated) link trace."""
    x = np.asarray(trace.x, dtype=float).reshape(-1, 3)
    y = np.asarray(trace.y, dtype=float).reshape(-1, 3)
    assert np.isnan(x[:, 2]).all() and np.isnan(y[:, 2]).all()  # each line ends with a gap
    return [(a, c, b, d) for (a, b, _), (c, d, _) in zip(x, y)]


def link_bins(chart):
    """{(x0, y0, x1, y1): [trace index, ...]} over all link traces: a link should sit in exactly one."""
    found = {}
    for index, trace in enumerate(chart.figure.data[:LINK_TRACES]):
        for segment in segments(trace):
            found.setdefault(segment, []).append(index)
    return found


def shown_links(chart, model):
    """Every link between shown neurons, with its weight: ((x0, y0, x1, y1), w)."""
    columns = [column_of(chart, layer) for layer in range(-1, len(model.config["hidden_sizes"]) + 1)]
    links = []
    for (left, right), layer in zip(zip(columns[:-1], columns[1:]), model.layers[0::2]):
        W = layer.params[0]
        for i, (x0, y0) in enumerate(left):
            for j, (x1, y1) in enumerate(right):
                links.append(((x0, y0, x1, y1), W[i, j]))
    return links


def png_of(uri):
    assert uri.startswith("data:image/png;base64,")
    return base64.b64decode(uri.split(",", 1)[1])


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


def test_the_large_neuron_figure_shows_its_raw_outputs_on_the_input_plane():
    x1, x2, points = grid()
    model = MLP(2, [6], 3, activation="tanh", seed=0)
    _, hidden = model.predict_with_hidden(points)
    figure = neuron_figure(x1, x2, hidden[0][:, 4], "layer 1 · neuron 5")
    heatmap = figure.data[0]
    assert heatmap.type == "heatmap"
    np.testing.assert_allclose(heatmap.z, hidden[0][:, 4].reshape(RESOLUTION, RESOLUTION), rtol=1e-6)
    np.testing.assert_allclose(heatmap.x, x1, rtol=1e-6)
    np.testing.assert_allclose(heatmap.y, x2, rtol=1e-6)
    assert heatmap.showscale is not False  # a colour bar: the raw values matter here
    assert figure.layout.yaxis.scaleanchor == "x"
    assert figure.layout.title.text == "layer 1 · neuron 5"


# --- the network diagram ---------------------------------------------------------------------------------------


def test_nodes_stand_in_columns_centred_and_a_wide_layer_is_capped():
    _, _, chart = chart_for([20, 5])
    counts = [len(column_of(chart, layer)) for layer in (-1, 0, 1, 2)]
    assert counts == [2, MAX_SHOWN_NEURONS, 5, 3]
    for column, layer in enumerate((-1, 0, 1, 2)):
        positions = column_of(chart, layer)
        np.testing.assert_array_equal(positions[:, 0], column)
        assert positions[:, 1].mean() == pytest.approx(0)  # centred vertically
        np.testing.assert_allclose(np.diff(positions[:, 1]), -1)  # evenly spaced, the first neuron on top
    annotations = chart.figure.layout.annotations
    assert [annotation.text for annotation in annotations] == [f"+{20 - MAX_SHOWN_NEURONS} more"]
    assert annotations[0].x == 1 and annotations[0].y < column_of(chart, 0)[:, 1].min()  # under its column
    y_range = chart.figure.layout.yaxis.range
    assert y_range[0] < annotations[0].y < y_range[1]


def test_every_node_says_what_it_is_and_hidden_nodes_carry_their_select_box_keys():
    model, _, chart = chart_for([20, 5])
    by_key = {(layer, neuron): text for layer, neuron, _, _, text in nodes(chart)}
    assert by_key[(-1, 0)] == "input x1"
    assert by_key[(0, 5)] == "layer 1 · neuron 6"
    assert by_key[(1, 4)] == "layer 2 · neuron 5"
    assert by_key[(2, 2)] == "class 2"
    selectable = dict(hidden_neurons(model.config["hidden_sizes"]))
    hidden_keys = [key for key in by_key if 0 <= key[0] < 2]
    assert all(selectable[key] == by_key[key] for key in hidden_keys)
    assert len(hidden_keys) == MAX_SHOWN_NEURONS + 5


def test_inputs_are_labelled_and_outputs_wear_the_class_colours():
    _, _, chart = chart_for([4], output_size=3)
    inputs, outputs = chart.figure.data[LINK_TRACES], chart.figure.data[LINK_TRACES + 1]
    assert list(inputs.text) == ["x1", "x2"]
    assert list(outputs.marker.color) == CLASS_COLORS[:3]


def test_every_shown_link_is_drawn_once_in_the_trace_of_its_sign_and_bigger_weights_never_thinner():
    model, _, chart = chart_for([20, 5])
    model.layers[0].params[0][1, 15] = 50.0  # the net's largest |w|, on a link to a neuron that is not shown
    _, hidden = model.predict_with_hidden(grid()[2])
    chart.redraw(model, hidden)
    found = link_bins(chart)
    links = shown_links(chart, model)
    assert len(links) == 2 * 12 + 12 * 5 + 5 * 3  # links only between shown neurons
    assert len(found) == len(links)
    bins = len(WIDTH_BINS)
    drawn = []
    for segment, weight in links:
        assert len(found[segment]) == 1
        trace = found[segment][0]
        assert (trace >= bins) == (weight < 0)  # 0..3 blue (positive), 4..7 orange (negative)
        drawn.append((abs(weight), trace % bins))
    drawn.sort()
    assert all(earlier[1] <= later[1] for earlier, later in zip(drawn, drawn[1:]))
    # widths are relative to the whole net's largest |w|: here 50, so the shown weights (all < 50/4) are thin
    assert max(width for _, width in drawn) == 0


def test_the_largest_weight_gets_the_widest_line_and_the_traces_their_colours():
    model, _, chart = chart_for([6])
    W = model.layers[2].params[0]
    W[2, 1] = -3 * np.abs(model.weights).max()
    chart.redraw(model, model.predict_with_hidden(grid()[2])[1])
    positions = column_of(chart, 0)[2], column_of(chart, 1)[1]
    segment = (*positions[0], *positions[1])
    assert link_bins(chart)[segment] == [LINK_TRACES - 1]  # negative and widest
    traces = chart.figure.data[:LINK_TRACES]
    widths = [trace.line.width for trace in traces]
    assert widths[: len(WIDTH_BINS)] == sorted(widths[: len(WIDTH_BINS)]) == list(WIDTH_BINS)
    assert all(f"rgba({','.join(map(str, rgb(POSITIVE)))}" in trace.line.color for trace in traces[:4])
    assert all(f"rgba({','.join(map(str, rgb(NEGATIVE)))}" in trace.line.color for trace in traces[4:])


def test_each_shown_hidden_neuron_is_an_image_of_its_codes_at_its_node():
    _, hidden, chart = chart_for([20, 5])
    images = chart.figure.layout.images
    assert len(images) == MAX_SHOWN_NEURONS + 5
    rows = sample_rows(RESOLUTION)
    size = round(np.sqrt(len(rows)))
    index = 0
    for layer in range(2):
        positions = column_of(chart, layer)
        codes = neuron_codes(hidden[layer][rows][:, : len(positions)], size)
        for neuron, (x, y) in enumerate(positions):
            image = images[index]
            assert (image.x, image.y, image.xref, image.yref) == (x, y, "x", "y")
            data = png_of(image.source)
            assert len(data) < 1000  # a few hundred bytes
            pixels, palette = decode_png(data)
            np.testing.assert_array_equal(pixels, codes[neuron][::-1])  # the top row is the largest x2
            np.testing.assert_array_equal(palette, NEURON_PALETTE)
            index += 1


def test_redraw_updates_pictures_and_links_in_place():
    model, _, chart = chart_for([10])
    figure = chart.figure
    sources = [image.source for image in figure.layout.images]
    links = link_bins(chart)
    model.flat_params[...] = np.random.RandomState(1).randn(model.flat_params.size)
    _, hidden = model.predict_with_hidden(grid()[2])
    assert chart.redraw(model, hidden) is figure
    assert len(figure.data) == LINK_TRACES + 3  # the same traces, with new coordinates
    new_sources = [image.source for image in figure.layout.images]
    assert all(old != new for old, new in zip(sources, new_sources))
    assert link_bins(chart) != links
    assert all(len(traces) == 1 for traces in link_bins(chart).values())


def test_a_diverged_model_draws_white_pictures_and_keeps_every_link():
    model, hidden, chart = chart_for([6])
    model.flat_params[[0, 5]] = [np.nan, np.inf]
    hidden = [np.full_like(hidden[0], np.nan)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        chart.redraw(model, hidden)
    for image in chart.figure.layout.images:
        pixels, _ = decode_png(png_of(image.source))
        assert (pixels == MIDDLE).all()
    assert len(link_bins(chart)) == 2 * 6 + 6 * 3


def test_a_linear_model_links_inputs_to_outputs_and_has_no_pictures():
    model, hidden, chart = chart_for([])
    assert hidden == [] and len(chart.figure.layout.images) == 0
    found = link_bins(chart)
    assert set(found) == {segment for segment, _ in shown_links(chart, model)}
    assert len(found) == 2 * 3
    assert not chart.figure.layout.annotations


def test_the_diagram_lays_out_once_with_no_legend_and_fixed_axes():
    """What keeps the browser's redraw cheap: no legend, fixed margins and ranges, tick labels not measured."""
    model, _, chart = chart_for([10])
    layout = chart.figure.layout
    assert layout.showlegend is False
    for axis in (layout.xaxis, layout.yaxis):
        assert axis.automargin is False and axis.ticklabeloverflow == "allow"
        assert axis.visible is False and axis.fixedrange is True and axis.range is not None
    assert layout.height == 260
    assert chart.architecture == architecture(model, ("x1", "x2"))
    assert len(chart.figure.to_json()) < 30_000


def test_feature_names_must_match_the_inputs():
    model = MLP(3, [4], 2, seed=0)
    with pytest.raises(ValueError, match="3 inputs"):
        NetworkChart(model, [np.zeros((RESOLUTION**2, 4))], ("x1", "x2"))


def svg_of(chart):
    """The SVG markup of the chart's picture, decoded from its data URI."""
    uri = chart.svg_uri()
    prefix = "data:image/svg+xml;charset=utf-8,"
    assert uri.startswith(prefix) and "#" not in uri
    return uri[len(prefix) :].replace("%23", "#").replace("%25", "%")


def test_the_svg_picture_draws_what_the_figure_holds():
    _, _, chart = chart_for([20, 4])
    svg = svg_of(chart)
    figure = chart.figure
    assert svg.count("<image ") == len(figure.layout.images) == 12 + 4
    sources = [image.source for image in figure.layout.images]
    assert sources == [part.split('"')[0] for part in svg.split('<image href="')[1:]]
    link_traces = [trace for trace in figure.data[:8] if trace.x is not None and len(trace.x)]
    assert svg.count("<path ") == len(link_traces)
    drawn = sum(path.split('"')[0].count("M") for path in svg.split('<path d="')[1:])
    assert drawn == sum(len(trace.x) // 3 for trace in link_traces) == 2 * 12 + 12 * 4 + 4 * 3
    for label in ("x1", "x2", ">0<", ">2<", "+8 more"):
        assert label in svg


def test_the_svg_picture_needs_no_figure_update():
    model, hidden, chart = chart_for([6, 4])
    model.flat_params[:] *= -1.5  # other weights, other pictures
    _, hidden = model.predict_with_hidden(grid()[2])
    before = chart.figure.to_json()
    chart.redraw(model, hidden, figure=False)
    picture = chart.svg_uri()
    assert chart.figure.to_json() == before  # the plotly figure was left alone
    chart.redraw(model, hidden)
    assert chart.svg_uri() == picture and chart.figure.to_json() != before
