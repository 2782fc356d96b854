"""A window onto the plane whose lines and points can be pushed through any numpy map.

:class:`PlaneView` fixes a scaled coordinate system (plane coordinates -> scene points, both
ways, vectorised) and draws a faint reference grid and the axes. :class:`MappedLines` and
:class:`MappedPoints` hold their geometry as numpy arrays in plane coordinates; ``morph``
returns an animation that interpolates every vertex linearly from where it is to where a map
sends it, one numpy expression per frame (no per-point Python loops).

Polylines stay polylines: vertices are drawn as corners, never smoothed. For piecewise-linear
maps such as ReLU stacks, :func:`relu_anim.core.clamping.with_kinks` adds the exact points
where a coordinate is clamped as vertices, so every kink lands on a vertex and linear
interpolation between stages is exact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Animation, Dot, Line, Polygon, UpdateFromAlphaFunc, VGroup, VMobject, smooth

from ..theme import Theme

Array = np.ndarray


# -- geometry helpers (pure numpy) -----------------------------------------------------------
def grid_lines(box: float, count: int, samples: int) -> tuple[list[Array], list[Array]]:
    """Lines ``x = c`` and ``y = c`` for ``count`` values of ``c`` in ``[-box, box]``.

    Each line is sampled at ``samples`` evenly spaced vertices; returns (vertical, horizontal).
    """
    cs = np.linspace(-box, box, count)
    t = np.linspace(-box, box, samples)
    vertical = [np.column_stack([np.full_like(t, c), t]) for c in cs]
    horizontal = [np.column_stack([t, np.full_like(t, c)]) for c in cs]
    return vertical, horizontal


def densify(corners: Array, samples_per_edge: int) -> Array:
    """A polyline through ``corners`` with ``samples_per_edge`` evenly spaced vertices per edge."""
    corners = np.asarray(corners, dtype=float)
    s = np.linspace(0.0, 1.0, samples_per_edge, endpoint=False)[:, None]
    pieces = [a + s * (b - a) for a, b in zip(corners[:-1], corners[1:], strict=True)]
    return np.vstack([*pieces, corners[-1:]])


def pack(arrays: Sequence[Array]) -> tuple[Array, list[int]]:
    """Stack several (n_i, 2) arrays into one, so a map is applied in a single call."""
    arrays = [np.asarray(a, dtype=float).reshape(-1, 2) for a in arrays]
    return np.vstack(arrays), list(np.cumsum([len(a) for a in arrays])[:-1])


def unpack(stacked: Array, splits: list[int]) -> list[Array]:
    """Inverse of :func:`pack`."""
    return list(np.split(np.asarray(stacked, dtype=float), splits))


def bounds_of(arrays: Sequence[Array], pad: float = 0.0) -> tuple[float, float, float, float]:
    """``(xmin, xmax, ymin, ymax)`` of all points in ``arrays``, padded by ``pad``."""
    pts = np.vstack([np.asarray(a, dtype=float).reshape(-1, 2) for a in arrays])
    lo, hi = pts.min(axis=0) - pad, pts.max(axis=0) + pad
    return float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])


# -- mobjects --------------------------------------------------------------------------------
class PlaneView(VGroup):
    """Plane coordinates in ``bounds`` shown inside the scene rectangle ``region``.

    ``bounds`` is ``(xmin, xmax, ymin, ymax)`` in plane units; ``region`` is
    ``(left, right, bottom, top)`` in scene units. One plane unit is the same length on both
    axes; the bounds are centred in the region. The view draws a faint unit grid and the axes.

    :meth:`reframe` zooms the view to other bounds, carrying every :class:`MappedLines` and
    :class:`MappedPoints` drawn in it along: a small image is shown large enough to read.
    The reference lines are a fixed pool whose points are rewritten (an animation draws the
    family it collected when it began, so lines must not be added or removed mid-play).
    """

    POOL = 48  # reference lines per direction: enough for any window the scenes use

    def __init__(
        self,
        bounds: tuple[float, float, float, float],
        region: tuple[float, float, float, float],
        theme: Theme,
        step: float = 1.0,
    ):
        super().__init__()
        self.region, self.step = region, step
        self.mapped: list = []  # MappedLines / MappedPoints that live in this view
        self.reference = VGroup(
            *(Line(color=theme.grid, stroke_width=1.5) for _ in range(2 * self.POOL))
        )
        self.axes = VGroup(*(Line(color=theme.muted, stroke_width=2.5) for _ in range(2)))
        self.add(self.reference, self.axes)
        self.set_bounds(bounds)

    def set_bounds(self, bounds: tuple[float, float, float, float]) -> PlaneView:
        """Show ``bounds`` centred in the region (scale and offset), and redraw what is in it."""
        xmin, xmax, ymin, ymax = bounds
        left, right, bottom, top = self.region
        self.bounds = bounds
        self.unit = min((right - left) / (xmax - xmin), (top - bottom) / (ymax - ymin))
        centre_plane = np.array([(xmin + xmax) / 2, (ymin + ymax) / 2])
        centre_scene = np.array([(left + right) / 2, (bottom + top) / 2])
        self.offset = centre_scene - self.unit * centre_plane
        self._draw_lines()
        for mob in self.mapped:
            mob.set_plane_points(mob.plane_points)
        return self

    def _draw_lines(self) -> None:
        xmin, xmax, ymin, ymax = self.visible()
        lines = []
        for c in np.arange(np.ceil(xmin / self.step), np.floor(xmax / self.step) + 1) * self.step:
            lines.append(([c, ymin], [c, ymax]))
        for c in np.arange(np.ceil(ymin / self.step), np.floor(ymax / self.step) + 1) * self.step:
            lines.append(([xmin, c], [xmax, c]))
        grid = [pair for pair in lines if not _on_axis(pair)]
        _fill_pool(self.reference, [self.c2p(np.array(pair)) for pair in grid])
        axes = []
        if xmin < 0 < xmax:
            axes.append(self.c2p(np.array([[0, ymin], [0, ymax]])))
        if ymin < 0 < ymax:
            axes.append(self.c2p(np.array([[xmin, 0], [xmax, 0]])))
        _fill_pool(self.axes, axes)

    def reframe(self, bounds, run_time: float = 1.0, rate_func=smooth) -> Animation:
        """Zoom to ``bounds``; the scale changes geometrically, so the zoom looks even."""
        start = np.array(self.bounds, dtype=float)
        end = np.array(bounds, dtype=float)

        def update(_m, alpha: float) -> None:
            centre = (1 - alpha) * _centre(start) + alpha * _centre(end)
            half = _half(start) ** (1 - alpha) * _half(end) ** alpha
            self.set_bounds(
                (centre[0] - half[0], centre[0] + half[0], centre[1] - half[1], centre[1] + half[1])
            )

        return UpdateFromAlphaFunc(self, update, run_time=run_time, rate_func=rate_func)

    def visible(self) -> tuple[float, float, float, float]:
        """``(xmin, xmax, ymin, ymax)``: the part of the plane the region shows now."""
        left, right, bottom, top = self.region
        (xmin, ymin), (xmax, ymax) = self.p2c(np.array([[left, bottom, 0], [right, top, 0]]))
        return float(xmin), float(xmax), float(ymin), float(ymax)

    def below_zero(self, axis: int, color: str, opacity: float = 0.18) -> Polygon:
        """A flat fill over the part of the view where coordinate ``axis`` (0: x, 1: y) is
        negative, e.g. what ReLU will set to zero; empty when that part is out of view.
        Drawn at the current bounds (it does not follow a later :meth:`reframe`)."""
        box = list(self.visible())
        box[2 * axis + 1] = min(box[2 * axis + 1], 0.0)
        xmin, xmax, ymin, ymax = box
        corners = [[xmin, ymin], [xmax, ymin], [xmax, ymax], [xmin, ymax]]
        if xmax <= xmin or ymax <= ymin:
            corners = [[0.0, 0.0]] * 4
        shade = Polygon(*self.c2p(np.array(corners, dtype=float)), stroke_width=0)
        return shade.set_fill(color, opacity=opacity)

    def c2p(self, xy: Array) -> Array:
        """Plane coordinates (n, 2) -> scene points (n, 3)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        out = np.zeros((len(xy), 3))
        out[:, :2] = self.offset + self.unit * xy
        return out

    def p2c(self, points: Array) -> Array:
        """Scene points (n, 3) -> plane coordinates (n, 2)."""
        points = np.asarray(points, dtype=float).reshape(-1, 3)
        return (points[:, :2] - self.offset) / self.unit


def _centre(b: Array) -> Array:
    return np.array([(b[0] + b[1]) / 2, (b[2] + b[3]) / 2])


def _half(b: Array) -> Array:
    return np.array([(b[1] - b[0]) / 2, (b[3] - b[2]) / 2])


def _on_axis(pair) -> bool:
    (x0, y0), (x1, y1) = pair
    return (x0 == x1 == 0) or (y0 == y1 == 0)


def _fill_pool(pool: VGroup, segments: list[Array]) -> None:
    """Lay ``segments`` (each two scene points) on the pool's lines; hide the lines left over."""
    if len(segments) > len(pool):
        raise ValueError(f"{len(segments)} reference lines, pool holds {len(pool)}")
    for line, seg in zip(pool, segments, strict=False):
        line.set_points_as_corners(seg).set_stroke(opacity=1.0)
    for line in pool[len(segments) :]:
        line.set_points_as_corners(np.zeros((2, 3))).set_stroke(opacity=0.0)


def zoom_bounds(arrays: Sequence[Array], pad: float = 0.3, min_span: float = 2.0):
    """Bounds around ``arrays`` at least ``min_span`` wide and high, padded by ``pad``."""
    xmin, xmax, ymin, ymax = bounds_of(arrays, pad=pad)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    hx, hy = max((xmax - xmin) / 2, min_span / 2), max((ymax - ymin) / 2, min_span / 2)
    return cx - hx, cx + hx, cy - hy, cy + hy


class MappedLines(VGroup):
    """Polylines whose vertices live in plane coordinates and move by numpy maps."""

    def __init__(
        self,
        view: PlaneView,
        lines: Sequence[Array],
        colors: Sequence[str],
        stroke_width: float = 3.0,
    ):
        super().__init__()
        self.view = view
        view.mapped.append(self)
        self.plane_points: list[Array] = []
        for _line, color in zip(lines, colors, strict=True):
            self.add(VMobject(color=color, stroke_width=stroke_width))
        self.set_plane_points(lines)

    def set_plane_points(self, lines: Sequence[Array]) -> MappedLines:
        self.plane_points = [np.asarray(line, dtype=float) for line in lines]
        for mob, line in zip(self.submobjects, self.plane_points, strict=True):
            mob.set_points_as_corners(self.view.c2p(line))
        return self

    def read_plane_points(self) -> list[Array]:
        """The vertices, read back from the drawn mobjects, in plane coordinates."""
        out = []
        for mob in self.submobjects:
            pts = mob.points
            out.append(self.view.p2c(np.vstack([pts[::4], pts[-1:]])))
        return out

    def morph(self, targets: Sequence[Array], **kwargs) -> Animation:
        """Move every vertex in a straight line to ``targets`` (same shapes)."""
        return _morph(self, targets, **kwargs)


class MappedPoints(VGroup):
    """Dots at plane coordinates (n, 2) that move by numpy maps."""

    def __init__(self, view: PlaneView, points: Array, colors: Sequence[str], radius: float = 0.08):
        super().__init__()
        self.view = view
        view.mapped.append(self)
        pts = np.asarray(points, dtype=float).reshape(-1, 2)
        for color in colors:
            self.add(Dot(radius=radius, color=color))
        self.set_plane_points([pts])

    def set_plane_points(self, arrays: Sequence[Array]) -> MappedPoints:
        self.plane_points = [np.asarray(arrays[0], dtype=float).reshape(-1, 2)]
        for dot, p in zip(self.submobjects, self.view.c2p(self.plane_points[0]), strict=True):
            dot.move_to(p)
        return self

    def read_plane_points(self) -> Array:
        return self.view.p2c(np.array([dot.get_center() for dot in self.submobjects]))

    def morph(self, targets: Array, **kwargs) -> Animation:
        return _morph(self, [targets], **kwargs)


def _morph(mob, targets: Sequence[Array], run_time: float = 1.5, rate_func=smooth) -> Animation:
    starts = [np.asarray(s, dtype=float) for s in mob.plane_points]
    ends = [
        np.asarray(t, dtype=float).reshape(s.shape) for s, t in zip(starts, targets, strict=True)
    ]

    def update(m, alpha: float) -> None:
        if alpha >= 1.0:
            m.set_plane_points(ends)
        else:
            m.set_plane_points([s + alpha * (e - s) for s, e in zip(starts, ends, strict=True)])

    return UpdateFromAlphaFunc(mob, update, run_time=run_time, rate_func=rate_func)


def place_tags(
    view: PlaneView,
    points: Array,
    tags: Sequence[VMobject],
    buff: float = 0.12,
    avoid: Array | None = None,
):
    """Put each tag beside its plane point, preferably on the side away from the points' centre.

    The eight compass directions are tried (each spot pushed back inside the view's region);
    the spot overlapping the marked points and earlier tags least wins, ties going to the
    direction nearest the preferred side. ``avoid`` (plane points, e.g. samples along a
    segment) are kept clear too.
    """
    pts = view.c2p(points)
    centre = pts.mean(axis=0)
    r = 0.1  # keep tags off every marked point, not just their own
    keep_clear = pts if avoid is None else np.vstack([pts, view.c2p(avoid)])
    placed = [(p[0] - r, p[0] + r, p[1] - r, p[1] + r) for p in keep_clear]
    angles = np.arange(8) * np.pi / 4
    for p, tag in zip(pts, tags, strict=True):
        d = p - centre
        pref = np.arctan2(d[1], d[0]) if np.linalg.norm(d) > 1e-9 else np.pi / 2
        order = np.argsort(np.abs((angles - pref + np.pi) % (2 * np.pi) - np.pi), kind="stable")
        best, best_cost = None, np.inf
        for angle in angles[order]:
            tag.next_to(p, np.array([np.cos(angle), np.sin(angle), 0.0]), buff=buff)
            _push_inside(tag, view.region)
            cost = sum(_overlap_area(_box(tag), other) for other in placed)
            if cost < best_cost - 1e-9:
                best, best_cost = tag.get_center().copy(), cost
        tag.move_to(best)
        placed.append(_box(tag))
    return tags


def _push_inside(mob, region) -> None:
    left, right, bottom, top = region
    x0, x1, y0, y1 = _box(mob)
    mob.shift([max(left - x0, 0) - max(x1 - right, 0), max(bottom - y0, 0) - max(y1 - top, 0), 0])


def _box(mob) -> tuple[float, float, float, float]:
    return mob.get_left()[0], mob.get_right()[0], mob.get_bottom()[1], mob.get_top()[1]


def _overlap_area(a, b) -> float:
    w = min(a[1], b[1]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[2], b[2])
    return max(w, 0.0) * max(h, 0.0)
