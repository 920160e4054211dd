"""The input grid, the region colours and codes, the curves' columns, and the one plotly chart that is not live
(the pinned runs compared): no Streamlit. The live view draws in the browser (``playground/live``)."""

import numpy as np
import plotly.graph_objects as go
from plotly.colors import hex_to_rgb

from nnlib.backend import to_numpy
from playground.i18n import tr
from playground.network import diverging_palette

# Okabe-Ito, told apart by colour-blind viewers and on a classroom projector, but for the third: its green is 17
# ΔE*ab from its blue under tritanopia, Paul Tol's wine 32 or more under each colour blindness (e2e/test_live_view)
CLASS_COLORS = ["#0072B2", "#E69F00", "#882255", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
CONFIDENCE_LEVELS = 8  # shades per class: enough to see the borders, few enough to keep the grid one byte
MAX_CURVE_POINTS = 250
CURVE_COLUMNS = {  # history column: (legend name, colour, y axis, dash)
    "train_loss": ("train loss", "#0072B2", "y", "solid"),
    "test_loss": ("test loss", "#D55E00", "y", "solid"),
    "train_accuracy": ("train accuracy", "#0072B2", "y2", "dot"),
    "test_accuracy": ("test accuracy", "#D55E00", "y2", "dot"),
}
REGRESSION_CURVE_NAMES = {"train_accuracy": "train R²", "test_accuracy": "test R²"}  # a regression's: R² there


def class_rgb(label):
    return list(hex_to_rgb(CLASS_COLORS[label % len(CLASS_COLORS)]))


def region_palette(classes):
    """RGB of each region code z = class·LEVELS + level: the class colour mixed with white, paler when unsure."""
    palette = []
    for label in range(classes):
        weight = 0.15 + 0.55 * np.arange(CONFIDENCE_LEVELS) / (CONFIDENCE_LEVELS - 1)
        palette.append(np.rint(255 - weight[:, None] * (255 - np.array(class_rgb(label)))))
    return np.vstack(palette).astype(np.uint8)


# a regression's values: codes over VALUE_RANGE (beyond it, its ends), odd so that 0 is exactly white; the field is
# paler than the points (FIELD_TINT of their colour), which then stand out where the fit misses them
VALUE_LEVELS = 41
VALUE_RANGE = (-1.0, 1.0)  # the surfaces' heights (nnlib.datasets.surfaces)
FIELD_TINT = 0.7


def value_codes(values, hard=False):
    """One uint8 per value: its level from orange (−1 and below) through white (0) to blue (1 and above), as
    ``value_palette`` colours it; ``hard``: its sign only, at full colour (TensorFlow Playground's "discretize").
    NaN (a diverged model) is white."""
    low, high = VALUE_RANGE
    values = np.nan_to_num(np.asarray(values, dtype=np.float64).ravel(), nan=(low + high) / 2)
    if hard:
        values = np.sign(values) * high
    shares = (np.clip(values, low, high) - low) / (high - low)
    return np.rint(shares * (VALUE_LEVELS - 1)).astype(np.uint8)


def value_palette(tint=1.0):
    """RGB of each value code, mixed with white to ``tint`` of its colour (the field's, FIELD_TINT)."""
    return np.rint(255 - tint * (255 - diverging_palette(VALUE_LEVELS).astype(np.float64))).astype(np.uint8)


def picture_codes(outputs, resolution, hard=False, regression=False):
    """The regions' picture, one code per grid cell: the predicted class and how sure (``region_codes``), or a
    regression's predicted value (``value_codes``)."""
    if regression:
        return value_codes(to_numpy(outputs)[:, 0], hard).reshape(resolution, resolution)
    return region_codes(outputs, resolution, hard)


def region_codes(probabilities, resolution, hard=False):
    """One uint8 per grid cell: the predicted class, times the levels, plus how sure the model is of it.

    Sent as bytes: 10 kB for a 100×100 grid, where floats would be ~7×.
    """
    classes = probabilities.shape[1]
    probabilities = np.nan_to_num(probabilities, nan=1 / classes)  # a diverged model: one pale colour
    predicted = probabilities.argmax(axis=1)
    if hard:
        level = np.full(len(predicted), CONFIDENCE_LEVELS - 1)
    else:
        sureness = (probabilities.max(axis=1) - 1 / classes) / (1 - 1 / classes)  # 0 at a tie, 1 when certain
        level = np.rint(np.clip(sureness, 0, 1) * (CONFIDENCE_LEVELS - 1))
    return (predicted * CONFIDENCE_LEVELS + level).astype(np.uint8).reshape(resolution, resolution)


def float32_clipped(values):
    """Half the bytes of float64 on the wire; losses beyond float32's range are drawn at its edge."""
    limit = np.finfo(np.float32).max
    return np.clip(values, -limit, limit).astype(np.float32)


def curve_indices(length, limit=MAX_CURVE_POINTS):
    """At most ``limit`` evenly spread row indices, always the first and the last: a long run's curve keeps its
    shape while each update stays a few kilobytes."""
    if length <= limit:
        return np.arange(length)
    return np.unique(np.linspace(0, length - 1, limit).round().astype(int))


def compare_curves(pins, names, log_scale=False, lang="en"):
    """The loss (solid, left axis) and accuracy (dotted, right axis) of each pinned run, a colour per run, with a
    legend of the runs' ``names`` (see ``pins.labels``). Not live: built once per page run, so a legend is fine."""
    figure = go.Figure()
    for index, run in enumerate(pins):
        color = CLASS_COLORS[index % len(CLASS_COLORS)]
        rows = curve_indices(len(run.history["epoch"]))
        epochs = float32_clipped(np.asarray(run.history["epoch"])[rows])
        for column, axis, dash in (("train_loss", "y", "solid"), ("train_accuracy", "y2", "dot")):
            figure.add_trace(
                go.Scatter(
                    x=epochs,
                    y=float32_clipped(np.asarray(run.history[column])[rows]),
                    name=names[run.number],
                    legendgroup=str(run.number),
                    showlegend=axis == "y",
                    yaxis=axis,
                    mode="lines",
                    line={"color": color, "dash": dash, "width": 2},
                    hovertemplate=f"{names[run.number]}<br>{tr('epoch', lang)} %{{x}}<br>"
                    f"{tr(column.replace('_', ' '), lang)} %{{y:.4f}}<extra></extra>",
                )
            )
    figure.update_layout(
        xaxis={"title": tr("epoch", lang), "rangemode": "tozero", "showgrid": False},
        yaxis={
            "title": tr("training loss (solid)", lang),
            "type": "log" if log_scale else "linear",
            "rangemode": "tozero",
        },
        # linear, with a tick every 25 %, whatever the loss axis is: on a log loss axis plotly's own ticks came
        # out uneven and overlapping (5 %, 12 %, 18 %, 22 %, ...)
        yaxis2={
            "title": tr("training accuracy (dotted)", lang),
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "type": "linear",
            "tickmode": "linear",
            "tick0": 0,
            "dtick": 0.25,
            "showgrid": False,
            "tickformat": ".0%",
        },
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 50, "r": 50, "t": 40, "b": 40},
        height=380,
    )
    return figure
