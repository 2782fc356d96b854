"""What depth adds: a tent map folded k times, its linear pieces counted exactly, and one layer.

The tent map ``T(x) = 2 relu(x) - 4 relu(x - 1/2)`` takes [0, 1] onto itself, up to 1 at
x = 1/2 and back down: it folds the interval in two. Made of 2 ReLU units, composed k times
(:func:`sawtooth_net`, 2k units in k hidden layers) it is a sawtooth with 2^k linear pieces.

:func:`breakpoints` finds the kinks of any 1-input, 1-output ReLU net exactly: it follows
them through the layers. Between two known points every pre-activation of the next layer is
affine in x, so its zero (if it changes sign there) is found by linear interpolation of its
two end values; after the last hidden layer the output is affine between consecutive
points. A candidate is a kink when the slopes on its two sides differ; slopes come from the
gate pattern at each interval's midpoint (the product of the open part of every layer), not
from differences of values. Nothing is sampled.

A net with one hidden layer of n units has at most n + 1 pieces on an interval (each unit
bends its output at one point), so with the same 2k units it cannot follow 2^k pieces:
:func:`shallow_fit` fits it (greedy hinges, the ``fit`` contract) and it misses.
:func:`one_layer_exact` writes the deep function as one hidden layer, one hinge at every
breakpoint with the slope change there as its weight, and one unit ``relu(x - a)`` at the
domain's left end for the first piece's slope (a one-layer net has no linear term).

How many units one layer needs for the sawtooth: at least 2^k - 1, one kink per breakpoint.
It needs 2^k: with exactly one unit at each breakpoint p_j and none elsewhere, a unit
``v relu(w x + b)`` adds ``v |w|`` to the slope change at its kink and ``v w`` to the
slope left of everything when w < 0; so the first slope is minus a sum of slope changes.
The sawtooth's slope changes are all +-2^(k+1) and its first slope is 2^k, which is no such
sum. :func:`one_layer_exact` builds the 2^k.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .hinges import HingeFit, fit_errors, fit_greedy, hinge_net
from .network import ReluNet

DOMAIN = (0.0, 1.0)
MAX_K = 12  # 4096 pieces: breakpoints are still exact and fast
SLOPE_RTOL = 1e-9  # slopes are products of weights; equal slopes agree to a few ulps of them


def tent_layer() -> tuple[np.ndarray, np.ndarray]:
    """(W, b) of the tent's hidden layer on an input x: units relu(x) and relu(x - 1/2)."""
    return np.array([[1.0], [1.0]]), np.array([0.0, -0.5])


TENT_OUT = np.array([[2.0, -4.0]])  # T = 2 relu(x) - 4 relu(x - 1/2)


def sawtooth_net(k: int) -> ReluNet:
    """T composed k times: k hidden layers of 2 units, then the output 2 h1 - 4 h2.

    Layer i > 1 reads the previous tent's output ``2 h1 - 4 h2`` directly (the tent's output
    weights folded into the next layer's input weights), so the net has 2k units exactly.
    """
    k = check_k(k)
    w1, b1 = tent_layer()
    mid = w1 @ TENT_OUT  # both units read T(previous) = 2 h1 - 4 h2
    weights = [w1] + [mid] * (k - 1) + [TENT_OUT]
    biases = [b1] * k + [np.zeros(1)]
    return ReluNet(tuple(weights), tuple(biases))


def check_k(k) -> int:
    if isinstance(k, bool) or not isinstance(k, int | np.integer) or not 1 <= k <= MAX_K:
        raise ValueError(f"k must be an integer from 1 to {MAX_K}, got {k!r}")
    return int(k)


def prefix_net(net: ReluNet, depth: int) -> ReluNet:
    """The first ``depth`` hidden layers of ``net``, then its output layer (widths must agree)."""
    if not 1 <= depth <= len(net.hidden_sizes):
        raise ValueError(f"depth must be from 1 to {len(net.hidden_sizes)}, got {depth}")
    return ReluNet(net.weights[:depth] + net.weights[-1:], net.biases[:depth] + net.biases[-1:])


def _check_1d(net: ReluNet) -> None:
    if net.input_dim != 1 or net.weights[-1].shape[0] != 1:
        raise ValueError("pieces are counted for nets with one input and one output")


def _candidates(net: ReluNet, domain) -> np.ndarray:
    """Domain ends and every zero crossing of every hidden pre-activation, layer by layer."""
    xs = np.array([float(domain[0]), float(domain[1])])
    for depth in range(len(net.hidden_sizes)):
        z = net.trace(xs).pre[depth]  # (n, width), affine in x between consecutive xs
        za, zb = z[:-1], z[1:]
        cross = (za * zb) < 0  # strictly: a zero at a known point is already known
        i, _ = np.nonzero(cross)
        t = za[cross] / (za[cross] - zb[cross])
        new = xs[i] + t * (xs[i + 1] - xs[i])
        xs = np.unique(np.concatenate([xs, new]))
    return xs


def slopes(net: ReluNet, xs) -> np.ndarray:
    """dy/dx of a 1-D net at each x, from its gate pattern there (exact between kinks)."""
    trace = net.trace(xs)
    grad = np.broadcast_to(net.weights[0][:, 0], (len(trace.inputs), net.weights[0].shape[0]))
    for z, w in zip(trace.pre[:-1], net.weights[1:], strict=True):
        grad = (grad * (z > 0)) @ w.T
    return grad[:, 0]


@dataclass(frozen=True)
class Pieces:
    """A 1-D net's graph on ``domain``: its kinks and the slope of each linear piece."""

    domain: tuple[float, float]
    breakpoints: np.ndarray  # sorted kinks strictly inside the domain
    slopes: np.ndarray  # one per piece, left to right (len = breakpoints + 1)

    @property
    def count(self) -> int:
        return len(self.slopes)


def linear_pieces(net: ReluNet, domain=DOMAIN) -> Pieces:
    """The exact linear pieces of a 1-input, 1-output ReLU net on ``domain``."""
    _check_1d(net)
    xs = _candidates(net, domain)
    s = slopes(net, (xs[:-1] + xs[1:]) / 2)
    scale = max(1.0, float(np.max(np.abs(s))))
    bends = np.abs(np.diff(s)) > SLOPE_RTOL * scale
    keep = np.concatenate([[True], bends])
    return Pieces((float(domain[0]), float(domain[1])), xs[1:-1][bends], s[keep])


def breakpoints(net: ReluNet, domain=DOMAIN) -> np.ndarray:
    """Sorted x where the net's slope changes, strictly inside ``domain``."""
    return linear_pieces(net, domain).breakpoints


def count_pieces(net: ReluNet, domain=DOMAIN) -> int:
    return linear_pieces(net, domain).count


def one_layer_exact(net: ReluNet, domain=DOMAIN) -> ReluNet:
    """One hidden layer equal to ``net`` on ``domain``: a hinge at every breakpoint.

    ``f(x) = f(a) + s_0 relu(x - a) + sum_j (s_j - s_(j-1)) relu(x - p_j)`` on [a, b].
    """
    p = linear_pieces(net, domain)
    a = p.domain[0]
    knots = np.concatenate([[a], p.breakpoints])
    coef = np.concatenate([p.slopes[:1], np.diff(p.slopes)])
    return hinge_net(knots, coef, float(net([a])[0]))


class _NetTarget:
    """A net as a fit target: called on an array of x, named for the fit contract."""

    def __init__(self, net: ReluNet, source: str):
        self.net, self.source = net, source

    def __call__(self, x) -> np.ndarray:
        return self.net(np.asarray(x, dtype=float))


def shallow_fit(net: ReluNet, units: int, source: str, domain=DOMAIN) -> HingeFit:
    """The greedy ``units``-hinge, one-hidden-layer fit of ``net`` (the ``fit`` contract)."""
    target = _NetTarget(net, source)
    fitted, steps = fit_greedy(target, domain, units)
    mx, rms = fit_errors(fitted, target, domain)
    return HingeFit(
        source, tuple(float(v) for v in domain), units, "greedy", fitted, mx, rms, steps
    )


def max_gap(f: ReluNet, g: ReluNet, domain=DOMAIN) -> tuple[float, float]:
    """(x, |f(x) - g(x)|) where two 1-D nets differ most on ``domain``, exactly.

    ``f - g`` is linear between the union of their kinks, so its largest size is at one.
    """
    xs = np.unique(
        np.concatenate([[domain[0], domain[1]], breakpoints(f, domain), breakpoints(g, domain)])
    )
    gap = np.abs(f(xs) - g(xs))
    i = int(np.argmax(gap))
    return float(xs[i]), float(gap[i])


@dataclass(frozen=True)
class DepthReport:
    """The deep sawtooth, its pieces at every depth, and the one-layer nets beside it."""

    k: int
    deep: ReluNet
    pieces_by_depth: tuple[int, ...]  # pieces of T^d for d = 1..k, counted exactly
    breakpoints: np.ndarray  # of T^k
    shallow: HingeFit  # 2k units, one layer, fitted to T^k
    shallow_pieces: int
    worst: tuple[float, float]  # (x, |T^k - shallow|) at their largest gap, exact
    exact: ReluNet  # one layer equal to T^k on [0, 1]

    @property
    def units(self) -> int:
        return self.deep.units

    @property
    def exact_units(self) -> int:
        return self.exact.units

    def to_dict(self) -> dict:
        """The JSON of ``relu-anim depth --k K --json``."""
        return {
            "k": self.k,
            "deep": {
                **self.deep.to_dict(),
                "units": self.units,
                "pieces": self.pieces_by_depth[-1],
                "pieces_by_depth": list(self.pieces_by_depth),
                "breakpoints": self.breakpoints.tolist(),
            },
            "shallow": {
                **self.shallow.to_dict(),
                "pieces": self.shallow_pieces,
                "max_gap": self.worst[1],
                "exact_units": self.exact_units,
            },
        }


def depth_report(k: int) -> DepthReport:
    """Everything the scene and ``relu-anim depth`` show for k folds."""
    k = check_k(k)
    deep = sawtooth_net(k)
    by_depth = tuple(count_pieces(prefix_net(deep, d)) for d in range(1, k + 1))
    shallow = shallow_fit(deep, deep.units, f"T^{k} (tent map composed {k} times)")
    return DepthReport(
        k,
        deep,
        by_depth,
        breakpoints(deep),
        shallow,
        count_pieces(shallow.net),
        max_gap(deep, shallow.net),
        one_layer_exact(deep),
    )
