"""A monospace code panel with a highlight bar that moves to a line.

Lines keep their indentation (``Text`` drops leading spaces, so indents are placed by the
measured character width) and sit on evenly spaced slots, aligned at their tops so the
baselines agree. ``highlight(i, color)`` moves the bar behind line ``i`` and recolours it
(``theme.accent`` unless told: the bar is "look here"; its opacity is capped so the line's
text keeps 4.5:1 on it);
``highlighted`` says which line it is on, for tests. ``set_line(i, text)`` rewrites one
line in place (a live value), rebuilding its Text only when the text changes. Comment lines
(``# ...``) are drawn in ``theme.muted``.
"""

from __future__ import annotations

from collections.abc import Sequence

from manim import Rectangle, RoundedRectangle, VGroup

from ..colour import readable_opacity
from ..theme import Theme
from .text import GlyphText, mono


def signed(value: float, places: int = 2) -> str:
    """``" + 1.23"`` / ``" - 1.23"``: a term joined onto an expression with its sign (a value
    that rounds to zero is ``" + 0.00"``, never ``" - 0.00"``)."""
    shown = round(float(value), places)
    return f" {'-' if shown < 0 else '+'} {abs(shown):.{places}f}"


def number(value: float, places: int = 2) -> str:
    """``value`` to ``places`` decimals, never ``-0.00``."""
    return f"{round(float(value), places) + 0.0:.{places}f}"


def affine_code(w: Sequence[float], b: float, names: Sequence[str], places: int = 2) -> str:
    """``7.16*x1 - 1.53*x2 - 0.15`` from weights and bias, each to ``places`` decimals."""
    first = f"{number(w[0], places)}*{names[0]}"
    rest = "".join(f"{signed(wi, places)}*{n}" for wi, n in zip(w[1:], names[1:], strict=True))
    return first + rest + signed(b, places)


class CodePanel(VGroup):
    """Code lines on a ``theme.panel`` card, with a highlight bar behind one line."""

    def __init__(
        self,
        lines: Sequence[str],
        theme: Theme,
        size: float | None = None,
        pad: float = 0.25,
        line_gap: float = 0.48,
        min_width: float = 0.0,
    ):
        super().__init__()
        self.theme = theme
        self.line_gap = line_gap
        size = size or theme.small_size
        self.size, self.pad = size, pad
        self.char_w = mono("M" * 20, theme, size).width / 20
        self.cap = mono("Mh", theme, size).height  # the height of a line with an ascender
        self.texts = list(lines)
        self.lines = VGroup(*(self._make_line(text) for text in lines))
        for i, line in enumerate(self.lines):
            self._place(line, i, 0.0, 0.0)
        self._slot0 = 0.0  # y of the first slot's centre
        width = max(self.lines.width + 2 * pad, min_width)
        height = line_gap * len(lines) + pad
        self._height = height  # as built: the card's height now says how much it was scaled
        self.card = RoundedRectangle(corner_radius=0.12, width=width, height=height)
        self.card.set_fill(theme.panel, opacity=1.0).set_stroke(theme.grid, width=1.5)
        self.card.move_to([width / 2 - pad, -(len(lines) - 1) * line_gap / 2, 0.0])
        self.bar = Rectangle(width=width - 0.12, height=line_gap * 0.95)
        self.bar.set_stroke(width=0).set_fill(theme.accent, opacity=0.0)
        self.bar.move_to([self.card.get_x(), 0.0, 0.0])
        self.highlighted: int | None = None
        self.add(self.card, self.bar, self.lines)

    def _color(self, text: str) -> str:
        return self.theme.muted if text.lstrip().startswith("#") else self.theme.text

    def _make_line(self, text: str) -> GlyphText:
        line = GlyphText(text.strip() or ".", self.theme, self.size, self._color(text), mono=True)
        if not text.strip():
            line.set_opacity(0.0)
        line.indent = len(text) - len(text.lstrip(" "))
        line.original_text = text.strip()
        return line

    @property
    def scale_factor(self) -> float:
        """How much the panel was scaled since it was built (1 until it is fitted somewhere)."""
        return self.card.height / self._height if hasattr(self, "card") else 1.0

    def _place(self, line, i: int, left: float, first_y: float) -> None:
        """Pen origin at ``left`` plus the indent, on line ``i``'s baseline."""
        k = self.scale_factor
        baseline = first_y - k * (i * self.line_gap + self.cap / 2)
        line.move_origin_to([left + k * line.indent * self.char_w, baseline, 0.0])

    def set_line(self, i: int, text: str):
        """Rewrite line ``i`` where it stands (the panel may have moved since it was built).

        Glyphs are re-composed from a cache, not re-typeset: cheap enough for every frame.
        """
        if text == self.texts[i]:
            return self
        line = self.lines[i]
        line.set_text(text.strip() or ".", color=self._color(text))
        line.set_opacity(1.0 if text.strip() else 0.0)
        line.indent = len(text) - len(text.lstrip(" "))
        line.original_text = text.strip()
        left = self.card.get_left()[0] + self.pad * self.scale_factor
        self._place(line, i, left, self.slot_y(0))
        self.texts[i] = text
        return self

    def slot_y(self, i: int) -> float:
        """The y of line ``i``'s slot centre, wherever the panel has been moved to."""
        top = self.card.get_top()[1] - self.card.height / 2
        n = len(self.lines)
        return top + ((n - 1) / 2 - i) * self.line_gap * self.scale_factor

    def highlight(self, i: int | None, color: str | None = None, opacity: float = 0.45):
        """Move the bar behind line ``i`` (``None`` hides it), at ``opacity`` or less: at most
        what keeps line ``i``'s text at 4.5:1 on the bar over the panel."""
        self.highlighted = i
        if i is None:
            self.bar.set_fill(opacity=0.0)
            return self
        color = color or self.theme.accent
        text = self._color(self.texts[i])
        opacity = readable_opacity(color, self.theme.panel, [text], upto=opacity)
        self.bar.set_fill(color, opacity=opacity)
        self.bar.set_y(self.slot_y(i))
        return self
