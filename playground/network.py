"""The network itself, as TensorFlow Playground draws it: a node per neuron, links coloured by the weight's sign
and thickened by its size, each hidden neuron a small picture of what it computes over the input plane.

Pure plotly figure builders, no Streamlit. The diagram redraws ~10 times a second while training, so it is built
once per architecture and then only its pictures and link coordinates change; the browser draws the links as
a fixed handful of traces, not one trace per link, and the pictures as small palette PNGs.
"""

import base64
from html import escape

import numpy as np
import plotly.graph_objects as go

from nnlib.backend import to_numpy
from playground.charts import CLASS_COLORS, float32_clipped, on_input_plane
from playground.i18n import tr
from playground.picture import png

NEURON_LEVELS = 15  # shades per neuron map: odd, so the middle level (a constant neuron) is exactly white
PICTURE_SIZE = 25  # a node's picture samples the grid 25×25: a few hundred bytes of PNG, more than it shows
MAX_SHOWN_NEURONS = 12  # per layer: a 256-wide layer shows its first 12 and says how many more there are
WIDTH_BINS = (0.6, 1.3, 2.2, 3.4)  # link widths in px, by |w| relative to the largest |w| in the net
BIN_OPACITIES = (0.35, 0.55, 0.75, 0.95)
POSITIVE, NEGATIVE = "#0072B2", "#E69F00"  # TF Playground's blue and orange, in the Okabe-Ito shades
HEIGHT = 260
PICTURE_WIDTH = 600  # px of the SVG picture drawn while training; the page scales it to its column
MARGIN = {"l": 60, "r": 50, "t": 10, "b": 10}  # room for the input labels left and the class labels right
MIN_SLOTS = 8  # the chart is at least this many nodes tall
NODE_SPAN = 0.84  # a node's picture, in units of the vertical distance between two nodes


def diverging_palette(levels=NEURON_LEVELS):
    """(levels, 3) uint8 RGB from orange (low) through white (the middle) to blue (high)."""
    position = np.linspace(-1, 1, levels)[:, None]
    orange, blue, white = (
        np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)]) for color in (NEGATIVE, POSITIVE, "#FFFFFF")
    )
    end = np.where(position < 0, orange, blue)
    return np.rint(white + np.abs(position) * (end - white)).astype(np.uint8)


NEURON_PALETTE = diverging_palette()


def diverging_colorscale(levels=NEURON_LEVELS):
    """The palette as a smooth plotly colour scale, for the large map of one neuron."""
    palette = diverging_palette(levels)
    return [(index / (levels - 1), f"rgb({r},{g},{b})") for index, (r, g, b) in enumerate(palette)]


def neuron_codes(activations, resolution, levels=NEURON_LEVELS):
    """Each neuron's outputs over the grid as levels 0..levels-1, from its own minimum to its own maximum.

    ``activations`` is (resolution², width), rows in the grid's row-major order; returns (width, resolution,
    resolution) uint8, each map with row 0 at the smallest x2. A constant neuron, and any NaN or infinite output
    of a diverged model, gets the middle level: a white picture, not a warning.
    """
    values = np.asarray(to_numpy(activations), dtype=np.float64)
    finite = np.isfinite(values)
    low = np.where(finite, values, np.inf).min(axis=0)
    high = np.where(finite, values, -np.inf).max(axis=0)
    with np.errstate(all="ignore"):  # 0/0 of a constant neuron, inf - inf of a diverged one: both caught below
        scaled = (values - low) / (high - low) * (levels - 1)
    scaled = np.where(np.isfinite(scaled) & (high > low), scaled, levels // 2)
    width = values.shape[1]
    return np.rint(scaled).astype(np.uint8).T.reshape(width, resolution, resolution)


def sample_rows(resolution, size=PICTURE_SIZE):
    """Rows of a (resolution², ...) grid array that make an evenly spread size × size grid, corners included,
    in the same row-major order: a node's picture needs a 25×25 sample, not all 10 000 cells."""
    ticks = np.linspace(0, resolution - 1, min(size, resolution)).round().astype(int)
    return (ticks[:, None] * resolution + ticks[None, :]).ravel()


def picture_uri(codes, palette=NEURON_PALETTE):
    """One neuron's (size, size) codes, row 0 at the smallest x2, as a PNG data URI with the largest x2 on top."""
    return "data:image/png;base64," + base64.b64encode(png(codes[::-1], palette)).decode()


def neuron_label(layer, neuron, lang="en"):
    """How a hidden neuron is named to people: counted from 1, as TF Playground counts its layers."""
    return tr("layer {layer} · neuron {neuron}", lang, layer=layer + 1, neuron=neuron + 1)


def hidden_neurons(hidden_sizes, lang="en"):
    """Every hidden neuron as ((layer, neuron), label), for a "show this neuron" select box."""
    return [
        ((layer, neuron), neuron_label(layer, neuron, lang))
        for layer, size in enumerate(hidden_sizes)
        for neuron in range(size)
    ]


def architecture(model, feature_names, lang="en"):
    """What a ``NetworkChart`` is built for: a model, features or language that differ here need a new chart."""
    config = model.config
    return tuple(feature_names), tuple(config["hidden_sizes"]), config["output_size"], lang


def neuron_figure(grid_x1, grid_x2, activations, title):
    """One neuron's raw output over the input plane, large: what "selecting a neuron" shows.

    ``activations`` is that neuron's (resolution²,) column of ``hidden[layer]``, in the grid's row-major order.
    """
    z = float32_clipped(to_numpy(activations)).reshape(len(grid_x2), len(grid_x1))  # a diverged net's huge values too
    figure = go.Figure(
        go.Heatmap(
            x=grid_x1.astype(np.float32),
            y=grid_x2.astype(np.float32),
            z=z,
            colorscale=diverging_colorscale(),
            colorbar={"thickness": 12, "len": 0.9},
            hovertemplate="x1 %{x:.2f}, x2 %{y:.2f}: %{z:.3f}<extra></extra>",
        )
    )
    on_input_plane(figure, grid_x1, grid_x2).update_layout(title={"text": title, "x": 0.5}, plot_bgcolor="white")
    return figure.update_layout(margin={"t": 40})


class NetworkChart:
    """The network diagram, built once per architecture; ``redraw`` then changes only what training changes.

    Columns of nodes left to right: the inputs (labelled by feature), the hidden layers (each neuron a picture
    of its output, from ``neuron_codes``), the outputs (in the class colours). Links join the shown neurons of
    neighbouring columns, binned into 2 signs × 4 widths = 8 traces whatever the net's size. The last trace
    holds every node, hoverable, with ``customdata`` [layer, neuron]: layer -1 for the inputs, 0.. for the
    hidden layers (the keys of ``hidden_neurons``) and ``len(hidden_sizes)`` for the outputs.
    """

    def __init__(self, model, hidden, feature_names, max_shown=MAX_SHOWN_NEURONS, lang="en"):
        config = model.config
        if len(feature_names) != config["input_size"]:
            raise ValueError(f"{len(feature_names)} feature names for a model of {config['input_size']} inputs")
        self.architecture = architecture(model, feature_names, lang)
        self.lang = lang
        sizes = [config["input_size"], *config["hidden_sizes"], config["output_size"]]
        self.shown = [min(size, max_shown) for size in sizes]
        self.positions = [self._column(index, shown) for index, shown in enumerate(self.shown)]
        tallest = max(*self.shown, MIN_SLOTS)  # a small net's nodes stay node-sized, not as tall as the chart
        more_below = any(size > shown for size, shown in zip(sizes, self.shown))
        self.y_range = [-(tallest - 1) / 2 - (1.2 if more_below else 0.6), (tallest - 1) / 2 + 0.6]
        self.node_px = NODE_SPAN * (HEIGHT - MARGIN["t"] - MARGIN["b"]) / (self.y_range[1] - self.y_range[0])
        self.resolution = round(np.sqrt(len(hidden[0]))) if hidden else 0
        self.rows = sample_rows(self.resolution) if hidden else None
        self.picture_size = round(np.sqrt(len(self.rows))) if hidden else 0
        self.link_x, self.link_y = self._links()
        self.figure = self._build(sizes, feature_names)
        self._svg_parts = {}  # width -> what stays put in the SVG picture
        self.redraw(model, hidden)

    @staticmethod
    def _column(index, shown):
        """(x, y) of a column's nodes: x its index, the first neuron on top, the column centred on y = 0."""
        y = (shown - 1) / 2 - np.arange(shown, dtype=float)
        return np.column_stack([np.full(shown, float(index)), y])

    def _links(self):
        """Each shown link as x and y rows (start, end, NaN), in the order of ``W[:shown_in, :shown_out].ravel()``.

        The NaN ends the segment: the browser draws a trace of them as separate lines."""
        starts, ends = [], []
        for left, right in zip(self.positions[:-1], self.positions[1:]):
            starts.append(np.repeat(left, len(right), axis=0))
            ends.append(np.tile(right, (len(left), 1)))
        starts, ends = np.concatenate(starts), np.concatenate(ends)
        gap = np.full(len(starts), np.nan)
        link_x = np.column_stack([starts[:, 0], ends[:, 0], gap]).astype(np.float32)
        link_y = np.column_stack([starts[:, 1], ends[:, 1], gap]).astype(np.float32)
        return link_x, link_y

    def _build(self, sizes, feature_names):
        figure = go.Figure()
        for sign_color in (POSITIVE, NEGATIVE):
            red, green, blue = (int(sign_color[i : i + 2], 16) for i in (1, 3, 5))
            for width, opacity in zip(WIDTH_BINS, BIN_OPACITIES):
                line = {"width": width, "color": f"rgba({red},{green},{blue},{opacity})"}
                figure.add_trace(go.Scatter(mode="lines", line=line, hoverinfo="skip", showlegend=False))
        inputs, outputs = self.positions[0], self.positions[-1]
        figure.add_trace(
            go.Scatter(
                x=inputs[:, 0],
                y=inputs[:, 1],
                mode="markers+text",
                text=list(feature_names[: len(inputs)]),
                textposition="middle left",
                marker={
                    "symbol": "square",
                    "size": self.node_px * 0.7,
                    "color": "#f2f2f2",
                    "line": {"width": 1, "color": "#888"},
                },
                hoverinfo="skip",
                cliponaxis=False,  # the labels reach into the left margin
            )
        )
        figure.add_trace(
            go.Scatter(
                x=outputs[:, 0],
                y=outputs[:, 1],
                mode="markers+text",
                text=[str(label) for label in range(len(outputs))],
                textposition="middle right",
                marker={
                    "size": self.node_px * 0.7,
                    "color": [CLASS_COLORS[label % len(CLASS_COLORS)] for label in range(len(outputs))],
                    "line": {"width": 1, "color": "white"},
                },
                hoverinfo="skip",
                cliponaxis=False,
            )
        )
        figure.add_trace(self._node_trace())
        hidden_columns = range(1, len(sizes) - 1)
        figure.update_layout(
            images=[
                {
                    "xref": "x",
                    "yref": "y",
                    "x": x,
                    "y": y,
                    "xanchor": "center",
                    "yanchor": "middle",
                    # "contain" keeps the picture square however wide the page draws the chart: the box is
                    # one node high and half a column wide, so the height always decides
                    "sizex": 0.5,
                    "sizey": NODE_SPAN,
                    "sizing": "contain",
                    "layer": "above",
                }
                for column in hidden_columns
                for x, y in self.positions[column]
            ],
            annotations=[
                {
                    "x": column,
                    "y": self.positions[column][-1, 1] - 0.85,
                    "text": tr("+{count} more", self.lang, count=size - shown),
                    "showarrow": False,
                    "font": {"size": 10, "color": "#666"},
                }
                for column, (size, shown) in enumerate(zip(sizes, self.shown))
                if size > shown
            ],
            xaxis={"range": [-0.35, len(sizes) - 1 + 0.35]},
            yaxis={"range": self.y_range},
            showlegend=False,  # a legend costs the browser ~20 ms per redraw
            height=HEIGHT,
            margin=MARGIN,
            plot_bgcolor="white",
            hovermode="closest",
        )
        # fixed ranges and margins, tick labels never measured: one layout pass in the browser per redraw
        axis = {"visible": False, "fixedrange": True, "automargin": False, "ticklabeloverflow": "allow"}
        figure.update_xaxes(**axis)
        figure.update_yaxes(**axis)
        return figure

    def _node_trace(self):
        """Every shown node, transparent, named on hover; around a hidden neuron's picture, a thin frame."""
        last = len(self.positions) - 1
        layers, neurons, texts = [], [], []
        for column, positions in enumerate(self.positions):
            for neuron in range(len(positions)):
                layers.append(column - 1)
                neurons.append(neuron)
                if column == 0:
                    texts.append(tr("input {feature}", self.lang, feature=self.architecture[0][neuron]))
                elif column == last:
                    texts.append(tr("class {label}", self.lang, label=neuron))
                else:
                    texts.append(neuron_label(column - 1, neuron, self.lang))
        is_hidden = [0 <= layer < last - 1 for layer in layers]
        positions = np.concatenate(self.positions)
        return go.Scatter(
            x=positions[:, 0],
            y=positions[:, 1],
            mode="markers",
            customdata=np.column_stack([layers, neurons]),
            hovertext=texts,
            hoverinfo="text",
            marker={
                "symbol": "square",
                "size": self.node_px + 2,
                "color": "rgba(0,0,0,0)",
                "line": {"width": [1 if hidden else 0 for hidden in is_hidden], "color": "#999"},
            },
            showlegend=False,
        )

    def redraw(self, model, hidden, figure=True):
        """New pictures and links for the model's current weights and ``hidden`` (its outputs on the grid, as
        ``model.predict_with_hidden`` gives them); returns the figure, updated in place. ``figure=False`` skips
        the plotly figure for ``svg_uri`` alone, as the page does while training."""
        weights = [layer.params[0] for layer in model.layers[0::2]]
        shown = [to_numpy(W[:rows, :cols]).ravel() for W, rows, cols in zip(weights, self.shown[:-1], self.shown[1:])]
        shown = np.nan_to_num(np.concatenate(shown).astype(np.float64))  # a diverged model: NaN links are 0
        largest = float(np.max([float(abs(W).max()) for W in weights]))  # NaN, not an arbitrary one, if any is
        if not np.isfinite(largest):
            largest = float(np.abs(shown).max())
        self.link_bins = link_traces(shown, largest)
        self.pictures = []
        for layer, activations in enumerate(hidden):
            sample = to_numpy(activations[:, : self.shown[layer + 1]])[self.rows]
            self.pictures += [picture_uri(codes) for codes in neuron_codes(sample, self.picture_size)]
        if figure:
            for index, trace in enumerate(self.figure.data[: 2 * len(WIDTH_BINS)]):
                chosen = self.link_bins == index
                trace.x = self.link_x[chosen].ravel()
                trace.y = self.link_y[chosen].ravel()
            images = self.figure.layout.images  # looked up once: plotly finds each child by a linear search
            for index, source in enumerate(self.pictures):
                images[index]["source"] = source
        return self.figure

    def svg_uri(self, width=PICTURE_WIDTH):
        """The diagram as it stands after the last ``redraw``, as an SVG data URI ``width`` px wide, ``HEIGHT``
        tall: what the page shows while training. A browser draws it in a few milliseconds, where plotly takes
        ~20 ms per redraw of the same figure; paused, the page shows the interactive figure instead."""
        if width not in self._svg_parts:
            self._svg_parts[width] = self._svg_layout(width)
        segments, styles, image_tags, fixed = self._svg_parts[width]
        paths = [
            f'<path d="{"".join(segments[self.link_bins == index])}" {style}/>'
            for index, style in enumerate(styles)
            if (self.link_bins == index).any()
        ]
        images = [before + source + after for (before, after), source in zip(image_tags, self.pictures)]
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" width="{width}" '
            f'height="{HEIGHT}" font-family="sans-serif" font-size="12" dominant-baseline="middle">'
            + "".join(paths + images)
            + fixed
            + "</svg>"
        )
        # as text, not base64: the websocket's compression then shrinks the repeated markup (~3× smaller updates);
        # only % and # need escaping in a data URI, and the caller quotes it with '
        return "data:image/svg+xml;charset=utf-8," + svg.replace("%", "%25").replace("#", "%23")

    def _svg_layout(self, width):
        """What stays put in the SVG for one width, worked out once: every link's path segment, each link
        trace's stroke, each picture's tag around its source, and the nodes, labels and notes as markup."""
        x_range, y_range = self.figure.layout.xaxis.range, self.figure.layout.yaxis.range
        plot_width, plot_height = width - MARGIN["l"] - MARGIN["r"], HEIGHT - MARGIN["t"] - MARGIN["b"]

        def px(x, y):
            return (
                MARGIN["l"] + (np.asarray(x, float) - x_range[0]) / (x_range[1] - x_range[0]) * plot_width,
                MARGIN["t"] + (y_range[1] - np.asarray(y, float)) / (y_range[1] - y_range[0]) * plot_height,
            )

        xs, ys = px(self.link_x[:, :2], self.link_y[:, :2])
        segments = np.array([f"M{a:.1f} {b:.1f}L{c:.1f} {d:.1f}" for (a, c), (b, d) in zip(xs, ys)], dtype=object)
        styles = [
            f'stroke="{trace.line.color}" stroke-width="{trace.line.width}" fill="none"'
            for trace in self.figure.data[: 2 * len(WIDTH_BINS)]
        ]
        side = self.node_px
        image_tags = []
        for image in self.figure.layout.images:
            x, y = px(image.x, image.y)
            corner = f'x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" height="{side:.1f}"'
            image_tags.append(('<image href="', f'" {corner} style="image-rendering: pixelated"/>'
                               f'<rect {corner} fill="none" stroke="#999" stroke-width="1"/>'))  # fmt: skip
        marker, fixed = 0.7 * side, []
        inputs, outputs = self.figure.data[2 * len(WIDTH_BINS)], self.figure.data[2 * len(WIDTH_BINS) + 1]
        for x, y, label in zip(*px(inputs.x, inputs.y), inputs.text):
            left, top = x - marker / 2, y - marker / 2
            fixed.append(f'<rect x="{left:.1f}" y="{top:.1f}" width="{marker:.1f}" height="{marker:.1f}" '
                         f'fill="#f2f2f2" stroke="#888"/>'
                         f'<text x="{left - 4:.1f}" y="{y:.1f}" text-anchor="end">{escape(label)}</text>')  # fmt: skip
        for x, y, label, color in zip(*px(outputs.x, outputs.y), outputs.text, outputs.marker.color):
            fixed.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{marker / 2:.1f}" fill="{color}" stroke="white"/>'
                         f'<text x="{x + marker / 2 + 4:.1f}" y="{y:.1f}">{escape(label)}</text>')  # fmt: skip
        for note in self.figure.layout.annotations:
            x, y = px(note.x, note.y)
            fixed.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="10" fill="#666">'
                         f"{escape(note.text)}</text>")  # fmt: skip
        return segments, styles, image_tags, "".join(fixed)


def link_traces(weights, largest):
    """The link trace of each weight: sign first (0-3 positive, 4-7 negative), then its width bin, by |w| as a
    share of ``largest`` (the net's largest |w|): a bigger weight never gets a thinner line."""
    bins = len(WIDTH_BINS)
    share = np.abs(weights) / largest if largest > 0 else np.zeros(len(weights))
    width = np.minimum((share * bins).astype(int), bins - 1)
    return np.where(weights < 0, bins, 0) + width
