"""LogChart: values over many decades drawn where they are (no floor), a readable number of
decade labels, x ticks on round values."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.theme import DARK
from relu_anim.visuals.log_chart import LogChart, decade_text

XS = np.arange(1, 21)
FALLING = 10.0 ** (-0.7 * (20 - XS))  # 1e-13.3 .. 1: below ErrorChart's 1e-12 floor
FLAT = np.full(20, 0.3)


@pytest.fixture(scope="module")
def chart():
    series = {"falling": (FALLING, DARK.approx), "flat": (FLAT, DARK.hinge)}
    return LogChart(XS, series, DARK, x_name="layer", y_name="norm")


def test_drawn_vertices_are_the_values_even_far_below_1e_12(chart):
    for name, values in (("falling", FALLING), ("flat", FLAT)):
        xs, drawn = chart.drawn_values(name)
        np.testing.assert_allclose(xs, XS, atol=1e-9)
        np.testing.assert_allclose(drawn, values, rtol=1e-9)  # a log round trip
    assert chart.floor == -14


def test_at_most_eight_decade_labels_and_round_x_ticks(chart):
    labels = [t.original_text for t in chart.y_labels]
    assert 2 <= len(labels) <= 8 and labels[0] == "1e-14" and "1" in labels
    x_ticks = [
        t.original_text for t in chart.axes.x_axis.get_family() if hasattr(t, "original_text")
    ]
    assert x_ticks == ["1", "5", "10", "15", "20"]


@pytest.mark.parametrize(
    ("d", "text"), [(0, "1"), (-2, "0.01"), (-3, "0.001"), (-5, "1e-5"), (6, "1e6")]
)
def test_decade_text(d, text):
    assert decade_text(d) == text
