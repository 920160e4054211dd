"""Pure plotly figure builders: data in, ``go.Figure`` out, no Streamlit."""

import numpy as np
import plotly.graph_objects as go

# Okabe-Ito: told apart by colour-blind viewers and on a classroom projector
CLASS_COLORS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
GRID_RESOLUTION = 100


def input_grid(x, resolution=GRID_RESOLUTION, margin=0.15):
    """Axis ticks and the (resolution², 2) points of a square grid that covers the data with a margin."""
    low, high = x.min(axis=0), x.max(axis=0)
    pad = margin * (high - low).max()
    x1 = np.linspace(low[0] - pad, high[0] + pad, resolution)
    x2 = np.linspace(low[1] - pad, high[1] + pad, resolution)
    points = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)
    return x1, x2, points


def class_colorscale(classes):
    """A stepped colour scale mapping the integers 0..classes-1 to their class colours."""
    scale = []
    for index in range(classes):
        color = CLASS_COLORS[index % len(CLASS_COLORS)]
        scale += [(index / classes, color), ((index + 1) / classes, color)]
    return scale


def decision_regions(model, x, t, resolution=GRID_RESOLUTION):
    """The predicted class over the input plane, faded where the model is unsure, with the data on top."""
    classes = t.shape[1]
    x1, x2, points = input_grid(x, resolution)
    proba = np.asarray(model.predict_proba(points), dtype=np.float64)
    predicted = proba.argmax(axis=1).reshape(resolution, resolution).astype(np.uint8)
    confidence = proba.max(axis=1).reshape(resolution, resolution)
    figure = go.Figure(
        go.Heatmap(
            x=x1,
            y=x2,
            z=predicted,
            zmin=-0.5,
            zmax=classes - 0.5,
            colorscale=class_colorscale(classes),
            showscale=False,
            opacity=0.45,
            hoverinfo="skip",
        )
    )
    # white veil, thicker where the top probability is low: sure regions are saturated, borders pale
    figure.add_trace(
        go.Heatmap(
            x=x1,
            y=x2,
            z=(255 * (1 - confidence) * classes / (classes - 1)).clip(0, 255).astype(np.uint8),
            zmin=0,
            zmax=255,
            colorscale=[(0, "rgba(255,255,255,0)"), (1, "rgba(255,255,255,0.85)")],
            showscale=False,
            hoverinfo="skip",
        )
    )
    labels = t.argmax(axis=1)
    for label in range(classes):
        members = x[labels == label]
        figure.add_trace(
            go.Scatter(
                x=members[:, 0],
                y=members[:, 1],
                mode="markers",
                name=f"class {label}",
                marker={
                    "color": CLASS_COLORS[label % len(CLASS_COLORS)],
                    "size": 7,
                    "line": {"width": 1, "color": "white"},
                },
            )
        )
    figure.update_layout(
        xaxis={"title": "x1", "range": [x1[0], x1[-1]], "constrain": "domain"},
        yaxis={"title": "x2", "range": [x2[0], x2[-1]], "scaleanchor": "x"},
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        legend={"orientation": "h", "y": -0.12},
    )
    return figure
