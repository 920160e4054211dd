"""The data a session trains on: points from nnlib.datasets, its seeded train/test split kept together, and the
grid over them that the regions are drawn on."""

from dataclasses import dataclass

import numpy as np

from nnlib.datasets import GENERATORS, REGRESSIONS, spiral, train_test_split
from playground.settings import MULTI_CLASS_DATASETS

GRID_RESOLUTION = 100


@dataclass(frozen=True)
class Split:
    """Points and one-hot labels (a regression's targets, one column), split into a training and a test part."""

    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray

    @property
    def classes(self):
        """How many classes, or a regression's 1: the outputs the network needs."""
        return self.t_train.shape[1]

    @property
    def points(self):
        return np.concatenate([self.x_train, self.x_test])

    @property
    def labels(self):
        """The one-hot labels of ``points``, in the same order."""
        return np.concatenate([self.t_train, self.t_test])


def make_points(settings, uploaded=None):
    """All points of the data set the settings name; ``uploaded`` is the (x, t) of a user's CSV."""
    if settings.dataset == "book_spiral":
        return spiral.load_data()
    if settings.dataset == "upload":
        if uploaded is None:
            raise ValueError("no CSV uploaded yet")
        return uploaded
    if settings.regression:
        return REGRESSIONS[settings.dataset](n=settings.points, noise=settings.noise, seed=settings.seed)
    generate = GENERATORS[settings.dataset]
    extra = {"classes": settings.classes} if settings.dataset in MULTI_CLASS_DATASETS else {}
    return generate(n=settings.points, noise=settings.noise, seed=settings.seed, **extra)


def with_point(x, t, point, label):
    """The points plus one more, of class ``label``; a new class widens the one-hot labels."""
    classes = max(t.shape[1], label + 1)
    labels = np.zeros((len(t) + 1, classes), dtype=t.dtype)
    labels[: len(t), : t.shape[1]] = t
    labels[-1, label] = 1
    return np.vstack([x, np.asarray(point, dtype=x.dtype)[None, :]]), labels


def split(x, t, train_percent, seed):
    """nnlib's seeded split (a shuffle, then the first ``train_percent`` % for training), kept together."""
    return Split(*train_test_split(x, t, train_percent, seed))


def input_grid(x, resolution=GRID_RESOLUTION, margin=0.15):
    """Axis ticks and the (resolution², 2) points of a square grid that covers the data with a margin."""
    low, high = x.min(axis=0), x.max(axis=0)
    pad = margin * max((high - low).max(), 1e-3)
    x1 = np.linspace(low[0] - pad, high[0] + pad, resolution)
    x2 = np.linspace(low[1] - pad, high[1] + pad, resolution)
    points = np.stack(np.meshgrid(x1, x2), axis=-1).reshape(-1, 2)
    return x1, x2, points
