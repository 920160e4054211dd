"""The data a session trains on: points from nnlib.datasets, a seeded train/test split, and input features."""

from dataclasses import dataclass

import numpy as np

from nnlib.datasets import GENERATORS, spiral
from playground.settings import FEATURES, MULTI_CLASS_DATASETS

FEATURE_FUNCTIONS = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1²": lambda x1, x2: x1 * x1,
    "x2²": lambda x1, x2: x2 * x2,
    "x1·x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}
assert tuple(FEATURE_FUNCTIONS) == FEATURES


def feature_matrix(points, names):
    """The chosen input features of (N, 2) points, as an (N, len(names)) matrix."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([FEATURE_FUNCTIONS[name](x1, x2) for name in names])


@dataclass(frozen=True)
class Split:
    """Points and one-hot labels, split into a training and a test part."""

    x_train: np.ndarray
    t_train: np.ndarray
    x_test: np.ndarray
    t_test: np.ndarray

    @property
    def classes(self):
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
    """A seeded shuffle, then the first ``train_percent`` % of the points for training, at least one for each side."""
    order = np.random.RandomState(seed).permutation(len(x))
    n_train = min(max(1, round(len(x) * train_percent / 100)), len(x) - 1)
    train, test = order[:n_train], order[n_train:]
    return Split(x[train], t[train], x[test], t[test])
