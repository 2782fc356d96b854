"""Render-suite benchmark: real-time factor, CPU per video second, memory, against stock Manim.

Runs the real CLI (``relu-anim render ... --force``) into a temporary folder, then stock
``manim -q<l|h> --disable_caching`` on the same scene files one after another, and prints
wall and CPU seconds (of the process tree, from ``RUSAGE_CHILDREN``), the real-time factor
(wall / video seconds; <= 1 is faster than real time), CPU seconds per video second, the
peak memory of a worker (manifest ``peak_rss_mb``) and the ratio to stock Manim. The
machine is shared: the load average before and after is printed; compare ratios and CPU
seconds of one run, not wall seconds across runs.

    python bench/render.py --quality high --jobs 2              # every scene, plus stock
    python bench/render.py --quality low --scenes DepthFolding --no-stock

Where the time of a 1080p60 render goes (DepthFolding, 52.2 s of video, 3133 frames of
which 1795 are held frames of waits; cProfile on a dry run, which draws every frame and
encodes nothing, and the CPU seconds of full renders in one process; machine shared at a
load of 10-25, so CPU seconds carry about +-15 %):

- encoding (x264 and the RGBA -> yuv420p conversion, in Manim's encoder thread): two
  thirds with Manim's default settings (59 of 89 CPU s; peak 766 MB). A held frame costs
  the conversion (about 6 ms at 1080p: 2 ms to wrap the RGBA array, 4 ms to convert) and
  x264's look at a frame equal to the last (10-15 ms). Now the "fast" profile (veryfast,
  tune animation, crf 20, one thread; bench/encoder.py) and held frames converted once
  (segments.py): 57 CPU s in all (27 encoding), peak 482 MB.
- drawing (the main thread; the dry run: 30 CPU s, 190 MB): Cairo paths about half (building
  paths from Bezier points 63 of 116 profiled s, fill and stroke 17 s, collecting families
  20 s); deep copies when a Transform or a fade begins 15 %; building Text/SVG mobjects
  10 %; updaters and interpolation 15 %; clearing the background and copying each 8 MB
  frame 8 %.
- waiting: the main thread waits for the encoder at the end of every animation (Manim keeps
  one segment in flight) and while its frame queue is full; with two workers on two cores
  the CPU is the limit, not the waiting.

Not built: splitting one scene into ranges of its sections rendered by different workers.
With eight scenes on two workers the longest-first order already keeps both busy to the
end; a split would re-run every section before its range (Manim fast-forwards by
constructing, not drawing, but deep copies and Text construction are paid again) and must
rejoin audio, captions and the per-beat clips that the voice and slides work writes.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from relu_anim.batch.manifest import Manifest

STOCK_FLAG = {"low": "-ql", "medium": "-qm", "high": "-qh", "4k": "-qk"}


def children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], **kwargs) -> tuple[float, float]:
    """(wall, CPU) seconds of ``cmd`` and its children; exits on failure."""
    cpu, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    return wall, children_cpu() - cpu


def ours(out: Path, quality: str, jobs: int, scenes: list[str], extra: list[str]):
    """Our batch: (wall, CPU, video seconds, peak MB per worker, frames)."""
    which = scenes or ["--all"]
    cmd = [sys.executable, "-m", "relu_anim.cli", "render", *which, "--quality", quality]
    cmd += ["--jobs", str(jobs), "--out", str(out), "--force", "--voice", "none", *extra]
    wall, cpu = timed(cmd)
    entries = list(Manifest.load(out).scenes.values())
    video = sum(e.duration for e in entries)
    return wall, cpu, video, max(e.peak_rss_mb for e in entries), sum(e.frames for e in entries)


def stock(media: Path, quality: str, scenes: list[str]) -> tuple[float, float]:
    """Stock Manim on the same scene files, one after another: (wall, CPU)."""
    from relu_anim.lecture.registry import discover

    registry = discover()
    wall = cpu = 0.0
    for name in scenes or list(registry):
        source = sys.modules[registry[name].__module__].__file__
        cmd = [sys.executable, "-m", "manim", STOCK_FLAG[quality], "--disable_caching"]
        cmd += ["--media_dir", str(media), "--progress_bar", "none", source, name]
        w, c = timed(cmd, env={**os.environ, "RELU_ANIM_VOICE": "none"})
        wall, cpu = wall + w, cpu + c
    return wall, cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", default="high")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--scenes", nargs="*", default=[], help="default: every scene")
    ap.add_argument("--encoder", help="passed to relu-anim render --encoder")
    ap.add_argument("--no-stock", action="store_true", help="skip stock Manim")
    args = ap.parse_args()
    extra = ["--encoder", args.encoder] if args.encoder else []
    print(f"cpus {os.cpu_count()}, load average before: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="relu-bench-") as tmp:
        wall, cpu, video, peak, frames = ours(
            Path(tmp) / "out", args.quality, args.jobs, args.scenes, extra
        )
        print(
            f"relu-anim {args.quality} --jobs {args.jobs}: {video:.1f} s of video, {frames} "
            f"frames; wall {wall:.1f} s (real-time factor {wall / video:.2f}), CPU {cpu:.1f} s "
            f"({cpu / video:.2f} per video second; {cpu / video / args.jobs:.2f} on "
            f"{args.jobs} cores if alone), peak {peak:.0f} MB per worker"
        )
        if not args.no_stock:
            s_wall, s_cpu = stock(Path(tmp) / "stock", args.quality, args.scenes)
            print(
                f"stock manim {STOCK_FLAG[args.quality]}, one after another: wall {s_wall:.1f} s"
                f", CPU {s_cpu:.1f} s; relu-anim / stock: wall {wall / s_wall:.2f}, "
                f"CPU {cpu / s_cpu:.2f}"
            )
    print("splitting scenes: not built (see the docstring)")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
