"""Where things go on the frame, for both aspects: named regions computed from Manim's config.

A landscape (16:9) frame is 14.2 x 8 units; a portrait (9:16) one is 8 x 14.2 at the same
pixels per unit, so a font size reads the same on a phone. Scenes compose their landscape
layout as they always have (a plot on the left, a panel on the right); the same call then
stacks those groups in portrait (plot above, panel below) instead of letterboxing the
landscape picture::

    st = frame_layout(theme)
    st.arrange(main=VGroup(axes, curve), side=VGroup(formula, readouts))  # portrait: stacked
    st.panels(left_plot, right_plot)  # two panels side by side: stacked in portrait

In landscape both calls leave things where the scene put them. The bottom ``captions``
region is kept free of content for burned-in captions, in both aspects.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from manim import LEFT, UP, Mobject, config

from ..theme import Theme

LANDSCAPE_CAPTION_BAND = 0.9  # scene units: one caption line across 14.2 units (two, smaller)
PORTRAIT_CAPTION_BAND = 1.9  # three lines across 8 units (captions wrap more on a phone)
TITLE_BAND = 1.0  # the title bar and the gap under it
CAPTION_EDGE = 0.12  # the caption plate may come this close to the bottom edge
GAP = 0.45  # between stacked groups
LANDSCAPE_SIDE_LEFT = 0.6  # where the scenes' right-hand column starts in landscape
MAIN_SHARE = 0.5  # of the portrait body's height, for the plot (the panel gets the rest)


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

    def fit(self, mob: Mobject, top: bool = False) -> Mobject:
        """Shrink ``mob`` (never enlarge it) until it fits; centre it (``top``: at the top)."""
        scale = min(1.0, self.width / max(mob.width, 1e-9), self.height / max(mob.height, 1e-9))
        if scale < 1.0:
            mob.scale(scale)
        y = self.top - mob.height / 2 if top else self.center[1]
        return mob.move_to([self.center[0], y, 0])

    def rows(self, n: int, gap: float = GAP, shares: Sequence[float] | None = None) -> list[Region]:
        """The region cut into ``n`` rows, top first (heights in proportion to ``shares``)."""
        shares = list(shares or [1.0] * n)
        room = self.height - gap * (n - 1)
        out, top = [], self.top
        for share in shares:
            height = room * share / sum(shares)
            out.append(Region(self.left, self.right, top - height, top))
            top -= height + gap
        return out


@dataclass(frozen=True)
class Stage:
    """The frame's named regions for the current aspect (read from Manim's config)."""

    portrait: bool
    frame: Region  # inside the margins
    title: Region  # the title bar's band at the top
    body: Region  # between the title band and the caption band
    captions: Region  # the bottom band: burned-in captions, never content
    main: Region  # the plot: left in landscape, the upper part in portrait
    side: Region  # the panel beside it: right in landscape, the lower part in portrait
    landscape_right: float = 0.0  # the right margin of the landscape frame (x)

    def arrange(self, main: Mobject | None = None, side: Mobject | None = None) -> None:
        """Portrait: ``main`` fitted into the upper part, ``side`` into the lower part (from its
        top, so a note added under it later has room). Landscape: as the scene placed them."""
        if self.portrait:
            if main is not None:
                self.main.fit(main)
            if side is not None:
                self.side.fit(side, top=True)

    def panels(self, *groups: Mobject, gap: float = GAP) -> None:
        """Portrait: panels placed side by side in landscape go one under another."""
        if self.portrait:
            for group, row in zip(groups, self.body.rows(len(groups), gap), strict=True):
                row.fit(group)

    def side_shift(self, top: float, left: float = LANDSCAPE_SIDE_LEFT) -> np.ndarray:
        """What carries a right-column layout drawn at landscape coordinates (its top at
        y = ``top``, its left edge at x = ``left``) to the top of the portrait side region,
        centred; zero in landscape.

        For pieces built at fixed coordinates (a folding strip's origin, a row of cells), which
        cannot simply be moved as one group once they exist."""
        if not self.portrait:
            return np.zeros(3)
        centre = (left + self.landscape_right) / 2
        return np.array([self.side.center[0] - centre, self.side.top - top, 0.0])

    def inside(self, mob: Mobject) -> Mobject:
        """Slide ``mob`` sideways until it lies between the margins (it must not be wider)."""
        shift = max(0.0, self.frame.left - mob.get_left()[0])
        shift += min(0.0, self.frame.right - mob.get_right()[0])
        return mob.shift([shift, 0, 0])

    def above_band(self, mob: Mobject) -> Mobject:
        """Shrink ``mob`` about its top-left corner (a left-aligned column keeps its edge) if it
        reaches into the caption band."""
        room = mob.get_top()[1] - self.body.bottom
        if mob.get_bottom()[1] < self.body.bottom and room > 0:
            mob.scale(room / mob.height, about_edge=UP + LEFT)
        return mob


def caption_band_height() -> float:
    """The height kept free at the bottom of the frame for captions, for the current aspect."""
    portrait = config.frame_height > config.frame_width
    return PORTRAIT_CAPTION_BAND if portrait else LANDSCAPE_CAPTION_BAND


def frame_layout(theme: Theme) -> Stage:
    """The regions of the frame Manim is configured for now."""
    half_w, half_h, m = config.frame_width / 2, config.frame_height / 2, theme.margin
    frame = Region(-half_w + m, half_w - m, -half_h + m, half_h - m)
    band_top = -half_h + caption_band_height()
    title_bottom = half_h - TITLE_BAND
    portrait = config.frame_height > config.frame_width
    body = Region(frame.left, frame.right, band_top, title_bottom)
    landscape_right = max(config.frame_width, config.frame_height) / 2 - m
    if portrait:
        main, side = body.rows(2, shares=(MAIN_SHARE, 1 - MAIN_SHARE))
    else:  # the landscape scenes' own split: plot left of x = 0.3, panel right of x = 0.6
        main = Region(frame.left, 0.3, band_top, title_bottom)
        side = Region(LANDSCAPE_SIDE_LEFT, frame.right, band_top, frame.top)
    return Stage(
        portrait=portrait,
        frame=frame,
        title=Region(frame.left, frame.right, title_bottom, frame.top),
        body=body,
        captions=Region(frame.left, frame.right, -half_h + CAPTION_EDGE, band_top),
        main=main,
        side=side,
        landscape_right=landscape_right,
    )
