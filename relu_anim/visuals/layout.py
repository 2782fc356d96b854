"""Screen furniture every scene shares: the title bar, a closing sentence, live readouts."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Animation,
    Rectangle,
    RoundedRectangle,
    Text,
    VGroup,
    config,
)

from ..theme import Theme
from .stage import caption_band_height
from .text import GlyphText, advance_width, label


def title_bar(text: str, theme: Theme) -> Text:
    """The scene's title, top-left inside the margin (narrowed to fit a portrait frame)."""
    t = label(text, theme, size=theme.title_size, weight="BOLD")
    room = config.frame_width - 2 * theme.margin
    if t.width > room:
        t.scale_to_fit_width(room)
    return t.to_corner(UP + LEFT, buff=theme.margin)


def wrapped(
    text: str, theme: Theme, max_width: float, size: float | None = None, color: str | None = None
) -> VGroup:
    """``text`` as left-aligned lines, broken at spaces so no line is wider than ``max_width``.

    The whole text is typeset once and the breaks are read off its glyphs' positions; then
    only the finished lines are typeset (a Pango call per trial line, or per glyph measured
    alone, cost seconds per burned caption).
    """
    size = size or theme.body_size
    words = text.split()
    ends = _word_edges(words, theme, size)
    lines: list[Text] = []
    first = 0
    for i in range(1, len(words) + 1):
        too_wide = i < len(words) and ends[i][1] - ends[first][0] > max_width
        if i == len(words) or too_wide:
            lines.append(label(" ".join(words[first:i]), theme, size=size, color=color))
            first = i
    block = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.16 * size / 28)
    if block.width > max_width:  # a single word wider than the line
        block.scale_to_fit_width(max_width)
    return block


def _word_edges(words: list[str], theme: Theme, size: float) -> list[tuple[float, float]]:
    """(left, right) of each word on one typeset line of all of them."""
    if not words:
        return []
    line = label(" ".join(words), theme, size=size)
    glyphs = line.submobjects
    if len(glyphs) != sum(len(w) for w in words):  # a ligature: measure by advances instead
        edges, x = [], 0.0
        for word in words:
            width = advance_width(word, theme, size)
            edges.append((x, x + width))
            x += width + advance_width(" ", theme, size)
        return edges
    edges, k = [], 0
    for word in words:
        edges.append((glyphs[k].get_left()[0], glyphs[k + len(word) - 1].get_right()[0]))
        k += len(word)
    return edges


def dimmer(theme: Theme, opacity: float = 0.8) -> Rectangle:
    """A veil over the whole frame in the background colour: what is behind steps back."""
    veil = Rectangle(width=config.frame_width, height=config.frame_height)
    return veil.set_stroke(width=0).set_fill(theme.background, opacity=opacity)


def closing_card(text: str, theme: Theme) -> VGroup:
    """A scene's last words: centred on a panel, clear of the title and the subtitle band."""
    room = min(9.0, config.frame_width - 2 * theme.margin - 0.9)  # 9 units, or a phone's width
    block = wrapped(text, theme, max_width=room, size=theme.title_size * 0.9, color=theme.text)
    for line in block:
        line.set_x(0)
    panel = RoundedRectangle(
        corner_radius=0.2, width=block.width + 0.9, height=block.height + 0.7
    ).set_stroke(theme.accent, width=3)
    panel.set_fill(theme.panel, opacity=0.96)
    card = VGroup(panel, block.move_to(panel))
    bottom = -config.frame_height / 2 + caption_band_height()
    return card.move_to([0, max(0.0, bottom + card.height / 2), 0])


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
        text = f"{value:.{self.num_decimal_places}f}"
        if float(text) == 0:  # no "-0.00": a value that rounds to zero shows as zero
            text = text.lstrip("-")
        return text.replace("-", "\u2212")

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

    def show(self, value: float) -> Readout:
        """Set the value, rebuilding digits only when the shown text changes (cheap per frame)."""
        places = self.number.num_decimal_places
        if round(self.number.get_value(), places) != round(value, places):
            self.number.set_value(value)
        return self

    def track(self, source) -> Readout:
        """A live readout: every frame, show ``source()`` (a number from the core)."""
        return self.add_updater(lambda m: m.show(source()))


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
