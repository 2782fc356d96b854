"""Text and formulas in the theme's fonts, with a plain-text fallback when LaTeX is missing."""

from __future__ import annotations

import logging
import os
import shutil
from functools import cache

from manim import MathTex, Text, VMobject

from ..theme import Theme

log = logging.getLogger("relu_anim")
NO_LATEX_ENV = "RELU_ANIM_NO_LATEX"


@cache
def latex_available() -> bool:
    """True when ``latex`` and ``dvisvgm`` are on PATH (and not disabled by RELU_ANIM_NO_LATEX)."""
    if os.environ.get(NO_LATEX_ENV) == "1":
        return False
    return bool(shutil.which("latex") and shutil.which("dvisvgm"))


@cache
def _warn_once() -> None:
    log.warning("LaTeX not found (latex, dvisvgm): formulas are drawn as plain text")


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
