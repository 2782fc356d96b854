"""The classifier's decision against mathematics: the readout is the loss's minimum (its
gradient by finite differences vanishes, no nearby weights do better), the boundary pieces
are where the net equals the threshold, and clarity matches arrangements worked by hand."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_anim.core.decision import (
    accuracy,
    arrangement_clarity,
    decision_pieces,
    decision_segments,
    fit_readout,
    readout_loss,
)
from relu_anim.core.network import ReluNet
from relu_anim.core.regions import linear_regions

BOX = 1.5


def with_readout(net: ReluNet, theta: np.ndarray) -> ReluNet:
    return ReluNet.one_hidden(net.W1, net.b1, theta[None, :-1], theta[-1:])


def ring_data(n: int = 120, seed: int = 3):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-BOX, BOX, (n, 2))
    return X, (np.linalg.norm(X, axis=1) < 0.9).astype(float)


W1 = np.array([[1.25, 1.5], [2.0, -0.75], [-0.75, -1.75], [-1.75, 1.0]])
B1 = np.array([-0.75, -1.0, -0.75, -0.5])


@pytest.fixture(scope="module")
def fitted():
    X, y = ring_data()
    return fit_readout(W1, B1, X, y), X, y


def test_readout_is_a_stationary_point_of_its_loss(fitted):
    net, X, y = fitted
    theta = np.concatenate([net.W2[0], net.b2])
    h = 1e-6
    for k in range(len(theta)):
        e = np.zeros_like(theta)
        e[k] = h
        up = readout_loss(with_readout(net, theta + e), X, y)
        down = readout_loss(with_readout(net, theta - e), X, y)
        assert abs((up - down) / (2 * h)) < 1e-6


def test_readout_is_the_minimum_and_keeps_the_first_layer(fitted):
    net, X, y = fitted
    np.testing.assert_array_equal(net.W1, W1)
    np.testing.assert_array_equal(net.b1, B1)
    best = readout_loss(net, X, y)
    theta = np.concatenate([net.W2[0], net.b2])
    rng = np.random.default_rng(0)
    for scale in (1e-3, 1e-1, 1.0):
        for _ in range(20):
            other = with_readout(net, theta + scale * rng.normal(size=theta.shape))
            assert readout_loss(other, X, y) >= best - 1e-12
    assert accuracy(net, X, y) >= 0.97  # an octagon of lines nearly separates the ring


def test_accuracy_counts_points_on_their_side():
    net = ReluNet.one_hidden([[1.0, 0.0]], [0.0], [[1.0]], [-0.5])  # y = relu(x1) - 0.5
    X = np.array([[1.0, 0.0], [0.0, 0.0], [2.0, 1.0], [-1.0, 0.0]])
    assert accuracy(net, X, np.array([1, 0, 0, 1])) == 0.5


def test_boundary_of_a_hinge_is_the_vertical_line_where_it_crosses():
    net = ReluNet.one_hidden([[1.0, 0.0]], [0.0], [[1.0]], [-0.5])  # zero at x1 = 0.5
    regions = linear_regions(net, BOX)
    (seg,) = decision_segments(net, regions)
    ends = sorted([seg.p0.tolist(), seg.p1.tolist()], key=lambda p: p[1])
    np.testing.assert_allclose(ends, [[0.5, -BOX], [0.5, BOX]], atol=1e-12)
    assert regions[seg.region].pattern == (1,)
    # the closed half (y = -0.5 everywhere) is one class-0 piece; the open half splits
    pieces = decision_pieces(net, regions)
    areas = {(regions[p.region].pattern, p.label): _area(p.polygon) for p in pieces}
    assert areas == pytest.approx({((0,), 0): 2.25 * 2, ((1,), 1): 1.0 * 3, ((1,), 0): 0.5 * 3})


def _area(poly):
    x, y = poly[:, 0], poly[:, 1]
    return 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(np.roll(x, -1), y))


@settings(max_examples=30, deadline=None)
@given(
    st.integers(min_value=2, max_value=5),
    st.integers(min_value=0, max_value=10_000),
    st.floats(min_value=-1.0, max_value=1.0),
)
def test_pieces_tile_the_box_and_have_the_sign_they_claim(units, seed, threshold):
    rng = np.random.default_rng(seed)
    net = ReluNet.one_hidden(
        rng.normal(size=(units, 2)), rng.normal(size=units), rng.normal(size=(1, units)), [0.3]
    )
    regions = linear_regions(net, BOX)
    pieces = decision_pieces(net, regions, threshold)
    assert sum(_area(p.polygon) for p in pieces) == pytest.approx((2 * BOX) ** 2)
    for p in pieces:
        inside = p.polygon.mean(axis=0)  # a convex polygon holds the mean of its corners
        value = float(net(inside[None])[0])
        assert (value > threshold) == bool(p.label) or abs(value - threshold) < 1e-9
    for seg in decision_segments(net, regions, threshold):
        for t in np.linspace(0.0, 1.0, 5):  # the net equals the threshold all along it
            point = seg.p0 + t * (seg.p1 - seg.p0)
            assert float(net(point[None])[0]) == pytest.approx(threshold, abs=1e-9)
        assert np.linalg.norm(seg.p1 - seg.p0) > 0
    # a region with points on both sides of the threshold has exactly one segment
    split = {p.region for p in pieces if p.label == 1} & {p.region for p in pieces if p.label == 0}
    assert sorted(s.region for s in decision_segments(net, regions, threshold)) == sorted(split)


def test_clarity_of_the_axes_and_of_a_narrow_wedge():
    axes = ReluNet.one_hidden([[1.0, 0.0], [0.0, 1.0]], [0.0, 0.0], [[1.0, 1.0]], [0.0])
    c = arrangement_clarity(axes, 1.0)  # four unit squares: 2 * 1 / 4 each
    assert (c.thinnest, c.smallest_area, c.min_angle) == pytest.approx((0.5, 0.25, 90.0))
    a = np.radians(10.0)
    wedge = ReluNet.one_hidden(
        [[0.0, 1.0], [-np.sin(a), np.cos(a)]], [0.0, 0.0], [[1.0, 1.0]], [0.0]
    )
    c = arrangement_clarity(wedge, 1.0)
    assert c.min_angle == pytest.approx(10.0)
    # the thin wedge: a triangle with legs 1 and tan(10 deg) on the right
    legs = (1.0, np.tan(a))
    area = legs[0] * legs[1] / 2
    assert c.thinnest == pytest.approx(2 * area / (legs[0] + legs[1] + np.hypot(*legs)))
    assert c.smallest_area == pytest.approx(area / 4)
    parallel = ReluNet.one_hidden([[1.0, 0.0], [1.0, 0.0]], [0.0, -0.5], [[1.0, 1.0]], [0.0])
    assert arrangement_clarity(parallel, 1.0).min_angle == 90.0
