"""Encoder settings benchmark: CPU time, file size and PSNR against the drawn frames.

Draws windows of one scene's frames (a dry run, nothing encoded) into a raw file, then
encodes the same frames with each candidate x264 setting, one encoder thread, timing the
whole path a render pays per frame (RGBA -> yuv420p conversion and encoding), and decodes
the result to compare it with the drawn frames (PSNR over all pixels, RGB). The
``lossless`` row (qp 0) is the ceiling: what yuv420p alone loses against RGB.

    python bench/encoder.py                       # HingeStacking, 1080p60, 3 windows of 100
    python bench/encoder.py --scene GatesAsIfs --windows 8 30 52 --frames 120

Figures (HingeStacking at 1080p60, 300 frames in 3 windows, 130 of them held; one x264
thread; machine shared with a load of about 20, so CPU figures carry +-15 %):

    setting                       ms/frame   kB  PSNR dB
    manim (medium, crf 23)            21.9   191   41.17
    veryfast animation crf 20         16.5   200   41.16   <- profile "fast"
    veryfast animation crf 23         18.0   163   40.49
    veryfast crf 23 (no tune)         15.8   151   39.97
    faster animation crf 23           24.2   181   41.09
    superfast animation crf 23        14.6   318   41.72
    ultrafast crf 23                  11.1   767   42.09
    lossless (ultrafast, qp 0)        13.6  3791   42.49   (the yuv420p ceiling)

"fast" matches Manim's default in PSNR and size for about a quarter less CPU per frame;
superfast and ultrafast save more CPU for files 1.7 and 4 times larger
(``--encoder preset=superfast`` where CPU matters more than bytes).
"""

from __future__ import annotations

import argparse
import contextlib
import tempfile
import time
from pathlib import Path

import av
import numpy as np

from relu_anim.batch.choices import ENCODER_PROFILES, QUALITIES

CANDIDATES = {
    **{f"profile {name}": dict(opts) for name, opts in ENCODER_PROFILES.items()},
    "faster animation crf 23": {"preset": "faster", "tune": "animation", "crf": "23"},
    "veryfast animation crf 23": {"preset": "veryfast", "tune": "animation", "crf": "23"},
    "veryfast crf 23 (no tune)": {"preset": "veryfast", "crf": "23"},
    "superfast animation crf 23": {"preset": "superfast", "tune": "animation", "crf": "23"},
    "ultrafast crf 23": {"preset": "ultrafast", "crf": "23"},
    "lossless (ultrafast, qp 0)": {"preset": "ultrafast", "qp": "0"},
}


class _Enough(Exception):
    """Raised from the frame hook once every window is captured: stops the dry run."""


def capture(scene: str, quality: str, windows: list[float], frames: int, raw: Path):
    """Draw ``frames`` consecutive frames from each window start (seconds) into ``raw``.

    Returns (width, height, [(offset into raw, repeat)]) with repeats as Manim emits them.
    """
    from relu_anim.batch.worker import render_scene
    from relu_anim.lecture.registry import discover

    rate = QUALITIES[quality].frame_rate
    starts = sorted(round(s * rate) for s in windows)
    stream, shape = [], {}
    state = {"index": 0}
    out = raw.open("wb")

    def hook(scene_obj):
        renderer = scene_obj.renderer
        original = renderer.add_frame

        def add_frame(frame, num_frames=1):
            original(frame, num_frames)
            i, state["index"] = state["index"], state["index"] + num_frames
            take = sum(max(0, min(i + num_frames, s + frames) - max(i, s)) for s in starts)
            if take:
                shape["hw"] = frame.shape[:2]
                stream.append((out.tell(), take))
                out.write(np.ascontiguousarray(frame[:, :, :3]).tobytes())
            if i + num_frames >= starts[-1] + frames:
                raise _Enough

        renderer.add_frame = add_frame

    cls = discover()[scene]
    with tempfile.TemporaryDirectory(prefix="bench-enc-") as media, contextlib.suppress(_Enough):
        render_scene(
            cls,
            cls.Params(),
            theme="dark",
            quality=quality,
            media_dir=Path(media),
            on_scene=hook,
            extra_config={"dry_run": True},
        )
    out.close()
    h, w = shape["hw"]
    return w, h, stream


def encode(frames, w, h, rate, options, target: Path) -> float:
    """Encode the captured stream with ``options``; CPU seconds of this process."""
    started = time.process_time()
    with av.open(str(target), "w") as container:
        stream = container.add_stream("libx264", rate=rate, options={**options, "threads": "1"})
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        pts = 0
        for pixels, repeat in frames:
            for _ in range(repeat):
                frame = av.VideoFrame.from_ndarray(pixels, format="rgb24")
                frame.pts = pts
                pts += 1
                container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return time.process_time() - started


def psnr(frames, target: Path) -> float:
    """PSNR (dB) of the decoded video against the drawn frames, over every pixel."""
    drawn = (pixels for pixels, repeat in frames for _ in range(repeat))
    se, n = 0.0, 0
    with av.open(str(target)) as container:
        for frame, ref in zip(container.decode(video=0), drawn, strict=True):
            diff = frame.to_ndarray(format="rgb24").astype(np.int32) - ref
            se += float(np.square(diff, dtype=np.int64).sum())
            n += diff.size
    return 10 * np.log10(255**2 / (se / n)) if se else float("inf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scene", default="HingeStacking")
    ap.add_argument("--quality", default="high")
    ap.add_argument("--windows", type=float, nargs="+", default=[6.0, 20.0, 34.0])
    ap.add_argument("--frames", type=int, default=100, help="frames per window")
    args = ap.parse_args()
    rate = QUALITIES[args.quality].frame_rate
    with tempfile.TemporaryDirectory(prefix="bench-enc-") as tmp:
        raw = Path(tmp) / "frames.rgb"
        t0 = time.perf_counter()
        w, h, stream = capture(args.scene, args.quality, args.windows, args.frames, raw)
        data = np.memmap(raw, dtype=np.uint8, mode="r")
        size = w * h * 3
        frames = [(data[o : o + size].reshape(h, w, 3), r) for o, r in stream]
        total = sum(r for _, r in frames)
        print(
            f"{args.scene} {w}x{h}@{rate}: {total} frames ({len(frames)} drawn) "
            f"captured in {time.perf_counter() - t0:.0f} s"
        )
        print(f"{'setting':34s} {'ms/frame':>8s} {'kB':>7s} {'PSNR dB':>7s}")
        for label, options in CANDIDATES.items():
            target = Path(tmp) / "out.mp4"
            cpu = encode(frames, w, h, rate, options, target)
            kb = target.stat().st_size / 1000
            print(f"{label:34s} {1000 * cpu / total:8.1f} {kb:7.0f} {psnr(frames, target):7.2f}")


if __name__ == "__main__":
    main()
