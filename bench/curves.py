"""Per-frame cost of the hinge scene's curve update against the naive redraw, one run.

The scene morphs the running sum from one fitted net to the next with a Transform between
two polylines (numpy arrays interpolated per frame). The naive form rebuilds the curve every
frame: ``always_redraw(lambda: axes.plot(f_t, x_range=[a, b, step]))``. Both are timed at the
same sample count; the ratio is what to compare (machines are shared and noisy).

    python bench/curves.py [--frames 120] [--samples 13 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

import numpy as np
from manim import Transform, always_redraw

from relu_anim.core.hinges import fit_hinges
from relu_anim.theme import get_theme
from relu_anim.visuals.curves import PolylineGraph, function_axes


def per_frame(update, frames: int) -> float:
    times = []
    for i in range(frames):
        t0 = time.perf_counter()
        update(i / (frames - 1))
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def measure(axes, net0, net1, xs, domain, frames: int) -> tuple[float, float]:
    """Median seconds per frame: (polyline Transform, always_redraw of axes.plot)."""
    graph = PolylineGraph(axes, xs, net0(xs), color="#E69F00")
    morph = Transform(graph, PolylineGraph(axes, xs, net1(xs), color="#E69F00"))
    morph.begin()
    fast = per_frame(morph.interpolate, frames)

    state = {"a": 0.0}
    step = (domain[1] - domain[0]) / (len(xs) - 1)

    def curve(x):
        a = state["a"]
        return float((1 - a) * net0(np.array([x]))[0] + a * net1(np.array([x]))[0])

    redraw = always_redraw(lambda: axes.plot(curve, x_range=[domain[0], domain[1], step]))

    def naive_update(alpha):
        state["a"] = alpha
        redraw.update(0)

    return fast, per_frame(naive_update, frames)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=120)
    ap.add_argument(
        "--samples",
        type=int,
        nargs="+",
        default=[0, 200],
        help="curve samples; 0 = the polyline's own vertex count (its kinks)",
    )
    args = ap.parse_args()
    domain = (-3.0, 3.0)
    fit = fit_hinges("sin(3*x) + 0.5*abs(x)", domain, 10)
    net0, net1 = fit.steps[-2].net, fit.steps[-1].net
    axes = function_axes(get_theme("dark"), domain, (-3, 3), 8, 4)
    print(f"{'samples':>8}  {'polyline ms':>11}  {'naive ms':>9}  ratio")
    for samples in args.samples:
        if samples:
            xs = np.union1d(np.linspace(*domain, samples - len(net1.kinks())), net1.kinks())
        else:
            xs = np.union1d([*domain], np.concatenate([net0.kinks(), net1.kinks()]))
            xs = xs[(xs >= domain[0]) & (xs <= domain[1])]
        n = len(xs)
        fast, naive = measure(axes, net0, net1, xs, domain, args.frames)
        print(f"{n:8d}  {fast * 1e3:11.3f}  {naive * 1e3:9.3f}  {naive / fast:5.1f}x")


if __name__ == "__main__":
    main()
