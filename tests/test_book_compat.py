"""Code written for the book's common/ package runs on nnlib with only its imports changed.

The model below is the book's chapter-1 two_layer_net.py and the loop its train_custom_loop.py, as a reader
types them: ``from common.layers import ...`` became ``from nnlib.layers import ...`` and so on.
"""

import numpy as np

from nnlib.datasets import spiral
from nnlib.functions import cross_entropy_error, softmax
from nnlib.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnlib.optimizers import SGD
from nnlib.trainer import Trainer


class BookTwoLayerNet:
    def __init__(self, input_size, hidden_size, output_size):
        I, H, O = input_size, hidden_size, output_size  # noqa: E741 (the book's names)
        W1 = 0.01 * np.random.randn(I, H)
        b1 = np.zeros(H)
        W2 = 0.01 * np.random.randn(H, O)
        b2 = np.zeros(O)
        self.layers = [Affine(W1, b1), Sigmoid(), Affine(W2, b2)]
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
        score = self.predict(x)
        return self.loss_layer.forward(score, t)

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


def test_the_books_custom_training_loop():
    max_epoch, batch_size, learning_rate = 300, 30, 1.0
    x, t = spiral.load_data()
    np.random.seed(1984)
    model = BookTwoLayerNet(input_size=2, hidden_size=10, output_size=3)
    optimizer = SGD(lr=learning_rate)
    data_size = len(x)
    max_iters = data_size // batch_size
    loss_list = []
    for _epoch in range(max_epoch):
        idx = np.random.permutation(data_size)
        x, t = x[idx], t[idx]
        total_loss = 0
        for iters in range(max_iters):
            batch_x = x[iters * batch_size : (iters + 1) * batch_size]
            batch_t = t[iters * batch_size : (iters + 1) * batch_size]
            loss = model.forward(batch_x, batch_t)
            model.backward()
            optimizer.update(model.params, model.grads)
            total_loss += loss
        loss_list.append(total_loss / max_iters)
    assert loss_list[0] > 1.0 and loss_list[-1] < 0.15
    assert (model.predict(x).argmax(axis=1) == t.argmax(axis=1)).mean() >= 0.95


def test_the_books_model_under_the_trainer_matches_nnlibs_own():
    """The book's hand-built net and nnlib's TwoLayerNet take the same steps from the same seed."""
    from nnlib.models import TwoLayerNet

    x, t = spiral.load_data()
    results = []
    for make in (BookTwoLayerNet, TwoLayerNet):
        np.random.seed(5)
        model = make(2, 10, 3)
        Trainer(model, SGD(lr=1.0)).fit(x, t, max_epoch=20, batch_size=30, eval_interval=None)
        results.append(model.params)
    for book, ours in zip(*results):
        np.testing.assert_allclose(book, ours, rtol=1e-10, atol=1e-12)


def test_the_books_functions():
    y = softmax(np.array([[0.0, np.log(3.0)]]))
    np.testing.assert_allclose(y, [[0.25, 0.75]])
    assert cross_entropy_error(y, np.array([[0, 1]])) == np.float64(-np.log(0.75 + 1e-7))
    np.testing.assert_allclose(softmax(np.array([1.0, 1.0])), [0.5, 0.5])
