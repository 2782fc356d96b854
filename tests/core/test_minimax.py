"""The minimax hinge fit, against mathematics: Lawson's certificate, alternation, known
answers, and the bars (half of uniform interpolation's worst error, never worse than greedy)."""

from __future__ import annotations

import functools
import json

import numpy as np
import pytest
from click.testing import CliRunner

from relu_anim.cli import cli
from relu_anim.core.expr import parse_target
from relu_anim.core.hinges import error_grid, fit_hinges
from relu_anim.core.minimax import LAWSON_GAP, fit_minimax, lawson
from relu_anim.core.placement import fit_placement, uniform_knots

SMOOTH = [
    ("sin(2*x) + 0.2*x*x", (-3.0, 3.0)),
    ("exp(-x*x)*cos(3*x)", (-2.0, 2.0)),
    ("tanh(3*x)", (-2.0, 2.0)),
]
ROUGH = [
    ("sin(3*x) + 0.5*abs(x)", (-3.0, 3.0)),
    ("sqrt(abs(x))", (-1.0, 1.0)),
    ("abs(x) + 2*relu(x - 1.5) - x/2", (-3.0, 3.0)),  # piecewise linear: greedy is exact
    ("3*x - 1", (-1.0, 2.0)),
]


@functools.cache
def minimax(target: str, domain, units: int):
    return fit_minimax(parse_target(target, domain), domain, units)


@functools.cache
def greedy(target: str, domain, units: int):
    return fit_hinges(target, domain, units, "greedy")


def grid_target(target: str, domain):
    xs = error_grid(domain)
    return xs, parse_target(target, domain)(xs)


def design(knots: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """The output layer's columns, built here: 1 and relu(x - k) for every kink."""
    return np.column_stack([np.ones_like(xs)] + [np.maximum(xs - k, 0.0) for k in knots])


def interpolation_error(target: str, domain, units: int) -> float:
    """Worst error of the piecewise-linear interpolant at units + 1 evenly spaced nodes: the
    same count of pieces (units) as a net of ``units`` hinges with one at the left end."""
    xs, y = grid_target(target, domain)
    fn = parse_target(target, domain)
    nodes = np.linspace(*domain, units + 1)
    return float(np.max(np.abs(np.interp(xs, nodes, fn(nodes)) - y)))


@pytest.mark.parametrize("units", [10, 16, 24])
@pytest.mark.parametrize(("target", "domain"), SMOOTH)
def test_at_most_half_of_uniform_interpolation_and_never_worse_than_greedy(target, domain, units):
    net, steps, _ = minimax(target, domain, units)
    worst = steps[-1].max_abs_error
    assert worst <= 0.5 * interpolation_error(target, domain, units)
    assert worst <= greedy(target, domain, units).max_abs_error


@pytest.mark.parametrize(("target", "domain"), SMOOTH + ROUGH)
def test_every_step_is_no_worse_than_greedy_or_the_step_before(target, domain):
    _, steps, _ = minimax(target, domain, 8)
    g = greedy(target, domain, 8).steps
    scale = 1e-12 * (1.0 + np.max(np.abs(grid_target(target, domain)[1])))
    for m, gs in zip(steps, g, strict=True):
        assert m.max_abs_error <= gs.max_abs_error + scale
    worst = [s.max_abs_error for s in steps]
    assert np.all(np.diff(worst) <= scale)


@pytest.mark.parametrize(("target", "domain"), SMOOTH + ROUGH[:1])
def test_steps_record_one_net_per_unit_count_with_its_errors(target, domain):
    net, steps, fits = minimax(target, domain, 8)
    xs, y = grid_target(target, domain)
    assert [s.units for s in steps] == list(range(1, 9)) == [s.net.units for s in steps]
    assert steps[-1].net is net
    for s, f in zip(steps, fits, strict=True):
        r = s.net(xs) - y
        assert s.max_abs_error == pytest.approx(np.max(np.abs(r)), rel=1e-12)
        assert s.rms_error == pytest.approx(np.sqrt(np.mean(r * r)), rel=1e-12)
        assert s.knot == -s.net.b1[-1] / s.net.W1[-1, 0]  # the newest unit is last
        assert -s.net.b1[0] / s.net.W1[0, 0] == pytest.approx(domain[0])  # unit 1: left end
        np.testing.assert_allclose(
            s.net(xs), design(f.knots, xs) @ np.r_[f.bias, f.coef], rtol=1e-9, atol=1e-12
        )


@pytest.mark.parametrize(("target", "domain"), SMOOTH)
def test_lawson_certificate_recomputed_from_its_weights(target, domain):
    """For any probability weights w, min_c sum w r^2 <= (best worst error)^2: recomputed
    here by plain least squares from the fit's weights, it bounds every output layer on
    these kinks from below, and the fit's worst error is within LAWSON_GAP of it."""
    _, steps, fits = minimax(target, domain, 12)
    fit = fits[-1]
    xs, y = grid_target(target, domain)
    w = fit.weights
    assert np.all(w >= 0) and np.sum(w) == pytest.approx(1.0)
    a = design(fit.knots, xs)
    root = np.sqrt(w)
    c, *_ = np.linalg.lstsq(a * root[:, None], y * root, rcond=None)
    bound = float(np.sqrt(np.sum(w * (y - a @ c) ** 2)))
    assert bound <= steps[-1].max_abs_error
    assert (1 - LAWSON_GAP) * steps[-1].max_abs_error <= bound * (1 + 1e-9)
    assert fit.lower_bound == pytest.approx(bound, rel=1e-6)
    least_squares, *_ = np.linalg.lstsq(a, y, rcond=None)  # any other output layer
    assert np.max(np.abs(y - a @ least_squares)) >= bound


def test_parabola_on_even_kinks_equioscillates_at_half_the_interpolation_error():
    """x^2 on pieces of width h: the interpolant is off by up to h^2/4 (mid-piece); the best
    continuous piecewise-linear fit is the interpolant lowered by h^2/8, which touches
    -h^2/8 at every kink and +h^2/8 mid-piece: 2n + 1 alternating extremes."""
    domain, units = (-1.0, 1.0), 4
    xs, y = grid_target("x*x", domain)
    fit = lawson(uniform_knots(domain, units), xs, y, gap=1e-6, iterations=20000)
    h = 2.0 / units
    assert fit.lower_bound <= h * h / 8 <= fit.max_error <= h * h / 8 * (1 + 1e-4)
    r = y - design(fit.knots, xs) @ np.r_[fit.bias, fit.coef]
    extremes = np.flatnonzero(np.abs(r) >= fit.max_error * (1 - 1e-4))
    signs = np.sign(r[extremes])
    runs = 1 + int(np.sum(signs[1:] != signs[:-1]))
    assert runs == 2 * units + 1


@pytest.mark.parametrize("units", [10, 16])
@pytest.mark.parametrize(("target", "domain"), SMOOTH)
def test_worst_error_alternates_in_sign(target, domain, units):
    """Every straight line is in the span (bias + the unit at the left end), so at a best
    fit the error's extremes change sign at least twice: were they one-signed, or of one
    sign left of some x0 and the other right of it, adding a small multiple of 1 or of
    x - x0 would lower them all. Checked on the points within 2 LAWSON_GAP of the max."""
    net, _, _ = minimax(target, domain, units)
    xs, y = grid_target(target, domain)
    r = y - net(xs)
    near = np.abs(r) >= np.max(np.abs(r)) * (1 - 2 * LAWSON_GAP)
    signs = np.sign(r[near])
    assert 1 + int(np.sum(signs[1:] != signs[:-1])) >= 3


def test_exact_on_a_piecewise_linear_target_with_few_bends():
    fit = fit_hinges("abs(x) + 2*relu(x - 1.5) - x/2", (-3.0, 3.0), 4, "minimax")
    assert fit.max_abs_error < 1e-9


def test_placement_fit_hinges_and_cli_agree_on_the_contract():
    target, domain = "tanh(3*x)", (-2.0, 2.0)
    via_placement = fit_placement(target, domain, 10, "minimax")
    via_hinges = fit_hinges(target, domain, 10, "minimax")
    assert via_placement.method == via_hinges.method == "minimax"
    np.testing.assert_array_equal(via_placement.net.W2, via_hinges.net.W2)
    out = CliRunner().invoke(
        cli,
        ["fit", "--target", target, "--domain", "-2", "2", "--units", "10"]
        + ["--method", "minimax", "--json"],
    )
    assert out.exit_code == 0, out.output
    d = json.loads(out.output)
    assert d["method"] == "minimax" and d["units"] == 10 and len(d["steps"]) == 10
    xs, y = grid_target(target, domain)
    hidden = np.maximum(np.array(d["W1"]) @ xs[None, :] + np.array(d["b1"])[:, None], 0.0)
    net = (np.array(d["W2"]) @ hidden)[0] + d["b2"][0]
    assert np.max(np.abs(net - y)) == pytest.approx(d["max_abs_error"], rel=1e-9)
    assert d["max_abs_error"] == via_hinges.max_abs_error
