"""How a 2-input, one-hidden-layer ReLU classifier decides, exactly.

- :func:`fit_readout`: with the hidden layer fixed, the output layer (``W2, b2``) that
  minimises the mean binary cross-entropy of ``sigmoid(y)`` plus a small ridge penalty on
  ``W2``. In the features ``h = relu(W1 x + b1)`` this is logistic regression, a convex
  problem: Newton's method (IRLS) finds its unique minimum.
- :func:`decision_pieces`: the plane split by the sign of ``y - threshold``. Inside each
  linear region the net is one affine function (:func:`.regions.region_affine`), so there
  the decision boundary ``y = threshold`` is one straight segment (:func:`decision_segments`)
  and it cuts the region's polygon into a class-1 part and a class-0 part.
- :func:`arrangement_clarity`: how legible the regions are in a picture (the thinnest
  region, the smallest angle between two switching lines), to choose a default net.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .activations import sigmoid
from .classify import cross_entropy
from .network import ReluNet
from .regions import Region, _area, _clip, first_layer_lines, linear_regions, region_affine

RIDGE = 1e-3  # the penalty on the output weights: keeps them finite on separable data
NEWTON_STEPS = 100


def readout_loss(net: ReluNet, X: np.ndarray, y: np.ndarray, ridge: float = RIDGE) -> float:
    """``mean(softplus(s) - y s) + ridge/2 |W2|^2``, ``s`` the net's output (its logits)."""
    return cross_entropy(net(X), y) + 0.5 * ridge * float(np.sum(net.W2**2))


def fit_readout(
    W1: np.ndarray, b1: np.ndarray, X: np.ndarray, y: np.ndarray, ridge: float = RIDGE
) -> ReluNet:
    """The net ``relu(W1 x + b1) -> W2 h + b2`` whose ``W2, b2`` minimise
    :func:`readout_loss` on the points ``X`` (n, 2) with labels ``y`` in {0, 1}."""
    W1, b1 = np.atleast_2d(np.asarray(W1, float)), np.asarray(b1, float)
    X, y = np.asarray(X, float), np.asarray(y, float)
    H = np.column_stack([np.maximum(X @ W1.T + b1, 0.0), np.ones(len(X))])
    n, k = H.shape
    penalty = np.full(k, ridge)
    penalty[-1] = 0.0  # the bias is not penalised
    theta = np.zeros(k)
    for _ in range(NEWTON_STEPS):
        p = sigmoid(H @ theta)
        grad = H.T @ (p - y) / n + penalty * theta
        hess = (H.T * (p * (1 - p))) @ H / n + np.diag(penalty) + 1e-12 * np.eye(k)
        step = np.linalg.solve(hess, grad)
        theta -= step
        if np.max(np.abs(step)) <= 1e-12 * (1.0 + np.max(np.abs(theta))):
            break
    return ReluNet.one_hidden(W1, b1, theta[None, :-1], theta[-1:])


@dataclass(frozen=True)
class Piece:
    """The part of region ``region`` where the net says ``label`` (1: y > threshold)."""

    region: int  # index into the regions it was cut from
    label: int
    polygon: np.ndarray  # (m, 2), counter-clockwise


@dataclass(frozen=True)
class Segment:
    """The decision boundary inside region ``region``: the segment from ``p0`` to ``p1``."""

    region: int
    p0: np.ndarray
    p1: np.ndarray


def _region_values(net: ReluNet, region: Region, threshold: float) -> tuple[np.ndarray, float]:
    A, c = region_affine(net, region.pattern)
    return A[0], float(c[0]) - threshold


def decision_pieces(net: ReluNet, regions: list[Region], threshold: float = 0.0) -> list[Piece]:
    """Every region cut by ``y = threshold`` into where ``y > threshold`` (label 1) and where
    ``y <= threshold`` (label 0); a region on one side stays whole. Exact polygons."""
    out = []
    for i, region in enumerate(regions):
        a, c = _region_values(net, region, threshold)
        s = region.polygon @ a + c
        for label, values in ((1, s), (0, -s)):
            piece = _clip(region.polygon, values)
            if len(piece) >= 3 and _area(piece) > 0.0:
                out.append(Piece(i, label, piece))
    return out


def decision_segments(net: ReluNet, regions: list[Region], threshold: float = 0.0) -> list[Segment]:
    """The boundary ``y = threshold``: one segment in each region it crosses (none where
    ``y - threshold`` keeps one sign or is constant)."""
    out = []
    for i, region in enumerate(regions):
        a, c = _region_values(net, region, threshold)
        s = region.polygon @ a + c
        if not (np.any(s > 0) and np.any(s < 0)):
            continue
        piece = _clip(region.polygon, s)  # its corners on the line are the crossings
        tol = 1e-9 * (np.abs(a).sum() * np.abs(region.polygon).max() + abs(c) + 1.0)
        ends = piece[np.abs(piece @ a + c) <= tol]
        far = int(np.argmax(np.linalg.norm(ends - ends[0], axis=1)))
        out.append(Segment(i, ends[0], ends[far]))
    return out


def accuracy(net: ReluNet, X: np.ndarray, y: np.ndarray, threshold: float = 0.0) -> float:
    """The share of points the net puts in their class (class 1 where y > threshold)."""
    return float(np.mean((net(X) > threshold) == (np.asarray(y) > 0.5)))


@dataclass(frozen=True)
class Clarity:
    """How legible the regions are: ``thinnest`` is the smallest ``2 area / perimeter`` of a
    region (a triangle's inradius, a sliver's width), in input units; ``smallest_area`` a
    share of the box; ``min_angle`` the smallest angle, in degrees, between two switching
    lines that cross inside the box (90 when none do)."""

    thinnest: float
    smallest_area: float
    min_angle: float


def _perimeter(poly: np.ndarray) -> float:
    return float(np.sum(np.linalg.norm(poly - np.roll(poly, -1, axis=0), axis=1)))


def arrangement_clarity(net: ReluNet, box: float) -> Clarity:
    regions = linear_regions(net, box)
    thinnest = min(2 * r.area / _perimeter(r.polygon) for r in regions)
    angle = 90.0
    for (_, p0, p1), (_, q0, q1) in combinations(first_layer_lines(net, box), 2):
        d, e = p1 - p0, q1 - q0
        cross = d[0] * e[1] - d[1] * e[0]
        if cross == 0.0:
            continue  # parallel: they never cross
        t = ((q0 - p0)[0] * e[1] - (q0 - p0)[1] * e[0]) / cross
        if np.all(np.abs(p0 + t * d) < box):
            cos = abs(d @ e) / (np.linalg.norm(d) * np.linalg.norm(e))
            angle = min(angle, float(np.degrees(np.arccos(min(cos, 1.0)))))
    return Clarity(float(thinnest), min(r.area for r in regions) / (2 * box) ** 2, angle)
