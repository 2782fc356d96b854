"""core/towers: steep-sigmoid towers and uniform hinges, checked against mathematics.

Least squares is checked by its normal equations and by optimality against other members of
the same span (the staircase of midpoint values, the broken line through the knots); the
hinge error against the interpolation bound h^2 max|f''| / 8; the steps against the sigmoid's
tails; the slopes against exact power laws and the orders 1/N and 1/N^2.
"""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.expr import parse_target
from relu_anim.core.hinges import error_grid
from relu_anim.core.placement import fit_placement
from relu_anim.core.towers import (
    SWEEP_UNITS,
    compare,
    fit_towers,
    fit_uniform_hinges,
    loglog_slope,
    sigmoid_errors,
    step_net,
    sweep,
    tower_knots,
    tower_pair,
)

DOMAIN = (-3.0, 3.0)
SMOOTH = ["sin(2*x) + 0.2*x*x", "exp(-x*x)", "tanh(3*x)", "cos(x) + 0.1*x"]


def logistic(z):
    """The textbook formula, written independently of core.activations (|z| < 700 here)."""
    return 1.0 / (1.0 + np.exp(-z))


def test_a_tower_is_an_up_step_minus_a_down_step():
    x = np.linspace(0, 4, 401)
    net = tower_pair(1.0, 2.5, 0.7, slope=20.0)
    expected = 0.7 * (logistic(20 * (x - 1.0)) - logistic(20 * (x - 2.5)))
    np.testing.assert_allclose(net(x), expected, atol=1e-15)
    # at the middle it is the height less both tails: 0.7 (1 - 2 sigmoid(-20 * 0.75))
    assert net(np.array([1.75]))[0] == pytest.approx(0.7 * (1 - 2 * logistic(-15.0)), abs=1e-15)


@pytest.mark.parametrize("units", [1, 2, 7, 32, 128])
def test_knots_split_the_domain_evenly_and_each_unit_stays_a_step(units):
    fit = fit_towers("sin(x)", DOMAIN, units, steepness=40.0)
    h = (DOMAIN[1] - DOMAIN[0]) / (units + 1)
    np.testing.assert_allclose(fit.net.knots, DOMAIN[0] + h * np.arange(1, units + 1), atol=1e-12)
    np.testing.assert_allclose(np.diff(np.r_[DOMAIN[0], fit.net.knots, DOMAIN[1]]), h, rtol=1e-12)
    if units > 1:  # slope * spacing = steepness for every N: the rise takes the same share
        np.testing.assert_allclose(fit.net.W1[:, 0] * h, 40.0, rtol=1e-12)


def test_the_levels_are_the_net_at_piece_midpoints_up_to_the_tails():
    fit = fit_towers("sin(2*x) + 0.2*x*x", DOMAIN, 12, steepness=40.0)
    edges = np.r_[DOMAIN[0], fit.net.knots, DOMAIN[1]]
    mids = (edges[:-1] + edges[1:]) / 2
    # at half a spacing from its knot a unit is within sigmoid(-40/2) of 0 or 1
    bound = np.sum(np.abs(fit.net.W2)) * logistic(-20.0) + 1e-12
    np.testing.assert_allclose(fit.net(mids), fit.tower_heights(), atol=bound)


@pytest.mark.parametrize("target", SMOOTH)
def test_tower_heights_satisfy_the_normal_equations(target):
    fit = fit_towers(target, DOMAIN, 16, steepness=40.0)
    xs = error_grid(DOMAIN)
    net = fit.net
    design = np.column_stack([np.ones_like(xs), logistic(np.outer(xs, net.W1[:, 0]) + net.b1)])
    r = net(xs) - parse_target(target, DOMAIN)(xs)
    # A^T r = 0 up to rounding: a few ulps of |A| |r| per entry (2001 terms, lstsq by SVD)
    scale = np.abs(design).T @ np.abs(r) + 1e-300
    assert np.all(np.abs(design.T @ r) <= 1e-9 * scale.max())


@pytest.mark.parametrize("target", SMOOTH)
def test_least_squares_beats_the_staircase_of_midpoint_values(target):
    fn = parse_target(target, DOMAIN)
    fit = fit_towers(fn, DOMAIN, 10, steepness=40.0)
    edges = np.r_[DOMAIN[0], tower_knots(DOMAIN, 10), DOMAIN[1]]
    levels = fn((edges[:-1] + edges[1:]) / 2)
    other = step_net(tower_knots(DOMAIN, 10), np.diff(levels), levels[0], fit.net.W1[0, 0])
    assert fit.rms_error <= sigmoid_errors(other, fn, DOMAIN)[1] + 1e-12


@pytest.mark.parametrize("units", [4, 10, 33])
def test_uniform_hinges_are_the_placement_uniform_fit(units):
    mine = fit_uniform_hinges("sin(2*x) + 0.2*x*x", DOMAIN, units)
    ref = fit_placement("sin(2*x) + 0.2*x*x", DOMAIN, units, "uniform")
    np.testing.assert_allclose(mine.net.b1, ref.net.b1, atol=1e-12)
    np.testing.assert_allclose(mine.net(error_grid(DOMAIN)), ref.net(error_grid(DOMAIN)), atol=1e-9)
    assert mine.rms_error == pytest.approx(ref.rms_error, rel=1e-9)


@pytest.mark.parametrize("units", [8, 32, 128])
def test_hinge_error_is_within_the_interpolation_bound(units):
    # f = sin(2x) + 0.2 x^2: |f''| = |-4 sin(2x) + 0.4| <= 4.4. The broken line through the
    # knots is in the span and misses by at most h^2 max|f''| / 8; least squares does better.
    fit = fit_uniform_hinges("sin(2*x) + 0.2*x*x", DOMAIN, units)
    h = (DOMAIN[1] - DOMAIN[0]) / units
    assert fit.rms_error <= h * h * 4.4 / 8


def test_a_piecewise_constant_target_is_what_towers_are_for():
    # a staircase with jumps at the knots: towers follow it up to the sigmoid tails
    knots = tower_knots(DOMAIN, 5)
    stair = " + ".join(f"0.5*sign(x - {float(k)!r})" for k in knots)
    fit = fit_towers(stair, DOMAIN, 5, steepness=200.0)
    xs = error_grid(DOMAIN)
    away = np.min(np.abs(xs[:, None] - knots), axis=1) > 0.1  # 0.1 = 8.3 % of a spacing
    target = parse_target(stair, DOMAIN)(xs)
    # least squares spreads the misfit inside the rises (a sigmoid is not a jump: at S = 200
    # about 4 % of a piece, errors up to 1) over the levels: a shift of order 1e-3, not 1e-2
    assert np.max(np.abs(fit.net(xs) - target)[away]) < 1e-2


def test_loglog_slope_recovers_an_exact_power_law():
    n = np.array([8, 16, 32, 64, 128])
    slope, intercept = loglog_slope(n, 3.0 * n**-1.5)
    assert slope == pytest.approx(-1.5, abs=1e-12)
    assert intercept == pytest.approx(np.log(3.0), abs=1e-12)


@pytest.mark.parametrize("target", SMOOTH)
def test_hinges_gain_an_order_of_n_on_smooth_targets(target):
    s = sweep(target, DOMAIN)
    assert s.units == SWEEP_UNITS
    assert s.hinge_slope <= s.tower_slope - 0.6  # the bar
    assert -1.2 <= s.tower_slope <= -0.8  # piecewise constant: about 1/N
    assert -2.4 <= s.hinge_slope <= -1.8  # piecewise linear: about 1/N^2
    assert np.all(s.hinge_rms < s.tower_rms)


def test_compare_uses_one_target_and_one_budget():
    c = compare("exp(-x*x)", (-2.0, 2.0), 9, 30.0)
    assert c.towers.units == c.hinges.units == 9
    assert c.towers.net.units == c.hinges.net.units == 9
    d = c.to_dict()
    assert {"W1", "b1", "W2", "b2", "max_abs_error", "rms_error", "hinges"} <= set(d)
    assert d["hinges"]["method"] == "uniform" and len(d["hinges"]["W1"]) == 9


@pytest.mark.parametrize(
    "args, message",
    [
        (("sin(x)", (1.0, -1.0), 8), "domain"),
        (("sin(x)", DOMAIN, 0), "units"),
        (("sin(x)", DOMAIN, 129), "units"),
        (("sin(x)", DOMAIN, 8, 0.5), "steepness"),
        (("1/x", (-1.0, 1.0), 8), "not finite"),
    ],
)
def test_bad_input_is_a_value_error(args, message):
    with pytest.raises(ValueError, match=message):
        compare(*args)


def test_a_sweep_needs_two_counts_and_a_target_it_does_not_fit_exactly():
    with pytest.raises(ValueError, match="two different"):
        sweep("sin(x)", DOMAIN, (8, 8))
    with pytest.raises(ValueError, match="exactly"):
        sweep("abs(x)", DOMAIN)  # a knot at 0 for every even N: hinges are exact
