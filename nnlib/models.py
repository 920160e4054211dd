"""Models: the book's ``TwoLayerNet`` and ``MLP``, its generalisation to any depth, width and activation.

All parameters of a model are views into one flat vector (and all gradients into another), weights first.
The layers still see ordinary ``W`` and ``b`` arrays, but the trainer can update, clip and regularise the whole
model with a handful of NumPy calls instead of a handful per layer — which is what makes small nets fast.
"""

import numpy as np

from nnlib.backend import get_backend, to_numpy
from nnlib.functions import softmax
from nnlib.layers import (
    Affine,
    Dropout,
    Identity,
    IdentityWithLoss,
    LeakyReLU,
    ReLU,
    Sigmoid,
    Softmax,
    SoftmaxWithLoss,
    Tanh,
)

ACTIVATIONS = {
    "sigmoid": Sigmoid,
    "tanh": Tanh,
    "relu": ReLU,
    "leaky_relu": LeakyReLU,
    "identity": Identity,
    "softmax": Softmax,  # as a hidden activation, the classic mistake of the chapter-1 lab
}
DTYPES = {"float64": np.float64, "float32": np.float32}
# the output's loss: classes by softmax and cross-entropy, or a regression's values by the squared error
LOSSES = {"softmax": SoftmaxWithLoss, "mse": IdentityWithLoss}


def _activation_list(activation, n_hidden):
    names = [activation] * n_hidden if isinstance(activation, str) else list(activation)
    if len(names) != n_hidden:
        raise ValueError(f"got {len(names)} activations for {n_hidden} hidden layers: give one name or one per layer")
    for name in names:
        if name not in ACTIVATIONS:
            raise ValueError(f"unknown activation {name!r}: choose one of {', '.join(ACTIVATIONS)}")
    return names


def dropout_rates(dropout, n_hidden):
    """One dropout rate per hidden layer, from None (no dropout), one rate for all, or one per layer."""
    if dropout is None:
        dropout = 0.0
    rates = [dropout] * n_hidden if isinstance(dropout, (int, float)) else list(dropout)
    if len(rates) != n_hidden:
        raise ValueError(f"got {len(rates)} dropout rates for {n_hidden} hidden layers: give one rate or one per layer")
    if not all(isinstance(rate, (int, float)) and 0 <= rate < 1 for rate in rates):
        raise ValueError(f"dropout rates must be numbers from 0 to below 1, got {rates}")
    return [float(rate) for rate in rates]


def init_std(weight_init, activation, fan_in):
    """Standard deviation of a layer's initial weights.

    "auto" picks He (sqrt(2/fan_in)) for ReLU-like activations, whose outputs lose half the signal, and Xavier
    (sqrt(1/fan_in)) otherwise; "he", "xavier" and a fixed "std:0.01" can also be asked for by name, and "zero"
    (every weight 0: all neurons of a hidden layer then compute, and learn, the same thing).
    """
    if weight_init == "zero":
        return 0.0
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
    raise ValueError(
        f"unknown weight init {weight_init!r}: use 'auto', 'he', 'xavier', 'zero' or 'std:<positive number>'"
    )


def _dtype_name(dtype):
    name = np.dtype(dtype).name
    if name not in DTYPES:
        raise ValueError(f"dtype must be float64 or float32, not {name}")
    return name


class MLP:
    """A multi-layer perceptron: (Affine → activation) per hidden layer, then Affine and SoftmaxWithLoss.

    ``hidden_sizes=[]`` gives a linear softmax classifier. ``loss="mse"`` makes a regression instead: the output
    layer's values are the prediction, and IdentityWithLoss's squared error the loss. ``weight_decay`` (L2, loss
    += ½·λ·ΣW²) and ``l1`` (loss += λ·Σ|W|) act on the weights only, in both the loss and the gradients.
    ``dropout``, a rate for every hidden layer or one per layer, puts the book's Dropout after that layer's
    activation: ``forward`` (training) drops, ``predict`` does not (its ``train_flg``). ``seed`` fixes the
    initial weights and the dropout masks through a private RandomState (``rng``); ``seed=None`` draws both from
    NumPy's global RNG, as the book does.
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
        loss="softmax",
        dropout=None,
    ):
        sizes = [input_size, *hidden_sizes, output_size]
        if any(not isinstance(size, (int, np.integer)) or size < 1 for size in sizes):
            raise ValueError(f"layer sizes must be positive integers, got {sizes}")
        if not (weight_decay >= 0 and l1 >= 0):
            raise ValueError("weight_decay and l1 must be non-negative")
        activations = _activation_list(activation, len(hidden_sizes))
        rates = dropout_rates(dropout, len(hidden_sizes))
        if loss not in LOSSES:
            raise ValueError(f"unknown loss {loss!r}: choose one of {', '.join(LOSSES)}")
        self._architecture = {
            "input_size": int(input_size),
            "hidden_sizes": [int(size) for size in hidden_sizes],
            "output_size": int(output_size),
            "activation": activations,
            "weight_init": weight_init,
            "loss": loss,
            "dropout": rates,
        }
        self.dtype = DTYPES[_dtype_name(dtype)]
        self.weight_decay = float(weight_decay)  # both may change between steps; config follows them
        self.l1 = float(l1)
        self.xp = xp = get_backend(backend)
        self.rng = rng = np.random if seed is None else np.random.RandomState(seed)

        shapes = list(zip(sizes[:-1], sizes[1:]))
        n_weights = sum(rows * cols for rows, cols in shapes)
        self.flat_params = xp.zeros(n_weights + sum(sizes[1:]), dtype=self.dtype)
        self.flat_grads = xp.zeros_like(self.flat_params)
        self.weights = self.flat_params[:n_weights]
        self.weight_grads = self.flat_grads[:n_weights]

        self.layers = []
        self.dropouts = {}  # index in ``layers`` of a hidden activation -> the Dropout that follows it
        self._param_parts = []  # (slice of the flat vector, shape) of each of ``params``, in its order
        w_start, b_start = 0, n_weights
        for index, (rows, cols) in enumerate(shapes):
            is_output = index == len(shapes) - 1
            scale_for = activations[index] if not is_output else (activations[-1] if activations else "identity")
            w_end, b_end = w_start + rows * cols, b_start + cols
            W = self.flat_params[w_start:w_end].reshape(rows, cols)
            b = self.flat_params[b_start:b_end]
            std = init_std(weight_init, scale_for, rows)
            if std:  # "zero" leaves the zeros
                W[...] = xp.asarray(std * rng.randn(rows, cols))
            affine = Affine(W, b, input_grad=index > 0)
            affine.grads = [
                self.flat_grads[w_start:w_end].reshape(rows, cols),
                self.flat_grads[b_start:b_end],
            ]
            self.layers.append(affine)
            self._param_parts += [(slice(w_start, w_end), (rows, cols)), (slice(b_start, b_end), (cols,))]
            if not is_output:
                self.layers.append(ACTIVATIONS[activations[index]]())
                if rates[index]:
                    self.dropouts[len(self.layers) - 1] = Dropout(rates[index], rng)
            w_start, b_start = w_end, b_end
        self.loss_layer = LOSSES[loss]()
        # the backward pass's order, each Dropout before the activation it follows: listed once, not sought per step
        self._backward_layers = []
        for index, layer in enumerate(self.layers):
            self._backward_layers[:0] = [layer, self.dropouts[index]] if index in self.dropouts else [layer]

        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def __repr__(self):
        """``MLP(2 → 10 sigmoid → 3, float64)``: each hidden layer's width and activation (and dropout rate, if
        any), in order, and a regression's loss (``MLP(2 → 8 tanh dropout 0.2 → 1 mse, float64)``)."""
        config = self._architecture
        hidden = [
            f"{size} {name}" + (f" dropout {rate:g}" if rate else "")
            for size, name, rate in zip(config["hidden_sizes"], config["activation"], config["dropout"])
        ]
        output = str(config["output_size"]) + ("" if config["loss"] == "softmax" else f" {config['loss']}")
        sizes = " → ".join([str(config["input_size"]), *hidden, output])
        return f"{type(self).__name__}({sizes}, {np.dtype(self.dtype).name})"

    @property
    def is_regression(self):
        """Whether the outputs are a regression's values (``loss="mse"``) rather than class scores."""
        return self._architecture["loss"] == "mse"

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
        copy.rng.set_state(self.rng.get_state())  # the same dropout masks from here on
        return copy

    def predict(self, x, train_flg=False):
        """The output layer's values: class scores (logits), or a regression's predictions. Inputs are cast to the
        model's dtype and backend. ``train_flg=True`` drops out as training does."""
        x = self.xp.asarray(x, dtype=self.dtype)
        if self.dropouts:
            return self._outputs(x, train_flg)[-1]
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def _outputs(self, x, train_flg):
        """Each of ``layers``' outputs, from one pass in which a hidden layer's Dropout follows its activation."""
        outputs = []
        for index, layer in enumerate(self.layers):
            outputs.append(layer.forward(x))
            x = self.dropouts[index].forward(outputs[-1], train_flg) if index in self.dropouts else outputs[-1]
        return outputs

    def predict_proba(self, x):
        if self.is_regression:
            raise ValueError("a regression's outputs are its predictions (predict), not class probabilities")
        return softmax(self.predict(x))

    def predict_with_hidden(self, x):
        """Class probabilities (a regression's predictions) and each hidden layer's outputs (after its activation,
        before any dropout), from one forward pass without dropping: the playground draws the decision regions
        and every neuron's map from the same pass over the grid."""
        outputs = self._outputs(self.xp.asarray(x, dtype=self.dtype), train_flg=False)
        return (outputs[-1] if self.is_regression else softmax(outputs[-1])), outputs[1::2]

    def forward(self, x, t):
        """The training pass (dropout on): the loss, regularisation included, kept for ``backward``."""
        return self.loss_layer.forward(self.predict(x, train_flg=True), t) + self.penalty()

    def loss(self, x, t):
        """The loss of ``(x, t)`` as a prediction sees it: no dropout, no penalty, and nothing kept for a backward
        pass (a fresh loss layer): the mean cross-entropy, or a regression's ½·mean squared error."""
        return float(type(self.loss_layer)().forward(self.predict(x), self.xp.asarray(t)))

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
        for layer in self._backward_layers:
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
