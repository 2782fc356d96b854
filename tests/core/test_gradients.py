"""core/gradients: the backward pass against central differences, the derivatives' bounds,
the vanishing (sigmoid) and the kept (ReLU with He) gradient, and the training's record."""

from __future__ import annotations

import numpy as np
import pytest

from relu_anim.core.gradients import (
    ACTIVATIONS,
    INIT,
    DeepNet,
    derivative,
    init_std,
    inputs,
    layer_gradient_norms,
    mse,
    random_net,
    target,
    train_deep,
)

# Central differences D = (L(t+h) - L(t-h)) / 2h are off by h^2/6 |L'''| (truncation) plus
# eps_L / h (rounding, eps_L ~ 1e-16 |L| times a small count of operations). The losses
# below are O(1) with O(1)-O(10) third derivatives, so h = 1e-5 makes truncation ~1e-10 to
# 1e-9 and rounding ~1e-11 per component: a relative error of the whole gradient vector
# below 1e-6 leaves three orders of magnitude of margin, and a wrong factor (a missing f',
# a transposed W) would be off by O(1).
H = 1e-5
REL_TOL = 1e-6


def small_net(name: str, rng: np.random.Generator, depth: int = 3, width: int = 4) -> DeepNet:
    """A random net with random, nonzero biases (so ReLU's gates are not all at x = 0)."""
    net = random_net(name, depth, width, rng)
    biases = tuple(rng.normal(0.0, 0.5, size=b.shape) for b in net.biases)
    weights = tuple(w * 1.5 for w in net.weights)  # out of the near-linear regime
    return DeepNet(weights, biases, name)


def central_differences(net: DeepNet, x, y) -> np.ndarray:
    """dL/dtheta by central differences, ordered W_1, b_1, W_2, b_2, ... (as Gradients.flat)."""
    out = []
    for layer in range(len(net.weights)):
        for arr in (net.weights[layer], net.biases[layer]):
            for idx in np.ndindex(arr.shape):
                keep = arr[idx]
                arr[idx] = keep + H
                up = mse(net, x, y)[0]
                arr[idx] = keep - H
                down = mse(net, x, y)[0]
                arr[idx] = keep
                out.append((up - down) / (2 * H))
    return np.array(out)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_backward_equals_central_differences(name):
    rng = np.random.default_rng(7)
    net = small_net(name, rng)
    x = np.array([-0.9, -0.45, 0.15, 0.55, 0.95])
    y = target(x)
    if name == "relu":  # no gate within reach of a step: L is then smooth in every parameter
        assert min(np.abs(z).min() for z in net.trace(x).pre[:-1]) > 1e-3
    g = mse(net, x, y)[1].flat()
    D = central_differences(net, x, y)
    assert np.linalg.norm(g - D) <= REL_TOL * np.linalg.norm(g)


@pytest.mark.parametrize("name", ACTIVATIONS)
def test_preactivation_gradients_of_one_sample_are_the_bias_gradients(name):
    """For one sample dL/dz_i = dL/db_i (z_i = W_i a + b_i), checked by central differences."""
    rng = np.random.default_rng(3)
    net = small_net(name, rng)
    x, y = np.array([0.37]), np.array([0.8])
    grads = mse(net, x, y)[1]
    for layer, b in enumerate(net.biases):
        fd = []
        for j in range(b.size):
            keep = b[j]
            b[j] = keep + H
            up = mse(net, x, y)[0]
            b[j] = keep - H
            down = mse(net, x, y)[0]
            b[j] = keep
            fd.append((up - down) / (2 * H))
        dz = grads.pre[layer][0]
        assert np.linalg.norm(dz - fd) <= REL_TOL * max(np.linalg.norm(dz), 1e-12)


def test_derivative_bounds_on_a_dense_grid():
    z = np.linspace(-30, 30, 600_001)  # step 1e-4, with z = 0 on the grid
    s, t, r = derivative("sigmoid")(z), derivative("tanh")(z), derivative("relu")(z)
    assert s.max() <= 0.25 and s[z == 0][0] == 0.25  # sigmoid' = s(1 - s) <= 1/4, equal at 0
    assert t.max() == 1.0 and np.all(t[z != 0] < 1.0)  # tanh' = 1 - tanh^2: 1 only at 0
    assert np.all(r[z > 0] == 1.0) and np.all(r[z <= 0] == 0.0)  # the gate: open -> exactly 1
    assert np.all(s > 0) and np.all(t >= 0)


def test_one_layer_of_sigmoid_shrinks_the_gradient_by_its_bound():
    """||dL/dz_i|| <= 1/4 ||W_{i+1}||_2 ||dL/dz_{i+1}||: the factor each layer multiplies in."""
    net = random_net("sigmoid", 6, 16, np.random.default_rng(5))
    pre = mse(net, inputs(), target(inputs()))[1].pre
    for i in range(net.depth):
        bound = 0.25 * np.linalg.norm(net.weights[i + 1], 2) * np.linalg.norm(pre[i + 1])
        assert np.linalg.norm(pre[i]) <= bound * (1 + 1e-12)


def test_sigmoid_vanishes_at_depth_20():
    g = layer_gradient_norms("sigmoid", depth=20, width=32, draws=5, seed=0)
    assert g.mean[0] * 1000 <= g.mean[-1]


def test_relu_with_he_init_keeps_the_gradient_at_depth_20():
    g = layer_gradient_norms("relu", depth=20, width=32, draws=5, seed=0)
    assert g.init == "He"
    assert 0.1 <= g.ratio <= 10


def test_layer_norms_are_the_mean_and_std_of_the_draws():
    g = layer_gradient_norms("tanh", depth=4, width=8, draws=3, seed=11)
    rng = np.random.default_rng(11)  # the same draws, recomputed by hand
    rows, slopes = [], []
    for _ in range(3):
        net = random_net("tanh", 4, 8, rng)
        pre = mse(net, inputs(), target(inputs()))[1].pre
        rows.append([np.sqrt(np.sum(p * p)) for p in pre[:-1]])
        zs = net.trace(inputs()).pre[:-1]
        slopes.append([np.mean(1 / np.cosh(z) ** 2) for z in zs])  # tanh' = sech^2
    np.testing.assert_allclose(g.norms, rows, rtol=1e-12)
    np.testing.assert_allclose(g.mean, np.mean(rows, axis=0), rtol=1e-12)
    np.testing.assert_allclose(g.std, np.std(rows, axis=0), rtol=1e-12, atol=1e-300)
    np.testing.assert_allclose(g.slope, np.mean(slopes, axis=0), rtol=1e-12)


def test_mean_slopes_within_the_derivatives_bounds():
    for name, top in (("sigmoid", 0.25), ("tanh", 1.0), ("relu", 1.0)):
        g = layer_gradient_norms(name, depth=6, width=16, draws=2, seed=1)
        assert np.all(g.slope > 0) and np.all(g.slope <= top)


def test_init_spreads():
    assert INIT == {"relu": "He", "sigmoid": "Xavier", "tanh": "Xavier"}
    assert init_std("relu", 32, 16) == pytest.approx(0.25)  # sqrt(2 / 32)
    assert init_std("tanh", 30, 70) == pytest.approx(np.sqrt(0.02))  # sqrt(2 / 100)
    w = random_net("relu", 2, 400, np.random.default_rng(0)).weights[1]  # 160000 draws
    assert np.std(w) == pytest.approx(np.sqrt(2 / 400), rel=0.01)  # sd of sd: 0.18 %


def test_training_records_the_loss_and_is_reproducible():
    a = train_deep("relu", depth=3, width=8, steps=50, seed=2, every=10)
    b = train_deep("relu", depth=3, width=8, steps=50, seed=2, every=10)
    assert list(a.steps) == [0, 10, 20, 30, 40, 50]
    np.testing.assert_array_equal(a.loss, b.loss)
    start = random_net("relu", 3, 8, np.random.default_rng(2))
    assert a.loss[0] == pytest.approx(mse(start, inputs(), target(inputs()))[0], rel=1e-12)
    assert a.final_loss == pytest.approx(mse(a.net, inputs(), target(inputs()))[0], rel=1e-12)
    assert a.final_loss < a.loss[0]


def test_every_activation_starts_from_the_same_normals():
    nets = {n: random_net(n, 3, 8, np.random.default_rng(4)) for n in ACTIVATIONS}
    for n in ("sigmoid", "tanh"):
        for w_relu, w, n_in, n_out in zip(
            nets["relu"].weights, nets[n].weights, [1, 8, 8, 8], [8, 8, 8, 1], strict=True
        ):
            ratio = init_std(n, n_in, n_out) / init_std("relu", n_in, n_out)
            np.testing.assert_allclose(w, w_relu * ratio, rtol=1e-12)
