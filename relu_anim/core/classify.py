"""A tiny trained 2-D classifier, for the scene that reads ReLU gates as if-statements.

A 2 -> hidden -> 1 ReLU net is trained by full-batch Adam on binary cross-entropy with
logits; the gradients are written out by hand (and checked against finite differences in
the tests), so every number the scene shows comes from this file.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .network import ReluNet
from .optim import Adam

TASKS = ("xor", "ring")
SPAN = 1.5  # data live in [-SPAN, SPAN]^2
RING_RADIUS = 0.9
MARGIN = 0.08  # no points this close to the true boundary, so the classes read apart
TARGET_ACCURACY = 0.97
RESTARTS = 4  # deterministic re-initialisations tried before giving up on the target


@dataclass(frozen=True)
class TrainedClassifier:
    """The trained net and how it got there; ``attempts`` counts initialisations tried."""

    net: ReluNet
    accuracy: float
    loss_history: np.ndarray
    task: str
    attempts: int = 1


def dataset(task: str, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """``n`` seeded points in the square with labels 0/1: xor (same-sign quadrants are 1) or
    ring (inside radius 0.9 is 1). Points within a small margin of the boundary are redrawn."""
    if task not in TASKS:
        raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")
    if n < 1:
        raise ValueError("need at least one point")
    rng = np.random.default_rng(seed)
    kept: list[np.ndarray] = []
    total = 0
    while total < n:
        X = rng.uniform(-SPAN, SPAN, size=(2 * n, 2))
        if task == "xor":
            ok = np.min(np.abs(X), axis=1) >= MARGIN
        else:
            ok = np.abs(np.linalg.norm(X, axis=1) - RING_RADIUS) >= MARGIN
        kept.append(X[ok])
        total += int(ok.sum())
    X = np.concatenate(kept)[:n]
    if task == "xor":
        y = (X[:, 0] * X[:, 1] > 0).astype(float)
    else:
        y = (np.linalg.norm(X, axis=1) < RING_RADIUS).astype(float)
    return X, y


def _sigmoid(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def loss_and_grads(
    params: list[np.ndarray], X: np.ndarray, y: np.ndarray
) -> tuple[float, list[np.ndarray]]:
    """Mean binary cross-entropy of the logits and its gradient for ``[W1, b1, W2, b2]``."""
    W1, b1, W2, b2 = params
    z1 = X @ W1.T + b1
    h = np.maximum(z1, 0.0)
    s = h @ W2[0] + b2[0]  # logits (n,)
    e = np.exp(-np.abs(s))
    # softplus(s) - y s, written so exp never overflows
    loss = float(np.mean(np.maximum(s, 0.0) + np.log1p(e) - y * s))
    sig = np.where(s >= 0, 1.0, e) / (1.0 + e)
    ds = (sig - y) / len(y)
    dz1 = np.outer(ds, W2[0]) * (z1 > 0)
    return loss, [dz1.T @ X, dz1.sum(axis=0), (ds @ h)[None, :], np.array([ds.sum()])]


def predict(net: ReluNet, X: np.ndarray) -> np.ndarray:
    """Probability of class 1 for each point."""
    return _sigmoid(net(X))


def _train_once(
    X: np.ndarray, y: np.ndarray, hidden: int, seed: int, steps: int, lr: float
) -> tuple[list[np.ndarray], np.ndarray]:
    rng = np.random.default_rng(seed)
    shapes = [(hidden, 2), (hidden,), (1, hidden), (1,)]
    sizes = [int(np.prod(sh)) for sh in shapes]
    # One flat vector with the four parameters as views into it: Adam then updates a single
    # array per step, which halves the training time of such a small net.
    theta = np.concatenate(
        [
            rng.normal(size=2 * hidden),  # He initialisation for 2 inputs
            rng.normal(size=hidden) * 0.1,
            rng.normal(size=hidden) * np.sqrt(1.0 / hidden),
            np.zeros(1),
        ]
    )
    params = [
        v.reshape(sh) for v, sh in zip(np.split(theta, np.cumsum(sizes)[:-1]), shapes, strict=True)
    ]
    opt = Adam([theta], lr=lr)
    history = np.empty(steps + 1)
    for t in range(steps):
        history[t], grads = loss_and_grads(params, X, y)
        opt.step([np.concatenate([g.ravel() for g in grads])])
    history[steps] = loss_and_grads(params, X, y)[0]
    return [p.copy() for p in params], history


def train_classifier(
    task: str = "xor",
    hidden: int = 4,
    seed: int = 0,
    steps: int = 3000,
    lr: float = 0.03,
    n: int = 200,
) -> TrainedClassifier:
    """Train on ``dataset(task, n, seed)``. If an initialisation ends below 97 % accuracy (a
    dead unit, a bad basin) up to RESTARTS more deterministic ones are tried and the most
    accurate kept; ``attempts`` says how many were used."""
    if hidden < 1 or steps < 1:
        raise ValueError("need hidden >= 1 and steps >= 1")
    X, y = dataset(task, n, seed)
    best: TrainedClassifier | None = None
    for attempt in range(1 + RESTARTS):
        params, history = _train_once(X, y, hidden, seed * 1000 + attempt, steps, lr)
        net = ReluNet.one_hidden(*params)
        acc = float(np.mean((net(X) > 0) == (y > 0.5)))
        if best is None or acc > best.accuracy:
            best = TrainedClassifier(net, acc, history, task, attempt + 1)
        if acc >= TARGET_ACCURACY:
            break
    assert best is not None
    return TrainedClassifier(best.net, best.accuracy, best.loss_history, task, attempt + 1)
