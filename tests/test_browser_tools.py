"""bench.browser_tools.missing_chart: a painted frame with a chart missing is told from one with both charts;
bench.first_picture: the first frame of a load that shows the regions, and the load's layout shift."""

import io

import numpy as np
import pytest
from PIL import Image

from bench.browser_tools import VIEWPORT, missing_chart
from bench.first_picture import first_painted, layout_shift
from playground.charts import region_palette

BOXES = [[380, 290, 400, 400], [800, 290, 400, 400]]  # regions, curves (CSS pixels)


def frame(regions=True, curves=True, scale=0.5):
    """A painted frame as the screencast sends it: a white page, the palest regions, four thin curves."""
    height, width = round(VIEWPORT["height"] * scale), round(VIEWPORT["width"] * scale)
    picture = np.full((height, width, 3), 255, np.uint8)
    (left, top, side, _), (curves_left, _, _, _) = [[round(value * scale) for value in box] for box in BOXES]
    if regions:
        palest = region_palette(3)[::8]  # each class's least sure shade
        for index, color in enumerate(palest):
            picture[top + index * side // 3 : top + (index + 1) * side // 3, left : left + side] = color
    if curves:
        picture[top + side // 2 : top + side // 2 + 3, curves_left : curves_left + side] = 90  # an axis, words
        for index, color in enumerate([(0, 114, 178), (213, 94, 0)] * 2):
            picture[top + 20 + 40 * index, curves_left : curves_left + side] = color
    encoded = io.BytesIO()
    Image.fromarray(picture).save(encoded, "JPEG", quality=50)
    return encoded.getvalue()


def test_both_charts_shown_is_no_missing_chart():
    assert not missing_chart(frame(), BOXES)


def test_a_blank_regions_chart_is_missing():
    assert missing_chart(frame(regions=False), BOXES)


def test_a_blank_curves_chart_is_missing():
    assert missing_chart(frame(curves=False), BOXES)


def with_points_on_white(jpeg, scale=0.5):
    """The frame with a regression's untrained field in the regions box: white, its points and axes drawn on it."""
    image = Image.open(io.BytesIO(jpeg))
    left, top, side, _ = [round(value * scale) for value in BOXES[0]]
    image.paste((255, 255, 255), (left, top, left + side, top + side))
    for index in range(40):  # grey-ringed points across it
        x, y = left + 5 + (index * 37) % (side - 10), top + 5 + (index * 53) % (side - 10)
        image.paste((102, 102, 102), (x, y, x + 3, y + 3))
    encoded = io.BytesIO()
    image.save(encoded, "JPEG", quality=50)
    return encoded.getvalue()


def test_a_regressions_white_field_with_its_points_is_drawn_and_a_blank_one_is_missing():
    drawn = with_points_on_white(frame())
    assert missing_chart(drawn, BOXES) and not missing_chart(drawn, BOXES, value_field=True)
    assert missing_chart(frame(regions=False), BOXES, value_field=True)


# bench.first_picture: when a load first shows the regions, and how much its layout shifted

ORIGIN = 1_700_000_000_000.0  # the navigation's start, ms since the epoch
REGIONS_BOX = BOXES[0]


def painted_at(milliseconds, regions=True, skeleton=False):
    """A frame of a load as the screencast sends it: (its time in s since the epoch, JPEG)."""
    picture = frame(regions=regions, curves=regions)
    if skeleton:  # Streamlit's grey placeholder where the view will be
        image = Image.open(io.BytesIO(picture))
        image.paste((240, 242, 246), [round(value / 2) for value in (380, 290, 780, 690)])
        encoded = io.BytesIO()
        image.save(encoded, "JPEG", quality=50)
        picture = encoded.getvalue()
    return (ORIGIN + milliseconds) / 1000, picture


def test_the_first_picture_is_the_first_frame_with_the_regions_coloured():
    frames = [painted_at(300, regions=False), painted_at(1200, regions=False, skeleton=True), painted_at(2100)]
    assert first_painted(frames, REGIONS_BOX, ORIGIN) == pytest.approx(2100, abs=0.1)


def test_frames_sent_out_of_order_are_read_in_the_order_painted():
    frames = [painted_at(2500), painted_at(1800), painted_at(900, regions=False)]
    assert first_painted(frames, REGIONS_BOX, ORIGIN) == pytest.approx(1800, abs=0.1)


def test_a_load_that_never_shows_the_regions_has_no_first_picture():
    frames = [painted_at(300, regions=False), painted_at(1200, regions=False, skeleton=True)]
    assert first_painted(frames, REGIONS_BOX, ORIGIN) is None


def test_layout_shift_sums_the_shifts_but_those_after_input():
    assert layout_shift([(0.2344, False), (0.0667, False), (0.5, True)]) == pytest.approx(0.3011)
    assert layout_shift([]) == 0
