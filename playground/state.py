"""A training session: data, model, optimizer, trainer and history, driven by Settings. No Streamlit here.

The page keeps one Session per browser tab and calls ``apply`` with the widgets' settings on every rerun:
live settings (learning rate and its schedule, batch size, optimizer hyper-parameters, regularisation, the
targets to stop at) change the running training in place, a new optimizer keeps the weights, and anything
else rebuilds the model from the seed. While playing, each tick calls ``train_for`` with a time budget and
then draws once.
"""

import threading
import time

import numpy as np

from nnlib import optimizers
from nnlib.backend import to_numpy
from nnlib.datasets import MAX_CLASSES
from nnlib.gradcheck import gradient_check
from nnlib.io import load_model
from nnlib.layers import SoftmaxWithLoss
from nnlib.models import MLP
from nnlib.schedules import CosineDecay, StepDecay
from nnlib.trainer import Trainer
from playground.charts import GRID_RESOLUTION, input_grid
from playground.data import feature_matrix, make_points, split
from playground.i18n import Message
from playground.settings import (
    ACTIVATION_NAMES,
    FEATURES,
    INITS,
    LIVE,
    MAX_HIDDEN_LAYERS,
    MAX_WIDTH,
    RATE_RANGE,
    Settings,
    capped_batch_size,
)

DATA_SETTINGS = {"dataset", "classes", "points", "noise", "train_percent", "seed", "features"}
HYPER_PARAMETERS = ("momentum", "decay_rate", "beta1", "beta2")
GRADCHECK_SAMPLES, GRADCHECK_ELEMENTS = 20, 40  # enough to catch a wrong gradient, quick on a 8×256 net
MAX_CATCH_UP_SECONDS = 0.25  # after a pause or a slow tick, a capped pace does not rush to catch up
HISTORY_COLUMNS = ("epoch", "step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
# an epoch's loss and accuracy are measured on at most this many points of each split: for 6 × 1,000 points
# through 8 × 256 the whole splits would take ~100 ms, a tick's budget, at every epoch's end
MAX_METRIC_POINTS = 1_000
MAX_HISTORY_ROWS = 10_000  # ~2 MB; a page left playing records ~300 epochs a second
# a pass to draw or to measure takes its rows in parts of at most this many layer outputs (8 MB in float64), so
# what the layers hold during it stays small however wide the network: the grid through 8 × 256 at once held 300 MB
PASS_VALUES = 2**20
NOT_FINITE = 255  # the code of a NaN or infinite hidden output (a diverged model's); finite ones get 0 to 254
# a loss this many times the run's first (or a uniform guess's, if that is more) is no learning: it only grows
# from there (RMSprop at lr 10 reached 5e8)
EXPLODED = 100
_LARGEST = [len(FEATURES), *[MAX_WIDTH] * MAX_HIDDEN_LAYERS, MAX_CLASSES]
# the weights file of the largest network the page builds (float64), and room for its architecture: a file that
# declares more is refused before it is read
MAX_WEIGHTS_BYTES = 8 * sum((inputs + 1) * outputs for inputs, outputs in zip(_LARGEST[:-1], _LARGEST[1:])) + 2**16


def precision_of(settings):
    """(dtype, backend) of the precision setting."""
    dtype = np.float64 if settings.precision == "float64" else np.float32
    return dtype, "cupy" if settings.precision == "cupy" else "numpy"


def make_model(settings, input_size, classes):
    """The settings' network with the initial weights of its seed."""
    weight_decay, l1 = penalties(settings)
    dtype, backend = precision_of(settings)
    return MLP(
        input_size,
        list(settings.hidden),
        classes,
        list(settings.activations),
        settings.init,
        weight_decay=weight_decay,
        l1=l1,
        dtype=dtype,
        seed=settings.seed,
        backend=backend,
    )


def make_schedule(settings):
    """The learning-rate schedule (see nnlib.schedules), or None for a constant rate."""
    if settings.schedule == "step":
        return StepDecay(every=settings.schedule_epochs, factor=0.5)
    if settings.schedule == "cosine":
        return CosineDecay(epochs=settings.schedule_epochs)
    return None


def make_optimizer(settings):
    optimizer = getattr(optimizers, settings.optimizer)()
    set_hyper_parameters(optimizer, settings)
    return optimizer


def set_hyper_parameters(optimizer, settings):
    """Copy lr and whichever of momentum, decay_rate, beta1, beta2 the optimizer has; its state stays."""
    optimizer.lr = settings.learning_rate
    for name in HYPER_PARAMETERS:
        if hasattr(optimizer, name):
            setattr(optimizer, name, getattr(settings, name))


def penalties(settings):
    """(weight_decay, l1) for the model, from the regularisation choice and rate."""
    return (
        settings.reg_rate if settings.regularization == "L2" else 0.0,
        settings.reg_rate if settings.regularization == "L1" else 0.0,
    )


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


def class_scores(model, features):
    """The model's class scores (logits) of ``features``, from forgetting passes over parts of them."""
    parts = pass_parts(model, 0, len(features))
    return model.xp.concatenate([forgetting_pass(model, features[part]) for part in parts])


def loss_and_accuracy(model, features, t):
    """Mean cross-entropy (without the regularisation penalty) and accuracy over a whole data split."""
    if len(features) == 0:
        return float("nan"), float("nan")
    scores = class_scores(model, features)
    t = model.xp.asarray(t)
    loss = SoftmaxWithLoss().forward(scores, t)
    return float(loss), float((scores.argmax(axis=1) == t.argmax(axis=1)).mean())


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


class Session:
    def __init__(self, settings=None, uploaded=None):
        # held by whatever reads or changes the session: a page's runs can overlap (Streamlit starts a new run
        # before an interrupted one has left numpy), and two runs training one model at once would break it
        self.lock = threading.RLock()
        self.hurry = False  # set by a run waiting for the lock: a tick's training then stops at its next chunk
        self.settings = settings or Settings()
        self.uploaded = uploaded  # (x, t) of the user's CSV, kept while other data sets are shown
        self.playing = False
        self.message = None  # why training broke off (it diverged, or failed unexpectedly), for the page to say
        self.notice = None  # why training paused by itself at a target the user set
        self._load_data()
        self.reset()

    # --- building ------------------------------------------------------------------------------------------

    def _load_data(self):
        x, t = make_points(self.settings, self.uploaded)
        self.data = split(x, t, self.settings.train_percent, self.settings.seed)
        self.features_train = feature_matrix(self.data.x_train, self.settings.features)
        self.features_test = feature_matrix(self.data.x_test, self.settings.features)
        self.grid_x1, self.grid_x2, grid_points = input_grid(self.data.points, GRID_RESOLUTION)
        self.grid_features = feature_matrix(grid_points, self.settings.features)

    def reset(self):
        """The exact initial weights of the current seed, a fresh optimizer and shuffle, an empty history."""
        self._start(make_model(self.settings, len(self.settings.features), self.data.classes))

    def _start(self, model):
        self.model = model
        self.optimizer = make_optimizer(self.settings)
        self.trainer = Trainer(model, self.optimizer, seed=self.settings.seed, schedule=make_schedule(self.settings))
        self.trainer.set_data(self.features_train, self.data.t_train, self.batch_size)
        self.trainer.apply_schedule()
        self.history = {column: [] for column in HISTORY_COLUMNS}
        # (step, settings) from the start and at every change to the running training: what an exported
        # script replays to take the same steps
        self.timeline = [(0, self.settings)]
        self.no_script = None  # why no script can repeat this run (it started from a file, say), or None
        self.message = self.notice = None
        self.steps_per_second = 0.0
        self._speed_marks = []  # (time, step count) after recent ticks
        self._last_tick = time.perf_counter()
        self._seconds_per_step = None  # of the last chunk trained: sizes the next one to the time left
        self._grid = None  # a playing page's last grid pass, (probabilities, CodedMaps or None), refreshed in parts
        self._finite_weights = (0, model.flat_params.copy())  # (step, weights) to put back after a divergence
        self._record_epoch()

    @property
    def batch_size(self):
        """The batch size setting, capped at the training-set size (the widget's range follows the data)."""
        return capped_batch_size(self.settings.batch_size, len(self.features_train))

    def apply(self, settings):
        """Move to new settings; returns "none", "live", "optimizer" or "rebuild" for what it took."""
        changed = settings.changed(self.settings)
        if settings.activations == self.settings.activations:
            changed -= {"activation", "layer_activations"}  # the same layers, chosen another way: keep training
        self.settings = settings
        if not changed:
            return "none"
        self.notice = None  # a new target, or a run going on: the old notice no longer holds
        if changed - set(LIVE) - {"optimizer"}:
            if changed & DATA_SETTINGS:
                self._load_data()
            self.reset()
            return "rebuild"
        self.trainer.batch_size = self.batch_size
        self.model.weight_decay, self.model.l1 = penalties(settings)
        self.trainer.schedule, self.trainer.base_lr = make_schedule(settings), settings.learning_rate
        kind = "live"
        if "optimizer" in changed:
            self.optimizer = self.trainer.optimizer = make_optimizer(settings)
            kind = "optimizer"
        set_hyper_parameters(self.optimizer, settings)
        self.trainer.apply_schedule()
        self.timeline.append((self.trainer.step_count, settings))
        return kind

    def use_uploaded(self, points):
        """Keep a user's (x, t) points; if they are on show, train on the new ones from fresh weights."""
        self.uploaded = points
        if self.settings.dataset == "upload":
            self._load_data()
            self.reset()

    # --- training ------------------------------------------------------------------------------------------

    def play(self):
        """Train from the next tick on; after a divergence, on from the weights put back."""
        self.playing = True
        self.message = None

    def pause(self):
        """No training until Play. Paused between two epochs' ends, the step it stopped at is recorded, so the
        page, the history, the weights and an exported script all say the same step."""
        self.playing = False
        if self.trainer.step_count != self.history["step"][-1] and not self.message:
            self._record_epoch()

    def steps_allowed(self, steps_per_second):
        """The steps a pace of ``steps_per_second`` allows since the last call (0: no cap): a tick takes them,
        so the pace holds however often the page manages to tick."""
        now = time.perf_counter()
        since_last_tick = min(now - self._last_tick, MAX_CATCH_UP_SECONDS)
        self._last_tick = now
        return max(1, round(steps_per_second * since_last_tick)) if steps_per_second else float("inf")

    def train_for(self, seconds, max_steps=float("inf")):
        """Train in whole steps for up to ``seconds`` and ``max_steps`` (at least one step); returns the steps
        taken. Each chunk is sized from the last one's speed so the budget is not overrun, and ends at an epoch
        boundary, where the epoch's train and test metrics are recorded.
        """
        deadline = time.perf_counter() + seconds
        taken = 0
        if not self._keep_finite_weights():
            return taken
        while taken < max_steps:
            left = deadline - time.perf_counter()
            steps_left = self.trainer.steps_left_in_epoch
            # a network not yet timed takes one step first, so even a huge one cannot overrun the budget blind
            affordable = int(left / self._seconds_per_step) if self._seconds_per_step else 1
            n = max(1, min(steps_left, affordable, max_steps - taken))
            if n == steps_left and n * (self._seconds_per_step or 0) + self._record_seconds > left:
                # the epoch's end, and the metrics it records, would overrun: leave them to the next tick, whose
                # first chunk takes them however long they take
                if n > 1:
                    n -= 1
                elif taken:
                    break
            trained_on = self._train_chunk(n)
            taken += n
            if not trained_on or time.perf_counter() >= deadline or self.hurry:
                break
        self._measure_speed()
        return taken

    def _measure_speed(self):
        """Steps per second of wall-clock time over the last couple of seconds, pauses between ticks included."""
        now = time.perf_counter()
        self._speed_marks = [mark for mark in self._speed_marks if now - mark[0] < 2.0]
        self._speed_marks.append((now, self.trainer.step_count))
        (first_time, first_step), (last_time, last_step) = self._speed_marks[0], self._speed_marks[-1]
        if last_time > first_time:
            self.steps_per_second = (last_step - first_step) / (last_time - first_time)

    def step_epoch(self):
        """Train to the end of the current epoch (the Step button)."""
        if self._keep_finite_weights():
            self._train_chunk(max(1, self.trainer.steps_left_in_epoch))

    def _keep_finite_weights(self):
        """Copy the weights before a tick's training, to put back should it diverge (once a tick: ~1 ms for
        8 × 256); False, with the run paused, if the last step already left them non-finite."""
        with np.errstate(over="ignore", invalid="ignore"):
            finite = bool(np.isfinite(self.model.flat_params).all())
        if finite:
            self._finite_weights = (self.trainer.step_count, self.model.flat_params.copy())
        else:
            self._diverged(self.trainer.step_count)
        return finite

    def _train_chunk(self, n):
        """``n`` steps, recording the epoch if one ends; False, with the run paused, once it has diverged or
        reached a target."""
        self.notice = None
        epoch = self.trainer.current_epoch
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is caught by its loss, not a warning
            started = time.perf_counter()
            records = self.trainer.train_steps(n)
            self._seconds_per_step = max((time.perf_counter() - started) / n, 1e-7)
            if np.isfinite(records[-1].loss) and self.trainer.current_epoch != epoch:
                self._record_epoch()  # non-finite weights give a non-finite loss here, or at the next step
                if self._reached_target():
                    return False
        limit = self._exploded_loss()
        broken = next((record for record in records if not record.loss <= limit), None)  # NaN too
        if broken is None and self.history["train_loss"][-1] <= limit:
            return True
        self._diverged(broken.step if broken else records[-1].step, broken.loss if broken else None)
        return False

    def _exploded_loss(self):
        """The training loss past which a run has diverged though it is still a finite number."""
        return EXPLODED * max(self.history["train_loss"][0], np.log(self.data.classes))

    def _reached_target(self):
        """Pause as the run crosses the epoch or training loss the user asked to stop at; playing again goes on."""
        settings, losses = self.settings, self.history["train_loss"]
        if settings.stop_epoch and self.trainer.current_epoch == settings.stop_epoch:
            self.notice = Message("Reached epoch {epoch:,}, the epoch to stop at: paused.", epoch=settings.stop_epoch)
        elif settings.stop_loss and len(losses) > 1 and losses[-1] <= settings.stop_loss < losses[-2]:
            self.notice = Message(
                "The training loss reached {loss:.4f} (target {target:g}) at epoch {epoch:,}: paused.",
                loss=losses[-1],
                target=settings.stop_loss,
                epoch=self.trainer.current_epoch,
            )
        else:
            return False
        self.playing = False
        return True

    def _diverged(self, step, loss=None):
        """Pause with the last finite weights (from before the tick that diverged), to look at or download, and
        a fresh optimizer, whose state (momenta, Adam's moments) is likely no longer finite either. ``loss``: the
        finite loss that exploded, if it was one."""
        kept, weights = self._finite_weights
        self.model.flat_params[...] = weights
        self.optimizer = self.trainer.optimizer = make_optimizer(self.settings)
        self.trainer.apply_schedule()
        limit = self._exploded_loss()
        if len(self.history["step"]) > 1 and not self.history["train_loss"][-1] <= limit:
            for values in self.history.values():  # the epoch ended on the diverged weights; the first row stays
                values.pop()
        self.no_script = Message(
            "No Python script for this run: it diverged, and the page put back earlier weights, which a script "
            "would not do."
        )
        self.playing = False
        why = (
            Message("the loss is no longer a finite number")
            if loss is None or not np.isfinite(loss)
            else Message("the loss grew to {loss:,.0f}, over {times} times where it started", loss=loss, times=EXPLODED)
        )
        self.message = Message(
            "Training diverged at step {step} ({why}): paused, with the weights of step {kept} put back. Lower the "
            "learning rate and press Reset.",
            step=step,
            why=why,
            kept=kept,
        )

    def _record_epoch(self):
        started = time.perf_counter()
        first = slice(MAX_METRIC_POINTS)  # the splits are shuffled already: the first points are a fair sample
        train_loss, train_accuracy = loss_and_accuracy(self.model, self.features_train[first], self.data.t_train[first])
        test_loss, test_accuracy = loss_and_accuracy(self.model, self.features_test[first], self.data.t_test[first])
        row = (
            self.trainer.current_epoch,
            self.trainer.step_count,
            train_loss,
            test_loss,
            train_accuracy,
            test_accuracy,
        )
        for column, value in zip(HISTORY_COLUMNS, row):
            self.history[column].append(value)
        if len(self.history["epoch"]) > MAX_HISTORY_ROWS:
            self._thin_history()
        self._record_seconds = time.perf_counter() - started

    def _thin_history(self):
        """Every other row of the older half goes: memory stays bounded however long the page plays, the recent
        epochs stay whole, and the first row (the initial weights) stays too."""
        half = len(self.history["epoch"]) // 2
        for column, values in self.history.items():
            self.history[column] = values[:half:2] + values[half:]

    # --- reading -------------------------------------------------------------------------------------------

    def latest(self):
        """The last history row as a dict (epoch, step, losses, accuracies)."""
        return {column: values[-1] for column, values in self.history.items()}

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

    # --- weights from a file -------------------------------------------------------------------------------

    def load_weights(self, file):
        """Continue from a weights file; returns the settings it implies (its architecture)."""
        model, settings = self.read_weights(file)
        self.use_weights(model, settings)
        return settings

    def read_weights(self, file):
        """A weights file's model and the settings it implies (its architecture); the session is untouched.

        Raises ValueError for a bad file or one that does not fit the data.
        """
        model = load_model(file, max_bytes=MAX_WEIGHTS_BYTES)
        config = model.config
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
        activations = tuple(config["activation"])
        if not set(activations) <= set(ACTIVATION_NAMES):
            unknown = ", ".join(sorted(set(activations) - set(ACTIVATION_NAMES)))
            raise ValueError(
                Message("this network uses {unknown} in a hidden layer, which the page does not offer", unknown=unknown)
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
        if not loss <= EXPLODED * np.log(self.data.classes):  # NaN too: training would diverge at once
            raise ValueError(Message("its weights are too large to train: their loss on the current points is "
                                     "{loss:.3g}", loss=loss))  # fmt: skip
        regularization = "L2" if weight_decay else ("L1" if l1 else "none")
        same_everywhere = len(set(activations)) <= 1
        return model, self.settings.replace(
            hidden=tuple(config["hidden_sizes"]),
            activation=activations[0] if activations else self.settings.activation,
            layer_activations=() if same_everywhere else activations,
            init=config["weight_init"] if config["weight_init"] in INITS else self.settings.init,
            regularization=regularization,
            reg_rate=weight_decay or l1 or self.settings.reg_rate,
        )

    def use_weights(self, model, settings):
        """Continue from a model that ``read_weights`` gave, with its settings."""
        self.settings = settings
        self._start(model.astype(*precision_of(settings)))
        self.no_script = Message("No Python script for this run: it started from a weights file, not from a seed.")
