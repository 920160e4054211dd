"""What every data set here shares: class-major labels, one-hot targets, the book's polar form, the checks."""

import numpy as np

MAX_CLASSES = 10


def class_labels(n, classes):
    """Labels 0, 0, ..., 1, 1, ...: ``n`` per class, class-major, the order of the book's spiral."""
    return np.repeat(np.arange(classes), n)


def one_hot(labels, classes):
    """One-hot rows of int64, the target format of the book's ``spiral.load_data``."""
    return np.eye(classes, dtype=np.int64)[labels]


def polar_points(radius, angle):
    """Points (r·sin θ, r·cos θ): the book's spiral measures θ from the x2 axis, so every shape here does."""
    return np.column_stack([radius * np.sin(angle), radius * np.cos(angle)])


def check_arguments(n, noise, classes=2):
    """Refuse arguments that would give an empty, NaN-filled or unplottable data set."""
    if not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n (points per class) must be a whole number >= 1, got {n!r}")
    if not np.isfinite(noise) or noise < 0:
        raise ValueError(f"noise must be a finite number >= 0, got {noise!r}")
    if not isinstance(classes, (int, np.integer)) or not 2 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be a whole number from 2 to {MAX_CLASSES}, got {classes!r}")
