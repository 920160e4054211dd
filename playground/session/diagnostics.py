"""Reading a model without training it: the regions' grid pass, the confusion matrices, a gradient check
and the precisions' speeds."""

import time

import numpy as np

from nnlib.backend import to_numpy
from nnlib.gradcheck import gradient_check
from nnlib.trainer import Trainer
from playground.data import GRID_RESOLUTION
from playground.recipe import make_optimizer, precision_of
from playground.session.passes import CodedMaps, class_scores, forgetting_pass, pass_parts

GRADCHECK_SAMPLES, GRADCHECK_ELEMENTS = 20, 40  # enough to catch a wrong gradient, quick on a 8×256 net


class Diagnostics:
    """Part of ``Session`` (core.py): what it reads of its model; nothing here trains."""

    def confusion_matrix(self, part="train"):
        """Counts of (true class, predicted class) over the training or the test points."""
        features, t = (
            (self.features_train, self.data.t_train) if part == "train" else (self.features_test, self.data.t_test)
        )
        classes = self.data.classes
        counts = np.zeros((classes, classes), dtype=int)
        if len(features):
            with np.errstate(over="ignore", invalid="ignore"):
                predicted = to_numpy(class_scores(self.model, features).argmax(axis=1))
            np.add.at(counts, (t.argmax(axis=1), predicted), 1)
        return counts

    def gradient_check(self, samples=GRADCHECK_SAMPLES, max_elements=GRADCHECK_ELEMENTS):
        """Backpropagation against central differences on a few training points: the worst relative error
        per parameter (a seeded sample of the elements of large ones)."""
        count = min(samples, len(self.features_train))
        return gradient_check(
            self.model if self.model.xp is np else self.model.astype(self.model.dtype, "numpy"),
            self.features_train[:count],
            self.data.t_train[:count],
            max_elements=max_elements,
            seed=self.settings.seed,
        )

    def grid_probabilities(self):
        """Class probabilities over the input grid, (resolution², classes)."""
        return self.grid_pass(with_hidden=False)[0]

    def grid_pass(self, with_hidden=True, seconds=None):
        """Class probabilities and every hidden layer's outputs over the input grid, from one forward pass: the
        decision regions and the neuron maps of one redraw. ``with_hidden=False`` leaves the hidden outputs where
        they are (an empty list): on a GPU, bringing them all to the CPU is most of the pass.

        With ``seconds`` (while playing), only the grid rows that fit in that time are computed, from where the
        last pass stopped, and the others keep their last values: a big network's regions then refresh in
        stripes over a few ticks instead of stalling each tick for the whole grid (~200 ms for 8 × 256). What
        the next tick needs of it is kept: the probabilities, and the hidden outputs as ``CodedMaps``, which is
        what a playing pass gives too. Without ``seconds`` (paused) the pass is whole, its hidden outputs are
        float32, and nothing of it is kept: the page's next run passes the grid again."""
        rows, playing = len(self.grid_features), seconds is not None
        kept = self._grid if playing else None
        start, count = 0, rows
        if kept is not None and (kept[1] is not None or not with_hidden):
            start = self._grid_cursor
            count = min(rows - start, max(GRID_RESOLUTION, int(seconds / self._grid_row_seconds)))
            count -= count % GRID_RESOLUTION if count < rows - start else 0  # whole rows of the picture
            probabilities, hidden = kept[0], kept[1] if with_hidden else None
        else:
            probabilities = np.empty((rows, self.data.classes), dtype=self.model.dtype)
            widths = self.model.config["hidden_sizes"] if with_hidden else None
            hidden = widths and [
                CodedMaps(rows, width) if playing else np.empty((rows, width), np.float32) for width in widths
            ]
        began = time.perf_counter()
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged model draws as NaN, without warnings
            for part in pass_parts(self.model, start, start + count):
                part_probabilities, part_hidden = forgetting_pass(self.model, self.grid_features[part], True)
                probabilities[part] = to_numpy(part_probabilities)
                for stored, values in zip(hidden or [], part_hidden):
                    stored[part] = to_numpy(values)
        self._grid = (probabilities, hidden) if playing else None
        self._grid_cursor = (start + count) % rows
        self._grid_row_seconds = max((time.perf_counter() - began) / count, 1e-9)
        return probabilities, hidden or []

    def precision_speeds(self, precisions=("float64", "float32"), seconds=0.2):
        """Training steps per second of the current network and batch size in each precision, each timed on a
        copy of the current weights: the run itself is untouched."""
        speeds = {}
        for precision in precisions:
            settings = self.settings.replace(precision=precision)
            model = self.model.astype(*precision_of(settings))
            trainer = Trainer(model, make_optimizer(settings), seed=settings.seed)
            trainer.set_data(self.features_train, self.data.t_train, self.batch_size)
            with np.errstate(over="ignore", invalid="ignore"):
                trainer.train_steps(5)  # warm-up: first calls allocate
                steps, start = 0, time.perf_counter()
                while (elapsed := time.perf_counter() - start) < seconds:
                    trainer.train_steps(20)
                    steps += 20
            speeds[precision] = steps / elapsed
        return speeds
