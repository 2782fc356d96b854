"""ReluNet: a plain fully connected ReLU network, the one object every scene draws from.

``y(x) = W_L @ relu(... relu(W_1 @ x + b_1) ...) + b_L``: ReLU after every layer but the
last. One hidden layer is the contract of ``relu-anim fit`` (``W1, b1, W2, b2``); deeper
nets are used by the regions and gates scenes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import relu

__all__ = ["ReluNet", "Trace", "relu"]


@dataclass(frozen=True)
class Trace:
    """A forward pass that keeps what a backward pass needs (see :mod:`.backprop`).

    ``inputs`` is ``a_0 = x`` (n, in); ``pre`` holds the pre-activations ``z_1 .. z_L``
    of every layer, the last being the output ``y`` (n, out); ``post`` holds the hidden
    activations ``a_i = relu(z_i)``, ``i < L``.
    """

    inputs: np.ndarray
    pre: tuple[np.ndarray, ...]
    post: tuple[np.ndarray, ...]

    @property
    def output(self) -> np.ndarray:
        """The net's outputs ``y`` (n, out)."""
        return self.pre[-1]


@dataclass(frozen=True)
class ReluNet:
    """Weights ``W_i`` have shape (out, in); biases ``b_i`` shape (out,)."""

    weights: tuple[np.ndarray, ...]
    biases: tuple[np.ndarray, ...]

    def __post_init__(self) -> None:
        ws = tuple(np.atleast_2d(np.asarray(w, dtype=float)) for w in self.weights)
        bs = tuple(np.atleast_1d(np.asarray(b, dtype=float)) for b in self.biases)
        if len(ws) < 2 or len(ws) != len(bs):
            raise ValueError("a ReluNet needs at least two layers and one bias per layer")
        for i, (w, b) in enumerate(zip(ws, bs, strict=True)):
            if b.shape != (w.shape[0],):
                raise ValueError(f"layer {i + 1}: bias shape {b.shape} != ({w.shape[0]},)")
            if i and w.shape[1] != ws[i - 1].shape[0]:
                raise ValueError(
                    f"layer {i + 1}: expects {w.shape[1]} inputs, gets {ws[i - 1].shape[0]}"
                )
        object.__setattr__(self, "weights", ws)
        object.__setattr__(self, "biases", bs)

    @classmethod
    def one_hidden(cls, W1, b1, W2, b2) -> ReluNet:
        return cls((W1, W2), (b1, b2))

    def copy(self) -> ReluNet:
        """A net with its own copies of the arrays (e.g. a snapshot of one being trained)."""
        return ReluNet(tuple(w.copy() for w in self.weights), tuple(b.copy() for b in self.biases))

    # -- shape --------------------------------------------------------------------------
    @property
    def input_dim(self) -> int:
        return self.weights[0].shape[1]

    @property
    def hidden_sizes(self) -> tuple[int, ...]:
        return tuple(w.shape[0] for w in self.weights[:-1])

    @property
    def units(self) -> int:
        """Total number of hidden (gated) units."""
        return sum(self.hidden_sizes)

    @property
    def W1(self) -> np.ndarray:
        return self.weights[0]

    @property
    def b1(self) -> np.ndarray:
        return self.biases[0]

    @property
    def W2(self) -> np.ndarray:
        return self.weights[-1] if len(self.weights) == 2 else self.weights[1]

    @property
    def b2(self) -> np.ndarray:
        return self.biases[-1] if len(self.biases) == 2 else self.biases[1]

    # -- evaluation ---------------------------------------------------------------------
    def as_batch(self, x) -> np.ndarray:
        """Inputs as rows (n, in); a 1-input net also takes a flat array or a scalar."""
        x = np.asarray(x, dtype=float)
        if self.input_dim == 1 and x.ndim <= 1:
            return x.reshape(-1, 1)
        x = np.atleast_2d(x)
        if x.shape[1] != self.input_dim:
            raise ValueError(
                f"inputs have {x.shape[1]} coordinates, the net takes {self.input_dim}"
            )
        return x

    def trace(self, x) -> Trace:
        """The forward pass on a batch, keeping every pre-activation and activation."""
        a = inputs = self.as_batch(x)
        pre, post = [], []
        last = len(self.weights) - 1
        for i, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            z = a @ w.T + b
            pre.append(z)
            if i < last:
                a = relu(z)
                post.append(a)
        return Trace(inputs, tuple(pre), tuple(post))

    def preactivations(self, x) -> list[np.ndarray]:
        """Pre-activations ``z`` of every hidden layer, each shaped (n, width)."""
        return list(self.trace(x).pre[:-1])

    def gates(self, x) -> np.ndarray:
        """Which hidden units are open (z > 0), all layers side by side: bool (n, units)."""
        return np.concatenate([z > 0 for z in self.preactivations(x)], axis=1)

    def hidden(self, x) -> np.ndarray:
        """Post-activations of the last hidden layer, (n, width)."""
        return self.trace(x).post[-1]

    def forward(self, x) -> np.ndarray:
        """Outputs (n, out); for a scalar-output 1-D net, also see :meth:`__call__`."""
        return self.trace(x).output

    def __call__(self, x) -> np.ndarray:
        """Outputs with a single output column squeezed: y(x) as an (n,) array."""
        y = self.forward(x)
        return y[:, 0] if y.shape[1] == 1 else y

    def unit_terms(self, x) -> np.ndarray:
        """Each hidden unit's contribution ``v_j * relu(z_j)`` to a 1-output, 1-hidden net: (n, H)."""
        if len(self.weights) != 2 or self.weights[-1].shape[0] != 1:
            raise ValueError("unit_terms is defined for one hidden layer and one output")
        return self.hidden(x) * self.weights[-1][0]

    def kinks(self) -> np.ndarray:
        """Sorted x positions where a unit of a 1-D, 1-hidden net switches (w x + b = 0, w != 0)."""
        if self.input_dim != 1 or len(self.weights) != 2:
            raise ValueError("kinks are defined for 1-D inputs and one hidden layer")
        w, b = self.W1[:, 0], self.b1
        live = w != 0
        return np.sort(-b[live] / w[live])

    # -- (de)serialisation, as in the fit contract --------------------------------------
    def to_dict(self) -> dict:
        if len(self.weights) == 2:
            return {
                "W1": self.W1.tolist(),
                "b1": self.b1.tolist(),
                "W2": self.W2.tolist(),
                "b2": self.b2.tolist(),
            }
        return {
            "layers": [
                {"W": w.tolist(), "b": b.tolist()}
                for w, b in zip(self.weights, self.biases, strict=True)
            ]
        }

    @classmethod
    def from_dict(cls, d: dict) -> ReluNet:
        if "layers" in d:
            return cls(
                tuple(layer["W"] for layer in d["layers"]),
                tuple(layer["b"] for layer in d["layers"]),
            )
        return cls.one_hidden(d["W1"], d["b1"], d["W2"], d["b2"])
