"""LectureScene: a Manim Scene with a title, parameters, named beats, captions and a theme.

Subclasses (one per file in ``scenes/``) set ``title``, ``summary`` and ``Params``, then
write ``construct`` as a storyboard of short beat methods::

    def construct(self):
        self.beat("one-unit", "One ReLU unit is a hinge.")
        ...

``beat`` starts a Manim section (so per-beat clips and slides come for free) and writes the
beat's key sentence as a subcaption (so every video gets an ``.srt``). With the frame guard
on (``RELU_ANIM_FRAME_GUARD=1``, set by the tests) every ``play`` checks that all visible
mobjects lie inside the frame.
"""

from __future__ import annotations

import os
from typing import Any, ClassVar

import numpy as np
from manim import Scene, ValueTracker, VMobject, config

from .params import NoParams, validate_params
from .theme import Theme, get_theme

FRAME_GUARD_ENV = "RELU_ANIM_FRAME_GUARD"


class FrameBoundsError(AssertionError):
    """A visible mobject reaches outside the frame."""


class LectureScene(Scene):
    title: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    order: ClassVar[int] = 100  # position in listings and the gallery (lecture order)
    Params: ClassVar[type] = NoParams

    def __init__(self, params: Any = None, **kwargs: Any) -> None:
        self.params = params if params is not None else self.Params()
        validate_params(self.params, type(self).__name__)
        self.theme: Theme = get_theme()
        self.beats: list[str] = []
        self.caption_log: list[tuple[float, str]] = []
        self.numbers: dict[str, Any] = {}  # numeric summary for the manifest, from the core
        self.frame_guard = os.environ.get(FRAME_GUARD_ENV) == "1"
        self.guard_checks = 0
        super().__init__(**kwargs)

    def setup(self) -> None:
        super().setup()
        self.camera.background_color = self.theme.background

    # -- storyboard ---------------------------------------------------------------------
    def beat(self, name: str, caption: str | None = None) -> None:
        """Start the named beat (a Manim section); optionally caption its key sentence."""
        self.beats.append(name)
        self.next_section(name)
        if caption:
            self.say(caption)

    def say(self, text: str) -> None:
        """A narration line, shown from now until the next line (or the end) in the .srt.

        Lines never overlap: each one closes the line before it.
        """
        self._close_caption()
        self.caption_log.append((float(self.time), text))
        self._open_caption = (float(self.time), text)

    def _close_caption(self) -> None:
        open_caption = getattr(self, "_open_caption", None)
        if open_caption is None:
            return
        start, text = open_caption
        length = max(float(self.time) - start, 0.5)
        self.add_subcaption(text, duration=length, offset=start - float(self.time))
        self._open_caption = None

    def tear_down(self) -> None:
        self._close_caption()
        super().tear_down()

    def numeric_summary(self) -> dict[str, Any]:
        """Numbers from the core that describe this render (final error, region count...)."""
        return dict(self.numbers)

    # -- frame guard --------------------------------------------------------------------
    def play(self, *args: Any, **kwargs: Any) -> None:
        """Scene.play, then the frame guard (``wait`` goes through here too)."""
        super().play(*args, **kwargs)
        if self.frame_guard:
            self.check_frame()

    def check_frame(self, tolerance: float = 1e-3) -> None:
        """Raise FrameBoundsError if a visible mobject has points outside the frame."""
        self.guard_checks += 1
        half_w, half_h = config.frame_width / 2 + tolerance, config.frame_height / 2 + tolerance
        for top in self.mobjects:
            for mob in top.get_family():
                if not _visible(mob):
                    continue
                pts = mob.points
                lo, hi = pts[:, :2].min(axis=0), pts[:, :2].max(axis=0)
                if lo[0] < -half_w or hi[0] > half_w or lo[1] < -half_h or hi[1] > half_h:
                    raise FrameBoundsError(
                        f"{type(self).__name__} beat {self.beats[-1] if self.beats else '-'}: "
                        f"{type(mob).__name__} spans x[{lo[0]:.2f}, {hi[0]:.2f}] "
                        f"y[{lo[1]:.2f}, {hi[1]:.2f}], frame is ±{half_w:.2f} x ±{half_h:.2f}"
                    )


def _visible(mob) -> bool:
    """Does ``mob`` put ink on the frame? (A ValueTracker keeps its value in its points.)"""
    if isinstance(mob, ValueTracker) or len(getattr(mob, "points", ())) == 0:
        return False
    if not isinstance(mob, VMobject):
        return True  # images and other raster mobjects
    stroke = mob.get_stroke_opacity() if mob.get_stroke_width() > 0 else 0.0
    return bool(
        np.max(np.atleast_1d(stroke)) > 0 or np.max(np.atleast_1d(mob.get_fill_opacity())) > 0
    )
