"""Towers against hinges: the visual proof's steep sigmoid steps beside ReLU hinges, same budget.

The visual proof of universal approximation (Nielsen, *Neural Networks and Deep Learning*,
ch. 4) turns a sigmoid into a step by making it steep, ``sigmoid(s (x - t))``, and pairs an
up-step with a down-step into a *tower* (a bump) of any height. Neighbouring towers share
the step between them (one tower's down-step and the next one's up-step are one unit with
the difference of their heights), so ``N`` units on ``N`` evenly spaced knots give ``N + 1``
flat pieces: ``y = c + sum_j v_j sigmoid(s (x - t_j))``. The heights (``v`` and ``c``) are
fitted by least squares on the error grid.

The steepness is set relative to the knot spacing ``h``: ``s = steepness / h``. A unit then
rises from 2 % to 98 % of its height over ``~8 h / steepness`` (``sigmoid(+-4) = 0.018,
0.982``), the same fraction of a piece for every ``N``, so every unit stays a step as ``N``
grows (a fixed ``s`` would let the steps blur into a smooth sum as the knots close in).

The ReLU side uses the same rule, evenly spaced knots and least-squares output weights
(:func:`relu_anim.core.placement.uniform_knots`, ``least_squares_hinges``), so the two
constructions differ only in the unit's shape: flat pieces against straight pieces. On a
smooth target the best flat piece misses by about ``h |f'| / sqrt(12)`` (RMS), the best
straight piece by about ``h^2 |f''|`` times a constant: errors of order ``1/N`` and
``1/N^2``. :func:`sweep` measures both for several ``N`` and fits the slopes of
``log(rms error)`` against ``log(N)``.

This compares *constructions with steep steps*, as in the proof. Smooth sigmoids whose
weights are trained are a different matter (and hard to train deep: see
:mod:`relu_anim.core.gradients`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import sigmoid
from .expr import TargetFunction, parse_target
from .hinges import (
    EXACT_RMS,
    GRID_POINTS,
    FitStep,
    HingeFit,
    error_grid,
    fit_errors,
    hinge_net,
    validate_fit_args,
)
from .placement import least_squares_hinges, uniform_knots

DEFAULT_STEEPNESS = 40.0  # s * h: a unit rises 2 % -> 98 % over a fifth of a piece
STEEPNESS_RANGE = (1.0, 1000.0)
SWEEP_UNITS = (8, 16, 32, 64, 128)


@dataclass(frozen=True)
class SigmoidNet:
    """``y = W2 @ sigmoid(W1 @ [x] + b1) + b2``: one input, one hidden layer, one output."""

    W1: np.ndarray  # (N, 1)
    b1: np.ndarray  # (N,)
    W2: np.ndarray  # (1, N)
    b2: np.ndarray  # (1,)

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=float)
        hidden = sigmoid(np.multiply.outer(x, self.W1[:, 0]) + self.b1)
        return hidden @ self.W2[0] + self.b2[0]

    @property
    def units(self) -> int:
        return int(self.W1.shape[0])

    @property
    def knots(self) -> np.ndarray:
        """Where each unit is half-way up: ``x = -b1 / W1``."""
        return -self.b1 / self.W1[:, 0]

    def to_dict(self) -> dict:
        return {
            "W1": self.W1.tolist(),
            "b1": self.b1.tolist(),
            "W2": self.W2.tolist(),
            "b2": self.b2.tolist(),
        }


@dataclass(frozen=True)
class TowerFit:
    """``units`` steep sigmoids on evenly spaced knots, heights by least squares."""

    target: str
    domain: tuple[float, float]
    units: int
    steepness: float  # s * spacing
    net: SigmoidNet
    max_abs_error: float
    rms_error: float

    @property
    def spacing(self) -> float:
        return (self.domain[1] - self.domain[0]) / (self.units + 1)

    def tower_heights(self) -> np.ndarray:
        """The ``N + 1`` flat levels: ``c``, ``c + v_1``, ``c + v_1 + v_2``, ... (steps ideal)."""
        return self.net.b2[0] + np.concatenate([[0.0], np.cumsum(self.net.W2[0])])

    def to_dict(self) -> dict:
        return {
            "target": self.target,
            "domain": list(self.domain),
            "units": self.units,
            "steepness": self.steepness,
            **self.net.to_dict(),
            "max_abs_error": self.max_abs_error,
            "rms_error": self.rms_error,
        }


@dataclass(frozen=True)
class Comparison:
    """Towers and hinges with the same number of units on the same target."""

    towers: TowerFit
    hinges: HingeFit

    def to_dict(self) -> dict:
        return {**self.towers.to_dict(), "hinges": self.hinges.to_dict()}


@dataclass(frozen=True)
class Sweep:
    """Both RMS and max errors for each ``N``, and the log-log slopes of the RMS errors."""

    units: tuple[int, ...]
    tower_rms: np.ndarray
    tower_max: np.ndarray
    hinge_rms: np.ndarray
    hinge_max: np.ndarray
    tower_slope: float
    tower_intercept: float
    hinge_slope: float
    hinge_intercept: float

    def to_dict(self) -> dict:
        return {
            "units": list(self.units),
            "towers": {
                "rms_error": self.tower_rms.tolist(),
                "max_abs_error": self.tower_max.tolist(),
                "slope": self.tower_slope,
            },
            "hinges": {
                "rms_error": self.hinge_rms.tolist(),
                "max_abs_error": self.hinge_max.tolist(),
                "slope": self.hinge_slope,
            },
        }


def tower_knots(domain, units: int) -> np.ndarray:
    """``units`` knots splitting ``domain`` into ``units + 1`` equal pieces."""
    a, b = float(domain[0]), float(domain[1])
    return a + (b - a) * np.arange(1, units + 1) / (units + 1)


def step_net(knots, heights, bias: float, slope: float) -> SigmoidNet:
    """``bias + sum_j heights_j sigmoid(slope (x - knots_j))``."""
    knots = np.asarray(knots, dtype=float)
    return SigmoidNet(
        W1=np.full((len(knots), 1), float(slope)),
        b1=-float(slope) * knots,
        W2=np.asarray(heights, dtype=float).reshape(1, -1),
        b2=np.array([float(bias)]),
    )


def tower_pair(left: float, right: float, height: float, slope: float) -> SigmoidNet:
    """One tower: an up-step at ``left`` and a down-step at ``right``, both ``height`` tall."""
    return step_net([left, right], [height, -height], 0.0, slope)


def sigmoid_errors(net: SigmoidNet, target: TargetFunction, domain, points: int = GRID_POINTS):
    """(max-abs error, RMS error) of a sigmoid net on a uniform grid of ``points`` points."""
    xs = error_grid(domain, points)
    r = net(xs) - target(xs)
    return float(np.max(np.abs(r))), float(np.sqrt(np.mean(r * r)))


def _checked(target, domain, units: int, steepness: float):
    """The fit's domain and units checks, the steepness range, a target finite on the domain."""
    domain = validate_fit_args(domain, units, "greedy")
    lo, hi = STEEPNESS_RANGE
    if not lo <= float(steepness) <= hi:
        raise ValueError(f"steepness must be from {lo:g} to {hi:g}, got {steepness:g}")
    fn = target if isinstance(target, TargetFunction) else parse_target(target, domain)
    fn.check_finite(domain)
    return fn, domain


def fit_towers(target, domain, units: int, steepness: float = DEFAULT_STEEPNESS) -> TowerFit:
    """``units`` steep sigmoid steps on evenly spaced knots, heights by least squares."""
    fn, domain = _checked(target, domain, units, steepness)
    knots = tower_knots(domain, units)
    slope = steepness * (units + 1) / (domain[1] - domain[0])  # steepness / spacing
    xs = error_grid(domain)
    design = np.column_stack([np.ones_like(xs), sigmoid(slope * (xs[:, None] - knots))])
    solution, *_ = np.linalg.lstsq(design, fn(xs), rcond=None)
    net = step_net(knots, solution[1:], solution[0], slope)
    mx, rms = sigmoid_errors(net, fn, domain)
    return TowerFit(fn.source, domain, int(units), float(steepness), net, mx, rms)


def fit_uniform_hinges(target, domain, units: int) -> HingeFit:
    """``units`` hinges on evenly spaced knots, output weights by least squares, one step.

    The same fit as :func:`relu_anim.core.placement.fit_uniform` at ``units``, without
    recording every smaller count (that costs a second at 128 units).
    """
    fn, domain = _checked(target, domain, units, DEFAULT_STEEPNESS)
    xs = error_grid(domain)
    knots = uniform_knots(domain, units)
    coef, bias = least_squares_hinges(knots, xs, fn(xs))
    net = hinge_net(knots, coef, bias)
    mx, rms = fit_errors(net, fn, domain)
    step = FitStep(int(units), net, mx, rms, knot=float(knots[-1]))
    return HingeFit(fn.source, domain, int(units), "uniform", net, mx, rms, [step])


def compare(target, domain, units: int, steepness: float = DEFAULT_STEEPNESS) -> Comparison:
    """Towers and hinges, ``units`` of each, on the same target and domain."""
    fn, domain = _checked(target, domain, units, steepness)
    return Comparison(
        fit_towers(fn, domain, units, steepness), fit_uniform_hinges(fn, domain, units)
    )


def loglog_slope(units, errors) -> tuple[float, float]:
    """Least-squares ``(slope, intercept)`` of ``log(errors)`` against ``log(units)``."""
    slope, intercept = np.polyfit(np.log(np.asarray(units, float)), np.log(errors), 1)
    return float(slope), float(intercept)


def sweep(target, domain, units=SWEEP_UNITS, steepness: float = DEFAULT_STEEPNESS) -> Sweep:
    """Both constructions for every unit count in ``units`` (at least two distinct counts)."""
    units = tuple(int(n) for n in units)
    if len(set(units)) < 2:
        raise ValueError("a sweep needs at least two different unit counts")
    fn, domain = _checked(target, domain, max(units), steepness)
    for n in units:
        _checked(fn, domain, n, steepness)
    pairs = [compare(fn, domain, n, steepness) for n in units]
    tower_rms = np.array([p.towers.rms_error for p in pairs])
    hinge_rms = np.array([p.hinges.rms_error for p in pairs])
    scale = max(1.0, float(np.max(np.abs(fn(error_grid(domain))))))
    if min(tower_rms.min(), hinge_rms.min()) <= EXACT_RMS * scale:
        raise ValueError(
            f"target {fn.source!r} is fitted exactly (up to rounding): its errors have no slope"
        )
    return Sweep(
        units,
        tower_rms,
        np.array([p.towers.max_abs_error for p in pairs]),
        hinge_rms,
        np.array([p.hinges.max_abs_error for p in pairs]),
        *loglog_slope(units, tower_rms),
        *loglog_slope(units, hinge_rms),
    )
