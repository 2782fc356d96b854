"""Two tiny scenes for render-engine tests: one that renders in a second, one that fails."""

from __future__ import annotations

from dataclasses import dataclass, field

from manim import Circle, Create, FadeOut

from relu_anim.scene import LectureScene


@dataclass(frozen=True)
class TinyParams:
    radius: float = field(default=1.0, metadata={"help": "circle radius"})
    label: str = field(default="tiny", metadata={"help": "a word"})

    def validate(self):
        if not 0.1 <= self.radius <= 3:
            raise ValueError(f"radius must be from 0.1 to 3, got {self.radius}")


class TinyCircle(LectureScene):
    title = "Tiny circle"
    summary = "A circle appears and fades: a fast scene for render tests."
    Params = TinyParams

    def construct(self):
        self.beat("draw", "A circle is drawn.")
        c = Circle(radius=self.params.radius, color=self.theme.accent)
        self.play(Create(c), run_time=1)
        self.beat("fade", "And it fades.")
        self.play(FadeOut(c), run_time=0.6)
        self.numbers = {
            "radius": self.params.radius,
            "area": 3.141592653589793 * self.params.radius**2,
        }


class BrokenScene(LectureScene):
    title = "Broken"
    summary = "Raises on purpose: one failing scene must not stop the batch."

    def construct(self):
        self.play(Create(Circle()), run_time=0.4)
        raise RuntimeError("this scene fails on purpose")
