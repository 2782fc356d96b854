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


@pytest.mark.parametrize("name", ["HingeStacking", "LinearCollapse", "GatesAsIfs"])
def test_without_latex_formulas_fall_back_to_text_with_one_warning(
    render_scene, monkeypatch, caplog, name
):
    """No LaTeX on the machine: every scene still renders, formulas as plain Text, one warning."""
    import logging

    from manim import MathTex, Text

    from relu_anim.registry import get_scene
    from relu_anim.visuals import text as text_module

    scene_cls = get_scene(name)

    monkeypatch.setenv(text_module.NO_LATEX_ENV, "1")
    text_module.latex_available.cache_clear()
    text_module._warn_once.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="relu_anim"):
            f1 = text_module.formula(r"\max(0, x)", "max(0, x)", scene_cls().theme)
            scene = render_scene(scene_cls, frame_rate=1)
        assert isinstance(f1, Text) and f1.original_text == "max(0, x)"
        family = [m for top in scene.mobjects for m in top.get_family()]
        assert not any(isinstance(m, MathTex) for m in family)
        warnings = [r for r in caplog.records if "LaTeX not found" in r.getMessage()]
        assert len(warnings) == 1
    finally:
        text_module.latex_available.cache_clear()
        text_module._warn_once.cache_clear()
