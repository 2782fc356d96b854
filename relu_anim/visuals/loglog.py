"""A log-log chart: values against a count, both axes logarithmic, with fitted power laws.

The x axis runs in ``log2`` (ticks at the counts given, e.g. 8, 16, ..., 128), the y axis in
``log10`` with whole decades labelled. A straight line on it is a power law ``y = C x^p``;
:meth:`LogLogChart.fit_line` draws one from its slope ``p`` and natural-log intercept.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, Axes, DashedVMobject, Dot, VGroup

from ..theme import Theme
from .curves import PolylineGraph, decade_label, to_points
from .text import label


class LogLogChart(VGroup):
    """``series`` maps a name to ``(values, color)``; every series shares the counts ``xs``."""

    def __init__(
        self,
        xs: Sequence[float],
        series: dict[str, tuple[Sequence[float], str]],
        theme: Theme,
        x_length: float = 5.0,
        y_length: float = 3.2,
        x_name: str = "units N",
    ):
        super().__init__()
        self.theme = theme
        self.xs = np.asarray(xs, dtype=float)
        lx = np.log2(self.xs)
        every = np.log10(np.concatenate([np.asarray(v, float) for v, _ in series.values()]))
        self.floor = math.floor(every.min() - 0.05)
        top = max(math.ceil(every.max() + 0.05), self.floor + 1)
        self.x0 = float(lx.min())
        span = float(lx.max()) - self.x0
        pad = 0.08 * span
        self.axes = Axes(
            x_range=[-pad, span + pad, 1],
            y_range=[0, top - self.floor, 1],
            x_length=x_length,
            y_length=y_length,
            tips=False,
            axis_config={"color": theme.muted, "stroke_width": 2, "tick_size": 0.05},
        )
        self.x_labels = VGroup()
        for x in self.xs:
            t = label(f"{x:g}", theme, size=theme.tiny_size, color=theme.muted)
            self.x_labels.add(t.next_to(self._point(x, 10.0**self.floor), DOWN, buff=0.15))
        self.y_labels = VGroup()
        for d in range(self.floor, top + 1):
            t = label(decade_label(d), theme, size=theme.tiny_size, color=theme.muted)
            self.y_labels.add(t.next_to(self.axes.c2p(-pad, d - self.floor), LEFT, buff=0.12))
        self.x_label = label(x_name, theme, size=theme.tiny_size, color=theme.muted)
        self.x_label.next_to(self.x_labels, DOWN, buff=0.15)
        self.lines: dict[str, VGroup] = {}
        self.values = {k: np.asarray(v, dtype=float) for k, (v, _) in series.items()}
        for name, (values, color) in series.items():
            xs_, ys_ = self._coords(self.xs, np.asarray(values, float))
            line = PolylineGraph(self.axes, xs_, ys_, color=color, width=3.5)
            dots = VGroup(
                *(Dot(p, radius=0.05, color=color) for p in to_points(self.axes, xs_, ys_))
            )
            self.lines[name] = VGroup(line, dots)
        self.add(self.axes, self.x_labels, self.y_labels, self.x_label, *self.lines.values())

    def _coords(self, xs, ys) -> tuple[np.ndarray, np.ndarray]:
        xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        return np.log2(xs) - self.x0, np.log10(np.maximum(ys, 1e-300)) - self.floor

    def _point(self, x: float, y: float) -> np.ndarray:
        return to_points(self.axes, *self._coords([x], [y]))[0]

    def point(self, x: float, y: float) -> np.ndarray:
        """The scene point of ``(x, y)`` on this chart."""
        return self._point(x, y)

    def fit_line(self, slope: float, intercept: float, color: str, width: float = 2.5):
        """``y = exp(intercept) x^slope`` across the counts and a little beyond, dashed."""
        for reach in (0.25, 0.0):  # a quarter octave beyond the data, unless it leaves the chart
            ends = np.array([self.xs.min(), self.xs.max()]) * 2.0 ** np.array([-reach, reach])
            xs, ys = self._coords(ends, np.exp(intercept) * ends**slope)
            if ys.min() >= 0 and ys.max() <= self.axes.y_range[1]:
                break
        line = PolylineGraph(self.axes, xs, ys, color=color)
        line.set_stroke(width=width)
        return DashedVMobject(line, num_dashes=24, dashed_ratio=0.55)
