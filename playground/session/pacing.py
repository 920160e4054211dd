"""Training in whole steps to a time budget and a pace: what the live socket's frames take, and a Step's one
step or epoch."""

import time

import numpy as np

MAX_CATCH_UP_SECONDS = 0.25  # after a pause or a slow tick, a capped pace does not rush to catch up


class Pacing:
    """Part of ``Session`` (core.py): how much it trains at a time, and how fast."""

    def steps_allowed(self, steps_per_second):
        """The steps a pace of ``steps_per_second`` allows since the last call (0: no cap): a tick takes them,
        so the pace holds however often the page manages to tick."""
        now = time.perf_counter()
        since_last_tick = min(now - self._last_tick, MAX_CATCH_UP_SECONDS)
        self._last_tick = now
        return max(1, round(steps_per_second * since_last_tick)) if steps_per_second else float("inf")

    def train_for(self, seconds, max_steps=float("inf")):
        """Train in whole steps for up to ``seconds`` and ``max_steps`` (at least one step); returns the steps
        taken. Each chunk is sized from the last one's speed so the budget is not overrun, and ends at an epoch
        boundary, where the epoch's train and test metrics are recorded.
        """
        deadline = time.perf_counter() + seconds
        taken = 0
        if not self.guards.keep_finite_weights():
            return taken
        while taken < max_steps:
            left = deadline - time.perf_counter()
            steps_left = self.trainer.steps_left_in_epoch
            # a network not yet timed takes one step first, so even a huge one cannot overrun the budget blind
            affordable = int(left / self._seconds_per_step) if self._seconds_per_step else 1
            n = max(1, min(steps_left, affordable, max_steps - taken))
            if n == steps_left and n * (self._seconds_per_step or 0) + self._record_seconds > left:
                # the epoch's end, and the metrics it records, would overrun: leave them to the next tick, whose
                # first chunk takes them however long they take
                if n > 1:
                    n -= 1
                elif taken:
                    break
            trained_on = self._train_chunk(n)
            taken += n
            if not trained_on or time.perf_counter() >= deadline or self.hurry:
                break
        self._measure_speed()
        return taken

    def _measure_speed(self):
        """Steps per second of wall-clock time over the last couple of seconds, pauses between ticks included."""
        now = time.perf_counter()
        self._speed_marks = [mark for mark in self._speed_marks if now - mark[0] < 2.0]
        self._speed_marks.append((now, self.trainer.step_count))
        (first_time, first_step), (last_time, last_step) = self._speed_marks[0], self._speed_marks[-1]
        if last_time > first_time:
            self.steps_per_second = (last_step - first_step) / (last_time - first_time)

    def step_to(self, epoch):
        """Pause and train until ``epoch`` is complete, after a divergence too (on from the weights put back): a
        Step's click that arrives twice still steps once."""
        self.pause()
        self.message = None
        while self.trainer.current_epoch < epoch and not self.message:
            self.step_epoch()

    def step_epoch(self):
        """Train to the end of the current epoch (what ``step_to`` repeats)."""
        if self.guards.keep_finite_weights():
            self._train_chunk(max(1, self.trainer.steps_left_in_epoch))

    def step(self):
        """Pause and train one step, one mini-batch and one update (the Step button), after a divergence too (on
        from the weights put back). It records what training records (an epoch's end, a divergence, a target
        reached), and then the step it stopped at, as a Pause does."""
        self.pause()
        self.message = None
        if self.guards.keep_finite_weights():
            self._train_chunk(1)
        self.pause()

    def _train_chunk(self, n):
        """``n`` steps, recording the epoch if one ends; False, with the run paused, once it has diverged or
        reached a target."""
        self.notice = None
        epoch = self.trainer.current_epoch
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is caught by its loss, not a warning
            limit = self.guards.exploded_loss()
            started = time.perf_counter()
            # up to the first step past the exploded loss (NaN too): its layers then still hold what its passes left
            records = self.trainer.train_steps(n, until=lambda record: not record.loss <= limit)
            self._seconds_per_step = max((time.perf_counter() - started) / len(records), 1e-7)
            if np.isfinite(records[-1].loss) and self.trainer.current_epoch != epoch:
                self._record_epoch()  # non-finite weights give a non-finite loss here, or at the next step
                if self.guards.reached_target():
                    return False
        broken = records[-1] if not records[-1].loss <= limit else None
        if broken is None and self.history["train_loss"][-1] <= limit:
            return True
        self.guards.diverged(records[-1].step, broken.loss if broken else None)
        return False
