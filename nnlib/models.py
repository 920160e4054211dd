"""Models: the book's ``TwoLayerNet`` and ``MLP``, its generalisation to any depth, width and activation.

All parameters of a model are views into one flat vector (and all gradients into another), weights first.
The layers still see ordinary ``W`` and ``b`` arrays, but the trainer can update, clip and regularise the whole
model with a handful of NumPy calls instead of a handful per layer — which is what makes small nets fast.
"""

import numpy as np

from nnlib.backend import get_backend, to_numpy
from nnlib.functions import softmax
from nnlib.layers import Affine, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, SoftmaxWithLoss, Tanh

ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
    "softmax": Softmax,  # as a hidden activation, the classic mistake of the chapter-1 lab
}
DTYPES = {"float64": np.float64, "float32": np.float32}


def _activation_list(activation, n_hidden):
    names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
    if len(names) != n_hidden:
        raise ValueError(f"got {len(names)} activations for {n_hidden} hidden layers: give one name or one per layer")
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    return names


def init_std(weight_init, activation, fan_in):
    """Standard deviation of a layer's initial weights.

    "auto" picks He (sqrt(2/fan_in)) for ReLU-like activations, whose outputs lose half the signal, and Xavier
    (sqrt(1/fan_in)) otherwise; "he", "xavier" and a fixed "std:0.01" can also be asked for by name.
    """
    if weight_init == "auto":
        weight_init = "he" if activation in ("relu", "leaky_relu") else "xavier"
    if weight_init == "he":
        return np.sqrt(2.0 / fan_in)
    if weight_init == "xavier":
        return np.sqrt(1.0 / fan_in)
    if isinstance(weight_init, str) and weight_init.startswith("std:"):
        try:
            std = float(weight_init[4:])
        except ValueError:
            std = -1.0
        if np.isfinite(std) and std > 0:
            return std
    raise ValueError(f"unknown weight init {weight_init!r}: use 'auto', 'he', 'xavier' or 'std:<positive number>'")


def _dtype_name(dtype):
    name = np.dtype(dtype).name
    if name not in DTYPES:
        raise ValueError(f"dtype must be float64 or float32, not {name}")
    return name


class MLP:
    """A multi-layer perceptron: (Affine → activation) per hidden layer, then Affine and SoftmaxWithLoss.

    ``hidden_sizes=[]`` gives a linear softmax classifier. ``weight_decay`` (L2, loss += ½·λ·ΣW²) and ``l1``
    (loss += λ·Σ|W|) act on the weights only, in both the loss and the gradients. ``seed`` fixes the initial
    weights through a private RandomState; ``seed=None`` draws from NumPy's global RNG, as the book does.
    """

    def __init__(
        self,
        input_size,
        hidden_sizes,
        output_size,
        activation="sigmoid",
        weight_init="auto",
        weight_decay=0.0,
        l1=0.0,
        dtype=np.float64,
        seed=None,
        backend="numpy",
    ):
        sizes = [input_size, *hidden_sizes, output_size]
        if any(not isinstance(size, (int, np.integer)) or size < 1 for size in sizes):
            raise ValueError(f"layer sizes must be positive integers, got {sizes}")
        if not (weight_decay >= 0 and l1 >= 0):
            raise ValueError("weight_decay and l1 must be non-negative")
        activations = _activation_list(activation, len(hidden_sizes))
        self._architecture = {
            "input_size": int(input_size),
            "hidden_sizes": [int(size) for size in hidden_sizes],
            "output_size": int(output_size),
            "activation": activations,
            "weight_init": weight_init,
        }
        self.dtype = DTYPES[_dtype_name(dtype)]
        self.weight_decay = float(weight_decay)  # both may change between steps; config follows them
        self.l1 = float(l1)
        self.xp = xp = get_backend(backend)
        rng = np.random if seed is None else np.random.RandomState(seed)

        shapes = list(zip(sizes[:-1], sizes[1:]))
        n_weights = sum(rows * cols for rows, cols in shapes)
        self.flat_params = xp.zeros(n_weights + sum(sizes[1:]), dtype=self.dtype)
        self.flat_grads = xp.zeros_like(self.flat_params)
        self.weights = self.flat_params[:n_weights]
        self.weight_grads = self.flat_grads[:n_weights]

        self.layers = []
        self._param_parts = []  # (slice of the flat vector, shape) of each of ``params``, in its order
        w_start, b_start = 0, n_weights
        for index, (rows, cols) in enumerate(shapes):
            is_output = index == len(shapes) - 1
            scale_for = activations[index] if not is_output else (activations[-1] if activations else "identity")
            w_end, b_end = w_start + rows * cols, b_start + cols
            W = self.flat_params[w_start:w_end].reshape(rows, cols)
            b = self.flat_params[b_start:b_end]
            W[...] = xp.asarray(init_std(weight_init, scale_for, rows) * rng.randn(rows, cols))
            affine = Affine(W, b, input_grad=index > 0)
            affine.grads = [
                self.flat_grads[w_start:w_end].reshape(rows, cols),
                self.flat_grads[b_start:b_end],
            ]
            self.layers.append(affine)
            self._param_parts += [(slice(w_start, w_end), (rows, cols)), (slice(b_start, b_end), (cols,))]
            if not is_output:
                self.layers.append(ACTIVATIONS[activations[index]]())
            w_start, b_start = w_end, b_end
        self.loss_layer = SoftmaxWithLoss()

        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def __repr__(self):
        """``MLP(2 → 10 sigmoid → 3, float64)``: each hidden layer's width and activation, in order."""
        config = self._architecture
        hidden = [f"{size} {name}" for size, name in zip(config["hidden_sizes"], config["activation"])]
        sizes = " → ".join([str(config["input_size"]), *hidden, str(config["output_size"])])
        return f"{type(self).__name__}({sizes}, {np.dtype(self.dtype).name})"

    @property
    def config(self):
        """The constructor's arguments (less seed and backend): what ``nnlib.io`` saves to rebuild the model."""
        return {
            **self._architecture,
            "weight_decay": self.weight_decay,
            "l1": self.l1,
            "dtype": np.dtype(self.dtype).name,
        }

    def astype(self, dtype, backend=None):
        """An MLP with the same architecture and weights, in ``dtype`` (and on ``backend``, "numpy" or "cupy",
        if given): the float32/float64 switch, and a model's way between the CPU and a GPU."""
        copy = MLP(**{**self.config, "dtype": dtype}, seed=0, backend=backend or self.xp.__name__)
        copy.flat_params[...] = copy.xp.asarray(
            to_numpy(self.flat_params) if copy.xp is not self.xp else self.flat_params
        )
        return copy

    def predict(self, x):
        """Class scores (logits); inputs are cast to the model's dtype and backend."""
        x = self.xp.asarray(x, dtype=self.dtype)
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def predict_proba(self, x):
        return softmax(self.predict(x))

    def predict_with_hidden(self, x):
        """Class probabilities and each hidden layer's outputs (after its activation), from one forward pass:
        the playground draws the decision regions and every neuron's map from the same pass over the grid."""
        x = self.xp.asarray(x, dtype=self.dtype)
        hidden = []
        for layer in self.layers:
            x = layer.forward(x)
            if not isinstance(layer, Affine):
                hidden.append(x)
        return softmax(x), hidden

    def forward(self, x, t):
        return self.loss_layer.forward(self.predict(x), t) + self.penalty()

    def penalty(self):
        """The regularisation's part of the loss: ½·λ·ΣW² for L2 (``weight_decay``) plus λ·Σ|W| for L1, 0 without."""
        penalty = 0.0
        if self.weight_decay:
            penalty += 0.5 * self.weight_decay * self.xp.vdot(self.weights, self.weights)
        if self.l1:
            penalty += self.l1 * self.xp.abs(self.weights).sum()
        return penalty

    def backward(self, dout=1):
        """Fill ``grads`` (returns None: the first layer skips the gradient of the data, which needs none)."""
        scale = dout
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        self.penalty_backward(scale)

    def penalty_backward(self, dout=1):
        """Add the penalty's gradient to the weights' gradients, which ``backward`` has just filled."""
        if self.weight_decay:
            self.weight_grads += (self.weight_decay * dout) * self.weights
        if self.l1:
            self.weight_grads += (self.l1 * dout) * self.xp.sign(self.weights)

    def param_views(self, flat):
        """``flat``, a vector laid out as ``flat_params`` is (an optimizer's state for the whole model, say), as
        arrays shaped like ``params`` (each layer's W and b), views into it."""
        return [flat[part].reshape(shape) for part, shape in self._param_parts]


class TwoLayerNet(MLP):
    """The book's chapter-1 network: Affine → Sigmoid → Affine → SoftmaxWithLoss, weights 0.01·randn, zero biases.

    Like the book it draws the weights from NumPy's global RNG, so ``np.random.seed(...)`` before building it
    reproduces the book's runs; ``seed`` draws them from a private RandomState instead.
    """

    def __init__(self, input_size, hidden_size, output_size, seed=None, backend="numpy"):
        super().__init__(input_size, [hidden_size], output_size, "sigmoid", "std:0.01", seed=seed, backend=backend)


def named_params(model):
    """(name, array) for every parameter, named by layer index and role: ``layers.0.W``, ``layers.0.b``, ..."""
    for index, layer in enumerate(model.layers):
        for position, param in enumerate(layer.params):
            role = ("W", "b")[position] if position < 2 else str(position)
            yield f"layers.{index}.{role}", param
