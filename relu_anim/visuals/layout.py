"""Screen furniture every scene shares: the title bar, a closing sentence, live readouts."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, DecimalNumber, Text, VGroup, config

from ..theme import Theme
from .text import label


def title_bar(text: str, theme: Theme) -> Text:
    """The scene's title, top-left inside the margin."""
    t = label(text, theme, size=theme.title_size, weight="BOLD")
    return t.to_corner(UP + LEFT, buff=theme.margin)


def closing_line(text: str, theme: Theme, width: float | None = None) -> Text:
    """One sentence at the bottom of the frame, wrapped to fit inside the margins."""
    t = label(text, theme, size=theme.body_size, color=theme.accent)
    max_w = width or config.frame_width - 2 * theme.margin
    if t.width > max_w:
        t.scale_to_fit_width(max_w)
    return t.to_edge(DOWN, buff=theme.margin)


class Readout(VGroup):
    """``name = value`` whose value animates; the number always comes from the caller (the core)."""

    def __init__(
        self,
        name: str,
        value: float,
        theme: Theme,
        places: int = 3,
        color: str | None = None,
        size: float | None = None,
    ):
        size = size or theme.small_size
        self.name_text = label(f"{name} =", theme, size=size, color=theme.muted)
        self.number = DecimalNumber(
            value, num_decimal_places=places, font_size=size * 1.15, color=color or theme.text
        )
        self.number.next_to(self.name_text, RIGHT, buff=0.15)
        super().__init__(self.name_text, self.number)

    def set_value(self, value: float) -> Readout:
        self.number.set_value(value)
        self.number.next_to(self.name_text, RIGHT, buff=0.15)
        return self
