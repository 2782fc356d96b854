"""Where the kinks go: the placements a lecture compares, each a :class:`HingeFit`.

``greedy``
    One kink at a time, each where it lowers the squared error most, all output weights
    refitted after each (:func:`relu_anim.core.hinges.fit_greedy`).
``uniform``
    The kinks are fixed in advance, evenly spaced: with ``n`` units the first sits at the
    domain's left end (with the output bias it gives every straight line) and the others
    split the domain into ``n`` equal pieces. Only the output weights and the bias are
    fitted, by least squares on the error grid. Step ``k`` of the record is the uniform fit
    with ``k`` units, so its errors against ``k`` compare with greedy's step by step. Its
    spans are not nested, so unlike greedy its RMS error is not sure to fall at every step.
``train``
    Gradient descent on every parameter from the greedy fit
    (:func:`relu_anim.core.hinges.fit_train`).
``minimax``
    The worst error rather than the squared one: each new kink splits the piece with the
    worst error, every kink then moves to even out the pieces' worst errors, and the output
    weights minimise the worst error (Lawson's reweighted least squares); one step per unit
    count, never worse than greedy's (:func:`relu_anim.core.minimax.fit_minimax`).

A new placement is one more entry in :data:`PLACEMENTS` and :data:`_FITTERS`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .expr import TargetFunction, parse_target
from .hinges import (
    FitStep,
    HingeFit,
    error_grid,
    fit_errors,
    fit_hinges,
    hinge_net,
    validate_fit_args,
)

PLACEMENTS = ("greedy", "uniform", "train", "minimax")


def uniform_knots(domain, units: int) -> np.ndarray:
    """``units`` kinks: the left end of ``domain``, then every ``1/units`` of its width."""
    a, b = float(domain[0]), float(domain[1])
    return a + (b - a) * np.arange(units) / units


def least_squares_hinges(
    knots: np.ndarray, xs: np.ndarray, y: np.ndarray
) -> tuple[np.ndarray, float]:
    """Output weights and bias of ``bias + sum_i coef_i relu(x - knots_i)`` closest to ``y``."""
    design = np.column_stack([np.ones_like(xs)] + [np.maximum(xs - k, 0.0) for k in knots])
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    return solution[1:], float(solution[0])


def fit_uniform(target: TargetFunction, domain, units: int) -> HingeFit:
    """Evenly spaced kinks, output weights by least squares; one step per unit count."""
    xs = error_grid(domain)
    y = target(xs)
    steps = []
    for k in range(1, units + 1):
        knots = uniform_knots(domain, k)
        coef, bias = least_squares_hinges(knots, xs, y)
        net = hinge_net(knots, coef, bias)
        steps.append(FitStep(k, net, *fit_errors(net, target, domain), knot=float(knots[-1])))
    net = steps[-1].net
    mx, rms = fit_errors(net, target, domain)
    return HingeFit(target.source, domain, units, "uniform", net, mx, rms, steps)


# placement -> fit(target, domain, units, seed)
_FITTERS: dict[str, Callable[[TargetFunction, tuple[float, float], int, int], HingeFit]] = {
    "greedy": lambda fn, domain, units, seed: fit_hinges(fn, domain, units, "greedy"),
    "uniform": lambda fn, domain, units, seed: fit_uniform(fn, domain, units),
    "train": lambda fn, domain, units, seed: fit_hinges(fn, domain, units, "train", seed),
    "minimax": lambda fn, domain, units, seed: fit_hinges(fn, domain, units, "minimax"),
}


def fit_placement(
    target: str | TargetFunction, domain, units: int, placement: str = "greedy", seed: int = 0
) -> HingeFit:
    """Fit ``units`` hinges to ``target`` with the kinks placed by ``placement``."""
    if placement not in _FITTERS:
        raise ValueError(f"placement must be one of {', '.join(PLACEMENTS)}, got {placement!r}")
    domain = validate_fit_args(domain, units, "greedy")  # the domain and units checks
    fn = target if isinstance(target, TargetFunction) else parse_target(target, domain)
    fn.check_finite(domain)
    return _FITTERS[placement](fn, domain, int(units), seed)
