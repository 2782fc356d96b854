"""Rounding-error bounds for ReluNet evaluations, and central differences checked with them.

Forward passes. ``eps_y`` below bounds how far a computed output (or pre-activation) is
from the exact one, so two computations of the same net that only differ in summation
order (BLAS vs a hand-written loop) agree within ``2 eps_y``: see :func:`forward_error`.

Gradients. Why the tolerance of a central difference is what it is. The central difference of a loss ``L`` along one
parameter ``t`` is ``D = (L(t+h) - L(t-h)) / (2h)``; its distance from ``dL/dt`` has two
parts:

* truncation, ``h^2/6 |L'''|``: for a ReLU net whose gates do not flip on ``[t-h, t+h]``
  every output is *affine* in any single weight or bias (each layer is linear in its own
  parameters and the layers above are fixed linear maps), so a loss linear in the outputs
  has no truncation error at all, and the squared error none either (a quadratic);
* rounding: each evaluation of ``L`` is off by at most ``eps_L`` (below), so ``D`` is off
  by at most ``2 eps_L / (2h) = eps_L / h``.

``eps_L`` is the standard forward bound for dot products (Higham, *Accuracy and Stability
of Numerical Algorithms*, 3.1): a sum of ``m`` products is off by at most
``gamma_m sum |a_i||b_i|``, ``gamma_m = m u / (1 - m u)``, ``u = 2**-53``. A layer
``z = W a + b`` is ``in + 1`` terms, and ReLU is exact and 1-Lipschitz, so with the
magnitudes ``M_0 = |x|``, ``M_i = |W_i| M_{i-1} + |b_i|`` (an upper bound of ``|a_i|``)
every output is off by at most ``(sum_i gamma_{in_i + 1}) M_L``; a loss ``sum C y`` adds
``gamma_{n out} sum |C||y|``. The gradient from the backward pass has rounding of the same
order as ``eps_L``, which is ``h`` times smaller than ``eps_L / h``: a factor 2 covers it.
With ``eps_y = (sum_i gamma_{in_i + 1}) M_L`` for the outputs, ``eps_L`` is
``gamma_{n out} sum |C| M_L + sum |C| eps_y``.
"""

from __future__ import annotations

import numpy as np

from relu_anim.core.network import ReluNet

U = 2.0**-53  # unit roundoff of float64


def gamma(m: int) -> float:
    return m * U / (1 - m * U)


def layer_magnitudes(net: ReluNet, X: np.ndarray, slack: float = 0.0) -> list[np.ndarray]:
    """``M_1 .. M_L``: the net run on ``|X| + slack`` with ``|W| + slack``, ``|b| + slack``
    and no ReLU. ``M_i`` bounds ``|z_i|`` (and ``|a_i|``), also with one input or parameter
    moved by up to ``slack``."""
    m = np.abs(net.as_batch(X)) + slack
    out = []
    for w, b in zip(net.weights, net.biases, strict=True):
        m = m @ (np.abs(w) + slack).T + (np.abs(b) + slack)
        out.append(m)
    return out


def magnitudes(net: ReluNet, X: np.ndarray, slack: float = 0.0) -> np.ndarray:
    """``M_L``, the bound of the outputs' magnitudes (see :func:`layer_magnitudes`)."""
    return layer_magnitudes(net, X, slack)[-1]


def forward_errors(net: ReluNet, X: np.ndarray) -> list[np.ndarray]:
    """Bounds of ``|computed z_i - exact z_i|`` for every layer, elementwise: layer ``i``
    adds ``gamma_{in_i + 1} M_i`` (a dot product plus a bias), earlier errors pass through
    ``|W_i|`` (ReLU is exact and 1-Lipschitz), and ``|W_i| M_{i-1} + |b_i| = M_i``, so the
    bound is ``(sum_{j <= i} gamma_{in_j + 1}) M_i``."""
    total, out = 0.0, []
    for w, m in zip(net.weights, layer_magnitudes(net, X), strict=True):
        total += gamma(w.shape[1] + 1)
        out.append(total * m)
    return out


def forward_error(net: ReluNet, X: np.ndarray) -> np.ndarray:
    """Bound of ``|computed y - exact y|`` (n, out): two evaluations of the same outputs
    in different orders differ by at most twice this."""
    return forward_errors(net, X)[-1]


def linear_loss_error(net: ReluNet, X: np.ndarray, C: np.ndarray, slack: float = 0.0) -> float:
    """Bound on the rounding error of ``sum(C * net.forward(X))`` (see the module doc)."""
    m_out = magnitudes(net, X, slack)
    layers = sum(gamma(w.shape[1] + 1) for w in net.weights)
    return float((layers + gamma(C.size)) * np.sum(np.abs(C) * m_out))


def perturbed(net: ReluNet, which: str, layer: int, idx: tuple, t: float) -> ReluNet:
    """A copy of ``net`` with one weight (``which="W"``) or bias (``"b"``) set to ``t``."""
    out = net.copy()
    arr = (out.weights if which == "W" else out.biases)[layer]
    arr[idx] = t
    return out


def parameters(net: ReluNet):
    """Every (which, layer, index) of the net's weights and biases."""
    for i, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        for idx in np.ndindex(w.shape):
            yield "W", i, idx
        for idx in np.ndindex(b.shape):
            yield "b", i, idx


def central_difference(loss, net: ReluNet, which: str, layer: int, idx: tuple, h: float):
    """``(D, L(t-h), L(t), L(t+h))``, dividing by the step actually taken
    ``fl(t+h) - fl(t-h)``, so the rounding of ``t +- h`` itself adds no error."""
    t = float((net.weights if which == "W" else net.biases)[layer][idx])
    up, down = t + h, t - h
    l_up = loss(perturbed(net, which, layer, idx, up))
    l_down = loss(perturbed(net, which, layer, idx, down))
    return (l_up - l_down) / (up - down), l_down, loss(net), l_up


def same_gates(net: ReluNet, X: np.ndarray, which: str, layer: int, idx: tuple, h: float):
    """True when no gate differs between ``t - h``, ``t`` and ``t + h``."""
    t = float((net.weights if which == "W" else net.biases)[layer][idx])
    g = net.gates(X)
    return all(
        np.array_equal(perturbed(net, which, layer, idx, s).gates(X), g) for s in (t - h, t + h)
    )


def assert_within(got, expected, bound) -> None:
    """``|got - expected| <= bound`` elementwise, reporting the worst ratio on failure."""
    got, expected = np.asarray(got, dtype=float), np.asarray(expected, dtype=float)
    off = np.abs(got - expected)
    ok = off <= bound
    if not np.all(ok):
        ratio = np.max(off / np.maximum(bound, np.finfo(float).tiny))
        raise AssertionError(f"{np.sum(~ok)} value(s) off by up to {ratio:.3g} x the bound")
