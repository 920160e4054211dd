"""Gradient checking: compare backpropagation with central differences of the loss.

Backpropagation is fast but easy to get subtly wrong; a numerical gradient is slow but hard to get wrong.
When the two agree to many digits, the backward passes are right.
"""

import numpy as np

from nnlib.backend import to_numpy
from nnlib.models import named_params


def default_eps(dtype):
    """The step that balances truncation (∝ eps²) against rounding (∝ machine-eps / eps): machine-eps^(1/3)."""
    return float(np.finfo(dtype).eps) ** (1 / 3)


def numerical_gradient(f, x, eps=None, indices=None):
    """Central-difference gradient of the scalar ``f()`` with respect to the array ``x``.

    ``x`` is changed in place one element at a time (and restored), so ``f`` reads it wherever it is used —
    as a layer's or a model's parameter, or as an input array. ``indices`` (index tuples) limits the work
    to those elements; the others are left 0.
    """
    eps = default_eps(x.dtype) if eps is None else eps
    grad = np.zeros(x.shape, dtype=np.float64)
    for index in np.ndindex(x.shape) if indices is None else indices:
        original = x[index].copy()
        x[index] = original + eps
        step_up = float(x[index] - original)  # the step actually taken, after rounding to x's dtype
        loss_up = float(f())
        x[index] = original - eps
        step_down = float(original - x[index])
        loss_down = float(f())
        x[index] = original
        grad[index] = (loss_up - loss_down) / (step_up + step_down)
    return grad


def relative_error(analytic, numeric):
    """The worst element's error, relative to the larger gradient: max|a − n| / (max|a| + max|n|).

    Dividing by the gradient's scale rather than by each element keeps entries that are zero, or nearly so,
    from turning rounding noise into huge relative errors.
    """
    analytic = to_numpy(analytic).astype(np.float64)
    numeric = to_numpy(numeric).astype(np.float64)
    scale = np.abs(analytic).max(initial=0.0) + np.abs(numeric).max(initial=0.0)
    if scale == 0:
        return 0.0
    return float(np.abs(analytic - numeric).max() / scale)


def sample_indices(shape, max_elements, rng):
    """Up to ``max_elements`` distinct index tuples of an array of ``shape``, or None for all of them."""
    size = int(np.prod(shape))
    if max_elements is None or size <= max_elements:
        return None
    return [np.unravel_index(flat, shape) for flat in np.sort(rng.choice(size, max_elements, replace=False))]


def gradient_check(model, x, t, eps=None, max_elements=None, seed=0):
    """The relative error of each parameter's backpropagated gradient, as ``{"layers.0.W": 3e-10, ...}``.

    A float32 MLP's gradients are compared with central differences taken on a float64 copy of it, so the
    figure measures its backward pass rather than float32 rounding in the differences. Expect 1e-6 or less
    (float32 rounding shows up there as 1e-7 to 1e-6); a wrong backward pass gives 1e-2 and up. Kinks (ReLU
    at 0, L1 at w = 0) within ``eps`` of a value also show up as large errors. ``max_elements`` checks a
    seeded sample of that many elements of each larger parameter, which keeps wide nets quick to check.
    A model with dropout (``model.dropouts``) draws its masks from ``model.rng``: every pass here starts from the
    same RNG state, so all of them drop the same neurons, and the RNG is left as it was found.
    The model is left unchanged.
    """
    replayed = model.rng.get_state() if getattr(model, "dropouts", None) else None
    model.forward(x, t)
    model.backward()
    analytic = [to_numpy(grad).copy() for grad in model.grads]
    reference = model
    if getattr(model, "dtype", np.float64) != np.float64 and hasattr(model, "astype"):
        reference = model.astype(np.float64)
        x = np.asarray(x, dtype=model.dtype).astype(np.float64)  # the inputs the float32 model saw

    def loss():
        if replayed is not None:
            reference.rng.set_state(replayed)
        return reference.forward(x, t)

    rng = np.random.RandomState(seed)
    errors = {}
    for (name, param), grad in zip(named_params(reference), analytic):
        indices = sample_indices(param.shape, max_elements, rng)
        numeric = numerical_gradient(loss, param, eps, indices)
        if indices is not None:
            chosen = tuple(np.array(indices).T)
            grad, numeric = grad[chosen], numeric[chosen]
        errors[name] = relative_error(grad, numeric)
    if replayed is not None:
        model.rng.set_state(replayed)
    return errors
