"""Text and formulas in the theme's fonts, with a plain-text fallback when LaTeX is missing."""

from __future__ import annotations

import logging
import os
import shutil
from functools import cache

import numpy as np
from manim import MathTex, Text, VGroup, VMobject

from ..theme import Theme

log = logging.getLogger("relu_anim")
NO_LATEX_ENV = "RELU_ANIM_NO_LATEX"
ANCHOR_LENGTH = 1e-3  # GlyphText's invisible anchor, in scene units


@cache
def latex_available() -> bool:
    """True when ``latex`` and ``dvisvgm`` are on PATH (and not disabled by RELU_ANIM_NO_LATEX)."""
    if os.environ.get(NO_LATEX_ENV) == "1":
        return False
    return bool(shutil.which("latex") and shutil.which("dvisvgm"))


@cache
def _warn_once() -> None:
    log.warning("LaTeX not found (latex, dvisvgm): formulas are drawn as plain text")


def short_sci(value: float) -> str:
    """``1.3e-12``, ``2.0e-3``: one decimal, no leading zero in the exponent. Plain text,
    readable at 480p; the ``×10⁻¹²`` form would need LaTeX."""
    return f"{value:.1e}".replace("e-0", "e-").replace("e+0", "e+")


def label(
    text: str, theme: Theme, size: float | None = None, color: str | None = None, **kw
) -> Text:
    """Body text in the theme's font."""
    return Text(
        text, font=theme.font, font_size=size or theme.body_size, color=color or theme.text, **kw
    )


def mono(
    text: str, theme: Theme, size: float | None = None, color: str | None = None, **kw
) -> Text:
    """Code in the theme's monospace font."""
    return Text(
        text,
        font=theme.mono_font,
        font_size=size or theme.small_size,
        color=color or theme.text,
        **kw,
    )


def formula(
    tex: str, plain: str, theme: Theme, size: float | None = None, color: str | None = None
) -> VMobject:
    """MathTex of ``tex`` when LaTeX is installed; else ``plain`` as Text, with one warning."""
    size = size or theme.body_size
    color = color or theme.text
    if latex_available():
        return MathTex(tex, font_size=size * 1.15, color=color)
    _warn_once()
    return Text(plain, font=theme.font, font_size=size, color=color)


# -- fast text: strings composed from cached glyphs ---------------------------------------
# Building a Text costs ~60-140 ms (Pango renders an SVG, which is then parsed). A readout
# or code line that changes every frame would spend most of the render there, so strings
# that change are composed from single-glyph copies measured once per font and size.
_GLYPHS: dict[tuple[str, float, str], tuple[np.ndarray | None, float] | None] = {}


def _glyph(font: str, size: float, char: str) -> tuple[np.ndarray | None, float] | None:
    """(outline points relative to the pen origin on the baseline, pen advance) for ``char``.

    Measured inside ``"0" + char + "0"``: the zeros fix the pen positions and the baseline,
    so glyphs with different side bearings still land where Pango would put them.
    """
    key = (font, size, char)
    if key not in _GLYPHS:
        pair = Text("00", font=font, font_size=size)
        advance0 = pair[1].get_left()[0] - pair[0].get_left()[0]
        probe = Text(f"0{char}0", font=font, font_size=size)
        inked = 2 if char == " " else 3
        if len(probe.submobjects) != inked:
            _GLYPHS[key] = None
        else:
            z1, z2 = probe[0], probe[-1]
            pen = np.array([z1.get_left()[0] + advance0, z1.get_bottom()[1], 0.0])
            points = None if char == " " else probe[1].points - pen
            _GLYPHS[key] = (points, z2.get_left()[0] - z1.get_left()[0] - advance0)
    return _GLYPHS[key]


def advance_width(text: str, theme: Theme, size: float) -> float:
    """How wide ``text`` sets in the theme's font: the sum of its glyphs' cached advances (a
    glyph that cannot be measured alone: the typeset line's width)."""
    total = 0.0
    for char in text:
        glyph = _glyph(theme.font, size, char)
        if glyph is None:
            return label(text, theme, size=size).width
        total += glyph[1]
    return total


class GlyphText(VGroup):
    """One line of text that can be rewritten cheaply, keeping its baseline and left edge.

    Submobject 0 is an invisible anchor at the baseline-left origin (a hair long, so the line
    also knows how much it was scaled and rewrites at that scale), so the line can be
    moved like any mobject and still knows where to rebuild. Glyphs are placed by measured
    advances (no kerning or ligatures): exact for monospace, close for proportional fonts.

    Rewriting reuses a fixed pool of glyph mobjects and only changes their points: during an
    animation Manim draws the family it collected when the animation began, so new
    submobjects would stay invisible and removed ones would linger as ghosts.
    """

    SPARE = 12  # glyph slots beyond the first text's length, for longer rewrites

    def __init__(
        self,
        text: str,
        theme: Theme,
        size: float | None = None,
        color: str | None = None,
        mono: bool = False,
    ):
        super().__init__()
        self.font = theme.mono_font if mono else theme.font
        self.size, self.color_name, self.text = size or theme.body_size, color or theme.text, ""
        # from the origin a hair along x: its length says how much the line has been scaled
        self.anchor = VMobject().set_points_as_corners([[0, 0, 0], [ANCHOR_LENGTH, 0, 0]])
        self.anchor.set_stroke(width=0, opacity=0).set_fill(opacity=0)  # never drawn
        self.add(self.anchor)
        self.add(*(self._slot() for _ in range(len(text) + self.SPARE)))
        self.set_text(text)

    def _slot(self) -> VMobject:
        return VMobject(fill_color=self.color_name, fill_opacity=1.0, stroke_width=0)

    @property
    def origin(self) -> np.ndarray:
        return self.anchor.points[0].copy()

    @property
    def scale_factor(self) -> float:
        """How much the line was scaled since it was made (a column shrunk to fit a frame)."""
        points = self.anchor.points
        return float(np.linalg.norm(points[-1] - points[0])) / ANCHOR_LENGTH

    def move_origin_to(self, point) -> GlyphText:
        return self.shift(np.asarray(point, dtype=float) - self.origin)

    def set_text(self, text: str, color: str | None = None) -> GlyphText:
        if color is not None:
            self.color_name = color
        self.text = text
        outlines, cursor = [], 0.0
        for char in text:
            entry = _glyph(self.font, self.size, char)
            if entry is None:  # not placeable glyph by glyph: typeset the whole line once
                whole = Text(text, font=self.font, font_size=self.size)
                corner = np.array([whole.get_left()[0], whole.get_bottom()[1], 0.0])
                outlines = [g.points - corner for g in whole.submobjects]
                break
            points, advance = entry
            if points is not None:
                outlines.append(points + [cursor, 0.0, 0.0])
            cursor += advance
        slots = self.submobjects[1:]
        while len(slots) < len(outlines):  # drawn from the next animation on
            slots.append(self._slot())
            self.add(slots[-1])
        origin, k = self.origin, self.scale_factor
        for slot, points in zip(slots, outlines, strict=False):
            slot.set_points(points * k + origin)
            slot.set_fill(self.color_name)
        for slot in slots[len(outlines) :]:
            slot.clear_points()
        return self
