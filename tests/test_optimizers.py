"""Each optimizer against updates computed by hand, over two steps (so their state matters)."""

import math

import numpy as np
import pytest

from nnlib.optimizers import SGD, AdaGrad, Adam, Momentum, Nesterov, RMSprop

GRADS = (0.5, -0.25)  # the gradient of a one-element parameter at step 1 and step 2
START = 1.0


def by_hand_sgd(lr):
    w = START
    for g in GRADS:
        w -= lr * g
    return w


def by_hand_momentum(lr, momentum):
    w, v = START, 0.0
    for g in GRADS:
        v = momentum * v - lr * g
        w += v
    return w


def by_hand_nesterov(lr, momentum):
    w, v = START, 0.0
    for g in GRADS:
        v = momentum * v - lr * g
        w += momentum * momentum * v - (1 + momentum) * lr * g
    return w


def by_hand_adagrad(lr):
    w, h = START, 0.0
    for g in GRADS:
        h += g * g
        w -= lr * g / (math.sqrt(h) + 1e-7)
    return w


def by_hand_rmsprop(lr, decay_rate):
    w, h = START, 0.0
    for g in GRADS:
        h = decay_rate * h + (1 - decay_rate) * g * g
        w -= lr * g / (math.sqrt(h) + 1e-7)
    return w


def by_hand_adam(lr, beta1, beta2):
    w, m, v = START, 0.0, 0.0
    for step, g in enumerate(GRADS, start=1):
        m += (1 - beta1) * (g - m)
        v += (1 - beta2) * (g * g - v)
        lr_t = lr * math.sqrt(1 - beta2**step) / (1 - beta1**step)
        w -= lr_t * m / (math.sqrt(v) + 1e-7)
    return w


CASES = [
    (SGD(lr=0.1), by_hand_sgd(0.1)),
    (Momentum(lr=0.1, momentum=0.9), by_hand_momentum(0.1, 0.9)),
    (Nesterov(lr=0.1, momentum=0.8), by_hand_nesterov(0.1, 0.8)),
    (AdaGrad(lr=0.1), by_hand_adagrad(0.1)),
    (RMSprop(lr=0.1, decay_rate=0.9), by_hand_rmsprop(0.1, 0.9)),
    (Adam(lr=0.1, beta1=0.8, beta2=0.99), by_hand_adam(0.1, 0.8, 0.99)),
]


@pytest.mark.parametrize(("optimizer", "expected"), CASES, ids=lambda case: type(case).__name__)
def test_two_steps_match_the_hand_computed_update(optimizer, expected):
    param = np.array([START])
    for g in GRADS:
        optimizer.update([param], [np.array([g])])
    assert param[0] == pytest.approx(expected, rel=1e-12)


def test_defaults_are_the_books():
    assert SGD().lr == Momentum().lr == Nesterov().lr == AdaGrad().lr == RMSprop().lr == 0.01
    assert Momentum().momentum == Nesterov().momentum == 0.9
    assert RMSprop().decay_rate == 0.99
    adam = Adam()
    assert (adam.lr, adam.beta1, adam.beta2) == (0.001, 0.9, 0.999)


@pytest.mark.parametrize("make", [Momentum, Nesterov, AdaGrad, RMSprop, Adam])
def test_changing_lr_between_steps_keeps_the_state(make):
    """Halving lr after the first step must equal an optimizer that had the smaller lr in its second step."""
    changed, param = make(lr=0.2), np.array([START, -START])
    changed.update([param], [np.array([0.5, 0.5])])
    state = {key: value for key, value in vars(changed).items() if key != "lr"}
    changed.lr = 0.1
    assert all(vars(changed)[key] is value for key, value in state.items())  # no reset
    changed.update([param], [np.array([-0.25, -0.25])])

    reference, expected = make(lr=0.2), np.array([START, -START])
    reference.update([expected], [np.array([0.5, 0.5])])
    reference.lr = 0.1
    reference.update([expected], [np.array([-0.25, -0.25])])
    np.testing.assert_array_equal(param, expected)
    fresh = np.array([START, -START])
    make(lr=0.1).update([fresh], [np.array([-0.25, -0.25])])
    assert not np.array_equal(param, fresh)


@pytest.mark.parametrize("make", [SGD, Momentum, Nesterov, AdaGrad, RMSprop, Adam])
def test_updates_are_in_place_and_keep_float32(make):
    param = np.ones((2, 3), dtype=np.float32)
    original = param
    make(lr=0.1).update([param], [np.full((2, 3), 0.5, dtype=np.float32)])
    assert param is original and param.dtype == np.float32
    assert (param < 1).all()


def test_an_optimizer_names_its_hyper_parameters_not_its_state():
    adam = Adam(lr=0.01)
    adam.update([np.ones(2)], [np.ones(2)])  # a step: moments and a step count, none of them in the name
    assert repr(adam) == "Adam(lr=0.01, beta1=0.9, beta2=0.999)"
    assert repr(RMSprop()) == "RMSprop(lr=0.01, decay_rate=0.99)"
    assert repr(SGD(lr=1.0)) == "SGD(lr=1)"
