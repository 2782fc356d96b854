"""The tiny classifier: its gradients are right, and training really learns."""

from __future__ import annotations

import numpy as np
import pytest
from numerics import central_difference, parameters, perturbed, same_gates

from relu_anim.core.activations import sigmoid
from relu_anim.core.classify import dataset, loss_and_grads, predict, train_classifier
from relu_anim.core.network import ReluNet


@pytest.fixture(scope="module")
def xor():
    return train_classifier("xor", hidden=4, seed=0)


def test_xor_is_learned(xor):
    assert xor.accuracy >= 0.97
    X, y = dataset("xor", 200, 0)
    assert np.mean((predict(xor.net, X) > 0.5) == (y == 1)) == pytest.approx(xor.accuracy)
    assert xor.net.hidden_sizes == (4,) and xor.net.input_dim == 2


def test_loss_goes_down(xor):
    h = xor.loss_history
    assert np.all(np.isfinite(h))
    assert h[-1] < h[0] / 3


def test_training_is_deterministic(xor):
    again = train_classifier("xor", hidden=4, seed=0)
    for a, b in zip(xor.net.weights, again.net.weights, strict=True):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(xor.loss_history, again.loss_history)


@pytest.mark.parametrize("task", ["xor", "ring"])
def test_dataset_labels_follow_the_rule(task):
    X, y = dataset(task, 300, 4)
    assert X.shape == (300, 2) and y.shape == (300,)
    assert np.all(np.abs(X) <= 1.5)
    truth = X[:, 0] * X[:, 1] > 0 if task == "xor" else np.hypot(X[:, 0], X[:, 1]) < 0.9
    np.testing.assert_array_equal(y, truth.astype(float))
    assert 0.2 < y.mean() < 0.8


def reference_loss(net, X, y):
    """BCE straight from the definition, via the ReluNet forward pass."""
    p = 1 / (1 + np.exp(-net(X)))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def test_gradients_match_central_differences():
    """The classifier's loss and gradients (its dL/ds, then the core's backward pass)
    against central differences of the cross-entropy computed from its definition.

    Tolerance: along one parameter t the logits are affine (no gate moves: checked), so
    L(t) = mean(softplus(s_k + a_k t) - y_k (s_k + a_k t)), and the truncation error of the
    central difference is h^2/6 |L'''| <= h^2/6 * max|softplus'''| * mean|a|^3, where
    |softplus'''| = |p (1-p) (1-2p)| <= 1/(6 sqrt 3) < 0.0963 (p the sigmoid). Rounding:
    the reference loss is a few operations per point on values below 10 here (asserted),
    each within 4 ulps, so one evaluation is off by at most ~ 30 u * 10 < 2e-14
    (u = 2^-53), and the difference by 2e-14 / h. h = 1e-4 makes the two about equal
    (~ 2e-10); the assertion allows twice their sum.
    """
    rng = np.random.default_rng(1)
    X = rng.normal(size=(7, 2))
    y = (rng.random(7) < 0.5).astype(float)
    net = ReluNet.one_hidden(
        rng.normal(size=(3, 2)), rng.normal(size=3), rng.normal(size=(1, 3)), rng.normal(size=1)
    )
    loss, grads = loss_and_grads(net, X, y)
    assert loss == pytest.approx(reference_loss(net, X, y), rel=1e-12)
    assert np.all(np.abs(net(X)) < 10)  # the magnitude the rounding bound assumes
    h = 1e-4
    for which, layer, idx in parameters(net):
        assert same_gates(net, X, which, layer, idx, h)  # the loss is smooth on the stencil
        t = float((net.weights if which == "W" else net.biases)[layer][idx])
        s_up = perturbed(net, which, layer, idx, t + h)(X)
        s_down = perturbed(net, which, layer, idx, t - h)(X)
        slope = (s_up - s_down) / (2 * h)  # a_k = ds_k/dt, exact up to rounding (affine)
        truncation = h**2 / 6 * 0.0963 * np.mean(np.abs(slope) ** 3)
        rounding = 2e-14 / h
        D, *_ = central_difference(lambda n: reference_loss(n, X, y), net, which, layer, idx, h)
        g = (grads.weights if which == "W" else grads.biases)[layer][idx]
        assert abs(g - D) <= 2 * (truncation + rounding), (which, layer, idx)


def test_predict_is_the_sigmoid_of_the_logits(xor):
    X, _ = dataset("xor", 50, 3)
    np.testing.assert_array_equal(predict(xor.net, X), sigmoid(xor.net(X)))


def test_unknown_task():
    with pytest.raises(ValueError):
        dataset("spiral", 10, 0)
