"""What stops a run by itself: a divergence (its weights put back and the reason kept) and the targets the
user set."""

import numpy as np

from playground.i18n import Message
from playground.recipe import make_optimizer

# a loss this many times the run's first (or a uniform guess's, if that is more) is no learning: it only grows
# from there (RMSprop at lr 10 reached 5e8)
EXPLODED = 100


class Guards:
    """Part of ``Session`` (core.py): its checks after training, which pause the run and say why."""

    def _keep_finite_weights(self):
        """Copy the weights before a tick's training, to put back should it diverge (once a tick: ~1 ms for
        8 × 256); False, with the run paused, if the last step already left them non-finite."""
        with np.errstate(over="ignore", invalid="ignore"):
            finite = bool(np.isfinite(self.model.flat_params).all())
        if finite:
            self._finite_weights = (self.trainer.step_count, self.model.flat_params.copy())
        else:
            self._diverged(self.trainer.step_count)
        return finite

    def _exploded_loss(self):
        """The training loss past which a run has diverged though it is still a finite number."""
        return EXPLODED * max(self.history["train_loss"][0], np.log(self.data.classes))

    def _reached_target(self):
        """Pause as the run crosses the epoch or training loss the user asked to stop at; playing again goes on."""
        settings, losses = self.settings, self.history["train_loss"]
        if settings.stop_epoch and self.trainer.current_epoch == settings.stop_epoch:
            self.notice = Message("Reached epoch {epoch:,}, the epoch to stop at: paused.", epoch=settings.stop_epoch)
        elif settings.stop_loss and len(losses) > 1 and losses[-1] <= settings.stop_loss < losses[-2]:
            self.notice = Message(
                "The training loss reached {loss:.4f} (target {target:g}) at epoch {epoch:,}: paused.",
                loss=losses[-1],
                target=settings.stop_loss,
                epoch=self.trainer.current_epoch,
            )
        else:
            return False
        self.playing = False
        return True

    def _diverged(self, step, loss=None):
        """Pause with the last finite weights (from before the tick that diverged), to look at or download, and
        a fresh optimizer, whose state (momenta, Adam's moments) is likely no longer finite either. ``loss``: the
        finite loss that exploded, if it was one."""
        kept, weights = self._finite_weights
        self.model.flat_params[...] = weights
        self.optimizer = self.trainer.optimizer = make_optimizer(self.settings)
        self.trainer.apply_schedule()
        limit = self._exploded_loss()
        if len(self.history["step"]) > 1 and not self.history["train_loss"][-1] <= limit:
            for values in self.history.values():  # the epoch ended on the diverged weights; the first row stays
                values.pop()
        self.no_script = Message(
            "No Python script for this run: it diverged, and the page put back earlier weights, which a script "
            "would not do."
        )
        self.playing = False
        why = (
            Message("the loss is no longer a finite number")
            if loss is None or not np.isfinite(loss)
            else Message("the loss grew to {loss:,.0f}, over {times} times where it started", loss=loss, times=EXPLODED)
        )
        self.message = Message(
            "Training diverged at step {step} ({why}): paused, with the weights of step {kept} put back. Lower the "
            "learning rate and press Reset.",
            step=step,
            why=why,
            kept=kept,
        )
