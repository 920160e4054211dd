"""Pure plotly figure builders: data in, ``go.Figure`` out, no Streamlit."""

import numpy as np
import plotly.graph_objects as go

from playground.i18n import tr
from playground.picture import RegionPicture

# Okabe-Ito: told apart by colour-blind viewers and on a classroom projector
CLICK_GRID = 40  # invisible click targets per axis: where a click on the paused chart adds a point
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GRID_RESOLUTION = 100
CONFIDENCE_LEVELS = 8  # shades per class: enough to see the borders, few enough to keep the grid one byte
MAX_CURVE_POINTS = 250
CURVE_COLUMNS = {  # history column: (legend name, colour, y axis, dash)
    "train_loss": ("train loss", "#0072B2", "y", "solid"),
    "test_loss": ("test loss", "#D55E00", "y", "solid"),
    "train_accuracy": ("train accuracy", "#0072B2", "y2", "dot"),
    "test_accuracy": ("test accuracy", "#D55E00", "y2", "dot"),
}


def input_grid(x, resolution=GRID_RESOLUTION, margin=0.15):
    """Axis ticks and the (resolution², 2) points of a square grid that covers the data with a margin."""
    low, high = x.min(axis=0), x.max(axis=0)
    pad = margin * max((high - low).max(), 1e-3)
    x1 = np.linspace(low[0] - pad, high[0] + pad, resolution)
    x2 = np.linspace(low[1] - pad, high[1] + pad, resolution)
    points = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)
    return x1, x2, points


def class_rgb(label):
    color = CLASS_COLORS[label % len(CLASS_COLORS)]
    return [int(color[i : i + 2], 16) for i in (1, 3, 5)]


def region_palette(classes):
    """RGB of each region code z = class·LEVELS + level: the class colour mixed with white, paler when unsure."""
    palette = []
    for label in range(classes):
        weight = 0.15 + 0.55 * np.arange(CONFIDENCE_LEVELS) / (CONFIDENCE_LEVELS - 1)
        palette.append(np.rint(255 - weight[:, None] * (255 - np.array(class_rgb(label)))))
    return np.vstack(palette).astype(np.uint8)


def region_colorscale(classes):
    """The region palette as a stepped plotly colour scale for z = class·LEVELS + level."""
    return _stepped([f"rgb({r},{g},{b})" for r, g, b in region_palette(classes)])


def region_codes(probabilities, resolution, hard=False):
    """One uint8 per grid cell: the predicted class, times the levels, plus how sure the model is of it.

    Sent as a byte array, plotly encodes it as base64: 10 kB for a 100×100 grid, where floats would be ~7×.
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


def _points_trace(x, t, classes, hollow):
    """The points of one split in one trace, coloured by class: one trace per class would draw slower."""
    return go.Scatter(
        x=x[:, 0].astype(np.float32),
        y=x[:, 1].astype(np.float32),
        mode="markers",
        hoverinfo="skip",
        showlegend=False,
        marker={
            "color": t.argmax(axis=1).astype(np.uint8),
            "colorscale": _stepped([CLASS_COLORS[label % len(CLASS_COLORS)] for label in range(classes)]),
            "cmin": -0.5,
            "cmax": classes - 0.5,
            "symbol": "circle-open" if hollow else "circle",
            "size": 7,
            "line": {"width": 1.5 if hollow else 1, "color": "white"},
        },
        unselected={"marker": {"opacity": 1}},  # a click on the chart selects a target: no dimming of the data
    )


def click_targets(grid_x1, grid_x2, count=CLICK_GRID):
    """Invisible points all over the plane. Streamlit reports a click on a chart only when it hits a point
    (on a heatmap it reports nothing), so these say where a click fell, to add a point there."""
    x1, x2 = np.meshgrid(np.linspace(grid_x1[0], grid_x1[-1], count), np.linspace(grid_x2[0], grid_x2[-1], count))
    return go.Scatter(
        x=x1.ravel().astype(np.float32),
        y=x2.ravel().astype(np.float32),
        mode="markers",
        marker={"size": 12, "opacity": 0},
        selected={"marker": {"opacity": 0}},
        hoverinfo="none",
        showlegend=False,
    )


def _stepped(colors):
    """A colour scale that maps 0, 1, 2, ... (with cmin -0.5, cmax n - 0.5) to exactly these colours."""
    scale = []
    for index, color in enumerate(colors):
        scale += [(index / len(colors), color), ((index + 1) / len(colors), color)]
    return scale


def decision_regions(grid_x1, grid_x2, probabilities, split, show_test=True, hard=False, clickable=False):
    """The predicted class over the input plane, pale where the model is unsure, with the data on top.

    ``probabilities`` are the model's class probabilities on the grid spanned by ``grid_x1`` × ``grid_x2``
    (one forward pass, done by the caller); ``split`` holds the training and test points.
    """
    classes = probabilities.shape[1]
    figure = go.Figure(
        go.Heatmap(
            x=grid_x1.astype(np.float32),
            y=grid_x2.astype(np.float32),
            z=region_codes(probabilities, len(grid_x1), hard),  # update_regions replaces it on each redraw
            zmin=-0.5,
            zmax=classes * CONFIDENCE_LEVELS - 0.5,
            colorscale=region_colorscale(classes),
            showscale=False,
            hoverinfo="skip",
        )
    )
    figure.add_trace(_points_trace(split.x_train, split.t_train, classes, hollow=False))
    if show_test and len(split.x_test):
        figure.add_trace(_points_trace(split.x_test, split.t_test, classes, hollow=True))
    if clickable:
        figure.add_trace(click_targets(grid_x1, grid_x2))
        figure.update_layout(clickmode="event+select")  # a click selects the target it hits, which Streamlit reports
    return on_input_plane(figure, grid_x1, grid_x2).update_layout(plot_bgcolor="white")


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


def update_regions(figure, probabilities, hard=False):
    """Redraw a ``decision_regions`` figure for new probabilities: only the grid changes, in well under 1 ms,
    where building the figure anew takes ~10 ms of plotly's validation."""
    figure.data[0].z = region_codes(probabilities, len(figure.data[0].x), hard)
    return figure


def update_curves(figure, history):
    """Redraw a ``learning_curves`` (or ``side_by_side``) figure for a longer history: its last four traces."""
    rows = curve_indices(len(history["epoch"]))
    epochs = float32_clipped(np.asarray(history["epoch"])[rows])
    with figure.batch_update():
        for trace, column in zip(figure.data[-len(CURVE_COLUMNS) :], CURVE_COLUMNS):
            trace.x = epochs
            trace.y = float32_clipped(np.asarray(history[column])[rows])
    return figure


def _colored(text, curve):
    """``text`` in the colour of the first (train) or second (test) curve, for a title."""
    color = list(CURVE_COLUMNS.values())[curve][1]
    return f"<span style='color:{color}'>{text}</span>"


def learning_curves(history, log_scale=False, lang="en"):
    """Train and test loss (left axis) and accuracy (right axis, dotted) per epoch."""
    figure = go.Figure()
    for name, color, axis, dash in CURVE_COLUMNS.values():
        figure.add_trace(
            go.Scatter(name=tr(name, lang), yaxis=axis, mode="lines", line={"color": color, "dash": dash, "width": 2})
        )
    update_curves(figure, history)
    figure.update_layout(
        # the key is in the axis titles: a plotly legend costs the browser ~20 ms on every redraw
        xaxis={
            "title": tr(
                "epoch · {train}, {test}",
                lang,
                train=_colored(tr("train", lang), 0),
                test=_colored(tr("test", lang), 1),
            ),
            "rangemode": "tozero",
            "showgrid": False,
        },
        yaxis={"title": tr("loss (solid)", lang), "type": "log" if log_scale else "linear", "rangemode": "tozero"},
        yaxis2={
            "title": tr("accuracy (dotted)", lang),
            "overlaying": "y",
            "side": "right",
            "range": [0, 1.02],
            "showgrid": False,
            "tickformat": ".0%",
            "dtick": 0.25,
        },
        showlegend=False,
        margin={"l": 40, "r": 40, "t": 30, "b": 40},
        height=440,
    )
    return figure


def side_by_side(regions, curves):
    """Both figures as one, regions left and curves right: the browser then renders one plotly chart per
    update instead of two, which saves about 15 ms of each redraw. ``update_regions`` and ``update_curves``
    work on it as on the originals (the grid is the first trace, the curves the last four)."""
    figure = go.Figure(regions)
    for trace in curves.data:
        figure.add_trace(trace.update(xaxis="x2", yaxis="y3" if trace.yaxis in (None, "y") else "y4"))
    figure.update_layout(
        xaxis={"domain": [0, 0.47]},
        xaxis2={**curves.layout.xaxis.to_plotly_json(), "domain": [0.57, 0.94], "anchor": "y3"},
        yaxis3={**curves.layout.yaxis.to_plotly_json(), "anchor": "x2"},
        yaxis4={**curves.layout.yaxis2.to_plotly_json(), "anchor": "x2", "overlaying": "y3"},
        showlegend=False,
        margin={"l": 40, "r": 10, "t": 30, "b": 40},
    )
    # fixed margins, and tick labels never measured for overflow: otherwise plotly measures every label's box
    # and may lay the chart out twice, ~13 ms of the browser's ~90 ms per live update
    figure.update_xaxes(automargin=False, ticklabeloverflow="allow")
    figure.update_yaxes(automargin=False, ticklabeloverflow="allow")
    return figure


def picture_regions(grid_x1, grid_x2, picture):
    """A figure for ``RegionPicture`` data URIs, on the axes ``decision_regions`` uses."""
    step1, step2 = (grid_x1[-1] - grid_x1[0]) / picture.size, (grid_x2[-1] - grid_x2[0]) / picture.size
    figure = go.Figure(
        go.Image(x0=grid_x1[0] + step1 / 2, dx=step1, y0=grid_x2[-1] - step2 / 2, dy=-step2, hoverinfo="skip")
    )
    return on_input_plane(figure, grid_x1, grid_x2)


def on_input_plane(figure, grid_x1, grid_x2):
    """Square axes x1, x2 spanning the grid: one unit is as long on both."""
    figure.update_layout(
        xaxis={"title": "x1", "range": [grid_x1[0], grid_x1[-1]], "constrain": "domain"},
        yaxis={"title": "x2", "range": [grid_x2[0], grid_x2[-1]], "scaleanchor": "x", "constrain": "domain"},
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        height=440,
        showlegend=False,
    )
    return figure


class LiveChart:
    """Regions and learning curves side by side, built once per data set and view options.

    Each ``redraw`` then replaces only the grid (or, ``as_picture``, the picture) and the curves: well under
    a millisecond, where building the figure takes ~15 ms of plotly's validation. While training the page
    uses the picture, which the browser draws ~15× faster than the grid and its markers; paused, it uses the
    interactive plotly grid.
    """

    def __init__(
        self,
        grid_x1,
        grid_x2,
        probabilities,
        split,
        history,
        show_test,
        log_scale,
        as_picture,
        clickable=False,
        lang="en",
    ):
        classes = probabilities.shape[1]
        self.split = split  # the data it draws: a chart for other data must be built anew
        self.options = (show_test, log_scale, as_picture, clickable, lang)
        self.resolution = len(grid_x1)
        self.picture = None
        if as_picture:
            point_colors = [class_rgb(label) for label in range(classes)]
            self.picture = RegionPicture(grid_x1, grid_x2, split, show_test, region_palette(classes), point_colors)
            regions = picture_regions(grid_x1, grid_x2, self.picture)
        else:
            regions = decision_regions(grid_x1, grid_x2, probabilities, split, show_test, clickable=clickable)
        self.figure = side_by_side(regions, learning_curves(history, log_scale, lang))
        self.redraw(probabilities, history)

    def redraw(self, probabilities, history, hard=False):
        if self.picture is None:
            update_regions(self.figure, probabilities, hard)
        else:
            self.figure.data[0].source = self.picture.data_uri(region_codes(probabilities, self.resolution, hard))
        return update_curves(self.figure, history)


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
        yaxis={"title": tr("training loss (solid)", lang), "type": "log" if log_scale else "linear",
               "rangemode": "tozero"},
        # linear, with a tick every 25 %, whatever the loss axis is: on a log loss axis plotly's own ticks came
        # out uneven and overlapping (5 %, 12 %, 18 %, 22 %, ...)
        yaxis2={"title": tr("training accuracy (dotted)", lang), "overlaying": "y", "side": "right", "range": [0, 1.02],
                "type": "linear", "tickmode": "linear", "tick0": 0, "dtick": 0.25, "showgrid": False,
                "tickformat": ".0%"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 50, "r": 50, "t": 40, "b": 40},
        height=380,
    )  # fmt: skip
    return figure
