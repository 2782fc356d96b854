"""Timing benchmark for joining rendered scenes into the lecture video (a script, not a test).

Why it exists: ``relu-anim lecture`` joins every time a scene changes, so the join itself (no
rendering) should stay a small fraction of a render. The picture is copied packet by packet
and costs little; the sound is decoded and encoded again, and dominates when scenes are
narrated.

It copies the rendered scenes of OUT (a folder that ``relu-anim render`` or ``relu-anim
lecture`` filled; its manifest is read, nothing is rendered) into a temp folder, joins them
there ``--runs`` times with :func:`relu_anim.present.lecture.write_lecture`, and prints the
median wall and CPU seconds, the lecture's length and size, and the scenes' summed size.
Figures from the shared 2-core machine are in the README (the lecture video section).

Run with ``python bench/lecture.py OUT [--runs N] [--chapters scene|beat]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    from relu_anim.batch.manifest import Manifest
    from relu_anim.present.lecture import describe, write_lecture

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="a render folder with manifest.json")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--chapters", choices=("scene", "beat"), default="scene")
    args = ap.parse_args()
    entries = sorted(Manifest.load(args.out).scenes.values(), key=lambda e: (e.order, e.scene))
    if not entries:
        sys.exit(f"no rendered scenes in {args.out}")
    with tempfile.TemporaryDirectory(prefix="bench-lecture-") as tmp:
        for e in entries:
            for rel in (e.path, e.captions):
                if rel:
                    (Path(tmp) / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy(args.out / rel, Path(tmp) / rel)
        dest = Path(tmp) / entries[0].quality / f"lecture.{entries[0].format}"
        wall, cpu = [], []
        for _ in range(args.runs):
            t, c = time.perf_counter(), time.process_time()
            record = write_lecture(Path(tmp), entries, dest, args.chapters, "bench")
            wall.append(time.perf_counter() - t)
            cpu.append(time.process_time() - c)
        print(describe(record, dest))
    print(
        f"join: median {statistics.median(wall):.2f} s wall, {statistics.median(cpu):.2f} CPU s "
        f"over {args.runs} runs; scenes {sum(e.bytes for e in entries) / 1e6:.2f} MB, "
        f"lecture {record['bytes'] / 1e6:.2f} MB"
    )


if __name__ == "__main__":
    main()
