"""Chapter 1 of the book, one step at a time: each function computes one step with nnlib and returns what the lab
page shows. No Streamlit here; the page prints each function's own source beside its result, so the code a
reader sees is the code that ran.
"""

import numpy as np

from nnlib.datasets import spiral
from nnlib.functions import sigmoid
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import Affine, MatMul, Repeat, Sigmoid, SoftmaxWithLoss, Sum
from nnlib.messages import Message
from nnlib.models import MLP, TwoLayerNet
from nnlib.optimizers import SGD
from nnlib.trainer import Trainer


def matrix_product(rows, inner_x, inner_w, columns, seed=0):
    """x (rows × inner_x) · W (inner_w × columns): only defined when the inner sizes agree."""
    rng = np.random.default_rng(seed)
    x, W = rng.normal(size=(rows, inner_x)), rng.normal(size=(inner_w, columns))
    try:
        return {"shape": np.dot(x, W).shape, "error": None}
    except ValueError:
        return {"shape": None, "error": not_aligned(x.shape, W.shape)}


def not_aligned(x_shape, w_shape):
    """NumPy's own words for shapes that cannot be multiplied, as a Message the page can say in Korean too."""
    return Message(
        "shapes {x} and {W} not aligned: {inner_x} (dim 1) != {inner_w} (dim 0)",
        x=str(x_shape).replace(" ", ""),
        W=str(w_shape).replace(" ", ""),
        inner_x=x_shape[1],
        inner_w=w_shape[0],
    )


def broadcasting(rows, columns, seed=0):
    """x (rows × columns) + b (columns,): NumPy repeats b down the rows, as if it were (rows × columns) too."""
    rng = np.random.default_rng(seed)
    x, b = rng.integers(0, 10, size=(rows, columns)), rng.integers(0, 10, size=columns)
    return {"x": x, "b": b, "x + b": x + b, "b repeated": np.tile(b, (rows, 1))}


def forward_pass(batch, hidden, seed=0):
    """A mini-batch of 2-D points through Affine → Sigmoid → Affine: scores, one row per point."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(batch, 2))
    W1, b1 = rng.normal(size=(2, hidden)), rng.normal(size=hidden)
    W2, b2 = rng.normal(size=(hidden, 3)), rng.normal(size=3)
    h = Affine(W1, b1).forward(x)
    a = Sigmoid().forward(h)
    s = Affine(W2, b2).forward(a)
    return {"x": x, "h": h, "a": a, "s": s, "a by formula": sigmoid(h)}


def node_gradients(rows=4, columns=3, seed=0):
    """Each node's backward against central differences: the worst relative error of each gradient."""
    rng = np.random.default_rng(seed)
    nodes = {
        "Repeat": (Repeat(rows), rng.normal(size=(1, columns))),
        "Sum": (Sum(), rng.normal(size=(rows, columns))),
        "MatMul": (MatMul(rng.normal(size=(columns, 2))), rng.normal(size=(rows, columns))),
    }
    errors = {}
    for name, (node, x) in nodes.items():
        upstream = rng.normal(size=node.forward(x).shape)
        errors.update(check_node(name, node, x, upstream))
    return errors


def check_node(name, node, x, upstream):
    """The scalar checked is L = Σ out · upstream, so dL/dx is exactly node.backward(upstream)."""

    def loss():
        return float((node.forward(x) * upstream).sum())

    node.forward(x)
    errors = {f"{name}: dx": relative_error(node.backward(upstream), numerical_gradient(loss, x))}
    for param, grad in zip(node.params, node.grads):
        errors[f"{name}: dW"] = relative_error(grad.copy(), numerical_gradient(loss, param))
    return errors


def softmax_with_loss_gradient(batch=5, classes=3, seed=0):
    """Softmax and cross-entropy together have the simplest gradient of the chapter: (y − t) / N."""
    rng = np.random.default_rng(seed)
    scores = rng.normal(size=(batch, classes))
    t = np.eye(classes)[rng.integers(0, classes, size=batch)]
    layer = SoftmaxWithLoss()
    loss = layer.forward(scores, t)
    analytic = layer.backward()
    numeric = numerical_gradient(lambda: layer.forward(scores, t), scores)
    return {
        "loss": float(loss),
        "(y − t) / N": analytic,
        "numerical": numeric,
        "relative error": relative_error(analytic, numeric),
    }


def sgd_step(lr=1.0, seed=1984):
    """One step of the book's TwoLayerNet on 30 spiral points: W ← W − lr · dL/dW lowers the loss."""
    x, t = spiral.load_data()
    batch = np.random.default_rng(seed).choice(len(x), 30, replace=False)
    model = TwoLayerNet(2, 10, 3, seed=seed)
    before = model.forward(x[batch], t[batch])
    model.backward()
    SGD(lr).update(model.params, model.grads)
    after = model.forward(x[batch], t[batch])
    return {"loss before": float(before), "loss after": float(after)}


def hidden_softmax_mistake(epochs=150, seed=1984):
    """The classic slip: Softmax as the *hidden* activation. Its outputs sum to 1, so ten neurons start out all
    near 0.1 and pass the next layer almost nothing to tell the points apart: the loss sits at ln 3 ≈ 1.10
    for dozens of epochs. The same net with Sigmoid, same seed, learns right away."""
    x, t = spiral.load_data()
    losses = {}
    for activation in ("softmax", "sigmoid"):
        model = MLP(2, [10], 3, activation, "std:0.01", seed=seed)
        trainer = Trainer(model, SGD(lr=1.0), seed=seed)
        trainer.set_data(x, t, batch_size=30)
        losses[activation] = []
        for _ in range(epochs):
            trainer.train_steps(trainer.iterations_per_epoch)
            losses[activation].append(float(SoftmaxWithLoss().forward(model.predict(x), t)))
    return losses


def epochs_stuck(losses, below=1.05):
    """Epochs before the loss first falls below ``below``: how long it sat at about ln 3 ≈ 1.10, a blind guess
    among three classes."""
    return next((epoch for epoch, loss in enumerate(losses) if loss < below), len(losses))
