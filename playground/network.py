"""The network itself, as TensorFlow Playground draws it: a node per neuron, links coloured by the weight's sign
and thickened by its size, each hidden neuron a small picture of what it computes over the input plane.

What the live view (``playground/live``) needs to draw it, no Streamlit: the neurons' codes and pictures' samples,
the links' widths and colours, the neurons' names.
"""

import numpy as np
from plotly.colors import hex_to_rgb

from nnlib.backend import to_numpy
from playground.i18n import tr

NEURON_LEVELS = 15  # shades per neuron map: odd, so the middle level (a constant neuron) is exactly white
PICTURE_SIZE = 25  # a node's picture samples the grid 25×25: a few hundred bytes, more than it shows
MAX_SHOWN_NEURONS = 12  # per layer: a 256-wide layer shows its first 12 and says how many more there are
WIDTH_BINS = (0.6, 1.3, 2.2, 3.4)  # link widths in px, by |w| relative to the largest |w| in the net
BIN_OPACITIES = (0.35, 0.55, 0.75, 0.95)
POSITIVE, NEGATIVE = "#0072B2", "#E69F00"  # TF Playground's blue and orange, in the Okabe-Ito shades


def diverging_palette(levels=NEURON_LEVELS):
    """(levels, 3) uint8 RGB from orange (low) through white (the middle) to blue (high)."""
    position = np.linspace(-1, 1, levels)[:, None]
    orange, blue, white = (np.array(hex_to_rgb(color)) for color in (NEGATIVE, POSITIVE, "#FFFFFF"))
    end = np.where(position < 0, orange, blue)
    return np.rint(white + np.abs(position) * (end - white)).astype(np.uint8)


NEURON_PALETTE = diverging_palette()


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
