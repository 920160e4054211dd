"""nnlib.metrics: the loss and accuracy the playground records, from a model's class scores."""

import numpy as np
import pytest

from nnlib.datasets import spiral
from nnlib.metrics import loss_and_accuracy
from nnlib.models import TwoLayerNet


def test_equal_scores_cost_the_log_of_the_class_count_and_the_top_score_decides_the_accuracy():
    scores = np.array([[0.0, 0.0, 0.0], [5.0, 5.0, 5.0], [0.0, 9.0, 1.0], [3.0, 0.0, 0.0]])
    t = np.eye(3)[[0, 1, 1, 2]]  # a tie goes to the first class: right for row 0, wrong for row 1
    loss, accuracy = loss_and_accuracy(scores, t)
    assert accuracy == 0.5
    log_y = scores - np.log(np.exp(scores).sum(axis=1, keepdims=True))
    assert loss == pytest.approx(-(log_y * t).sum() / 4, rel=1e-15)
    assert loss_and_accuracy(scores[:2], t[:2])[0] == pytest.approx(np.log(3), rel=1e-15)


def test_it_is_the_models_own_loss_without_a_penalty():
    x, t = spiral.load_data()
    model = TwoLayerNet(2, 10, 3, seed=0)
    loss, _ = loss_and_accuracy(model.predict(x), t)
    assert loss == model.forward(x, t)
