"""Tiny narrated scenes for the voice tests: two that speak, two that must be refused."""

from __future__ import annotations

from manim import Circle, Create, FadeOut

from relu_anim.lecture import LectureScene, beat

LONG = " ".join(
    ["This sentence is repeated to make a line that no listener should hear whole."] * 8
)


class Spoken(LectureScene):
    title = "Spoken"
    summary = "Three beats: a narration longer than its caption, a say() line, a closing card."

    def construct(self):
        circle = self.draw()
        self.fade(circle)
        self.end_card("That is all.")

    @beat(
        "A circle is drawn.",
        narration=(
            "A circle is drawn from its rightmost point, all the way round, so that every "
            "part of it appears in turn. Then it rests."
        ),
    )
    def draw(self):
        circle = Circle(color=self.theme.accent)
        self.play(Create(circle), run_time=1)
        return circle

    @beat("And it fades.")
    def fade(self, circle):
        self.play(FadeOut(circle), run_time=0.6)
        self.say("Gone.")


class Brief(LectureScene):
    title = "Brief"
    summary = "One narrated beat and a say() line: the batch's voice test, a few seconds long."

    def construct(self):
        self.show()

    @beat("A dot.", narration="A dot appears, then it goes.")
    def show(self):
        dot = Circle(radius=0.2, color=self.theme.accent)
        self.play(Create(dot), run_time=0.4)
        self.say("Gone.")
        self.play(FadeOut(dot), run_time=0.4)


class EmptyNarration(LectureScene):
    title = "Empty narration"
    summary = "Declares a narration with no words: refused at plan time."

    def construct(self):
        self.draw()

    @beat("A circle.", narration="  ...  ")
    def draw(self):
        self.play(Create(Circle(color=self.theme.accent)), run_time=0.4)


class LongNarration(LectureScene):
    title = "Long narration"
    summary = "Declares a caption far past the spoken-line limit: refused at plan time."

    def construct(self):
        self.draw()

    @beat(LONG + " {data}")
    def draw(self):
        self.play(Create(Circle(color=self.theme.accent)), run_time=0.4)
