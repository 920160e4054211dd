"""The baseline for ``train_speed.py``: a plain, textbook-style implementation of the chapter-1 training loop.

It is written the way the book teaches it, one NumPy expression per formula: every layer allocates fresh
arrays, gradients are copied into place, the optimizer loops over each parameter, the loss converts one-hot
labels with argmax on every step, and the training loop does what the book's ``Trainer.fit`` does per step
(merging shared parameters, summing the loss for its log). Nothing here is slowed down on purpose; it is what
a reader of the chapter would write.
"""

import numpy as np


def softmax(x):
    x = x - x.max(axis=1, keepdims=True)
    x = np.exp(x)
    return x / x.sum(axis=1, keepdims=True)


def cross_entropy_error(y, t):
    if t.size == y.size:
        t = t.argmax(axis=1)
    batch_size = y.shape[0]
    return -np.sum(np.log(y[np.arange(batch_size), t] + 1e-7)) / batch_size


class Affine:
    def __init__(self, W, b):
        self.params = [W, b]
        self.grads = [np.zeros_like(W), np.zeros_like(b)]
        self.x = None

    def forward(self, x):
        W, b = self.params
        self.x = x
        return np.dot(x, W) + b

    def backward(self, dout):
        W, _ = self.params
        dx = np.dot(dout, W.T)
        self.grads[0][...] = np.dot(self.x.T, dout)
        self.grads[1][...] = np.sum(dout, axis=0)
        return dx


class Sigmoid:
    def __init__(self):
        self.params, self.grads = [], []
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class ReLU:
    def __init__(self):
        self.params, self.grads = [], []
        self.mask = None

    def forward(self, x):
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dout = dout.copy()
        dout[self.mask] = 0
        return dout


class SoftmaxWithLoss:
    def __init__(self):
        self.params, self.grads = [], []
        self.y = None
        self.t = None

    def forward(self, x, t):
        self.y = softmax(x)
        self.t = t.argmax(axis=1) if t.size == self.y.size else t
        return cross_entropy_error(self.y, self.t)

    def backward(self, dout=1):
        batch_size = self.t.shape[0]
        dx = self.y.copy()
        dx[np.arange(batch_size), self.t] -= 1
        dx *= dout
        return dx / batch_size


class Net:
    """Affine layers with ``Activation`` between them; weights drawn like the book's TwoLayerNet."""

    def __init__(self, sizes, activation=Sigmoid, weight_std=0.01, dtype=np.float64, rng=np.random):
        self.layers = []
        for index, (rows, cols) in enumerate(zip(sizes[:-1], sizes[1:])):
            W = (weight_std * rng.randn(rows, cols)).astype(dtype)
            self.layers.append(Affine(W, np.zeros(cols, dtype=dtype)))
            if index < len(sizes) - 2:
                self.layers.append(activation())
        self.loss_layer = SoftmaxWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x):
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def forward(self, x, t):
        return self.loss_layer.forward(self.predict(x), t)

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


class SGD:
    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for i in range(len(params)):
            params[i] -= self.lr * grads[i]


def merge_shared(params, grads):
    """The book's Trainer merges shared parameters before every update: the same array used by two layers, or
    one stored transposed in another (weight tying). It rescans after each merge; for this net it finds none."""
    params, grads = params[:], grads[:]
    while True:
        found = False
        for i in range(len(params) - 1):
            for j in range(i + 1, len(params)):
                if params[i] is params[j]:
                    grads[i] += grads[j]
                    found = True
                elif (
                    params[i].ndim == 2
                    and params[j].ndim == 2
                    and params[i].T.shape == params[j].shape
                    and np.all(params[j] == params[i].T)
                ):
                    grads[i] += grads[j].T
                    found = True
                if found:
                    params.pop(j)
                    grads.pop(j)
                    break
            if found:
                break
        if not found:
            return params, grads


def train_steps(model, optimizer, x, t, batch_size, steps, rng):
    """The book's Trainer.fit loop body: shuffle each epoch, slice a batch, forward, backward, update."""
    data_size = len(x)
    max_iters = data_size // batch_size
    total_loss = 0
    for step in range(steps):
        iters = step % max_iters
        if iters == 0:
            idx = rng.permutation(np.arange(data_size))
            x, t = x[idx], t[idx]
        batch_x = x[iters * batch_size : (iters + 1) * batch_size]
        batch_t = t[iters * batch_size : (iters + 1) * batch_size]
        loss = model.forward(batch_x, batch_t)
        model.backward()
        params, grads = merge_shared(model.params, model.grads)
        optimizer.update(params, grads)
        total_loss += loss
    return total_loss / steps
