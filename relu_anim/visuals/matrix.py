"""A panel that prints an affine layer ``x -> W x + b``: a bracketed 2x2 matrix and a bias.

Numbers are passed in (from the core) and formatted here with :func:`fmt`; each entry is its
own monospace ``Text`` so tests can read the displayed strings back (:meth:`MatrixPanel.shown`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Animation, RoundedRectangle, VGroup, VMobject

from ..theme import Theme
from .text import formula, label, mono

MINUS = "\u2212"


def fmt(x: float, places: int) -> str:
    """``x`` with ``places`` decimals, a typographic minus, and no ``-0.0``."""
    s = f"{float(x):.{places}f}"
    if float(s) == 0.0:
        s = f"{0.0:.{places}f}"
    return s.replace("-", MINUS)


def parse(s: str) -> float:
    """Inverse of :func:`fmt` (for tests and readouts)."""
    return float(s.replace(MINUS, "-"))


class BracketGrid(VGroup):
    """Strings in a grid of right-aligned columns between square brackets."""

    def __init__(self, rows: Sequence[Sequence[str]], theme: Theme, size: float):
        super().__init__()
        self.cells = [[mono(s, theme, size=size) for s in row] for row in rows]
        ncols = len(self.cells[0])
        col_w = [max(row[j].width for row in self.cells) for j in range(ncols)]
        row_h = max(c.height for row in self.cells for c in row)
        dx, dy = 0.3, row_h * 1.9
        x = 0.0
        for j in range(ncols):
            for i, row in enumerate(self.cells):
                row[j].move_to([x + col_w[j], -i * dy, 0], aligned_edge=RIGHT)
            x += col_w[j] + dx
        self.entries = VGroup(*[c for row in self.cells for c in row])
        top = self.entries.get_top()[1] + 0.12
        bottom = self.entries.get_bottom()[1] - 0.12
        left = self.entries.get_left()[0] - 0.14
        right = self.entries.get_right()[0] + 0.14
        lip = 0.1
        self.brackets = VGroup(
            _polyline([[left + lip, top], [left, top], [left, bottom], [left + lip, bottom]]),
            _polyline([[right - lip, top], [right, top], [right, bottom], [right - lip, bottom]]),
        ).set_stroke(theme.text, width=2.5)
        self.add(self.entries, self.brackets)

    def shown(self) -> list[list[str]]:
        return [[c.original_text for c in row] for row in self.cells]


def _polyline(xy) -> VMobject:
    pts = np.zeros((len(xy), 3))
    pts[:, :2] = xy
    return VMobject().set_points_as_corners(pts)


class MatrixPanel(VGroup):
    """``W = [..]  b = [..]`` on a rounded panel, with an optional header line above.

    ``w_tex``/``b_tex`` name the matrix and bias (LaTeX, with plain fallbacks ``w_plain``,
    ``b_plain``); entries are printed with ``places`` decimals. ``stacked`` puts the bias
    under the matrix instead of beside it.
    """

    def __init__(
        self,
        W: np.ndarray,
        b: np.ndarray,
        theme: Theme,
        places: int = 1,
        w_tex: str = "W",
        b_tex: str = "b",
        w_plain: str | None = None,
        b_plain: str | None = None,
        header: str | None = None,
        size: float | None = None,
        stacked: bool = False,
    ):
        super().__init__()
        self.theme = theme
        size = size or theme.small_size
        W, b = np.asarray(W, dtype=float), np.asarray(b, dtype=float)
        self.matrix = BracketGrid([[fmt(v, places) for v in row] for row in W], theme, size)
        self.vector = BracketGrid([[fmt(v, places)] for v in b], theme, size)
        w_name = formula(f"{w_tex} =", f"{w_plain or w_tex} =", theme, size=size)
        b_name = formula(f"{b_tex} =", f"{b_plain or b_tex} =", theme, size=size)
        w_name.next_to(self.matrix, LEFT, buff=0.15)
        if stacked:  # bias under the matrix, names right-aligned: narrower panel
            self.vector.next_to(self.matrix, DOWN, buff=0.25, aligned_edge=LEFT)
            b_name.next_to(self.vector, LEFT, buff=0.15).align_to(w_name, RIGHT)
        else:
            b_name.next_to(self.matrix, RIGHT, buff=0.35)
            self.vector.next_to(b_name, RIGHT, buff=0.15)
        body = VGroup(w_name, self.matrix, b_name, self.vector)
        content = body
        self.header = None
        if header:
            self.header = VGroup(
                *[
                    label(line, theme, size=theme.tiny_size, color=theme.muted)
                    for line in header.split("\n")
                ]
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.14)
            self.header.next_to(body, UP, buff=0.18).align_to(body, LEFT)
            content = VGroup(self.header, body)
        self.frame = RoundedRectangle(
            corner_radius=0.12,
            width=content.width + 0.4,
            height=content.height + 0.3,
            fill_color=theme.panel,
            fill_opacity=1.0,
            stroke_color=theme.grid,
            stroke_width=2.0,
        ).move_to(content)
        self.add(self.frame, content)

    def shown(self) -> tuple[list[list[str]], list[str]]:
        """The displayed strings: (matrix rows, bias entries)."""
        return self.matrix.shown(), [row[0] for row in self.vector.shown()]

    def shown_values(self) -> tuple[np.ndarray, np.ndarray]:
        W, b = self.shown()
        return np.array([[parse(s) for s in row] for row in W]), np.array([parse(s) for s in b])

    def highlight(self, on: bool = True) -> Animation:
        color = self.theme.accent if on else self.theme.grid
        return self.frame.animate.set_stroke(color, width=3.0 if on else 2.0)


class Connector(VGroup):
    """A short down arrow between stacked panels, optionally tagged (e.g. ``ReLU``)."""

    def __init__(self, theme: Theme, tag: str | None = None, length: float = 0.35):
        super().__init__()
        self.theme = theme
        self.shaft = _polyline([[0, length / 2], [0, -length / 2]])
        head = _polyline([[-0.08, -length / 2 + 0.1], [0, -length / 2], [0.08, -length / 2 + 0.1]])
        self.arrow = VGroup(self.shaft, head).set_stroke(theme.muted, width=2.5)
        self.add(self.arrow)
        self.tag = None
        if tag:
            self.tag = label(tag, theme, size=theme.tiny_size, color=theme.hinge, weight="BOLD")
            self.tag.next_to(self.arrow, RIGHT, buff=0.15)
            self.add(self.tag)

    def highlight(self, on: bool = True) -> Animation:
        color = self.theme.accent if on else self.theme.muted
        return self.arrow.animate.set_stroke(color)


def vec(v, places: int) -> str:
    """A point as ``(x, y)`` with :func:`fmt` numbers."""
    return "(" + ", ".join(fmt(x, places) for x in np.asarray(v, dtype=float).ravel()) + ")"


class NotePanel(VGroup):
    """Left-aligned lines of text on a rounded panel; ``lines`` are ``(text, color)`` pairs.

    A color of ``None`` means the theme's text colour; ``sizes`` defaults to small text.
    """

    def __init__(
        self,
        lines: Sequence[tuple[str, str | None]],
        theme: Theme,
        size: float | None = None,
        max_width: float | None = None,
    ):
        super().__init__()
        size = size or theme.small_size
        self.lines = VGroup(*[label(t, theme, size=size, color=c) for t, c in lines])
        self.lines.arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if max_width and self.lines.width > max_width - 0.4:
            self.lines.scale_to_fit_width(max_width - 0.4)
        self.frame = RoundedRectangle(
            corner_radius=0.12,
            width=self.lines.width + 0.4,
            height=self.lines.height + 0.35,
            fill_color=theme.panel,
            fill_opacity=1.0,
            stroke_color=theme.grid,
            stroke_width=2.0,
        ).move_to(self.lines)
        self.add(self.frame, self.lines)


def stack(items: Sequence[VGroup], max_height: float, buff: float = 0.08) -> VGroup:
    """Items arranged top to bottom, centred, scaled down only if taller than ``max_height``."""
    group = VGroup(*items).arrange(DOWN, buff=buff)
    if group.height > max_height:
        group.scale_to_fit_height(max_height)
    return group
