"""What ReLU between affine layers does to the plane: it clamps, and can collapse.

ReLU sets every negative coordinate to zero. A point with one negative coordinate lands on
an axis; a point with both negative lands on the origin. A straight segment therefore comes
out bent where it crosses an axis, and the part of it that ReLU sends to a single point has
an image of zero length: :func:`segment_collapse` finds that part exactly, by splitting the
segment wherever a coordinate changes sign (between two such splits every stage is affine in
the segment's parameter, so linear interpolation is exact).

:func:`clamped_share` measures how much of a cloud of points each ReLU moves, and
:func:`layers_from_values` turns six numbers per layer (``W11 W12 W21 W22 b1 b2``) into
checked layers, for scenes that take the layers as a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .collapse import AffineLayer, extent, square_grid, stages

VALUES_PER_LAYER = 6  # W11, W12, W21, W22, b1, b2


def insert_zero_crossings(points: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Add a vertex wherever a column of ``values`` changes sign between two vertices.

    ``points`` (n, d) are the vertices of a polyline (or parameters along a segment) and
    ``values`` (n, m) a map evaluated there. Each new vertex and its value are interpolated
    linearly inside its edge (exact when the map is affine along the edge), so at the new
    vertex the crossing column is zero up to rounding. Exact duplicate vertices (several
    columns crossing at one place) are kept once. Returns the refined (points, values).
    """
    shape = np.shape(points)[1:]
    points = np.asarray(points, dtype=float).reshape(len(points), -1)
    values = np.asarray(values, dtype=float).reshape(len(points), -1)
    a, b = values[:-1], values[1:]
    edge, col = np.nonzero(a * b < 0)
    if len(edge) == 0:
        return points.reshape(-1, *shape), values
    s = (a[edge, col] / (a[edge, col] - b[edge, col]))[:, None]
    new_points = points[edge] + s * (points[edge + 1] - points[edge])
    new_values = a[edge] + s * (b[edge] - a[edge])
    new_values[np.arange(len(edge)), col] = 0.0
    keys = np.concatenate([np.arange(len(points), dtype=float), edge + s[:, 0]])
    order = np.argsort(keys, kind="stable")
    merged_p = np.vstack([points, new_points])[order]
    merged_v = np.vstack([values, new_values])[order]
    keep = np.ones(len(merged_p), dtype=bool)
    keep[1:] = np.any(np.diff(merged_p, axis=0) != 0, axis=1)
    return merged_p[keep].reshape(-1, *shape), merged_v[keep]


def with_kinks(layers: list[AffineLayer], line) -> np.ndarray:
    """The polyline ``line`` (n, d), its first two columns plane points, with a vertex added
    wherever a coordinate crosses zero before a ReLU of the stack.

    Between two vertices of the result every stage is affine, so the stages of the vertices,
    joined by straight edges, are the exact images of the polyline (for drawing, or for
    measuring). Further columns (e.g. a parameter along the line) are interpolated along.
    """
    line = np.asarray(line, dtype=float)
    names = [name for name, _ in stages(layers, line[:1, :2], relu_between=True)]
    for i, name in enumerate(names):
        if name == "relu":
            before = stages(layers, line[:, :2], relu_between=True)[i - 1][1]
            line, _ = insert_zero_crossings(line, before)
    return line


@dataclass(frozen=True)
class SegmentCollapse:
    """Where the ReLU stack sends the segment ``p + t (q - p)``, ``t`` in ``[0, 1]``.

    ``t`` are the breakpoints (0, 1 and every place a coordinate crosses zero before a ReLU);
    piece ``i`` is ``[t[i], t[i+1]]``, and every stage is affine on it. ``collapsed[i]``: the
    piece's final image has zero length (it went to one point). ``fraction``: the total
    length of those pieces, a share of ``[0, 1]``. ``first_relu[i]``: the ReLU (0 for the
    first) after which piece ``i`` is a single point, -1 if never. ``per_relu``: the share
    that is collapsed right after each ReLU (it only grows: a point stays a point).
    ``points``: the final image of each collapsed piece.
    """

    t: np.ndarray
    collapsed: np.ndarray
    first_relu: np.ndarray
    fraction: float
    per_relu: tuple[float, ...]
    points: np.ndarray

    def pieces(self, relu: int | None = None) -> list[tuple[float, float]]:
        """The collapsed parts of ``[0, 1]`` (only those first collapsed by ReLU ``relu``,
        when given), adjacent pieces merged."""
        chosen = self.collapsed if relu is None else self.first_relu == relu
        out: list[tuple[float, float]] = []
        for i in np.flatnonzero(chosen):
            lo, hi = float(self.t[i]), float(self.t[i + 1])
            if out and out[-1][1] == lo:
                out[-1] = (out[-1][0], hi)
            else:
                out.append((lo, hi))
        return out


def _constant_pieces(h: np.ndarray) -> np.ndarray:
    """Which edges of the polyline ``h`` (n, 2) have both ends at the same point."""
    tol = 1e-12 * (1.0 + np.abs(h).max())
    return np.all(np.abs(np.diff(h, axis=0)) <= tol, axis=1)


def segment_collapse(layers: list[AffineLayer], p, q) -> SegmentCollapse:
    """The part of the segment from ``p`` to ``q`` that the ReLU stack maps to single points.

    ReLU acts after every layer but the last (as :func:`relu_anim.core.collapse.stages`).
    A piece is collapsed when its two ends have the same image: exact, because the stages
    are affine on each piece between the breakpoints of :func:`with_kinks`.
    """
    p, q = np.asarray(p, dtype=float), np.asarray(q, dtype=float)
    ends = np.array([[*p, 0.0], [*q, 1.0]])
    line = with_kinks(layers, ends)
    t = line[:, 2]
    pictures = stages(layers, line[:, :2], relu_between=True)
    after_relu = [_constant_pieces(h) for name, h in pictures if name == "relu"]
    collapsed = _constant_pieces(pictures[-1][1])
    first = np.full(len(t) - 1, -1)
    for r, mask in reversed(list(enumerate(after_relu))):
        first[mask] = r
    lengths = np.diff(t)
    return SegmentCollapse(
        t=t,
        collapsed=collapsed,
        first_relu=first,
        fraction=float(lengths[collapsed].sum()),
        per_relu=tuple(float(lengths[m].sum()) for m in after_relu),
        points=pictures[-1][1][:-1][collapsed],
    )


def clamped_share(layers: list[AffineLayer], points) -> tuple[float, ...]:
    """For each ReLU of the stack, the share of ``points`` it moves (a coordinate below 0)."""
    pictures = stages(layers, points, relu_between=True)
    return tuple(
        float(np.mean(np.any(pictures[i - 1][1] < 0, axis=1)))
        for i, (name, _) in enumerate(pictures)
        if name == "relu"
    )


def layers_from_values(
    values,
    layers: tuple[int, int] = (2, 4),
    max_entry: float = 2.0,
    min_abs_det: float = 0.2,
    window: tuple[float, float] | None = None,
    box: float = 3.0,
) -> list[AffineLayer]:
    """Layers from six numbers each, ``W11 W12 W21 W22 b1 b2``, checked for a scene.

    Raises ValueError (one line, naming the problem) unless the count is ``6 * k`` with
    ``k`` in ``layers``, every number is finite with ``|value| <= max_entry``, every
    ``|det W| >= min_abs_det`` (a flatter matrix would squash the plane to a line), and,
    given a ``window`` ``(wx, wy)``, every stage of the square ``[-box, box]^2`` (with and
    without ReLU) stays in ``|x| <= wx, |y| <= wy``, so a view of that size shows them all.
    """
    v = np.asarray(values, dtype=float).ravel()
    lo, hi = layers
    if len(v) % VALUES_PER_LAYER or not lo <= len(v) // VALUES_PER_LAYER <= hi:
        raise ValueError(
            f"layer_values needs {VALUES_PER_LAYER} numbers per layer (W11 W12 W21 W22 b1 b2) "
            f"for {lo} to {hi} layers, got {len(v)} numbers"
        )
    if not np.all(np.isfinite(v)):
        raise ValueError("layer_values must be finite numbers")
    if np.abs(v).max() > max_entry:
        raise ValueError(
            f"layer_values must lie within \u00b1{max_entry:g}, got {v[np.abs(v).argmax()]:g}"
        )
    out = []
    for i, row in enumerate(v.reshape(-1, VALUES_PER_LAYER)):
        W = row[:4].reshape(2, 2)
        if abs(np.linalg.det(W)) < min_abs_det:
            raise ValueError(
                f"layer_values: layer {i + 1} has |det W| = {abs(np.linalg.det(W)):.3g}, "
                f"below {min_abs_det:g} (it would flatten the plane)"
            )
        out.append(AffineLayer(W, row[4:].copy()))
    if window is not None:
        _check_window(out, window, box)
    return out


def square_points(box: float, n: int = 31) -> np.ndarray:
    """The ``n x n`` grid of points on the square ``[-box, box]^2`` (n^2, 2)."""
    return square_grid(box, n)


def _check_window(layers: list[AffineLayer], window: tuple[float, float], box: float) -> None:
    square = square_points(box)
    for relu in (False, True):
        for name, pts in stages(layers, square, relu)[1:]:
            reach = extent(pts)
            if reach[0] > window[0] or reach[1] > window[1]:
                where = f"after {name}" if name != "relu" else "after a ReLU"
                raise ValueError(
                    f"layer_values send the square [-{box:g}, {box:g}]^2 to "
                    f"|x| <= {reach[0]:.1f}, |y| <= {reach[1]:.1f} {where}; "
                    f"keep every stage within |x| <= {window[0]:g}, |y| <= {window[1]:g}"
                )
