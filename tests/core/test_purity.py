"""The numeric core is pure numpy: importing it must not import manim (or scipy)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_leaves_manim_out():
    code = (
        "import importlib, pkgutil, sys, relu_anim.core as core\n"
        "names = [m.name for m in pkgutil.iter_modules(core.__path__, 'relu_anim.core.')]\n"
        "assert len(names) >= 6, names\n"
        "for name in names: importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'manim', 'scipy', 'cairo'})\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
