"""Activation functions, each written once for the whole core.

``relu`` gates every hidden layer of a :class:`~relu_anim.core.network.ReluNet`;
``relu_grad`` is its derivative, the gate pattern used by the backward pass. ``sigmoid``
turns the classifier's logits into probabilities and is the ``sigmoid`` of target
expressions.
"""

from __future__ import annotations

import numpy as np


def relu(z):
    """``max(z, 0)`` elementwise (exact: no rounding)."""
    return np.maximum(z, 0.0)


def relu_grad(z: np.ndarray) -> np.ndarray:
    """``d relu / dz`` as 0/1 floats; at the kink ``z = 0`` the unit counts as closed (0)."""
    return (z > 0).astype(float)


def sigmoid(z):
    """``1 / (1 + e^-z)`` without overflow and accurate to a few ulps for every float.

    With ``e = exp(-|z|) <= 1``: ``1 / (1 + e)`` for ``z >= 0`` and ``e / (1 + e)`` for
    ``z < 0``. ``exp`` never overflows, and there is no cancellation: the error is that
    of ``exp`` (a few ulps, and damped by ``1 / (1 + e)``) plus two roundings. The
    ``0.5 (1 + tanh(z / 2))`` form cancels for very negative ``z`` (at ``z = -15`` it
    loses about 6 of its 16 digits). ``sigmoid(nan)`` is nan, ``sigmoid(+-inf)`` is 1 or 0.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0, e) / (1.0 + e)
