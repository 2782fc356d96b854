"""What a render depends on, hashed: cache keys of jobs and the fingerprint of a request.

One hashing scheme for both: sha256 of canonical JSON (sorted keys) whose ``sources`` maps
each file's label (path relative to the repository, else absolute) to the sha256 of its
bytes (``hashlib.file_digest``).

- A job's **cache key** covers its scene's file, the ``relu_anim`` modules that file reaches
  through imports (read with :mod:`ast`, never executed), its parameters, quality, format,
  theme, encoder settings, and the Manim and relu-anim versions. An unchanged key skips the job.
- A request's **fingerprint** covers the request as typed and every source it could depend
  on. Equal fingerprints mean equal plans, so a repeated request is answered from the
  manifest without importing Manim or any scene.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import re
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

from .. import __version__
from ..voice import VOICE_ENV, installed_ids, voice_id

PACKAGE_ROOT = Path(__file__).resolve().parents[1]  # .../relu_anim
PACKAGE = PACKAGE_ROOT.name
REPO_ROOT = PACKAGE_ROOT.parent


# -- the one hashing scheme ---------------------------------------------------------------
def file_digest(path: Path) -> str:
    """sha256 of a file's bytes."""
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def digest(payload: Any) -> str:
    """sha256 of ``payload`` as canonical JSON."""
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def sources_digests(files) -> dict[str, str]:
    """{label: sha256} for ``files``; labels are repository-relative where possible."""
    out = {}
    for p in sorted({Path(f).resolve() for f in files}):
        label = p.relative_to(REPO_ROOT).as_posix() if p.is_relative_to(REPO_ROOT) else str(p)
        out[label] = file_digest(p)
    return out


@cache
def manim_version() -> str:
    return version("manim")


# -- cache keys ----------------------------------------------------------------------------
@cache
def _package_dirs() -> tuple[tuple[str, Path], ...]:
    """(package, folder) for relu_anim and relu_anim.scenes (installed from ``scenes/``),
    the most specific first."""
    import importlib.util

    dirs = {PACKAGE: PACKAGE_ROOT}
    spec = importlib.util.find_spec(f"{PACKAGE}.scenes")  # imports relu_anim only
    for folder in (spec.submodule_search_locations or []) if spec else []:
        dirs[f"{PACKAGE}.scenes"] = Path(folder).resolve()
    return tuple(sorted(dirs.items(), key=lambda item: -len(item[0])))


def _module_file(name: str) -> Path | None:
    """File of a module name like 'relu_anim.core.hinges' or 'relu_anim.scenes.x', or None."""
    for package, folder in _package_dirs():
        if name == package or name.startswith(package + "."):
            base = folder.joinpath(*name.split(".")[package.count(".") + 1 :])
            for candidate in (base.with_suffix(".py"), base / "__init__.py"):
                if candidate.is_file():
                    return candidate
            return None
    return None


def _module_name(path: Path) -> str | None:
    """Module name of a file inside one of our packages, else None."""
    path = path.resolve()
    for package, folder in _package_dirs():
        if path.is_relative_to(folder):
            parts = [package, *path.relative_to(folder).with_suffix("").parts]
            return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return None


def _imports(tree: ast.Module, path: Path) -> set[str]:
    """Absolute names of the relu_anim modules that the module at ``path`` imports."""
    name = _module_name(path)
    inside = name is not None
    here = name.split(".") if inside else []
    if inside and path.name != "__init__.py":
        here = here[:-1]  # the package the module lives in
    names = {".".join(here)} if here else set()  # importing a module runs its package's __init__
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level and not inside:
                continue
            if node.level:
                base = here[: len(here) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            names.add(mod)
            names.update(f"{mod}.{a.name}" for a in node.names)  # `from pkg import module`
    return {n for n in names if n.split(".")[0] == PACKAGE}


def _lazy_package_files(tree: ast.Module, path: Path) -> list[Path]:
    """Modules that a package's ``__init__`` loads lazily (a module-level ``__getattr__``).

    ``relu_anim.lecture`` loads ``LectureScene`` from ``".scene"`` on first use: no import
    statement says so. The targets are the relative module names written as strings in the
    ``__init__``; if there are none, the whole package counts (a safe over-estimate).
    """
    if path.name != "__init__.py" or not any(
        isinstance(node, ast.FunctionDef) and node.name == "__getattr__" for node in tree.body
    ):
        return []
    names = {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and re.fullmatch(r"\.[A-Za-z_][\w.]*", node.value)
    }
    package = _module_name(path)
    files = [_module_file(package + name) for name in sorted(names)]
    files = [f for f in files if f is not None]
    return files or sorted(path.parent.rglob("*.py"))


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
        tree = ast.parse(path.read_text(encoding="utf-8"))
        stack.extend(_lazy_package_files(tree, path))
        for name in _imports(tree, path):
            # Importing a.b.c also runs a/__init__.py and a/b/__init__.py.
            parts = name.split(".")
            for i in range(1, len(parts) + 1):
                f = _module_file(".".join(parts[:i]))
                if f is not None and f not in seen:
                    stack.append(f.resolve())
    return tuple(sorted(seen))


def cache_key(job) -> str:
    """sha256 over everything that changes the output of ``job`` (a ``plan.Job``)."""
    return digest(
        {
            "scene": job.scene,
            "sources": sources_digests(source_files(job.source)),
            "params": job.params,
            "quality": job.quality,
            "format": job.fmt,
            "theme": job.theme,
            "voice": job.voice,
            "voice_id": voice_id(job.voice),  # engine version and model: new voice, new audio
            "aspect": job.aspect,
            "burn_captions": job.burn_captions,
            "encoder": job.encoder,
            "manim": manim_version(),
            "relu_anim": __version__,
        }
    )


# -- the request fingerprint (the no-op fast path) -----------------------------------------
def request_fingerprint(request) -> str:
    """Hash of a render request (a ``plan.Request``) and of every source it could depend on."""
    from ..lecture.registry import EXTRA_ENV, scene_files

    config = request.config_file
    return digest(
        {
            "scenes": list(request.scenes),
            "all": bool(request.all_scenes),
            "quality": request.quality,
            "format": request.fmt,
            "theme": request.theme,
            "voice": request.voice,
            # what auto (the default) resolves to: the env's default and the engines installed
            "voices": [os.environ.get(VOICE_ENV, ""), *installed_ids()],
            "aspect": request.aspect,
            "burn_captions": request.burn_captions,
            "encoder": request.encoder,
            "sets": list(request.sets),
            "config": file_digest(Path(config)) if config else None,
            "extra": os.environ.get(EXTRA_ENV, ""),
            "sources": sources_digests([*PACKAGE_ROOT.rglob("*.py"), *scene_files()]),
            "manim": manim_version(),
            "relu_anim": __version__,
        }
    )
