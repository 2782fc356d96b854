"""Packaging: every package folder is installed, and no global package named ``scenes``."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_every_package_folder_is_listed():
    listed = set(_pyproject()["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(p.parent.relative_to(ROOT).parts)
        for p in (ROOT / "relu_anim").rglob("__init__.py")
        if "templates" not in p.parts
    }
    assert folders <= listed, f"add to pyproject packages: {sorted(folders - listed)}"
    assert "relu_anim.scenes" in listed and "scenes" not in listed


def test_scenes_install_under_relu_anim_only(tmp_path):
    """Outside the checkout, ``relu_anim.scenes`` imports and a bare ``scenes`` does not."""
    code = (
        "import importlib.util as u, relu_anim.scenes as s; "
        "print(u.find_spec('scenes') is None, [p for p in s.__path__])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert out.startswith("True") and str(ROOT / "scenes") in out


def test_the_templates_ship_with_the_package():
    data = _pyproject()["tool"]["setuptools"]["package-data"]["relu_anim.lecture"]
    assert "templates/*.tmpl" in data
    assert list((ROOT / "relu_anim" / "lecture" / "templates").glob("*.tmpl"))
