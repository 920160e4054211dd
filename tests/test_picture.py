"""The training picture: a valid palette PNG whose pixels are the regions, with the points stamped on."""

import base64

import numpy as np
import pytest

from playground.charts import LiveChart, class_rgb, curve_indices, region_codes, region_palette
from playground.picture import SCALE, RegionPicture, png
from playground.settings import Settings
from playground.state import Session
from tests.png_reader import decode_png


def test_png_round_trips_pixels_and_palette():
    indices = np.random.RandomState(0).randint(0, 5, (7, 11)).astype(np.uint8)
    palette = np.arange(15, dtype=np.uint8).reshape(5, 3)
    pixels, read_palette = decode_png(png(indices, palette))
    np.testing.assert_array_equal(pixels, indices)
    np.testing.assert_array_equal(read_palette, palette)


def picture_for(session, show_test):
    classes = session.data.classes
    return RegionPicture(
        session.grid_x1,
        session.grid_x2,
        session.data,
        show_test,
        region_palette(classes),
        [class_rgb(label) for label in range(classes)],
    )


def pixels_of(uri):
    assert uri.startswith("data:image/png;base64,")
    return decode_png(base64.b64decode(uri.split(",", 1)[1]))


@pytest.mark.parametrize("show_test", [False, True])
def test_the_picture_shows_the_regions_and_every_point_in_its_class_colour(show_test):
    session = Session(Settings())
    codes = region_codes(session.grid_probabilities(), 100)
    pixels, palette = pixels_of(picture_for(session, show_test).data_uri(codes))
    assert pixels.shape == (100 * SCALE, 100 * SCALE)
    # far from any point, a pixel is its grid cell's region colour; rows run from the top (largest x2) down
    corner = pixels[-1, 0]
    assert corner == codes[0, 0]
    points = [(session.data.x_train, session.data.t_train)]
    points += [(session.data.x_test, session.data.t_test)] if show_test else []
    point_colors = {tuple(class_rgb(label)) for label in range(3)}
    drawn = {tuple(color) for color in palette[np.unique(pixels)]}
    assert point_colors <= drawn
    x1, x2 = session.grid_x1, session.grid_x2
    for x, t in points:
        for (a, b), label in zip(x[:20], t[:20].argmax(axis=1)):
            column = round((a - x1[0]) / (x1[-1] - x1[0]) * (pixels.shape[1] - 1))
            row = round((x2[-1] - b) / (x2[-1] - x2[0]) * (pixels.shape[0] - 1))
            neighbourhood = {
                tuple(palette[index]) for index in pixels[row - 3 : row + 4, column - 3 : column + 4].ravel()
            }
            assert tuple(class_rgb(label)) in neighbourhood


def test_test_points_are_drawn_only_on_request():
    session = Session(Settings())
    codes = region_codes(session.grid_probabilities(), 100)
    without, _ = pixels_of(picture_for(session, False).data_uri(codes))
    with_test, _ = pixels_of(picture_for(session, True).data_uri(codes))
    assert (with_test != without).sum() > 0


@pytest.mark.parametrize("as_picture", [False, True])
def test_live_chart_redraws_in_place(as_picture):
    session = Session(Settings())
    chart = LiveChart(
        session.grid_x1,
        session.grid_x2,
        session.grid_probabilities(),
        session.data,
        session.history,
        show_test=True,
        log_scale=False,
        as_picture=as_picture,
    )
    figure = chart.figure
    before = figure.to_plotly_json()["data"][0]
    session.train_for(0.05)
    assert chart.redraw(session.grid_probabilities(), session.history) is figure
    after = figure.to_plotly_json()["data"][0]
    assert (after["source"] != before["source"]) if as_picture else not np.array_equal(after["z"], before["z"])
    rows = curve_indices(len(session.history["epoch"]))
    np.testing.assert_allclose(figure.data[-4].y, np.asarray(session.history["train_loss"])[rows], rtol=1e-6)
    assert figure.data[0].type == ("image" if as_picture else "heatmap")


def test_live_chart_lays_out_once():
    """Fixed margins and unmeasured tick labels: plotly then lays the chart out in one pass in the browser."""
    session = Session(Settings())
    layout = LiveChart(
        session.grid_x1, session.grid_x2, session.grid_probabilities(), session.data, session.history,
        show_test=False, log_scale=False, as_picture=True,
    ).figure.layout  # fmt: skip
    axes = [layout[name] for name in layout if name.startswith(("xaxis", "yaxis"))]
    assert len(axes) == 5  # x1, x2; epoch, loss, accuracy
    assert all(axis.automargin is False and axis.ticklabeloverflow == "allow" for axis in axes)
