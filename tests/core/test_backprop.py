"""The core's one backward pass, against central differences and against its own definitions."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numerics import central_difference, linear_loss_error, parameters, same_gates

from relu_anim.core.backprop import Gradients, backprop, packed
from relu_anim.core.network import ReluNet, Trace

H = 1e-3  # step: large, so rounding (eps_L / H) stays small; see gradcheck for the bound


def random_net(rng: np.random.Generator, sizes: tuple[int, ...]) -> ReluNet:
    ws = tuple(rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:], strict=True))
    return ReluNet(ws, tuple(rng.normal(size=o) for o in sizes[1:]))


def check_against_central_differences(net, X, C, h=H) -> tuple[int, int]:
    """Check every dL/dW, dL/db of L = sum(C * y) against central differences; returns
    (parameters checked, parameters in the net). A parameter whose stencil moves a gate is
    skipped: the loss has a kink there and the difference is not a derivative."""
    grads = backprop(net, X, C)
    loss = lambda n: float(np.sum(C * n.forward(X)))  # noqa: E731
    eps_L = linear_loss_error(net, X, C, slack=h)  # rounding bound of one evaluation of L
    checked = total = 0
    for which, layer, idx in parameters(net):
        total += 1
        if not same_gates(net, X, which, layer, idx, h):
            continue
        D, l_down, l_mid, l_up = central_difference(loss, net, which, layer, idx, h)
        # With fixed gates L is affine in this parameter: the second difference is rounding
        # only (three evaluations, weights 1, 2, 1).
        assert abs(l_up - 2 * l_mid + l_down) <= 4 * eps_L
        g = (grads.weights if which == "W" else grads.biases)[layer][idx]
        # No truncation (affine), rounding <= eps_L / h, and a factor 2 for the backward
        # pass's own rounding (of the order of eps_L, h times smaller).
        assert abs(g - D) <= 2 * eps_L / h, (which, layer, idx, g, D)
        checked += 1
    return checked, total


@pytest.mark.parametrize(
    "sizes",
    [(1, 5, 1), (2, 4, 1), (3, 4, 2), (1, 6, 4, 1), (2, 4, 3, 1), (2, 3, 5, 2)],
    ids=lambda s: "-".join(map(str, s)),
)
def test_gradients_of_one_and_two_hidden_layers_match_central_differences(sizes):
    rng = np.random.default_rng(len(sizes) * 100 + sum(sizes))
    net = random_net(rng, sizes)
    X = rng.uniform(-2, 2, size=(6, sizes[0]))
    C = rng.normal(size=(6, sizes[-1]))
    checked, total = check_against_central_differences(net, X, C)
    assert checked == total  # these seeds keep every gate away from the stencils


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    hidden=st.lists(st.integers(1, 5), min_size=1, max_size=3),
    n_in=st.integers(1, 3),
    n_out=st.integers(1, 2),
    n=st.integers(1, 8),
)
def test_gradients_of_random_nets_match_central_differences(seed, hidden, n_in, n_out, n):
    rng = np.random.default_rng(seed)
    net = random_net(rng, (n_in, *hidden, n_out))
    X = rng.uniform(-2, 2, size=(n, n_in))
    C = rng.normal(size=(n, n_out))
    checked, total = check_against_central_differences(net, X, C)
    assume(checked > 0)


def test_input_gradient_matches_central_differences():
    rng = np.random.default_rng(7)
    net = random_net(rng, (3, 4, 4, 2))
    X = rng.uniform(-2, 2, size=(5, 3))
    C = rng.normal(size=(5, 2))
    grads = backprop(net, X, C, wrt_inputs=True)
    assert grads.inputs.shape == X.shape
    eps_L = linear_loss_error(net, X, C, slack=H)
    for idx in np.ndindex(X.shape):
        up, down = X.copy(), X.copy()
        up[idx] += H
        down[idx] -= H
        assert np.array_equal(net.gates(up), net.gates(X))
        assert np.array_equal(net.gates(down), net.gates(X))
        D = (np.sum(C * net.forward(up)) - np.sum(C * net.forward(down))) / (up[idx] - down[idx])
        assert abs(grads.inputs[idx] - D) <= 2 * eps_L / H  # as for the parameters
    assert backprop(net, X, C).inputs is None


def test_gradients_follow_the_chain_rule_layer_by_layer():
    """dW_i = dz_i^T a_{i-1}, db_i = column sums of dz_i, dz_L = dL/dy; a closed unit passes
    no gradient; per-sample gradients add up to the batch's."""
    rng = np.random.default_rng(3)
    net = random_net(rng, (2, 5, 3, 2))
    X = rng.uniform(-2, 2, size=(9, 2))
    G = rng.normal(size=(9, 2))
    t = net.trace(X)
    grads = backprop(net, t, G)
    assert isinstance(grads, Gradients) and len(grads.layers) == 3
    np.testing.assert_array_equal(grads.pre[-1], G)
    below = (t.inputs, *t.post)
    for i, (dW, db) in enumerate(grads.layers):
        assert dW.shape == net.weights[i].shape and db.shape == net.biases[i].shape
        np.testing.assert_array_equal(dW, grads.pre[i].T @ below[i])
        np.testing.assert_array_equal(db, grads.pre[i].sum(axis=0))
    for i in range(2):
        assert np.all(grads.pre[i][t.pre[i] <= 0] == 0)  # closed units stop the gradient
    # Per sample, summed: the same gradients, up to the order of a 9-term sum. Each term is a
    # product chain of 3 layers, so the two sums differ by at most a few ulps of sum |terms|.
    single = [backprop(net, X[k : k + 1], G[k : k + 1]) for k in range(9)]
    for i in range(3):
        total = sum(s.weights[i] for s in single)
        scale = sum(np.abs(s.weights[i]) for s in single)
        assert np.all(np.abs(total - grads.weights[i]) <= 16 * np.finfo(float).eps * scale)
    # and the forward pass kept by the trace is the net's
    np.testing.assert_array_equal(t.output, net.forward(X))


def test_a_unit_exactly_at_its_kink_counts_as_closed():
    net = ReluNet.one_hidden([[1.0], [-1.0]], [0.0, 0.0], [[2.0, 3.0]], [0.5])
    grads = backprop(net, [0.0], [1.0])
    np.testing.assert_array_equal(grads.weights[0], [[0.0], [0.0]])
    np.testing.assert_array_equal(grads.biases[0], [0.0, 0.0])
    np.testing.assert_array_equal(grads.weights[1], [[0.0, 0.0]])
    np.testing.assert_array_equal(grads.biases[1], [1.0])


def test_one_output_takes_a_flat_dl_dy_and_shapes_are_checked():
    rng = np.random.default_rng(0)
    net = random_net(rng, (1, 3, 1))
    xs = np.linspace(-1, 1, 4)
    a = backprop(net, xs, np.ones(4))
    b = backprop(net, xs, np.ones((4, 1)))
    for p, q in zip(a.flat(), b.flat(), strict=True):
        assert p == q
    with pytest.raises(ValueError, match="shape"):
        backprop(net, xs, np.ones(5))
    with pytest.raises(ValueError, match="shape"):
        backprop(random_net(rng, (2, 3, 2)), np.ones((4, 2)), np.ones(4))


def test_packed_nets_are_views_of_one_vector_in_gradient_order():
    rng = np.random.default_rng(5)
    net = random_net(rng, (2, 3, 4, 1))
    theta, live = packed(net)
    assert theta.size == sum(w.size + b.size for w, b in zip(net.weights, net.biases, strict=True))
    np.testing.assert_array_equal(live.forward([[0.3, -0.2]]), net.forward([[0.3, -0.2]]))
    X, G = rng.normal(size=(6, 2)), rng.normal(size=(6, 1))
    flat = backprop(live, X, G).flat()
    assert flat.shape == theta.shape
    # a step on theta along the flat gradient moves every parameter by its own gradient
    before = live.copy()
    theta -= 1e-3 * flat
    grads = backprop(before, X, G)
    for w, w0, g in zip(live.weights, before.weights, grads.weights, strict=True):
        np.testing.assert_array_equal(w, w0 - 1e-3 * g)
    for b, b0, g in zip(live.biases, before.biases, grads.biases, strict=True):
        np.testing.assert_array_equal(b, b0 - 1e-3 * g)
    # the original net is untouched, and a copy is a snapshot
    assert not np.shares_memory(net.weights[0], theta)
    assert not np.shares_memory(before.weights[0], theta)


@dataclass(frozen=True)
class TanhNet:
    """A net with tanh hidden layers: weights, biases and a trace, as backprop needs."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    label: str = "tanh"

    def trace(self, x) -> Trace:
        a = inputs = np.atleast_2d(np.asarray(x, dtype=float))
        pre, post = [], []
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            pre.append(a @ w.T + b)
            if i < len(self.weights) - 1:
                a = np.tanh(pre[-1])
                post.append(a)
        return Trace(inputs, tuple(pre), tuple(post))


def tanh_forward(weights, biases, X):
    """The same net written again, in whatever dtype the parameters have (complex here)."""
    a = X
    for i, (w, b) in enumerate(zip(weights, biases, strict=True)):
        a = a @ w.T + b
        if i < len(weights) - 1:
            a = np.tanh(a)
    return a


def test_another_activation_through_the_same_backward_pass():
    """tanh hidden layers, against the complex-step derivative Im L(t + ih) / h.

    The complex step subtracts nothing, so with h = 1e-30 its truncation error
    (h^2/6 |L'''|, ~1e-60) and its rounding are negligible: it is the derivative to a few
    ulps of the terms summed, as is the backward pass. Sums of at most ~20 products of
    numbers below 10 here: both within 20 * 2^-53 * 100 ~ 2e-13 of exact, so 1e-12.
    """
    rng = np.random.default_rng(4)
    sizes = (2, 4, 3, 2)
    ws = [rng.normal(size=(o, i)) for i, o in zip(sizes[:-1], sizes[1:], strict=True)]
    bs = [rng.normal(size=o) for o in sizes[1:]]
    net = TanhNet(tuple(ws), tuple(bs))
    X, C = rng.uniform(-2, 2, size=(5, 2)), rng.normal(size=(5, 2))
    grads = backprop(net, X, C, activation_grad=lambda z: 1.0 - np.tanh(z) ** 2)
    h = 1e-30
    for which, arrays, grad in (("W", ws, grads.weights), ("b", bs, grads.biases)):
        for layer, arr in enumerate(arrays):
            for idx in np.ndindex(arr.shape):
                params = [a.astype(complex) for a in arrays]
                params[layer][idx] += 1j * h
                w_c, b_c = (params, bs) if which == "W" else (ws, params)
                step = np.sum(C * tanh_forward(w_c, b_c, X)).imag / h
                assert abs(grad[layer][idx] - step) <= 1e-12, (which, layer, idx)
    # packed keeps the net's type and its other fields
    theta, live = packed(net)
    assert (
        isinstance(live, TanhNet)
        and live.label == "tanh"
        and np.shares_memory(live.weights[1], theta)
    )
