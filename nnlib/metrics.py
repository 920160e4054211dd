"""How good a model's outputs are: for classes, the mean cross-entropy and the accuracy against one-hot labels; for
a regression, the loss, R² and RMSE against the targets."""

from nnlib.backend import array_module
from nnlib.layers import IdentityWithLoss, SoftmaxWithLoss


def loss_and_accuracy(scores, t):
    """Mean cross-entropy of ``scores`` (a model's ``predict``) against one-hot labels ``t``, as the loss layer
    computes it and without the model's regularisation penalty, and the share of rows whose top score is the
    label's class."""
    t = array_module(scores).asarray(t)
    loss = SoftmaxWithLoss().forward(scores, t)
    return float(loss), float((scores.argmax(axis=1) == t.argmax(axis=1)).mean())


def _targets(y, t):
    """The targets ``t`` in the shape and dtype of the predictions ``y``: (N,) fits (N, 1)."""
    return array_module(y).asarray(t, dtype=y.dtype).reshape(y.shape)


def r2_score(y, t):
    """The coefficient of determination: 1 − Σ(y − t)² / Σ(t − mean t)², each output's mean its own. 1 is a perfect
    fit, 0 no better than always predicting the mean, and below 0 worse; NaN where the targets do not vary (it
    has nothing to compare with)."""
    xp, t = array_module(y), _targets(y, t)
    errors, spread = y - t, t - t.mean(axis=0)
    total = float(xp.vdot(spread, spread))
    return 1.0 - float(xp.vdot(errors, errors)) / total if total else float("nan")


def rmse(y, t):
    """The root of the mean squared error over every output of every row, in the targets' own units."""
    xp, errors = array_module(y), y - _targets(y, t)
    return float(xp.sqrt(xp.vdot(errors, errors) / errors.size))


def rmse_from_loss(loss):
    """The RMSE of a one-output regression from its loss, IdentityWithLoss's ½·mean squared error: √(2·loss)."""
    return (2 * loss) ** 0.5


def loss_and_r2(outputs, t):
    """A regression's loss (IdentityWithLoss's ½·mean squared error, without the model's penalty) and R², as the
    playground records them each epoch."""
    return float(IdentityWithLoss().forward(outputs, t)), r2_score(outputs, t)
