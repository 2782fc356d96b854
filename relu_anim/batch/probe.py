"""Facts about a rendered video (duration, frames, size), read with PyAV, Manim's encoder."""

from __future__ import annotations

from pathlib import Path


def probe_video(path: Path) -> dict:
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = stream.frames
        if not frames:  # some containers (webm, gif) do not record a count: decode to count
            frames = sum(1 for _ in container.decode(stream))
        if container.duration:
            duration = container.duration / 1_000_000
        elif stream.duration and stream.time_base:
            duration = float(stream.duration * stream.time_base)
        else:
            rate = float(stream.average_rate or 0) or 1.0
            duration = frames / rate
        return {
            "duration": round(float(duration), 3),
            "frames": int(frames),
            "width": stream.codec_context.width,
            "height": stream.codec_context.height,
        }
