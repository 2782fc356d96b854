"""Palettes, fonts and sizes: the only place where colours are chosen.

Scenes say *what* a colour means (``theme.target``), never *which* colour it is. A scene
receives its theme the way it receives its params: ``Scene(params, theme="light")``.

One meaning, one hue family, in both themes
-------------------------------------------
Each semantic colour keeps its hue family in both themes (CIELAB hue angle within a few
degrees); only its lightness changes, so that it reads on that theme's background. The
families are the Okabe & Ito (2008) colours, plus a rose red and an ultramarine blue so
that no two meanings share one:

- ``target`` (sky blue): the function we want to approximate.
- ``approx`` (orange): the network's output, the running sum of hinges.
- ``hinge`` (reddish purple): one ReLU unit's contribution, its curve and its formula.
- ``open`` (bluish green) / ``closed`` (grey): a gate that passes (z > 0) / blocks.
- ``accent`` (yellow): what the eye should land on now: kinks, the moving point, the
  focus line or ring, the code highlight bar. Text in this hue: ``accent_text``.
- ``error`` (rose red): error readouts, error bands, witness gaps.
- ``positive`` (ultramarine blue) / ``negative`` (vermillion): the sign of a number:
  weights w > 0 / w < 0, outputs y > 0 / y < 0 (class 1 / class 0).
- ``region_colors`` (a bluish-green ramp): linear regions by how many gates are open,
  faint (none) to vivid (all): the ``open`` hue, more of it as more gates open.
- Greys: ``text``, ``muted`` (secondary text, axes), ``grid``, ``panel``, ``background``.

Weights no longer borrow ``target``/``approx`` (a blue edge no longer says "target"), and
the accent is in no other role (orange used to be both "w < 0" and "highlight").

Contrast (WCAG 2.x, checked in ``tests/test_theme.py`` with :mod:`relu_anim.colour`)
-----------------------------------------------------------------------------------------
- Every colour in :attr:`Theme.text_colors` reaches 4.5:1 against both ``background`` and
  ``panel`` (body text, AA).
- Every colour drawn as a curve, stroke or dot reaches 3:1 (graphics, AA).
- Text drawn on fills (region labels, gate labels, the code highlight bar) keeps 4.5:1
  against the blended fill; ``visuals`` choose the fill opacities accordingly.

Fills and strokes vs text: ``accent`` and ``accent_text``
---------------------------------------------------------
A yellow light enough to look yellow cannot be text on a light background (Okabe-Ito
yellow is 1.2:1 on white). The dark theme's yellow is text-safe, so there
``accent_text == accent``. In the light theme ``accent`` is a mustard at the 3:1 graphics
limit (dots, strokes, bars), and ``accent_text`` a darker olive of the same hue for words.
Keeping the stroke shade light is deliberate: kink dots sit on the ``approx`` curve, and
for deuteranopes and protanopes yellow and orange differ only in lightness, so the accent
must stay lighter than the (text-safe, darker) orange. Every other semantic colour is
itself text-safe in both themes, so it needs no ``_text`` twin.

Colour-vision deficiencies
--------------------------
The pairs that must be told apart (target/approx/hinge on one plot, accent on each curve
colour, open/closed, positive/negative, error on the curves) keep a CIEDE2000 difference
of at least 10 with normal vision, protanopia and deuteranopia (Machado et al. 2009
simulation); ``tests/test_theme.py`` gives the thresholds and their reasons.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design" (the hue families; shades below).
ORANGE = "#E69F00"
SKY_BLUE = "#56B4E9"
BLUISH_GREEN = "#009E73"
YELLOW = "#F0E442"
BLUE = "#0072B2"
VERMILLION = "#D55E00"
REDDISH_PURPLE = "#CC79A7"


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str  # secondary text, axes
    grid: str  # background grid lines
    panel: str  # fill behind code and matrix panels
    target: str  # the curve we want to approximate
    approx: str  # the network's output / running sum
    hinge: str  # one ReLU unit's contribution
    open: str  # a gate that passes its signal (z > 0)
    closed: str  # a gate that blocks (z <= 0)
    accent: str  # what the eye should land on now: dots, strokes, fills (not text)
    error: str  # error readouts, error bands, witness gaps
    region_colors: tuple[str, ...]  # linear regions by number of open gates (a ramp)
    font: str = "DejaVu Sans"
    mono_font: str = "DejaVu Sans Mono"
    title_size: float = 40
    body_size: float = 28
    small_size: float = 22
    tiny_size: float = 18
    margin: float = 0.35  # minimum distance from the frame edge, in scene units
    accent_text: str = ""  # text in the accent's hue; "" means the accent is text-safe
    positive: str = ""  # w > 0, y > 0 (class 1); "" means Okabe-Ito blue
    negative: str = ""  # w < 0, y < 0 (class 0); "" means Okabe-Ito vermillion

    def __post_init__(self) -> None:
        for name, fallback in (
            ("accent_text", self.accent),
            ("positive", BLUE),
            ("negative", VERMILLION),
        ):
            if not getattr(self, name):
                object.__setattr__(self, name, fallback)

    @property
    def text_colors(self) -> tuple[str, ...]:
        """Every colour text may be drawn in (each >= 4.5:1 on ``background`` and ``panel``).

        Not ``accent`` (use ``accent_text``), ``closed``, ``grid``, ``panel`` or the region
        colours: those are for strokes and fills.
        """
        colors = (
            self.text,
            self.muted,
            self.accent_text,
            self.target,
            self.approx,
            self.hinge,
            self.open,
            self.error,
            self.positive,
            self.negative,
        )
        return tuple(dict.fromkeys(colors))  # in order, without repeats


DARK = Theme(
    name="dark",
    background="#111418",
    text="#F2F2F2",
    muted="#9AA4AE",
    grid="#2E3640",
    panel="#1C222A",
    target=SKY_BLUE,
    approx=ORANGE,
    hinge=REDDISH_PURPLE,
    open=BLUISH_GREEN,
    closed="#6B747E",
    accent=YELLOW,
    accent_text=YELLOW,
    error="#F5667A",
    positive="#6F8FF5",
    negative="#F07020",
    region_colors=("#31443B", "#366551", "#368869", "#2EAC81", "#47CF9E"),
)

LIGHT = Theme(
    name="light",
    background="#FAFAF7",
    text="#1A1A1A",
    muted="#5A6570",
    grid="#D5DAE0",
    panel="#ECEEF0",
    target="#006E98",
    approx="#7B5100",
    hinge="#8E3A6E",
    open="#007353",
    closed="#7F868E",
    accent="#928300",
    accent_text="#6D6200",
    error="#C3304B",
    positive="#2A62D6",
    negative="#AF4200",
    region_colors=("#D9F0E5", "#9FD1BA", "#62B291", "#11936B", "#006C4D"),
)

THEMES = {t.name: t for t in (DARK, LIGHT)}
THEME_NAMES = tuple(THEMES)  # the one list of theme choices (CLI, lecture files, tests)


def get_theme(name: str | Theme | None = None) -> Theme:
    """The named theme (a Theme passes through); dark when no name is given."""
    if isinstance(name, Theme):
        return name
    name = name or "dark"
    try:
        return THEMES[name]
    except KeyError:
        raise ValueError(f"unknown theme {name!r}; choose one of: {', '.join(THEMES)}") from None
