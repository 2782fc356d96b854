"""Tiny scenes for render-engine tests: one that renders in a second, and three that fail
in the ways a batch must survive (an exception, a hard crash, a full disk)."""

from __future__ import annotations

import errno
import math
import os
from dataclasses import dataclass

from manim import Circle, Create, FadeOut

from relu_anim.lecture import LectureScene, beat, param


class TinyCircle(LectureScene):
    title = "Tiny circle"
    summary = "A circle appears and fades: a fast scene for render tests."

    @dataclass(frozen=True)
    class Params:
        radius: float = param(1.0, "circle radius", between=(0.1, 3))
        label: str = param("tiny", "a word")

    @classmethod
    def compute(cls, params):
        return {"radius": params.radius, "area": math.pi * params.radius**2}

    @classmethod
    def summarize(cls, data):
        return dict(data)

    def construct(self):
        circle = self.draw()
        self.fade(circle)

    @beat("A circle is drawn.")
    def draw(self):
        circle = Circle(radius=self.params.radius, color=self.theme.accent)
        self.play(Create(circle), run_time=1)
        return circle

    @beat("And it fades.")
    def fade(self, circle):
        self.play(FadeOut(circle), run_time=0.6)


class BrokenScene(LectureScene):
    title = "Broken"
    summary = "Raises on purpose: one failing scene must not stop the batch."

    def construct(self):
        self.play(Create(Circle()), run_time=0.4)
        raise RuntimeError("this scene fails on purpose")


class CrashingScene(LectureScene):
    title = "Crashing"
    summary = "Its process dies hard (as in a segfault): only this scene fails."

    def construct(self):
        self.play(Create(Circle()), run_time=0.4)
        os._exit(7)


class DiskFullScene(LectureScene):
    title = "Disk full"
    summary = "Its movie writer meets a full disk (a fake writer raising ENOSPC)."

    def construct(self):
        def no_space(*args, **kwargs):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), "DiskFullScene.mp4")

        self.renderer.file_writer.combine_to_movie = no_space
        self.play(Create(Circle()), run_time=0.4)
