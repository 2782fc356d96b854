"""Finds every LectureScene: the modules of ``scenes/`` (installed as ``relu_anim.scenes``),
then entry points.

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
from pathlib import Path

ENTRY_POINT_GROUP = "relu_anim.scenes"
EXTRA_ENV = "RELU_ANIM_EXTRA_SCENES"  # comma-separated importable modules with more scenes


class UnknownSceneError(LookupError):
    """A scene name that is not registered; the message suggests the closest names."""


@cache
def discover() -> dict[str, type]:
    """Scene class name -> class, in lecture order (each class's ``order``, then name)."""
    from .. import scenes as package
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


def scene_files() -> list[Path]:
    """Every file a scene can come from (scenes/ and RELU_ANIM_EXTRA_SCENES), without importing.

    For cache fingerprints: cheap enough for the no-op path, which must not import Manim.
    """
    import importlib.util

    spec = importlib.util.find_spec("relu_anim.scenes")
    folders = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    files = sorted(p for folder in folders for p in folder.glob("*.py"))
    for name in filter(None, os.environ.get(EXTRA_ENV, "").split(",")):
        extra = importlib.util.find_spec(name.strip())
        if extra is not None and extra.origin:
            files.append(Path(extra.origin))
    return files


def get_scene(name: str) -> type:
    scenes = discover()
    if name in scenes:
        return scenes[name]
    close = difflib.get_close_matches(name, scenes, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(close)}?" if close else ""
    valid = ", ".join(scenes) or "none registered"
    raise UnknownSceneError(f"unknown scene {name!r}{hint} (valid: {valid})")
