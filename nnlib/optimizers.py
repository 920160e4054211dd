"""The book's optimizers. ``update(params, grads)`` changes the parameter arrays in place.

Hyper-parameters are plain attributes: set ``optimizer.lr`` between two steps and the next step uses it,
while the state (velocities, squared-gradient sums, Adam's moments and step count) carries on.
"""

from nnlib.backend import array_module


def _zeros_like_each(params):
    return [array_module(p).zeros_like(p) for p in params]


class Optimizer:
    """Its repr names the hyper-parameters, ``Adam(lr=0.001, beta1=0.9, beta2=0.999)``: the attributes that are
    plain numbers, less the step count (the state is arrays)."""

    def __repr__(self):
        hyper = (f"{name}={value:g}" for name, value in vars(self).items()
                 if isinstance(value, int | float) and name != "iter")  # fmt: skip
        return f"{type(self).__name__}({', '.join(hyper)})"


class SGD(Optimizer):
    """Stochastic gradient descent: W ← W − lr·∂L/∂W."""

    def __init__(self, lr=0.01):
        self.lr = lr

    def update(self, params, grads):
        for param, grad in zip(params, grads):
            param -= self.lr * grad


class Momentum(Optimizer):
    """v ← momentum·v − lr·∂L/∂W;  W ← W + v."""

    def __init__(self, lr=0.01, momentum=0.9):
        self.lr = lr
        self.momentum = momentum
        self.v = None

    def update(self, params, grads):
        if self.v is None:
            self.v = _zeros_like_each(params)
        for param, grad, v in zip(params, grads, self.v):
            v *= self.momentum
            v -= self.lr * grad
            self._move(param, grad, v)

    def _move(self, param, grad, v):
        param += v


class Nesterov(Momentum):
    """Nesterov's accelerated gradient: Momentum that looks ahead, in the book's form (arXiv:1212.0901)."""

    def _move(self, param, grad, v):
        param += self.momentum * self.momentum * v
        param -= (1 + self.momentum) * self.lr * grad


class AdaGrad(Optimizer):
    """Divides each step by the root of the summed squared gradients: frequently moved weights slow down."""

    def __init__(self, lr=0.01):
        self.lr = lr
        self.h = None

    def update(self, params, grads):
        if self.h is None:
            self.h = _zeros_like_each(params)
        for param, grad, h in zip(params, grads, self.h):
            self._accumulate(h, grad)
            param -= self.lr * grad / (array_module(h).sqrt(h) + 1e-7)

    def _accumulate(self, h, grad):
        h += grad * grad


class RMSprop(AdaGrad):
    """AdaGrad with an exponentially decaying sum, so learning never stops altogether."""

    def __init__(self, lr=0.01, decay_rate=0.99):
        super().__init__(lr)
        self.decay_rate = decay_rate

    def _accumulate(self, h, grad):
        h *= self.decay_rate
        h += (1 - self.decay_rate) * grad * grad


class Adam(Optimizer):
    """Momentum and RMSprop together, with bias correction of both moments (arXiv:1412.6980)."""

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999):
        self.lr = lr
        self.beta1 = beta1
        self.beta2 = beta2
        self.iter = 0
        self.m = None
        self.v = None

    def update(self, params, grads):
        if self.m is None:
            self.m = _zeros_like_each(params)
            self.v = _zeros_like_each(params)
        self.iter += 1
        lr_t = self.lr * (1.0 - self.beta2**self.iter) ** 0.5 / (1.0 - self.beta1**self.iter)
        for param, grad, m, v in zip(params, grads, self.m, self.v):
            m += (1 - self.beta1) * (grad - m)
            v += (1 - self.beta2) * (grad**2 - v)
            param -= lr_t * m / (array_module(v).sqrt(v) + 1e-7)
