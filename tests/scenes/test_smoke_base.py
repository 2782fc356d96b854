"""LectureScene basics: beats become sections and captions; the frame guard catches escapes."""

from __future__ import annotations

import pytest
from manim import RIGHT, Circle, Create

from relu_anim.scene import FrameBoundsError, LectureScene


class _TwoBeats(LectureScene):
    abstract = True

    def construct(self):
        self.beat("first", "The first sentence.")
        self.play(Create(Circle(radius=1)))
        self.beat("second", "The second sentence.")
        self.wait(1)


class _Escapes(LectureScene):
    abstract = True

    def construct(self):
        c = Circle(radius=1)
        self.play(Create(c))
        self.play(c.animate.shift(8 * RIGHT))


def test_beats_are_sections_and_captions_do_not_overlap(render_scene):
    scene = render_scene(_TwoBeats, dry_run=False)  # sections only exist for real segments
    assert scene.beats == ["first", "second"]
    subs = scene.renderer.file_writer.subcaptions
    assert [s.content for s in subs] == ["The first sentence.", "The second sentence."]
    assert subs[0].end <= subs[1].start
    names = [s.name for s in scene.renderer.file_writer.sections]
    assert "first" in names and "second" in names
    assert scene.guard_checks == 2
    srt = scene.renderer.file_writer.output_plan.subcaption_file
    assert srt.exists() and "The second sentence." in srt.read_text()


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
