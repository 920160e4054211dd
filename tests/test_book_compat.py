"""Code written for the book's common/ package runs on nnlib with only its imports changed.

The first model is the book's chapter-1 two_layer_net.py and the loop its train_custom_loop.py, as a reader
types them: ``from common.layers import ...`` became ``from nnlib.layers import ...`` and so on. The second uses
the rest of chapter 1's ``common/`` the way the book's later models do: a shared weight, dropout, a sigmoid loss,
and the body of the book's ``Trainer.fit`` (``remove_duplicate``, ``clip_grads``).
"""

import numpy as np
import plotly.io as pio
import pytest

from nnlib.datasets import spiral
from nnlib.functions import cross_entropy_error, softmax
from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.layers import Affine, Dropout, Sigmoid, SigmoidWithLoss, SoftmaxWithLoss
from nnlib.optimizers import SGD, Adam
from nnlib.trainer import Trainer, remove_duplicate
from nnlib.util import clip_grads


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


def test_the_books_train_py_as_a_script(monkeypatch, capsys):
    """ch01/train.py as the book has it, but for its imports and load_data's global_rng=True: the book's weights
    (drawn right after load_data seeds NumPy's generator), its Korean log where the locale is Korean, and its
    plot() shown, as a script's plt.show() is."""
    from nnlib.models import TwoLayerNet

    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    monkeypatch.delenv("PYTEST_CURRENT_TEST")  # run as `python train.py`
    shown = []
    monkeypatch.setattr(pio, "show", shown.append)
    np.random.seed(1984)
    np.random.randn(300)  # the book's load_data draws one number per point
    books_W1 = 0.01 * np.random.randn(2, 10)

    max_epoch = 300
    batch_size = 30
    hidden_size = 10
    learning_rate = 1.0

    x, t = spiral.load_data(global_rng=True)
    model = TwoLayerNet(input_size=2, hidden_size=hidden_size, output_size=3)
    np.testing.assert_array_equal(model.params[0], books_W1)
    optimizer = SGD(lr=learning_rate)

    trainer = Trainer(model, optimizer)
    trainer.fit(x, t, max_epoch, batch_size, eval_interval=10)
    figure = trainer.plot()

    log = capsys.readouterr().out.splitlines()
    assert log[0] == "| 에폭 1 |  반복 1 / 10 | 시간 0[s] | 손실 1.10" and len(log) == 300
    assert shown == [figure] and list(figure.data[0].y) == trainer.loss_list
    assert trainer.loss_list[-1] < 0.15


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


class TiedAutoencoder:
    """Encoder and decoder share one weight: the decoder's is W.T (the book's weight tying) or, when the sizes are
    equal and ``transposed=False``, W itself; dropout on the code, a sigmoid loss on every reconstructed bit."""

    def __init__(self, input_size, hidden_size, transposed=True, dropout_ratio=0.1):
        W = 0.5 * np.random.randn(input_size, hidden_size)
        decoder_W = W.T if transposed else W
        self.layers = [Affine(W, np.zeros(hidden_size)), Sigmoid(), Dropout(dropout_ratio)]
        self.layers.append(Affine(decoder_W, np.zeros(input_size)))
        self.loss_layer = SigmoidWithLoss()
        self.params, self.grads = [], []
        for layer in self.layers:
            self.params += layer.params
            self.grads += layer.grads

    def predict(self, x, train_flg=False):
        for layer in self.layers:
            x = layer.forward(x, train_flg) if isinstance(layer, Dropout) else layer.forward(x)
        return x

    def forward(self, x, t):
        score = self.predict(x, train_flg=True)
        self.score_shape = score.shape
        return self.loss_layer.forward(score.flatten(), t.flatten())

    def backward(self, dout=1):
        dout = self.loss_layer.backward(dout).reshape(self.score_shape)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        return dout


def test_the_books_training_step_with_a_tied_weight_learns_the_8_4_8_encoder():
    np.random.seed(0)
    x = np.eye(8)
    model = TiedAutoencoder(8, 4)
    optimizer = Adam(lr=0.05)
    losses = []
    for _ in range(2000):
        losses.append(model.forward(x, x))
        model.backward()
        params, grads = remove_duplicate(model.params, model.grads)  # the body of the book's Trainer.fit
        clip_grads(grads, 5.0)
        optimizer.update(params, grads)
    assert len(params) == 3  # W once, both biases
    assert np.shares_memory(model.layers[3].params[0], model.layers[0].params[0])  # still tied after the updates
    assert losses[0] > 0.5 and np.mean(losses[-100:]) < 0.1
    assert (model.predict(x).argmax(axis=1) == np.arange(8)).all()


def checked_gradients(model, x, dropout_seed):
    """The merged gradients of ``remove_duplicate`` after one step, and the numerical gradient of each merged
    parameter: a shared weight moved in place moves every layer's use of it, the transpose included."""

    def loss():
        np.random.seed(dropout_seed)  # the same dropout mask at every evaluation
        return model.forward(x, x)

    loss()
    model.backward()
    params, grads = remove_duplicate(model.params, model.grads)
    return params, grads, [numerical_gradient(loss, param) for param in params]


@pytest.mark.parametrize("transposed", [True, False], ids=["W and W.T", "W twice"])
def test_remove_duplicate_merges_grads_into_the_shared_weights_gradient(transposed):
    np.random.seed(1)
    model = TiedAutoencoder(5, 3 if transposed else 5, transposed)
    params, grads, numeric = checked_gradients(model, np.random.rand(4, 5), dropout_seed=2)
    assert len(params) == 3 and params[0] is model.layers[0].params[0]  # W once, both biases
    for grad, expected in zip(grads, numeric):
        assert relative_error(grad, expected) < 1e-7


def test_clip_grads_scales_the_numerical_gradient_down_to_max_norm():
    np.random.seed(3)
    model = TiedAutoencoder(6, 4)
    _, grads, numeric = checked_gradients(model, np.random.rand(5, 6), dropout_seed=4)
    norm = np.sqrt(sum((grad**2).sum() for grad in numeric))
    max_norm = norm / 4
    clip_grads(grads, max_norm)
    for grad, expected in zip(grads, numeric):
        assert relative_error(grad, expected * max_norm / (norm + 1e-6)) < 1e-7  # the book's rate, its 1e-6 too
