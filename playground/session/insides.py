"""Inside the training: snapshots of each layer as a run goes, for the live view's "Inside the training" (the book
series' activation histograms after a weight init, live). No Streamlit.

A snapshot holds, for each hidden layer, the histogram of its activations over a fixed sample of the training
points and the share of its ReLUs that are dead; for each Affine layer, the histogram of the last step's dW on a
log scale and the norm of its W. ``Insides`` keeps a run's snapshots, at most MAX_SNAPSHOTS evenly spread ones,
and hands out those after a number, so a frame carries only the new ones (as history rows go, ``after``), and
which numbers stay (``every``), so the view keeps the same ones.
"""

import time

import numpy as np

from nnlib.backend import to_numpy
from playground.session.passes import forgetting_outputs

SAMPLE_POINTS = 300  # the training points each snapshot's forward pass takes: a wide network stays cheap
ACTIVATION_BINS = 32
GRADIENT_DECADES = (-8, 1)  # |dW| from 1e-8 to 1e1: smaller (an exact 0 too) in the first bin, larger in the last
GRADIENT_BINS = 36  # four a decade
GRADIENT_VALUES = 20_000  # of a layer's dW, evenly strided: 8 × 256's 65,536 a layer cost a frame 5 ms
MAX_SNAPSHOTS = 200  # even: at one more, every other goes, the first and the last staying
# of the time a tab's frames take, at most this share goes to snapshots: at 8 × 256 one takes ~10 ms, and each
# frame's would slow its training by a fifth; the default network's, 0.2 ms, are taken at every frame
SNAPSHOT_SHARE = 0.1
SHARE_LEVELS = 255  # a bin's share of the values in one byte
FIXED_RANGES = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "softmax": (0.0, 1.0)}
STARTING_RANGES = {"relu": (0.0, 1.0)}  # the others start at (-1, 1); these and those only widen
DYING = ("relu",)  # the activation whose neurons can die: output 0 for every input, no gradient back (a leaky one
# still passes a small one, and can come back)


def shares(counts):
    """Each bin's share of all the counts, in SHARE_LEVELS steps, a byte each; a bin with any value gets 1 at
    least, so a few stray values still show. No values at all: every share 0."""
    counts = np.asarray(counts, dtype=np.float64)
    total = counts.sum()
    if total == 0:
        return np.zeros(len(counts), dtype=np.uint8)
    levels = np.round(counts / total * SHARE_LEVELS)
    levels[(counts > 0) & (levels == 0)] = 1
    return levels.astype(np.uint8)


def finite(values):
    """The finite ones of ``values``, flat (a diverged run's NaN and infinities are in no bin)."""
    values = np.ravel(to_numpy(values))
    return values[np.isfinite(values)]


def activation_histogram(values, value_range, bins=ACTIVATION_BINS):
    """The shares of the finite ``values`` in ``bins`` equal bins over ``value_range`` (low, high); values outside
    it (none, once the range is widened to them) go into the end bins."""
    low, high = value_range
    with np.errstate(all="ignore"):  # a range as wide as the floats: its width overflows, and all is in one bin
        places = np.nan_to_num((finite(values) - low) * (bins / (high - low)))
    return shares(np.bincount(np.clip(places, 0, bins - 1).astype(np.intp), minlength=bins))


def widened(value_range, values, activation):
    """``value_range`` widened to take the finite ``values``, each end to a power of two (a new end is rare, so
    the picture does not jump from frame to frame); an activation of known range keeps it."""
    if activation in FIXED_RANGES:
        return FIXED_RANGES[activation]
    values = finite(values)
    low, high = value_range
    if len(values):
        if values.min() < low:
            low = -power_of_two_above(-values.min())
        if values.max() > high:
            high = power_of_two_above(values.max())
    return low, high


def power_of_two_above(value):
    """The power of two at or above ``value`` (> 0), or the largest float where there is none."""
    with np.errstate(over="ignore"):
        return float(min(2.0 ** np.ceil(np.log2(value)), np.finfo(np.float64).max))


def starting_range(activation):
    return FIXED_RANGES.get(activation) or STARTING_RANGES.get(activation, (-1.0, 1.0))


def gradient_histogram(dW, bins=GRADIENT_BINS, limit=GRADIENT_VALUES):
    """The shares of log10 |dW| in ``bins`` over GRADIENT_DECADES, from at most ``limit`` evenly strided values."""
    values = np.ravel(to_numpy(dW))
    values = finite(values[:: -(-len(values) // limit) or 1])
    low, high = GRADIENT_DECADES
    with np.errstate(divide="ignore"):  # log10(0): -inf, clipped into the first bin
        logs = np.clip(np.log10(np.abs(values)), low, high)
    return shares(np.histogram(logs, bins=bins, range=(low, high))[0])


def dead_share(outputs):
    """The share of a layer's neurons (its ``outputs``' columns) whose output is ≤ 0 for every row: a dead ReLU
    passes no gradient back, and stays dead."""
    outputs = to_numpy(outputs)
    if outputs.shape[1] == 0:
        return 0.0
    with np.errstate(invalid="ignore"):
        return float((outputs <= 0).all(axis=0).mean())


def weight_norms(model):
    """Each Affine layer's Frobenius norm ‖W‖, None where it is not finite (a diverged run's)."""
    norms = []
    with np.errstate(over="ignore", invalid="ignore"):
        for affine in model.layers[0::2]:
            norm = float(np.linalg.norm(to_numpy(affine.params[0])))
            norms.append(norm if np.isfinite(norm) else None)
    return norms


def thinned(snapshots, every):
    """The snapshots numbered a multiple of ``every``: taken at every ``every / 2``-th chance (numbered by their
    chance), at one more than MAX_SNAPSHOTS that is every other, the first and the last staying. By number, not by
    place, the view thins what it keeps the same way (insides.js), whichever of them it was sent."""
    return [snapshot for snapshot in snapshots if snapshot["n"] % every == 0]


class Insides:
    """The snapshots of one run (its ``trainer``), taken from ``model`` over the first SAMPLE_POINTS of
    ``features`` (the training split's, shuffled already: a fair sample)."""

    def __init__(self, trainer, model, features):
        self.trainer = trainer
        self.model = model
        self.sample = features[:SAMPLE_POINTS]
        self.activations = list(model.config["activation"])
        self.ranges = [starting_range(activation) for activation in self.activations]
        self.snapshots = []
        self.chances = 0  # new history rows seen: a snapshot is numbered by the chance it was taken at
        self.every = 1  # a snapshot every this many chances: doubled at each thinning, so they stay evenly spread
        self.seen_step = None
        self.free_at = 0.0  # perf_counter() time before which a snapshot would take more than SNAPSHOT_SHARE

    def due(self):
        """Whether a snapshot now keeps them within SNAPSHOT_SHARE of the time (the feed asks before ``update``)."""
        return time.perf_counter() >= self.free_at

    def update(self, history):
        """A snapshot when the history has a row this has not seen (one of each ``every``); the epoch of the last
        row is its place on the x axis."""
        step = history["step"][-1]
        if step == self.seen_step:
            return
        self.seen_step = step
        number, self.chances = self.chances, self.chances + 1
        if number % self.every:
            return
        started = time.perf_counter()
        self.snapshots.append(self.snapshot(number, history["epoch"][-1], step))
        self.free_at = started + (time.perf_counter() - started) / SNAPSHOT_SHARE
        if len(self.snapshots) > MAX_SNAPSHOTS:
            self.every *= 2
            self.snapshots = thinned(self.snapshots, self.every)

    def snapshot(self, number, epoch, step):
        """The model as it stands, as the view draws it: shares a byte each, layer after layer."""
        outputs = forgetting_outputs(self.model, self.sample)[1::2]  # each hidden layer's activations
        self.ranges = [
            widened(value_range, values, activation)
            for value_range, values, activation in zip(self.ranges, outputs, self.activations)
        ]
        histograms = [activation_histogram(values, r) for values, r in zip(outputs, self.ranges)]
        gradients = [gradient_histogram(affine.grads[0]) for affine in self.model.layers[0::2]]
        snapshot = {
            "n": number,
            "epoch": epoch,
            "step": step,
            "activations": np.concatenate([np.zeros(0, np.uint8), *histograms]),
            "ranges": [list(value_range) for value_range in self.ranges],
            "gradients": np.concatenate(gradients),
            "dead": [
                dead_share(values) if activation in DYING else None
                for values, activation in zip(outputs, self.activations)
            ],
            "norms": weight_norms(self.model),
        }
        return snapshot

    def since(self, after=None):
        """The snapshots numbered after ``after`` (None: all of them)."""
        return [snapshot for snapshot in self.snapshots if after is None or snapshot["n"] > after]

    def last_number(self):
        return self.snapshots[-1]["n"] if self.snapshots else -1
