"""Linear regions against what geometry says they must be."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_anim.core.network import ReluNet
from relu_anim.core.regions import (
    count_regions,
    first_layer_lines,
    linear_regions,
    pattern_map,
    random_net,
    regions_report,
)


def net_from_lines(W1, b1) -> ReluNet:
    W1 = np.asarray(W1, dtype=float)
    return ReluNet((W1, np.ones((1, len(W1)))), (np.asarray(b1, dtype=float), np.zeros(1)))


def tangent_net(n: int, offset: float) -> ReluNet:
    """n lines tangent to the unit circle at angles in [0, pi): no two parallel, no three
    through a point (a point outside a circle has only two tangents), all crossings within
    radius 1 / sin(pi / 2n) < 6."""
    theta = offset + np.pi * np.arange(n) / n
    W1 = np.column_stack([np.cos(theta), np.sin(theta)])
    return net_from_lines(W1, -np.ones(n))


@pytest.mark.parametrize("offset", [0.0, 0.3])
@pytest.mark.parametrize("n", range(1, 9))
def test_lines_in_general_position_give_the_arrangement_count(n, offset):
    assert count_regions(tangent_net(n, offset), box=50.0) == 1 + n + n * (n - 1) // 2


@pytest.mark.parametrize("n", range(1, 7))
def test_parallel_lines_give_n_plus_one_strips(n):
    W1 = np.tile([1.0, 0.3], (n, 1))
    b1 = -np.linspace(-2.0, 2.0, n)
    assert count_regions(net_from_lines(W1, b1), box=3.0) == n + 1


def test_three_concurrent_lines_give_six_sectors():
    theta = np.array([0.0, np.pi / 3, 2 * np.pi / 3])
    W1 = np.column_stack([np.cos(theta), np.sin(theta)])
    p = np.array([0.5, 0.2])
    assert count_regions(net_from_lines(W1, -W1 @ p), box=2.0) == 6


def check_regions(net: ReluNet, box: float) -> list:
    """Shared geometric checks: a tiling of the square with the right patterns inside."""
    regions = linear_regions(net, box)
    areas = np.array([r.area for r in regions])
    assert np.all(areas > 0)
    assert areas.sum() == pytest.approx((2 * box) ** 2, rel=1e-9)
    rng = np.random.default_rng(0)
    for r in regions:
        poly = r.polygon
        assert np.all(np.abs(poly) <= box * (1 + 1e-12))
        x, y = poly[:, 0], poly[:, 1]
        shoelace = 0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)
        assert shoelace == pytest.approx(r.area, rel=1e-9)  # positive: counter-clockwise
        # Strictly interior points: the centroid and points halfway to random convex combos.
        lam = rng.dirichlet(np.ones(len(poly)), size=5)
        inside = np.vstack([r.centroid, 0.5 * r.centroid + 0.5 * lam @ poly])
        gates = net.gates(inside).astype(int)
        assert np.all(gates == np.array(r.pattern)), (r.pattern, gates)
    patterns = [r.pattern for r in regions]
    assert len(set(patterns)) == len(patterns)  # cells of one pattern are convex: one each
    return regions


def codes_of(regions) -> set[int]:
    return {sum(bit << j for j, bit in enumerate(r.pattern)) for r in regions}


@settings(max_examples=25, deadline=None)
@given(units=st.integers(1, 10), seed=st.integers(0, 10_000), box=st.sampled_from([1.0, 2.5]))
def test_one_layer_regions_tile_the_box_and_beat_sampling(units, seed, box):
    net = random_net(units, seed)
    regions = check_regions(net, box)
    _, _, codes = pattern_map(net, box, 120)
    assert set(np.unique(codes).tolist()) <= codes_of(regions)
    assert len(regions) <= 1 + units + units * (units - 1) // 2


@settings(max_examples=15, deadline=None)
@given(
    units=st.integers(1, 6),
    second=st.integers(1, 5),
    seed=st.integers(0, 10_000),
)
def test_two_layer_regions_tile_the_box(units, second, seed):
    net = random_net(units, seed, second_layer=second)
    box = 2.0
    regions = check_regions(net, box)
    first_only = net_from_lines(net.W1, net.b1)
    assert len(regions) >= count_regions(first_only, box)
    _, _, codes = pattern_map(net, box, 120)
    assert set(np.unique(codes).tolist()) <= codes_of(regions)


def test_pattern_map_encodes_gates_bitwise():
    net = random_net(5, 3)
    xs, ys, codes = pattern_map(net, 2.0, 7)
    assert codes.shape == (7, 7)
    for iy in (0, 3, 6):
        for ix in (1, 5):
            gates = net.gates([[xs[ix], ys[iy]]])[0]
            assert codes[iy, ix] == sum(1 << j for j in range(5) if gates[j])


@settings(max_examples=25, deadline=None)
@given(units=st.integers(1, 8), seed=st.integers(0, 10_000))
def test_first_layer_lines_end_on_the_box_and_lie_on_the_switch(units, seed):
    net = random_net(units, seed)
    box = 1.5
    for j, p0, p1 in first_layer_lines(net, box):
        w, b = net.W1[j], net.b1[j]
        for p in (p0, p1):
            assert np.max(np.abs(p)) == pytest.approx(box, rel=1e-12)
            assert abs(w @ p + b) <= 1e-12 * (np.linalg.norm(w) * box + abs(b))
        assert np.linalg.norm(p1 - p0) > 0


def test_first_layer_lines_skip_lines_missing_the_box():
    net = net_from_lines([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]], [-5.0, 0.0, -2.0])
    assert [j for j, _, _ in first_layer_lines(net, 1.0)] == [1]


def test_unsupported_nets_are_refused():
    deep = ReluNet(
        (np.ones((2, 2)), np.ones((2, 2)), np.ones((2, 2)), np.ones((1, 2))),
        (np.zeros(2), np.zeros(2), np.zeros(2), np.zeros(1)),
    )
    with pytest.raises(ValueError):
        linear_regions(deep, 1.0)
    one_d = ReluNet((np.ones((3, 1)), np.ones((1, 3))), (np.zeros(3), np.zeros(1)))
    with pytest.raises(ValueError):
        linear_regions(one_d, 1.0)


def test_dead_unit_closes_everywhere():
    net = net_from_lines([[0.0, 0.0], [1.0, 0.0]], [0.0, 0.0])
    regions = linear_regions(net, 1.0)
    assert sorted(r.pattern for r in regions) == [(0, 0), (0, 1)]


def test_regions_report_matches_contract():
    report = json.loads(json.dumps(regions_report(6, 2, 1.5)))
    assert set(report) == {"W1", "b1", "box", "regions", "patterns"}
    assert np.shape(report["W1"]) == (6, 2) and np.shape(report["b1"]) == (6,)
    assert report["box"] == 1.5
    assert report["regions"] == len(report["patterns"])
    assert report["patterns"] == sorted(report["patterns"])
    net = net_from_lines(report["W1"], report["b1"])
    assert report["regions"] == count_regions(net, 1.5)
    assert report == regions_report(6, 2, 1.5)  # seeded
