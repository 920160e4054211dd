"""A seeded train/test split: a shuffle, then the first part for training."""

import numpy as np


def train_size(n, train_percent):
    """How many of ``n`` points go to training: ``train_percent`` % of them, rounded, and at least one left for
    each side."""
    return min(max(1, round(n * train_percent / 100)), n - 1)


def train_test_split(x, t, train_percent, seed):
    """(x_train, t_train, x_test, t_test): the points in the order of a shuffle seeded with ``seed``, the first
    ``train_size`` of them for training."""
    order = np.random.RandomState(seed).permutation(len(x))
    n_train = train_size(len(x), train_percent)
    train, test = order[:n_train], order[n_train:]
    return x[train], t[train], x[test], t[test]
