"""Toy 2-D data: the book's spiral, more shapes to classify, a user's own points, and surfaces to fit.

Every data set is ``(x, t)``: points x (N, 2) float64 and one-hot targets t (N, classes), the convention
of the book's ``spiral.load_data``, so any of them can take the spiral's place; a surface's targets are its
heights instead, t (N, 1), a regression's (``REGRESSIONS``).
"""

from nnlib.datasets import spiral
from nnlib.datasets._common import MAX_CLASSES
from nnlib.datasets.features import FEATURES, input_features
from nnlib.datasets.generators import (
    make_abs,
    make_circle,
    make_cubic,
    make_gaussian,
    make_moons,
    make_sine,
    make_xor,
)
from nnlib.datasets.points import MAX_ROWS, load_points
from nnlib.datasets.spiral import make_spiral
from nnlib.datasets.split import train_size, train_test_split
from nnlib.datasets.surfaces import make_bumps, make_plane, make_pyramid, make_wave

GENERATORS = {
    "spiral": make_spiral,
    "circle": make_circle,
    "xor": make_xor,
    "gaussian": make_gaussian,
    "moons": make_moons,
    "sine": make_sine,  # the sides of a curve y = f(x): data from a formula
    "cubic": make_cubic,
    "abs": make_abs,
}
REGRESSIONS = {  # surfaces to fit: n points in all, targets their heights
    "plane": make_plane,
    "bumps": make_bumps,
    "wave": make_wave,
    "pyramid": make_pyramid,
}

__all__ = [
    "FEATURES",
    "GENERATORS",
    "MAX_CLASSES",
    "MAX_ROWS",
    "REGRESSIONS",
    "input_features",
    "load_points",
    "make_abs",
    "make_bumps",
    "make_circle",
    "make_cubic",
    "make_gaussian",
    "make_moons",
    "make_plane",
    "make_pyramid",
    "make_sine",
    "make_spiral",
    "make_wave",
    "make_xor",
    "spiral",
    "train_size",
    "train_test_split",
]
