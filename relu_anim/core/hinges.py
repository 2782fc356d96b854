"""Hinge fitting: a one-hidden-layer ReLU net, built hinge by hinge, that follows a target curve.

Three methods, each returning a plain :class:`ReluNet` with exactly ``units`` hidden units:

``greedy``
    Unit 1 is ``relu(x - a)`` at the domain's left end, which with the output bias gives the
    best affine fit. Every further unit is a hinge ``relu(x - k)`` whose knot ``k`` is the
    grid point that most reduces the least-squares error; after each addition all output
    weights are refitted by least squares. Once all units are in, up to 16 *exchange* moves:
    a knot is moved to another grid point when that lowers the squared error by >= 0.1 %.
    Greedy alone is myopic (it misses the kinks of a piecewise-linear target); the exchange
    recovers most.
    Scoring every candidate knot uses suffix sums (``r . relu(x - k)`` is a sum over the
    points right of ``k``), so scoring all 2001 knots costs O(grid * units).
    The squared error never rises from one step to the next (nested least squares, and an
    exchange only ever lowers it); the max error usually falls but is not guaranteed to.
    A target that is piecewise linear on the grid with fewer bends than ``units`` is
    stacked at its bends only and so fitted exactly (the exchange alone could need more
    moves than it is allowed when two bends are close).
``train``
    Full-batch Adam on every parameter (knots, slopes, output weights), started from the
    greedy fit, with gradients from the core's one backward pass (:mod:`.backprop`). The
    best parameters seen are returned, so it never ends worse than it began.
``minimax``
    The worst error rather than the squared one: Lawson's reweighted least squares for the
    output weights, kinks stacked and moved to even out the pieces' errors; never worse than
    greedy at any step (:mod:`.minimax`, which explains why it converges).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .backprop import Gradients, backprop, packed
from .expr import TargetFunction, parse_target
from .network import ReluNet
from .optim import Adam

GRID_POINTS = 2001
TRAIN_POINTS = 501  # training grid: 4x cheaper steps than the error grid, same curve
MAX_UNITS = 128
METHODS = ("greedy", "train", "minimax")
EXCHANGE_PER_STEP = 0  # knot moves tried after each added unit (0: measured no gain)
EXCHANGE_FINAL = 16  # knot moves tried once all units are in
EXCHANGE_MIN_GAIN = 1e-3  # a move must lower the squared error by at least this fraction
EXACT_RMS = 1e-12  # a fit this close (relative to max |target|) is exact up to rounding


@dataclass(frozen=True)
class FitStep:
    """One recorded state: the net after ``units`` hinges (greedy) or ``step`` updates (train)."""

    units: int
    net: ReluNet
    max_abs_error: float
    rms_error: float
    knot: float | None = None  # greedy: the knot added at this step
    step: int | None = None  # train: the optimiser step
    loss: float | None = None  # train: mean squared error on the error grid (= rms_error^2)

    def to_dict(self) -> dict:
        d = {"units": self.units, "max_abs_error": self.max_abs_error, "rms_error": self.rms_error}
        if self.knot is not None:
            d["knot"] = self.knot
        if self.step is not None:
            d["step"] = self.step
            d["loss"] = self.loss
        return d


@dataclass(frozen=True)
class HingeFit:
    target: str
    domain: tuple[float, float]
    units: int
    method: str
    net: ReluNet
    max_abs_error: float
    rms_error: float
    steps: list[FitStep] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON object of the ``relu-anim fit --json`` contract."""
        return {
            "target": self.target,
            "domain": list(self.domain),
            "units": self.units,
            "method": self.method,
            **self.net.to_dict(),
            "max_abs_error": self.max_abs_error,
            "rms_error": self.rms_error,
            "steps": [s.to_dict() for s in self.steps],
        }


def error_grid(domain: tuple[float, float], points: int = GRID_POINTS) -> np.ndarray:
    return np.linspace(float(domain[0]), float(domain[1]), points)


def fit_errors(net: ReluNet, target: TargetFunction, domain, points: int = GRID_POINTS):
    """(max-abs error, RMS error) of ``net`` against ``target`` on a uniform grid."""
    xs = error_grid(domain, points)
    r = net(xs) - target(xs)
    return float(np.max(np.abs(r))), float(np.sqrt(np.mean(r * r)))


def validate_fit_args(domain, units: int, method: str) -> tuple[float, float]:
    a, b = (float(v) for v in domain)
    if not (np.isfinite(a) and np.isfinite(b)) or not a < b:
        raise ValueError(f"domain must be two finite numbers A < B, got [{a:g}, {b:g}]")
    if b - a > 1e6:
        raise ValueError("domain is wider than 1e6")
    if not isinstance(units, int | np.integer) or not 1 <= units <= MAX_UNITS:
        raise ValueError(f"units must be an integer from 1 to {MAX_UNITS}, got {units!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    return a, b


def hinge_net(knots: np.ndarray, coef: np.ndarray, bias: float) -> ReluNet:
    """The net ``bias + sum_i coef_i * relu(x - knots_i)``."""
    knots = np.asarray(knots, dtype=float)
    return ReluNet.one_hidden(
        np.ones((len(knots), 1)), -knots, np.asarray(coef, float)[None, :], [bias]
    )


def _suffix_sums(values: np.ndarray) -> np.ndarray:
    """S[..., j] = sum_{i > j} values[..., i] along the last axis (strictly right of j)."""
    c = np.cumsum(values[..., ::-1], axis=-1)[..., ::-1]
    out = np.zeros_like(c)
    out[..., :-1] = c[..., 1:]
    return out


def _dot_hinges(u: np.ndarray, xs: np.ndarray) -> np.ndarray:
    """u . relu(xs - xs[j]) for every grid knot j at once; u is (n,) or (m, n) row-wise."""
    return _suffix_sums(u * xs) - xs * _suffix_sums(u)


class _GreedyState:
    """Least-squares fit of y on [1, relu(xs - xs[k]) for k in knots], with what scoring needs."""

    def __init__(self, xs: np.ndarray, y: np.ndarray, knots: list[int], col_norm2: np.ndarray):
        self.xs, self.y, self.knots, self.col_norm2 = xs, y, knots, col_norm2
        design = np.column_stack([np.ones_like(xs)] + [np.maximum(xs - xs[k], 0.0) for k in knots])
        q, self.r = np.linalg.qr(design)
        self.qt = np.ascontiguousarray(q.T)  # rows: orthonormal basis of the columns
        # |projection of each candidate column onto the current span|^2
        self.spanned2 = np.sum(_dot_hinges(self.qt, xs) ** 2, axis=0)
        self._fit()

    def _fit(self) -> None:
        self.coef = np.linalg.solve(self.r, self.qt @ self.y)
        self.resid = self.y - self.qt.T @ (self.qt @ self.y)
        self.rss = float(self.resid @ self.resid)
        self.taken = np.zeros(len(self.xs), dtype=bool)
        self.taken[self.knots] = True
        self.taken[[0, -1]] = True  # knots at the ends add nothing new on the domain

    def add(self, j: int) -> _GreedyState:
        """A new state with knot ``j`` appended: one Gram-Schmidt step, no refactorisation."""
        new = object.__new__(_GreedyState)
        new.xs, new.y, new.col_norm2 = self.xs, self.y, self.col_norm2
        new.knots = [*self.knots, j]
        col = np.maximum(self.xs - self.xs[j], 0.0)
        coeffs = np.zeros(len(self.qt))
        for _ in range(2):  # twice is enough for orthogonality to machine precision
            c = self.qt @ col
            col = col - c @ self.qt
            coeffs += c
        norm = float(np.linalg.norm(col))
        new.qt = np.vstack([self.qt, col / norm])
        m = len(self.r)
        new.r = np.zeros((m + 1, m + 1))
        new.r[:m, :m], new.r[:m, m], new.r[m, m] = self.r, coeffs, norm
        new.spanned2 = self.spanned2 + _dot_hinges(new.qt[-1], self.xs) ** 2
        new._fit()
        return new

    def free2(self, spanned2: np.ndarray) -> np.ndarray:
        """Squared norm of each candidate column's part outside a span; tiny means 'already in'."""
        free = self.col_norm2 - spanned2
        return np.where(free > 1e-10 * np.maximum(self.col_norm2, 1e-300), free, np.nan)

    def best_addition(self, allowed: np.ndarray | None = None) -> int | None:
        """The grid knot whose hinge most lowers the error (among ``allowed``, a mask)."""
        gain = _dot_hinges(self.resid, self.xs) ** 2 / self.free2(self.spanned2)
        gain[self.taken] = np.nan
        if allowed is not None:
            gain[~allowed] = np.nan
        return None if np.all(np.isnan(gain)) else int(np.nanargmax(gain))

    def best_exchange(self) -> tuple[int, int] | None:
        """(position in knots, new grid knot) of the single move that most lowers the error.

        Dropping column i leaves the residual r + beta_i u_i / |u_i|^2, where u_i is the dual
        basis vector of column i (orthogonal to every other column), so every drop-and-re-add
        is scored at once from suffix sums, without refitting.
        """
        movable = np.arange(2, len(self.knots) + 1)  # columns: 0 is the bias, 1 the affine unit
        if len(movable) == 0:
            return None
        # Rows: dual vectors u_i with u_i . column_j = delta_ij.
        dual = (np.linalg.inv(self.r) @ self.qt)[movable]
        dual_norm2 = np.sum(dual * dual, axis=1)
        resid_minus = self.resid + dual * (self.coef[movable] / dual_norm2)[:, None]
        spanned_minus = self.spanned2 - _dot_hinges(dual, self.xs) ** 2 / dual_norm2[:, None]
        free = self.col_norm2 - spanned_minus
        ok = free > 1e-10 * np.maximum(self.col_norm2, 1e-300)
        gain = np.where(ok, _dot_hinges(resid_minus, self.xs) ** 2 / np.where(ok, free, 1.0), -1.0)
        gain[:, self.taken] = -1.0
        rows = np.arange(len(movable))
        gain[rows, np.array(self.knots)[movable - 1]] = -1.0  # staying put is no move
        best_c = np.argmax(gain, axis=1)
        new_rss = np.sum(resid_minus**2, axis=1) - gain[rows, best_c]
        i = int(np.argmin(new_rss))
        if gain[i, best_c[i]] < 0 or new_rss[i] >= self.rss * (1 - EXCHANGE_MIN_GAIN):
            return None
        return int(movable[i] - 1), int(best_c[i])


def _exchange(state: _GreedyState, moves: int) -> _GreedyState:
    """Move earlier knots while a single move lowers the squared error by EXCHANGE_MIN_GAIN."""
    for _ in range(moves):
        move = state.best_exchange()
        if move is None:
            break
        knots = list(state.knots)
        knots[move[0]] = move[1]
        state = _GreedyState(state.xs, state.y, knots, state.col_norm2)
    return state


def fit_greedy(
    fn: TargetFunction, domain, units: int, exchange: bool = True
) -> tuple[ReluNet, list[FitStep]]:
    xs = error_grid(domain)
    y = fn(xs)
    # |relu(xs - xs[j])|^2 for every candidate knot j, from suffix sums of 1, x, x^2.
    col_norm2 = (
        _suffix_sums(xs * xs) - 2 * xs * _suffix_sums(xs) + xs * xs * _suffix_sums(np.ones_like(xs))
    )
    kinks = _grid_kinks(y)
    if len(kinks) < units:
        # Piecewise linear on the grid with at most units - 1 bends: stacking hinges at the
        # bends only is exact. Knot exchange can need more moves than it is allowed to find
        # close bends, so this is tried first and kept when it is exact.
        net, steps = _stack(xs, y, col_norm2, fn, domain, units, kinks, exchange=False)
        if steps[-1].rms_error <= EXACT_RMS * max(1.0, float(np.max(np.abs(y)))):
            return net, steps
    return _stack(xs, y, col_norm2, fn, domain, units, None, exchange)


def _grid_kinks(y: np.ndarray) -> np.ndarray:
    """Grid indices where the sampled target bends: second differences far above rounding.

    On a straight piece the second difference is rounding, a few ulps of the terms the
    target was computed from (near a zero of ``y`` that can be many ulps of ``y``); a bend
    by a slope change ``d`` at a grid point gives ``d * spacing``. The threshold, 1e-9 of
    ``max |y|``, sits far above the first and below any visible bend; a smooth curve bends
    everywhere. A wrong call costs nothing: the result is only kept if it is exact.
    """
    d2 = y[2:] - 2.0 * y[1:-1] + y[:-2]
    return np.flatnonzero(np.abs(d2) > 1e-9 * np.max(np.abs(y))) + 1


def _stack(
    xs: np.ndarray,
    y: np.ndarray,
    col_norm2: np.ndarray,
    fn: TargetFunction,
    domain,
    units: int,
    only: np.ndarray | None,
    exchange: bool,
) -> tuple[ReluNet, list[FitStep]]:
    """Greedy stacking from the best affine fit, choosing knots among ``only`` (grid
    indices) or anywhere on the grid (None), with knot exchange once all units are in."""
    state = _GreedyState(xs, y, [0], col_norm2)  # relu(x - a) + bias: the best affine fit
    allowed = None
    if only is not None:
        allowed = np.zeros(len(xs), dtype=bool)
        allowed[only] = True
    steps: list[FitStep] = []

    def record(state: _GreedyState) -> ReluNet:
        knots = xs[state.knots]
        net = hinge_net(knots, state.coef[1:], state.coef[0])
        err = net(xs) - y
        rms = float(np.sqrt(np.mean(err * err)))
        steps.append(
            FitStep(len(knots), net, float(np.max(np.abs(err))), rms, knot=float(knots[-1]))
        )
        return net

    net = record(state)
    while len(state.knots) < units:
        j = state.best_addition(allowed)
        if j is None:
            break  # every allowed knot is spanned already: the fit is exact on the grid
        state = state.add(j)
        if exchange:
            moves = EXCHANGE_FINAL if len(state.knots) == units else EXCHANGE_PER_STEP
            state = _exchange(state, moves)
        net = record(state)
    while len(steps) < units:  # exact already: pad with zero-weight units to keep the width
        prev = steps[-1].net
        net = hinge_net(
            np.append(-prev.b1, domain[1]), np.append(prev.W2[0], 0.0), float(prev.b2[0])
        )
        steps.append(FitStep(len(steps) + 1, net, *fit_errors(net, fn, domain), knot=domain[1]))
    return net, steps


def _mse(net: ReluNet, xs: np.ndarray, y: np.ndarray) -> float:
    r = net(xs) - y
    return float(np.mean(r * r))


def mse_and_grads(net: ReluNet, xs: np.ndarray, y: np.ndarray) -> tuple[float, Gradients]:
    """Mean squared error of ``net(xs)`` against ``y`` and its gradient for every parameter."""
    forward = net.trace(xs)
    r = forward.output[:, 0] - y
    return float(np.mean(r * r)), backprop(net, forward, 2.0 * r / len(y))


def fit_train(
    fn: TargetFunction,
    domain,
    units: int,
    seed: int,
    iterations: int = 2000,
    record_every: int = 50,
    exchange: bool = True,
) -> tuple[ReluNet, list[FitStep]]:
    """Adam on every parameter, full batch over a TRAIN_POINTS grid, from the greedy fit.

    The loss is the mean squared error on the training grid; the best parameters seen are
    kept, and the result is compared with the start on the 2001-point error grid, so the
    returned net is never worse than its initialisation there.
    """
    xs = error_grid(domain, TRAIN_POINTS)
    y = fn(xs)
    init, _ = fit_greedy(fn, domain, units, exchange)
    width = domain[1] - domain[0]
    theta, net = packed(init)  # net's arrays are views into theta, which Adam updates
    # Seeded jitter of the knots lets training leave the greedy grid; scaled to the domain.
    net.biases[0][:] += np.random.default_rng(seed).normal(0.0, 1e-4 * width, size=units)
    opt = Adam([theta], lr=5e-4 * width)

    def snapshot(t: int, net: ReluNet) -> FitStep:
        """The net now; its loss is reported on the error grid (RMS^2), like every error."""
        mx, rms = fit_errors(net, fn, domain)
        return FitStep(units, net.copy(), mx, rms, step=t, loss=rms * rms)

    steps = [snapshot(0, init)]
    best_loss, best = _mse(init, xs, y), init
    for t in range(1, iterations + 1):
        loss, grads = mse_and_grads(net, xs, y)  # loss of the params before this update
        if loss < best_loss:
            best_loss, best = loss, net.copy()
        opt.step([grads.flat()])
        if t % record_every == 0 or t == iterations:
            steps.append(snapshot(t, net))
    if _mse(net, xs, y) < best_loss:
        best = net.copy()
    fine = error_grid(domain)
    target = fn(fine)
    if np.mean((best(fine) - target) ** 2) > np.mean((init(fine) - target) ** 2):
        best = init  # better on the training grid, worse on the fine grid: keep the start
    return best, steps


def fit_hinges(
    target: str | TargetFunction,
    domain=(-3.0, 3.0),
    units: int = 10,
    method: str = "greedy",
    seed: int = 0,
    iterations: int = 2000,
    exchange: bool = True,
) -> HingeFit:
    """Fit ``units`` hinges to ``target`` on ``domain``; raises ValueError on bad input.

    ``exchange=False`` gives plain greedy stacking (faster, a little less accurate).
    """
    domain = validate_fit_args(domain, units, method)
    fn = target if isinstance(target, TargetFunction) else parse_target(target, domain)
    if isinstance(target, TargetFunction):
        fn.check_finite(domain)
    if method == "greedy":
        net, steps = fit_greedy(fn, domain, int(units), exchange)
    elif method == "minimax":
        from .minimax import fit_minimax  # imported here: minimax builds on this module

        net, steps, _ = fit_minimax(fn, domain, int(units))
    else:
        net, steps = fit_train(fn, domain, int(units), seed, iterations, exchange=exchange)
    mx, rms = fit_errors(net, fn, domain)
    return HingeFit(fn.source, domain, int(units), method, net, mx, rms, steps)
