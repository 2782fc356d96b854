"""What ReLU's zeros do: nothing is lost by pairs, and a threshold drops noise on purpose.

Two answers to the thread's "why discard half the input? It seems wasteful":

* **Nothing is lost by pairs.** ``relu(z) - relu(-z) = z`` (:func:`pair_sum`), so two units
  with opposite weights carry the whole signal. More generally a layer ``h = relu(W x + b)``
  can be inverted at ``x`` from ``h`` alone whenever the rows of ``W`` of the *open* units
  (``h_i > 0``) span the input: then ``W_O x = h_O - b_O`` has one solution, found by least
  squares (:func:`recover`). For a 2-D input, :func:`recovery_map` marks a uniform grid over
  ``[-box, box]^2`` recoverable or lost; :func:`recovery_regions` does it exactly on the
  layer's linear regions (one pattern of open units each). Adding units to a layer only
  adds open rows, so the recoverable set never shrinks.
* **What is dropped on purpose.** A signal plus noise through ``relu(x - threshold)``
  (:func:`noise_gate`): noise below the threshold becomes exact zeros, strong signal passes
  shifted by the threshold. The share of zeros and the signal-to-noise ratio before and
  after say how much was kept: a "smart zip" that keeps what matters and drops the rest.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .activations import relu
from .network import ReluNet
from .regions import Region, linear_regions

BOX = 2.0  # the input square shown: [-BOX, BOX]^2
GRID = 201  # grid points a side for recoverable_fraction (a point every 0.02 at BOX = 2)
MAX_HIDDEN = 16  # every layer is the first H rows of one seeded layer of this many units
# Open rows count as spanning the plane when sigma_min / sigma_max > RANK_TOL. Least
# squares then solves to about cond * eps * |x| <= 1e6 * 2.2e-16 * 2.9 ~ 6e-10 (|x| <=
# 2 sqrt 2 in the box), which keeps the recovery error under 1e-9 wherever rows count.
RANK_TOL = 1e-6

# the noise gate's signal: a few bumps on a quiet line
SAMPLES = 240
BUMPS = 4
BUMP_WIDTH = 0.012  # standard deviation of a bump, as a share of the time axis


def pair_sum(z):
    """``relu(z) - relu(-z)``: the two halves of a pair of opposite units, put back together.

    Exactly ``z`` for every float: one of the two terms is 0 and the other is ``|z|``,
    each computed without rounding (``max`` and negation are exact)."""
    z = np.asarray(z, dtype=float)
    return relu(z) - relu(-z)


# -- recovering the input from a layer's outputs ---------------------------------------------
@dataclass(frozen=True)
class Layer:
    """One ReLU layer ``h = relu(W x + b)`` on 2-D inputs: ``W`` (H, 2), ``b`` (H,)."""

    W: np.ndarray
    b: np.ndarray

    @property
    def units(self) -> int:
        return int(self.W.shape[0])

    def __call__(self, x) -> np.ndarray:
        """The layer's outputs for inputs ``x`` (n, 2): (n, H)."""
        return relu(np.atleast_2d(np.asarray(x, dtype=float)) @ self.W.T + self.b)

    def first(self, units: int) -> Layer:
        """The same layer with only its first ``units`` units."""
        return Layer(self.W[:units], self.b[:units])

    def as_net(self) -> ReluNet:
        """The layer as a ReluNet (one summing output unit), for its linear regions."""
        return ReluNet((self.W, np.ones((1, self.units))), (self.b, np.zeros(1)))

    def to_dict(self) -> dict:
        return {"W": self.W.tolist(), "b": self.b.tolist()}


def random_layer(hidden: int, seed: int, box: float = BOX) -> Layer:
    """A seeded layer of ``hidden`` units: unit directions at uniform angles, each switching
    line through a uniform point of the middle of the box. The first ``h`` units are the same
    for every ``hidden >= h`` (units are *added* to one layer as ``hidden`` grows)."""
    if not 1 <= hidden <= MAX_HIDDEN:
        raise ValueError(f"hidden must be from 1 to {MAX_HIDDEN}, got {hidden}")
    if not box > 0:
        raise ValueError(f"box must be positive, got {box}")
    rng = np.random.default_rng(seed)
    angles = rng.uniform(0, 2 * np.pi, size=MAX_HIDDEN)
    through = rng.uniform(-0.6 * box, 0.6 * box, size=(MAX_HIDDEN, 2))
    W = np.column_stack([np.cos(angles), np.sin(angles)])
    b = -np.einsum("ij,ij->i", W, through)
    return Layer(W[:hidden], b[:hidden])


def spans_plane(rows: np.ndarray) -> bool:
    """Do ``rows`` (k, 2) span the plane, numerically (see ``RANK_TOL``)?"""
    if rows.shape[0] < 2:
        return False
    s = np.linalg.svd(rows, compute_uv=False)
    return bool(s[-1] > RANK_TOL * s[0])


def recover(layer: Layer, h: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Inputs back from outputs ``h`` (n, H) alone: ``(x_hat (n, 2), recoverable (n,))``.

    The open units (``h_i > 0``) say ``W_O x = h_O - b_O``; when their rows span the plane
    that has one solution, found by least squares. Elsewhere ``x_hat`` is nan."""
    h = np.atleast_2d(np.asarray(h, dtype=float))
    open_ = h > 0
    x_hat = np.full((h.shape[0], 2), np.nan)
    ok = np.zeros(h.shape[0], dtype=bool)
    patterns, which = np.unique(open_, axis=0, return_inverse=True)
    for k, pat in enumerate(patterns):
        rows = layer.W[pat]
        if not spans_plane(rows):
            continue
        idx = np.flatnonzero(which.ravel() == k)
        rhs = (h[idx][:, pat] - layer.b[pat]).T  # (open, n_k)
        x_hat[idx] = np.linalg.lstsq(rows, rhs, rcond=None)[0].T
        ok[idx] = True
    return x_hat, ok


def grid(box: float = BOX, n: int = GRID) -> np.ndarray:
    """A uniform ``n x n`` grid over ``[-box, box]^2``, corners included: (n*n, 2)."""
    xs = np.linspace(-box, box, n)
    gx, gy = np.meshgrid(xs, xs)
    return np.column_stack([gx.ravel(), gy.ravel()])


@dataclass(frozen=True)
class RecoveryMap:
    """Which grid points the layer's outputs determine, and how well they come back."""

    points: np.ndarray  # (n, 2)
    recoverable: np.ndarray  # (n,) bool
    recovered: np.ndarray  # (n, 2), nan where lost

    @property
    def fraction(self) -> float:
        return float(np.mean(self.recoverable))

    @property
    def max_error(self) -> float:
        """Largest ``|x_hat - x|`` over the recoverable points (0 when there are none)."""
        if not self.recoverable.any():
            return 0.0
        d = self.recovered[self.recoverable] - self.points[self.recoverable]
        return float(np.max(np.hypot(d[:, 0], d[:, 1])))


def recovery_map(layer: Layer, box: float = BOX, n: int = GRID) -> RecoveryMap:
    """Push a grid through the layer and recover it from the outputs alone."""
    points = grid(box, n)
    x_hat, ok = recover(layer, layer(points))
    return RecoveryMap(points, ok, x_hat)


def recovery_regions(layer: Layer, box: float = BOX) -> list[tuple[Region, bool]]:
    """The layer's exact linear regions in the box, each with whether its open rows span the
    plane (then every input in it can be recovered)."""
    regions = linear_regions(layer.as_net(), box)
    return [(r, spans_plane(layer.W[np.asarray(r.pattern, dtype=bool)])) for r in regions]


def recoverable_area(layer: Layer, box: float = BOX) -> float:
    """The exact share of the box's area where the input can be recovered."""
    total = sum(r.area for r, ok in recovery_regions(layer, box) if ok)
    return float(total / (2 * box) ** 2)


# -- the noise gate ----------------------------------------------------------------------------
def snr_db(signal: np.ndarray, noise: np.ndarray) -> float:
    """``10 log10(sum signal^2 / sum noise^2)``; inf when there is no noise at all."""
    p_noise = float(np.sum(np.square(noise)))
    p_signal = float(np.sum(np.square(signal)))
    if p_noise == 0.0:
        return float("inf")
    if p_signal == 0.0:
        return float("-inf")
    return float(10.0 * np.log10(p_signal / p_noise))


def noisy_signal(
    seed: int, noise: float = 0.1, samples: int = SAMPLES
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(t, s, x)``: a few positive bumps ``s`` on a quiet line over ``t`` in [0, 1], and
    ``x = s + n`` with Gaussian noise ``n`` of standard deviation ``noise``."""
    if samples < 10:
        raise ValueError("need at least 10 samples")
    if not noise >= 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 1.0, samples)
    centres = (np.arange(BUMPS) + rng.uniform(0.3, 0.7, size=BUMPS)) / BUMPS
    heights = rng.uniform(0.6, 1.0, size=BUMPS)
    s = np.sum(heights[:, None] * np.exp(-0.5 * ((t - centres[:, None]) / BUMP_WIDTH) ** 2), 0)
    return t, s, s + noise * rng.standard_normal(samples)


@dataclass(frozen=True)
class NoiseGate:
    """``y = relu(x - threshold)`` on ``x = signal + noise``.

    The output's own clean part is ``relu(signal - threshold)`` (what the gate passes of the
    signal alone); the output's noise is ``y`` minus that. ``snr_in_db`` compares the signal
    with the input noise, ``snr_out_db`` the clean part with the output noise."""

    t: np.ndarray
    signal: np.ndarray
    noisy: np.ndarray
    threshold: float
    output: np.ndarray
    clean_output: np.ndarray

    @property
    def zeros(self) -> int:
        return int(np.count_nonzero(self.output == 0.0))

    @property
    def kept(self) -> int:
        """Outputs that are not zero: the (position, value) pairs a code must store."""
        return int(self.output.size - self.zeros)

    @property
    def sparsity(self) -> float:
        """The share of outputs that are exactly zero."""
        return self.zeros / self.output.size

    @property
    def snr_in_db(self) -> float:
        return snr_db(self.signal, self.noisy - self.signal)

    @property
    def snr_out_db(self) -> float:
        return snr_db(self.clean_output, self.output - self.clean_output)

    def to_dict(self) -> dict:
        return {
            "threshold": self.threshold,
            "sparsity": self.sparsity,
            "snr_in_db": self.snr_in_db,
            "snr_out_db": self.snr_out_db,
        }


def noise_gate(signal, noisy, threshold: float) -> NoiseGate:
    """Gate ``noisy`` with one unit of bias ``-threshold``; ``signal`` is the clean input."""
    signal, noisy = np.asarray(signal, dtype=float), np.asarray(noisy, dtype=float)
    if signal.shape != noisy.shape:
        raise ValueError("signal and noisy input must have the same shape")
    if not threshold >= 0:
        raise ValueError(f"threshold must be >= 0, got {threshold}")
    t = np.linspace(0.0, 1.0, signal.size)
    return NoiseGate(
        t=t,
        signal=signal,
        noisy=noisy,
        threshold=float(threshold),
        output=relu(noisy - threshold),
        clean_output=relu(signal - threshold),
    )


def zeros_report(hidden: int, seed: int, noise: float = 0.1, threshold: float = 0.3) -> dict:
    """The ``relu-anim zeros --json`` object (plain lists and numbers)."""
    layer = random_layer(hidden, seed)
    rec = recovery_map(layer)
    _, s, x = noisy_signal(seed, noise)
    gate = noise_gate(s, x, threshold)
    return {
        "hidden": hidden,
        "seed": seed,
        **layer.to_dict(),
        "box": BOX,
        "grid": GRID,
        "recoverable_fraction": rec.fraction,
        "max_reconstruction_error": rec.max_error,
        "noise": noise,
        **gate.to_dict(),
    }
