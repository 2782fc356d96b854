"""core/zeros against mathematics: the pair identity, exact recovery, monotone growth, SNR."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from relu_anim.core.zeros import (
    BOX,
    MAX_HIDDEN,
    Layer,
    grid,
    noise_gate,
    noisy_signal,
    pair_sum,
    random_layer,
    recover,
    recoverable_area,
    recovery_map,
    recovery_regions,
    snr_db,
    spans_plane,
    zeros_report,
)

finite = st.floats(allow_nan=False, allow_infinity=True, width=64)


@given(st.lists(finite, min_size=1, max_size=50))
def test_pair_identity_is_exact_for_every_float(zs):
    """relu(z) - relu(-z) = z with no rounding: one term is 0, the other |z|."""
    z = np.array(zs)
    np.testing.assert_array_equal(pair_sum(z), z)


def test_pair_identity_on_extremes():
    z = np.array([0.0, -0.0, 5e-324, -5e-324, 1.7976931348623157e308, -1e-300, np.pi])
    assert np.array_equal(pair_sum(z), z)


def test_a_pair_of_opposite_units_recovers_a_1d_input_everywhere():
    """Two units w = +1, -1 (bias 0): the 1-D input comes back exactly, sign included."""
    x = np.linspace(-3, 3, 601)
    h = np.maximum(np.stack([x, -x], 1), 0)
    np.testing.assert_array_equal(h[:, 0] - h[:, 1], x)


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("hidden", [2, 3, 5, 8, 12])
def test_recovery_is_exact_wherever_the_open_rows_span_the_plane(seed, hidden):
    layer = random_layer(hidden, seed)
    rng = np.random.default_rng(100 + seed)
    x = rng.uniform(-BOX, BOX, size=(2000, 2))
    h = layer(x)
    x_hat, ok = recover(layer, h)
    # recoverable is decided from the outputs alone: the open rows' rank, checked directly
    for i in range(0, 2000, 97):
        rows = layer.W[h[i] > 0]
        expect = rows.shape[0] >= 2 and np.linalg.matrix_rank(rows, tol=1e-6) == 2
        assert ok[i] == expect
    # RANK_TOL bounds the condition number by 1e6, so |x_hat - x| <~ 6e-10 (see zeros.py)
    assert np.all(np.hypot(*(x_hat[ok] - x[ok]).T) < 1e-9)
    assert np.all(np.isnan(x_hat[~ok]))


def test_lost_points_really_are_ambiguous():
    """Where fewer than 2 independent units are open, another input gives the same outputs."""
    layer = random_layer(4, 4)
    rec = recovery_map(layer, n=41)
    assert 0 < rec.fraction < 1
    for x in rec.points[~rec.recoverable][::25]:
        open_rows = layer.W[layer(x)[0] > 0]
        # a direction the open units do not see: in their null space (or any, if none open)
        d = np.array([1.0, 0.0]) if len(open_rows) == 0 else np.array([-1, 1]) * open_rows[0, ::-1]
        d = d / np.linalg.norm(d)
        z = layer.W @ x + layer.b
        closed = z <= 0
        step = 1e-3
        if np.any(closed):  # stay on the closed side of every closed unit
            slack = -z[closed] / (np.abs(layer.W[closed] @ d) + 1e-300)
            step = min(step, 0.5 * float(np.min(slack)))
        if step <= 0:
            continue
        np.testing.assert_allclose(layer(x + step * d), layer(x), atol=1e-12)


@pytest.mark.parametrize("seed", range(10))
def test_recoverable_fraction_never_decreases_as_units_are_added(seed):
    big = random_layer(MAX_HIDDEN, seed)
    maps = [recovery_map(big.first(h), n=81) for h in range(1, MAX_HIDDEN + 1)]
    for small, large in zip(maps, maps[1:], strict=False):
        assert np.all(large.recoverable[small.recoverable])  # pointwise, not just in total
        assert large.fraction >= small.fraction
    assert maps[0].fraction == 0.0  # one unit never spans the plane


def test_random_layer_adds_units_to_the_same_layer():
    a, b = random_layer(3, 7), random_layer(9, 7)
    np.testing.assert_array_equal(a.W, b.W[:3])
    np.testing.assert_array_equal(a.b, b.b[:3])
    np.testing.assert_allclose(np.hypot(*b.W.T), 1.0, rtol=1e-15)


@pytest.mark.parametrize("bad", [0, MAX_HIDDEN + 1, -3])
def test_random_layer_rejects_bad_sizes(bad):
    with pytest.raises(ValueError):
        random_layer(bad, 0)


@pytest.mark.parametrize("seed", range(5))
def test_grid_fraction_agrees_with_the_exact_area(seed):
    """The grid share and the polygon area differ only by points near region boundaries: at
    most the lines' total length (< 4 box sqrt 2 each) times a grid step, over the area."""
    layer = random_layer(5, seed)
    n = 201
    step = 2 * BOX / (n - 1)
    bound = layer.units * 4 * BOX * np.sqrt(2) * step / (2 * BOX) ** 2
    assert recovery_map(layer, n=n).fraction == pytest.approx(recoverable_area(layer), abs=bound)


def test_region_recoverability_holds_at_the_centroids():
    layer = random_layer(6, 1)
    for region, ok in recovery_regions(layer):
        _, got = recover(layer, layer(region.centroid))
        assert bool(got[0]) == ok


def test_hand_case_two_axes_units():
    """h = relu(x1), relu(x2): recoverable exactly in the open quadrant x1, x2 > 0."""
    layer = Layer(np.eye(2), np.zeros(2))
    rec = recovery_map(layer, box=1.0, n=21)  # grid points at multiples of 0.1
    expect = (rec.points[:, 0] > 0) & (rec.points[:, 1] > 0)
    np.testing.assert_array_equal(rec.recoverable, expect)
    assert rec.fraction == (10 * 10) / 21**2
    assert recoverable_area(layer, box=1.0) == pytest.approx(0.25, abs=1e-12)
    assert not spans_plane(np.array([[1.0, 2.0], [2.0, 4.0]]))


def test_grid_covers_the_box():
    g = grid(2.0, 5)
    assert g.shape == (25, 2) and g.min() == -2.0 and g.max() == 2.0


# -- the noise gate ----------------------------------------------------------------------------
def test_snr_db_hand_cases():
    assert snr_db(np.array([1.0, 1.0]), np.array([0.1, -0.1])) == pytest.approx(20.0)
    assert snr_db(np.ones(3), np.zeros(3)) == float("inf")


def test_noise_gate_matches_its_definition():
    t, s, x = noisy_signal(1, 0.1)
    g = noise_gate(s, x, 0.3)
    np.testing.assert_array_equal(g.output, np.where(x > 0.3, x - 0.3, 0.0))
    assert g.sparsity == np.mean(x <= 0.3)
    assert g.zeros + g.kept == x.size == t.size
    expect_in = 10 * np.log10(np.sum(s**2) / np.sum((x - s) ** 2))
    c = np.maximum(s - 0.3, 0)
    expect_out = 10 * np.log10(np.sum(c**2) / np.sum((g.output - c) ** 2))
    assert g.snr_in_db == pytest.approx(expect_in, rel=1e-12)
    assert g.snr_out_db == pytest.approx(expect_out, rel=1e-12)


def test_the_gate_zeroes_sub_threshold_noise_and_passes_strong_signal():
    _, s, x = noisy_signal(1, 0.1)
    g = noise_gate(s, x, 0.3)
    quiet = s < 1e-3  # no signal here: only noise, almost all under 3 sigma
    assert np.mean(g.output[quiet] == 0) > 0.98
    strong = s > 0.6  # signal well above threshold + 3 sigma: passes, shifted by 0.3
    assert np.all(g.output[strong] > 0)
    np.testing.assert_allclose(g.output[strong], x[strong] - 0.3, rtol=0, atol=1e-15)
    assert g.sparsity > 0.7 and g.snr_out_db > g.snr_in_db


def test_threshold_zero_keeps_the_positive_part_and_no_noise_means_no_zeros_lost():
    _, s, _ = noisy_signal(2, 0.0)
    g = noise_gate(s, s, 0.0)
    np.testing.assert_array_equal(g.output, s)  # s >= 0: nothing is lost
    assert g.snr_in_db == float("inf") and g.snr_out_db == float("inf")


def test_report_numbers_recompute():
    d = zeros_report(6, 1)
    layer = Layer(np.array(d["W"]), np.array(d["b"]))
    assert d["recoverable_fraction"] == recovery_map(layer, d["box"], d["grid"]).fraction
    assert 0 <= d["max_reconstruction_error"] < 1e-9
    assert set(d) >= {"threshold", "sparsity", "snr_in_db", "snr_out_db", "box"}
