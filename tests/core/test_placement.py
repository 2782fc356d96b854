"""Kink placements, against mathematics: even spacing, the normal equations, exact recovery."""

from __future__ import annotations

import functools

import numpy as np
import pytest

from relu_anim.core.expr import parse_expression
from relu_anim.core.hinges import HingeFit, fit_hinges
from relu_anim.core.placement import PLACEMENTS, fit_placement, uniform_knots

DOMAIN = (-3.0, 3.0)
GRID = np.linspace(*DOMAIN, 2001)
SMOOTH = ["sin(2*x) + 0.2*x*x", "exp(-x**2)", "x**3/9 - x", "tanh(3*x)"]
CASES = [(t, u) for t in SMOOTH for u in (1, 2, 5, 12)]


@functools.cache
def uniform(target: str, units: int) -> HingeFit:
    return fit_placement(target, DOMAIN, units, "uniform")


def design(knots: np.ndarray) -> np.ndarray:
    """The columns the output layer combines: 1 and relu(x - k) for each kink, built here."""
    return np.column_stack([np.ones_like(GRID)] + [np.maximum(GRID - k, 0.0) for k in knots])


@pytest.mark.parametrize(("target", "units"), CASES)
def test_uniform_kinks_are_evenly_spaced_from_the_left_end(target, units):
    net = uniform(target, units).net
    kinks = -net.b1 / net.W1[:, 0]
    assert kinks[0] == pytest.approx(DOMAIN[0])
    np.testing.assert_allclose(np.diff(kinks), (DOMAIN[1] - DOMAIN[0]) / units, rtol=1e-12)
    np.testing.assert_allclose(kinks, uniform_knots(DOMAIN, units), rtol=0, atol=1e-12)


@pytest.mark.parametrize(("target", "units"), CASES)
def test_uniform_output_weights_solve_the_normal_equations(target, units):
    """Least squares: the residual is orthogonal to the bias column and every hinge column."""
    fit = uniform(target, units)
    kinks = -fit.net.b1 / fit.net.W1[:, 0]
    residual = parse_expression(target)(GRID) - fit.net(GRID)
    columns = design(kinks)
    scale = np.linalg.norm(columns, axis=0) * np.linalg.norm(residual) + 1e-300
    assert np.max(np.abs(columns.T @ residual) / scale) < 1e-9


@pytest.mark.parametrize(("target", "units"), CASES)
def test_uniform_is_never_worse_than_the_best_line(target, units):
    """Every uniform fit contains the affine unit at the left end, so it beats greedy's step 1."""
    best_line = fit_hinges(target, DOMAIN, 1, "greedy").steps[0]
    fit = uniform(target, units)
    assert fit.rms_error <= best_line.rms_error * (1 + 1e-9)
    y = parse_expression(target)(GRID)
    for k, step in enumerate(fit.steps, start=1):
        assert step.units == k == step.net.units
        r = step.net(GRID) - y
        assert step.rms_error == pytest.approx(np.sqrt(np.mean(r * r)), rel=1e-9, abs=1e-15)
        assert step.max_abs_error == pytest.approx(np.max(np.abs(r)), rel=1e-9, abs=1e-15)
        assert step.rms_error <= best_line.rms_error * (1 + 1e-9)


def test_uniform_recovers_a_target_kinked_on_its_grid():
    """abs(x) + 2 relu(x - 1.5) - x/2 bends only at 0 and 1.5, both on the 4-unit grid."""
    fit = fit_placement("abs(x) + 2*relu(x - 1.5) - x/2", DOMAIN, 4, "uniform")
    assert fit.max_abs_error < 1e-9
    np.testing.assert_allclose(sorted(fit.net.kinks()), [-3.0, -1.5, 0.0, 1.5])


def test_uniform_with_one_unit_is_the_best_line():
    """One unit at the left end plus the bias: the least-squares line through the target."""
    y = parse_expression("sin(2*x) + 0.2*x*x")(GRID)
    slope, intercept = np.polyfit(GRID, y, 1)
    net = fit_placement("sin(2*x) + 0.2*x*x", DOMAIN, 1, "uniform").net
    np.testing.assert_allclose(net(GRID), slope * GRID + intercept, atol=1e-9)


def test_every_placement_fits_and_greedy_is_fit_hinges():
    for placement in PLACEMENTS:
        fit = fit_placement("sin(2*x)", DOMAIN, 3, placement, seed=1)
        assert fit.units == fit.net.units == 3
        expected = "greedy" if placement == "greedy" else placement
        assert fit.method == expected
    g = fit_placement("sin(2*x)", DOMAIN, 3, "greedy").net
    np.testing.assert_array_equal(g.W2, fit_hinges("sin(2*x)", DOMAIN, 3, "greedy").net.W2)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (
            ("sin(x)", DOMAIN, 3, "remez"),
            "placement must be one of greedy, uniform, train, minimax",
        ),
        (("sin(x)", (2.0, -2.0), 3, "uniform"), "domain"),
        (("sin(x)", DOMAIN, 0, "uniform"), "units"),
        (("1/x", (-1.0, 1.0), 3, "uniform"), "not finite"),
    ],
)
def test_bad_arguments_are_named(args, match):
    with pytest.raises(ValueError, match=match):
        fit_placement(*args)
