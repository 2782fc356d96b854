"""ReluNet against the explicit formula W2 @ relu(W1 x + b1) + b2, to rounding."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numerics import assert_within, forward_error, forward_errors

from relu_anim.core.network import ReluNet

# Tolerances: a computed output differs from the exact one by at most the bound of
# numerics.forward_error (dot products in any order, Higham 3.1); the net and a
# hand-written formula sum in different orders, so they agree within twice that bound.


def random_net(rng, sizes):
    """A net with layer sizes e.g. (1, 5, 1) and its raw weights."""
    ws = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    bs = [rng.normal(size=o) for o in sizes[1:]]
    return ReluNet(tuple(ws), tuple(bs)), ws, bs


def explicit(ws, bs, x):
    """Reference for one input vector x: h <- relu(W h + b), no relu on the last layer."""
    h = np.asarray(x, dtype=float)
    for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
        h = w @ h + b
        if i < len(ws) - 1:
            h = np.maximum(h, 0.0)
    return h


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 12))
def test_one_hidden_1d_forward_is_the_formula(seed, hidden):
    rng = np.random.default_rng(seed)
    W1, b1 = rng.normal(size=(hidden, 1)), rng.normal(size=hidden)
    W2, b2 = rng.normal(size=(1, hidden)), rng.normal(size=1)
    net = ReluNet.one_hidden(W1, b1, W2, b2)
    xs = np.linspace(-4, 4, 37)
    expected = np.array([(W2 @ np.maximum(W1 @ [x] + b1, 0.0) + b2)[0] for x in xs])
    tol = 2 * forward_error(net, xs)[:, 0]  # two summation orders, each within the bound
    assert_within(net(xs), expected, tol)
    assert net(xs).shape == (37,)
    assert net.forward(xs).shape == (37, 1)
    assert_within(net.forward(xs)[:, 0], expected, tol)
    # a (n, 1) column of inputs means the same as the flat vector
    assert_within(net(xs[:, None]), expected, tol)
    assert net.units == hidden and net.hidden_sizes == (hidden,) and net.input_dim == 1
    assert net.W1.shape == (hidden, 1) and net.b1.shape == (hidden,)
    assert net.W2.shape == (1, hidden) and net.b2.shape == (1,)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 6), st.integers(1, 6), st.integers(1, 3))
def test_two_hidden_layers_2d_forward_is_the_formula(seed, h1, h2, out):
    rng = np.random.default_rng(seed)
    net, ws, bs = random_net(rng, (2, h1, h2, out))
    X = rng.uniform(-3, 3, size=(25, 2))
    expected = np.array([explicit(ws, bs, x) for x in X])
    tol = 2 * forward_error(net, X)
    assert_within(net.forward(X), expected, tol)
    y = net(X)
    assert y.shape == ((25,) if out == 1 else (25, out))
    assert_within(y.reshape(25, out), expected, tol)
    assert net.hidden_sizes == (h1, h2) and net.units == h1 + h2 and net.input_dim == 2


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000))
def test_gates_are_positive_preactivations(seed):
    rng = np.random.default_rng(seed)
    net, ws, bs = random_net(rng, (2, 4, 3, 1))
    X = rng.uniform(-3, 3, size=(20, 2))
    z1 = X @ ws[0].T + bs[0]
    z2 = np.maximum(z1, 0.0) @ ws[1].T + bs[1]
    pre = net.preactivations(X)
    assert len(pre) == 2
    tol1, tol2 = (2 * e for e in forward_errors(net, X)[:2])
    assert_within(pre[0], z1, tol1)
    assert_within(pre[1], z2, tol2)
    gates = net.gates(X)
    assert gates.dtype == bool and gates.shape == (20, 7)
    # a gate is decided by the sign of z: compare where rounding cannot flip it
    sure = np.concatenate([np.abs(z1) > tol1, np.abs(z2) > tol2], axis=1)
    np.testing.assert_array_equal(gates[sure], np.concatenate([z1 > 0, z2 > 0], axis=1)[sure])
    assert_within(net.hidden(X), np.maximum(z2, 0.0), tol2)


def test_gate_at_exactly_zero_is_closed():
    net = ReluNet.one_hidden([[1.0], [-1.0]], [0.0, 0.0], [[1.0, 1.0]], [0.0])
    np.testing.assert_array_equal(net.gates([0.0, 1.0, -1.0]), [[0, 0], [1, 0], [0, 1]])
    np.testing.assert_allclose(net([-2.0, 0.0, 3.0]), [2.0, 0.0, 3.0])  # |x|


def test_unit_terms_sum_to_the_output():
    rng = np.random.default_rng(3)
    net, ws, bs = random_net(rng, (1, 6, 1))
    xs = np.linspace(-2, 2, 15)
    terms = net.unit_terms(xs)
    assert terms.shape == (15, 6)
    assert_within(terms.sum(axis=1) + bs[1][0], net(xs), 2 * forward_error(net, xs)[:, 0])


@pytest.mark.parametrize("sizes", [(1, 5, 1), (2, 3, 1), (2, 4, 3, 2), (3, 2, 2, 2, 1)])
def test_to_dict_from_dict_roundtrip_through_json(sizes):
    net, _, _ = random_net(np.random.default_rng(7), sizes)
    d = net.to_dict()
    text = json.dumps(d)
    back = ReluNet.from_dict(json.loads(text))
    assert len(back.weights) == len(net.weights)
    for a, b in zip(net.weights + net.biases, back.weights + back.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    X = np.random.default_rng(1).uniform(-2, 2, size=(10, sizes[0]))
    np.testing.assert_array_equal(back.forward(X), net.forward(X))
    if len(sizes) == 3:
        assert set(d) == {"W1", "b1", "W2", "b2"}
        assert np.shape(d["W1"]) == (sizes[1], sizes[0]) and np.shape(d["b1"]) == (sizes[1],)
        assert np.shape(d["W2"]) == (sizes[2], sizes[1]) and np.shape(d["b2"]) == (sizes[2],)


def test_kinks_of_a_1d_net():
    # units switch where w x + b = 0: x = 1, -0.5, 2; a unit with w = 0 never switches
    W1 = [[2.0], [1.0], [0.0], [-4.0]]
    b1 = [-2.0, 0.5, 1.0, 8.0]
    net = ReluNet.one_hidden(W1, b1, [[1.0, -1.0, 3.0, 0.5]], [0.0])
    np.testing.assert_allclose(net.kinks(), [-0.5, 1.0, 2.0])
    # the derivative really changes at every kink and only there
    xs = np.linspace(-3, 3, 6001)
    slopes = np.diff(net(xs)) / np.diff(xs)
    changes = xs[1:-1][~np.isclose(slopes[1:], slopes[:-1], atol=1e-9)]
    for k in net.kinks():
        assert np.min(np.abs(changes - k)) < 2e-3
    assert all(np.min(np.abs(net.kinks() - c)) < 2e-3 for c in changes)


def test_kinks_need_a_1d_one_hidden_net():
    two_d, _, _ = random_net(np.random.default_rng(0), (2, 3, 1))
    deep, _, _ = random_net(np.random.default_rng(0), (1, 3, 3, 1))
    for net in (two_d, deep):
        with pytest.raises(ValueError):
            net.kinks()


@pytest.mark.parametrize(
    ("weights", "biases"),
    [
        (([[1.0]],), ([0.0],)),  # one layer only
        (([[1.0]], [[1.0]]), ([0.0],)),  # a bias missing
        (([[1.0], [2.0]], [[1.0, 1.0]]), ([0.0], [0.0])),  # b1 has the wrong length
        (([[1.0], [2.0]], [[1.0, 1.0, 1.0]]), ([0.0, 0.0], [0.0])),  # W2 expects 3 inputs
        (([[1.0], [2.0]], [[1.0, 1.0]]), ([0.0, 0.0], [0.0, 0.0])),  # b2 too long
    ],
)
def test_inconsistent_shapes_raise_value_error(weights, biases):
    with pytest.raises(ValueError):
        ReluNet(weights, biases)


def test_inputs_with_the_wrong_number_of_coordinates_raise_value_error():
    net, _, _ = random_net(np.random.default_rng(0), (2, 3, 1))
    with pytest.raises(ValueError):
        net(np.zeros((4, 3)))
    one_d, _, _ = random_net(np.random.default_rng(0), (1, 3, 1))
    with pytest.raises(ValueError):
        one_d(np.zeros((4, 2)))
