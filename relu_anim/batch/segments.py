"""Manim's segment writer, minus repeated work: a held frame is converted to YUV once.

A ``wait`` with nothing moving reaches Manim's ``VideoSegmentEncoder.write_frame`` as one
RGBA frame and ``repeat=N``; Manim builds an RGBA ``VideoFrame`` and lets the codec
convert it to yuv420p N times. Here it is converted once and the same YUV frame is sent N
times with increasing timestamps (the encoder keeps its own reference to each frame it
holds, so reusing the object is safe). The encoded bytes equal Manim's own
(``tests/cli/test_encoder.py``); the saving is the conversion and copy of the held frames,
a large share of a lecture, whose captions hold the picture while they are read.

:func:`use_fast_segments` installs it on a built scene before ``render()``. The seam in
Manim 0.22: the writer builds each segment's encoder in ``_create_segment_encoder``; the
scene builds its writer in ``Scene.__init__`` (``renderer.init_scene``), so the writer that
exists gets this subclass, which adds no state, as its class.
"""

from __future__ import annotations

from fractions import Fraction

import av
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class HeldFrameEncoder(VideoSegmentEncoder):
    """Encodes a repeated frame from one YUV conversion."""

    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        rate = self.spec.frame_rate
        time_base = Fraction(rate.denominator, rate.numerator)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            if repeat > 1:
                frame = frame.reformat(format=self.spec.pixel_format)
            frame.time_base = time_base
            for _ in range(repeat):
                frame.pts = self._next_pts
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class FastSegmentsWriter(SceneFileWriter):
    """Manim's writer with :class:`HeldFrameEncoder` for every segment."""

    def _create_segment_encoder(self, target):
        if self.video_encoder is None:
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return HeldFrameEncoder(target=target, spec=self.video_encoder)


def use_fast_segments(scene) -> None:
    """Make ``scene`` (built, not yet rendered) write its segments with :class:`FastSegmentsWriter`."""
    writer = getattr(scene.renderer, "file_writer", None)
    if type(writer) is SceneFileWriter:  # a scene with its own writer class keeps it
        writer.__class__ = FastSegmentsWriter
