"""The array-module seam: NumPy unless CuPy is asked for; CuPy tested only where it imports."""

import importlib.util

import numpy as np
import pytest

from nnlib.backend import array_module, constant, get_backend, to_numpy
from nnlib.datasets import spiral
from nnlib.models import MLP
from nnlib.optimizers import Adam
from nnlib.trainer import Trainer

HAS_CUPY = importlib.util.find_spec("cupy") is not None


def test_numpy_is_the_default():
    assert get_backend() is np
    assert array_module(np.zeros(2)) is np
    assert MLP(2, [3], 2).xp is np


def test_unknown_backend_is_refused():
    with pytest.raises(ValueError, match="unknown backend 'jax'"):
        get_backend("jax")


@pytest.mark.skipif(HAS_CUPY, reason="CuPy is installed here")
def test_asking_for_cupy_without_it_says_what_is_missing():
    with pytest.raises(ValueError, match="needs CuPy installed"):
        MLP(2, [3], 2, backend="cupy")


def test_constants_are_cached_and_read_only():
    half = constant(0.5, (), np.float32)
    assert half is constant(0.5, (), np.float32) and half.dtype == np.float32
    with pytest.raises(ValueError):
        half[...] = 1


@pytest.mark.skipif(not HAS_CUPY, reason="CuPy is not installed")
def test_cupy_trains_like_numpy():
    x, t = spiral.load_data()
    losses = {}
    for backend in ("numpy", "cupy"):
        model = MLP(2, [16, 16], 3, "tanh", seed=0, backend=backend)
        trainer = Trainer(model, Adam(lr=0.01), seed=0)
        trainer.set_data(x, t, 30)
        losses[backend] = [step.loss for step in trainer.train_steps(50)]
        assert array_module(model.flat_params) is model.xp
        assert to_numpy(model.predict_proba(x)).shape == (300, 3)
    np.testing.assert_allclose(losses["cupy"], losses["numpy"], rtol=1e-6)
