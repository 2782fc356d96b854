"""A tiny scene for the slides tests: first in lecture order, with a tone in its second beat
(so its clips carry audio, the way a narrated scene's do)."""

from __future__ import annotations

import math
import struct
import tempfile
import wave
from pathlib import Path

from manim import Create, FadeOut, Square

from relu_anim.lecture import LectureScene, beat

TONE_SECONDS = 1.0
RATE = 16000


def tone_file(folder: Path) -> Path:
    """A 440 Hz tone of TONE_SECONDS as a 16-bit mono wav."""
    path = folder / "tone.wav"
    samples = [int(12000 * math.sin(2 * math.pi * 440 * i / RATE)) for i in range(RATE)]
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return path


class TinySquare(LectureScene):
    title = "Tiny square"
    summary = "A square is drawn, then fades with a tone: slides test scene."
    order = -1  # before TinyCircle (order 100), whatever order the command names them in

    def construct(self):
        square = self.draw()
        self.fade(square)

    @beat("A square is drawn.")
    def draw(self):
        square = Square(side_length=1.5, color=self.theme.accent)
        self.play(Create(square), run_time=0.8)
        return square

    @beat("It fades with a tone.")
    def fade(self, square):
        with tempfile.TemporaryDirectory() as folder:
            self.add_sound(str(tone_file(Path(folder))))
        self.play(FadeOut(square), run_time=0.6)
