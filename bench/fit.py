"""Timing benchmark for ``relu_anim.core.hinges.fit_hinges`` (a script, not a test).

Why it exists: ``relu-anim fit`` and the hinge scenes call the fitter interactively and
while rendering, so it has to stay fast. The targets it is checked against:

* greedy fit with 32 units (knot exchange on): < 50 ms;
* ``method="train"``, 2000 Adam steps with 32 units: < 1 s;
* ``method="minimax"`` (Lawson's weights, kinks evened out, one fit per unit count) with
  32 units: < 1 s; with 10 units (the scene's default): < 0.3 s.

It prints, for 8, 10, 32 and 128 units, the median wall time (``time.perf_counter``) of
several runs (>= 5 for fast cases, >= 3 for slow ones) of greedy with exchange, greedy
without exchange, train with 2000 iterations and minimax, plus the max error of each fit
(minimax aims at that number; the others at the squared error); then the
classifier of the gates scene (``train_classifier``: 3000 Adam steps, xor, 4 hidden units),
which trains through the same backward pass (``relu_anim.core.backprop``) as ``train``.

Run with ``python bench/fit.py [TARGET] [--domain A B] [--runs N] [--units 8 32 128]
[--threads N]``. ``--threads N`` caps the BLAS thread pool (OPENBLAS/OMP/MKL_NUM_THREADS,
set before numpy is imported): the fits use small matrices, and on a busy machine a
multi-threaded OpenBLAS can be many times slower than a single thread.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
UNITS = (8, 10, 32, 128)
CASES = (
    ("greedy", {"method": "greedy", "exchange": True}),
    ("greedy (no exchange)", {"method": "greedy", "exchange": False}),
    ("train 2000 its", {"method": "train", "iterations": 2000}),
    ("minimax", {"method": "minimax"}),
)
SLOW_SECONDS = 0.5  # a case whose first run takes longer than this gets only 3 runs


def time_case(fit_hinges, target: str, domain, units: int, kwargs: dict, runs: int):
    first_start = time.perf_counter()
    fit = fit_hinges(target, domain, units, **kwargs)
    first = time.perf_counter() - first_start
    n = 3 if first > SLOW_SECONDS else max(runs, 5)
    times = [first]
    for _ in range(n - 1):
        start = time.perf_counter()
        fit_hinges(target, domain, units, **kwargs)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), fit.max_abs_error


def time_classifier(train_classifier, runs: int) -> tuple[float, int, float]:
    times, fit = [], None
    for _ in range(max(runs, 3)):
        start = time.perf_counter()
        fit = train_classifier("xor", hidden=4, seed=0)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(times), fit.accuracy


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", nargs="?", default="sin(3*x) + 0.5*abs(x)")
    parser.add_argument("--domain", nargs=2, type=float, default=(-3.0, 3.0), metavar=("A", "B"))
    parser.add_argument("--runs", type=int, default=5, help="runs for fast cases (>= 5)")
    parser.add_argument("--units", type=int, nargs="+", default=list(UNITS))
    parser.add_argument("--threads", type=int, help="cap the BLAS threads (default: as is)")
    args = parser.parse_args(argv)
    domain = tuple(args.domain)
    if args.threads:
        for var in THREAD_VARS:
            os.environ[var] = str(args.threads)
    # after the thread caps: numpy reads them when it is first imported
    from relu_anim.core.classify import train_classifier
    from relu_anim.core.hinges import fit_hinges

    threads = ", ".join(f"{v}={os.environ.get(v, 'unset')}" for v in THREAD_VARS)

    print(f"target: {args.target}   domain: [{domain[0]:g}, {domain[1]:g}]")
    print(
        f"python {platform.python_version()}   {platform.machine()}   "
        f"os.cpu_count() = {os.cpu_count()}"
    )
    print(f"load average: {' '.join(f'{v:.2f}' for v in os.getloadavg())}   {threads}")
    print()
    header = f"{'method':<22}{'units':>6}{'median ms':>12}{'runs':>6}{'max error':>12}"
    print(header)
    print("-" * len(header))
    for name, kwargs in CASES:
        for units in args.units:
            median, n, max_err = time_case(
                fit_hinges, args.target, domain, units, kwargs, args.runs
            )
            print(f"{name:<22}{units:>6}{median * 1e3:>12.1f}{n:>6}{max_err:>12.3e}")
    median, n, accuracy = time_classifier(train_classifier, args.runs)
    print(
        f"{'classifier xor/4':<22}{4:>6}{median * 1e3:>12.1f}{n:>6}{'acc ' + f'{accuracy:.3f}':>12}"
    )
    print()
    print(
        "targets: greedy 32 units < 50 ms; train 2000 steps with 32 units < 1000 ms; "
        "minimax 32 units < 1000 ms, 10 units < 300 ms"
    )


if __name__ == "__main__":
    main()
