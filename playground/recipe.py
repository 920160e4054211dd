"""Settings → the nnlib objects of a run: its model, optimizer, schedule and penalties. The session builds
with these, and the exported script restates what they do."""

import numpy as np

from nnlib import optimizers
from nnlib.models import MLP
from nnlib.schedules import CosineDecay, StepDecay

HYPER_PARAMETERS = ("momentum", "decay_rate", "beta1", "beta2")


def precision_of(settings):
    """(dtype, backend) of the precision setting."""
    dtype = np.float64 if settings.precision == "float64" else np.float32
    return dtype, "cupy" if settings.precision == "cupy" else "numpy"


def make_model(settings, input_size, classes):
    """The settings' network with the initial weights of its seed: ``classes`` outputs, or a regression's one."""
    weight_decay, l1 = penalties(settings)
    dtype, backend = precision_of(settings)
    return MLP(
        input_size,
        list(settings.hidden),
        classes,
        list(settings.activations),
        settings.init,
        weight_decay=weight_decay,
        l1=l1,
        dtype=dtype,
        seed=settings.seed,
        backend=backend,
        dropout=list(settings.dropout_rates),
        loss="mse" if settings.regression else "softmax",
    )


def make_schedule(settings):
    """The learning-rate schedule (see nnlib.schedules), or None for a constant rate."""
    if settings.schedule == "step":
        return StepDecay(every=settings.schedule_epochs, factor=0.5)
    if settings.schedule == "cosine":
        return CosineDecay(epochs=settings.schedule_epochs)
    return None


def make_optimizer(settings):
    optimizer = getattr(optimizers, settings.optimizer)()
    set_hyper_parameters(optimizer, settings)
    return optimizer


def set_hyper_parameters(optimizer, settings):
    """Copy lr and whichever of momentum, decay_rate, beta1, beta2 the optimizer has; its state stays."""
    optimizer.lr = settings.learning_rate
    for name in HYPER_PARAMETERS:
        if hasattr(optimizer, name):
            setattr(optimizer, name, getattr(settings, name))


def penalties(settings):
    """(weight_decay, l1) for the model, from the regularisation choice and rate."""
    return (
        settings.reg_rate if settings.regularization == "L2" else 0.0,
        settings.reg_rate if settings.regularization == "L1" else 0.0,
    )
