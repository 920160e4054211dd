"""Toy 2-D classification data: the book's spiral, more shapes to try, and a user's own points.

Every data set is ``(x, t)``: points x (N, 2) float64 and one-hot targets t (N, classes), the convention
of the book's ``spiral.load_data``, so any of them can take the spiral's place.
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

__all__ = [
    "FEATURES",
    "GENERATORS",
    "MAX_CLASSES",
    "MAX_ROWS",
    "input_features",
    "load_points",
    "make_abs",
    "make_circle",
    "make_cubic",
    "make_gaussian",
    "make_moons",
    "make_sine",
    "make_spiral",
    "make_xor",
    "spiral",
    "train_size",
    "train_test_split",
]
