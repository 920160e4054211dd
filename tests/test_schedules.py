"""nnlib.schedules and the Trainer's use of them: exact rates per epoch, applied as each epoch starts."""

import math

import numpy as np
import pytest

from nnlib.models import MLP
from nnlib.optimizers import SGD
from nnlib.schedules import CosineDecay, StepDecay
from nnlib.trainer import Trainer


def test_step_decay_halves_every_n_epochs():
    schedule = StepDecay(every=3, factor=0.5)
    assert [schedule(0.8, epoch) for epoch in range(8)] == [0.8, 0.8, 0.8, 0.4, 0.4, 0.4, 0.2, 0.2]


def test_cosine_decay_runs_from_the_base_rate_to_the_floor_and_stays():
    schedule = CosineDecay(epochs=4, floor=0.1)
    rates = [schedule(1.0, epoch) for epoch in range(7)]
    assert rates[0] == 1.0 and rates[2] == pytest.approx(0.55) and rates[4:] == [pytest.approx(0.1)] * 3
    assert rates[1] == pytest.approx(0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi / 4)))
    assert all(later < earlier for earlier, later in zip(rates[:4], rates[1:5]))


@pytest.mark.parametrize("bad", [lambda: StepDecay(every=0), lambda: StepDecay(factor=0), lambda: CosineDecay(0),
                                 lambda: CosineDecay(floor=1.5)])  # fmt: skip
def test_nonsense_schedules_are_refused(bad):
    with pytest.raises(ValueError):
        bad()


def small_run(schedule=None, rates=None, epochs=6):
    """Six epochs of 4 steps on fixed data, with a schedule or with rates set by hand before each epoch."""
    x = np.random.default_rng(0).normal(size=(40, 2))
    t = np.eye(3)[np.arange(40) % 3]
    model = MLP(2, [5], 3, seed=1)
    trainer = Trainer(model, SGD(lr=0.5), seed=2, schedule=schedule)
    trainer.set_data(x, t, batch_size=10)
    seen = []
    for epoch in range(epochs):
        if rates is not None:
            trainer.optimizer.lr = rates[epoch]
        seen.append(trainer.optimizer.lr)  # the rate this epoch trains at
        trainer.train_steps(4)
    return model.flat_params.copy(), seen


def test_the_trainer_sets_the_rate_of_each_epoch_before_it_starts():
    params, seen = small_run(StepDecay(every=2, factor=0.5))
    assert seen == [0.5, 0.5, 0.25, 0.25, 0.125, 0.125]
    by_hand, _ = small_run(rates=seen)
    np.testing.assert_array_equal(params, by_hand)


def test_a_new_base_rate_acts_at_once_through_apply_schedule():
    trainer = Trainer(MLP(2, [3], 2, seed=0), SGD(lr=1.0), schedule=StepDecay(every=1, factor=0.5))
    trainer.current_epoch = 3
    trainer.base_lr = 0.8
    trainer.apply_schedule()
    assert trainer.optimizer.lr == 0.1
