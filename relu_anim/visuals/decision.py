"""A classifier's decision on the plane, drawn from the core's exact pieces.

Meaning by colour, the same in both themes: ``theme.positive`` is class 1 (the net's output
``y > 0``), ``theme.negative`` is class 0 (``y < 0``), for the plane's fills and for the data
points alike. Points also differ by shape (class 1 a disc, class 0 a square), so the classes
read apart without colour, and each point has a rim in the background colour so it stands
out on a fill of its own hue. The boundary ``y = 0`` is a stroke in ``theme.accent``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import LEFT, RIGHT, Dot, Line, Polygon, Square, VGroup, VMobject

from ..core.decision import Piece, Segment
from ..theme import Theme
from .regions import REGION_OPACITY
from .text import label

ToScene = Callable[[np.ndarray], np.ndarray]
POINT_SIZE = 0.1  # a data point's width in scene units
RIM = 1.5  # the point's rim, in the background colour


def class_color(label_: int, theme: Theme) -> str:
    """``theme.positive`` for class 1 (y > 0), ``theme.negative`` for class 0 (y < 0)."""
    return theme.positive if label_ else theme.negative


def class_fills(
    pieces: Sequence[Piece], to_scene: ToScene, theme: Theme, opacity: float = REGION_OPACITY
) -> VGroup:
    """One Polygon per piece, filled in its class's colour (``.label``, ``.region`` kept)."""
    group = VGroup()
    for piece in pieces:
        poly = Polygon(*[to_scene(p) for p in piece.polygon])
        poly.set_fill(class_color(piece.label, theme), opacity=opacity).set_stroke(width=0)
        poly.label, poly.region = piece.label, piece.region
        group.add(poly)
    return group


def boundary(segments: Sequence[Segment], to_scene: ToScene, theme: Theme, width=5.0) -> VGroup:
    """The decision boundary, one Line per region it crosses (``.region`` kept)."""
    group = VGroup()
    for seg in segments:
        line = Line(to_scene(seg.p0), to_scene(seg.p1)).set_stroke(theme.accent, width=width)
        line.region = seg.region
        group.add(line)
    return group


def class_marker(label_: int, theme: Theme, size: float = POINT_SIZE) -> VMobject:
    """A class-1 disc or a class-0 square, in the class colour with a background rim."""
    mark = Dot(radius=size / 2) if label_ else Square(side_length=size * 0.9)
    mark.set_fill(class_color(label_, theme), opacity=1.0)
    return mark.set_stroke(theme.background, width=RIM)


def class_points(
    X: np.ndarray, y: np.ndarray, to_scene: ToScene, theme: Theme, size: float = POINT_SIZE
) -> VGroup:
    """The data points, each a :func:`class_marker` (``.label`` kept) at its place."""
    group = VGroup()
    for x, c in zip(X, y, strict=True):
        mark = class_marker(int(c > 0.5), theme, size).move_to(to_scene(x))
        mark.label = int(c > 0.5)
        group.add(mark)
    return group


def class_key(theme: Theme, size: float | None = None) -> VGroup:
    """``● class 1: y > 0    ■ class 0: y < 0``, each in its class colour."""
    size = size or theme.tiny_size
    items = []
    for c in (1, 0):
        text = f"class {c}: y {'>' if c else '<'} 0"
        words = label(text, theme, size=size, color=class_color(c, theme))
        items.append(VGroup(class_marker(c, theme, 0.16), words).arrange(RIGHT, buff=0.12))
    return VGroup(*items).arrange(RIGHT, buff=0.45)


def boundary_key(theme: Theme, size: float | None = None) -> VGroup:
    """A short accent stroke and ``boundary: y = 0``."""
    stroke = Line(LEFT * 0.25, RIGHT * 0.25).set_stroke(theme.accent, width=5)
    words = label("boundary: y = 0", theme, size=size or theme.tiny_size, color=theme.muted)
    return VGroup(stroke, words).arrange(RIGHT, buff=0.12)
