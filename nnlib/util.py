"""Helpers of the book's ``common/util.py`` that training needs."""

from nnlib.backend import array_module


def clip_grads(grads, max_norm):
    """Scale all gradients down together when their global L2 norm exceeds ``max_norm`` (against exploding steps)."""
    total_norm = sum(float(array_module(g).vdot(g, g)) for g in grads) ** 0.5
    rate = max_norm / (total_norm + 1e-6)
    if rate < 1:
        for grad in grads:
            grad *= rate


def _tied_transposed(a, b):
    """True when ``b`` is ``a`` stored transposed (weight tying between an embedding and an output layer)."""
    return a.ndim == 2 and b.ndim == 2 and a.T.shape == b.shape and bool((b == a.T).all())


def remove_duplicate(params, grads):
    """Merge parameters that layers share and add up their gradients, so a shared weight is updated once."""
    params, grads = list(params), list(grads)
    i = 0
    while i < len(params):
        j = i + 1
        while j < len(params):
            if params[i] is params[j]:
                grads[i] += grads[j]
            elif _tied_transposed(params[i], params[j]):
                grads[i] += grads[j].T
            else:
                j += 1
                continue
            del params[j], grads[j]
        i += 1
    return params, grads
