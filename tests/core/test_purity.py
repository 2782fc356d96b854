"""The numeric core is pure numpy: importing it must not import manim (or scipy)."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_core_leaves_manim_out():
    code = (
        "import sys, relu_anim.core, relu_anim.core.expr, relu_anim.core.network, "
        "relu_anim.core.hinges, relu_anim.core.collapse, relu_anim.core.regions, "
        "relu_anim.core.classify, relu_anim.core.optim\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'manim', 'scipy', 'cairo'})\n"
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
