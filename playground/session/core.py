"""A training session: data, model, optimizer, trainer and history, driven by Settings. No Streamlit here.

The page keeps one Session per browser tab and calls ``apply`` with the widgets' settings on every rerun:
live settings (learning rate and its schedule, batch size, optimizer hyper-parameters, regularisation, the
targets to stop at) change the running training in place, a new optimizer keeps the weights, and anything
else rebuilds the model from the seed. While playing, each tick calls ``train_for`` with a time budget and
then draws once; paused, ``step`` takes one step and ``enter_slow_step`` shows the next one in stages. The class
is in parts, a file each: pacing, diagnostics, weights; it holds its run's guards (``guards``), its model's grid
pass (``grid``) and the step in slow motion (``slow_step``) as objects of their own.
"""

import contextlib
import threading
import time

from nnlib.datasets import input_features
from nnlib.trainer import Trainer
from playground.data import GRID_RESOLUTION, input_grid, make_points, split
from playground.i18n import Message
from playground.recipe import make_model, make_optimizer, make_schedule, penalties, set_hyper_parameters
from playground.session.diagnostics import Diagnostics
from playground.session.grid import GridPass
from playground.session.guards import Guards
from playground.session.pacing import Pacing
from playground.session.passes import loss_and_accuracy
from playground.session.step_stages import SlowStep
from playground.session.weights import WeightsFiles
from playground.settings import DATA_SETTINGS, LIVE, Settings, capped_batch_size

HISTORY_COLUMNS = ("epoch", "step", "train_loss", "test_loss", "train_accuracy", "test_accuracy")
# an epoch's loss and accuracy are measured on at most this many points of each split: for 6 × 1,000 points
# through 8 × 256 the whole splits would take ~100 ms, a tick's budget, at every epoch's end
MAX_METRIC_POINTS = 1_000
MAX_HISTORY_ROWS = 10_000  # ~2 MB; a page left playing records ~300 epochs a second


class Session(Pacing, Diagnostics, WeightsFiles):
    def __init__(self, settings=None, uploaded=None):
        # held by whatever reads or changes the session: a page's runs can overlap (Streamlit starts a new run
        # before an interrupted one has left numpy), and two runs training one model at once would break it
        self.lock = threading.RLock()
        self.hurry = False  # set while ``held`` waits for the lock: a tick's training stops at its next chunk
        self.settings = settings or Settings()
        self.uploaded = uploaded  # (x, t) of the user's CSV, kept while other data sets are shown
        self.playing = False
        self.message = None  # why training broke off (it diverged, or failed unexpectedly), for the page to say
        self.notice = None  # why training paused by itself at a target the user set
        self._load_data()
        self.reset()

    def _load_data(self):
        x, t = make_points(self.settings, self.uploaded)
        self.data = split(x, t, self.settings.train_percent, self.settings.seed)
        self.features_train = input_features(self.data.x_train, self.settings.features)
        self.features_test = input_features(self.data.x_test, self.settings.features)
        self.grid_x1, self.grid_x2, grid_points = input_grid(self.data.points, GRID_RESOLUTION)
        self.grid_features = input_features(grid_points, self.settings.features)

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
        self.weights_file = None  # the name of the weights file this run started from, or None: from the seed
        self.weights_trained = None  # how long that file says its weights were trained, or None
        self.message = self.notice = None
        self.steps_per_second = 0.0
        self._speed_marks = []  # (time, step count) after recent ticks
        self._last_tick = time.perf_counter()
        self._seconds_per_step = None  # of the last chunk trained: sizes the next one to the time left
        self.grid = GridPass(model, self.grid_features)
        self.guards = Guards(self)
        self._slow_step = None
        self._record_epoch()

    @contextlib.contextmanager
    def held(self):
        """The lock, for a page's run or a click: the live socket's training, which may be holding it, is asked
        to hurry, so the wait is for the end of a training chunk rather than of a frame's whole budget."""
        self.hurry = True
        with self.lock:
            self.hurry = False
            yield

    @property
    def batch_size(self):
        """The batch size setting, capped at the training-set size (the widget's range follows the data)."""
        return capped_batch_size(self.settings.batch_size, len(self.features_train))

    def apply(self, settings):
        """Move to new settings; returns "none", "live", "optimizer" or "rebuild" for what it took."""
        changed = settings.changed(self.settings)
        if settings.activations == self.settings.activations:
            changed -= {"activation", "layer_activations"}  # the same layers, chosen another way: keep training
        if settings.dropout_rates == self.settings.dropout_rates:
            changed.discard("dropout")  # the same rates: no rates and zeros are the same network
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

    def enter_slow_step(self, shown=None, point=0):
        """Show the next training step in slow motion, from its batch, on this session's own model: a
        ``SlowStep`` (step_stages.py), kept as ``slow_step``. ``shown``: how many neurons of each column (inputs,
        hidden layers, classes) the diagram draws, whose links' matrices the stages send (None: all); ``point``:
        the chosen point's position in the batch. The page pauses first: entering pauses nothing.

        Raises ValueError while playing (training would move on under the stages) and for a network with dropout,
        whose masks the stages do not show."""
        if self.playing:
            raise ValueError("pause before showing a step in slow motion")
        if self.model.dropouts:
            raise ValueError(
                Message("its network drops out as it trains, and slow motion shows the book's layers without dropout")
            )
        self._slow_step = SlowStep(self, shown, point)
        return self._slow_step

    @property
    def slow_step(self):
        """The step in slow motion on show, or None: never entered, left, or left behind by the run (Play, a
        step trained otherwise, a setting changed, a new run), which then forgets it. Leaving it, at any stage,
        leaves the session as the stage shows it (see ``SlowStep``)."""
        if self._slow_step is not None and not self._slow_step.current():
            self._slow_step = None
        return self._slow_step

    def leave_slow_step(self):
        """Leave slow motion at the stage shown: before the update, the step is not taken (the same batch is
        next); from the update on, it is."""
        self._slow_step = None

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

    def measure_again(self):
        """The history's row of this step measured again (the weights were changed by hand since), or a row for it
        if it has none."""
        if self.history["step"][-1] == self.trainer.step_count:
            for values in self.history.values():
                values.pop()
        self._record_epoch()

    def _thin_history(self):
        """Every other row of the older half goes: memory stays bounded however long the page plays, the recent
        epochs stay whole, and the first row (the initial weights) stays too."""
        half = len(self.history["epoch"]) // 2
        for column, values in self.history.items():
            self.history[column] = values[:half:2] + values[half:]

    def latest(self):
        """The last history row as a dict (epoch, step, losses, accuracies)."""
        return {column: values[-1] for column, values in self.history.items()}
