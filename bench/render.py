"""Render-suite benchmark: wall time, real-time factor, parallel speedup, memory, no-op time.

Runs the real CLI (`relu-anim render --all --force`) into a temporary directory for each
quality and job count, then reads the manifest. Machines are shared and noisy: compare the
ratios from one run (jobs=2 vs jobs=1), not absolute seconds across runs.

    python bench/render.py                      # low and high, jobs 1 and 2
    python bench/render.py --quality low --jobs 1 2
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from relu_anim.batch.manifest import Manifest


def run(out: Path, quality: str, jobs: int, force: bool = True) -> float:
    cmd = [sys.executable, "-m", "relu_anim.cli", "render", "--all", "--quality", quality]
    cmd += ["--jobs", str(jobs), "--out", str(out)] + (["--force"] if force else [])
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"render failed:\n{proc.stdout}\n{proc.stderr}")
    return wall


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", nargs="+", default=["low", "high"])
    ap.add_argument("--jobs", nargs="+", type=int, default=[1, 2])
    ap.add_argument("--noop-runs", type=int, default=5)
    ap.add_argument("--keep", type=Path, help="render into KEEP/<quality>-j<jobs> and keep it")
    args = ap.parse_args()
    print(f"cpus: {os.cpu_count()}")
    header = "quality  jobs  wall s  video s  render s  RTF(wall)  RTF(sum)  peak MB/worker"
    print(header)
    results = {}
    for quality in args.quality:
        for jobs in args.jobs:
            with tempfile.TemporaryDirectory(prefix="relu-bench-") as tmp:
                out = args.keep / f"{quality}-j{jobs}" if args.keep else Path(tmp)
                wall = run(out, quality, jobs)
                scenes = Manifest.load(out).scenes.values()
                video = sum(e.duration for e in scenes)
                render_s = sum(e.render_seconds for e in scenes)
                peak = max(e.peak_rss_mb for e in scenes)
                results[(quality, jobs)] = wall
                print(
                    f"{quality:7s}  {jobs:4d}  {wall:6.1f}  {video:7.1f}  {render_s:8.1f}  "
                    f"{wall / video:9.2f}  {render_s / video:8.2f}  {peak:14.0f}"
                )
                if jobs == args.jobs[-1]:
                    noops = [run(out, quality, jobs, force=False) for _ in range(args.noop_runs)]
                    print(
                        f"         no-op re-render: median {statistics.median(noops):.2f} s "
                        f"(min {min(noops):.2f}, {len(noops)} runs)"
                    )
    for quality in args.quality:
        if (quality, 1) in results and (quality, 2) in results:
            print(
                f"speedup jobs=2 vs jobs=1 at {quality}: "
                f"{results[(quality, 1)] / results[(quality, 2)]:.2f}x"
            )


if __name__ == "__main__":
    main()
