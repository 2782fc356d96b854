"""The one backward pass of the core: gradients of any loss of a :class:`ReluNet`'s outputs.

For a net with layers ``z_i = a_{i-1} W_i^T + b_i`` (rows are samples), ``a_0 = x``,
``a_i = relu(z_i)`` for the hidden layers and ``y = z_L``, and a loss ``L`` whose gradient
``G = dL/dy`` (n, out) the caller supplies, the chain rule runs from the output back::

    dL/dz_L = G
    dL/dW_i = (dL/dz_i)^T a_{i-1}       dL/db_i = sum over the rows of dL/dz_i
    dL/da_{i-1} = dL/dz_i W_i           dL/dz_{i-1} = dL/da_{i-1} * relu'(z_{i-1})

The loss stays with the caller: the mean squared error of hinge fitting passes
``G = 2 (y - target) / n``, the classifier's cross-entropy on logits passes
``G = (sigmoid(y) - label) / n``. Example, the gradient of ``mean(y^2) / 2``::

    t = net.trace(X)  # the forward pass, kept
    grads = backprop(net, t, t.output / len(X))
    grads.weights[0]  # dL/dW_1, shaped like net.weights[0]

:func:`packed` gives a net whose arrays are views into one flat vector, so an optimiser
can update that vector with ``grads.flat()`` (same order) and the net follows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import numpy as np

from .activations import relu_grad
from .network import ReluNet, Trace

N = TypeVar("N")  # a net type: ReluNet, or another dataclass with weights and biases


@dataclass(frozen=True)
class Gradients:
    """``dL/dW_i`` and ``dL/db_i`` for every layer, shaped like the net's arrays.

    ``pre`` holds ``dL/dz_i`` per sample for every layer (n, width_i), the last being the
    ``dL/dy`` that was passed in; ``inputs`` is ``dL/dx`` (n, in) when it was asked for.
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    pre: tuple[np.ndarray, ...]
    inputs: np.ndarray | None = None

    @property
    def layers(self) -> list[tuple[np.ndarray, np.ndarray]]:
        """``(dW_i, db_i)`` per layer, input layer first."""
        return list(zip(self.weights, self.biases, strict=True))

    def flat(self) -> np.ndarray:
        """Every gradient in one vector, ordered ``W_1, b_1, W_2, b_2, ...`` (as :func:`packed`)."""
        return np.concatenate([g.ravel() for layer in self.layers for g in layer])


def backprop(
    net: ReluNet,
    x,
    dL_dy,
    *,
    wrt_inputs: bool = False,
    activation_grad: Callable[[np.ndarray], np.ndarray] = relu_grad,
) -> Gradients:
    """Gradients of a loss with respect to every weight and bias of ``net``.

    ``x`` is the batch, or ``net.trace(batch)`` to reuse the forward pass the loss already
    needed; ``dL_dy`` is the loss's gradient with respect to the outputs, (n, out), or (n,)
    for a one-output net. ``wrt_inputs=True`` also returns ``dL/dx``. At a kink
    (``z = 0``) the unit counts as closed: its gradient there is 0.

    Another activation on the hidden layers: pass any net with ``weights``, ``biases`` and
    a ``trace(x)`` that applies it, and its derivative as ``activation_grad`` (a function
    of the pre-activations), e.g. ``lambda z: 1 - np.tanh(z) ** 2``.
    """
    t = x if isinstance(x, Trace) else net.trace(x)
    g = np.asarray(dL_dy, dtype=float)
    n_out = net.weights[-1].shape[0]
    g = g.reshape(-1, n_out) if g.ndim == 1 and n_out == 1 else g
    if g.shape != t.output.shape:
        raise ValueError(f"dL/dy has shape {g.shape}, the outputs {t.output.shape}")
    below = (t.inputs, *t.post)  # a_{i-1}: what layer i reads
    dW, db, dz = [], [], [g]
    for i in range(len(net.weights) - 1, -1, -1):
        dW.append(g.T @ below[i])
        db.append(g.sum(axis=0))
        if i == 0 and not wrt_inputs:
            break
        g = g @ net.weights[i]  # dL/da_{i-1}
        if i > 0:
            g = g * activation_grad(t.pre[i - 1])  # dL/dz_{i-1}
            dz.append(g)
    return Gradients(
        tuple(reversed(dW)),
        tuple(reversed(db)),
        tuple(reversed(dz)),
        g if wrt_inputs else None,
    )


def packed(net: N) -> tuple[np.ndarray, N]:
    """A flat copy ``theta`` of the parameters (``W_1, b_1, W_2, b_2, ...``) and a net whose
    arrays are views into it: updating ``theta`` in place (an optimiser stepping on
    ``Gradients.flat()``) updates the net. Copy the net (:meth:`ReluNet.copy`) to keep a
    snapshot. Works for any dataclass net with ``weights`` and ``biases`` fields (its other
    fields are kept)."""
    arrays = [a for layer in zip(net.weights, net.biases, strict=True) for a in layer]
    theta = np.concatenate([a.ravel() for a in arrays])
    views, start = [], 0
    for a in arrays:
        views.append(theta[start : start + a.size].reshape(a.shape))
        start += a.size
    return theta, dataclasses.replace(net, weights=tuple(views[0::2]), biases=tuple(views[1::2]))
