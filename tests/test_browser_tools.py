"""bench.browser_tools.missing_chart: a painted frame with a chart missing is told from one with both charts."""

import io

import numpy as np
from PIL import Image

from bench.browser_tools import VIEWPORT, missing_chart
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
