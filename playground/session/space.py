"""The hidden space: how a hidden layer warps the input plane, as Distill's "Neural Networks, Manifolds, and
Topology" draws it. Lines of the input plane and the training points, mapped through the network up to a hidden
layer, in two of its coordinates: two neurons' outputs, or the layer's first two principal components of the
points' outputs, refitted as it trains and eased from frame to frame so the picture moves rather than jumps. No
Streamlit: the live feed (``live/feed.py``) keeps a ``HiddenSpace`` per tab while the view shows it."""

import time
from dataclasses import dataclass

import numpy as np

from nnlib.backend import to_numpy
from nnlib.datasets import input_features
from playground.session.passes import forgetting_outputs
from playground.settings import space_neurons

LINES = 11  # lines of the input plane each way
SAMPLES = 40  # points along each line
MAX_POINTS = 500  # training points mapped, the first of the (shuffled) split
EASING = 0.15  # a playing frame moves the projection and the axes this share of the way to the new fit
MARGIN = 0.05  # of each axis's span, around the points
# a playing tab's frames spend about this long on the space each, on average: a wide, deep layer's (8 × 256: ~50 ms
# on a 2-core server) is refreshed every so many frames instead of costing each frame its time
SECONDS_PER_FRAME = 0.004
# and at most this often while playing: 15 pictures a second move smoothly enough, eased as they are, and the page
# keeps 30 painted frames a second on a 2-core machine (26.5 with the space in every frame, 29.7 at 20 a second;
# python -m bench.browser --query view=show_network,hidden_space)
REFRESH_SECONDS = 1 / 15


def sample(training):
    """The training points the space maps (and the view colours, in the same order): the first MAX_POINTS of the
    split, shuffled already."""
    return training[:MAX_POINTS]


@dataclass(frozen=True)
class Choice:
    """The hidden layer the view shows (from 0) and its axes: two neurons (from 0; the second None for a layer of
    one neuron, drawn on one axis), or None: its principal components."""

    layer: int
    width: int
    neurons: tuple | None


def choose(hidden_sizes, space_layer, space_axes):
    """The layer and axes a view's ``space_layer`` and ``space_axes`` name (``settings.View``), kept to the network:
    a layer past its last shows the last, a neuron past the layer's width its last. None without hidden layers."""
    if not hidden_sizes:
        return None
    layer = (space_layer if 0 < space_layer <= len(hidden_sizes) else len(hidden_sizes)) - 1
    width = hidden_sizes[layer]
    numbers = space_neurons(space_axes)
    if numbers is None:
        return Choice(layer, width, None)
    first, second = (min(number, width) - 1 for number in numbers)
    return Choice(layer, width, (first, second if width > 1 else None))


def grid_lines(x1_range, x2_range, lines=LINES, samples=SAMPLES):
    """Points along ``lines`` lines across the plane (x2 fixed) and then as many up it (x1 fixed), ``samples`` on
    each, over the two ranges: (2 · lines · samples, 2), line after line."""
    x1, x2 = np.linspace(*x1_range, lines), np.linspace(*x2_range, lines)
    along_x1, along_x2 = np.linspace(*x1_range, samples), np.linspace(*x2_range, samples)
    across = np.stack([np.tile(along_x1, lines), np.repeat(x2, samples)], axis=1)
    up = np.stack([np.repeat(x1, samples), np.tile(along_x2, lines)], axis=1)
    return np.concatenate([across, up])


def hidden_outputs(model, features, layer):
    """Hidden layer ``layer``'s outputs (after its activation, before any dropout) for ``features``, as a
    prediction computes them, through the layers up to it only; then a pass over no rows, so the layers keep
    nothing of it for a backward that never comes."""
    with np.errstate(over="ignore", invalid="ignore"):  # a diverged model's points are not drawn, without warnings
        outputs = forgetting_outputs(model, features, 2 * layer + 2)[-1]
    return np.asarray(to_numpy(outputs), dtype=np.float64)


def principal_axes(values):
    """The mean of ``values``' finite rows and their first two principal directions, a column each (one for a
    layer of one neuron); None with fewer than two finite rows (a diverged model's)."""
    finite = values[np.isfinite(values).all(axis=1)]
    if len(finite) < 2:
        return None
    mean = finite.mean(axis=0)
    _, _, directions = np.linalg.svd(finite - mean, full_matrices=False)
    return mean, directions[:2].T


def aligned(basis, previous):
    """``basis``'s columns in the order and with the signs nearest ``previous``'s: two components whose variances
    cross, or an SVD's arbitrary sign, do not turn the picture over between two frames."""
    if previous is None or previous.shape != basis.shape:
        return basis
    overlap = basis.T @ previous
    if len(overlap) == 2 and abs(overlap[0, 1]) + abs(overlap[1, 0]) > abs(overlap[0, 0]) + abs(overlap[1, 1]):
        basis, overlap = basis[:, ::-1], overlap[::-1]
    return basis * np.where(np.diag(overlap) < 0, -1.0, 1.0)


def orthonormal(basis):
    """The nearest orthonormal columns, in the same order and directions (a blend of two bases is not quite)."""
    q, r = np.linalg.qr(basis)
    return q * np.where(np.diag(r) < 0, -1.0, 1.0)


def axis_ranges(coordinates, previous, share):
    """[[low, high], [low, high]] around the finite ``coordinates``: at once as wide as they need, narrowing
    towards them by ``share`` of the way (1: at once), so that no point leaves the plot and the axes do not
    jump. An axis of one value spans one unit around it; no finite point keeps ``previous`` (or [-1, 1])."""
    finite = coordinates[np.isfinite(coordinates).all(axis=1)]
    if not len(finite):
        return previous if previous is not None else np.array([[-1.0, 1.0], [-1.0, 1.0]])
    low, high = finite.min(axis=0), finite.max(axis=0)
    pad = np.where(high > low, (high - low) * MARGIN, 0.5)
    wanted = np.stack([low - pad, high + pad], axis=1)
    if previous is None:
        return wanted
    eased = previous + share * (wanted - previous)
    return np.stack([np.minimum(wanted[:, 0], eased[:, 0]), np.maximum(wanted[:, 1], eased[:, 1])], axis=1)


class HiddenSpace:
    """A tab's hidden space: the points it maps (the grid lines and the first MAX_POINTS training points, their
    features made once a data set) and the projection and axes it eases between frames."""

    def __init__(self):
        self.points_of = None  # (data, features) the points were made for
        self.features = None
        self.training = 0  # how many of them are training points (the last ones)
        self.shown = None  # (run, choice) the projection is of: another starts it afresh
        self.mean = self.basis = self.ranges = None
        self.seconds = 0.0  # the last refresh's time
        self.waited = 0  # playing frames since it
        self.refreshed_at = -float("inf")  # when it was (time.perf_counter)

    def points(self, session, grid):
        """The features of the grid lines over ``grid`` ([[x1 low, high], [x2 low, high]], the regions') and of
        the training points, in that order."""
        key = (session.settings.features, tuple(map(tuple, grid)))
        if self.points_of is None or self.points_of[0] is not session.data or self.points_of[1:] != key:
            lines = input_features(grid_lines(*grid), session.settings.features)
            training = sample(session.features_train)
            self.features, self.training = np.concatenate([lines, training]), len(training)
            self.points_of = (session.data, *key)
        return self.features

    def due(self, playing):
        """Whether this frame refreshes the space: paused, always (it shows the state as it is); playing, once the
        frames since the last refresh have had SECONDS_PER_FRAME each for it, and REFRESH_SECONDS have passed."""
        self.waited += 1
        now = time.perf_counter()
        if playing and (self.waited * SECONDS_PER_FRAME < self.seconds or now - self.refreshed_at < REFRESH_SECONDS):
            return False
        self.waited, self.refreshed_at = 0, now
        return True

    def coordinates(self, session, choice, grid, ease):
        """Each line point's and training point's two coordinates in ``choice``'s layer (the second 0 on one
        axis), and the axes' ranges; ``ease``: move the projection and the axes a step towards the new fit (a
        playing frame's), rather than all the way (a paused one's, which shows the state as it is)."""
        started = time.perf_counter()
        if self.shown != (session.trainer, choice):
            self.shown, self.mean, self.basis, self.ranges = (session.trainer, choice), None, None, None
            ease = False
        values = hidden_outputs(session.model, self.points(session, grid), choice.layer)
        if choice.neurons is None:
            projected = self._projected(values[len(values) - self.training :], values, ease)
        else:
            projected = np.stack([values[:, choice.neurons[0]], self._second(values, choice.neurons[1])], axis=1)
        with np.errstate(invalid="ignore"):
            self.ranges = axis_ranges(projected, self.ranges, EASING if ease else 1.0)
        self.seconds = time.perf_counter() - started
        return projected, self.ranges

    @staticmethod
    def _second(values, neuron):
        return np.zeros(len(values)) if neuron is None else values[:, neuron]

    def _projected(self, fitted, values, ease):
        """``values`` on the principal axes of ``fitted``'s (the training points'), eased."""
        fit = principal_axes(fitted)
        if fit is not None:
            mean, basis = fit[0], aligned(fit[1], self.basis)
            if ease and self.basis is not None:
                mean = self.mean + EASING * (mean - self.mean)
                basis = orthonormal(self.basis + EASING * (basis - self.basis))
            self.mean, self.basis = mean, basis
        if self.basis is None:  # no fit yet (a diverged model's first frame): its first neurons
            self.mean, self.basis = np.zeros(values.shape[1]), np.eye(values.shape[1])[:, :2]
        with np.errstate(invalid="ignore", over="ignore"):
            projected = (values - self.mean) @ self.basis
        return projected if projected.shape[1] == 2 else np.column_stack([projected, np.zeros(len(values))])
