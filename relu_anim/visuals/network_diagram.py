"""A feed-forward network drawn as nodes and edges, with every hidden unit drawn as a gate.

Edge widths grow with ``|w|`` and edge colours say the weight's sign, ``theme.positive`` or
``theme.negative`` (legend in :func:`weight_legend`). :meth:`NetworkDiagram.set_gates`
lights a gate (``theme.open``, its outgoing edges pass the signal) or dims it
(``theme.closed``, its outgoing edges fade: blocked). :meth:`NetworkDiagram.displayed_states`
reads the states back from the drawn colours, so tests can check what is on screen rather
than the boolean that was passed in.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import LEFT, RIGHT, Circle, Line, VGroup

from ..core.network import ReluNet
from ..theme import Theme
from .text import label

# An open gate's disc is filled just enough that its label (theme.text) keeps 4.5:1 on it
# in both themes (tests/test_theme.py checks).
OPEN_FILL = 0.7
CLOSED_FILL = 0.3
CLOSED_LABEL = 0.7  # a closed gate's label is dimmed, still 4.5:1 on its disc
BLOCKED_EDGE = 0.15  # stroke opacity of the edges leaving a closed gate
MIN_EDGE, MAX_EDGE = 1.0, 7.0  # stroke widths for the smallest and largest |w| of a layer


def weight_color(w: float, theme: Theme) -> str:
    """``theme.positive`` for ``w >= 0``, ``theme.negative`` for ``w < 0``: the sign colours,
    which no curve uses (a blue edge does not say "target")."""
    return theme.positive if w >= 0 else theme.negative


class NetworkDiagram(VGroup):
    """Columns of nodes (inputs, hidden gates, outputs) joined by weight-coloured edges.

    ``gates[j]`` is hidden unit ``j`` (layers side by side, as in ``ReluNet.gates``);
    ``edges_in[j]`` / ``edges_out[j]`` are the edges entering / leaving it.
    """

    def __init__(
        self,
        net: ReluNet,
        theme: Theme,
        width: float = 5.0,
        height: float = 3.0,
        node_radius: float = 0.26,
        input_labels: Sequence[str] | None = None,
        output_labels: Sequence[str] | None = None,
    ):
        super().__init__()
        self.net = net
        self.theme = theme
        sizes = [net.input_dim, *net.hidden_sizes, net.weights[-1].shape[0]]
        input_labels = input_labels or [f"x{i + 1}" for i in range(sizes[0])]
        output_labels = output_labels or (
            ["y"] if sizes[-1] == 1 else [f"y{i + 1}" for i in range(sizes[-1])]
        )
        # shrink the nodes of a tall column so neighbours keep a gap of half a node
        node_radius = min(node_radius, height / (2 + 2.5 * (max(sizes) - 1)))
        self.node_radius = node_radius
        xs = np.linspace(-width / 2 + node_radius, width / 2 - node_radius, len(sizes))
        gap = (height - 2 * node_radius) / max(max(sizes) - 1, 1)
        columns: list[list[np.ndarray]] = []
        for x, n in zip(xs, sizes, strict=True):
            ys = (np.arange(n) - (n - 1) / 2) * -gap
            columns.append([np.array([x, y, 0.0]) for y in ys])

        self.edges = VGroup()
        self.edges_in: list[VGroup] = []
        self.edges_out: list[VGroup] = []
        unit = 0
        for layer, w in enumerate(net.weights):
            wmax = float(np.max(np.abs(w))) or 1.0
            layer_edges = [[] for _ in range(w.shape[0])]
            for i in range(w.shape[0]):
                for k in range(w.shape[1]):
                    a, b = columns[layer][k], columns[layer + 1][i]
                    d = (b - a) / np.linalg.norm(b - a)
                    edge = Line(a + d * node_radius, b - d * node_radius)
                    edge.set_stroke(
                        weight_color(w[i, k], theme),
                        width=MIN_EDGE + (MAX_EDGE - MIN_EDGE) * abs(w[i, k]) / wmax,
                        opacity=1.0,
                    )
                    edge.weight = float(w[i, k])
                    self.edges.add(edge)
                    layer_edges[i].append(edge)
                    if layer > 0:  # leaves hidden unit k of the previous layer
                        self.edges_out[unit - w.shape[1] + k].add(edge)
            if layer < len(net.weights) - 1:
                for i in range(w.shape[0]):
                    self.edges_in.append(VGroup(*layer_edges[i]))
                    self.edges_out.append(VGroup())
                unit += w.shape[0]

        def node(center, text: str, fill: str, opacity: float) -> VGroup:
            c = Circle(radius=node_radius).move_to(center)
            c.set_stroke(theme.text, width=2).set_fill(fill, opacity=opacity)
            return VGroup(c, label(text, theme, size=theme.tiny_size).move_to(center))

        self.inputs = VGroup(
            *(node(p, t, theme.panel, 1.0) for p, t in zip(columns[0], input_labels, strict=True))
        )
        names = [f"h{j + 1}" for j in range(net.units)]
        if len(net.hidden_sizes) > 1:
            names = [
                f"h{li + 1}.{j + 1}" for li, n in enumerate(net.hidden_sizes) for j in range(n)
            ]
        hidden_centers = [p for col in columns[1:-1] for p in col]
        self.gates = VGroup(
            *(node(p, t, theme.open, OPEN_FILL) for p, t in zip(hidden_centers, names, strict=True))
        )
        self.outputs = VGroup(
            *(node(p, t, theme.panel, 1.0) for p, t in zip(columns[-1], output_labels, strict=True))
        )
        self.gate_names = names
        self.add(self.edges, self.inputs, self.gates, self.outputs)

    # -- gates ---------------------------------------------------------------------------
    def set_gates(self, states: Sequence[bool]) -> NetworkDiagram:
        """Light open gates and let their signal through; dim closed ones and block it."""
        theme = self.theme
        for gate, out, is_open in zip(self.gates, self.edges_out, states, strict=True):
            disc = gate[0]
            if is_open:
                disc.set_fill(theme.open, opacity=OPEN_FILL)
                gate[1].set_opacity(1.0)
            else:
                disc.set_fill(theme.closed, opacity=CLOSED_FILL)
                gate[1].set_opacity(CLOSED_LABEL)
            out.set_stroke(opacity=1.0 if is_open else BLOCKED_EDGE)
        return self

    def displayed_states(self) -> tuple[bool, ...]:
        """Open/closed as drawn: a gate reads open when its disc is filled with theme.open."""
        open_hex = self.theme.open.lower()
        return tuple(
            gate[0].get_fill_color().to_hex().lower() == open_hex
            and gate[0].get_fill_opacity() > (OPEN_FILL + CLOSED_FILL) / 2
            for gate in self.gates
        )

    def focus_ring(self, unit: int, color: str | None = None, buff: float = 0.09) -> Circle:
        """A ring around gate ``unit`` (not added to the diagram)."""
        disc = self.gates[unit][0]
        ring = Circle(radius=disc.width / 2 + buff).move_to(disc.get_center())
        return ring.set_stroke(color or self.theme.accent, width=4)


def weight_legend(theme: Theme, name: str = "w") -> VGroup:
    """Two short strokes explaining the edge colours: ``w > 0`` and ``w < 0`` (``name``)."""
    items = []
    for w, text in ((1.0, f"{name} > 0"), (-1.0, f"{name} < 0")):
        stroke = Line(LEFT * 0.25, RIGHT * 0.25).set_stroke(weight_color(w, theme), width=5)
        items.append(
            VGroup(
                stroke,
                label(text, theme, size=theme.tiny_size, color=theme.muted).next_to(
                    stroke, RIGHT, buff=0.12
                ),
            )
        )
    return VGroup(*items).arrange(RIGHT, buff=0.4)
