"""A weight or a bias set by hand, as TensorFlow Playground lets one do while paused (and Google's course asks
for: "click on the faint line … enter the weight 1.0"): the regions, the neurons and the loss then show what the
network computes with it. Training goes on from it; Reset goes back to the seed's weights."""

import numpy as np

from playground.i18n import Message

LARGEST_VALUE = 1e4  # a hand-set weight beyond this only saturates or overflows what it feeds


def edit_parameter(session, layer, row, column, value):
    """Set the ``layer``-th Affine layer's weight W[row, column], or with ``row`` None its bias b[column], to
    ``value``; raise ValueError, saying why, for a value or a place the network does not have, or a run that is
    not paused. The last history row is measured again: it is this step's, with these weights."""
    if session.playing or session.slow_step is not None:
        raise ValueError(Message("pause (and leave slow motion) to set a weight"))
    value = float(value)
    if not (np.isfinite(value) and abs(value) <= LARGEST_VALUE):
        raise ValueError(Message("a weight from -{largest:,} to {largest:,}", largest=int(LARGEST_VALUE)))
    affines = session.model.layers[0::2]
    W, b = affines[layer].params if 0 <= layer < len(affines) else (None, None)
    if W is None or not (0 <= column < W.shape[1] and (row is None or 0 <= row < W.shape[0])):
        raise ValueError(Message("the network has no such weight"))
    if row is None:
        b[column] = value
    else:
        W[row, column] = value
    session.measure_again()
    session.no_script = Message(
        "No Python script for this run: a weight was set by hand, which a script starting from the seed would not do."
    )
