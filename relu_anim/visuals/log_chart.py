"""A chart of values over a linear x axis with a log-10 y axis spanning any number of decades.

Like :class:`~.curves.ErrorChart` (which plots errors against units and floors them at
1e-12), but for values that span many decades (a gradient that vanishes to 1e-14): no floor
but the data's own, a decade label every ``k`` decades so at most ``max_labels`` show, both
axes named, and dots optional (a training curve with a hundred snapshots is a line).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, UP, Axes, Dot, Line, VGroup

from ..theme import Theme
from .curves import PolylineGraph, add_tick_labels, nice_step, to_coords, to_points
from .text import label


def decade_text(d: int) -> str:
    """``10^d`` as the tick label: 1000, 1, 0.01, then 1e-5 below 0.001 and 1e+5 above 1e4."""
    return f"{10.0**d:g}" if -3 <= d <= 4 else f"1e{d:+d}".replace("+", "")


class LogChart(VGroup):
    """``series`` maps a name to ``(values, color)``, all over the same ``xs``.

    Values are plotted as ``log10(value) - floor`` where ``floor`` is the lowest decade shown;
    ``lines[name]`` is ``VGroup(polyline)`` or ``VGroup(polyline, dots)``; each polyline keeps
    its vertices (``xs``, ``ys`` in axis coordinates) for redrawing part of it.
    """

    def __init__(
        self,
        xs: Sequence[float],
        series: dict[str, tuple[Sequence[float], str]],
        theme: Theme,
        x_name: str,
        y_name: str,
        x_length: float = 6.0,
        y_length: float = 3.5,
        dots: bool = True,
        max_labels: int = 8,
    ):
        super().__init__()
        self.xs = np.asarray(xs, dtype=float)
        logs = {
            k: np.log10(np.maximum(np.asarray(v, float), 1e-300)) for k, (v, _) in series.items()
        }
        every = np.concatenate(list(logs.values()))
        self.floor = math.floor(every.min() - 0.05)
        top = max(math.ceil(every.max() + 0.05), self.floor + 1)
        step = nice_step(float(self.xs.max() - self.xs.min()), 5)
        step = max(1.0, round(step)) if step >= 1 else step
        self.axes = Axes(
            x_range=[float(self.xs.min()), float(self.xs.max()), step],
            y_range=[0, top - self.floor, 1],
            x_length=x_length,
            y_length=y_length,
            tips=False,
            axis_config={"color": theme.muted, "stroke_width": 2, "tick_size": 0.05},
            x_axis_config={"include_ticks": False},
        )
        # ticks at the round multiples of the step (5, 10, 15, 20), and at the first x
        lo, hi = float(self.xs.min()), float(self.xs.max())
        ticks = np.arange(math.ceil(lo / step - 1e-9) * step, hi + 1e-9 * step, step)
        if ticks[0] - lo > 0.5 * step:
            ticks = np.concatenate([[lo], ticks])
        elif ticks[0] > lo:
            ticks[0] = lo
        self.axes.x_axis.add(
            VGroup(
                *(
                    Line(UP * 0.05, DOWN * 0.05, stroke_width=2, color=theme.muted).move_to(
                        self.axes.c2p(t, 0)
                    )
                    for t in ticks
                )
            )
        )
        add_tick_labels(self.axes.x_axis, ticks, 0 if step >= 1 else 2, theme)
        k = max(1, -(-(top - self.floor + 1) // max_labels))
        self.y_labels = VGroup()
        for d in range(self.floor, top + 1, k):  # from the lowest decade up
            t = label(decade_text(d), theme, size=theme.tiny_size, color=theme.muted)
            t.next_to(self.axes.c2p(self.xs.min(), d - self.floor), LEFT, buff=0.12)
            self.y_labels.add(t)
        self.x_label = label(x_name, theme, size=theme.tiny_size, color=theme.muted)
        self.x_label.next_to(self.axes.x_axis, DOWN, buff=0.4)
        self.y_label = label(y_name, theme, size=theme.tiny_size, color=theme.muted)
        self.y_label.next_to(self.axes.y_axis, UP, buff=0.15).align_to(self.axes, LEFT)
        self.lines: dict[str, VGroup] = {}
        self.values = {k: np.asarray(v, dtype=float) for k, (v, _) in series.items()}
        for name, (_v, color) in series.items():
            ys = logs[name] - self.floor
            line = VGroup(PolylineGraph(self.axes, self.xs, ys, color=color, width=3.5))
            if dots:
                pts = to_points(self.axes, self.xs, ys)
                line.add(VGroup(*(Dot(p, radius=0.04, color=color) for p in pts)))
            self.lines[name] = line
        self.frame = VGroup(self.axes, self.y_labels, self.x_label, self.y_label)
        self.add(self.frame, *self.lines.values())

    def point(self, x: float, value: float) -> np.ndarray:
        """The scene point of ``(x, value)`` on this chart."""
        return to_points(self.axes, [x], [math.log10(value) - self.floor])[0]

    def drawn_values(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(xs, values) of the vertices of the polyline drawn for ``name``, read back from its
        points through the axes (a straight segment is 4 Bezier points: 2 anchors, 2 handles)."""
        pts = self.lines[name][0].points
        xs, ys = to_coords(self.axes, np.vstack([pts[::4], pts[-1:]]))
        return xs, 10.0 ** (ys + self.floor)
