"""ReLU between layers clamps: the part of a segment it collapses, checked against hand
computations and against dense sampling of the map; layers from numbers, checked."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_anim.core.clamping import (
    clamped_share,
    insert_zero_crossings,
    layers_from_values,
    segment_collapse,
    with_kinks,
)
from relu_anim.core.collapse import AffineLayer, apply_layers, random_layers

WINDOW = (7.0, 4.0)  # a plotting window the input square [-3, 3]^2 fits in

IDENTITY = AffineLayer(np.eye(2), np.zeros(2))


def test_insert_zero_crossings_adds_the_roots_of_an_affine_map_on_each_edge():
    points = np.array([[-1.0, -2.0], [3.0, 2.0], [3.0, -2.0]])
    values = points[:, :1] - 1.0  # x - 1: zero at x = 1, crossed on the first edge only
    new_points, new_values = insert_zero_crossings(points, values)
    np.testing.assert_allclose(new_points, [[-1, -2], [1, 0], [3, 2], [3, -2]])
    np.testing.assert_allclose(new_values, new_points[:, :1] - 1.0, atol=1e-15)


def test_insert_zero_crossings_keeps_a_shared_root_once_and_accepts_parameters():
    t = np.array([0.0, 1.0])
    values = np.array([[-1.0, -3.0], [1.0, 3.0]])  # both columns are zero at t = 0.5
    new_t, new_values = insert_zero_crossings(t, values)
    np.testing.assert_allclose(new_t, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(new_values, [[-1, -3], [0, 0], [1, 3]])


def test_a_segment_through_the_negative_quadrant_collapses_where_both_are_negative():
    # identity layers: ReLU alone. x = -2 + 4t, y = -1 + 2t: both negative for t < 1/2
    c = segment_collapse([IDENTITY, IDENTITY], [-2, -1], [2, 1])
    assert c.fraction == pytest.approx(0.5, abs=1e-15)
    assert c.per_relu == pytest.approx((0.5,))
    assert c.pieces() == [(0.0, 0.5)]
    np.testing.assert_allclose(c.points, [[0.0, 0.0]])
    # x = -3 + 4t < 0 for t < 3/4 but y = -1 + 4t < 0 only for t < 1/4: one axis is not a point
    c = segment_collapse([IDENTITY, IDENTITY], [-3, -1], [1, 3])
    assert c.fraction == pytest.approx(0.25, abs=1e-15)


def test_a_segment_along_the_clamped_direction_collapses_with_one_coordinate_negative():
    # x = 1 fixed, y from -2 to 2: y < 0 is clamped, so (1, y) -> (1, 0) for t < 1/2
    c = segment_collapse([IDENTITY, IDENTITY], [1, -2], [1, 2])
    assert c.fraction == pytest.approx(0.5)
    np.testing.assert_allclose(c.points, [[1.0, 0.0]])
    # ... while x = -1 clamped to 0 leaves y running from 1 to 3: on the axis, not a point
    assert segment_collapse([IDENTITY, IDENTITY], [-1, 1], [-1, 3]).fraction == 0.0


def test_collapse_grows_at_each_relu_and_points_stay_points():
    # layer 2 is 1 - h: ReLU 2 zeroes where the first ReLU's output exceeds 1 (both do on
    # x = y = -2 + 6t for t > 1/2); ReLU 1 already sent t < 1/3 to the origin
    flip = AffineLayer(-np.eye(2), np.ones(2))
    c = segment_collapse([IDENTITY, flip, IDENTITY], [-2, -2], [4, 4])
    assert c.per_relu == pytest.approx((1 / 3, 1 / 3 + 1 / 2))
    assert c.fraction == pytest.approx(5 / 6)
    np.testing.assert_allclose(c.pieces(), [(0.0, 1 / 3), (0.5, 1.0)])
    np.testing.assert_allclose(c.pieces(relu=0), [(0.0, 1 / 3)])
    np.testing.assert_allclose(c.pieces(relu=1), [(0.5, 1.0)])
    np.testing.assert_allclose(c.points, [[1.0, 1.0], [0.0, 0.0]])


def test_a_segment_in_the_positive_quadrant_does_not_collapse():
    c = segment_collapse([IDENTITY, IDENTITY], [0.5, 1], [2, 3])
    assert c.fraction == 0.0 and not c.collapsed.any() and len(c.points) == 0


@settings(max_examples=25, deadline=None)
@given(
    k=st.integers(2, 4),
    seed=st.integers(0, 10_000),
    ends=st.lists(st.integers(-30, 30), min_size=4, max_size=4),
)
def test_collapsed_share_matches_dense_sampling_of_the_map(k, seed, ends):
    layers = random_layers(k, seed, WINDOW)
    p, q = np.array(ends[:2]) / 10, np.array(ends[2:]) / 10  # on the 0.1 grid of the scene
    if np.linalg.norm(q - p) < 0.5:
        return
    c = segment_collapse(layers, p, q)
    n = 20_000
    t = np.linspace(0.0, 1.0, n + 1)
    image = apply_layers(layers, p + t[:, None] * (q - p), relu_between=True)
    still = np.all(np.abs(np.diff(image, axis=0)) <= 1e-13, axis=1)
    # a sample step that straddles a breakpoint may disagree: at most one per breakpoint
    assert abs(still.mean() - c.fraction) <= (len(c.t) + 1) / n
    assert list(c.per_relu) == sorted(c.per_relu)
    assert c.per_relu[-1] == pytest.approx(c.fraction)  # the last layer is invertible
    # the collapsed pieces' points are where the map sends their midpoints
    mids = [(a + b) / 2 for a, b in zip(c.t[:-1], c.t[1:], strict=True)]
    mids = np.array(mids)[c.collapsed]
    np.testing.assert_allclose(
        apply_layers(layers, p + mids[:, None] * (q - p), True), c.points, atol=1e-9
    )


def test_with_kinks_makes_the_drawn_polyline_exact():
    layers = random_layers(3, 11, WINDOW)
    a, b = np.array([-3.0, -1.0]), np.array([3.0, 2.0])
    line = a + np.linspace(0, 1, 4)[:, None] * (b - a)
    refined = with_kinks(layers, line)
    assert len(refined) > len(line)
    s = np.linspace(0.0, 1.0, 2001)
    truth = apply_layers(layers, a + s[:, None] * (b - a), True)

    def drawn(vertices):  # the polyline through the mapped vertices, at parameters s
        u = (vertices - a) @ (b - a) / ((b - a) @ (b - a))
        img = apply_layers(layers, vertices, True)
        return np.column_stack([np.interp(s, u, img[:, 0]), np.interp(s, u, img[:, 1])])

    np.testing.assert_allclose(drawn(refined), truth, atol=1e-9)
    assert np.abs(drawn(line) - truth).max() > 1e-3  # without the kinks it would cut corners


def test_clamped_share_counts_points_with_a_negative_coordinate_before_each_relu():
    points = np.array([[-1.0, 2.0], [1.0, 2.0], [-1.0, -1.0], [3.0, -0.5]])
    flip = AffineLayer(-np.eye(2), np.array([1.0, 1.0]))
    # ReLU 1 moves 3 of 4; then 1 - relu(h) is negative where a coordinate of relu(h) > 1
    share = clamped_share([IDENTITY, flip, IDENTITY], points)
    relu1 = np.maximum(points, 0)
    expected2 = np.mean(np.any(1 - relu1 < 0, axis=1))
    assert share == pytest.approx((0.75, expected2))
    assert expected2 == 0.75  # (-1, 2), (1, 2), (3, -0.5) exceed 1 somewhere


def test_layers_from_values_reads_six_numbers_a_layer():
    values = (0.5, -1, 1, 0.5, 0.2, -0.3, 1, 0, 0, 1, 0, 0)
    first, second = layers_from_values(values)
    np.testing.assert_array_equal(first.W, [[0.5, -1], [1, 0.5]])
    np.testing.assert_array_equal(first.b, [0.2, -0.3])
    np.testing.assert_array_equal(second.W, np.eye(2))


@pytest.mark.parametrize(
    ("values", "problem"),
    [
        ((1, 0, 0, 1, 0), "6 numbers per layer"),
        ((1, 0, 0, 1, 0, 0), "6 numbers per layer"),  # one layer: nothing between
        ((1, 0, 0, 1, 0, 0) * 5, "6 numbers per layer"),
        ((1, 0, 0, 1, 0, float("nan"), 1, 0, 0, 1, 0, 0), "finite"),
        ((1, 0, 0, 1, 0, float("inf"), 1, 0, 0, 1, 0, 0), "finite"),
        ((1, 0, 0, 1, 0, 2.5, 1, 0, 0, 1, 0, 0), "within"),
        ((1, 0, 0, 1, 0, 0, 1, 1, 1, 1.1, 0, 0), "layer 2 has |det W|"),
    ],
)
def test_layers_from_values_rejects_bad_sets(values, problem):
    with pytest.raises(ValueError, match=problem.replace("|", r"\|")):
        layers_from_values(values)


def test_layers_from_values_checks_every_stage_against_a_window():
    grow = (2, 0, 0, 2, 0, 0)
    layers_from_values(grow * 2, window=(12, 12))  # the square [-3, 3]^2 reaches 12
    with pytest.raises(ValueError, match="after W2"):
        layers_from_values(grow * 2, window=(7, 7))
