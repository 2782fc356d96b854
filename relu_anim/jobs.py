"""Cache keys: what a render depends on, hashed, so unchanged jobs can be skipped.

A scene's output depends on its own file, the ``relu_anim`` modules it imports (followed
transitively through ``import`` statements, read with :mod:`ast`, never executed), its
parameters, quality, format, theme, and the Manim version.
"""

from __future__ import annotations

import ast
import hashlib
import json
from functools import cache
from importlib.metadata import version
from pathlib import Path

from .manifest import file_sha256

PACKAGE_ROOT = Path(__file__).resolve().parent  # .../relu_anim
PACKAGE = PACKAGE_ROOT.name


def _module_file(name: str) -> Path | None:
    """File of a relu_anim module name like 'relu_anim.core.hinges', or None."""
    parts = name.split(".")
    if parts[0] != PACKAGE:
        return None
    base = PACKAGE_ROOT.joinpath(*parts[1:])
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def _module_name(path: Path) -> str:
    rel = path.resolve().relative_to(PACKAGE_ROOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Absolute names of the relu_anim modules that ``path`` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside = path.resolve().is_relative_to(PACKAGE_ROOT)
    here = _module_name(path).split(".") if inside else []
    if inside and path.name != "__init__.py":
        here = here[:-1]  # the package the module lives in
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if not inside:
                    continue
                base = here[: len(here) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(f"{mod}.{a.name}" for a in node.names)  # `from pkg import module`
    return {n for n in names if n.split(".")[0] == PACKAGE}


@cache
def source_files(scene_file: Path) -> tuple[Path, ...]:
    """The scene file plus every relu_anim module it reaches through imports, sorted."""
    seen: set[Path] = set()
    stack = [Path(scene_file).resolve()]
    while stack:
        path = stack.pop()
        if path in seen:
            continue
        seen.add(path)
        for name in _imports(path):
            # Importing a.b.c also runs a/__init__.py and a/b/__init__.py.
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                f = _module_file(".".join(parts[:i]))
                if f is not None and f not in seen:
                    stack.append(f)
    return tuple(sorted(seen))


def cache_key(job, files, package_version: str) -> str:
    """sha256 over everything that changes the output of ``job``."""
    payload = {
        "scene": job.scene,
        "sources": {
            str(p.relative_to(PACKAGE_ROOT.parent))
            if p.is_relative_to(PACKAGE_ROOT.parent)
            else p.name: file_sha256(p)
            for p in files
        },
        "params": job.params,
        "quality": job.quality,
        "format": job.fmt,
        "theme": job.theme,
        "manim": version("manim"),
        "relu_anim": package_version,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
