"""Activation patterns and linear regions of 2-input ReLU nets, computed exactly.

A fixed on/off pattern of the hidden units makes the net affine, so the plane splits into
convex cells, one per pattern that occurs. :func:`linear_regions` finds them exactly by
cutting the square ``[-box, box]^2`` with half-planes (Sutherland-Hodgman), one unit at a
time; inside a first-layer cell every second-layer pre-activation is affine, so the same cut
works layer by layer. :func:`pattern_map` samples the patterns on a grid, for pictures.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import ReluNet

AREA_TOL = 1e-12  # pieces smaller than AREA_TOL * box^2 are boundary slivers, dropped


@dataclass(frozen=True)
class Region:
    """A convex cell where the net is affine: its pattern (0/1 per hidden unit, all layers)."""

    pattern: tuple[int, ...]
    polygon: np.ndarray  # (m, 2), counter-clockwise
    area: float
    centroid: np.ndarray  # (2,)


def pattern(net: ReluNet, points: np.ndarray) -> np.ndarray:
    """Which hidden units are open at each point: bool (n, units)."""
    return net.gates(points)


def pattern_map(
    net: ReluNet, box: float, resolution: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Patterns on a grid as integers (bit ``j`` set = unit ``j`` open); ``codes[iy, ix]``."""
    xs = np.linspace(-box, box, resolution)
    ys = np.linspace(-box, box, resolution)
    xx, yy = np.meshgrid(xs, ys)
    gates = net.gates(np.column_stack([xx.ravel(), yy.ravel()])).astype(np.int64)
    codes = gates @ (np.int64(1) << np.arange(gates.shape[1], dtype=np.int64))
    return xs, ys, codes.reshape(resolution, resolution)


# -- polygons --------------------------------------------------------------------------------
def _square(box: float) -> np.ndarray:
    return np.array([[-box, -box], [box, -box], [box, box], [-box, box]], dtype=float)


def _area(poly: np.ndarray) -> float:
    if len(poly) < 3:
        return 0.0
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


def _centroid(poly: np.ndarray) -> np.ndarray:
    x, y = poly[:, 0], poly[:, 1]
    x1, y1 = np.roll(x, -1), np.roll(y, -1)
    cross = x * y1 - x1 * y
    a = cross.sum() / 2
    return np.array([((x + x1) * cross).sum(), ((y + y1) * cross).sum()]) / (6 * a)


def _clip(poly: np.ndarray, s: np.ndarray) -> np.ndarray:
    """The part of a convex polygon where the affine function with vertex values ``s`` is >= 0."""
    out = []
    m = len(poly)
    for i in range(m):
        j = (i + 1) % m
        if s[i] >= 0:
            out.append(poly[i])
        if (s[i] > 0 > s[j]) or (s[i] < 0 < s[j]):
            t = s[i] / (s[i] - s[j])
            out.append(poly[i] + t * (poly[j] - poly[i]))
    return np.array(out).reshape(-1, 2)


def _split(
    poly: np.ndarray, a: np.ndarray, c: float, min_area: float
) -> list[tuple[int, np.ndarray]]:
    """Cut ``poly`` by ``a.x + c``: pieces tagged 1 where it is > 0 (open), 0 where <= 0."""
    s = poly @ a + c
    if np.all(s > 0):
        return [(1, poly)]
    if np.all(s <= 0):  # includes a unit that is identically zero here: it is closed
        return [(0, poly)]
    return [
        (bit, p) for bit, p in ((1, _clip(poly, s)), (0, _clip(poly, -s))) if _area(p) >= min_area
    ]


def _cut_layer(
    cells: list[tuple[tuple[int, ...], np.ndarray]],
    affine,
    min_area: float,
) -> list[tuple[tuple[int, ...], np.ndarray]]:
    """Split every cell by every unit of one layer; ``affine(pattern)`` gives (A, c) there."""
    out = []
    for pat, poly in cells:
        A, c = affine(pat)
        pieces = [(pat, poly)]
        for a_j, c_j in zip(A, c, strict=True):
            pieces = [
                (p + (bit,), piece)
                for p, q in pieces
                for bit, piece in _split(q, a_j, c_j, min_area)
            ]
        out.extend(pieces)
    return out


def linear_regions(net: ReluNet, box: float) -> list[Region]:
    """The exact linear regions of a 2-input net with one or two hidden layers on the square."""
    if net.input_dim != 2:
        raise ValueError(f"linear regions are drawn for 2 inputs, the net takes {net.input_dim}")
    if len(net.hidden_sizes) not in (1, 2):
        raise ValueError("linear regions support one or two hidden layers")
    min_area = AREA_TOL * box * box
    W1, b1 = net.weights[0], net.biases[0]
    n1 = W1.shape[0]
    cells = _cut_layer([((), _square(box))], lambda _: (W1, b1), min_area)
    if len(net.hidden_sizes) == 2:
        W2, b2 = net.weights[1], net.biases[1]

        def second(pat: tuple[int, ...]) -> tuple[np.ndarray, np.ndarray]:
            d = np.asarray(pat[:n1], dtype=float)
            return W2 @ (d[:, None] * W1), W2 @ (d * b1) + b2

        cells = _cut_layer(cells, second, min_area)
    return [Region(pat, poly, _area(poly), _centroid(poly)) for pat, poly in cells]


def count_regions(net: ReluNet, box: float) -> int:
    return len(linear_regions(net, box))


def region_affine(net: ReluNet, pattern) -> tuple[np.ndarray, np.ndarray]:
    """The affine map ``y = A x + c`` the net equals wherever its gates follow ``pattern``
    (0/1 per hidden unit, all layers side by side): closed units are dropped, open ones
    pass their ``z`` on, so the layers compose. ``A`` is (out, in), ``c`` is (out,)."""
    pattern = np.asarray(pattern, dtype=float)
    if pattern.shape != (net.units,):
        raise ValueError(f"a pattern has one entry per hidden unit ({net.units})")
    A, c = np.eye(net.input_dim), np.zeros(net.input_dim)
    start = 0
    for w, b in zip(net.weights[:-1], net.biases[:-1], strict=True):
        d = pattern[start : start + w.shape[0]]
        start += w.shape[0]
        A, c = d[:, None] * (w @ A), d * (w @ c + b)
    return net.weights[-1] @ A, net.weights[-1] @ c + net.biases[-1]


def first_layer_lines(net: ReluNet, box: float) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """Each first-layer unit's switching line ``w.x + b = 0`` clipped to the square, if it
    crosses the interior: ``(unit, p0, p1)``."""
    out = []
    for j, (w, b) in enumerate(zip(net.W1, net.b1, strict=True)):
        nn = float(w @ w)
        if nn == 0.0:
            continue
        base = -b * w / nn  # closest point of the line to the origin
        d = np.array([-w[1], w[0]]) / np.sqrt(nn)
        lo, hi = -np.inf, np.inf
        for k in range(2):  # Liang-Barsky: keep t with -box <= base_k + t d_k <= box
            if d[k] == 0.0:
                if abs(base[k]) > box:
                    lo, hi = np.inf, -np.inf
                continue
            t0, t1 = sorted(((-box - base[k]) / d[k], (box - base[k]) / d[k]))
            lo, hi = max(lo, t0), min(hi, t1)
        if hi - lo > 1e-12 * box:
            p0, p1 = base + lo * d, base + hi * d
            if np.all(np.abs((p0 + p1) / 2) < box):  # not running along an edge
                out.append((j, p0, p1))
    return out


# -- random nets for the CLI -----------------------------------------------------------------
def random_net(units: int, seed: int, second_layer: int = 0, out: int = 1) -> ReluNet:
    """A seeded 2-input net whose switching lines (and bent second-layer lines) cross the
    unit square, so the regions are visible on a small box."""
    if units < 1 or second_layer < 0 or out < 1:
        raise ValueError("need units >= 1, second_layer >= 0, out >= 1")
    rng = np.random.default_rng(seed)
    W1 = rng.normal(size=(units, 2))
    through = rng.uniform(-1, 1, size=(units, 2))
    b1 = -np.einsum("ij,ij->i", W1, through)  # line j passes through through[j]
    weights, biases = [W1], [b1]
    width = units
    if second_layer:
        W2 = rng.normal(size=(second_layer, units)) / np.sqrt(units)
        anchor = rng.uniform(-1, 1, size=(second_layer, 2))
        h = np.maximum(anchor @ W1.T + b1, 0.0)
        biases.append(-np.einsum("ij,ij->i", W2, h))  # unit k switches at anchor[k]
        weights.append(W2)
        width = second_layer
    weights.append(rng.normal(size=(out, width)) / np.sqrt(width))
    biases.append(np.zeros(out))
    return ReluNet(tuple(weights), tuple(biases))


def regions_report(units: int, seed: int, box: float) -> dict:
    """The ``relu-anim regions --json`` object (plain lists and numbers)."""
    net = random_net(units, seed)
    regions = linear_regions(net, box)
    return {
        "W1": net.W1.tolist(),
        "b1": net.b1.tolist(),
        "box": float(box),
        "regions": len(regions),
        "patterns": sorted(list(r.pattern) for r in regions),
    }
