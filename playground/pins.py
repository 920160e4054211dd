"""Pinned runs: a finished (or paused) run kept for comparison — its settings, history and weights.

Pure Python: the page keeps a list of ``PinnedRun`` in the session state and draws them with
``charts.compare_curves`` and ``metrics_table``. A pin holds at most ~4 MB, whatever the run: its weights as the
.npz file they download as (at most ``state.MAX_WEIGHTS_BYTES``, 3.8 MB for 8 × 256) and ``MAX_PINNED_ROWS``
rows of its history (~0.4 MB); five pins, ~21 MB.
"""

from dataclasses import dataclass

import pandas as pd

from playground import export
from playground.charts import curve_indices
from playground.i18n import Message, tr
from playground.links import QUERY
from playground.settings import value_text

MAX_PINNED = 5  # more curves than this on one chart stop being readable
# history rows a pin keeps, evenly spread, the first and the last among them: its curve is drawn from 250
# (charts.MAX_CURVE_POINTS), and a session keeps up to 10,000 (state.MAX_HISTORY_ROWS)
MAX_PINNED_ROWS = 2_000
# what a run is named by: every setting under its link key, but the activations as the layers have them (a
# choice per layer or one for all are two ways to say the same thing)
NAMED_SETTINGS = {
    **{field: key for field, (key, _, _) in QUERY.items() if field not in ("activation", "layer_activations")},
    "activations": "activation",
}


@dataclass(frozen=True)
class PinnedRun:
    number: int  # 1, 2, ... in the order pinned, never reused in a tab: "run 3" keeps meaning one run
    settings: object
    history: dict
    weights: bytes  # nnlib.io's .npz, as the weights download makes it

    @property
    def steps(self):
        return self.history["step"][-1]


def pin(pins, session):
    """``pins`` plus the session's run as it is now; a ValueError once ``MAX_PINNED`` are pinned."""
    if len(pins) >= MAX_PINNED:
        raise ValueError(Message("{count} runs are pinned already: unpin one to pin this one", count=MAX_PINNED))
    number = max((run.number for run in pins), default=0) + 1
    rows = curve_indices(len(session.history["epoch"]), MAX_PINNED_ROWS)
    history = {column: [values[row] for row in rows] for column, values in session.history.items()}
    return [
        *pins,
        PinnedRun(number, session.settings, history, export.weights_bytes(session.model, trained=session.trained())),
    ]


def unpin(pins, number):
    return [run for run in pins if run.number != number]


def _named_value(settings, field):
    """A setting's value for a run's name; the activations as one name when every layer has the same."""
    if field != "activations":
        return getattr(settings, field)
    names = settings.activations
    return names[0] if len(set(names)) == 1 else names or "none"


def labels(pins, lang="en"):
    """A name per run from the settings that differ between the pinned runs, e.g. "run 2: lr 0.3, optimizer Adam".

    A setting the runs share says nothing about their difference, so it is left out; runs that differ in
    nothing are told apart by their number alone.
    """
    differing = [field for field in NAMED_SETTINGS if len({_named_value(run.settings, field) for run in pins}) > 1]
    names = {}
    for run in pins:
        parts = [f"{NAMED_SETTINGS[field]} {value_text(_named_value(run.settings, field))}" for field in differing]
        names[run.number] = tr("run {number}", lang, number=run.number) + (": " + ", ".join(parts) if parts else "")
    return names


def _metrics_row(run, name):
    history, score = run.history, "R²" if run.settings.regression else "accuracy"
    return {
        "run": name,
        "epochs": history["epoch"][-1],
        "steps": run.steps,
        "train loss": history["train_loss"][-1],
        "test loss": history["test_loss"][-1],
        f"train {score}": history["train_accuracy"][-1],
        f"test {score}": history["test_accuracy"][-1],
    }


def metrics_table(pins, lang="en"):
    """The last recorded epoch of each pinned run: one row per run, named as in ``labels``; a regression's R² in
    columns of its own (its history keeps it where a classifier's keeps the accuracy)."""
    names = labels(pins, lang)
    rows = [_metrics_row(run, names[run.number]) for run in pins]
    return (
        pd.DataFrame(rows).set_index("run").rename(columns=lambda column: tr(column, lang)).rename_axis(tr("run", lang))
    )
