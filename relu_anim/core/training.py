"""Training from a random start: a one-hidden-layer ReLU net fitted by full-batch Adam.

Not the greedy construction of :mod:`.hinges` (which places every kink on purpose), but
what a real network does: seeded random weights, then plain gradient descent (Adam) on the
mean squared error, with the gradients of the core's one backward pass
(:func:`.hinges.mse_and_grads`). Snapshots are recorded at chosen steps (denser early, when
the kinks move most), each with the weights and the loss of those weights, so every
recorded loss can be recomputed from its snapshot.

Each hidden unit ``relu(w x + b)`` is, on the domain ``[a, b]``, in one of three states
(:func:`unit_states`), judged on the training grid:

``KINKED``  its gate is open on some inputs and closed on others: a kink inside the
            domain, where it bends the sum;
``OPEN``    open on every input: it adds a straight line, no bend (its kink is outside);
``OFF``     closed on every input: it outputs 0 everywhere, contributes nothing, and its
            gradient is exactly 0 (every ``relu'`` it passes is 0), so gradient descent
            never brings it back: a dead unit.

A unit *dies* when it is kinked at the start and not at the end (its kink left the domain,
or its gate shut); it is *born useful* when it is not kinked at the start and is at the end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .backprop import packed
from .expr import TargetFunction, parse_target
from .hinges import fit_errors, mse_and_grads, validate_fit_args
from .network import ReluNet
from .optim import Adam

OFF, OPEN, KINKED = 0, 1, 2
STATE_NAMES = {OFF: "off", OPEN: "open", KINKED: "kinked"}
TRAIN_POINTS = 201
KINK_SPREAD = 0.25  # initial kinks drawn uniformly on the domain widened by this fraction a side


@dataclass(frozen=True)
class Snapshot:
    """The net after ``step`` Adam updates and its loss (MSE on the training grid)."""

    step: int
    net: ReluNet
    loss: float

    def to_dict(self) -> dict:
        return {"step": self.step, "loss": self.loss, **self.net.to_dict()}


@dataclass(frozen=True)
class TrainingRun:
    target: TargetFunction
    domain: tuple[float, float]
    xs: np.ndarray  # the training grid
    y: np.ndarray  # the target on it
    snapshots: tuple[Snapshot, ...]
    states: np.ndarray  # (snapshots, units): OFF / OPEN / KINKED of every unit at every snapshot

    @property
    def first(self) -> Snapshot:
        return self.snapshots[0]

    @property
    def last(self) -> Snapshot:
        return self.snapshots[-1]

    @property
    def steps(self) -> np.ndarray:
        return np.array([s.step for s in self.snapshots])

    @property
    def losses(self) -> np.ndarray:
        return np.array([s.loss for s in self.snapshots])

    @property
    def reduction(self) -> float:
        """Initial loss over final loss."""
        return self.first.loss / self.last.loss

    def to_dict(self) -> dict:
        """The ``relu-anim fit --method train --init random --json`` object: the fit contract
        (the final net, its errors on the 2001-point grid) plus ``init``, ``train_points``,
        the unit counts, and ``steps``, each snapshot with its weights and its loss (the MSE
        over ``train_points`` evenly spaced points of the domain, ends included)."""
        mx, rms = fit_errors(self.last.net, self.target, self.domain)
        return {
            "target": self.target.source,
            "domain": list(self.domain),
            "units": int(self.states.shape[1]),
            "method": "train",
            "init": "random",
            **self.last.net.to_dict(),
            "max_abs_error": mx,
            "rms_error": rms,
            "train_points": len(self.xs),
            "initial_loss": self.first.loss,
            "final_loss": self.last.loss,
            "start_states": self.counts(0),
            "end_states": self.counts(),
            "died": self.died.tolist(),
            "born": self.born.tolist(),
            "steps": [s.to_dict() for s in self.snapshots],
        }

    def table(self) -> str:
        """The same, as text: the loss at each snapshot and the units' states."""
        lines = [
            f"target  {self.target.source}   on [{self.domain[0]:g}, {self.domain[1]:g}]",
            f"train from a random start, {self.states.shape[1]} units, {len(self.xs)}-point grid",
            "",
            "   step        loss   off  open  kinked",
        ]
        for i, s in enumerate(self.snapshots):
            c = self.counts(i)
            lines.append(
                f"  {s.step:5d}  {s.loss:10.3e}  {c['off']:4d}  {c['open']:4d}  {c['kinked']:6d}"
            )
        lines.append(f"died {self.died.tolist()}   born useful {self.born.tolist()}")
        return "\n".join(lines)

    @property
    def off_throughout(self) -> np.ndarray:
        """Units off on every input at every snapshot (dead from the start)."""
        return np.flatnonzero(np.all(self.states == OFF, axis=0))

    def weight_change(self, units) -> float:
        """The largest change of any of ``w, b, v`` of ``units`` from the first snapshot to the
        last (0.0 for no units)."""
        a, b = self.first.net, self.last.net
        u = np.asarray(units, dtype=int)
        if u.size == 0:
            return 0.0
        d = [a.W1[u, 0] - b.W1[u, 0], a.b1[u] - b.b1[u], a.W2[0, u] - b.W2[0, u]]
        return float(np.max(np.abs(np.concatenate(d))))

    def counts(self, i: int = -1) -> dict[str, int]:
        """How many units are off, open, kinked at snapshot ``i``."""
        return {STATE_NAMES[s]: int(np.sum(self.states[i] == s)) for s in (OFF, OPEN, KINKED)}

    @property
    def died(self) -> np.ndarray:
        """Units kinked at the start and not at the end."""
        return np.flatnonzero((self.states[0] == KINKED) & (self.states[-1] != KINKED))

    @property
    def born(self) -> np.ndarray:
        """Units not kinked at the start and kinked at the end (born useful)."""
        return np.flatnonzero((self.states[0] != KINKED) & (self.states[-1] == KINKED))


def random_net(units: int, domain, seed: int) -> ReluNet:
    """Seeded random start: input weights ``w ~ N(0, 1)``, kinks ``-b/w`` uniform on the
    domain widened by KINK_SPREAD on each side (so some start outside it), output weights
    ``N(0, 1/units)``, output bias 0."""
    a, b = domain
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 1.0, units)
    pad = KINK_SPREAD * (b - a)
    kinks = rng.uniform(a - pad, b + pad, units)
    v = rng.normal(0.0, 1.0 / np.sqrt(units), units)
    return ReluNet.one_hidden(w[:, None], -w * kinks, v[None, :], [0.0])


def unit_states(net: ReluNet, xs: np.ndarray) -> np.ndarray:
    """OFF, OPEN or KINKED for every hidden unit of a one-hidden-layer net, judged on ``xs``
    (a unit is open at x when ``w x + b > 0``, as in the backward pass)."""
    gates = net.W1[:, 0][None, :] * np.asarray(xs, float)[:, None] + net.b1[None, :] > 0
    return np.where(gates.all(axis=0), OPEN, np.where(gates.any(axis=0), KINKED, OFF))


def mse(net: ReluNet, xs: np.ndarray, y: np.ndarray) -> float:
    r = net(xs) - y
    return float(np.mean(r * r))


def snapshot_steps(steps: int, count: int) -> np.ndarray:
    """``count`` distinct steps from 0 to ``steps``, spaced geometrically (dense early, when
    the loss falls fastest), always including 0 and ``steps``."""
    if count < 2 or steps < 1:
        raise ValueError("need at least 2 snapshots and 1 step")
    count = min(count, steps + 1)
    k = np.unique(np.round(np.geomspace(1, steps + 1, count)).astype(int) - 1)
    while len(k) < count:  # rounding merged some early steps: fill the first gaps
        gap = np.flatnonzero(np.diff(k) > 1)[0]
        k = np.sort(np.append(k, k[gap] + 1))
    return k


def train_from_random(
    target: str | TargetFunction,
    domain=(-3.0, 3.0),
    units: int = 12,
    seed: int = 0,
    steps: int = 3000,
    snapshots: int = 40,
    lr: float = 0.01,
    points: int = TRAIN_POINTS,
) -> TrainingRun:
    """Full-batch Adam from :func:`random_net` on ``points`` grid points; raises ValueError
    on bad input. ``lr`` is scaled by the domain's half-width (knots move in x units)."""
    domain = validate_fit_args(domain, units, "train")
    if not 1 <= steps <= 100_000:
        raise ValueError(f"steps must be from 1 to 100000, got {steps}")
    if not 2 <= snapshots <= 100_001:
        raise ValueError(f"snapshots must be from 2 to 100001, got {snapshots}")
    fn = target if isinstance(target, TargetFunction) else parse_target(target, domain)
    xs = np.linspace(domain[0], domain[1], points)
    y = fn(xs)
    theta, net = packed(random_net(int(units), domain, seed))
    opt = Adam([theta], lr=lr * 0.5 * (domain[1] - domain[0]) / 3.0)
    record = set(snapshot_steps(steps, snapshots).tolist())
    shots = []
    for t in range(steps + 1):
        loss, grads = mse_and_grads(net, xs, y)  # the loss of the weights after t updates
        if t in record:
            shots.append(Snapshot(t, net.copy(), loss))
        if t < steps:
            opt.step([grads.flat()])
    states = np.array([unit_states(s.net, xs) for s in shots])
    return TrainingRun(fn, domain, xs, y, tuple(shots), states)
