"""MLP and TwoLayerNet: gradients over random architectures, the book's structure, dtypes, seeds."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.gradcheck import gradient_check
from nnlib.layers import Affine, Sigmoid, SoftmaxWithLoss
from nnlib.models import ACTIVATIONS, MLP, TwoLayerNet, init_std, named_params

TOLERANCE = {np.float64: 1e-5, np.float32: 1e-4}


def keep_off_kinks(model, rng):
    """Central differences are meaningless across a kink: L1's |w| at w = 0, ReLU at 0. Keep weights away from
    0, and give biases random values, so that a dead unit's zero output does not put the next layer exactly at
    ReLU's kink (zero-initialised biases would)."""
    small = np.abs(model.weights) < 1e-2
    model.weights[small] = np.where(model.weights[small] >= 0, 1e-2, -1e-2)
    biases = model.flat_params[model.weights.size :]
    biases[...] = rng.choice([-1, 1], biases.size) * rng.uniform(0.05, 0.5, biases.size)


@settings(derandomize=True, deadline=None, max_examples=60)
@given(
    hidden=st.lists(st.integers(1, 6), min_size=0, max_size=3),
    activation=st.sampled_from(sorted(ACTIVATIONS)),
    mixed=st.booleans(),
    weight_decay=st.sampled_from([0.0, 0.1]),
    l1=st.sampled_from([0.0, 0.05]),
    dtype=st.sampled_from([np.float64, np.float32]),
    classes=st.integers(2, 4),
    seed=st.integers(0, 10_000),
)
def test_mlp_gradients_match_numerical(hidden, activation, mixed, weight_decay, l1, dtype, classes, seed):
    rng = np.random.RandomState(seed)
    activations = [sorted(ACTIVATIONS)[(i + seed) % len(ACTIVATIONS)] for i in range(len(hidden))]
    model = MLP(
        3,
        hidden,
        classes,
        activations if mixed else activation,
        weight_decay=weight_decay,
        l1=l1,
        dtype=dtype,
        seed=seed,
    )
    keep_off_kinks(model, rng)
    x = rng.randn(5, 3)
    t = np.eye(classes, dtype=int)[rng.randint(0, classes, 5)]
    errors = gradient_check(model, x, t)
    assert set(errors) == {name for name, _ in named_params(model)}
    assert max(errors.values()) < TOLERANCE[dtype], errors


def test_gradient_check_catches_a_wrong_backward(monkeypatch):
    model = MLP(2, [4], 3, "tanh", seed=0)
    x, t = np.random.RandomState(1).randn(6, 2), np.array([0, 1, 2, 0, 1, 2])
    assert max(gradient_check(model, x, t).values()) < 1e-6
    monkeypatch.setattr(type(model.layers[1]), "backward", lambda self, dout: dout)  # forgets tanh's slope
    assert max(gradient_check(model, x, t).values()) > 0.05


def test_gradient_check_leaves_parameters_untouched():
    model = MLP(2, [3], 2, seed=0)
    before = model.flat_params.copy()
    gradient_check(model, np.ones((2, 2)), np.array([0, 1]))
    np.testing.assert_array_equal(model.flat_params, before)


def test_two_layer_net_is_the_books():
    """Affine → Sigmoid → Affine → SoftmaxWithLoss, W = 0.01·randn from the global RNG, zero biases."""
    np.random.seed(7)
    model = TwoLayerNet(2, 10, 3)
    np.random.seed(7)
    W1, W2 = 0.01 * np.random.randn(2, 10), 0.01 * np.random.randn(10, 3)
    assert [type(layer) for layer in model.layers] == [Affine, Sigmoid, Affine]
    assert isinstance(model.loss_layer, SoftmaxWithLoss)
    np.testing.assert_array_equal(model.params[0], W1)
    np.testing.assert_array_equal(model.params[2], W2)
    assert not model.params[1].any() and not model.params[3].any()
    assert [p.shape for p in model.params] == [g.shape for g in model.grads] == [(2, 10), (10,), (10, 3), (3,)]


def test_params_and_grads_are_views_of_the_flat_vectors():
    model = MLP(2, [5, 4], 3, seed=0)
    model.flat_params[:] = np.arange(model.flat_params.size)
    assert sum(p.size for p in model.params) == model.flat_params.size
    assert all(np.shares_memory(p, model.flat_params) for p in model.params)
    assert all(np.shares_memory(g, model.flat_grads) for g in model.grads)
    np.testing.assert_array_equal(np.concatenate([p.ravel() for p in model.params[0::2]]), model.weights)


def test_seed_fixes_weights_and_leaves_the_global_rng_alone():
    np.random.seed(123)
    state = np.random.get_state()
    first, second = MLP(2, [8, 8], 3, "relu", seed=5), MLP(2, [8, 8], 3, "relu", seed=5)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]
    np.testing.assert_array_equal(first.flat_params, second.flat_params)
    assert not np.array_equal(first.flat_params, MLP(2, [8, 8], 3, "relu", seed=6).flat_params)


def test_float32_end_to_end():
    model = MLP(2, [8], 3, "relu", dtype=np.float32, seed=0)
    x, t = np.random.RandomState(0).randn(4, 2), np.eye(3, dtype=int)[[0, 1, 2, 0]]
    loss = model.forward(x, t)
    model.backward()
    assert loss.dtype == np.float32
    assert model.predict(x).dtype == model.predict_proba(x).dtype == np.float32
    assert all(p.dtype == np.float32 for p in model.params + model.grads)


@pytest.mark.parametrize(
    ("activation", "expected"),
    [("relu", np.sqrt(2 / 16)), ("leaky_relu", np.sqrt(2 / 16)), ("sigmoid", np.sqrt(1 / 16)), ("tanh", 0.25)],
)
def test_auto_init_is_he_for_relu_and_xavier_otherwise(activation, expected):
    assert init_std("auto", activation, 16) == pytest.approx(expected)
    model = MLP(400, [300], 2, activation, seed=0)
    assert model.params[0].std() == pytest.approx(np.sqrt((2 if "relu" in activation else 1) / 400), rel=0.02)


def test_named_init_and_regularisation_in_the_loss():
    model = MLP(2, [3], 2, "identity", weight_init="std:0.5", weight_decay=0.2, l1=0.1, seed=0)
    x, t = np.ones((1, 2)), np.array([1])
    plain = MLP(2, [3], 2, "identity", weight_init="std:0.5", seed=0)
    penalty = 0.5 * 0.2 * np.sum(model.weights**2) + 0.1 * np.abs(model.weights).sum()
    assert model.forward(x, t) == pytest.approx(plain.forward(x, t) + penalty)


def test_predict_proba_rows_are_distributions():
    model = MLP(2, [6, 6], 4, "tanh", seed=1)
    proba = model.predict_proba(np.random.RandomState(0).randn(50, 2))
    assert proba.shape == (50, 4)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_linear_classifier_and_per_layer_activations():
    assert [type(layer) for layer in MLP(2, [], 3).layers] == [Affine]
    model = MLP(2, [4, 4, 4], 3, ["sigmoid", "relu", "identity"])
    assert [type(layer).__name__ for layer in model.layers[1::2]] == ["Sigmoid", "ReLU", "Identity"]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"activation": "softplus"}, "unknown activation"),
        ({"activation": ["relu"]}, "1 activations for 2 hidden layers"),
        ({"weight_init": "std:-1"}, "unknown weight init"),
        ({"weight_init": "glorot"}, "unknown weight init"),
        ({"dtype": np.int32}, "float64 or float32"),
        ({"hidden_sizes": [4, 0]}, "positive integers"),
        ({"weight_decay": -0.1}, "non-negative"),
        ({"backend": "tpu"}, "unknown backend"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    arguments = {"input_size": 2, "hidden_sizes": [4, 4], "output_size": 3} | kwargs
    with pytest.raises(ValueError, match=message):
        MLP(**arguments)


def test_gradient_check_on_a_sample_of_a_wide_net():
    """A seeded sample of each large parameter: still catches a wrong backward pass, at a fraction of the work."""
    model = MLP(2, [64, 64], 3, "tanh", seed=0)
    rng = np.random.RandomState(0)
    x, t = rng.randn(8, 2), rng.randint(0, 3, 8)
    calls = []
    forward = model.forward
    model.forward = lambda *args: calls.append(1) or forward(*args)
    errors = gradient_check(model, x, t, max_elements=20)
    assert max(errors.values()) < 1e-5
    sizes = [min(param.size, 20) for param in model.params]
    assert len(calls) == 1 + 2 * sum(sizes)
    model.forward = forward
    original = type(model.layers[1]).backward
    type(model.layers[1]).backward = lambda self, dout: dout
    try:
        assert max(gradient_check(model, x, t, max_elements=20).values()) > 0.05
    finally:
        type(model.layers[1]).backward = original


def test_predict_with_hidden_gives_the_probabilities_and_every_hidden_layers_outputs():
    model = MLP(2, [5, 4], 3, ["tanh", "relu"], seed=3)
    x = np.random.default_rng(0).normal(size=(7, 2))
    probabilities, hidden = model.predict_with_hidden(x)
    np.testing.assert_allclose(probabilities, model.predict_proba(x))
    first = np.tanh(x @ model.layers[0].params[0] + model.layers[0].params[1])
    second = np.maximum(first @ model.layers[2].params[0] + model.layers[2].params[1], 0)
    assert [layer.shape for layer in hidden] == [(7, 5), (7, 4)]
    np.testing.assert_allclose(hidden[0], first)
    np.testing.assert_allclose(hidden[1], second)
    assert MLP(2, [], 3, seed=0).predict_with_hidden(x)[1] == []


def test_a_model_says_what_it_is():
    model = MLP(2, [6, 4], 3, activation=["relu", "tanh"], dtype=np.float32, seed=0)
    assert repr(model) == "MLP(2 → 6 relu → 4 tanh → 3, float32)"
    assert repr(model.layers) == "[Affine(2×6, 6), ReLU(), Affine(6×4, 4), Tanh(), Affine(4×3, 3)]"
    assert repr(TwoLayerNet(2, 10, 3)) == "TwoLayerNet(2 → 10 sigmoid → 3, float64)"
    assert repr(MLP(2, [], 3)) == "MLP(2 → 3, float64)"


@pytest.mark.parametrize(("weight_decay", "l1"), [(0.0, 0.0), (0.2, 0.0), (0.0, 0.1)])
def test_the_penalty_is_its_own_part_of_the_loss_and_of_the_gradient(weight_decay, l1):
    """``penalty``/``penalty_backward`` are what ``forward``/``backward`` add to the data's loss and gradients,
    so a step can be shown a layer at a time, the penalty apart."""
    model = MLP(2, [3], 2, "tanh", weight_init="std:0.5", weight_decay=weight_decay, l1=l1, seed=0)
    plain = MLP(2, [3], 2, "tanh", weight_init="std:0.5", seed=0)
    x, t = np.random.RandomState(0).randn(4, 2), np.array([1, 0, 1, 1])
    W = model.weights
    assert model.penalty() == pytest.approx(0.5 * weight_decay * np.sum(W**2) + l1 * np.abs(W).sum(), rel=1e-15)
    assert model.forward(x, t) == plain.forward(x, t) + model.penalty()
    model.backward()
    plain.backward()
    np.testing.assert_array_equal(
        model.weight_grads,
        plain.weight_grads + weight_decay * W + l1 * np.sign(W) if (weight_decay or l1) else plain.weight_grads,
    )
    np.testing.assert_array_equal(model.flat_grads[W.size :], plain.flat_grads[W.size :])  # the biases': none


def test_param_views_read_a_whole_model_vector_layer_by_layer():
    model = MLP(3, [4, 2], 2, seed=0)
    numbered = np.arange(model.flat_params.size, dtype=float)
    views = model.param_views(numbered)
    assert [view.shape for view in views] == [param.shape for param in model.params]
    for param, view in zip(model.params, views):
        param[...] = view
    np.testing.assert_array_equal(model.flat_params, numbered)  # each view is where its parameter lies
    assert all(np.shares_memory(view, numbered) for view in views)
