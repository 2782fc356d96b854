"""The error band: the region between a target curve and a net's graph, filled.

Its height at each x is ``|target(x) - net(x)|``, so a glance shows where a fit is off and
by how much. The band is a closed polygon on a fixed grid of x values (forward along the
target, back along the net), so two bands on the same grid morph vertex by vertex: halfway
through a ``Transform`` the net's edge is exactly the average of the two nets, like the
graph drawn by :meth:`relu_anim.visuals.curves.PolylineGraph.morph_to_net`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Axes, Transform, VMobject

from ..core.network import ReluNet
from .curves import Domain, _AxesRef, to_coords, to_points

BAND_OPACITY = 0.35
BAND_SAMPLES = 481


class ErrorBand(VMobject):
    """The filled gap between ``target`` and ``net`` on ``domain``, sampled at ``samples`` x."""

    def __init__(
        self,
        axes: Axes,
        target: Callable[[np.ndarray], np.ndarray],
        net: ReluNet,
        domain: Domain,
        color: str,
        opacity: float = BAND_OPACITY,
        samples: int = BAND_SAMPLES,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self._axes_ref, self.domain = _AxesRef(axes), domain  # shared, never deep-copied
        self.xs = np.linspace(float(domain[0]), float(domain[1]), samples)
        self.upper = np.asarray(target(self.xs), dtype=float)
        self.set_stroke(width=0).set_fill(color, opacity=opacity)
        self.set_net(net)

    @property
    def axes(self) -> Axes:
        return self._axes_ref.axes

    def set_net(self, net: ReluNet) -> ErrorBand:
        self.net = net
        self.lower = np.asarray(net(self.xs), dtype=float)
        xs = np.concatenate([self.xs, self.xs[::-1]])
        ys = np.concatenate([self.upper, self.lower[::-1]])
        self.set_points_as_corners(to_points(self.axes, np.append(xs, xs[0]), np.append(ys, ys[0])))
        return self

    def morph_to_net(self, net: ReluNet, **kwargs) -> Transform:
        """A Transform to the band of ``net`` (the same grid: vertex by vertex)."""
        target = self.copy().set_net(net)
        self.net, self.lower = target.net, target.lower
        return Transform(self, target, **kwargs)

    def drawn_gap(self) -> tuple[np.ndarray, np.ndarray]:
        """(xs, |upper - lower|) read back from the drawn polygon, through the axes."""
        xs, ys = to_coords(self.axes, self.points[:: self.n_points_per_curve])
        n = len(self.xs)
        return xs[:n], np.abs(ys[:n] - ys[n : 2 * n][::-1])
