"""The book's spiral data set (``dataset/spiral.py``), and spirals with any number of arms.

The book reseeds NumPy's global random generator; here each call draws from its own ``RandomState``, so
loading data never changes the random numbers the rest of a program sees. The draws are the same stream,
so ``load_data()`` returns exactly the book's points. A book script that builds its net right after loading,
unseeded (ch01/train.py), gets the book's weights from ``load_data(global_rng=True)``.
"""

import numpy as np

from nnlib.datasets._common import check_arguments, class_labels, one_hot, polar_points

BOOK_SEED = 1984
BOOK_ARM_ANGLE = 4.0  # radians between the book's three arms; not 2π/3, so its arms are unevenly spread


def load_data(seed=BOOK_SEED, global_rng=False):
    """The book's data: x (300, 2) float64 and one-hot t (300, 3), three arms of 100 points.

    ``global_rng=True`` does what the book's does: seeds NumPy's global generator with ``seed`` and draws from
    it, leaving it where the book's leaves it for the random numbers that follow.
    """
    if global_rng:
        np.random.seed(seed)
    rng = np.random if global_rng else np.random.RandomState(seed)
    return _spiral(rng, n=100, classes=3, arm_angle=BOOK_ARM_ANGLE, noise=0.2)


def make_spiral(n=100, classes=3, noise=0.2, seed=None):
    """A spiral of ``classes`` evenly spread arms, ``n`` points each; ``noise`` is the std of the angle jitter."""
    check_arguments(n, noise, classes)
    return _spiral(np.random.RandomState(seed), n, classes, arm_angle=2 * np.pi / classes, noise=noise)


def _spiral(rng, n, classes, arm_angle, noise):
    """Arm j: radius r = i/n grows along it while θ = arm_angle·j + 4r turns, plus Gaussian jitter on θ.

    One draw per point in class-major order, as the book's loop makes them.
    """
    labels = class_labels(n, classes)
    radius = np.tile(np.arange(n) / n, classes)
    angle = arm_angle * labels + 4.0 * radius + noise * rng.randn(labels.size)
    return polar_points(radius, angle), one_hot(labels, classes)
