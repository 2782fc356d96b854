"""Join rendered videos into one file without re-encoding the picture (PyAV, Manim's encoder).

The video packets of every part are copied with their timestamps shifted by the part's start:
no frame is decoded, so the lecture's picture is bit for bit the scenes' picture. That needs
parts encoded alike (codec, size, pixel format, frame rate, profile and codec header); a
difference is a :class:`JoinError` naming it.

The sound is the one thing re-encoded (it is small and cheap): each part's audio is decoded,
cut or padded with silence to exactly its part's picture, and encoded as one stream. A part
without sound contributes silence, so a lecture that mixes narrated and silent scenes plays
in sync; joining the parts' AAC packets instead would repeat each part's encoder priming and
drift at every join. A lecture whose parts are all silent has no audio stream.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

AUDIO_CODEC = {"mp4": "aac", "webm": "libopus"}
CONTAINER_OPTIONS = {"mp4": {"movflags": "+faststart"}, "webm": {}}  # mp4: plays while loading
CHAPTER_TIME_BASE = Fraction(1, 1000)


class JoinError(ValueError):
    """The parts cannot be joined without re-encoding (one line for the user)."""


@dataclass(frozen=True)
class Part:
    """One video to join, with the facts that must agree between parts."""

    path: Path
    duration: Fraction  # seconds of picture: the last frame's end minus the first's start
    video: tuple  # (name, value) pairs that must be equal for packets to be copied
    audio: tuple | None  # (sample rate, layout name) of its sound, None if silent

    @property
    def has_audio(self) -> bool:
        return self.audio is not None


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float  # seconds into the joined video
    end: float


def probe_part(path: Path) -> Part:
    """Read a part's stream facts and its picture's exact duration (packets only, no decoding)."""
    import av

    with av.open(str(path)) as container:
        if not container.streams.video:
            raise JoinError(f"{path.name} has no video stream")
        stream = container.streams.video[0]
        ctx = stream.codec_context
        video = (
            ("codec", ctx.name),
            ("size", f"{ctx.width}x{ctx.height}"),
            ("pixel format", ctx.pix_fmt),
            ("frame rate", str(stream.base_rate or stream.guessed_rate)),  # nominal, not average
            ("profile", ctx.profile),
            ("codec header", bytes(ctx.extradata or b"").hex()),
        )
        audio = None
        if container.streams.audio:
            a = container.streams.audio[0].codec_context
            audio = (a.sample_rate, a.layout.name)
        first, end = None, None
        for packet in container.demux(stream):
            if packet.pts is None:
                continue
            first = packet.pts if first is None else min(first, packet.pts)
            end = max(end or 0, packet.pts + (packet.duration or 0))
        if first is None:
            raise JoinError(f"{path.name} has no frames")
        return Part(Path(path), Fraction(end - first) * stream.time_base, video, audio)


def check_joinable(parts: list[Part]) -> None:
    """Raise JoinError naming the first fact in which a part differs from the first part."""
    ref = parts[0]
    for part in parts[1:]:
        for (name, want), (_, got) in zip(ref.video, part.video, strict=True):
            if want != got:
                shown = (want, got) if name != "codec header" else ("one", "another")
                raise JoinError(
                    f"cannot join {part.path.name} to {ref.path.name} without re-encoding: "
                    f"{name} {shown[1]} differs from {shown[0]} (render them again together: "
                    "relu-anim render --force with the same choices)"
                )


def starts(parts: list[Part]) -> list[Fraction]:
    """Where each part begins in the joined video (seconds), and the total as the last item."""
    out = [Fraction(0)]
    for part in parts:
        out.append(out[-1] + part.duration)
    return out


def join(parts: list[Part], dest: Path, fmt: str, chapters: list[Chapter], title: str) -> bool:
    """Write the parts one after another into ``dest`` (a new file) with ``chapters``.

    Returns whether the result has an audio stream (when any part has sound).
    """
    import av

    check_joinable(parts)
    offsets = starts(parts)
    with_audio = any(p.has_audio for p in parts)
    with av.open(str(dest), "w", format=fmt, options=CONTAINER_OPTIONS[fmt]) as out:
        out.metadata["title"] = title
        out.set_chapters(_av_chapters(chapters))  # PyAV 18, before the first packet
        video_out, sound = None, None
        for part, offset in zip(parts, offsets, strict=False):
            with av.open(str(part.path)) as src:
                stream = src.streams.video[0]
                if video_out is None:
                    video_out = out.add_stream_from_template(stream)
                    if with_audio:
                        sound = Soundtrack(out, fmt, _audio_format(parts))
                audio = sound.part(part) if sound else []
                video = _shifted(src.demux(stream), video_out, offset)
                for packet in heapq.merge(video, audio, key=_seconds):
                    out.mux(packet)
        if sound:
            for packet in sound.flush():
                out.mux(packet)
    return with_audio


def _av_chapters(chapters: list[Chapter]) -> list[dict]:
    """Chapters as ``Container.set_chapters`` takes them (milliseconds)."""
    return [
        {
            "id": i + 1,
            "start": round(Fraction(c.start) / CHAPTER_TIME_BASE),
            "end": round(Fraction(c.end) / CHAPTER_TIME_BASE),
            "time_base": CHAPTER_TIME_BASE,
            "metadata": {"title": c.title},
        }
        for i, c in enumerate(chapters)
    ]


def _shifted(packets, stream, offset: Fraction):
    """The packets of one part, moved ``offset`` seconds later and onto ``stream``."""
    for packet in packets:
        if packet.dts is None:  # the demuxer's flush packet
            continue
        shift = round(offset / packet.time_base)
        packet.pts += shift
        packet.dts += shift
        packet.stream = stream
        yield packet


def _seconds(packet) -> Fraction:
    return Fraction(packet.dts) * packet.time_base


def _audio_format(parts: list[Part]) -> tuple[int, str]:
    """The joined sound's sample rate and layout: the highest rate, stereo if any part is."""
    found = [p.audio for p in parts if p.audio]
    rate = max(r for r, _ in found)
    layout = "stereo" if any(layout != "mono" for _, layout in found) else "mono"
    return rate, layout


@dataclass
class Soundtrack:
    """One audio stream encoded part after part; each part exactly as long as its picture."""

    container: object
    fmt: str
    format: tuple[int, str]  # sample rate, layout
    samples_done: int = 0  # samples handed to the encoder so far
    seconds_done: Fraction = Fraction(0)  # picture time covered so far
    pending: np.ndarray | None = None  # samples waiting for a full encoder frame
    stream: object = field(init=False)

    def __post_init__(self) -> None:
        rate, layout = self.format
        if self.fmt == "webm":
            rate = 48000  # Opus only runs at 48 kHz
            self.format = (rate, layout)
        self.stream = self.container.add_stream(AUDIO_CODEC[self.fmt], rate=rate, layout=layout)
        self.stream.codec_context.format = "flt" if self.fmt == "webm" else "fltp"
        if self.fmt == "mp4":  # half the CPU of the default coder; speech at 128 kb/s
            self.stream.codec_context.options = {"aac_coder": "fast"}
        self.channels = 2 if layout == "stereo" else 1
        self.pending = np.zeros((self.channels, 0), dtype=np.float32)

    def part(self, part: Part) -> list:
        """Encode ``part``'s sound (silence if it has none) cut to its picture; the packets."""
        rate = self.format[0]
        self.seconds_done += part.duration
        want = round(self.seconds_done * rate) - self.samples_done - self.pending.shape[1]
        samples = self._decoded(part, want)
        self.pending = np.concatenate([self.pending, samples], axis=1)
        return list(self._encode(final=False))

    def flush(self) -> list:
        return list(self._encode(final=True))

    def _decoded(self, part: Part, want: int) -> np.ndarray:
        """Exactly ``want`` samples of ``part``'s sound: cut, or padded with zeros (silence)."""
        import av

        got = [np.zeros((self.channels, 0), dtype=np.float32)]
        if part.has_audio:
            rate, layout = self.format
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=rate)
            with av.open(str(part.path)) as src:
                for frame in src.decode(src.streams.audio[0]):
                    got += [f.to_ndarray() for f in resampler.resample(frame)]
            got += [f.to_ndarray() for f in resampler.resample(None)]
        samples = np.concatenate(got, axis=1)[:, :want]
        pad = want - samples.shape[1]
        return np.pad(samples, ((0, 0), (0, pad))) if pad > 0 else samples

    def _encode(self, final: bool):
        import av

        size = self.stream.codec_context.frame_size or 1024
        rate, layout = self.format
        while self.pending.shape[1] >= size or (final and self.pending.shape[1]):
            chunk, self.pending = self.pending[:, :size], self.pending[:, size:]
            count = chunk.shape[1]
            if self.stream.codec_context.format.name == "flt":  # packed: interleave channels
                chunk = chunk.T.reshape(1, -1)
            frame = av.AudioFrame.from_ndarray(
                np.ascontiguousarray(chunk, dtype=np.float32),
                format=self.stream.codec_context.format.name,
                layout=layout,
            )
            frame.sample_rate = rate
            frame.pts = self.samples_done
            frame.time_base = Fraction(1, rate)
            self.samples_done += count
            yield from self.stream.encode(frame)
        if final:
            yield from self.stream.encode(None)
