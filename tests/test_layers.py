"""Every layer's backward pass against central differences, over random shapes and both dtypes."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.functions import cross_entropy_error
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import (
    Affine,
    Dropout,
    Identity,
    LeakyReLU,
    MatMul,
    ReLU,
    Repeat,
    Sigmoid,
    SigmoidWithLoss,
    Softmax,
    SoftmaxWithLoss,
    Sum,
    Tanh,
)

TOLERANCE = {np.float64: 1e-6, np.float32: 2e-2}
dtypes = st.sampled_from([np.float64, np.float32])
sizes = st.integers(1, 6)
seeds = st.integers(0, 2**32 - 1)


def check_gradients(layer, x, rng):
    """Backward of L = Σ forward(x) · R against the numerical gradient of L, for x and every parameter."""
    upstream = rng.randn(*layer.forward(x).shape).astype(x.dtype)

    def loss():
        return np.vdot(layer.forward(x).astype(np.float64), upstream)

    layer.forward(x)
    dx = layer.backward(upstream.copy())
    analytic = [dx, *(grad.copy() for grad in layer.grads)]
    targets = [x, *layer.params]
    tolerance = TOLERANCE[x.dtype.type]
    for target, grad in zip(targets, analytic):
        assert grad.shape == target.shape
        assert grad.dtype == target.dtype
        assert relative_error(grad, numerical_gradient(loss, target)) < tolerance


def away_from_zero(x):
    """Move inputs off the kink at 0, where a one-sided slope makes central differences meaningless."""
    return x + np.where(x >= 0, 0.1, -0.1).astype(x.dtype)


@settings(derandomize=True, deadline=None, max_examples=40)
@given(n=sizes, d_in=sizes, d_out=sizes, dtype=dtypes, seed=seeds)
def test_affine_and_matmul_gradients(n, d_in, d_out, dtype, seed):
    rng = np.random.RandomState(seed)
    x = rng.randn(n, d_in).astype(dtype)
    W = rng.randn(d_in, d_out).astype(dtype)
    b = rng.randn(d_out).astype(dtype)
    check_gradients(Affine(W, b), x, rng)
    check_gradients(MatMul(W.copy()), x, rng)


@pytest.mark.parametrize("make_layer", [Sigmoid, Tanh, Identity, Softmax, ReLU, LeakyReLU, lambda: LeakyReLU(0.2)])
@settings(derandomize=True, deadline=None, max_examples=20)
@given(n=sizes, d=sizes, dtype=dtypes, seed=seeds)
def test_activation_gradients(make_layer, n, d, dtype, seed):
    rng = np.random.RandomState(seed)
    check_gradients(make_layer(), away_from_zero(rng.randn(n, d).astype(dtype)), rng)


@settings(derandomize=True, deadline=None, max_examples=30)
@given(n=sizes, d=sizes, dtype=dtypes, seed=seeds)
def test_repeat_and_sum_gradients(n, d, dtype, seed):
    rng = np.random.RandomState(seed)
    check_gradients(Repeat(n), rng.randn(1, d).astype(dtype), rng)
    check_gradients(Sum(), rng.randn(n, d).astype(dtype), rng)


@settings(derandomize=True, deadline=None, max_examples=40)
@given(n=sizes, classes=st.integers(2, 6), dtype=dtypes, seed=seeds, one_hot=st.booleans())
def test_softmax_with_loss_gradient(n, classes, dtype, seed, one_hot):
    rng = np.random.RandomState(seed)
    x = (3 * rng.randn(n, classes)).astype(dtype)
    labels = rng.randint(0, classes, n)
    t = np.eye(classes, dtype=int)[labels] if one_hot else labels
    layer = SoftmaxWithLoss()
    layer.forward(x, t)
    dx = layer.backward()
    numeric = numerical_gradient(lambda: layer.forward(x, t), x)
    assert dx.dtype == x.dtype
    assert relative_error(dx, numeric) < TOLERANCE[dtype]


@settings(derandomize=True, deadline=None, max_examples=40)
@given(shape=st.lists(sizes, min_size=1, max_size=2), dtype=dtypes, seed=seeds)
def test_sigmoid_with_loss_gradient(shape, dtype, seed):
    rng = np.random.RandomState(seed)
    x = (3 * rng.randn(*shape)).astype(dtype)
    t = rng.randint(0, 2, shape)
    layer = SigmoidWithLoss()
    layer.forward(x, t)
    dx = layer.backward(2.0)
    numeric = numerical_gradient(lambda: 2.0 * layer.forward(x, t), x)
    assert dx.dtype == x.dtype
    assert relative_error(dx, numeric) < TOLERANCE[dtype]


def test_sigmoid_with_loss_is_the_books():
    """The book's loss, cross_entropy_error(np.c_[1 - y, y], t), but for its 1e-7; its gradient (y - t) / N."""
    x = np.array([-2.0, 0.0, 0.5, 3.0])
    t = np.array([0, 1, 1, 0])
    layer = SigmoidWithLoss()
    loss = layer.forward(x, t)
    y = 1 / (1 + np.exp(-x))
    assert loss == pytest.approx(cross_entropy_error(np.c_[1 - y, y], t), abs=1e-6)
    np.testing.assert_allclose(layer.backward(), (y - t) / 4, rtol=1e-12)
    assert SigmoidWithLoss().forward(np.zeros(3), np.array([0, 1, 1])) == pytest.approx(np.log(2))


class FixedMaskDropout(Dropout):
    """Dropout drawing the same mask at every forward pass, so that central differences see one function."""

    def __init__(self, dropout_ratio, seed):
        super().__init__(dropout_ratio)
        self.seed = seed

    def forward(self, x, train_flg=True):
        np.random.seed(self.seed)
        return super().forward(x, train_flg)


@settings(derandomize=True, deadline=None, max_examples=30)
@given(n=sizes, d=sizes, dtype=dtypes, seed=seeds, ratio=st.sampled_from([0.2, 0.5, 0.8]))
def test_dropout_gradient_with_a_fixed_mask(n, d, dtype, seed, ratio):
    rng = np.random.RandomState(seed)
    layer = FixedMaskDropout(ratio, seed)
    x = rng.randn(n, d).astype(dtype)
    check_gradients(layer, x, rng)
    np.testing.assert_array_equal(layer.backward(np.ones_like(x)), layer.mask)  # dropped inputs get no gradient


def test_dropout_draws_the_books_mask_and_scales_when_not_training():
    x = np.arange(1.0, 2001.0, dtype=np.float32).reshape(40, 50)
    layer = Dropout(0.3)
    np.random.seed(7)
    out = layer.forward(x)
    np.random.seed(7)
    mask = np.random.rand(*x.shape) > 0.3  # the book's line
    np.testing.assert_array_equal(out, x * mask)
    assert out.dtype == np.float32 and 0.65 < mask.mean() < 0.75
    np.testing.assert_allclose(layer.forward(x, train_flg=False), x * 0.7, rtol=1e-6)
    assert layer.forward(x, train_flg=False).dtype == np.float32


def test_repeat_and_sum_values():
    x = np.array([[1.0, 2.0]])
    repeat = Repeat(3)
    np.testing.assert_array_equal(repeat.forward(x), [[1, 2], [1, 2], [1, 2]])
    np.testing.assert_array_equal(repeat.backward(np.arange(6.0).reshape(3, 2)), [[6, 9]])
    total = Sum()
    np.testing.assert_array_equal(total.forward(np.arange(6.0).reshape(3, 2)), [[6, 9]])
    np.testing.assert_array_equal(total.backward(x), [[1, 2], [1, 2], [1, 2]])


def test_softmax_with_loss_known_values():
    """Equal scores give probability 1/K and loss log K; the gradient is (y - t) / N."""
    layer = SoftmaxWithLoss()
    loss = layer.forward(np.zeros((2, 4)), np.array([1, 3]))
    assert loss == pytest.approx(np.log(4))
    np.testing.assert_allclose(layer.y, 0.25)
    np.testing.assert_allclose(layer.backward(), [[0.125, -0.375, 0.125, 0.125], [0.125, 0.125, 0.125, -0.375]])
    assert layer.forward(np.array([[0.0, 1.0, 2.0]]), np.array([[0, 0, 1]])) == pytest.approx(
        np.log(1 + np.exp(-1) + np.exp(-2))
    )


def test_one_hot_and_integer_labels_agree():
    x = np.random.RandomState(0).randn(5, 3)
    labels = np.array([0, 2, 1, 1, 0])
    by_index, by_one_hot = SoftmaxWithLoss(), SoftmaxWithLoss()
    assert by_index.forward(x, labels) == pytest.approx(by_one_hot.forward(x, np.eye(3)[labels]))
    np.testing.assert_allclose(by_index.backward(), by_one_hot.backward())


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_extreme_inputs_never_overflow_or_warn(dtype):
    """±1e4 scores: finite outputs and no RuntimeWarning (pytest turns warnings into errors here)."""
    x = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, -1e4], [1e4, 1e4, 1e4]], dtype=dtype)
    sigmoid = Sigmoid().forward(x)
    np.testing.assert_array_equal(sigmoid[0], [1.0, 0.0, 0.5])
    assert sigmoid.dtype == dtype
    probabilities = Softmax().forward(x)
    np.testing.assert_allclose(probabilities[0], [1.0, 0.0, 0.0])
    np.testing.assert_allclose(probabilities[1:], 1 / 3, rtol=1e-6)
    layer = SoftmaxWithLoss()
    assert layer.forward(x, np.array([1, 0, 2])) == pytest.approx((2e4 + np.log(3) + np.log(3)) / 3, rel=1e-6)
    assert np.isfinite(layer.backward()).all()
    binary = SigmoidWithLoss()
    assert binary.forward(x[0], np.array([0, 1, 1])) == pytest.approx((1e4 + 1e4 + np.log(2)) / 3, rel=1e-6)
    np.testing.assert_allclose(binary.backward(), [1 / 3, -1 / 3, -1 / 6], rtol=1e-6)
    assert np.isfinite(Tanh().forward(x)).all()


def test_grads_are_written_in_place():
    """A model's grads list holds references: backward must fill the same arrays, never rebind them."""
    rng = np.random.RandomState(0)
    layer = Affine(rng.randn(3, 2), rng.randn(2))
    grads_before = list(layer.grads)
    layer.forward(rng.randn(4, 3))
    layer.backward(rng.randn(4, 2))
    assert all(now is before for now, before in zip(layer.grads, grads_before))
    assert np.abs(layer.grads[0]).sum() > 0


def test_affine_accepts_mixed_dtypes():
    """float64 data into a float32 layer still backpropagates, into the float32 gradient arrays."""
    rng = np.random.RandomState(0)
    layer = Affine(rng.randn(3, 2).astype(np.float32), np.zeros(2, np.float32))
    x = rng.randn(4, 3)
    layer.forward(x)
    dout = rng.randn(4, 2)
    layer.backward(dout)
    np.testing.assert_allclose(layer.grads[0], x.T @ dout, rtol=1e-5)
    np.testing.assert_allclose(layer.grads[1], dout.sum(axis=0), rtol=1e-5)
    assert layer.grads[0].dtype == np.float32


def test_a_layer_says_what_it_is():
    assert repr(Affine(np.zeros((2, 5)), np.zeros(5))) == "Affine(2×5, 5)"
    assert [repr(layer) for layer in (Sigmoid(), Dropout(0.25), LeakyReLU(0.1))] == [
        "Sigmoid()",
        "Dropout(0.25)",
        "LeakyReLU(0.1)",
    ]
