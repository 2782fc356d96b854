"""Palettes, fonts and sizes: the only place where colours are chosen.

Colours are the Okabe-Ito palette (distinguishable with the common colour-vision
deficiencies), given semantic names so scenes say *what* a colour means, never *which*.
A scene receives its theme the way it receives its params: ``Scene(params, theme="light")``.
"""

from __future__ import annotations

from dataclasses import dataclass

# Okabe & Ito (2008), "Color Universal Design".
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
    accent: str  # what the eye should land on now
    error: str  # error readouts, witness gaps
    region_colors: tuple[str, ...]  # linear regions / activation patterns
    font: str = "DejaVu Sans"
    mono_font: str = "DejaVu Sans Mono"
    title_size: float = 40
    body_size: float = 28
    small_size: float = 22
    tiny_size: float = 18
    margin: float = 0.35  # minimum distance from the frame edge, in scene units


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
    closed="#5C6670",
    accent=YELLOW,
    error=VERMILLION,
    region_colors=(SKY_BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, YELLOW, BLUE, VERMILLION),
)

LIGHT = Theme(
    name="light",
    background="#FAFAF7",
    text="#1A1A1A",
    muted="#5A6570",
    grid="#D5DAE0",
    panel="#ECEEF0",
    target=BLUE,
    approx=VERMILLION,
    hinge=REDDISH_PURPLE,
    open=BLUISH_GREEN,
    closed="#A0A8B0",
    accent=ORANGE,
    error=VERMILLION,
    region_colors=(SKY_BLUE, ORANGE, BLUISH_GREEN, REDDISH_PURPLE, YELLOW, BLUE, VERMILLION),
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
