"""The 1 -> n -> 1 diagram that grows unit by unit, and the error band: drawn from the net."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.colour import blend, contrast_ratio
from relu_anim.core.hinges import fit_hinges
from relu_anim.theme import DARK, THEMES
from relu_anim.visuals.curves import function_axes
from relu_anim.visuals.error_band import ErrorBand
from relu_anim.visuals.growing_network import (
    UNIT_FILL,
    drawn_output_weights,
    growing_network,
    padded,
)

FIT = fit_hinges("sin(2*x) + 0.2*x*x", (-3.0, 3.0), 6)
XS = np.linspace(-3.0, 3.0, 101)


def test_padding_adds_units_that_change_nothing():
    net = FIT.steps[2].net
    wide = padded(net, 6)
    assert wide.units == 6
    np.testing.assert_allclose(wide(XS), net(XS), rtol=0, atol=1e-12)
    with pytest.raises(ValueError, match="more than"):
        padded(FIT.net, 3)


@pytest.mark.parametrize("step", [0, 2, 5])
def test_the_diagram_shows_the_units_so_far_with_their_output_weights(step):
    net = FIT.steps[step].net
    diagram = growing_network(net, 6, DARK)
    assert diagram.shown == net.units == step + 1
    np.testing.assert_allclose(drawn_output_weights(diagram), net.W2[0])
    for j, gate in enumerate(diagram.gates):
        assert (gate[0].get_fill_opacity() > 0) == (j < net.units)
    # every state has the same parts in the same places: one morphs into the next
    other = growing_network(FIT.net, 6, DARK)
    assert len(diagram.get_family()) == len(other.get_family())
    np.testing.assert_allclose(diagram.gates[0].get_center(), other.gates[0].get_center())


@pytest.mark.parametrize("theme", THEMES.values(), ids=THEMES.keys())
def test_unit_labels_stay_readable_on_their_discs(theme):
    disc = blend(theme.hinge, theme.background, UNIT_FILL)
    assert contrast_ratio(theme.text, disc) >= 4.5


def test_error_band_height_is_the_gap_and_morphs_vertex_by_vertex():
    axes = function_axes(DARK, (-3.0, 3.0), (-2.0, 3.0), 6, 4)
    target = lambda x: np.sin(2 * x) + 0.2 * x * x  # noqa: E731
    band = ErrorBand(axes, target, FIT.steps[1].net, (-3.0, 3.0), DARK.error)
    xs, gap = band.drawn_gap()
    np.testing.assert_allclose(gap, np.abs(target(xs) - FIT.steps[1].net(xs)), atol=1e-9)
    morph = band.morph_to_net(FIT.net)
    morph.begin()
    morph.interpolate(0.5)  # halfway: the lower edge is the average of the two nets
    xs, ys = band.drawn_gap()
    mid = 0.5 * (FIT.steps[1].net(xs) + FIT.net(xs))
    np.testing.assert_allclose(ys, np.abs(target(xs) - mid), atol=1e-9)
