"""Layers in the book's shape: ``params`` and ``grads`` lists, ``forward(x)`` and ``backward(dout)``.

Gradients are written into the existing ``grads`` arrays (``out=`` or ``[...] =``), never rebound, so a
model's ``grads`` list, and any flat buffer the arrays are views of, stays valid across steps.
"""

import numpy as np

from nnlib.backend import array_module, constant
from nnlib.functions import row_max, row_sums, sigmoid, softmax


def _dot_into(a, b, out):
    """out[...] = a·b, without a temporary when the dtypes agree (the ``out=`` form refuses them otherwise)."""
    try:
        a.dot(b, out=out)
    except ValueError:
        out[...] = a.dot(b)


class Layer:
    """What every layer here shares: a repr that says what it is, as micrograd's modules have one: its name and
    its parameters' shapes, ``Affine(2×10, 10)``."""

    def __repr__(self):
        return f"{type(self).__name__}({', '.join('×'.join(map(str, param.shape)) for param in self.params)})"


class MatMul(Layer):
    def __init__(self, W):
        self.params = [W]
        self.grads = [array_module(W).zeros_like(W)]
        self.x = None

    def forward(self, x):
        (W,) = self.params
        self.x = x
        return x.dot(W)

    def backward(self, dout):
        (W,) = self.params
        _dot_into(self.x.T, dout, self.grads[0])
        return dout.dot(W.T)


class Affine(Layer):
    """x·W + b. ``input_grad=False`` skips the gradient of the input (backward returns None): a model's first
    layer receives data, which needs none, and saves a matrix product per step."""

    def __init__(self, W, b, input_grad=True):
        xp = array_module(W)
        self.params = [W, b]
        self.grads = [xp.zeros_like(W), xp.zeros_like(b)]
        self.input_grad = input_grad
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        out = x.dot(W)
        out += b
        return out

    def backward(self, dout):
        W, _ = self.params
        dW, db = self.grads
        _dot_into(self.x.T, dout, dW)
        # db = dout.sum(axis=0), as one BLAS product with a vector of ones (as row_sums does): NumPy's reduction
        # costs 6-12 % more per training step (bench/train_speed.py's "bias gradient as dout.sum" row)
        ones = constant(1.0, len(dout), dout.dtype, array_module(dout))
        _dot_into(ones, dout, db)
        return dout.dot(W.T) if self.input_grad else None


class Sigmoid(Layer):
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = sigmoid(x)
        return self.out

    def backward(self, dout):
        out = self.out
        return dout * (constant(1.0, (), out.dtype, array_module(out)) - out) * out


class Tanh(Layer):
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = array_module(x).tanh(x)
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out * self.out)


class ReLU(Layer):
    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None

    def forward(self, x):
        self.mask = x > 0
        return x * self.mask

    def backward(self, dout):
        return dout * self.mask


class LeakyReLU(Layer):
    """max(x, alpha * x): a small slope for negative inputs keeps their gradient alive."""

    def __init__(self, alpha=0.01):
        self.params, self.grads = [], []
        self.alpha = alpha
        self.slope = None

    def __repr__(self):
        return f"LeakyReLU({self.alpha:g})"

    def forward(self, x):
        self.slope = array_module(x).where(x > 0, 1.0, self.alpha).astype(x.dtype, copy=False)
        return x * self.slope

    def backward(self, dout):
        return dout * self.slope


class Identity(Layer):
    """The linear activation: passes values and gradients through unchanged."""

    def __init__(self):
        self.params, self.grads = [], []

    def forward(self, x):
        return x

    def backward(self, dout):
        return dout


class Softmax(Layer):
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = softmax(x)
        return self.out

    def backward(self, dout):
        dx = self.out * dout
        dx -= self.out * dx.sum(axis=1, keepdims=True)
        return dx


class SoftmaxWithLoss(Layer):
    """Softmax and mean cross-entropy in one layer, because together their gradient is simply (y - t) / N.

    It computes log y = shifted − log Σ exp(shifted) first, which is exact and finite for any input where
    log(softmax) would hit log(0), and y = exp(log y) from it; ``t`` may be one-hot (or any probability rows)
    or integer labels.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None  # softmax output
        self.t = None  # labels as given

    def forward(self, x, t):
        xp = array_module(x)
        shifted = x - row_max(x)
        log_y = shifted - xp.log(row_sums(xp.exp(shifted)))
        self.y = xp.exp(log_y)
        if t.ndim == 2:
            self.t = t = t.astype(x.dtype, copy=False)  # int one-hot labels would turn float32 into float64
            return -xp.vdot(t, log_y) / len(x)
        self.t = t
        return -log_y[xp.arange(len(t)), t].sum() / len(x)

    def backward(self, dout=1):
        xp = array_module(self.y)
        batch_size = len(self.y)
        if self.t.ndim == 2:
            dx = self.y - self.t
        else:
            dx = self.y.copy()
            dx[xp.arange(batch_size), self.t] -= 1
        dx *= constant(dout / batch_size, (), dx.dtype, xp)
        return dx


class IdentityWithLoss(Layer):
    """The identity output and the squared error in one layer, the regression's SoftmaxWithLoss: y = x, and the loss
    is ½·(1/N)·Σ(y − t)², the squared errors summed over the outputs and averaged over the batch, whose gradient is
    simply (y − t) / N. ``t`` has the shape of ``x``; for one output, (N,) will do as well as (N, 1).
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None  # the output, x itself
        self.t = None  # targets, in x's shape and dtype

    def forward(self, x, t):
        xp = array_module(x)
        t = xp.asarray(t)
        if t.size != x.size:
            raise ValueError(f"targets of shape {t.shape} do not fit outputs of shape {x.shape}")
        self.y = x
        self.t = t.astype(x.dtype, copy=False).reshape(x.shape)  # int targets would turn float32 into float64
        error = x - self.t
        return 0.5 * xp.vdot(error, error) / len(x)

    def backward(self, dout=1):
        dx = self.y - self.t
        dx *= constant(dout / len(self.y), (), dx.dtype, array_module(dx))
        return dx


class SigmoidWithLoss(Layer):
    """Sigmoid and mean binary cross-entropy in one layer (the book's, for two classes and negative sampling):
    together their gradient is (y - t) / N.

    ``t`` holds 0/1 labels in the shape of ``x`` (the book's 1-D scores and labels, or any shape: the loss sums
    every element and divides by the batch size ``len(x)``, as the backward pass does). The loss is computed as
    log(1 + exp(x)) − t·x, exact and finite for any input, where the book's log(y + 1e-7) differs by up to 1e-7.
    """

    def __init__(self):
        self.params, self.grads = [], []
        self.y = None  # sigmoid output
        self.t = None  # labels, in x's dtype

    def forward(self, x, t):
        xp = array_module(x)
        self.t = t = xp.asarray(t).astype(x.dtype, copy=False)  # int labels would turn float32 into float64
        self.y = sigmoid(x)
        return (xp.logaddexp(constant(0.0, (), x.dtype, xp), x) - t * x).sum() / len(x)

    def backward(self, dout=1):
        dx = self.y - self.t
        dx *= constant(dout / len(self.y), (), dx.dtype, array_module(dx))
        return dx


class Dropout(Layer):
    """Drops each input with probability ``dropout_ratio`` while training (http://arxiv.org/abs/1207.0580).

    As in the book, the mask comes from NumPy's global RNG (``np.random.seed`` fixes it), or from ``rng`` (a
    RandomState: a model's own, so that its seed fixes the masks too), and ``train_flg=False`` scales by the kept
    fraction instead of dropping, so a prediction sees the training's expected activations.
    """

    def __init__(self, dropout_ratio=0.5, rng=None):
        self.params, self.grads = [], []
        self.dropout_ratio = dropout_ratio
        self.rng = np.random if rng is None else rng
        self.mask = None

    def __repr__(self):
        return f"Dropout({self.dropout_ratio:g})"

    def forward(self, x, train_flg=True):
        if train_flg:
            xp = array_module(x)
            self.mask = xp.asarray(self.rng.rand(*x.shape) > self.dropout_ratio)
            return x * self.mask
        return x * (1.0 - self.dropout_ratio)

    def backward(self, dout):
        return dout * self.mask


class Repeat(Layer):
    """Copies a (1, D) row ``n`` times; the copies' gradients add up on the way back."""

    def __init__(self, n):
        self.params, self.grads = [], []
        self.n = n

    def __repr__(self):
        return f"Repeat({self.n})"

    def forward(self, x):
        return array_module(x).repeat(x, self.n, axis=0)

    def backward(self, dout):
        return dout.sum(axis=0, keepdims=True)


class Sum(Layer):
    """Sums (N, D) over axis 0 into (1, D); on the way back every row receives the whole gradient."""

    def __init__(self):
        self.params, self.grads = [], []
        self.n = None

    def forward(self, x):
        self.n = len(x)
        return x.sum(axis=0, keepdims=True)

    def backward(self, dout):
        return array_module(dout).repeat(dout, self.n, axis=0)
