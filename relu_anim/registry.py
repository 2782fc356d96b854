"""Finds every LectureScene: the modules of the ``scenes`` package, then entry points.

Adding a scene means adding one file to ``scenes/``; nothing else is edited. Third-party
packages can register more under the ``relu_anim.scenes`` entry-point group, and
``RELU_ANIM_EXTRA_SCENES=pkg.mod,other.mod`` adds modules for one run (used by the tests).
"""

from __future__ import annotations

import difflib
import importlib
import os
import pkgutil
from functools import cache
from importlib.metadata import entry_points

ENTRY_POINT_GROUP = "relu_anim.scenes"
EXTRA_ENV = "RELU_ANIM_EXTRA_SCENES"  # comma-separated importable modules with more scenes


class UnknownSceneError(LookupError):
    """A scene name that is not registered; the message suggests the closest names."""


@cache
def discover() -> dict[str, type]:
    """Scene class name -> class, in lecture order (each class's ``order``, then name)."""
    import scenes as package

    from .scene import LectureScene  # imports manim: only when scenes are wanted

    found: dict[str, type] = {}
    modules = [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name)
        if not info.name.startswith("_")
    ]
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        modules.append(ep.load())
    for name in filter(None, os.environ.get(EXTRA_ENV, "").split(",")):
        modules.append(importlib.import_module(name.strip()))
    for module in modules:
        for obj in vars(module).values() if hasattr(module, "__dict__") else [module]:
            if (
                isinstance(obj, type)
                and issubclass(obj, LectureScene)
                and obj is not LectureScene
                and obj.__module__ == getattr(module, "__name__", obj.__module__)
                and not getattr(obj, "abstract", False)
            ):
                found.setdefault(obj.__name__, obj)
    return dict(sorted(found.items(), key=lambda item: (item[1].order, item[0])))


def get_scene(name: str) -> type:
    scenes = discover()
    if name in scenes:
        return scenes[name]
    close = difflib.get_close_matches(name, scenes, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    valid = ", ".join(scenes) or "none registered"
    raise UnknownSceneError(f"unknown scene {name!r}{hint} (valid: {valid})")
