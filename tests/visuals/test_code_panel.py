"""Numbers written into code and formulas: signs joined as terms, never a "-0.00"."""

from __future__ import annotations

import pytest

from relu_anim.visuals.code_panel import affine_code, number, signed


@pytest.mark.parametrize(
    "value, term, alone",
    [
        (1.234, " + 1.23", "1.23"),
        (-1.234, " - 1.23", "-1.23"),
        (-0.004, " + 0.00", "0.00"),  # rounds to zero: no minus sign
        (-0.0, " + 0.00", "0.00"),
        (0.005001, " + 0.01", "0.01"),
    ],
)
def test_signed_and_number(value, term, alone):
    assert signed(value) == term
    assert number(value) == alone


def test_affine_code():
    assert affine_code([1.25, -1.5], -0.75, ("x1", "x2")) == "1.25*x1 - 1.50*x2 - 0.75"
    assert affine_code([-0.001, 2.0], 0.0, ("a", "b"), places=1) == "0.0*a + 2.0*b + 0.0"
