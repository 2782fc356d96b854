"""A tiny trained 2-D classifier, for the scene that reads ReLU gates as if-statements.

A 2 -> hidden -> 1 ReLU net is trained by full-batch Adam on binary cross-entropy with
logits; the gradients come from the core's one backward pass (:mod:`.backprop`, checked
against finite differences in the tests), so every number the scene shows comes from here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .backprop import Gradients, backprop, packed
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


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of labels ``y`` under ``sigmoid(logits)``: the mean of
    ``softplus(s) - y s``, written so that exp never overflows."""
    s = logits
    return float(np.mean(np.maximum(s, 0.0) + np.log1p(np.exp(-np.abs(s))) - y * s))


def loss_and_grads(net: ReluNet, X: np.ndarray, y: np.ndarray) -> tuple[float, Gradients]:
    """Mean binary cross-entropy of the net's logits and its gradient for every parameter:
    ``dL/ds = (sigmoid(s) - y) / n``, then the core's backward pass."""
    forward = net.trace(X)
    s = forward.output[:, 0]
    return cross_entropy(s, y), backprop(net, forward, (sigmoid(s) - y) / len(y))


def predict(net: ReluNet, X: np.ndarray) -> np.ndarray:
    """Probability of class 1 for each point."""
    return sigmoid(net(X))


def _train_once(
    X: np.ndarray, y: np.ndarray, hidden: int, seed: int, steps: int, lr: float
) -> tuple[ReluNet, np.ndarray]:
    rng = np.random.default_rng(seed)
    init = ReluNet.one_hidden(
        rng.normal(size=(hidden, 2)),  # He initialisation for 2 inputs
        rng.normal(size=hidden) * 0.1,
        rng.normal(size=(1, hidden)) * np.sqrt(1.0 / hidden),
        np.zeros(1),
    )
    # The net's arrays are views into one flat vector: Adam then updates a single array
    # per step, which halves the training time of such a small net.
    theta, net = packed(init)
    opt = Adam([theta], lr=lr)
    history = np.empty(steps + 1)
    for t in range(steps):
        history[t], grads = loss_and_grads(net, X, y)
        opt.step([grads.flat()])
    history[steps] = cross_entropy(net(X), y)
    return net.copy(), history


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
        net, history = _train_once(X, y, hidden, seed * 1000 + attempt, steps, lr)
        acc = float(np.mean((net(X) > 0) == (y > 0.5)))
        if best is None or acc > best.accuracy:
            best = TrainedClassifier(net, acc, history, task, attempt + 1)
        if acc >= TARGET_ACCURACY:
            break
    assert best is not None
    return TrainedClassifier(best.net, best.accuracy, best.loss_history, task, attempt + 1)
