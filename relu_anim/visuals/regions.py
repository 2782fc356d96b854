"""Linear regions drawn from the core's exact polygons, coloured by activation pattern.

A region's colour is a function of its pattern only: ``region_colors[number of open
gates]``, a ramp of the ``open`` hue (faint: no gate open; vivid: all open), the same in
both themes up to lightness. Neighbouring regions differ in exactly one gate, so they sit
on adjacent steps of the ramp and never share a colour; the pattern itself is written
inside every region large enough to hold it. To colour the plane by the network's output
instead, see :mod:`.decision` (``theme.positive`` / ``theme.negative``, the sign colours).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import Line, Polygon, VGroup

from ..core.regions import Region
from ..theme import Theme
from .text import label

REGION_OPACITY = 0.5  # region fills; pattern labels (theme.text) keep 4.5:1 on them
ToScene = Callable[[np.ndarray], np.ndarray]  # (x1, x2) -> scene point, e.g. axes.c2p


def region_palette(theme: Theme) -> tuple[str, ...]:
    """The region colours (the ramp; the accent, kept for outlines and the moving point, is
    never among them)."""
    return tuple(c for c in theme.region_colors if c.lower() != theme.accent.lower())


def pattern_color(pattern: Sequence[int], theme: Theme) -> str:
    """The fill colour of a region with this on/off pattern: by its number of open gates."""
    palette = region_palette(theme)
    return palette[int(sum(pattern)) % len(palette)]


def pattern_text(pattern: Sequence[int]) -> str:
    """``1011``: gate ``j`` open is a 1 in place ``j`` (h1 first)."""
    return "".join("1" if p else "0" for p in pattern)


def _scene_points(poly: np.ndarray, to_scene: ToScene) -> np.ndarray:
    return np.array([to_scene(np.array([x, y])) for x, y in poly])


def region_polygons(
    regions: Sequence[Region], to_scene: ToScene, theme: Theme, opacity: float = REGION_OPACITY
) -> VGroup:
    """One filled Polygon per region (``.pattern`` and ``.region`` attached), exact corners."""
    group = VGroup()
    for region in regions:
        poly = Polygon(*_scene_points(region.polygon, to_scene))
        poly.set_fill(pattern_color(region.pattern, theme), opacity=opacity)
        poly.set_stroke(theme.background, width=1.0, opacity=0.8)
        poly.pattern = tuple(int(p) for p in region.pattern)
        poly.region = region
        group.add(poly)
    return group


def _inside(points: np.ndarray, poly: np.ndarray, slack: float) -> bool:
    """All ``points`` (k, 2) at least ``slack`` inside the convex CCW polygon ``poly``."""
    for a, b in zip(poly, np.roll(poly, -1, axis=0), strict=True):
        edge = b - a
        n = np.hypot(*edge)
        if n == 0:
            continue
        cross = (edge[0] * (points[:, 1] - a[1]) - edge[1] * (points[:, 0] - a[0])) / n
        if np.any(cross < slack):
            return False
    return True


def pattern_labels(
    polygons: VGroup, theme: Theme, size: float | None = None, slack: float = 0.04
) -> VGroup:
    """The pattern written at each region's centroid, where the label fits inside it."""
    group = VGroup()
    for poly in polygons:
        corners = poly.get_vertices()[:, :2]
        text = label(pattern_text(poly.pattern), theme, size=size or theme.tiny_size)
        text.move_to(poly.get_center_of_mass())
        box = np.array([text.get_corner(c)[:2] for c in _CORNERS])
        if _inside(box, corners, slack):
            text.pattern = poly.pattern
            group.add(text)
    return group


_CORNERS = [np.array([sx, sy, 0.0]) for sx in (-1, 1) for sy in (-1, 1)]


def switching_lines(
    lines: Sequence[tuple[int, np.ndarray, np.ndarray]],
    to_scene: ToScene,
    theme: Theme,
    focus: int | None = None,
    width: float = 3.0,
) -> VGroup:
    """Each unit's line ``w.x + b = 0`` (from ``first_layer_lines``), ``.unit`` attached;
    the focus unit's line in ``theme.accent``, the others in ``theme.text``. ``.tag_color``
    is the text-safe colour of the same hue, for the line's tag."""
    group = VGroup()
    for unit, p0, p1 in lines:
        line = Line(to_scene(p0), to_scene(p1))
        line.set_stroke(theme.accent if unit == focus else theme.text, width=width, opacity=0.9)
        line.tag_color = theme.accent_text if unit == focus else theme.text
        line.unit = unit
        group.add(line)
    return group


def line_tags(lines: VGroup, frame, theme: Theme, inset: float = 0.3, side: float = 0.2) -> VGroup:
    """A tag ``h<unit+1>`` near one end of each switching line (in the line's hue, text-safe:
    ``line.tag_color``), the end and side chosen greedily to keep the tags apart and inside
    ``frame``."""
    tags = VGroup()
    placed: list[np.ndarray] = []
    lo, hi = frame.get_corner(np.array([-1, -1, 0])), frame.get_corner(np.array([1, 1, 0]))
    for line in lines:
        color = getattr(line, "tag_color", None) or line.get_color()
        tag = label(f"h{line.unit + 1}", theme, size=theme.tiny_size, color=color)
        d = line.get_unit_vector()
        normal = np.array([-d[1], d[0], 0.0])
        best = None
        for end, inward in ((line.get_end(), -d), (line.get_start(), d)):
            for sgn in (1, -1):
                pos = end + inward * inset + sgn * normal * side
                half = np.array([tag.width, tag.height]) / 2 + 0.05
                if np.any(pos[:2] - half < lo[:2]) or np.any(pos[:2] + half > hi[:2]):
                    continue
                gap = min((np.linalg.norm(pos - q) for q in placed), default=np.inf)
                if best is None or gap > best[0]:
                    best = (gap, pos)
        tag.move_to(best[1] if best is not None else line.get_end() - d * inset)
        placed.append(tag.get_center())
        tag.unit = line.unit
        tags.add(tag)
    return tags


def circle_crossing_lines(
    lines: Sequence[tuple[int, np.ndarray, np.ndarray]],
    box: float,
    inset: float = 0.12,
    clearance: float = 0.08,
) -> tuple[np.ndarray, float]:
    """A circle (centre, radius) inside the square ``[-box+inset, box-inset]^2`` that crosses
    as many of the lines as possible, each by at least ``clearance``.

    Deterministic grid search; ties go to the circle whose centre is nearest the origin,
    then to the larger radius (longer path, well spread crossings).
    """
    if not lines:
        return np.zeros(2), 0.6 * box
    normals, offsets = [], []
    for _, p0, p1 in lines:
        d = (p1 - p0) / np.linalg.norm(p1 - p0)
        n = np.array([-d[1], d[0]])
        normals.append(n)
        offsets.append(float(n @ p0))
    normals, offsets = np.array(normals), np.array(offsets)
    best = None
    grid = np.linspace(-0.5 * box, 0.5 * box, 11)
    for cx in grid:
        for cy in grid:
            c = np.array([cx, cy])
            r_max = box - inset - max(abs(cx), abs(cy))
            if r_max <= 0.2 * box:
                continue
            dist = np.abs(normals @ c - offsets)
            crossed = int(np.sum(dist < r_max - clearance))
            key = (crossed, -round(float(np.hypot(cx, cy)), 6), r_max)
            if best is None or key > best[0]:
                best = (key, c, r_max)
    assert best is not None
    return best[1], float(best[2])


def quiet_angle(
    center: np.ndarray,
    radius: float,
    lines: Sequence[tuple[int, np.ndarray, np.ndarray]],
    steps: int = 72,
) -> float:
    """The angle on the circle (centre, radius) farthest from every switching line and from
    the two axes (where the axis names and tick numbers sit): a quiet place to start a walk."""
    through = [(p0, p1) for _, p0, p1 in lines]
    through += [(np.zeros(2), np.array([1.0, 0.0])), (np.zeros(2), np.array([0.0, 1.0]))]
    normals = []
    for p0, p1 in through:
        d = (p1 - p0) / np.linalg.norm(p1 - p0)
        normals.append((np.array([-d[1], d[0]]), p0))
    angles = 2 * np.pi * np.arange(steps) / steps
    points = center + radius * np.column_stack([np.cos(angles), np.sin(angles)])
    clear = np.min([np.abs((points - p0) @ n) for n, p0 in normals], axis=0)
    return float(angles[int(np.argmax(clear))])
