"""A strip of paper folded in half again and again, seen edge-on, and a graph drawn piece by piece.

The tent map sends u in [0, 1] to 2u below 1/2 and to 2 - 2u above: it folds the strip at its
middle, the right half over the left, then stretches the result back to full width. Seen
edge-on, after d folds the strip is a stack of 2^d layers, each one linear piece of T^d,
joined at the ends by nested creases. :class:`Stack` is that stack (pure numpy): each piece's
level in the stack and whether it runs left to right (a rising piece of the graph).
:class:`FoldingPaper` draws one fold of a stack at a time ``t`` in [0, 2]: the flap swings
over (t in [0, 1]), then the folded stack stretches back to full width (t in [1, 2]).

Pieces are coloured by the sign of their slope (``positive`` rising, ``negative`` falling),
like :func:`piece_lines` colours the graph's pieces, so a layer of paper and a piece of the
graph read as the same thing. Creases are ``muted``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import Axes, Line, VGroup, VMobject

from ..theme import Theme
from .curves import to_points

ARC_POINTS = 24


@dataclass(frozen=True)
class Stack:
    """A folded strip, edge-on: for each piece in the strip's own order (x order), its level
    (0 at the bottom) and whether it runs from u = 0 to u = 1 (``rising``)."""

    levels: np.ndarray
    rising: np.ndarray

    @classmethod
    def flat(cls) -> Stack:
        """The unfolded strip: one piece, one level, left to right."""
        return cls(np.array([0]), np.array([True]))

    @property
    def pieces(self) -> int:
        return len(self.levels)

    def fold(self) -> Stack:
        """Fold at u = 1/2, the right half over the top: its level j goes to 2m - 1 - j."""
        top = 2 * self.pieces - 1
        levels, rising = [], []
        for level, up in zip(self.levels, self.rising, strict=True):
            low, high = (int(level), bool(up)), (top - int(level), not up)
            for lv, r in (low, high) if up else (high, low):
                levels.append(lv)
                rising.append(r)
        return Stack(np.array(levels), np.array(rising))

    def creases(self) -> list[tuple[int, int, float]]:
        """(level a, level b, u of the crease) between consecutive pieces, in x order."""
        ends = np.where(self.rising, 1.0, 0.0)  # where each piece ends, walking in x order
        return [
            (int(self.levels[i]), int(self.levels[i + 1]), float(ends[i]))
            for i in range(self.pieces - 1)
        ]


def piece_colour(rising: bool, theme: Theme) -> str:
    return theme.positive if rising else theme.negative


def piece_lines(axes: Axes, xs, ys, theme: Theme, width: float = 5.0) -> VGroup:
    """The graph through vertices (xs, ys), one Line a piece, coloured by its slope's sign."""
    pts = to_points(axes, np.asarray(xs, float), np.asarray(ys, float))
    lines = VGroup()
    for i in range(len(xs) - 1):
        colour = piece_colour(bool(ys[i + 1] > ys[i]), theme)
        lines.add(Line(pts[i], pts[i + 1]).set_stroke(colour, width=width))
    return lines


def _arc(centre: np.ndarray, ra: float, rb: float, a0: float, a1: float) -> np.ndarray:
    """Points of an ellipse arc (horizontal semi-axis ra, vertical rb) from angle a0 to a1."""
    ang = np.linspace(a0, a1, ARC_POINTS)
    pts = np.zeros((ARC_POINTS, 3))
    pts[:, 0] = centre[0] + ra * np.cos(ang)
    pts[:, 1] = centre[1] + rb * np.sin(ang)
    return pts


class FoldingPaper(VGroup):
    """One fold of ``stack`` drawn at time ``t`` (``set_time``): pieces, then creases.

    ``origin`` is the screen point of u = 0 on level 0; the strip is ``width`` wide and its
    levels ``gap`` apart. Submobjects: ``pieces`` (2m lines, the pieces after the fold, in x
    order) and ``creases`` (2m - 1 arcs, in x order), so the same objects move through the
    whole fold and the stretch.
    """

    def __init__(
        self,
        stack: Stack,
        origin,
        width: float,
        gap: float,
        theme: Theme,
        stroke: float = 4.0,
        bulge: float = 1.0,
    ):
        super().__init__()
        self.before, self.after = stack, stack.fold()
        self.origin = np.array([*np.asarray(origin, float)[:2], 0.0])
        self.span, self.gap, self.theme, self.bulge = width, gap, theme, bulge
        self.pieces = VGroup(*(VMobject() for _ in range(self.after.pieces)))
        self.creases = VGroup(*(VMobject() for _ in range(self.after.pieces - 1)))
        for m in self.pieces:
            m.set_stroke(width=stroke).set_fill(opacity=0)
        for m in self.creases:
            m.set_stroke(theme.muted, width=stroke * 0.6).set_fill(opacity=0)
        self.add(self.creases, self.pieces)
        self.t = 0.0
        self.set_time(0.0)

    # -- screen geometry ---------------------------------------------------------------------
    def _flat(self, u: float, level: float, scale: float) -> np.ndarray:
        return self.origin + np.array([u * self.span * scale, level * self.gap, 0.0])

    def _crease_points(self, a: int, b: int, u: float, scale: float) -> np.ndarray:
        """A half ellipse from level a to level b at the end u, bulging outward."""
        lo, hi = sorted((a, b))
        centre = self._flat(u, (lo + hi) / 2, scale)
        rb = (hi - lo) * self.gap / 2
        ra = self.bulge * rb
        start = -np.pi / 2 if u > 0.5 else 3 * np.pi / 2  # the bottom end
        pts = _arc(centre, ra, rb, start, np.pi / 2)
        return pts if a < b else pts[::-1]

    def _rotate(self, pts: np.ndarray, theta: float) -> np.ndarray:
        """Turn points of the right half about the fold's hinge (u = 1/2, top of the stack)."""
        c = self._flat(0.5, self.before.pieces - 0.5, 1.0)
        d = pts - c
        cos, sin = np.cos(theta), np.sin(theta)
        out = pts.copy()
        out[:, 0] = c[0] + d[:, 0] * cos - d[:, 1] * sin
        out[:, 1] = c[1] + d[:, 0] * sin + d[:, 1] * cos
        return out

    # -- drawing -------------------------------------------------------------------------------
    def set_time(self, t: float) -> FoldingPaper:
        """t in [0, 1]: the right half swings over by pi t; t in [1, 2]: the stack stretches."""
        self.t = float(np.clip(t, 0.0, 2.0))
        if self.t <= 1.0:
            self._draw_fold(np.pi * self.t)
        else:
            self._draw_stack(self.after, 0.5 + 0.5 * (self.t - 1.0))
        return self

    def _draw_stack(self, stack: Stack, scale: float) -> None:
        for m, level, up in zip(self.pieces, stack.levels, stack.rising, strict=True):
            ends = [self._flat(0, level, scale), self._flat(1, level, scale)]
            m.set_points_as_corners(ends if up else ends[::-1])
            m.set_stroke(piece_colour(bool(up), self.theme))
        for m, (a, b, u) in zip(self.creases, stack.creases(), strict=True):
            m.set_points_as_corners(self._crease_points(a, b, u, scale))

    def _draw_fold(self, theta: float) -> None:
        before, after = self.before, self.after
        c = self._flat(0.5, before.pieces - 0.5, 1.0)
        old = before.creases()
        for i, (level, up) in enumerate(zip(before.levels, before.rising, strict=True)):
            low = np.array([self._flat(0, level, 1.0), self._flat(0.5, level, 1.0)])
            high = self._rotate(
                np.array([self._flat(0.5, level, 1.0), self._flat(1, level, 1.0)]), theta
            )
            r = c[1] - low[0][1]  # the hinge is above every level: r > 0
            bend = _arc(c, r, r, -np.pi / 2, -np.pi / 2 + theta)
            if up:
                parts = (low, high)
            else:
                parts, bend = (high[::-1], low[::-1]), bend[::-1]
            for j, pts in enumerate(parts):
                m = self.pieces[2 * i + j]
                m.set_points_as_corners(pts)
                flipped = after.rising[2 * i + j] != up
                shown = up if (flipped and theta < np.pi / 2) else after.rising[2 * i + j]
                m.set_stroke(piece_colour(bool(shown), self.theme))
            self.creases[2 * i].set_points_as_corners(bend)
            if i < len(old):
                a, b, u = old[i]
                pts = self._crease_points(a, b, u, 1.0)
                self.creases[2 * i + 1].set_points_as_corners(
                    self._rotate(pts, theta) if u > 0.5 else pts
                )
