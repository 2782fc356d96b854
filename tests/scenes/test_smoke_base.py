"""LectureScene basics: beats become sections and captions at a readable pace, results are
passed on explicitly, and the frame guard catches escapes and foreign text colours."""

from __future__ import annotations

import pytest
from manim import RIGHT, Circle, Create, Text

from relu_anim.lecture import FrameBoundsError, LectureScene, beat
from relu_anim.lecture.scene import reading_seconds

LONG = "A sentence long enough that reading it takes clearly longer than the animation under it."


class _TwoBeats(LectureScene):
    abstract = True

    def construct(self):
        circle = self.first()
        self.second(circle)

    @beat("The first sentence.")
    def first(self):
        circle = Circle(radius=1)
        self.play(Create(circle))
        return circle

    @beat(LONG)
    def second(self, circle):
        self.play(circle.animate.scale(0.5), run_time=0.5)


class _Escapes(LectureScene):
    abstract = True

    def construct(self):
        c = Circle(radius=1)
        self.play(Create(c))
        self.play(c.animate.shift(8 * RIGHT))


def test_beats_are_sections_and_captions_do_not_overlap(render_scene):
    scene = render_scene(_TwoBeats, dry_run=False)  # sections only exist for real segments
    assert scene.beats == ["first", "second"]
    assert scene.beat_results["second"] is None
    assert isinstance(scene.beat_results["first"], Circle)
    subs = scene.renderer.file_writer.subcaptions
    assert [s.content for s in subs] == ["The first sentence.", LONG]
    assert subs[0].end <= subs[1].start
    names = [s.name for s in scene.renderer.file_writer.sections]
    assert "first" in names and "second" in names
    srt = scene.renderer.file_writer.output_plan.subcaption_file
    assert srt.exists() and LONG in srt.read_text()


def test_a_beat_lasts_as_long_as_its_caption_needs(render_scene):
    """The second beat animates for 0.5 s, but its caption needs about 6 s: the beat waits."""
    scene = render_scene(_TwoBeats, frame_rate=10)
    start = scene.caption_log[1][0]
    assert scene.time - start >= reading_seconds(LONG) - 0.1
    assert reading_seconds(LONG) == pytest.approx(len(LONG) / 15)
    assert reading_seconds("Short.") == 1.5


class _WrongTextColour(LectureScene):
    abstract = True

    def construct(self):
        self.play(Create(Text("no such colour", color="#FF00FF", font_size=20)))


def test_frame_guard_catches_text_in_a_colour_outside_the_theme(render_scene):
    with pytest.raises(FrameBoundsError, match="no such colour"):
        render_scene(_WrongTextColour)


def test_frame_guard_catches_a_mobject_leaving_the_frame(render_scene):
    with pytest.raises(FrameBoundsError, match="Circle"):
        render_scene(_Escapes)


class _TrackerFarAway(LectureScene):
    abstract = True

    def construct(self):
        from manim import ValueTracker

        t = ValueTracker(0)
        self.add(t)
        self.play(t.animate.set_value(100))  # its "point" is (100, 0, 0): not drawn


def test_value_trackers_are_not_checked_against_the_frame(render_scene):
    assert render_scene(_TrackerFarAway).guard_checks == 1


def test_glyph_text_matches_typeset_text_and_rewrites_in_place():
    """Composed lines land where Pango puts the glyphs; rewriting keeps the baseline-left origin."""
    import numpy as np
    from manim import Text

    from relu_anim.theme import get_theme
    from relu_anim.visuals.text import GlyphText

    theme = get_theme("dark")
    text = "# now z = -1.23, so h = 0.00"
    composed = GlyphText(text, theme, 22, mono=True)
    typeset = Text(text, font=theme.mono_font, font_size=22)
    lefts = [g.get_left()[0] for g in composed.submobjects[1:] if len(g.points)]
    expected = [g.get_left()[0] for g in typeset.submobjects]
    assert len(lefts) == len(expected)
    assert np.allclose(np.array(lefts) - lefts[0], np.array(expected) - expected[0], atol=1e-6)
    slots = list(composed.submobjects)
    composed.move_origin_to([1.0, -2.0, 0.0])
    composed.set_text("# now z = 4.56, so h = 4.56")
    assert np.allclose(composed.origin, [1.0, -2.0, 0.0]) and composed.text.endswith("4.56")
    assert composed.submobjects == slots  # same mobjects: what an animation collected stays drawn
