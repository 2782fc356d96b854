"""Screen furniture every scene shares: the title bar, a closing sentence, live readouts."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Animation, Text, VGroup, config

from ..theme import Theme
from .text import GlyphText, label


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


class TextNumber(GlyphText):
    """A number in the theme's text font (DecimalNumber would draw LaTeX serif digits).

    ``set_value`` re-composes cached glyphs on the same baseline and left edge: cheap enough
    for a readout that changes every frame, and it reads like the label beside it.
    """

    def __init__(
        self,
        value: float,
        theme: Theme,
        places: int = 3,
        size: float | None = None,
        color: str | None = None,
    ):
        self.num_decimal_places, self.value = places, float(value)
        super().__init__(self._format(self.value), theme, size or theme.small_size, color)

    def _format(self, value: float) -> str:
        return f"{value:.{self.num_decimal_places}f}".replace("-", "\u2212")

    def get_value(self) -> float:
        return self.value

    def set_value(self, value: float) -> TextNumber:
        self.value = float(value)
        return self.set_text(self._format(self.value))


class Readout(VGroup):
    """``name = value`` whose value changes; the number always comes from the caller (the core)."""

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
        self.number = TextNumber(value, theme, places, size=size, color=color or theme.text)
        self.number.next_to(self.name_text, RIGHT, buff=0.15)
        super().__init__(self.name_text, self.number)

    def set_value(self, value: float) -> Readout:
        self.number.set_value(value)
        return self


class ChangeNumber(Animation):
    """Switch a TextNumber to ``value`` halfway through the animation.

    Counting through every intermediate value would rebuild text glyphs on every frame; one
    switch shows the same truth (both values come from the core) at a fraction of the cost.
    """

    def __init__(self, number: TextNumber, value: float, **kwargs):
        self.target_value = float(value)
        super().__init__(number, **kwargs)

    def interpolate_mobject(self, alpha: float) -> None:
        if self.rate_func(alpha) >= 0.5 and self.mobject.get_value() != self.target_value:
            self.mobject.set_value(self.target_value)
