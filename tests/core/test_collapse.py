"""Affine layers compose into one affine map; ReLU between them breaks that."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from numerics import assert_within

from relu_anim.core.collapse import (
    AffineLayer,
    apply_layers,
    collapse_report,
    compose,
    extent,
    inside,
    random_layers,
    relu_witness,
    stages,
)

WINDOW = (7.0, 4.0)  # a plotting window the input square [-3, 3]^2 fits in

seeds = st.integers(0, 10_000)
ks = st.integers(1, 6)
coords = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
point_sets = arrays(np.float64, st.tuples(st.integers(1, 20), st.just(2)), elements=coords)


def relu_stack(layers, x):
    """Hand-written reference: x -> W x + b, with max(., 0) between layers."""
    h = np.array(x, dtype=float)
    for i, layer in enumerate(layers):
        h = np.array(
            [
                layer.W[0, 0] * h[0] + layer.W[0, 1] * h[1] + layer.b[0],
                layer.W[1, 0] * h[0] + layer.W[1, 1] * h[1] + layer.b[1],
            ]
        )
        if i < len(layers) - 1:
            h = np.array([max(h[0], 0.0), max(h[1], 0.0)])
    return h


def affine_stack(layers, x):
    """Hand-written reference without ReLU."""
    h = np.array(x, dtype=float)
    for layer in layers:
        h = layer.W @ h + layer.b
    return h


# Tolerances. A layer computes each coordinate as w1 h1 + w2 h2 + b: off by at most
# gamma_3 (|w1 h1| + |w2 h2| + |b|) (Higham 3.1), and the error already in h passes through
# |W|; ReLU is exact and 1-Lipschitz. With the magnitudes M_0 = |x|, M_i = |W_i| M_{i-1} +
# |b_i| (the chain run on absolute values), k layers applied one by one are off by at most
# k gamma_3 M_k. compose() multiplies the matrices first (k - 1 products of 2x2 matrices, each
# entry a 2-term sum) and the biases likewise, then applies the result: at most
# 2 k gamma_3 M_k. Two computations of the same points therefore differ by at most
# 3 k gamma_3 M_k: about 1e-14 for unit inputs and three layers, and more where the entries
# and points are large, which a fixed atol would not follow.
GAMMA_3 = 3 * 2.0**-53 / (1 - 3 * 2.0**-53)


def chain_magnitude(layers, x):
    """M_k: the layers run on |x| with |W| and |b| (an upper bound of every |coordinate|)."""
    m = np.abs(np.asarray(x, dtype=float))
    for layer in layers:
        m = m @ np.abs(layer.W).T + np.abs(layer.b)
    return m


def chain_tolerance(layers, x):
    """How far two ways of computing the same k layers on x may differ: 3 k gamma_3 M_k."""
    return 3 * len(layers) * GAMMA_3 * chain_magnitude(layers, x)


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=seeds, pts=point_sets)
def test_compose_equals_sequential_application(k, seed, pts):
    layers = random_layers(k, seed, WINDOW)
    total = compose(layers)
    h = pts
    for layer in layers:
        h = h @ layer.W.T + layer.b
    tol = chain_tolerance(layers, pts)
    assert_within(total.apply(pts), h, tol)
    assert_within(apply_layers(layers, pts, relu_between=False), h, tol)


@settings(max_examples=20, deadline=None)
@given(k=ks, seed=seeds)
def test_composition_matrix_is_the_product_last_layer_first(k, seed):
    layers = random_layers(k, seed, WINDOW)
    total = compose(layers)
    expected = np.linalg.multi_dot([np.eye(2)] + [layer.W for layer in reversed(layers)])
    # The columns of W are where the chain without biases sends e1 and e2.
    linear = [AffineLayer(layer.W, np.zeros(2)) for layer in layers]
    assert_within(total.W, expected, chain_tolerance(linear, np.eye(2)).T)
    # The bias is where the origin lands.
    assert_within(total.b, affine_stack(layers, [0.0, 0.0]), chain_tolerance(layers, [0.0, 0.0]))


@settings(max_examples=20, deadline=None)
@given(k=st.integers(2, 6), seed=seeds)
def test_witness_gap_is_positive_and_recomputes_by_hand(k, seed):
    layers = random_layers(k, seed, WINDOW)
    w = relu_witness(layers, window=WINDOW)
    assert np.all(np.abs(w.p) <= 3) and np.all(np.abs(w.q) <= 3)
    mid = (w.p + w.q) / 2
    np.testing.assert_allclose(w.midpoint, mid)
    f_p, f_q, f_mid = relu_stack(layers, w.p), relu_stack(layers, w.q), relu_stack(layers, mid)
    gap = np.linalg.norm(f_mid - (f_p + f_q) / 2)
    assert gap >= 0.3
    tol = [chain_tolerance(layers, pt) for pt in (w.p, w.q, mid)]
    assert_within(w.f_mid, f_mid, tol[2])
    # the gap moves by at most the errors of f(mid) and of the mean of f(p), f(q), plus
    # a few roundings of the norm of a vector of size ~ gap
    slack = np.linalg.norm(tol[2] + (tol[0] + tol[1]) / 2) + 8 * 2.0**-53 * gap
    assert abs(w.gap - gap) <= slack


def test_witness_refuses_an_affine_map():
    # Positive weights and a large bias keep every intermediate coordinate positive on the box.
    layers = [AffineLayer(np.eye(2), np.array([10.0, 10.0])), AffineLayer(np.eye(2), np.zeros(2))]
    with pytest.raises(ValueError):
        relu_witness(layers, window=WINDOW)


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=seeds, pts=point_sets)
def test_relu_is_identity_where_every_intermediate_coordinate_is_positive(k, seed, pts):
    layers = random_layers(k, seed, WINDOW)
    # Positive means clear of 0 by more than rounding: a coordinate within rounding of 0
    # could be negative in the core's computation and clamped there.
    h, positive = pts, np.ones(len(pts), dtype=bool)
    for i, layer in enumerate(layers[:-1]):
        h = h @ layer.W.T + layer.b
        positive &= np.all(h > chain_tolerance(layers[: i + 1], pts), axis=1)
    folded = apply_layers(layers, pts, relu_between=True)
    tol = chain_tolerance(layers, pts)
    assert_within(folded[positive], compose(layers).apply(pts)[positive], tol[positive])


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=seeds)
def test_random_layers_are_nice_and_well_conditioned(k, seed):
    layers = random_layers(k, seed, WINDOW)
    assert len(layers) == k
    for layer in layers:
        assert layer.W.shape == (2, 2) and layer.b.shape == (2,)
        for entries, bound in ((layer.W, 1.5), (layer.b, 1.0)):
            tenths = entries * 10  # n / 10 rounded, times 10: within 2 ulps of n (|n| <= 15)
            np.testing.assert_allclose(tenths, np.round(tenths), atol=1e-14)
            assert np.all(np.abs(entries) <= bound + 1e-12)
        assert abs(np.linalg.det(layer.W)) >= 0.4
        s = np.linalg.svd(layer.W, compute_uv=False)
        assert s[0] / s[-1] <= 4 + 1e-9
    corners = np.array([[-3, -3], [3, -3], [3, 3], [-3, 3]], dtype=float)
    image = compose(layers).apply(corners)  # an affine image of a square: corners bound it
    assert np.all(np.abs(image[:, 0]) <= 7 + 1e-9) and np.all(np.abs(image[:, 1]) <= 4 + 1e-9)


def test_random_layers_are_deterministic():
    a, b = random_layers(4, 7, WINDOW), random_layers(4, 7, WINDOW)
    for la, lb in zip(a, b, strict=True):
        np.testing.assert_array_equal(la.W, lb.W)
        np.testing.assert_array_equal(la.b, lb.b)


@pytest.mark.parametrize("k", [0, 7, -1])
def test_layer_count_out_of_range(k):
    with pytest.raises(ValueError):
        random_layers(k, 0, WINDOW)


def test_stages_labels_and_ends():
    layers = random_layers(3, 1, WINDOW)
    pts = np.array([[1.0, -2.0], [0.5, 0.5]])
    folded = stages(layers, pts, relu_between=True)
    assert [label for label, _ in folded] == ["input", "W1", "relu", "W2", "relu", "W3"]
    np.testing.assert_array_equal(folded[0][1], pts)
    for i in range(2):
        assert_within(folded[-1][1][i], relu_stack(layers, pts[i]), chain_tolerance(layers, pts[i]))
    for label, h in folded:
        if label == "relu":
            assert np.all(h >= 0)
    plain = stages(layers, pts, relu_between=False)
    assert [label for label, _ in plain] == ["input", "W1", "W2", "W3"]


def test_collapse_report_matches_contract():
    report = json.loads(json.dumps(collapse_report(3, 0, WINDOW)))
    assert set(report) == {"layers", "W", "b", "relu_witness"}
    assert len(report["layers"]) == 3
    for layer in report["layers"]:
        assert set(layer) == {"W", "b"}
        assert np.shape(layer["W"]) == (2, 2) and np.shape(layer["b"]) == (2,)
    assert np.shape(report["W"]) == (2, 2) and np.shape(report["b"]) == (2,)
    assert set(report["relu_witness"]) == {"p", "q", "midpoint_gap"}
    assert report["relu_witness"]["midpoint_gap"] > 0
    # The reported single map really is the product of the reported layers.
    layers = [AffineLayer(np.array(d["W"]), np.array(d["b"])) for d in report["layers"]]
    linear = [AffineLayer(layer.W, np.zeros(2)) for layer in layers]
    assert_within(
        report["W"], layers[2].W @ layers[1].W @ layers[0].W, chain_tolerance(linear, np.eye(2)).T
    )
    w = report["relu_witness"]
    p, q = np.array(w["p"]), np.array(w["q"])
    gap = np.linalg.norm(
        relu_stack(layers, (p + q) / 2) - (relu_stack(layers, p) + relu_stack(layers, q)) / 2
    )
    tol = [chain_tolerance(layers, pt) for pt in (p, q, (p + q) / 2)]
    slack = np.linalg.norm(tol[2] + (tol[0] + tol[1]) / 2) + 8 * 2.0**-53 * gap
    assert abs(w["midpoint_gap"] - gap) <= slack


# -- the window is the caller's -----------------------------------------------------------


def test_inside_and_extent():
    pts = np.array([[7.0, 4.0], [-7.0, -4.0], [7.1, 0.0], [0.0, -4.2], [1.0, 1.0]])
    np.testing.assert_array_equal(inside(pts, (7.0, 4.0)), [True, True, False, False, True])
    np.testing.assert_array_equal(inside(pts, (8.0, 5.0)), [True] * 5)
    np.testing.assert_array_equal(extent(pts), [7.1, 4.2])
    assert inside(pts.reshape(5, 1, 2), (7.0, 4.0)).shape == (5, 1)


@pytest.mark.parametrize("window", [(3.0, 3.0), (5.0, 3.5), (12.0, 9.0)])
def test_every_stage_stays_inside_the_callers_window(window):
    grid = np.stack(np.meshgrid(*[np.linspace(-3, 3, 31)] * 2), axis=-1).reshape(-1, 2)
    for seed in range(3):
        layers = random_layers(3, seed, window=window)
        for relu_between in (False, True):
            for _, h in stages(layers, grid, relu_between):
                assert np.all(extent(h) <= np.array(window) + 1e-9)
        w = relu_witness(layers, window=window)
        assert inside(np.array([w.f_p, w.f_q, w.f_mid]), window).all()


def test_a_window_smaller_than_the_input_square_is_refused():
    with pytest.raises(ValueError, match="window"):
        random_layers(2, 0, window=(2.0, 4.0))


def test_without_a_window_the_witness_has_the_largest_gap():
    layers = random_layers(4, 2, WINDOW)
    anywhere = relu_witness(layers, window=None)
    assert anywhere.gap >= relu_witness(layers, window=WINDOW).gap
    assert anywhere.gap >= relu_witness(layers, window=(3.0, 3.0)).gap
