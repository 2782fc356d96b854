"""Why stacked linear layers collapse into one matrix, and why ReLU between them does not.

Any chain of affine maps ``x -> W x + b`` is itself one affine map (:func:`compose`). With
ReLU between the layers the map folds the plane, and a witness pair ``p, q`` shows it: the
image of the midpoint is not the midpoint of the images (:func:`relu_witness`).

Layers are drawn with "nice" numbers (multiples of 0.1) so a scene can print them, and are
rejected until every intermediate picture of the square ``[-3, 3]^2`` stays inside a
*window*: the half-width and half-height ``(wx, wy)`` of the box ``|x| <= wx, |y| <= wy``
the caller will draw in. The window is the caller's (a scene's plane, a figure's axes);
the core only tests points against it (:func:`inside`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_LAYERS = 6
BOX = 3.0
MIN_ABS_DET = 0.4
MAX_COND = 4.0
MIN_WITNESS_GAP = 0.3
_CHECK_GRID = 31  # points per side of the grid used to check that stages stay in the window
_MAX_DRAWS = 1000  # whole sets drawn before giving up (the default window: at most 17,
# for every k and seeds 0-199)
_WITNESS_GRID = 13  # candidate points per side for the witness search (step 0.5 on [-3, 3])


@dataclass(frozen=True)
class AffineLayer:
    """One layer ``x -> W x + b`` of the plane; ``W`` (2, 2), ``b`` (2,)."""

    W: np.ndarray
    b: np.ndarray

    def apply(self, points: np.ndarray) -> np.ndarray:
        """Map points (n, 2) to (n, 2)."""
        return np.asarray(points, dtype=float) @ self.W.T + self.b


@dataclass(frozen=True)
class Witness:
    """A pair showing the ReLU stack is not affine: ``gap = |f(mid) - (f(p) + f(q)) / 2|``."""

    p: np.ndarray
    q: np.ndarray
    midpoint: np.ndarray
    f_p: np.ndarray
    f_q: np.ndarray
    f_mid: np.ndarray
    gap: float


def compose(layers: list[AffineLayer]) -> AffineLayer:
    """The single affine map equal to ``layers[0]`` first, then ``layers[1]``, ..."""
    W = np.eye(2)
    b = np.zeros(2)
    for layer in layers:
        W = layer.W @ W
        b = layer.W @ b + layer.b
    return AffineLayer(W, b)


def apply_layers(layers: list[AffineLayer], points: np.ndarray, relu_between: bool) -> np.ndarray:
    """Apply the layers in order; with ``relu_between``, ReLU after every layer but the last."""
    return stages(layers, points, relu_between)[-1][1]


def stages(
    layers: list[AffineLayer], points: np.ndarray, relu_between: bool
) -> list[tuple[str, np.ndarray]]:
    """Every intermediate picture, labelled ``input, W1, relu, W2, ...``, for scenes to morph."""
    h = np.asarray(points, dtype=float).reshape(-1, 2)
    out = [("input", h)]
    for i, layer in enumerate(layers):
        h = layer.apply(h)
        out.append((f"W{i + 1}", h))
        if relu_between and i < len(layers) - 1:
            h = np.maximum(h, 0.0)
            out.append(("relu", h))
    return out


def square_grid(box: float, n: int) -> np.ndarray:
    """The ``n x n`` grid of points on the square ``[-box, box]^2`` (n^2, 2)."""
    t = np.linspace(-box, box, n)
    xx, yy = np.meshgrid(t, t)
    return np.column_stack([xx.ravel(), yy.ravel()])


def inside(points: np.ndarray, window: tuple[float, float], slack: float = 1e-9) -> np.ndarray:
    """Which points (..., 2) lie in the window ``|x| <= wx, |y| <= wy`` (bool (...,))."""
    wx, wy = window
    return (np.abs(points[..., 0]) <= wx + slack) & (np.abs(points[..., 1]) <= wy + slack)


def extent(points: np.ndarray) -> np.ndarray:
    """``(max |x|, max |y|)`` of points (..., 2): the smallest window that holds them all,
    e.g. to scale a view to a picture that has folded into a corner."""
    return np.max(np.abs(np.asarray(points, dtype=float).reshape(-1, 2)), axis=0)


def relu_witness(
    layers: list[AffineLayer],
    box: float = BOX,
    *,
    window: tuple[float, float] | None,
) -> Witness:
    """The grid pair on ``[-box, box]^2`` with the largest midpoint gap under the ReLU map.

    Pairs whose three images all lie in ``window`` are preferred, so the caller can show
    them (``window=None``: no preference, the largest gap anywhere). Raises ValueError
    when the map is affine on the box (every gap below 1e-9).
    """
    pts = square_grid(box, _WITNESS_GRID)
    i, j = np.triu_indices(len(pts), k=1)
    p, q = pts[i], pts[j]
    mid = (p + q) / 2
    f_pts = apply_layers(layers, pts, relu_between=True)
    f_p, f_q = f_pts[i], f_pts[j]
    f_mid = apply_layers(layers, mid, relu_between=True)
    gaps = np.linalg.norm(f_mid - (f_p + f_q) / 2, axis=1)
    if gaps.max() < 1e-9:
        raise ValueError("the ReLU stack is affine on this box: no midpoint gap")
    if window is None:
        k = int(np.argmax(gaps))
        return Witness(p[k], q[k], mid[k], f_p[k], f_q[k], f_mid[k], float(gaps[k]))
    visible = inside(f_p, window) & inside(f_q, window) & inside(f_mid, window)
    score = np.where(visible & (gaps >= 1e-9), gaps, -1.0)
    k = int(np.argmax(score)) if score.max() > 0 else int(np.argmax(gaps))
    return Witness(p[k], q[k], mid[k], f_p[k], f_q[k], f_mid[k], float(gaps[k]))


def _nice_layer(rng: np.random.Generator) -> AffineLayer:
    """A well-conditioned layer with entries that are multiples of 0.1."""
    while True:
        W = rng.integers(-15, 16, size=(2, 2)) / 10.0
        det = abs(np.linalg.det(W))
        if det >= MIN_ABS_DET and np.linalg.cond(W) <= MAX_COND:
            return AffineLayer(W, rng.integers(-10, 11, size=2) / 10.0)


def random_layers(k: int, seed: int, window: tuple[float, float]) -> list[AffineLayer]:
    """``k`` seeded nice layers whose stages (with and without ReLU) of the square
    ``[-BOX, BOX]^2`` all stay inside ``window`` (half-width, half-height).

    Layers are drawn one at a time and redrawn until the picture so far fits; the whole set
    is redrawn if the ReLU version is too close to affine (witness gap below 0.3). Raises
    ValueError for a window the input square itself does not fit in.
    """
    if not 1 <= k <= MAX_LAYERS:
        raise ValueError(f"layers must be between 1 and {MAX_LAYERS}, got {k}")
    if min(window) < BOX:
        raise ValueError(
            f"window {tuple(window)} does not hold the input square [-{BOX:g}, {BOX:g}]^2"
        )
    rng = np.random.default_rng(seed)
    grid = square_grid(BOX, _CHECK_GRID)
    for _ in range(_MAX_DRAWS):
        layers = _draw_fitting(rng, k, grid, window)
        if layers is None:
            continue
        if k == 1 or _witness_gap(layers, window) >= MIN_WITNESS_GAP:
            return layers
    raise ValueError(f"found no {k} layers whose stages stay inside the window {tuple(window)}")


def _witness_gap(layers: list[AffineLayer], window: tuple[float, float]) -> float:
    try:
        return relu_witness(layers, window=window).gap
    except ValueError:  # ReLU flattened the whole box onto an affine piece
        return 0.0


def _draw_fitting(
    rng: np.random.Generator,
    k: int,
    grid: np.ndarray,
    window: tuple[float, float],
    tries: int = 400,
) -> list[AffineLayer] | None:
    layers: list[AffineLayer] = []
    plain, folded = grid, grid
    for i in range(k):
        for _ in range(tries):
            layer = _nice_layer(rng)
            new_plain = layer.apply(plain)
            new_folded = layer.apply(folded)
            if inside(new_plain, window).all() and inside(new_folded, window).all():
                break
        else:
            return None
        layers.append(layer)
        plain = new_plain
        folded = np.maximum(new_folded, 0.0) if i < k - 1 else new_folded
    return layers


def collapse_report(k: int, seed: int, window: tuple[float, float]) -> dict:
    """The ``relu-anim collapse --json`` object (plain lists and floats): the layers
    ``random_layers(k, seed, window)`` and the witness preferring that window.

    With a single layer there is no ReLU between layers, so ``relu_witness`` is ``None``.
    """
    layers = random_layers(k, seed, window)
    total = compose(layers)
    witness = None
    if k > 1:
        w = relu_witness(layers, window=window)
        witness = {"p": w.p.tolist(), "q": w.q.tolist(), "midpoint_gap": w.gap}
    return {
        "layers": [{"W": layer.W.tolist(), "b": layer.b.tolist()} for layer in layers],
        "W": total.W.tolist(),
        "b": total.b.tolist(),
        "relu_witness": witness,
    }
