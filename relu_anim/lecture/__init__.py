"""The scene framework a scene author meets: LectureScene, beats, Params helpers, the registry.

Importing this package is cheap; ``LectureScene`` (which imports Manim) loads on first use.
"""

from __future__ import annotations

from typing import Any

_LAZY = {
    "LectureScene": ".scene",
    "FrameBoundsError": ".scene",
    "beat": ".scene",
    "param": ".params",
}

__all__ = sorted(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        from importlib import import_module

        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
