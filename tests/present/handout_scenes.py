"""A tiny scene with teaching notes, for the handout tests: TinyCircle's two beats (and a line
said between them, which belongs to the first by time), numbers of every shape the handout
lays out (scalars, a dict, a long list, a matrix, one number no beat claims)."""

from __future__ import annotations

import math

from tiny_scenes import TinyCircle

from relu_anim.lecture.teaching import Teaching


class TinyTaught(TinyCircle):
    title = "Tiny taught"
    summary = "A circle is drawn and fades: a fast scene with teaching notes."
    order = -2
    teaching = Teaching(
        statement="A circle of radius r has area pi r squared.",
        source="Archimedes, Measurement of a Circle.",
        reading=("Any geometry book.",),
        exercises=(
            ("Check area against radius.", "pi times radius squared."),
            ("Why is the ring list increasing?", "Its radii grow."),
        ),
        beat_numbers={"draw": ("radius", "area", "split"), "fade": ("ring", "grid", "tiny")},
    )

    @classmethod
    def compute(cls, params):
        r = 1.2345678
        return {
            "radius": r,
            "area": math.pi * r * r,
            "split": {"inside": 0.1234567, "outside": 0.8765433},
            "ring": [math.pi * (0.1 * i) ** 2 for i in range(1, 11)],
            "grid": [[1.0, -0.25, 1e-7], [2.5, 333.333, -4.0]],
            "tiny": 1.23456e-9,
            "count": 7,
        }

    def construct(self):
        circle = self.draw()
        self.say("Its area is pi r squared.")
        self.fade(circle)
