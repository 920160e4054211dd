"""More 2-D shapes to classify, each returned the way the book's spiral is: ``(x, t)`` with one-hot ``t``.

Every generator takes ``n`` points per class, a ``noise`` level and a ``seed`` (None: fresh randomness,
an int: the same data every time). Each draws from its own ``RandomState``, never NumPy's global one.
Points are class-major, class 0's ``n`` points first, and lie roughly within [-1, 1]².
"""

import numpy as np

from nnlib.datasets._common import check_arguments, class_labels, one_hot, polar_points

RING_FILL = 0.8  # share of each ring's width holding points; the rest is the gap that separates the rings
XOR_MARGIN = 0.1  # points keep this far from the axes, so the quadrants do not touch
GAUSSIAN_RADIUS = 0.6  # the cluster centres sit evenly on a circle of this radius


def make_circle(n=100, classes=2, noise=0.05, seed=None):
    """Concentric rings, class 0 the inner disc; ``noise`` is the std of the jitter on the coordinates."""
    check_arguments(n, noise, classes)
    rng = np.random.RandomState(seed)
    labels = class_labels(n, classes)
    radius = (labels + RING_FILL * rng.rand(labels.size)) / classes
    angle = rng.uniform(0.0, 2 * np.pi, labels.size)
    return _jitter(rng, polar_points(radius, angle), noise), one_hot(labels, classes)


def make_xor(n=100, noise=0.05, seed=None):
    """Two classes in alternating quadrants: class 0 where x1·x2 > 0, class 1 where x1·x2 < 0."""
    check_arguments(n, noise)
    rng = np.random.RandomState(seed)
    labels = class_labels(n, 2)
    distance_from_axes = rng.uniform(XOR_MARGIN, 1.0, size=(labels.size, 2))
    x1_sign = rng.choice([-1.0, 1.0], size=labels.size)  # picks one of the class's two quadrants
    x2_sign = np.where(labels == 0, x1_sign, -x1_sign)
    x = distance_from_axes * np.column_stack([x1_sign, x2_sign])
    return _jitter(rng, x, noise), one_hot(labels, 2)


def make_gaussian(n=100, classes=2, noise=0.15, seed=None):
    """Round Gaussian clusters, one per class, with std ``noise`` around centres spread evenly on a circle."""
    check_arguments(n, noise, classes)
    rng = np.random.RandomState(seed)
    labels = class_labels(n, classes)
    centres = polar_points(GAUSSIAN_RADIUS, 2 * np.pi * labels / classes)
    return _jitter(rng, centres, noise), one_hot(labels, classes)


def make_moons(n=100, noise=0.1, seed=None):
    """Two interleaving half circles, as scikit-learn's ``make_moons``, moved and scaled into [-1, 1]."""
    check_arguments(n, noise)
    rng = np.random.RandomState(seed)
    angle = np.linspace(0.0, np.pi, n)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    x = (np.concatenate([upper, lower]) - [0.5, 0.25]) / 1.5  # x1 spans [-1, 2] and x2 [-0.5, 1] before
    return _jitter(rng, x, noise), one_hot(class_labels(n, 2), 2)


def make_sine(n=100, noise=0.05, seed=None):
    """Class 1 above the curve x2 = ½·sin(π·x1), class 0 below (see ``_sides_of``)."""
    return _sides_of(lambda x1: 0.5 * np.sin(np.pi * x1), n, noise, seed)


def make_cubic(n=100, noise=0.05, seed=None):
    """Class 1 above the curve x2 = 2·x1³ − 1.5·x1, class 0 below (see ``_sides_of``)."""
    return _sides_of(lambda x1: 2 * x1**3 - 1.5 * x1, n, noise, seed)


def make_abs(n=100, noise=0.05, seed=None):
    """Class 1 above the curve x2 = |x1| − ½, class 0 below (see ``_sides_of``)."""
    return _sides_of(lambda x1: np.abs(x1) - 0.5, n, noise, seed)


def _sides_of(curve, n, noise, seed):
    """The two sides of the curve x2 = curve(x1) as two classes, class 1 above: data from a formula (after
    tensorflow/playground #252), whose boundary a student can draw before training and then watch the network find.
    x1 is uniform over [-1, 1] and x2 uniform between the curve and the square's edge, so each side has exactly
    ``n`` points; the jitter comes after, and takes some points across the curve."""
    check_arguments(n, noise)
    rng = np.random.RandomState(seed)
    labels = class_labels(n, 2)
    x1 = rng.uniform(-1.0, 1.0, labels.size)
    boundary = curve(x1)
    edge = np.where(labels == 1, 1.0, -1.0)
    x2 = edge - (edge - boundary) * rng.rand(labels.size)  # from the edge up to, never onto, the curve
    return _jitter(rng, np.column_stack([x1, x2]), noise), one_hot(labels, 2)


def _jitter(rng, x, noise):
    """Add Gaussian noise of std ``noise`` to every coordinate."""
    return x + noise * rng.randn(*x.shape)
