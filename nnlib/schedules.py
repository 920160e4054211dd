"""Learning-rate schedules: the rate for an epoch, from the base rate.

A schedule is any callable ``schedule(base_lr, epoch) -> lr``; ``Trainer(schedule=...)`` sets the optimizer's
``lr`` from it at the start of every epoch, so the optimizers themselves stay as the book wrote them.
"""

import math


class StepDecay:
    """Multiply the rate by ``factor`` every ``every`` epochs: a staircase, the classic hand-tuned schedule."""

    def __init__(self, every=100, factor=0.5):
        if every < 1 or not 0 < factor <= 1:
            raise ValueError("every must be at least 1 and factor in (0, 1]")
        self.every, self.factor = int(every), factor

    def __call__(self, base_lr, epoch):
        return base_lr * self.factor ** (epoch // self.every)


class CosineDecay:
    """Half a cosine from the base rate down to ``floor`` × it over ``epochs`` epochs, then stay there: big
    steps early, fine ones at the end, with no step size to tune."""

    def __init__(self, epochs=100, floor=0.0):
        if epochs < 1 or not 0 <= floor <= 1:
            raise ValueError("epochs must be at least 1 and floor in [0, 1]")
        self.epochs, self.floor = int(epochs), floor

    def __call__(self, base_lr, epoch):
        progress = min(epoch, self.epochs) / self.epochs
        return base_lr * (self.floor + (1 - self.floor) * 0.5 * (1 + math.cos(math.pi * progress)))
