"""The regions' grid pass: class probabilities and every hidden layer's outputs over the input grid."""

import contextlib
import threading
import time

import numpy as np

from nnlib.backend import to_numpy
from playground.data import GRID_RESOLUTION
from playground.session.passes import CodedMaps, SomeNeurons, forgetting_pass, pass_parts

# passes in more than one part (a wide network's whole grid: at 8 × 256 its layers hold up to 18 MB a part, and the
# float32 maps of all its neurons 82 MB) at most this many at once on the server: thirty pages paused at once (a
# class pressing Pause) each made one, and the server grew by 3 GB. Two keep a 2-core server's cores busy (BLAS on
# one thread)
WHOLE_PASSES = 2
PASS_SLOTS = threading.BoundedSemaphore(WHOLE_PASSES)


class GridPass:
    """A model's passes over the input grid, held by its session as ``session.grid`` (one per model:
    ``Session._start`` makes it), with what a playing page keeps of them between ticks."""

    def __init__(self, model, features):
        self.model = model
        self.features = features  # the grid's input features, (resolution², features)
        # a playing page's last pass, refreshed in parts: (probabilities, CodedMaps or None, neurons kept or None: all)
        self.kept = None
        self.cursor = 0  # the grid row the next playing pass starts from
        self.row_seconds = None  # how long the last pass took per grid row: sizes the next playing pass

    def __call__(self, with_hidden=True, seconds=None, neurons=None):
        """Class probabilities and every hidden layer's outputs over the input grid, from one forward pass: the
        decision regions and the neuron maps of one redraw. ``with_hidden=False`` leaves the hidden outputs where
        they are (an empty list): on a GPU, bringing them all to the CPU is most of the pass. ``neurons``: for each
        hidden layer, the neurons whose outputs are wanted, the others' are not kept (None: all of them); each
        layer's outputs are then ``SomeNeurons``, indexed by the neurons' numbers.

        With ``seconds`` (while playing), only the grid rows that fit in that time are computed, from where the
        last pass stopped, and the others keep their last values: a big network's regions then refresh in
        stripes over a few ticks instead of stalling each tick for the whole grid (~200 ms for 8 × 256). What
        the next tick needs of it is kept: the probabilities, and the hidden outputs as ``CodedMaps``, which is
        what a playing pass gives too; a pass asking for other neurons than the last is whole. Without ``seconds``
        (paused) the pass is whole, its hidden outputs are float32, and nothing of it is kept: the page's next run
        passes the grid again."""
        model, rows, playing = self.model, len(self.features), seconds is not None
        widths = model.config["hidden_sizes"]
        neurons = neurons and [list(layer) for layer in neurons]
        kept = self.kept if playing else None
        start, count = 0, rows
        refreshing = kept is not None and (not with_hidden or (kept[1] is not None and kept[2] == neurons))
        if refreshing:
            start = self.cursor
            count = min(rows - start, max(GRID_RESOLUTION, int(seconds / self.row_seconds)))
            count -= count % GRID_RESOLUTION if count < rows - start else 0  # whole rows of the picture
        parts = pass_parts(model, start, start + count)
        with PASS_SLOTS if len(parts) > 1 else contextlib.nullcontext():  # what it holds is made in its slot
            if refreshing:
                probabilities, hidden = kept[0], kept[1] if with_hidden else None
            else:
                probabilities = np.empty((rows, model.config["output_size"]), dtype=model.dtype)
                hidden = None
                if with_hidden:
                    counts = widths if neurons is None else [len(layer) for layer in neurons]
                    hidden = [CodedMaps(rows, n) if playing else np.empty((rows, n), np.float32) for n in counts]
            began = time.perf_counter()
            with np.errstate(over="ignore", invalid="ignore"):  # a diverged model draws as NaN, without warnings
                for part in parts:
                    part_probabilities, part_hidden = forgetting_pass(model, self.features[part], True)
                    probabilities[part] = to_numpy(part_probabilities)
                    for layer, (stored, values) in enumerate(zip(hidden or [], part_hidden)):
                        stored[part] = to_numpy(values if neurons is None else values[:, neurons[layer]])
        self.kept = (probabilities, hidden, neurons) if playing else None
        self.cursor = (start + count) % rows
        self.row_seconds = max((time.perf_counter() - began) / count, 1e-9)
        if neurons is None or not hidden:
            return probabilities, hidden or []
        return probabilities, [SomeNeurons(maps, layer, width) for maps, layer, width in zip(hidden, neurons, widths)]
