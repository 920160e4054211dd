"""float16 the book's way (1.5.1): weights files kept in half precision, and training in it measured against float32.

Files: each net is trained on the book's spiral, saved with ``save_params`` in its own dtype and with
``dtype=np.float16``, and loaded back; the table gives each file's size and the accuracy and loss on the 300 points
before the round trip and after it. Training: the same net, from the same initial weights, built of nnlib's layers
on float32 arrays and on float16 ones, trains the same steps; the table gives the steps per second and the final
accuracy and loss (nnlib's own MLP, which trains float32 and float64 only, is the first row).

Run: ``python -m bench.float16`` (under a minute).
"""

import io
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.textbook import Net
from bench.train_speed import machine
from nnlib.datasets import spiral
from nnlib.io import load_model, save_params
from nnlib.layers import Affine, SoftmaxWithLoss
from nnlib.models import MLP, TwoLayerNet
from nnlib.optimizers import SGD
from nnlib.trainer import Trainer

EPOCHS, BATCH = 300, 30


def book_net():
    """ch01/train.py's net: drawn from NumPy's global RNG right after the book's load_data seeds it."""
    spiral.load_data(global_rng=True)
    return TwoLayerNet(2, 10, 3), 1.0


def relu_net():
    return MLP(2, [64, 64], 3, "relu", dtype=np.float32, seed=0), 0.1


NETS = {"book TwoLayerNet 2-10-3 sigmoid, float64": book_net, "MLP 2-64-64-3 ReLU, float32": relu_net}


class LayerNet(Net):
    """``model``'s layers on their own arrays of ``dtype``, float16 included, trained through the Trainer's path
    for book-style models (``params``/``grads`` lists): the same code for float16 and float32. Its forward and
    backward are the book's model's (``bench.textbook.Net``), its layers nnlib's."""

    def __init__(self, model, dtype):
        self.dtype = dtype
        self.layers = [
            Affine(*(param.astype(dtype) for param in layer.params)) if layer.params else type(layer)()
            for layer in model.layers
        ]
        self.loss_layer = SoftmaxWithLoss()
        self.params = [param for layer in self.layers for param in layer.params]
        self.grads = [grad for layer in self.layers for grad in layer.grads]

    def predict(self, x):
        return super().predict(np.asarray(x, dtype=self.dtype))


def accuracy_and_loss(model, x, t):
    accuracy = float((model.predict(x).argmax(axis=1) == t.argmax(axis=1)).mean())
    return accuracy, float(model.forward(np.asarray(x, dtype=model.dtype), t))


def train(model, lr, x, t):
    """Train ``model`` with the book's settings, seeded; return its steps per second."""
    trainer = Trainer(model, SGD(lr=lr), seed=0)
    trainer.set_data(x, t, BATCH)
    start = time.perf_counter()
    steps = trainer.train_steps(EPOCHS * trainer.iterations_per_epoch)
    return len(steps) / (time.perf_counter() - start)


def file_bytes(model, dtype=None):
    buffer = io.BytesIO()
    save_params(model, buffer, dtype)
    return buffer.getvalue()


def main():
    print(f"machine: {machine()}")
    print(f"each net: SGD, batch {BATCH}, {EPOCHS} epochs on the book's 300 points; accuracy and loss on them\n")
    x, t = spiral.load_data()
    print("| net | file | bytes | accuracy before → after | loss before → after |\n|---|---|---:|---:|---:|")
    for name, make in NETS.items():
        model, lr = make()
        train(model, lr, x, t)
        accuracy, loss = accuracy_and_loss(model, x, t)
        for dtype in (None, np.float16):
            data = file_bytes(model, dtype)
            loaded = load_model(io.BytesIO(data))
            accuracy_after, loss_after = accuracy_and_loss(loaded, x, t)
            label = f"{np.dtype(dtype or model.dtype).name}, loaded as {np.dtype(loaded.dtype).name}"
            print(
                f"| {name} | {label} | {len(data):,} | {accuracy:.1%} → {accuracy_after:.1%} "
                f"| {loss:.7f} → {loss_after:.7f} |"
            )
    print("\n| net | training | steps/s | accuracy | loss |\n|---|---|---:|---:|---:|")
    for name, make in NETS.items():
        model, lr = make()
        contenders = {
            "nnlib's MLP, float32": model.astype(np.float32),
            "layers, float32": LayerNet(model, np.float32),
            "layers, float16": LayerNet(model, np.float16),
        }
        for label, contender in contenders.items():
            speed = train(contender, lr, x, t)
            accuracy, loss = accuracy_and_loss(contender, x, t)
            print(f"| {name} | {label} | {speed:,.0f} | {accuracy:.1%} | {loss:.4f} |")


if __name__ == "__main__":
    main()
