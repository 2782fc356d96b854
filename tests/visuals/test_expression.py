"""Targets shown as maths: the display of a parsed expression, LaTeX and plain text."""

from __future__ import annotations

import pytest

from relu_anim.core.expr import FUNCTIONS, parse_expression
from relu_anim.visuals.expression import _FUNCTIONS, expression_text

CASES = [
    ("sin(2*x) + 0.2*x*x", r"\sin(2x) + 0.2x^{2}", "sin(2x) + 0.2x²"),
    ("exp(-x*x)*cos(3*x)", r"e^{-x^{2}} \cdot \cos(3x)", "exp(−x²)·cos(3x)"),
    ("x**3/9 - x", r"\frac{x^{3}}{9} - x", "x³/9 − x"),
    (
        "abs(x) + 2*relu(x - 1.5)",
        r"\lvert x\rvert + 2\max(0,\, x - 1.5)",
        "|x| + 2·max(0, x − 1.5)",
    ),
    ("cos(x)+0.3*sin(5*x)", r"\cos(x) + 0.3\sin(5x)", "cos(x) + 0.3·sin(5x)"),
    ("1/(1+x*x)", r"\frac{1}{1 + x^{2}}", "1/(1 + x²)"),
    ("2*pi*x", r"2{\pi}x", "2πx"),
    ("log(x + 4)", r"\ln(x + 4)", "ln(x + 4)"),
    ("sqrt(abs(x))", r"\sqrt{\lvert x\rvert}", "√(|x|)"),
    ("x**0.5", r"x^{0.5}", "x^0.5"),
]


@pytest.mark.parametrize(("source", "tex", "plain"), CASES)
def test_common_targets_read_as_maths(source, tex, plain):
    parse_expression(source)  # the core accepts it: the display never sees anything else
    assert expression_text(source) == (tex, plain)


@pytest.mark.parametrize(
    ("source", "plain"),
    [
        ("x - (x + 1)", "x − (x + 1)"),  # needed: the sign applies to the whole sum
        ("x - -x", "x − (−x)"),  # no two signs in a row
        ("(-x)**2", "(−x)²"),
        ("-x**2", "−x²"),  # ** binds tighter than the minus, as in Python
        ("2*(x + 1)", "2(x + 1)"),
        ("(x*x)*x", "x³"),
        ("2*3", "2·3"),  # two numbers side by side would read as 23
        ("sin(x)*x", "sin(x)·x"),
        ("sin(x)**2", "(sin(x))²"),
    ],
)
def test_parentheses_and_signs_follow_precedence(source, plain):
    assert expression_text(source)[1] == plain


def test_every_core_function_has_a_display():
    assert set(_FUNCTIONS) == set(FUNCTIONS)
