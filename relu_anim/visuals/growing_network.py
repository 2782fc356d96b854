"""A one-hidden-layer network of one input, ``1 -> n -> 1``, drawn while it grows unit by unit.

Every state is a :class:`~relu_anim.visuals.network_diagram.NetworkDiagram` of the same size,
``total`` hidden units, so one state morphs into the next with a plain ``Transform``: the
units not added yet are drawn with zero opacity, and the output edges change width and
colour as the output weights are refitted (widths grow with ``|v|``, colours say its sign).
A hidden unit is filled in the ``hinge`` colour: each unit draws one hinge.
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, RIGHT

from ..core.network import ReluNet
from ..theme import Theme
from .network_diagram import NetworkDiagram

UNIT_FILL = 0.6  # hidden discs in theme.hinge; their labels are hidden below this radius
LABEL_RADIUS = 0.2
IN_EDGE_SCALE = 0.4  # the input edges are thinner: the output weights are what gets refitted


def padded(net: ReluNet, total: int) -> ReluNet:
    """``net`` with zero-weight units appended up to ``total`` units: the same function."""
    extra = total - net.units
    if extra < 0:
        raise ValueError(f"the net has {net.units} units, more than {total}")
    return ReluNet.one_hidden(
        np.vstack([net.W1, np.ones((extra, net.input_dim))]),
        np.concatenate([net.b1, np.zeros(extra)]),
        np.hstack([net.W2, np.zeros((net.W2.shape[0], extra))]),
        net.b2,
    )


def growing_network(
    net: ReluNet,
    total: int,
    theme: Theme,
    width: float = 3.0,
    height: float = 2.4,
    shown: int | None = None,
) -> NetworkDiagram:
    """``net`` as an ``x -> h -> y`` diagram with room for ``total`` hidden units.

    The first ``shown`` units (all of ``net``'s by default) are drawn, the rest are invisible.
    """
    diagram = NetworkDiagram(padded(net, total), theme, width, height, input_labels=["x"])
    diagram.shown = net.units if shown is None else shown
    small = diagram.node_radius < LABEL_RADIUS
    if small:  # too small to write in: x and y go beside their nodes
        for node, side in ((diagram.inputs[0], LEFT), (diagram.outputs[0], RIGHT)):
            node[1].set_opacity(0)
            diagram.add(node[1].copy().set_opacity(1).next_to(node[0], side, buff=0.1))
    for group in diagram.edges_in:
        for edge in group:
            edge.set_stroke(width=edge.get_stroke_width() * IN_EDGE_SCALE)
    for j, gate in enumerate(diagram.gates):
        gate[0].set_fill(theme.hinge, opacity=UNIT_FILL)
        if small:
            gate[1].set_opacity(0)
        if j >= diagram.shown:
            for part in (gate, diagram.edges_in[j], diagram.edges_out[j]):
                part.set_stroke(opacity=0).set_fill(opacity=0)
    return diagram


def drawn_output_weights(diagram: NetworkDiagram) -> np.ndarray:
    """The output weights the drawn, visible edges stand for (``v_j``, unit order)."""
    return np.array(
        [
            diagram.edges_out[j][0].weight
            for j in range(diagram.shown)
            if diagram.edges_out[j][0].get_stroke_opacity() > 0
        ]
    )
