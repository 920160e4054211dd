"""The book's ``Trainer``, plus an incremental API so the playground trains with this same loop.

``fit`` behaves as in the book: it shuffles at every epoch, clips gradients when ``max_grad`` is set and prints
``| epoch 1 |  iter 1 / 10 | time 0[s] | loss 1.10`` every ``eval_interval`` iterations (in Korean,
``| 에폭 1 |  반복 1 / 10 | 시간 0[s] | 손실 1.10``, with ``lang="ko"`` or where the locale is Korean).
``train_steps(n)`` runs the next ``n`` mini-batch steps from where the last call stopped, so a caller can train
in small slices and change ``batch_size`` or the optimizer's ``lr`` in between (with a ``schedule``, change
``base_lr``: the schedule sets ``lr`` as each epoch starts). ``next_batch()`` tells the next step's mini-batch
before it is trained on: the real one, from the same shuffle.
"""

import locale
import os
import sys
import time
from typing import NamedTuple

import numpy as np

from nnlib.backend import array_module
from nnlib.util import clip_grads, remove_duplicate

LOG_FORMATS = {
    "en": "| epoch {} |  iter {} / {} | time {}[s] | loss {:.2f}",
    "ko": "| 에폭 {} |  반복 {} / {} | 시간 {}[s] | 손실 {:.2f}",
}
AXIS_TITLES = {"en": ("iterations (x{})", "loss"), "ko": ("반복 (x{})", "손실")}
LOCALE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")  # the order gettext reads them in


def locale_lang():
    """The log's language where none is asked for: "ko" where the locale is Korean, else "en". The locale is the
    first of LOCALE_VARIABLES that is set (ko_KR.UTF-8), or else Python's (Windows sets none; it says Korean_Korea)."""
    name = next((os.environ[variable] for variable in LOCALE_VARIABLES if os.environ.get(variable)), None)
    name = name or locale.getlocale()[0] or ""
    return "ko" if name.lower().startswith(("ko", "korean")) else "en"


def run_as_a_script():
    """True in ``python train.py`` (or the plain REPL): not in IPython or a notebook, whose cells display a
    returned figure themselves, and not in a pytest test."""
    ipython = sys.modules.get("IPython")
    in_ipython = ipython is not None and ipython.get_ipython() is not None
    return not in_ipython and "PYTEST_CURRENT_TEST" not in os.environ


class Step(NamedTuple):
    """One training step: its number since the trainer was made, its epoch and iteration (0-based), the loss."""

    step: int
    epoch: int
    iteration: int
    loss: float


class Batch(NamedTuple):
    """A step's mini-batch: its inputs and labels, and where its points are in the data given to ``set_data``."""

    x: object
    t: object
    indices: np.ndarray


class Trainer:
    """Trains ``model`` with ``optimizer`` on mini-batches.

    ``seed`` gives the shuffling a private RandomState; ``seed=None`` shuffles with NumPy's global RNG like the
    book, so ``np.random.seed(1984)`` reproduces its runs. ``lang`` ("en" or "ko") is the language of the log and
    the plot; ``None`` follows the locale (``locale_lang``).
    """

    def __init__(self, model, optimizer, seed=None, lang=None, schedule=None):
        lang = locale_lang() if lang is None else lang
        if lang not in LOG_FORMATS:
            raise ValueError(f"lang must be one of {', '.join(LOG_FORMATS)}")
        self.model = model
        self.optimizer = optimizer
        self.schedule = schedule  # (base_lr, epoch) -> lr, applied as each epoch starts; see nnlib.schedules
        self.base_lr = getattr(
            optimizer, "lr", None
        )  # the rate a schedule starts from; change it, not optimizer.lr, mid-run
        self.lang = lang
        self.loss_list = []
        self.eval_interval = None
        self.current_epoch = 0
        self.step_count = 0
        self.max_grad = None
        self._rng = np.random if seed is None else np.random.RandomState(seed)
        self._x = self._t = None
        self._order = None  # the row of the data as given that each row of the shuffled ``_x`` and ``_t`` came from
        self._batch_size = 32
        self._offset = None  # where the next batch starts in the shuffled data; None: shuffle first
        # an nnlib model keeps all parameters in one vector: one update for the whole model
        has_flat = hasattr(model, "flat_params")
        self._flat = ([model.flat_params], [model.flat_grads]) if has_flat else None

    def set_data(self, x, t, batch_size=None):
        """Train on ``(x, t)`` from now on; the next step starts a new shuffle."""
        if len(x) != len(t):
            raise ValueError(f"x has {len(x)} rows but t has {len(t)}")
        xp, dtype = getattr(self.model, "xp", np), getattr(self.model, "dtype", None)
        self._x = xp.asarray(x, dtype=dtype)
        # one-hot labels and a regression's targets in the model's dtype: the loss then subtracts and multiplies
        # without casting each step; integer labels stay integers, to index with
        as_values = np.ndim(t) == 2 or np.issubdtype(np.asarray(t).dtype, np.floating)
        self._t = xp.asarray(t, dtype=dtype if as_values else None)
        self._order = np.arange(len(x))
        self._offset = None
        self.batch_size = self._batch_size if batch_size is None else batch_size

    @property
    def batch_size(self):
        return self._batch_size

    @batch_size.setter
    def batch_size(self, value):
        data_size = len(self._x) if self._x is not None else None
        if int(value) != value or value < 1:
            raise ValueError(f"batch size must be a positive integer, got {value!r}")
        if data_size is not None and value > data_size:
            raise ValueError(
                f"batch size {value} is larger than the data ({data_size} samples): no full batch would fit, "
                "so an epoch would train nothing"
            )
        self._batch_size = int(value)

    @property
    def iterations_per_epoch(self):
        return len(self._x) // self._batch_size

    @property
    def steps_left_in_epoch(self):
        """Steps until the current epoch ends, at the current batch size (a whole epoch before the first step)."""
        if self._offset is None:
            return self.iterations_per_epoch
        return (len(self._x) - self._offset) // self._batch_size

    def _params_and_grads(self):
        if self._flat is not None:
            return self._flat
        return remove_duplicate(self.model.params, self.model.grads)

    def next_batch(self):
        """The next step's mini-batch, ``Batch(x, t, indices)``, before it is trained on: the step trains on this
        very batch. At an epoch's start this is where the data are shuffled, as the step would have shuffled them
        (the same draw from the same RNG, after the schedule has set the epoch's rate), and only once."""
        rows = self._next_rows()
        return Batch(self._x[rows], self._t[rows], self._order[rows])

    def _next_rows(self):
        """The next batch's rows of the shuffled data, shuffling them first at an epoch's start: what ``next_batch``
        tells and ``_step`` trains on (a step takes the rows alone: building a ``Batch`` would cost a small
        network ~3 % of its step)."""
        if self._x is None:
            raise ValueError("no training data: call set_data(x, t) or fit(x, t) first")
        if self._offset is None:
            self.apply_schedule()
            permutation = self._rng.permutation(len(self._x))
            order = array_module(self._x).asarray(permutation)
            self._x, self._t = self._x[order], self._t[order]
            self._order = self._order[permutation]  # the data reordered again: where each row first came from
            self._offset = 0
        return slice(self._offset, self._offset + self._batch_size)

    def _step(self):
        rows = self._next_rows()
        start, end = rows.start, rows.stop
        epoch, iteration = self.current_epoch, start // self._batch_size

        loss = self.model.forward(self._x[rows], self._t[rows])
        self.model.backward()
        params, grads = self._params_and_grads()
        if self.max_grad is not None:
            clip_grads(grads, self.max_grad)
        self.optimizer.update(params, grads)

        self._offset = end
        if end + self._batch_size > len(self._x):
            self.current_epoch += 1
            self._offset = None
            self.apply_schedule()  # the next epoch's rate, already readable between epochs
        self.step_count += 1
        return Step(self.step_count, epoch, iteration, float(loss))

    def apply_schedule(self):
        """Set the optimizer's rate for the current epoch (done at every epoch's start; call it after changing
        ``base_lr`` or ``schedule`` mid-epoch for the change to act at once)."""
        if self.schedule is not None:
            self.optimizer.lr = self.schedule(self.base_lr, self.current_epoch)

    def train_steps(self, n, until=None):
        """Run ``n`` more mini-batch steps and return their ``Step`` records; with ``until``, stop after the first
        step whose record it holds for (the playground stops at the step whose loss blew up, whose layers then
        still hold that step's values)."""
        if until is None:
            return [self._step() for _ in range(n)]
        records = []
        for _ in range(n):
            records.append(self._step())
            if until(records[-1]):
                break
        return records

    def fit(self, x, t, max_epoch=10, batch_size=32, max_grad=None, eval_interval=20):
        self.set_data(x, t, batch_size)
        self.max_grad = max_grad
        self.eval_interval = eval_interval
        max_iters = self.iterations_per_epoch
        log_format = LOG_FORMATS[self.lang]
        total_loss, loss_count = 0.0, 0
        start_time = time.time()
        for _ in range(max_epoch * max_iters):
            record = self._step()
            total_loss += record.loss
            loss_count += 1
            if eval_interval is not None and record.iteration % eval_interval == 0:
                avg_loss = total_loss / loss_count
                elapsed = int(time.time() - start_time)
                print(log_format.format(record.epoch + 1, record.iteration + 1, max_iters, elapsed, avg_loss))
                self.loss_list.append(avg_loss)
                total_loss, loss_count = 0.0, 0

    def plot(self, ylim=None):
        """The logged losses as a plotly Figure, returned; run as a script, like the book's ``ch01/train.py`` whose
        ``plt.show()`` opens a window, it is also shown, by plotly's default renderer: a browser tab (where no
        browser is found, nothing; ``PLOTLY_RENDERER`` picks another renderer)."""
        import plotly.graph_objects as go
        import plotly.io as pio

        x_title, y_title = AXIS_TITLES[self.lang]
        figure = go.Figure(go.Scatter(y=self.loss_list, mode="lines", name="train"))
        figure.update_layout(xaxis_title=x_title.format(self.eval_interval), yaxis_title=y_title)
        if ylim is not None:
            figure.update_yaxes(range=list(ylim))
        if run_as_a_script():
            pio.show(figure)
        return figure
