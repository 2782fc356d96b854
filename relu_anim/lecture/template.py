"""``relu-anim new NAME``: a new scene and its test, written from templates that already pass.

The generated scene follows the convention of :class:`~relu_anim.lecture.scene.LectureScene`
(validated Params, one compute hook, three captioned beats, numbers from the core); as
generated it is listed, renders, passes its test and the linter (tests/cli/test_new.py).
"""

from __future__ import annotations

import keyword
import os
import re
from importlib.resources import files
from pathlib import Path

NAME_PATTERN = re.compile(r"[A-Z][A-Za-z0-9]*\Z")


class NewSceneError(ValueError):
    """A name that cannot become a scene, or files that would be overwritten."""


def snake_case(name: str) -> str:
    """``MyIdea`` -> ``my_idea`` (the module and test file names)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def default_dirs() -> tuple[Path, Path]:
    """The source tree's ``scenes/`` and ``tests/scenes/`` (an editable install's checkout)."""
    import importlib.util

    spec = importlib.util.find_spec("relu_anim.scenes")
    if spec is None or not spec.submodule_search_locations:
        raise NewSceneError("cannot find the scenes/ folder; pass --scenes-dir and --tests-dir")
    scenes = Path(next(iter(spec.submodule_search_locations)))
    return scenes, scenes.parent / "tests" / "scenes"


def new_scene(
    name: str, scenes_dir: Path | None = None, tests_dir: Path | None = None
) -> tuple[Path, Path]:
    """Write ``<scenes_dir>/<name>.py`` and ``<tests_dir>/test_<name>.py``; both or neither."""
    _check_name(name)
    if scenes_dir is None or tests_dir is None:
        default_scenes, default_tests = default_dirs()
        scenes_dir, tests_dir = scenes_dir or default_scenes, tests_dir or default_tests
    scenes_dir, tests_dir = Path(scenes_dir), Path(tests_dir)
    module = snake_case(name)
    targets = [scenes_dir / f"{module}.py", tests_dir / f"test_{module}.py"]
    for folder in (scenes_dir, tests_dir):
        if not folder.is_dir():
            raise NewSceneError(f"{folder} is not a folder")
    for path in targets:
        if path.exists():
            raise NewSceneError(f"{path} exists already; choose another name")
    values = {"class_name": name, "title": _title(name), "order": _next_order()}
    texts = [_render(t, values) for t in ("scene.py.tmpl", "test_scene.py.tmpl")]
    written: list[Path] = []
    try:
        for path, text in zip(targets, texts, strict=True):
            _write_new(path, text)
            written.append(path)
    except OSError as exc:
        for path in written:
            path.unlink(missing_ok=True)
        raise NewSceneError(f"cannot write {exc.filename}: {exc.strerror}") from None
    return targets[0], targets[1]


def _check_name(name: str) -> None:
    if not NAME_PATTERN.match(name) or keyword.iskeyword(name):
        raise NewSceneError(f"scene names are CamelCase Python names like MyIdea, got {name!r}")
    from .registry import discover

    if name in discover():
        raise NewSceneError(f"a scene named {name} exists already")


def _title(name: str) -> str:
    words = snake_case(name).split("_")
    return " ".join([words[0].capitalize(), *words[1:]])


def _next_order() -> int:
    """After every registered scene: a new scene joins the end of the lecture."""
    from .registry import discover

    orders = [cls.order for cls in discover().values()]
    return max(orders, default=0) + 10


def _render(template: str, values: dict) -> str:
    text = files("relu_anim.lecture").joinpath("templates", template).read_text(encoding="utf-8")
    return text.format(**values)


def _write_new(path: Path, text: str) -> None:
    """Create ``path`` with ``text``; never overwrite (O_EXCL), never leave half a file."""
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "x", encoding="utf-8") as f:
        f.write(text)
    try:
        os.link(tmp, path)  # fails if path appeared meanwhile
    finally:
        tmp.unlink(missing_ok=True)
