"""Every registered scene, found through the registry (a new scene is tested without edits).

Each one renders tiny, guarded (inside the frame, text in the theme's text colours), without
LaTeX, in both themes, and in 9:16 with burned-in captions (one theme: the layout does not
depend on it); its captions keep the reading rate; its numbers come from ``compute`` without
rendering; and its Params reject bad values before anything is drawn.
"""

from __future__ import annotations

import json
import logging

import pytest

from relu_anim.lecture.params import ParamError, bad_values, build_params, param_fields
from relu_anim.lecture.registry import discover
from relu_anim.lecture.scene import MIN_CAPTION_SECONDS, reading_seconds
from relu_anim.theme import THEME_NAMES
from relu_anim.visuals import text as text_module

SCENES = list(discover())


def test_the_registry_finds_the_mission_scenes():
    assert {"HingeStacking", "LinearCollapse", "GatesAsIfs"} <= set(SCENES)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory, tiny):
    """rendered(name, theme) -> (scene, LaTeX warnings): one tiny guarded render without LaTeX
    per scene and theme, shared by the tests of this module. The light one burns its captions
    in, so the guard also keeps 16:9 text out of the caption band."""
    cache: dict = {}

    def burn(scene) -> None:
        scene.burn_captions = True

    def render(name: str, theme: str):
        if (name, theme) not in cache:
            options = {"on_scene": burn} if theme == "light" else {}
            cache[name, theme] = _render_without_latex(
                tmp_path_factory, tiny, name, theme, **options
            )
        return cache[name, theme]

    return render


# 9:16 as worker.frame_settings makes it, at 270x480: Manim's Text lets Pango wrap a line
# wider than the frame's pixel width (less 30), so at 90 px a title would break in two.
PORTRAIT = {"pixel_width": 270, "pixel_height": 480, "frame_width": 8.0, "frame_height": 128 / 9}


@pytest.fixture(scope="module")
def portrait(tmp_path_factory, tiny):
    """portrait(name) -> (scene, the content's height at each beat's end): one tiny guarded
    render per scene in 9:16 with burned captions, shared by the tests of this module."""
    cache: dict = {}

    def render(name: str):
        if name not in cache:
            heights: dict[str, float] = {}

            def attach(scene):
                scene.aspect, scene.burn_captions = "9:16", True
                scene.beat_end_hooks.append(lambda s, b: heights.update({b: _content_height(s)}))

            scene, _ = _render_without_latex(
                tmp_path_factory, tiny, name, "dark", on_scene=attach, **PORTRAIT
            )
            cache[name] = scene, heights
        return cache[name]

    return render


def _content_height(scene) -> float:
    """How much of the frame's height the visible content spans (the captions left out)."""
    from relu_anim.lecture.guard import visible
    from relu_anim.visuals.captions import BurnedCaptions

    ys = [
        m.points[:, 1]
        for top in scene.mobjects
        if not isinstance(top, BurnedCaptions)
        for m in top.get_family()
        if visible(m)
    ]
    return float(max(y.max() for y in ys) - min(y.min() for y in ys)) if ys else 0.0


def _render_without_latex(tmp_path_factory, tiny, name: str, theme: str, **options):
    """As on a machine without LaTeX: formulas fall back to plain text, with one warning."""
    handler = _Records()
    logger = logging.getLogger("relu_anim")
    logger.addHandler(handler)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(text_module.NO_LATEX_ENV, "1")
        text_module.latex_available.cache_clear()
        text_module._warn_once.cache_clear()
        try:
            scene = tiny(
                discover()[name], tmp_path_factory.mktemp("m"), theme=theme, frame_rate=2, **options
            )
        finally:
            logger.removeHandler(handler)
            text_module.latex_available.cache_clear()
            text_module._warn_once.cache_clear()
    return scene, [r for r in handler.records if "LaTeX not found" in r.getMessage()]


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("name", SCENES)
def test_renders_guarded_without_latex(rendered, name, theme):
    from manim import MathTex

    scene, warnings = rendered(name, theme)
    assert scene.theme.name == theme
    assert (getattr(scene, "_burned_captions", None) is not None) == (theme == "light")
    assert scene.guard_checks > 0  # every play was checked: frame bounds and text colours
    family = [m for top in scene.mobjects for m in top.get_family()]
    assert not any(isinstance(m, MathTex) for m in family)
    assert len(warnings) <= 1
    assert scene.beats and len(scene.beats) == len(set(scene.beats))
    assert all(scene.beat_captions[b] for b in scene.beats), "every beat has a caption"


@pytest.mark.parametrize("name", SCENES)
def test_lays_itself_out_in_portrait_with_burned_captions(portrait, name):
    """9:16: inside the frame, no text in the caption band (the guard, after every play), and
    the content stacked to use the tall frame: a letterboxed 16:9 picture would span at most
    9/16 of the frame's width in height, 32 % of the frame's height."""
    scene, heights = portrait(name)
    assert scene.guard_checks > 0
    assert scene._burned_captions.shown, "the captions were drawn"
    tallest = max(h for beat, h in heights.items() if beat != "closing")  # (its veil: all)
    assert tallest > 0.5 * PORTRAIT["frame_height"], f"content spans {tallest:.1f} units at most"


@pytest.mark.parametrize("name", SCENES)
def test_captions_keep_the_reading_rate(rendered, name):
    """Each caption stays up long enough to read before the next one (or the end) replaces it.

    The allowance is one frame at the 2 fps used here: a wait is rounded to whole frames.
    """
    scene, _ = rendered(name, "dark")
    log = scene.caption_log
    ends = [t for t, _ in log[1:]] + [float(scene.time)]
    for (start, text), end in zip(log, ends, strict=True):
        assert end - start >= reading_seconds(text) - 0.5, f"{text!r} shown {end - start:.2f} s"
    subs = scene.renderer.file_writer.subcaptions
    assert [s.content for s in subs] == [text for _, text in log]
    for sub in subs:
        seconds = (sub.end - sub.start).total_seconds()
        assert seconds >= MIN_CAPTION_SECONDS - 1e-9


@pytest.mark.parametrize("name", SCENES)
def test_compute_and_summarize_without_rendering(name):
    cls = discover()[name]
    data = cls.compute(cls.Params())
    numbers = cls.summarize(data)
    assert isinstance(numbers, dict)
    json.dumps(numbers)  # the manifest records them as they are


@pytest.mark.parametrize("name", SCENES)
def test_bad_values_are_rejected_before_drawing(name):
    cls = discover()[name]
    cases = bad_values(cls.Params)
    if param_fields(cls.Params):
        assert cases, f"{name}: no checkable parameter"
    for key, value in cases:
        with pytest.raises(ParamError, match=key):
            build_params(cls.Params, {key: value}, scene=name)
    with pytest.raises(ParamError, match="unknown parameter"):
        build_params(cls.Params, {"no_such_parameter": "1"}, scene=name)


@pytest.mark.parametrize("name", SCENES)
def test_defaults_are_valid_and_documented(name):
    cls = discover()[name]
    assert cls.title and cls.summary
    for field_name, f in param_fields(cls.Params).items():
        assert f.metadata.get("help"), f"{name}.{field_name} has no help text"
    build_params(cls.Params, {}, scene=name)
