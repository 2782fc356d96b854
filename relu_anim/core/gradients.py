"""Why depth needs ReLU: the gradient that reaches each layer, for sigmoid, tanh and ReLU.

A deep net ``z_i = a_{i-1} W_i^T + b_i``, ``a_i = f(z_i)`` for the hidden layers and
``y = z_L`` (rows are samples), trained on a mean squared error. Backpropagation gives

    dL/dz_i = (dL/dz_{i+1} W_{i+1}) * f'(z_i)

so the gradient reaching layer 1 carries one factor ``f'(z_i)`` per layer above it (and one
weight matrix). ``sigmoid'`` never exceeds 1/4 and ``tanh'`` is 1 only at 0, so with the
customary Glorot (Xavier) initialisation, which keeps ``W`` from growing or shrinking a
vector on average, the factors multiply to a gradient that vanishes geometrically with depth.
``relu'`` is exactly 1 wherever the gate is open; with He initialisation (variance 2/fan-in,
which makes up for the half of the gates that are closed) the gradient's norm holds.

:mod:`.backprop` runs the backward pass of a :class:`~.network.ReluNet` (ReLU only, and
others rely on it unchanged); :func:`backward` here is the same chain rule for any of the
three activations, returning the same :class:`~.backprop.Gradients` record.

- :func:`layer_gradient_norms`: the norm of ``dL/dz_i`` for every hidden layer, the mean and
  standard deviation over seeded random draws of the initial weights (``relu-anim gradients``).
- :func:`train_deep`: the same deep net trained on one 1-D target with full-batch Adam
  (:class:`~.optim.Adam`), the loss recorded at snapshots, for each activation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import relu, relu_grad, sigmoid
from .backprop import Gradients, backprop, packed
from .network import ReluNet, Trace
from .optim import Adam

ACTIVATIONS = ("relu", "sigmoid", "tanh")
INIT = {"relu": "He", "sigmoid": "Xavier", "tanh": "Xavier"}  # each one's customary init
DOMAIN = (-1.0, 1.0)  # the 1-D input of every net here
SAMPLES = 64  # inputs: a uniform grid on DOMAIN


def target(x: np.ndarray) -> np.ndarray:
    """The 1-D target every net is measured and trained on: a wave with two bumps."""
    return np.sin(np.pi * x) + 0.5 * np.cos(3 * np.pi * x)


TARGET_TEXT = "sin(πx) + 0.5 cos(3πx)"


def _sigmoid_grad(z: np.ndarray) -> np.ndarray:
    s = sigmoid(z)
    return s * (1.0 - s)


def _tanh_grad(z: np.ndarray) -> np.ndarray:
    return 1.0 - np.tanh(z) ** 2


_FUNCTIONS: dict[str, tuple[Callable, Callable]] = {
    "relu": (relu, relu_grad),
    "sigmoid": (sigmoid, _sigmoid_grad),
    "tanh": (np.tanh, _tanh_grad),
}


def _check(name: str) -> str:
    if name not in _FUNCTIONS:
        raise ValueError(f"unknown activation {name!r}; choose one of: {', '.join(ACTIVATIONS)}")
    return name


def activation(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """The activation ``f`` called ``name`` (relu, sigmoid or tanh)."""
    return _FUNCTIONS[_check(name)][0]


def derivative(name: str) -> Callable[[np.ndarray], np.ndarray]:
    """``f'``: ``s (1 - s)`` for sigmoid, ``1 - tanh^2`` for tanh, the 0/1 gate for ReLU
    (closed at the kink, as in :func:`.activations.relu_grad`)."""
    return _FUNCTIONS[_check(name)][1]


@dataclass(frozen=True)
class DeepNet:
    """A fully connected net with one activation on every hidden layer, none on the output.

    ``weights[i]`` has shape (out, in), ``biases[i]`` shape (out,), as in ``ReluNet``.
    """

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]
    activation: str

    @property
    def depth(self) -> int:
        """The number of hidden layers."""
        return len(self.weights) - 1

    def trace(self, x) -> Trace:
        """The forward pass, keeping every pre-activation (for :func:`backward`)."""
        f = activation(self.activation)
        a = np.asarray(x, dtype=float)
        a = a.reshape(-1, 1) if a.ndim == 1 else a
        inputs, pre, post = a, [], []
        for i, (W, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ W.T + b
            pre.append(z)
            if i < self.depth:
                a = f(z)
                post.append(a)
        return Trace(inputs, tuple(pre), tuple(post))

    def __call__(self, x) -> np.ndarray:
        """The outputs for 1-D inputs ``x`` (n,) as (n,)."""
        return self.trace(x).output[:, 0]


def init_std(name: str, fan_in: int, fan_out: int) -> float:
    """The customary initial weight spread: He ``sqrt(2 / fan_in)`` for ReLU, Glorot
    (Xavier, normal) ``sqrt(2 / (fan_in + fan_out))`` for sigmoid and tanh."""
    if INIT[_check(name)] == "He":
        return float(np.sqrt(2.0 / fan_in))
    return float(np.sqrt(2.0 / (fan_in + fan_out)))


def random_net(name: str, depth: int, width: int, rng: np.random.Generator) -> DeepNet:
    """A 1 -> width x depth -> 1 net with normal weights at ``init_std`` and zero biases."""
    if depth < 1 or width < 1:
        raise ValueError("a deep net needs depth >= 1 and width >= 1")
    sizes = [1, *([width] * depth), 1]
    weights = tuple(
        rng.normal(0.0, init_std(name, n_in, n_out), size=(n_out, n_in))
        for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True)
    )
    biases = tuple(np.zeros(n) for n in sizes[1:])
    return DeepNet(weights, biases, name)


def backward(net: DeepNet, x, dL_dy) -> Gradients:
    """Gradients of a loss with respect to every weight, bias and pre-activation of ``net``.

    ``x`` is the batch or ``net.trace(batch)``; ``dL_dy`` the loss's gradient with respect to
    the outputs, (n, 1) or (n,). The core's one backward pass (:func:`.backprop.backprop`)
    with this net's ``f'`` in place of the ReLU gate; ``Gradients.pre[i]`` is ``dL/dz_{i+1}``.
    """
    fprime = _FUNCTIONS[_check(net.activation)][1]
    return backprop(net, x, dL_dy, activation_grad=fprime)


def mse(net: DeepNet, x: np.ndarray, y: np.ndarray) -> tuple[float, Gradients]:
    """``L = mean((net(x) - y)^2) / 2`` and its gradients (one forward, one backward pass)."""
    t = net.trace(x)
    r = t.output[:, 0] - y
    return float(np.mean(r * r) / 2), backward(net, t, r / len(y))


def inputs(samples: int = SAMPLES) -> np.ndarray:
    """The training and measuring inputs: a uniform grid on DOMAIN."""
    return np.linspace(*DOMAIN, samples)


@dataclass(frozen=True)
class LayerGradients:
    """``||dL/dz_i||`` for hidden layers i = 1 (nearest the input) .. depth, over draws."""

    activation: str
    depth: int
    width: int
    draws: int
    seed: int
    init: str
    norms: np.ndarray  # (draws, depth): one row per random net
    mean: np.ndarray  # (depth,)
    std: np.ndarray  # (depth,)
    slope: np.ndarray  # (depth,): f'(z_i) averaged over samples, units and draws

    @property
    def ratio(self) -> float:
        """Mean gradient norm at the first hidden layer over that at the last."""
        return float(self.mean[0] / self.mean[-1])


def layer_gradient_norms(
    name: str, depth: int, width: int, draws: int, seed: int
) -> LayerGradients:
    """The Frobenius norm of ``dL/dz_i`` (all samples) for every hidden layer of ``draws``
    random nets (``random_net``, one Generator seeded with ``seed``), on the MSE to
    :func:`target` at :func:`inputs`; their mean and standard deviation (ddof 0), and the
    mean slope ``f'(z_i)`` each layer multiplies in."""
    if draws < 1:
        raise ValueError("draws must be >= 1")
    rng = np.random.default_rng(seed)
    x = inputs()
    y = target(x)
    norms, slopes = np.empty((draws, depth)), np.empty((draws, depth))
    fprime = derivative(name)
    for k in range(draws):
        net = random_net(name, depth, width, rng)
        t = net.trace(x)
        grads = backward(net, t, (t.output[:, 0] - y) / len(y))
        norms[k] = [np.linalg.norm(g) for g in grads.pre[:-1]]
        slopes[k] = [fprime(z).mean() for z in t.pre[:-1]]
    mean, std = norms.mean(axis=0), norms.std(axis=0)
    return LayerGradients(
        name, depth, width, draws, seed, INIT[name], norms, mean, std, slopes.mean(axis=0)
    )


def _packed(net: DeepNet) -> tuple[np.ndarray, DeepNet]:
    """A flat parameter vector and a net whose arrays are views into it
    (:func:`.backprop.packed`; the ReluNet there only carries the arrays): one Adam array."""
    theta, views = packed(ReluNet(net.weights, net.biases))
    return theta, DeepNet(views.weights, views.biases, net.activation)


@dataclass(frozen=True)
class Training:
    """One activation's net trained by full-batch Adam: the loss at every recorded step."""

    activation: str
    init: str
    steps: np.ndarray  # the recorded steps (0 = before training)
    loss: np.ndarray  # L at those steps
    net: DeepNet  # the trained net

    @property
    def final_loss(self) -> float:
        return float(self.loss[-1])


def train_deep(
    name: str,
    depth: int,
    width: int,
    steps: int,
    seed: int,
    lr: float = 3e-3,
    every: int = 10,
) -> Training:
    """Train a ``random_net(name, depth, width)`` (Generator seeded with ``seed``: every
    activation starts from the same draw of standard normals, scaled by its own init) on
    :func:`target` with full-batch Adam; record the loss before step 0 and every ``every``
    steps, and after the last."""
    x = inputs()
    y = target(x)
    theta, net = _packed(random_net(name, depth, width, np.random.default_rng(seed)))
    opt = Adam([theta], lr=lr)
    recorded, losses = [], []
    for step in range(steps + 1):
        loss, grads = mse(net, x, y)
        if step % every == 0 or step == steps:
            recorded.append(step)
            losses.append(loss)
        if step < steps:
            opt.step([grads.flat()])
    return Training(name, INIT[name], np.array(recorded), np.array(losses), net)


def gradients_report(activation: str, depth: int, width: int, draws: int, seed: int) -> dict:
    """The ``relu-anim gradients --json`` record of :func:`layer_gradient_norms`."""
    g = layer_gradient_norms(_check(activation), depth, width, draws, seed)
    return {
        "activation": g.activation,
        "depth": g.depth,
        "width": g.width,
        "draws": g.draws,
        "seed": g.seed,
        "init": g.init,
        "target": TARGET_TEXT,
        "samples": SAMPLES,
        "layer_grad_norm": g.mean.tolist(),
        "layer_grad_norm_std": g.std.tolist(),
    }
