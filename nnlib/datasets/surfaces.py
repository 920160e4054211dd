"""Surfaces to fit: a regression's data, ``(x, t)`` with points x (n, 2) uniform over [-1, 1]² and targets t (n, 1),
each the surface's height at its point plus Gaussian noise of std ``noise``. The targets lie roughly within [-1, 1]
(before the noise), as the points do. TensorFlow Playground's two regression sets (a plane, Gaussian bumps), and two
more shapes a learner can picture: a sine wave and |x|'s pyramid.

Every generator takes ``n`` points in all, a ``noise`` level and a ``seed``, and draws from its own ``RandomState``.
"""

import numpy as np

from nnlib.datasets._common import check_arguments

# TensorFlow Playground's six bumps (its regressGaussian), moved into [-1, 1]²: (x1, x2, sign); a point's target is
# the bump whose value there is largest in size
BUMPS = (
    (-2 / 3, 5 / 12, 1),
    (0, 5 / 12, -1),
    (2 / 3, 5 / 12, 1),
    (-2 / 3, -5 / 12, -1),
    (0, -5 / 12, 1),
    (2 / 3, -5 / 12, -1),
)
BUMP_WIDTH = 0.15  # each bump's standard deviation


def plane(x1, x2):
    """The plane t = (x1 + x2) / 2: one straight line of neurons fits it."""
    return (x1 + x2) / 2


def bumps(x1, x2):
    """Six Gaussian bumps, three up and three down, alternating as on a chequerboard."""
    heights = np.stack(
        [sign * np.exp(-((x1 - c1) ** 2 + (x2 - c2) ** 2) / (2 * BUMP_WIDTH**2)) for c1, c2, sign in BUMPS]
    )
    return np.take_along_axis(heights, np.abs(heights).argmax(axis=0)[None], axis=0)[0]


def wave(x1, x2):
    """A sine wave along x1 that fades towards the top and bottom edges: t = sin(π·x1)·cos(π·x2 / 2)."""
    return np.sin(np.pi * x1) * np.cos(np.pi * x2 / 2)


def pyramid(x1, x2):
    """|x|'s surface, a pyramid upside down: t = |x1| + |x2| − 1, its creases where ReLUs bend."""
    return np.abs(x1) + np.abs(x2) - 1


def _surface(height, n, noise, seed):
    check_arguments(n, noise)
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1.0, 1.0, size=(n, 2))
    t = height(x[:, 0], x[:, 1]) + noise * rng.randn(n)
    return x, t[:, None]


def make_plane(n=200, noise=0.05, seed=None):
    """Points on the plane t = (x1 + x2) / 2, with noise."""
    return _surface(plane, n, noise, seed)


def make_bumps(n=200, noise=0.05, seed=None):
    """Points on six Gaussian bumps (TensorFlow Playground's "Gaussian" regression), with noise."""
    return _surface(bumps, n, noise, seed)


def make_wave(n=200, noise=0.05, seed=None):
    """Points on the wave t = sin(π·x1)·cos(π·x2 / 2), with noise."""
    return _surface(wave, n, noise, seed)


def make_pyramid(n=200, noise=0.05, seed=None):
    """Points on the surface t = |x1| + |x2| − 1, with noise."""
    return _surface(pyramid, n, noise, seed)
