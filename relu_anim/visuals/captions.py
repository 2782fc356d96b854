"""Captions drawn into the frames, for platforms that ignore caption files.

The captions are the ``.srt``'s own chunks at the ``.srt``'s own times: the scene hands each
chunk ``(start, end, text)`` to :meth:`BurnedCaptions.schedule` when it schedules it, and an
updater shows, on every frame, the chunk whose interval holds the frame's time (the one that
started last, when a chunk's end is not known yet). They sit centred in the caption band at
the bottom of the frame (:func:`relu_anim.visuals.stage.frame_layout`), which content never uses, on
a plate of the theme's panel colour, in the theme's text colour. The frame guard keeps the
content's text out of that band whenever captions are burned in.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import RoundedRectangle, VGroup, VMobject

from ..theme import Theme
from .layout import wrapped
from .stage import frame_layout

PLATE_OPACITY = 0.92  # the text keeps its 4.5:1 contrast on the plate over any content
PAD = 0.12  # plate padding around the lines, in scene units


class BurnedCaptions(VGroup):
    """The caption band's content: one wrapped caption on its plate, or nothing."""

    def __init__(self, theme: Theme, clock: Callable[[], float], line=lambda: None):
        super().__init__()
        self.theme = theme
        self.clock = clock  # the scene time of the frame being drawn
        self.line = line  # the scene's caption line now on screen (callables: never deep-copied)
        self.chunks: list[tuple[float, float, str]] = []
        self.shown: str | None = None
        self.region = frame_layout(theme).captions
        self.plate = VMobject(stroke_width=0, fill_color=theme.panel, fill_opacity=PLATE_OPACITY)
        self.ink = VMobject(stroke_width=0, fill_color=theme.text, fill_opacity=1.0)
        self.add(self.plate, self.ink)
        self.add_updater(lambda m: m.refresh())  # every frame of a play or a moving wait

    def has_time_based_updater(self) -> bool:
        """True only while a chunk is still to come, so a wait draws every frame to switch to
        it; otherwise a wait stays one frozen frame (as without captions), with the caption
        brought up to date here, just before Manim decides and draws that frame."""
        self.refresh()
        now = self.clock()
        return any(start > now + 1e-9 for start, _, _ in self.chunks)

    def schedule(self, chunks) -> None:
        """Add chunks ``(start, end, text)`` (absolute scene times), as the ``.srt`` gets them.

        A silent line goes into the ``.srt`` whole (its sentence chunks are only its timing),
        so it is drawn whole too."""
        line = self.line()
        if chunks and line is not None and line.chunks is None:
            chunks = [(chunks[0][0], chunks[-1][1], line.text)]
        self.chunks = sorted([*self.chunks, *((float(a), float(b), t) for a, b, t in chunks)])
        self.refresh()

    def text_at(self, t: float) -> str | None:
        """The chunk shown at time ``t``: the latest to have started. A chunk stays up until the
        next one starts, as in the ``.srt``, where a line's last chunk lasts until the next line."""
        started = [text for start, _, text in self.chunks if start <= t + 1e-9]
        return started[-1] if started else None

    def refresh(self) -> BurnedCaptions:
        """Show the chunk of the frame's time. The plate and the letters are two fixed
        mobjects whose points are rewritten: during an animation Manim draws the family it
        collected when the animation began, so a new card would stay unseen (and the old one
        linger) until the animation ended."""
        text = self.text_at(self.clock())
        if text != self.shown:
            self.shown = text
            if text is None:
                self.plate.clear_points()
                self.ink.clear_points()
            else:
                plate, lines = self.card(text)
                self.plate.set_points(plate.points)
                self.ink.set_points(
                    np.vstack([g.points for g in lines.family_members_with_points()])
                )
        return self

    def card(self, text: str) -> tuple[VMobject, VGroup]:
        """``text`` wrapped to the band's width, centred on its plate, fitted into the band."""
        th, region = self.theme, self.region
        size = th.small_size * (24 / 22 if region.width < 10 else 1.0)  # a phone: one step up
        lines = wrapped(text, th, region.width - 2 * PAD - 0.3, size=size, color=th.text)
        for line in lines:
            line.set_x(0)
        plate = RoundedRectangle(
            corner_radius=0.1, width=lines.width + 2 * PAD + 0.3, height=lines.height + 2 * PAD
        )
        card = VGroup(plate, lines.move_to(plate))
        if card.height > region.height:
            card.scale_to_fit_height(region.height)
        card.move_to([region.center[0], region.bottom + card.height / 2, 0])
        return plate, lines


def burned_captions(scene) -> BurnedCaptions:
    """The scene's burned-in captions, added in front of everything the first time."""
    captions = getattr(scene, "_burned_captions", None)
    if captions is None:
        captions = BurnedCaptions(
            scene.theme,
            clock=lambda: float(scene.renderer.time),
            line=lambda: getattr(scene, "_open_caption", None),
        )
        scene._burned_captions = captions
        scene.add_foreground_mobject(captions)
    return captions
