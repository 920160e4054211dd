"""The array-module seam: NumPy by default, CuPy when it is installed and asked for.

The book switches every module to CuPy with a global flag and a star import (``from common.np import *``).
Here nothing is global: a model is built on one backend, and the layers follow the arrays they are given,
the way ``cupy.get_array_module`` does.
"""

import functools

import numpy as np

BACKENDS = ("numpy", "cupy")


_cupy = None  # the cupy module, once a CuPy backend has been asked for


def get_backend(name="numpy"):
    """Return the array module called ``name``; ask for "cupy" only where CuPy and a GPU are present."""
    global _cupy
    if name == "numpy":
        return np
    if name == "cupy":
        try:
            import cupy
        except ImportError as error:
            raise ValueError("backend 'cupy' needs CuPy installed (pip install cupy-cuda12x) and a GPU") from error
        _cupy = cupy
        return cupy
    raise ValueError(f"unknown backend {name!r}: choose one of {', '.join(BACKENDS)}")


def array_module(array):
    """numpy for a NumPy array, cupy for a CuPy array (once the CuPy backend has been asked for)."""
    if _cupy is not None and isinstance(array, _cupy.ndarray):
        return _cupy
    return np


def to_numpy(array):
    """A NumPy copy (or the array itself) of an array from either backend, for saving and plotting."""
    if array_module(array) is np:
        return np.asarray(array)
    return array.get()


@functools.lru_cache(maxsize=64)
def constant(value, shape, dtype, xp=np):
    """A cached, read-only array filled with ``value``.

    The layers use these as the 0-d 0.5 and 1.0 of their formulas (NumPy combines a 0-d array of the
    right dtype with an array a third faster than a Python float) and as the ones of sums written as matrix
    products (see ``functions.row_sums``).
    """
    array = xp.full(shape, value, dtype=dtype)
    if xp is np:
        array.flags.writeable = False
    return array
