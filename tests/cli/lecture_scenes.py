"""A tiny scene with a tone, for the lecture tests: it follows TinyCircle (silent, order 100).

The tone is a sound file added at the start of ToneSecond's second beat (Manim's
``add_sound``), so the tests can find where the joined video's sound begins and check it
against that beat's start, without any speech engine.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
from manim import Circle, Create, FadeOut, config

from relu_anim.lecture import LectureScene, beat

TONE_HZ = 440.0
TONE_SECONDS = 0.8
TONE_RATE = 48000


def tone_file(folder: Path) -> Path:
    """A mono 16-bit WAV of a 440 Hz tone at half scale."""
    path = Path(folder) / "tone.wav"
    t = np.arange(int(TONE_SECONDS * TONE_RATE)) / TONE_RATE
    samples = (0.5 * 32767 * np.sin(2 * np.pi * TONE_HZ * t)).astype("<i2")
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(TONE_RATE)
        w.writeframes(samples.tobytes())
    return path


class ToneSecond(LectureScene):
    title = "Tone second"
    summary = "A circle appears; a tone sounds when it fades."
    order = 101  # after TinyCircle

    def construct(self):
        circle = self.draw()
        self.sound(circle)

    @beat("A circle is drawn.")
    def draw(self):
        circle = Circle(color=self.theme.accent)
        self.play(Create(circle), run_time=1)
        return circle

    @beat("A tone sounds as it fades.")
    def sound(self, circle):
        self.add_sound(str(tone_file(config.media_dir)))
        self.play(FadeOut(circle), run_time=1)
