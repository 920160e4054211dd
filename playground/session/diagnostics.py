"""Reading a model without training it: the regions' grid pass, a probe's neuron values, the confusion
matrices, a gradient check and the precisions' speeds."""

import time

import numpy as np

from nnlib.backend import to_numpy
from nnlib.datasets import input_features
from nnlib.gradcheck import gradient_check
from nnlib.trainer import Trainer
from playground.recipe import make_optimizer, precision_of
from playground.session.passes import class_scores, layer_outputs
from playground.session.step_stages import neuron_values

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
        """Class probabilities over the input grid, (resolution², classes), from a whole pass."""
        return self.grid(with_hidden=False)[0]

    def grid_pass(self, with_hidden=True, seconds=None, neurons=None):
        """The grid's class probabilities and hidden layers' outputs: the model's ``GridPass`` (grid.py), whose
        ``seconds`` (while playing) refresh a part of the grid a tick, and ``neurons`` keep only those wanted."""
        return self.grid(with_hidden, seconds, neurons)

    def probe(self, point):
        """Every neuron's value for ``point``, (x1, x2), any point of the plane (not only a data point), from one
        point through the session's model: cheap enough for every hover. See ``step_stages.neuron_values``."""
        model, features = self.model, input_features(np.asarray([point], dtype=float), self.settings.features)
        features = model.xp.asarray(features, dtype=model.dtype)  # as the model sees them
        with np.errstate(over="ignore", invalid="ignore"):  # a diverged model's values are NaN, without warnings
            return neuron_values(model, features, layer_outputs(model, features), 0)

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
