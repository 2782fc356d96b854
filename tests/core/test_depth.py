"""The folded tent and its pieces, against what the mathematics says they must be."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.depth import (
    MAX_K,
    breakpoints,
    count_pieces,
    depth_report,
    linear_pieces,
    max_gap,
    one_layer_exact,
    prefix_net,
    sawtooth_net,
    shallow_fit,
    slopes,
)
from relu_anim.core.network import ReluNet

KS = range(1, 11)


def grid_count(net: ReluNet, domain, points: int) -> tuple[int, float]:
    """Pieces seen on a uniform grid (the independent reference), and the grid spacing.

    Each cell's slope is a difference quotient. A kink strictly inside a cell changes the
    slope at both of its ends; a kink on a grid point, at one: runs of adjacent changes are
    one kink, which is right while kinks are at least two cells apart. A change counts when
    it is above 1e-6 of the largest slope: rounding of the quotients is about
    1e-16 |y| / h, below 1e-10 for these nets and grids.
    """
    xs = np.linspace(*domain, points)
    s = np.diff(net(xs)) / np.diff(xs)
    change = np.abs(np.diff(s)) > 1e-6 * max(1.0, float(np.max(np.abs(s))))
    idx = np.flatnonzero(change)
    kinks = 0 if len(idx) == 0 else 1 + int(np.sum(np.diff(idx) > 1))
    return kinks + 1, float(xs[1] - xs[0])


def random_deep_net(rng: np.random.Generator, widths) -> ReluNet:
    sizes = [1, *widths, 1]
    ws = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    bs = [rng.normal(scale=0.8, size=o) for o in sizes[1:]]
    return ReluNet(tuple(ws), tuple(bs))


# -- the tent and its compositions --------------------------------------------------------------
def test_one_tent_by_hand():
    t = sawtooth_net(1)
    np.testing.assert_array_equal(t([0, 0.25, 0.5, 0.75, 1]), [0, 0.5, 1, 0.5, 0])
    assert t.units == 2


@pytest.mark.parametrize("k", KS)
def test_k_folds_give_2_to_the_k_pieces_from_2k_units(k):
    net = sawtooth_net(k)
    p = linear_pieces(net)
    assert net.units == 2 * k and net.hidden_sizes == (2,) * k
    assert p.count == 2**k
    # dyadic breakpoints and values are exact in binary floating point
    np.testing.assert_array_equal(p.breakpoints, np.arange(1, 2**k) / 2**k)
    np.testing.assert_array_equal(p.slopes, 2.0**k * (-1.0) ** np.arange(2**k))
    j = np.arange(2**k + 1)
    np.testing.assert_array_equal(net(j / 2**k), j % 2)  # 0 at even, 1 at odd points


@pytest.mark.parametrize("k", [2, 5])
def test_composition_is_the_tent_applied_k_times(k):
    xs = np.linspace(0, 1, 1001)
    y = xs
    for _ in range(k):
        y = sawtooth_net(1)(y)
    np.testing.assert_allclose(sawtooth_net(k)(xs), y, atol=1e-12)  # a few ulps of 2^k


def test_prefix_of_the_deep_net_is_the_shallower_sawtooth():
    deep = sawtooth_net(5)
    for d in range(1, 6):
        short = prefix_net(deep, d)
        for a, b in zip(short.weights, sawtooth_net(d).weights, strict=True):
            np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("k", [0, MAX_K + 1, 2.5, True])
def test_bad_k_is_refused(k):
    with pytest.raises(ValueError, match="k must be"):
        sawtooth_net(k)


# -- the exact piece counter --------------------------------------------------------------------
def test_one_hidden_layer_kinks_are_its_units_kinks():
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(1, 8))
        net = ReluNet.one_hidden(
            rng.normal(size=(n, 1)), rng.normal(size=n), rng.normal(size=(1, n)), [0.0]
        )
        inside = [k for k in net.kinks() if -3 < k < 3]
        np.testing.assert_allclose(breakpoints(net, (-3, 3)), inside, rtol=0, atol=1e-12)
        assert count_pieces(net, (-3, 3)) <= n + 1  # one bend per unit at most


def test_a_unit_whose_output_weight_is_zero_bends_nothing():
    net = ReluNet.one_hidden([[1.0], [1.0]], [-0.5, 0.5], [[1.0, 0.0]], [0.0])
    np.testing.assert_array_equal(breakpoints(net, (-1, 1)), [0.5])


def test_cancelling_units_are_one_piece():
    # relu(x) - relu(-x) = x: two units, kinks at 0 that cancel
    net = ReluNet.one_hidden([[1.0], [-1.0]], [0.0, 0.0], [[1.0, -1.0]], [0.0])
    assert count_pieces(net, (-1, 1)) == 1


def test_slopes_match_central_differences_inside_every_piece():
    rng = np.random.default_rng(11)
    net = random_deep_net(rng, (4, 4, 3))
    p = linear_pieces(net, (-2, 2))
    edges = np.concatenate([[-2], p.breakpoints, [2]])
    mids = (edges[:-1] + edges[1:]) / 2
    h = 1e-3 * np.min(np.diff(edges))  # well inside each piece: the quotient is exact there
    fd = (net(mids + h) - net(mids - h)) / (2 * h)
    # rounding: ~1e-16 |y| / h; |y| < 1e2, h > 1e-9 here
    np.testing.assert_allclose(p.slopes, fd, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(slopes(net, mids), p.slopes)


def test_exact_count_agrees_with_a_fine_enough_grid():
    rng = np.random.default_rng(2026)
    domain, points = (-2.0, 2.0), 40_001
    compared = 0
    for _ in range(30):
        net = random_deep_net(rng, tuple(rng.integers(2, 6, size=int(rng.integers(1, 4)))))
        p = linear_pieces(net, domain)
        seen, h = grid_count(net, domain, points)
        edges = np.concatenate([[domain[0]], p.breakpoints, [domain[1]]])
        scale = max(1.0, float(np.max(np.abs(p.slopes))))
        # fine enough: kinks three cells apart, each bend well above the grid's threshold
        if (
            np.min(np.diff(edges)) > 3 * h
            and np.min(np.abs(np.diff(p.slopes)), initial=scale) > 1e-4 * scale
        ):
            assert seen == p.count
            compared += 1
    assert compared >= 20  # the check ran on most of the nets


@pytest.mark.parametrize("k", [3, 6])
def test_sawtooth_count_agrees_with_a_dyadic_grid(k):
    seen, _ = grid_count(sawtooth_net(k), (0, 1), 2 ** (k + 4) + 1)
    assert seen == 2**k


# -- one hidden layer ---------------------------------------------------------------------------
@pytest.mark.parametrize("k", KS)
def test_one_layer_exact_equals_the_deep_net(k):
    deep = sawtooth_net(k)
    exact = one_layer_exact(deep)
    assert len(exact.weights) == 2
    assert exact.units == 2**k  # a hinge at each of the 2^k - 1 breakpoints, one for slope 2^k
    xs = np.concatenate([np.linspace(0, 1, 4001), breakpoints(deep)])
    # the hinge sum adds up to 2^k terms of size up to 2^(k+1): rounding ~ 2^(2k) 1e-16 < 1e-9
    assert np.max(np.abs(exact(xs) - deep(xs))) < 1e-9


def test_one_layer_exact_for_a_random_deep_net():
    rng = np.random.default_rng(5)
    net = random_deep_net(rng, (5, 4))
    exact = one_layer_exact(net, (-2, 2))
    xs = np.linspace(-2, 2, 10_001)
    np.testing.assert_allclose(exact(xs), net(xs), atol=1e-9)
    assert exact.units == count_pieces(net, (-2, 2))  # breakpoints + the first slope


def test_no_one_layer_net_with_fewer_units_can_have_enough_pieces():
    # the counting bound behind exact_units: n units give at most n + 1 pieces
    for k in KS:
        assert one_layer_exact(sawtooth_net(k)).units >= count_pieces(sawtooth_net(k)) - 1


@pytest.mark.parametrize("k", [1, 2])
def test_same_budget_is_exact_while_it_has_enough_pieces(k):
    fit = shallow_fit(sawtooth_net(k), 2 * k, "T^k")
    assert fit.rms_error < 1e-12 and fit.units == 2 * k


@pytest.mark.parametrize("k", [3, 4, 5, 6])
def test_same_budget_misses_by_at_least_a_half(k):
    """Fewer than 2^k pieces cannot follow 2^k teeth within 1/2.

    Within 1/2 everywhere, g - 1/2 would change sign between consecutive points j / 2^k
    (T^k is 0 and 1 there in turn): 2^k zeros in disjoint intervals, one per linear piece at
    most. The 2k-unit layer has at most 2k + 1 < 2^k pieces.
    """
    deep = sawtooth_net(k)
    fit = shallow_fit(deep, 2 * k, "T^k")
    assert count_pieces(fit.net) <= 2 * k + 1 < 2**k
    x, gap = max_gap(deep, fit.net)
    assert gap >= 0.5
    xs = np.linspace(0, 1, 100_001)
    grid = float(np.max(np.abs(deep(xs) - fit.net(xs))))
    assert grid <= gap + 1e-12  # the exact maximum is the largest
    assert abs(deep([x])[0] - fit.net([x])[0]) == pytest.approx(gap, abs=1e-12)


def test_report_numbers_come_from_its_nets():
    r = depth_report(4)
    d = r.to_dict()
    assert d["k"] == 4 and d["deep"]["units"] == 8 and d["deep"]["pieces"] == 16
    assert d["deep"]["pieces_by_depth"] == [2, 4, 8, 16]
    assert d["shallow"]["exact_units"] == 16 and d["shallow"]["units"] == 8
    net = ReluNet.from_dict(d["shallow"])
    xs = np.linspace(0, 1, 2001)
    err = net(xs) - r.deep(xs)
    assert d["shallow"]["max_abs_error"] == pytest.approx(np.max(np.abs(err)), abs=1e-12)
    assert d["shallow"]["rms_error"] == pytest.approx(np.sqrt(np.mean(err**2)), abs=1e-12)
