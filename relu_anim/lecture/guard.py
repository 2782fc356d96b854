"""The frame guard: what the tests check after every ``play`` of every scene.

Everything drawn lies inside the frame, and every piece of text is drawn in one of the
theme's text colours (the colours that reach readable contrast against its background).
When captions are burned in, no other text reaches into their band at the bottom. The frame
size is Manim's config, so the same checks hold in 16:9 and 9:16.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
from manim import (
    BackgroundRectangle,
    MathTex,
    SingleStringMathTex,
    Text,
    ValueTracker,
    VMobject,
    config,
)

from ..theme import Theme
from ..visuals.captions import BurnedCaptions
from ..visuals.stage import caption_band_height
from ..visuals.text import GlyphText

TEXT_TYPES = (Text, SingleStringMathTex, MathTex, GlyphText)


class FrameBoundsError(AssertionError):
    """A visible mobject reaches outside the frame, or text has a colour the theme forbids."""


def check_frame(mobjects: Iterable, theme: Theme, where: str, tolerance: float = 1e-3) -> None:
    half_w = config.frame_width / 2 + tolerance
    half_h = config.frame_height / 2 + tolerance
    allowed = {c.upper() for c in getattr(theme, "text_colors", ())}
    for top in mobjects:
        for mob in top.get_family():
            if not visible(mob):
                continue
            lo, hi = mob.points[:, :2].min(axis=0), mob.points[:, :2].max(axis=0)
            if lo[0] < -half_w or hi[0] > half_w or lo[1] < -half_h or hi[1] > half_h:
                raise FrameBoundsError(
                    f"{where}: {type(mob).__name__} spans x[{lo[0]:.2f}, {hi[0]:.2f}] "
                    f"y[{lo[1]:.2f}, {hi[1]:.2f}], frame is ±{half_w:.2f} x ±{half_h:.2f}"
                )
        if allowed:
            check_text_colours(top, allowed, where)
    if any(isinstance(top, BurnedCaptions) for top in mobjects):
        check_caption_band(mobjects, where, tolerance)


def check_caption_band(mobjects: Iterable, where: str, tolerance: float = 1e-3) -> None:
    """Raise if visible text other than the burned captions reaches into the caption band."""
    band_top = -config.frame_height / 2 + caption_band_height()
    for top in mobjects:
        if isinstance(top, BurnedCaptions):
            continue
        for mob in top.get_family():
            low = isinstance(mob, TEXT_TYPES) and mob.get_bottom()[1] < band_top - tolerance
            if low and visible_text(mob):
                text = getattr(mob, "original_text", getattr(mob, "text", ""))
                raise FrameBoundsError(
                    f"{where}: text {str(text)[:40]!r} reaches y = {mob.get_bottom()[1]:.2f}, "
                    f"into the caption band (below y = {band_top:.2f})"
                )


def _inkless(glyph) -> bool:
    """A path without area (a point, a line) and without stroke: GlyphText's anchor."""
    return np.ptp(glyph.points[:, :2], axis=0).min() == 0 and glyph.get_stroke_width() == 0


def visible_text(mob) -> bool:
    """Does any glyph of the text ``mob`` put ink on the frame?"""
    return any(visible(g) for g in mob.get_family() if isinstance(g, VMobject) and g is not mob)


def check_text_colours(top, allowed: set[str], where: str) -> None:
    """Raise if a visible glyph of a text mobject under ``top`` has a colour not in ``allowed``."""
    for mob in top.get_family():
        if not isinstance(mob, TEXT_TYPES):
            continue
        for glyph in mob.get_family():
            if isinstance(glyph, BackgroundRectangle) or not isinstance(glyph, VMobject):
                continue
            if not visible(glyph) or _inkless(glyph):
                continue  # invisible, or an anchor without area or stroke that puts no ink
            colour = glyph.get_fill_color().to_hex().upper()
            if glyph.get_fill_opacity() > 0 and colour not in allowed:
                text = getattr(mob, "original_text", getattr(mob, "text", ""))
                raise FrameBoundsError(
                    f"{where}: text {str(text)[:40]!r} is drawn in {colour}, "
                    f"not one of the theme's text colours {sorted(allowed)}"
                )


def visible(mob) -> bool:
    """Does ``mob`` put ink on the frame? (A ValueTracker keeps its value in its points.)"""
    if isinstance(mob, ValueTracker) or len(getattr(mob, "points", ())) == 0:
        return False
    if not isinstance(mob, VMobject):
        return True  # images and other raster mobjects
    stroke = mob.get_stroke_opacity() if mob.get_stroke_width() > 0 else 0.0
    return bool(
        np.max(np.atleast_1d(stroke)) > 0 or np.max(np.atleast_1d(mob.get_fill_opacity())) > 0
    )
