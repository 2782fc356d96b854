"""The tiny classifier: hand-written gradients are right, and training really learns."""

from __future__ import annotations

import numpy as np
import pytest

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


def reference_loss(params, X, y):
    """BCE straight from the definition, via the ReluNet forward pass."""
    net = ReluNet.one_hidden(*params)
    p = 1 / (1 + np.exp(-net(X)))
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))


def test_gradients_match_central_differences():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(7, 2))
    y = (rng.random(7) < 0.5).astype(float)
    params = [
        rng.normal(size=(3, 2)),
        rng.normal(size=3),
        rng.normal(size=(1, 3)),
        rng.normal(size=1),
    ]
    loss, grads = loss_and_grads(params, X, y)
    assert loss == pytest.approx(reference_loss(params, X, y), rel=1e-12)
    z1 = X @ params[0].T + params[1]
    assert np.min(np.abs(z1)) > 1e-3  # away from kinks, so the loss is smooth here
    h = 1e-6
    for p, g in zip(params, grads, strict=True):
        assert g.shape == p.shape
        for idx in np.ndindex(p.shape):
            old = p[idx]
            p[idx] = old + h
            up = reference_loss(params, X, y)
            p[idx] = old - h
            down = reference_loss(params, X, y)
            p[idx] = old
            assert g[idx] == pytest.approx((up - down) / (2 * h), abs=1e-8)


def test_unknown_task():
    with pytest.raises(ValueError):
        dataset("spiral", 10, 0)
