"""Curves on axes: exact polylines for ReLU nets and hinges, fast sampled smooth curves.

A one-hidden-layer ReLU net of one input is piecewise linear, straight between its kinks, so
it is drawn *exactly* as a polyline through its kinks (and the domain ends), never smoothed.
:class:`PolylineGraph` keeps its vertices as numpy arrays in axis coordinates and morphs to
another net without updaters: both nets are sampled on the union of their kinks, so the two
polylines have the same vertices and a plain ``Transform`` (vertex-wise linear interpolation)
passes exactly through ``(1 - t) f_a + t f_b``.

Everything that maps coordinates to the scene goes through ``axes.c2p`` with whole arrays.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
from manim import DOWN, LEFT, Axes, Dot, Transform, VGroup, VMobject

from ..core.network import ReluNet
from ..theme import Theme

Domain = tuple[float, float]
_TOL = 1e-12


# -- numbers -> axis coordinates (pure numpy) --------------------------------------------------
def breakpoints(kinks: Sequence[float], domain: Domain, extra: int = 0) -> np.ndarray:
    """Sorted union of the domain ends, the kinks strictly inside, and ``extra`` uniform points."""
    a, b = float(domain[0]), float(domain[1])
    ks = np.asarray(kinks, dtype=float).ravel()
    ks = ks[np.isfinite(ks) & (ks > a) & (ks < b)]
    xs = np.concatenate([[a, b], ks, np.linspace(a, b, extra + 2)[1:-1] if extra else []])
    xs = np.unique(xs)
    keep = np.concatenate([[True], np.diff(xs) > _TOL * max(1.0, b - a)])
    xs = xs[keep]
    xs[-1] = b
    return xs


def piecewise_linear_points(
    net: ReluNet, domain: Domain, extra: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(xs, ys) of the net's graph: vertices at the domain ends and every kink inside."""
    xs = breakpoints(net.kinks(), domain, extra)
    return xs, np.asarray(net(xs), dtype=float)


def shared_breakpoints(nets: Sequence[ReluNet], domain: Domain) -> np.ndarray:
    """One x grid that holds every kink of every net: linear interpolation between them is exact."""
    return breakpoints(np.concatenate([n.kinks() for n in nets]), domain)


def hinge_points(
    w: float, b: float, v: float, domain: Domain, y_range: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Three vertices of ``v * max(0, w x + b)`` on ``domain``, cut where it leaves ``y_range``.

    Always three vertices (the zero end, the kink, the far end of the ramp), so any two hinges
    morph into each other vertex by vertex. The ramp is cut at the point where it leaves the
    window rather than clamped to the border, so what is drawn is exactly the hinge.
    """
    a, bb = float(domain[0]), float(domain[1])
    lo, hi = float(y_range[0]), float(y_range[1])
    if w == 0:
        xs = np.array([a, 0.5 * (a + bb), bb])
        return xs, np.clip(np.full(3, v * max(b, 0.0)), lo, hi)
    kink = min(max(-b / w, a), bb)
    zero_end, ramp_end = (a, bb) if w > 0 else (bb, a)
    xs = np.array([zero_end, kink, ramp_end])
    ys = v * np.maximum(w * xs + b, 0.0)
    bound = hi if v * 1.0 > 0 else lo
    if abs(ys[2]) > abs(bound) and v != 0:
        cut = (bound / v - b) / w  # where the ramp meets the window's edge
        if min(kink, ramp_end) <= cut <= max(kink, ramp_end):
            xs[2], ys[2] = cut, bound
    ys = np.clip(ys, lo, hi)  # only bites when the whole ramp is outside the window
    order = np.argsort(xs, kind="stable")
    return xs[order], ys[order]


def hinge_terms(net: ReluNet) -> list[tuple[float, float, float]]:
    """(w_j, b_j, v_j) of every hidden unit of a 1-input, 1-hidden, 1-output net, in unit order."""
    return [
        (float(w), float(b), float(v))
        for w, b, v in zip(net.W1[:, 0], net.b1, net.W2[0], strict=True)
    ]


def hinge_text(w: float, b: float, v: float, places: int = 2, joined: bool = False) -> str:
    """``"1.97·max(0, x + 1.03)"``: one unit's term as plain text (``w = 1`` is left out).

    ``joined=True`` writes it as a term added to a sum: ``"+ 1.97·max(..)"``, ``"− 0.17·max(..)"``.
    """
    if abs(w - 1.0) < 0.5 * 10**-places:
        inner = "x"
    elif abs(w + 1.0) < 0.5 * 10**-places:
        inner = "−x"
    else:
        inner = f"{_num(w, places)}x"
    if abs(b) >= 0.5 * 10**-places:
        inner += f" {'−' if b < 0 else '+'} {abs(b):.{places}f}"
    if joined:
        return f"{'−' if v < 0 else '+'} {abs(v):.{places}f}·max(0, {inner})"
    return f"{_num(v, places)}·max(0, {inner})"


def _num(value: float, places: int) -> str:
    return f"{value:.{places}f}".replace("-", "−")


def nice_step(span: float, ticks: int = 5) -> float:
    """A 1-2-5 step giving about ``ticks`` intervals over ``span``."""
    raw = max(span, 1e-12) / max(ticks, 1)
    p = 10.0 ** math.floor(math.log10(raw))
    return next(m * p for m in (1, 2, 2.5, 5, 10) if m * p >= raw * 0.999)


def padded_range(values: np.ndarray, pad: float = 0.12, include_zero: bool = True):
    """(lo, hi) covering ``values`` with a margin; with ``include_zero`` the zero line is in."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    lo, hi = (float(v.min()), float(v.max())) if v.size else (-1.0, 1.0)
    if include_zero:
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    span = hi - lo if hi > lo else 1.0
    return lo - pad * span, hi + pad * span


# -- mobjects -----------------------------------------------------------------------------------
def to_points(axes: Axes, xs, ys) -> np.ndarray:
    """Scene points (n, 3) for axis coordinates, in one vectorised call."""
    xs, ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
    return np.asarray(axes.c2p(xs, ys), dtype=float).T.reshape(-1, 3)


def to_coords(axes: Axes, points) -> tuple[np.ndarray, np.ndarray]:
    """Axis coordinates (xs, ys) of scene points (n, 3): the inverse of :func:`to_points`."""
    c = np.asarray(axes.p2c(np.asarray(points, dtype=float)), dtype=float).reshape(-1, 2)
    return c[:, 0], c[:, 1]


def add_tick_labels(axis, values, places: int, theme: Theme, size: float | None = None) -> VGroup:
    """Tick numbers in the theme's text font, added to ``axis`` so they move with it.

    Not ``axis.add_numbers``: that typesets with LaTeX (DecimalNumber), which scenes must not
    need, and its serif digits differ from every other number on screen.
    """
    from .text import label  # local: keeps this module's import list short

    vertical = abs(axis.get_unit_vector()[1]) > 0.5
    labels = VGroup()
    for v in values:
        t = label(f"{v:.{places}f}".replace("-", "\u2212"), theme, size=size or theme.tiny_size)
        t.set_color(theme.muted)
        t.next_to(axis.number_to_point(v), LEFT if vertical else DOWN, buff=0.15)
        labels.add(t)
    axis.add(labels)
    return labels


def function_axes(
    theme: Theme,
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    x_length: float,
    y_length: float,
    numbers: bool = True,
    x_ticks: int = 6,
    y_ticks: int = 4,
) -> Axes:
    """Plain axes in the theme's muted colour, with 1-2-5 ticks and tiny numbers."""
    xs, ys = (
        nice_step(x_range[1] - x_range[0], x_ticks),
        nice_step(y_range[1] - y_range[0], y_ticks),
    )

    def places(step: float) -> int:
        """Decimals that write every multiple of ``step`` exactly (2.5 needs one, 0.25 two)."""
        p = max(0, -math.floor(math.log10(step) + 1e-9)) if step < 1 else 0
        while abs(step * 10**p - round(step * 10**p)) > 1e-6 * step * 10**p:
            p += 1
        return p

    axes = Axes(
        x_range=[x_range[0], x_range[1], xs],
        y_range=[y_range[0], y_range[1], ys],
        x_length=x_length,
        y_length=y_length,
        tips=False,
        axis_config={"color": theme.muted, "stroke_width": 2, "tick_size": 0.05},
    )
    if numbers:
        for axis, step in ((axes.x_axis, xs), (axes.y_axis, ys)):
            first = math.ceil(axis.x_min / step - 1e-9) * step
            values = [v for v in np.arange(first, axis.x_max + 1e-9 * step, step) if abs(v) > 1e-9]
            add_tick_labels(axis, values, places(step), theme)
    return axes


class _AxesRef:
    """Holds the axes a graph is drawn on without copying them when the graph is copied.

    Manim deep-copies a mobject's attributes on ``copy()`` (every Transform does it), and a
    full Axes with its number labels is far bigger than the curve: share it instead.
    """

    def __init__(self, axes: Axes):
        self.axes = axes

    def __copy__(self) -> _AxesRef:
        return self

    def __deepcopy__(self, memo) -> _AxesRef:
        return self


class PolylineGraph(VMobject):
    """A graph drawn as straight segments through vertices ``(xs, ys)`` given in axis coordinates.

    ``xs``/``ys`` hold the vertices last set (for a morph: the target's, as soon as the
    animation is made). ``net`` is the ReLU net the graph shows, when it shows one.
    """

    def __init__(self, axes: Axes, xs, ys, color: str, width: float = 4.0, **kwargs):
        super().__init__(**kwargs)
        self._axes_ref = _AxesRef(axes)
        self.net: ReluNet | None = None
        self.set_stroke(color, width=width)
        self.set_fill(opacity=0)
        self.set_graph(xs, ys)

    @property
    def axes(self) -> Axes:
        return self._axes_ref.axes

    def set_graph(self, xs, ys) -> PolylineGraph:
        self.xs, self.ys = np.asarray(xs, dtype=float), np.asarray(ys, dtype=float)
        self.set_points_as_corners(to_points(self.axes, self.xs, self.ys))
        return self

    @classmethod
    def from_net(
        cls, axes: Axes, net: ReluNet, domain: Domain, color: str, width: float = 4.0
    ) -> PolylineGraph:
        graph = cls(axes, *piecewise_linear_points(net, domain), color=color, width=width)
        graph.net = net
        return graph

    def morph_to_net(self, net: ReluNet, domain: Domain, **kwargs) -> Transform:
        """A Transform from the net shown now to ``net``; exact at every frame, no updaters.

        The graph is first resampled (invisibly: same lines) on the union of both nets' kinks.
        """
        if self.net is None:
            raise ValueError("morph_to_net needs a graph made with from_net")
        xs = shared_breakpoints([self.net, net], domain)
        self.set_graph(xs, self.net(xs))
        target = PolylineGraph(self.axes, xs, net(xs), color=self.get_stroke_color())
        target.match_style(self)
        self.xs, self.ys, self.net = target.xs, target.ys, net
        return Transform(self, target, **kwargs)

    def drawn_coords(self) -> tuple[np.ndarray, np.ndarray]:
        """(xs, ys) of every point of the drawn curve, read back through the axes."""
        return to_coords(self.axes, self.points)


class HingeGraph(PolylineGraph):
    """One unit's term ``v * max(0, w x + b)``, three vertices, cut at the window's edge."""

    def __init__(
        self,
        axes: Axes,
        term: tuple[float, float, float],
        domain: Domain,
        color: str,
        width: float = 4.0,
        **kwargs,
    ):
        self.term, self.domain = term, domain
        y_range = (axes.y_range[0], axes.y_range[1])
        super().__init__(axes, *hinge_points(*term, domain, y_range), color=color, width=width)

    def set_term(self, term: tuple[float, float, float]) -> HingeGraph:
        """Move to another hinge at once (used by updaters driven by ValueTrackers)."""
        self.term = term
        y_range = (self.axes.y_range[0], self.axes.y_range[1])
        return self.set_graph(*hinge_points(*term, self.domain, y_range))

    def morph_to_term(self, term: tuple[float, float, float], **kwargs) -> Transform:
        target = HingeGraph(self.axes, term, self.domain, color=self.get_stroke_color())
        target.match_style(self)
        self.term = term
        self.xs, self.ys = target.xs, target.ys
        return Transform(self, target, **kwargs)


def smooth_curve(
    axes: Axes,
    fn: Callable[[np.ndarray], np.ndarray],
    domain: Domain,
    color: str,
    width: float = 4.0,
    samples: int = 400,
) -> VMobject:
    """A smooth function drawn through ``samples`` points, evaluated and mapped in one go."""
    xs = np.linspace(float(domain[0]), float(domain[1]), samples)
    curve = VMobject().set_points_as_corners(to_points(axes, xs, fn(xs)))
    curve.xs, curve.ys = xs, np.asarray(fn(xs), dtype=float)
    return curve.set_stroke(color, width=width).set_fill(opacity=0)


def kink_dots(axes: Axes, net: ReluNet, domain: Domain, color: str, radius: float = 0.06) -> VGroup:
    """A dot on the graph at each unit's kink (unit order, clipped to the domain)."""
    a, b = domain
    w, c = net.W1[:, 0], net.b1
    ks = np.clip(np.where(w != 0, -c / np.where(w != 0, w, 1.0), a), a, b)
    pts = to_points(axes, ks, net(ks))
    return VGroup(*(Dot(p, radius=radius, color=color) for p in pts))


def decade_label(d: int) -> str:
    """The tick label of ``10^d`` on a log axis: 100, 1, 0.0001, then 1e-5 and below."""
    return f"{10.0**d:g}" if d >= -4 else f"1e{d}"


# -- error vs units ---------------------------------------------------------------------------
class ErrorChart(VGroup):
    """Errors against the number of units on a log-10 axis, one polyline with dots per series.

    ``series`` maps a name to ``(values, color)``; the y axis shows whole decades, labelled
    ``1``, ``0.1``, ``0.01``... Values are plotted as ``log10(value) - floor``, where
    ``floor`` is the lowest decade shown, so the units axis runs along the bottom.
    """

    def __init__(
        self,
        units: Sequence[int],
        series: dict[str, tuple[Sequence[float], str]],
        theme: Theme,
        x_length: float = 4.2,
        y_length: float = 2.6,
    ):
        super().__init__()
        self.theme = theme
        units = np.asarray(units, dtype=float)
        raw = {
            k: np.log10(np.maximum(np.asarray(v, dtype=float), 1e-12))
            for k, (v, _) in series.items()
        }
        every = np.concatenate(list(raw.values()))
        lo, hi = math.floor(every.min() - 0.05), math.ceil(every.max() + 0.05)
        if hi - lo < 1:
            hi = lo + 1
        self.floor = lo
        logs = {k: v - lo for k, v in raw.items()}
        x_hi = max(units.max(), units.min() + 1)
        x_step = max(1, round(nice_step(x_hi - 1, 5)))
        self.axes = Axes(
            x_range=[1 if units.min() >= 1 else units.min(), x_hi, x_step],
            y_range=[0, hi - lo, 1],
            x_length=x_length,
            y_length=y_length,
            tips=False,
            axis_config={"color": theme.muted, "stroke_width": 2, "tick_size": 0.05},
        )
        x_first = self.axes.x_range[0]
        add_tick_labels(self.axes.x_axis, np.arange(x_first, x_hi + 0.5, x_step), 0, theme)
        self.y_labels = VGroup()
        from .text import label  # local: keeps this module's import list short

        for d in range(lo, hi + 1):
            t = label(decade_label(d), theme, size=theme.tiny_size, color=theme.muted)
            t.next_to(self.axes.c2p(x_first, d - lo), np.array([-1.0, 0, 0]), buff=0.12)
            self.y_labels.add(t)
        self.x_label = label("units", theme, size=theme.tiny_size, color=theme.muted)
        self.x_label.next_to(self.axes.x_axis, np.array([0, -1.0, 0]), buff=0.35)
        self.lines: dict[str, VGroup] = {}
        for name, (_values, color) in series.items():
            line = PolylineGraph(self.axes, units, logs[name], color=color, width=3.5)
            dots = VGroup(
                *(
                    Dot(p, radius=0.045, color=color)
                    for p in to_points(self.axes, units, logs[name])
                )
            )
            self.lines[name] = VGroup(line, dots)
        self.values = {k: np.asarray(v, dtype=float) for k, (v, _) in series.items()}
        self.add(self.axes, self.y_labels, self.x_label, *self.lines.values())

    def point(self, units: float, value: float) -> np.ndarray:
        """The scene point of ``(units, value)`` on this chart."""
        return to_points(self.axes, [units], [math.log10(max(value, 1e-12)) - self.floor])[0]
