"""Passes of points through a model: in parts that keep the layers' memory small (the class scores, the loss
and accuracy, and the hidden outputs coded a byte each, ``CodedMaps``), or a layer at a time (``layer_outputs``)."""

import numpy as np

from nnlib import metrics
from playground.data import GRID_RESOLUTION

# a pass to draw or to measure takes its rows in parts of at most this many layer outputs (8 MB in float64), so
# what the layers hold during it stays small however wide the network: the grid through 8 × 256 at once held 300 MB
PASS_VALUES = 2**20
NOT_FINITE = 255  # the code of a NaN or infinite hidden output (a diverged model's); finite ones get 0 to 254


def pass_parts(model, start, stop):
    """The slices of the rows ``start:stop`` that a pass to draw or to measure takes in turn: at most PASS_VALUES
    layer outputs each, in whole rows of the grid's picture."""
    config = model.config
    outputs_per_row = sum(config["hidden_sizes"]) + config["output_size"]
    rows = max(GRID_RESOLUTION, PASS_VALUES // outputs_per_row // GRID_RESOLUTION * GRID_RESOLUTION)
    return [slice(first, min(first + rows, stop)) for first in range(start, stop, rows)]


def forgetting_pass(model, features, with_hidden=False):
    """``model.predict(features)`` (or ``predict_with_hidden``) for a pass that draws or measures: a pass over no
    rows then takes the place of what each layer kept of it for a backward that never comes (over the whole grid
    of an 8 × 256 network, 160 MB)."""
    result = model.predict_with_hidden(features) if with_hidden else model.predict(features)
    model.predict(features[:0])
    return result


def layer_outputs(model, features, count=None):
    """Each of ``model.layers``' outputs for ``features``, from each layer's own ``forward`` in turn: what
    ``predict`` computes, with every layer's output kept (a hidden layer's before its dropout, which scales what
    the next layer takes, as ``predict`` does). ``count``: only the first so many layers (None: all)."""
    outputs, x = [], model.xp.asarray(features, dtype=model.dtype)
    for index, layer in enumerate(model.layers[:count]):
        outputs.append(layer.forward(x))
        x = model.dropouts[index].forward(outputs[-1], train_flg=False) if index in model.dropouts else outputs[-1]
    return outputs


def forgetting_outputs(model, features, count=None):
    """``layer_outputs`` for a view that only reads them, then a pass over no rows, so the layers keep nothing of
    them for a backward that never comes (as ``forgetting_pass``)."""
    outputs = layer_outputs(model, features, count)
    layer_outputs(model, features[:0], count)
    return outputs


def class_scores(model, features):
    """The model's class scores (logits), or a regression's predictions, of ``features``, from forgetting passes
    over parts of them."""
    parts = pass_parts(model, 0, len(features))
    return model.xp.concatenate([forgetting_pass(model, features[part]) for part in parts])


def loss_and_accuracy(model, features, t):
    """Mean cross-entropy (without the regularisation penalty) and accuracy over a whole data split; for a
    regression, its loss (½·mean squared error) and R² in their place: what the history records and the curves
    draw."""
    if len(features) == 0:
        return float("nan"), float("nan")
    measure = metrics.loss_and_r2 if model.is_regression else metrics.loss_and_accuracy
    return measure(class_scores(model, features), t)


class CodedMaps:
    """A hidden layer's outputs over the grid in one byte each, as a playing page keeps them between ticks: its
    pictures show 15 shades of each neuron (``network.neuron_codes``), and 255 levels are plenty for those. For
    8 × 256 that is 22 MB, where float32 took 82.

    Each picture row of each neuron is coded from its own minimum to its own maximum, so that a row a later tick
    refreshes (see ``Session.grid_pass``) leaves the other rows' codes as they are. ``maps[start:stop] = values``
    codes whole picture rows; ``maps[rows, columns]`` and ``np.asarray(maps)`` decode, as float32, only what they
    are asked for."""

    def __init__(self, rows, width, row_length=GRID_RESOLUTION):
        self.row_length = row_length
        # neuron by neuron: the few neurons a picture shows are then a few contiguous rows of codes
        self.codes = np.zeros((width, rows), dtype=np.uint8)
        self.low = np.zeros((width, rows // row_length, 1), dtype=np.float32)  # per neuron and picture row
        self.step = np.zeros_like(self.low)

    def __len__(self):
        return self.codes.shape[1]

    def __setitem__(self, rows, values):
        width = values.shape[1]
        values = np.ascontiguousarray(values.T, dtype=np.float32).reshape(width, -1, self.row_length)
        finite = np.isfinite(values)
        with np.errstate(all="ignore"):  # a diverged model's NaN and infinities: coded NOT_FINITE below
            if not finite.all():
                values = np.where(finite, values, np.nan)  # out of the ranges: fmin and fmax pass over NaN
            low = np.fmin.reduce(values, axis=2, keepdims=True)
            step = (np.fmax.reduce(values, axis=2, keepdims=True) - low) / (NOT_FINITE - 1)
            step[~(step > 0)] = 1  # a constant neuron's codes are all 0: its low, exactly
            codes = ((values - low) / step + 0.5).astype(np.uint8)
        codes[~finite] = NOT_FINITE
        self.codes[:, rows] = codes.reshape(width, -1)
        picture_rows = slice(rows.start // self.row_length, rows.stop // self.row_length)
        self.low[:, picture_rows], self.step[:, picture_rows] = low, step

    def __getitem__(self, key):
        rows, columns = key if isinstance(key, tuple) else (key, slice(None))
        codes = self.codes[columns]
        values = codes.astype(np.float32)
        by_picture_row = values.reshape(*codes.shape[:-1], -1, self.row_length)
        by_picture_row *= self.step[columns]
        by_picture_row += self.low[columns]
        values[codes == NOT_FINITE] = np.nan
        return values.T[rows]

    def __array__(self, dtype=None, copy=None):
        return self[:, :].astype(dtype or np.float32, copy=False)


class SomeNeurons:
    """A hidden layer's outputs over the grid for some of its neurons only (a frame's: the diagram's first ones and
    the one shown large; at 8 × 256, 12 or 13 of each layer's 256), indexed by the neurons' own numbers as the whole
    layer's would be: ``maps[rows, neurons]``. ``maps`` holds their outputs, a column each in ``neurons``' order
    (float32 or ``CodedMaps``). Asking for a neuron it does not hold is an IndexError."""

    def __init__(self, maps, neurons, width):
        self.maps = maps
        self.columns = np.full(width, -1)  # each neuron's column in ``maps``; -1: not held
        self.columns[list(neurons)] = range(len(neurons))
        self.shape = (len(maps), width)

    def __len__(self):
        return self.shape[0]

    def __getitem__(self, key):
        rows, neurons = key if isinstance(key, tuple) else (key, slice(None))
        columns = self.columns[neurons]
        if (np.asarray(columns) < 0).any():
            raise IndexError("the grid pass kept no outputs of that neuron")
        return self.maps[:, columns][rows]
