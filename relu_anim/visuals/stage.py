"""Where things go on the frame, for both aspects: named regions computed from Manim's config.

A landscape (16:9) frame is 14.2 x 8 units; a portrait (9:16) one is 8 x 14.2 at the same
pixels per unit, so a font size reads the same on a phone. Scenes compose their landscape
layout as they always have (a plot on the left, a panel on the right); the same call then
stacks those groups in portrait (plot above, panel below) instead of letterboxing the
landscape picture::

    st = stage(theme)
    st.arrange(main=VGroup(axes, curve), side=VGroup(formula, readouts))  # portrait: stacked
    st.panels(left_plot, right_plot)  # two panels side by side: stacked in portrait

In landscape both calls leave things where the scene put them. The bottom ``captions``
region is kept free of content for burned-in captions, in both aspects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import Mobject, config

from ..theme import Theme

LANDSCAPE_CAPTION_BAND = 0.9  # scene units: one caption line across 14.2 units (two, smaller)
PORTRAIT_CAPTION_BAND = 1.9  # three lines across 8 units (captions wrap more on a phone)
TITLE_BAND = 1.0  # the title bar and the gap under it
CAPTION_EDGE = 0.12  # the caption plate may come this close to the bottom edge
GAP = 0.45  # between stacked groups


@dataclass(frozen=True)
class Region:
    """An axis-aligned box of the frame, in scene units."""

    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0])

    def contains(self, mob: Mobject, tolerance: float = 1e-3) -> bool:
        return (
            mob.get_left()[0] >= self.left - tolerance
            and mob.get_right()[0] <= self.right + tolerance
            and mob.get_bottom()[1] >= self.bottom - tolerance
            and mob.get_top()[1] <= self.top + tolerance
        )

    def fit(self, mob: Mobject) -> Mobject:
        """Shrink ``mob`` (never enlarge it) until it fits, then centre it in the region."""
        scale = min(1.0, self.width / max(mob.width, 1e-9), self.height / max(mob.height, 1e-9))
        if scale < 1.0:
            mob.scale(scale)
        return mob.move_to(self.center)

    def stack(self, groups: Sequence[Mobject], gap: float = GAP) -> None:
        """Groups one under another, all shrunk by one factor if they do not fit, centred."""
        groups = [g for g in groups if g is not None and len(g.get_family()) > 0]
        if not groups:
            return
        heights = sum(g.height for g in groups) + gap * (len(groups) - 1)
        shrink = min(1.0, self.height / max(heights, 1e-9))
        for g in groups:
            g.scale(min(shrink, self.width / max(g.width, 1e-9), 1.0))
        total = sum(g.height for g in groups) + gap * (len(groups) - 1)
        y = self.center[1] + total / 2
        for g in groups:
            g.move_to([self.center[0], y - g.height / 2, 0])
            y -= g.height + gap


@dataclass(frozen=True)
class Stage:
    """The frame's named regions for the current aspect (read from Manim's config)."""

    portrait: bool
    frame: Region  # inside the margins
    title: Region  # the title bar's band at the top
    body: Region  # between the title band and the caption band
    captions: Region  # the bottom band: burned-in captions, never content

    def arrange(self, main: Mobject | None = None, side: Mobject | None = None) -> None:
        """Portrait: ``main`` above ``side`` in the body. Landscape: as the scene placed them."""
        if self.portrait:
            self.body.stack([main, side])

    def panels(self, *groups: Mobject, gap: float = GAP) -> None:
        """Portrait: panels placed side by side in landscape go one under another."""
        if self.portrait:
            self.body.stack(groups, gap)

    def column_width(self, left: float) -> float:
        """Room for a text column starting at x = ``left`` in landscape (the frame's width in
        portrait, where the column is stacked under the plot)."""
        if self.portrait:
            return self.frame.width
        return self.frame.right - left


def caption_band_height() -> float:
    """The height kept free at the bottom of the frame for captions, for the current aspect."""
    portrait = config.frame_height > config.frame_width
    return PORTRAIT_CAPTION_BAND if portrait else LANDSCAPE_CAPTION_BAND


def stage(theme: Theme) -> Stage:
    """The regions of the frame Manim is configured for now."""
    half_w, half_h, m = config.frame_width / 2, config.frame_height / 2, theme.margin
    frame = Region(-half_w + m, half_w - m, -half_h + m, half_h - m)
    band_top = -half_h + caption_band_height()
    title_bottom = half_h - TITLE_BAND
    return Stage(
        portrait=config.frame_height > config.frame_width,
        frame=frame,
        title=Region(frame.left, frame.right, title_bottom, frame.top),
        body=Region(frame.left, frame.right, band_top, title_bottom),
        captions=Region(frame.left, frame.right, -half_h + CAPTION_EDGE, band_top),
    )


__all__ = ["Region", "Stage", "stage", "caption_band_height"]
