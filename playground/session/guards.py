"""What stops a run by itself: a divergence (its weights put back and the reason kept) and the targets the
user set."""

import time

import numpy as np

from playground.i18n import Message
from playground.recipe import make_optimizer

# a loss this many times the run's first (or a guess's, ``guessed_loss``, if that is more) is no learning: it only
# grows from there (RMSprop at lr 10 reached 5e8)
EXPLODED = 100


def guessed_loss(data, regression):
    """The loss of a guess that knows nothing: a uniform one over the classes, or, for a ``regression``, 0 at
    every point (½·mean t², over the training targets)."""
    if regression:
        return 0.5 * float(np.mean(np.square(data.t_train))) if len(data.t_train) else 0.0
    return float(np.log(data.classes))


UNSEEN_STOP_SECONDS = 1.0  # a stop shows on the page within this (its frame, then a page run)


class Guards:
    """A run's guards, held by its session as ``session.guards`` (one per run: ``Session._start`` makes them):
    the checks around training that pause the run and say why. They read the session's run and, stopping it,
    change it: its weights, optimizer, history, playing state and messages."""

    def __init__(self, session):
        self.session = session
        self.finite_weights = (0, session.model.flat_params.copy())  # (step, weights) to put back after a divergence
        self.stopped_at = None  # when the run last paused by itself (time.monotonic), or None

    def keep_finite_weights(self):
        """Copy the weights before a tick's training, to put back should it diverge (once a tick: ~1 ms for
        8 × 256); False, with the run paused, if the last step already left them non-finite."""
        session = self.session
        with np.errstate(over="ignore", invalid="ignore"):
            finite = bool(np.isfinite(session.model.flat_params).all())
        if finite:
            self.finite_weights = (session.trainer.step_count, session.model.flat_params.copy())
        else:
            self.diverged(session.trainer.step_count)
        return finite

    def exploded_loss(self):
        """The training loss past which a run has diverged though it is still a finite number."""
        session = self.session
        return EXPLODED * max(session.history["train_loss"][0], guessed_loss(session.data, session.settings.regression))

    def reached_target(self):
        """Pause as the run crosses the epoch or training loss the user asked to stop at; playing again goes on."""
        session = self.session
        settings, losses, epoch = session.settings, session.history["train_loss"], session.trainer.current_epoch
        if settings.stop_epoch and epoch == settings.stop_epoch:
            session.notice = Message(
                "Reached epoch {epoch:,}, the epoch to stop at: paused.", epoch=settings.stop_epoch
            )
        elif settings.stop_loss and len(losses) > 1 and losses[-1] <= settings.stop_loss < losses[-2]:
            session.notice = Message(
                "The training loss reached {loss:.4f} (target {target:g}) at epoch {epoch:,}: paused.",
                loss=losses[-1],
                target=settings.stop_loss,
                epoch=epoch,
            )
        else:
            return False
        self.stop()
        return True

    def stop(self):
        """Pause the run by itself, noting when: a Play sent before the page could show the stop is not obeyed."""
        self.session.playing = False
        self.stopped_at = time.monotonic()

    def stopped_just_now(self):
        """Whether the run paused itself so recently that a Play arriving now was sent before anyone saw it: the
        Play that started it, say, still on its way with a page run when the run diverged at its first steps."""
        return self.stopped_at is not None and time.monotonic() - self.stopped_at < UNSEEN_STOP_SECONDS

    def diverged(self, step, loss=None):
        """Pause with the last finite weights (from before the tick that diverged), to look at or download, and
        a fresh optimizer, whose state (momenta, Adam's moments) is likely no longer finite either. ``loss``: the
        finite loss that exploded, if it was one."""
        session = self.session
        kept, weights = self.finite_weights
        where = blown_layer(session.model, weights)
        session.model.flat_params[...] = weights
        session.optimizer = session.trainer.optimizer = make_optimizer(session.settings)
        session.trainer.apply_schedule()
        history = session.history
        if len(history["step"]) > 1 and not history["train_loss"][-1] <= self.exploded_loss():
            for values in history.values():  # the epoch ended on the diverged weights; the first row stays
                values.pop()
        session.no_script = Message(
            "No Python script for this run: it diverged, and the page put back earlier weights, which a script "
            "would not do."
        )
        self.stop()
        why = (
            Message("the loss is no longer a finite number")
            if loss is None or not np.isfinite(loss)
            else Message("the loss grew to {loss:,.0f}, over {times} times where it started", loss=loss, times=EXPLODED)
        )
        session.message = Message(
            "Training diverged at step {step} ({why}): paused, with the weights of step {kept} put back. {where} "
            "Lower the learning rate and press Reset.",
            step=step,
            why=why,
            kept=kept,
            where=where,
        )


def blown_layer(model, weights_before):
    """Where a diverging step's values blew up, in words: the first layer whose outputs its forward pass left
    non-finite (each Affine layer keeps its input, the previous layer's output, for its backward pass, and the loss
    layer the output layer's, as probabilities), else the layer whose weights grew most since ``weights_before``
    (a vector laid out as ``flat_params``)."""
    affines = model.layers[0::2]
    names = [Message("hidden layer {layer}", layer=number) for number in range(1, len(affines))]
    names.append(Message("the output layer"))
    outputs = [layer.x for layer in affines[1:]] + [model.loss_layer.y]
    for name, values in zip(names, outputs):
        if values is not None and not np.isfinite(values).all():
            return Message("It blew up in {layer}: its outputs overflowed to inf or NaN.", layer=name)
    with np.errstate(over="ignore", invalid="ignore"):
        before = [np.abs(W).max() for W in model.param_views(weights_before)[0::2]]
        after = [np.nan_to_num(np.abs(layer.params[0]).max(), nan=np.inf) for layer in affines]
        growth = [now / max(then, np.finfo(float).tiny) for now, then in zip(after, before)]
    layer = int(np.argmax(growth))
    if not np.isfinite(after[layer]):
        return Message("It blew up in {layer}: its weights are no longer finite numbers.", layer=names[layer])
    return Message(
        "It blew up in {layer}: its largest weight went from {before:.3g} to {after:.3g}.",
        layer=names[layer],
        before=before[layer],
        after=after[layer],
    )
