"""Input features of 2-D points, the ones TensorFlow Playground offers: x1, x2, their squares, their product and
their sines. A network that gets x1² and x2² can draw a circle with one hidden layer, or with none."""

import numpy as np

FEATURES = {
    "x1": lambda x1, x2: x1,
    "x2": lambda x1, x2: x2,
    "x1²": lambda x1, x2: x1 * x1,
    "x2²": lambda x1, x2: x2 * x2,
    "x1·x2": lambda x1, x2: x1 * x2,
    "sin x1": lambda x1, x2: np.sin(x1),
    "sin x2": lambda x1, x2: np.sin(x2),
}


def input_features(points, names):
    """The features ``names`` (keys of FEATURES, in that order) of (N, 2) points, as an (N, len(names)) matrix."""
    x1, x2 = points[:, 0], points[:, 1]
    return np.column_stack([FEATURES[name](x1, x2) for name in names])
