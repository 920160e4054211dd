"""How good a model's class scores are: the mean cross-entropy and the accuracy against one-hot labels."""

from nnlib.backend import array_module
from nnlib.layers import SoftmaxWithLoss


def loss_and_accuracy(scores, t):
    """Mean cross-entropy of ``scores`` (a model's ``predict``) against one-hot labels ``t``, as the loss layer
    computes it and without the model's regularisation penalty, and the share of rows whose top score is the
    label's class."""
    t = array_module(scores).asarray(t)
    loss = SoftmaxWithLoss().forward(scores, t)
    return float(loss), float((scores.argmax(axis=1) == t.argmax(axis=1)).mean())
