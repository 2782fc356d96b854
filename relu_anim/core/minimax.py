"""A minimax hinge fit: the one-hidden-layer ReLU net whose *worst* error is smallest.

The scenes claim things about the worst error ``max |target - net|``; ``greedy`` and
``train`` minimise the squared error. This fit aims at the worst error itself, on the same
2001-point error grid every fit is measured on. Two parts alternate:

**Output weights for fixed kinks: Lawson's algorithm.** With the kinks fixed, the net is
linear in its output weights and bias, so ``min_c max_i |y_i - (A c)_i|`` is a linear
Chebyshev problem (a linear program, but numpy has no LP solver). Lawson's iteratively
reweighted least squares solves it with nothing but weighted least squares: start from
uniform weights ``w`` (the first iterate is the ordinary least-squares fit, greedy's
weights), solve ``min_c sum_i w_i r_i^2``, then set ``w_i <- w_i |r_i| / sum_j w_j |r_j|``
and repeat. Points where the error is large gain weight, the others lose it, until the
weight sits on the extremal points of the best fit. Why this converges, and how we know
when to stop: for *any* probability weights ``w`` and the best output layer ``c*`` (worst
error ``E*``), ``min_c sum_i w_i r_i(c)^2 <= sum_i w_i r_i(c*)^2 <= E*^2``, so the square
root of each weighted least-squares error is a lower bound on ``E*``; the worst error of
any iterate is an upper bound. Lawson (1961; Cline 1972 for the rate) showed that the
update makes the bound rise monotonically to ``E*`` (linearly; slowly when extremes crowd
together), the iterates' worst errors coming down to meet it. So every run carries its own certificate: it stops
when the two bounds are within :data:`LAWSON_GAP` (or after :data:`LAWSON_ITERATIONS`),
keeping the best iterate (never worse than the least-squares start) and the weights of the
best bound. A point whose weight falls below 1e-13 of the largest is dropped from the
solves (it would need dozens of iterations to matter again); that can stall a run short of
the gap, and the certificate then says by how much.
The net is written in the hat (B-spline) basis of its kinks for the solves: the weighted
normal equations are then tridiagonal and well conditioned however close two kinks are, and
cost O(grid) to assemble; the node values convert exactly to hinge weights (slope changes).

**Kinks: stacking and equidistribution.** With ``n`` units the net is a continuous
piecewise-linear function with ``n`` pieces (unit 1 sits at the left end; with the bias it
gives every straight line). Step ``k`` adds one kink, splitting the piece whose error is
worst, then moves every kink to even out the pieces' errors: a piece of width ``h`` where
the target bends by ``f''`` is off by about ``h^2 |f''| / 16``, so the error is smallest
for a given count when every piece is off by the same amount (all pieces at the bound;
any piece below it could give width to a neighbour above it). A density
``rho_j = sqrt(e_j) / h_j`` (about ``sqrt(|f''|)/4`` on piece ``j`` with error ``e_j``)
is integrated and the kinks are put at equal fractions of its integral, a fixed point
exactly when all ``e_j`` are equal. The first rounds use each piece's chord deviation
(the target against the straight line between its ends, cheap, weights not needed); the
last rounds use the pieces' actual worst errors under Lawson's weights, fitted loosely
(:data:`ROUGH_GAP`) on every :data:`ROUGH_STRIDE`-th grid point. Moves are damped, kinks
stay two grid spacings apart, and the best kinks seen (the split kinks unmoved among them)
get the full Lawson fit. This is a heuristic for the kinks, not a proof of optimality:
the certificate is for the output weights of the kinks it returns.

**Never worse than greedy, nor than the step before.** When a step's fit has a larger
worst error than greedy's fit with as many units, Lawson's weights are fitted to greedy's
kinks (their least-squares weights are Lawson's first iterate, so this cannot lose to
greedy) and the better of the two is kept. If a step still came out worse than the step
before, it keeps the step before's function with the new unit's output weight at 0. Each
:class:`FitStep` records the net after ``k`` units, the new unit last, so the scene can
replay it like greedy's. Cost: O(grid) per Lawson iteration, a few hundred iterations a
step; 10 units take about 0.15 s, 32 units 0.6 s (one core; see ``bench/fit.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .expr import TargetFunction
from .hinges import FitStep, error_grid, fit_errors, fit_greedy, hinge_net

LAWSON_ITERATIONS = 300  # cap on reweighted least-squares solves per Lawson run
LAWSON_GAP = 1e-2  # stop when (worst error - lower bound) <= this fraction of the worst error
ROUGH_GAP = 5e-2  # the same, for the fits that only guide the kinks
ROUGH_STRIDE = 4  # the guiding fits use every 4th point of the error grid
CHORD_ROUNDS = 12  # equidistribution rounds on the chord deviations (no solves)
ERROR_ROUNDS = 4  # rounds on the actual worst errors (one Lawson run each)
DAMPING = 0.6  # fraction of the way to the equidistributed kinks taken each round
MIN_GAP_POINTS = 2  # kinks stay at least this many grid spacings apart


@dataclass(frozen=True)
class ChebyshevFit:
    """Best worst-error output layer for fixed kinks: ``bias + sum coef_i relu(x - knots_i)``.

    ``lower_bound`` is Lawson's certificate: no choice of output weights for these kinks
    has a worst error on the grid below it. ``weights`` are the point weights (a probability
    vector) whose weighted least-squares error is that bound; for any such weights it is a
    lower bound, so a test can recompute it independently.
    """

    knots: np.ndarray
    coef: np.ndarray
    bias: float
    max_error: float
    lower_bound: float
    weights: np.ndarray
    iterations: int


def _nodes(knots: np.ndarray, a: float, b: float) -> np.ndarray:
    """The pieces' ends: the domain's ends and every distinct kink strictly inside."""
    inner = np.unique(knots[(knots > a) & (knots < b)])
    return np.concatenate([[a], inner, [b]])


class _HatBasis:
    """The continuous piecewise-linear functions with breakpoints ``nodes``, on grid ``xs``.

    Point ``i`` lies on piece ``p_i`` at fraction ``t_i``: only the hats of nodes ``p_i`` and
    ``p_i + 1`` are non-zero there, with values ``1 - t_i`` and ``t_i``. So every weighted
    normal equation is one ``bincount`` of five terms per point (two diagonal entries, the
    off-diagonal one, two right-hand sides), precomputed up to the weight.
    """

    def __init__(self, nodes: np.ndarray, xs: np.ndarray, y: np.ndarray):
        n = self.n = len(nodes)
        self.piece = np.clip(np.searchsorted(nodes, xs, side="right") - 1, 0, n - 2)
        t = (xs - nodes[self.piece]) / np.diff(nodes)[self.piece]
        self.left, self.right = 1.0 - t, t
        p, lo, hi = self.piece, self.left, self.right
        self.slots = np.column_stack([p, p + 1, n + p, 2 * n + p, 2 * n + p + 1])
        self.terms = np.column_stack([lo * lo, hi * hi, lo * hi, lo * y, hi * y])
        self.matrix = np.zeros((n, n))

    def values(self, node_values: np.ndarray) -> np.ndarray:
        return node_values[self.piece] * self.left + node_values[self.piece + 1] * self.right

    def solve(self, w: np.ndarray, idx: np.ndarray) -> np.ndarray:
        """Node values minimising ``sum_i w_i (y_i - f(x_i))^2`` over the points ``idx``
        (``w`` given on them); a tiny ridge keeps a node with no weighted point determined."""
        n = self.n
        sums = np.bincount(self.slots[idx].ravel(), (self.terms[idx] * w[:, None]).ravel(), 3 * n)
        m = self.matrix
        m.flat[:: n + 1] = sums[:n] + 1e-13 * max(float(sums[:n].max()), 1e-300)
        m.flat[1 :: n + 1] = m.flat[n :: n + 1] = sums[n : 2 * n - 1]
        return np.linalg.solve(m, sums[2 * n :])


def hinge_weights(
    knots: np.ndarray, nodes: np.ndarray, node_values: np.ndarray
) -> tuple[np.ndarray, float]:
    """Hinge output weights (in ``knots``' order) and bias for the piecewise-linear function
    with ``node_values`` at ``nodes``; ``knots[0]`` must be the left end ``nodes[0]``.

    The unit at the left end carries the first slope, the unit at each inner node the change
    of slope there; a repeated kink or one at the right end gets weight 0.
    """
    slopes = np.diff(node_values) / np.diff(nodes)
    change = dict(zip(nodes[1:-1].tolist(), np.diff(slopes).tolist(), strict=True))
    coef = np.zeros(len(knots))
    coef[0] = slopes[0]
    for i, k in enumerate(knots[1:].tolist(), start=1):
        coef[i] = change.pop(k, 0.0)
    return coef, float(node_values[0])


def lawson(
    knots: np.ndarray,
    xs: np.ndarray,
    y: np.ndarray,
    gap: float = LAWSON_GAP,
    iterations: int = LAWSON_ITERATIONS,
) -> ChebyshevFit:
    """Lawson's IRLS for the output weights of fixed ``knots`` (``knots[0]`` = ``xs[0]``).

    Stops when the worst error is within ``gap`` (relative) of the lower bound. Points whose
    weight has fallen below 1e-13 of the largest are left out of the solves (their share of
    the sums is below rounding); the worst error is always taken over the whole grid.
    """
    knots = np.asarray(knots, dtype=float)
    nodes = _nodes(knots, float(xs[0]), float(xs[-1]))
    basis = _HatBasis(nodes, xs, y)
    idx = np.arange(len(xs))
    w = np.full(len(xs), 1.0 / len(xs))  # the weights of the points idx
    best_err, best_v, lower, lower_w, it = np.inf, None, 0.0, (idx, w), 0
    while it < iterations:
        it += 1
        v = basis.solve(w, idx)
        e = np.abs(y - basis.values(v))
        err = float(e.max())
        bound = float(np.sqrt(np.sum(w * e[idx] ** 2)))
        if bound > lower:
            lower, lower_w = bound, (idx, w)
        if err < best_err:
            best_err, best_v = err, v
        if best_err - lower <= gap * best_err:
            break
        w = w * e[idx]
        total = float(w.sum())
        if total <= 0.0:  # exact on the grid
            break
        keep = w > 1e-13 * float(w.max())
        idx, w = idx[keep], w[keep] / total
    coef, bias = hinge_weights(knots, nodes, best_v)
    weights = np.zeros(len(xs))
    weights[lower_w[0]] = lower_w[1]
    return ChebyshevFit(knots, coef, bias, best_err, min(lower, best_err), weights, it)


def _piece_max(values: np.ndarray, piece: np.ndarray, pieces: int) -> np.ndarray:
    out = np.zeros(pieces)
    np.maximum.at(out, piece, values)
    return out


def _equidistribute(nodes: np.ndarray, err: np.ndarray, h_min: float) -> np.ndarray:
    """Inner nodes moved (damped) to equal shares of the density sqrt(err_j) / h_j."""
    h = np.diff(nodes)
    rho = np.sqrt(np.maximum(err, 0.0)) / h
    floor = 1e-3 * float(np.sum(rho * h)) / float(np.sum(h)) + 1e-300
    rho = np.maximum(rho, floor)
    cum = np.concatenate([[0.0], np.cumsum(rho * h)])
    share = cum[-1] * np.arange(1, len(nodes) - 1) / (len(nodes) - 1)
    target = np.interp(share, cum, nodes)
    inner = nodes[1:-1] + DAMPING * (target - nodes[1:-1])
    return _spread(np.concatenate([[nodes[0]], inner, [nodes[-1]]]), h_min)


def _spread(nodes: np.ndarray, h_min: float) -> np.ndarray:
    """Nodes pushed apart to at least ``h_min`` (when the domain has room), ends fixed."""
    n = len(nodes) - 1
    if n < 2 or h_min * n >= nodes[-1] - nodes[0]:
        return nodes
    out = nodes.copy()
    for i in range(1, n):  # forward: at least h_min after the previous
        out[i] = max(out[i], out[i - 1] + h_min)
    for i in range(n - 1, 0, -1):  # backward: at least h_min before the next
        out[i] = min(out[i], out[i + 1] - h_min)
    return out


def _chord_errors(nodes: np.ndarray, xs: np.ndarray, y: np.ndarray, fn) -> np.ndarray:
    """Each piece's worst gap between the target and its chord (the interpolant's error)."""
    chord = np.interp(xs, nodes, fn(nodes))
    piece = np.clip(np.searchsorted(nodes, xs, side="right") - 1, 0, len(nodes) - 2)
    return _piece_max(np.abs(y - chord), piece, len(nodes) - 1)


def _fit_errors_by_piece(fit: ChebyshevFit, xs: np.ndarray, y: np.ndarray) -> np.ndarray:
    nodes = _nodes(fit.knots, float(xs[0]), float(xs[-1]))
    net = hinge_net(fit.knots, fit.coef, fit.bias)
    piece = np.clip(np.searchsorted(nodes, xs, side="right") - 1, 0, len(nodes) - 2)
    return _piece_max(np.abs(y - net(xs)), piece, len(nodes) - 1)


def _relocate(knots: np.ndarray, new_nodes: np.ndarray) -> np.ndarray:
    """``knots`` (units' order, first at the left end, all distinct) moved to ``new_nodes``,
    each keeping its rank among the inner kinks."""
    order = np.argsort(knots[1:], kind="stable")
    moved = knots.copy()
    moved[1 + order] = new_nodes[1:-1]
    return moved


def _refine(knots: np.ndarray, xs, y, fn, h_min: float) -> ChebyshevFit:
    """Move the inner kinks to even out the pieces' errors; the best Lawson fit seen."""
    a, b = float(xs[0]), float(xs[-1])
    nodes = _nodes(knots, a, b)
    if len(nodes) != len(knots) + 1:  # repeated kinks: fit them as they are
        return lawson(knots, xs, y)
    cx, cy = xs[::ROUGH_STRIDE], y[::ROUGH_STRIDE]  # the guiding fits use a coarser grid
    best = lawson(knots, cx, cy, ROUGH_GAP)  # the kinks as they are are a candidate too
    for _ in range(CHORD_ROUNDS):
        nodes = _equidistribute(nodes, _chord_errors(nodes, xs, y, fn), h_min)
    knots = _relocate(knots, nodes)
    fit = lawson(knots, cx, cy, ROUGH_GAP)
    if fit.max_error < best.max_error:
        best = fit
    for _ in range(ERROR_ROUNDS):
        nodes = _equidistribute(nodes, _fit_errors_by_piece(fit, cx, cy), h_min)
        fit = lawson(_relocate(knots, nodes), cx, cy, ROUGH_GAP)
        if fit.max_error < best.max_error:
            best = fit
    return lawson(best.knots, xs, y)


def _split_worst(fit: ChebyshevFit, xs: np.ndarray, y: np.ndarray, h_min: float) -> np.ndarray:
    """The kinks plus one at the middle of the piece with the worst error."""
    a, b = float(xs[0]), float(xs[-1])
    nodes = _nodes(fit.knots, a, b)
    err = _fit_errors_by_piece(fit, xs, y)
    j = int(np.argmax(np.where(np.diff(nodes) >= 2 * h_min, err, -1.0)))
    new = 0.5 * (nodes[j] + nodes[j + 1])
    return np.append(fit.knots, new)


def _with_idle_unit(fit: ChebyshevFit, knot: float) -> ChebyshevFit:
    """The same function with one more unit, of output weight 0, kinked at ``knot``."""
    return ChebyshevFit(
        np.append(fit.knots, knot),
        np.append(fit.coef, 0.0),
        fit.bias,
        fit.max_error,
        0.0,  # no certificate for the new kinks: the step before's bound is for its own
        fit.weights,
        0,
    )


def fit_minimax(
    fn: TargetFunction, domain, units: int
) -> tuple[object, list[FitStep], list[ChebyshevFit]]:
    """The minimax stacking: (net, one FitStep per unit count, the Lawson fit of each step)."""
    xs = error_grid(domain)
    y = fn(xs)
    h_min = MIN_GAP_POINTS * float(xs[1] - xs[0])
    _, greedy = fit_greedy(fn, domain, units)
    steps: list[FitStep] = []
    fits: list[ChebyshevFit] = []
    fit = None
    for k in range(1, units + 1):
        greedy_error = greedy[k - 1].max_abs_error
        prev = fit
        if prev is not None and prev.max_error > 0.0:
            fit = _refine(_split_worst(prev, xs, y, h_min), xs, y, fn, h_min)
        if fit is None or fit.max_error > greedy_error:  # greedy's kinks, Lawson's weights
            g = greedy[k - 1].net
            start = lawson(-g.b1 / g.W1[:, 0], xs, y)  # its first iterate is greedy's fit
            fit = start if fit is None or start.max_error < fit.max_error else fit
        if prev is not None and fit.max_error > prev.max_error:  # keep the step before,
            fit = _with_idle_unit(prev, _split_worst(prev, xs, y, h_min)[-1])  # one more unit
        net = hinge_net(fit.knots, fit.coef, fit.bias)
        mx, rms = fit_errors(net, fn, domain)
        steps.append(FitStep(k, net, mx, rms, knot=float(fit.knots[-1])))
        fits.append(fit)
    return steps[-1].net, steps, fits
