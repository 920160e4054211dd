"""A weights file the user loads: read within bounds, checked against the page's limits and data, then used."""

import numpy as np

from nnlib.datasets import MAX_CLASSES
from nnlib.io import load_model, read_trained
from playground.i18n import Message
from playground.recipe import precision_of
from playground.session.guards import EXPLODED, guessed_loss
from playground.session.passes import loss_and_accuracy
from playground.settings import DROPOUT_RANGE, FEATURES, INITS, MAX_HIDDEN_LAYERS, MAX_WIDTH, RATE_RANGE

_LARGEST = [len(FEATURES), *[MAX_WIDTH] * MAX_HIDDEN_LAYERS, MAX_CLASSES]
# the weights file of the largest network the page builds (float64), and room for its architecture: a file that
# declares more is refused before it is read
MAX_WEIGHTS_BYTES = 8 * sum((inputs + 1) * outputs for inputs, outputs in zip(_LARGEST[:-1], _LARGEST[1:])) + 2**16


class WeightsFiles:
    """Part of ``Session`` (core.py): a weights file, read, checked and put into the run."""

    def load_weights(self, file):
        """Continue from a weights file; returns the settings it implies (its architecture)."""
        model, settings, trained = self.read_weights(file)
        self.use_weights(model, settings, getattr(file, "name", None), trained)
        return settings

    def read_weights(self, file):
        """A weights file's model, the settings it implies (its architecture) and how long it was trained, if the
        file says (``nnlib.io.read_trained``); the session is untouched.

        Raises ValueError for a bad file or one that does not fit the data.
        """
        model = load_model(file, max_bytes=MAX_WEIGHTS_BYTES)
        self._check_fits(model)
        file.seek(0)
        trained = read_trained(file)
        config = model.config
        activations = tuple(config["activation"])
        weight_decay, l1 = config["weight_decay"], config["l1"]
        regularization = "L2" if weight_decay else ("L1" if l1 else "none")
        same_everywhere = len(set(activations)) <= 1
        rates = tuple(config["dropout"])
        return (
            model,
            self.settings.replace(
                hidden=tuple(config["hidden_sizes"]),
                activation=activations[0] if activations else self.settings.activation,
                layer_activations=() if same_everywhere else activations,
                init=config["weight_init"] if config["weight_init"] in INITS else self.settings.init,
                regularization=regularization,
                reg_rate=weight_decay or l1 or self.settings.reg_rate,
                dropout=rates if any(rates) else (),
            ),
            trained,
        )

    def _check_fits(self, model):
        """Raises ValueError, saying why, for a model the page could not show or train on the current data."""
        config = model.config
        if config["loss"] == "mse" and not self.settings.regression:
            raise ValueError(Message("this network is a regression (squared error); the current data has classes"))
        if config["loss"] != "mse" and self.settings.regression:
            raise ValueError(Message("this network classifies; the current data is a surface to fit (a regression)"))
        if config["input_size"] != len(self.settings.features) or config["output_size"] != self.data.classes:
            raise ValueError(
                Message(
                    "this network takes {inputs} inputs and gives {outputs} classes; "
                    "the current data has {features} input features and {classes} classes",
                    inputs=config["input_size"],
                    outputs=config["output_size"],
                    features=len(self.settings.features),
                    classes=self.data.classes,
                )
            )
        if max(config["dropout"], default=0) > DROPOUT_RANGE[1]:
            raise ValueError(
                Message(
                    "its dropout rate {rate:g} is above the page's largest, {high:g}",
                    rate=max(config["dropout"]),
                    high=DROPOUT_RANGE[1],
                )
            )
        if len(config["hidden_sizes"]) > MAX_HIDDEN_LAYERS or max(config["hidden_sizes"], default=1) > MAX_WIDTH:
            raise ValueError(
                Message(
                    "the page shows up to {layers} hidden layers of up to {width} neurons",
                    layers=MAX_HIDDEN_LAYERS,
                    width=MAX_WIDTH,
                )
            )
        weight_decay, l1 = config["weight_decay"], config["l1"]
        if weight_decay and l1:
            raise ValueError(Message("this network uses both L1 and L2 regularization; the page offers one at a time"))
        rate = weight_decay or l1
        if rate and not RATE_RANGE[0] <= rate <= RATE_RANGE[1]:
            raise ValueError(
                Message(
                    "its regularization rate {rate:g} is outside the page's range, {low:g} to {high:g}",
                    rate=rate,
                    low=RATE_RANGE[0],
                    high=RATE_RANGE[1],
                )
            )
        with np.errstate(over="ignore", invalid="ignore"):
            loss, _ = loss_and_accuracy(model, self.features_train, self.data.t_train)
        # NaN too: training would diverge at once
        if not loss <= EXPLODED * guessed_loss(self.data, self.settings.regression):
            raise ValueError(
                Message("its weights are too large to train: their loss on the current points is {loss:.3g}", loss=loss)
            )

    def use_weights(self, model, settings, name=None, trained=None):
        """Continue from a model that ``read_weights`` gave, with its settings; ``name``, its file's, and
        ``trained``, how long the file says it was trained, are kept to say where the run's epoch 0 comes from."""
        self.settings = settings
        self._start(model.astype(*precision_of(settings)))
        self.weights_file = name
        self.weights_trained = trained
        self.no_script = Message("No Python script for this run: it started from a weights file, not from a seed.")

    def trained(self):
        """How long this run's weights were trained, ``{"epoch": e, "step": s}``, as a weights file records it:
        from its seed, or from its weights file, whose training is counted too; None where that file did not say."""
        if self.weights_file is None:
            before = {"epoch": 0, "step": 0}
        elif self.weights_trained is None:
            return None
        else:
            before = self.weights_trained
        return {"epoch": before["epoch"] + self.trainer.current_epoch, "step": before["step"] + self.trainer.step_count}
