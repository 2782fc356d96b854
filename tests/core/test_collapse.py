"""Affine layers compose into one affine map; ReLU between them breaks that."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from relu_anim.core.collapse import (
    DEFAULT_WINDOW,
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


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=seeds, pts=point_sets)
def test_compose_equals_sequential_application(k, seed, pts):
    layers = random_layers(k, seed)
    total = compose(layers)
    h = pts
    for layer in layers:
        h = h @ layer.W.T + layer.b
    np.testing.assert_allclose(total.apply(pts), h, atol=1e-12, rtol=0)
    np.testing.assert_allclose(apply_layers(layers, pts, relu_between=False), h, atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(k=ks, seed=seeds)
def test_composition_matrix_is_the_product_last_layer_first(k, seed):
    layers = random_layers(k, seed)
    total = compose(layers)
    expected = np.linalg.multi_dot([np.eye(2)] + [layer.W for layer in reversed(layers)])
    np.testing.assert_allclose(total.W, expected, atol=1e-12)
    # The bias is where the origin lands.
    np.testing.assert_allclose(total.b, affine_stack(layers, [0.0, 0.0]), atol=1e-12)


@settings(max_examples=20, deadline=None)
@given(k=st.integers(2, 6), seed=seeds)
def test_witness_gap_is_positive_and_recomputes_by_hand(k, seed):
    layers = random_layers(k, seed)
    w = relu_witness(layers)
    assert np.all(np.abs(w.p) <= 3) and np.all(np.abs(w.q) <= 3)
    mid = (w.p + w.q) / 2
    np.testing.assert_allclose(w.midpoint, mid)
    f_p, f_q, f_mid = relu_stack(layers, w.p), relu_stack(layers, w.q), relu_stack(layers, mid)
    gap = np.linalg.norm(f_mid - (f_p + f_q) / 2)
    assert gap >= 0.3
    assert w.gap == pytest.approx(gap, abs=1e-12)
    np.testing.assert_allclose(w.f_mid, f_mid, atol=1e-12)


def test_witness_refuses_an_affine_map():
    # Positive weights and a large bias keep every intermediate coordinate positive on the box.
    layers = [AffineLayer(np.eye(2), np.array([10.0, 10.0])), AffineLayer(np.eye(2), np.zeros(2))]
    with pytest.raises(ValueError):
        relu_witness(layers)


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=seeds, pts=point_sets)
def test_relu_is_identity_where_every_intermediate_coordinate_is_positive(k, seed, pts):
    layers = random_layers(k, seed)
    h, positive = pts, np.ones(len(pts), dtype=bool)
    for layer in layers[:-1]:
        h = h @ layer.W.T + layer.b
        positive &= np.all(h > 0, axis=1)
    folded = apply_layers(layers, pts, relu_between=True)
    np.testing.assert_allclose(folded[positive], compose(layers).apply(pts)[positive], atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(k=ks, seed=seeds)
def test_random_layers_are_nice_and_well_conditioned(k, seed):
    layers = random_layers(k, seed)
    assert len(layers) == k
    for layer in layers:
        assert layer.W.shape == (2, 2) and layer.b.shape == (2,)
        for entries, bound in ((layer.W, 1.5), (layer.b, 1.0)):
            tenths = entries * 10
            np.testing.assert_allclose(tenths, np.round(tenths), atol=1e-12)
            assert np.all(np.abs(entries) <= bound + 1e-12)
        assert abs(np.linalg.det(layer.W)) >= 0.4
        s = np.linalg.svd(layer.W, compute_uv=False)
        assert s[0] / s[-1] <= 4 + 1e-9
    corners = np.array([[-3, -3], [3, -3], [3, 3], [-3, 3]], dtype=float)
    image = compose(layers).apply(corners)  # an affine image of a square: corners bound it
    assert np.all(np.abs(image[:, 0]) <= 7 + 1e-9) and np.all(np.abs(image[:, 1]) <= 4 + 1e-9)


def test_random_layers_are_deterministic():
    a, b = random_layers(4, 7), random_layers(4, 7)
    for la, lb in zip(a, b, strict=True):
        np.testing.assert_array_equal(la.W, lb.W)
        np.testing.assert_array_equal(la.b, lb.b)


@pytest.mark.parametrize("k", [0, 7, -1])
def test_layer_count_out_of_range(k):
    with pytest.raises(ValueError):
        random_layers(k, 0)


def test_stages_labels_and_ends():
    layers = random_layers(3, 1)
    pts = np.array([[1.0, -2.0], [0.5, 0.5]])
    folded = stages(layers, pts, relu_between=True)
    assert [label for label, _ in folded] == ["input", "W1", "relu", "W2", "relu", "W3"]
    np.testing.assert_array_equal(folded[0][1], pts)
    for i in range(2):
        np.testing.assert_allclose(folded[-1][1][i], relu_stack(layers, pts[i]), atol=1e-12)
    for label, h in folded:
        if label == "relu":
            assert np.all(h >= 0)
    plain = stages(layers, pts, relu_between=False)
    assert [label for label, _ in plain] == ["input", "W1", "W2", "W3"]


def test_collapse_report_matches_contract():
    report = json.loads(json.dumps(collapse_report(3, 0)))
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
    np.testing.assert_allclose(report["W"], layers[2].W @ layers[1].W @ layers[0].W, atol=1e-12)
    w = report["relu_witness"]
    p, q = np.array(w["p"]), np.array(w["q"])
    gap = np.linalg.norm(
        relu_stack(layers, (p + q) / 2) - (relu_stack(layers, p) + relu_stack(layers, q)) / 2
    )
    assert w["midpoint_gap"] == pytest.approx(gap, abs=1e-12)


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


def test_the_default_window_is_the_documented_one():
    for k, seed in [(1, 0), (3, 0), (6, 5)]:
        a, b = random_layers(k, seed), random_layers(k, seed, window=DEFAULT_WINDOW)
        for la, lb in zip(a, b, strict=True):
            np.testing.assert_array_equal(la.W, lb.W)
            np.testing.assert_array_equal(la.b, lb.b)
    assert collapse_report(3, 0) == collapse_report(3, 0, window=DEFAULT_WINDOW)


def test_a_window_smaller_than_the_input_square_is_refused():
    with pytest.raises(ValueError, match="window"):
        random_layers(2, 0, window=(2.0, 4.0))


def test_without_a_window_the_witness_has_the_largest_gap():
    layers = random_layers(4, 2)
    anywhere = relu_witness(layers, window=None)
    assert anywhere.gap >= relu_witness(layers).gap
    assert anywhere.gap >= relu_witness(layers, window=(3.0, 3.0)).gap
