"""The network options the page offers beyond the book's: zero initial weights, and dropout per hidden layer."""

import numpy as np

from playground.links import from_query, to_query
from playground.session import Session
from playground.settings import Settings

# --- zero init ----------------------------------------------------------------------------------------------------


def test_zero_init_trains_but_every_hidden_layer_stays_symmetric():
    session = Session(Settings(init="zero", hidden=(4, 3)))
    assert not session.model.flat_params.any()  # every weight and bias 0
    session.step_to(300)
    assert session.latest()["train_loss"] < 0.95 < session.history["train_loss"][0]  # it learns something
    for affine in session.model.layers[0:-1:2]:  # each hidden layer's Affine: its neurons' columns are one column
        weights, bias = affine.params
        assert np.abs(weights).max() > 0.1
        np.testing.assert_array_equal(weights, np.repeat(weights[:, :1], weights.shape[1], axis=1))
        np.testing.assert_array_equal(bias, np.full_like(bias, bias[0]))
    drawn = Session(Settings(hidden=(4, 3)))  # the book's random init: neurons that differ
    drawn.step_to(300)
    assert np.abs(np.diff(drawn.model.layers[0].params[0], axis=1)).max() > 0.01


def test_zero_init_goes_into_the_link_and_back():
    settings, notices = from_query({"init": "zero", "hidden": "4"})
    assert settings.init == "zero" and settings.hidden == (4,) and notices == []
    assert to_query(settings)["init"] == "zero"
