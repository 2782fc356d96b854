"""A target expression shown as maths: ``"sin(2*x) + 0.2*x*x"`` -> sin(2x) + 0.2x².

The core parses targets with an :mod:`ast` whitelist (:mod:`relu_anim.core.expr`); this
module only *displays* a source the core has accepted. It walks the same tree and writes it
twice: as LaTeX for :func:`relu_anim.visuals.text.formula`, and as plain text (Unicode minus,
superscript powers, ``·`` for an explicit product) for machines without LaTeX.

Display rules: a product of numbers and names is written without a sign (``2x``), repeated
names become powers (``x*x`` -> ``x²``), ``a/b`` is a fraction, ``exp(u)`` is ``e^u`` in
LaTeX, ``relu(u)`` is ``max(0, u)`` as in the scenes, ``log`` is the natural logarithm ``ln``.
Parentheses are kept only where precedence needs them.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from manim import VMobject

from ..theme import Theme
from .text import formula

SUM, PRODUCT, UNARY, POWER, ATOM = range(1, 6)  # binding strength, weakest first
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")
_FUNCTIONS = {  # name -> (LaTeX before the argument, plain before, LaTeX after, plain after)
    "sin": (r"\sin(", "sin(", ")", ")"),
    "cos": (r"\cos(", "cos(", ")", ")"),
    "tan": (r"\tan(", "tan(", ")", ")"),
    "tanh": (r"\tanh(", "tanh(", ")", ")"),
    "log": (r"\ln(", "ln(", ")", ")"),
    "exp": ("e^{", "exp(", "}", ")"),
    "sqrt": (r"\sqrt{", "√(", "}", ")"),
    "abs": (r"\lvert ", "|", r"\rvert", "|"),
    "sigmoid": (r"\sigma(", "σ(", ")", ")"),
    "relu": (r"\max(0,\, ", "max(0, ", ")", ")"),
    "sign": (r"\operatorname{sign}(", "sign(", ")", ")"),
}
_NAMES = {"x": ("x", "x"), "pi": (r"{\pi}", "π"), "e": ("e", "e")}  # braces: 2{\pi}x


@dataclass(frozen=True)
class Shown:
    """One sub-expression written both ways, with how tightly it binds."""

    tex: str
    plain: str
    strength: int
    simple: bool = False  # a number, a name, or a power of one: may lead an implicit product
    number: bool = False  # starts with a digit: needs an explicit sign after a factor

    def wrapped(self, below: int) -> Shown:
        """In parentheses when it binds more weakly than ``below``."""
        if self.strength >= below:
            return self
        return Shown(f"({self.tex})", f"({self.plain})", ATOM)


def _number(value: float) -> str:
    return f"{value:g}"


def _show(node: ast.expr) -> Shown:
    if isinstance(node, ast.Constant):
        text = _number(float(node.value))
        return Shown(text, text, ATOM, simple=True, number=True)
    if isinstance(node, ast.Name):
        tex, plain = _NAMES[node.id]
        return Shown(tex, plain, ATOM, simple=True)
    if isinstance(node, ast.UnaryOp):
        inner = _show(node.operand).wrapped(UNARY)
        if isinstance(node.op, ast.UAdd):
            return inner
        return Shown(f"-{inner.tex}", f"−{inner.plain}", UNARY)
    if isinstance(node, ast.Call):
        tex_open, plain_open, tex_close, plain_close = _FUNCTIONS[node.func.id]
        arg = _show(node.args[0])
        return Shown(tex_open + arg.tex + tex_close, plain_open + arg.plain + plain_close, ATOM)
    if isinstance(node.op, ast.Add | ast.Sub):
        return _sum(node)
    if isinstance(node.op, ast.Mult):
        return _product(_factors(node))
    if isinstance(node.op, ast.Div):
        top, bottom = _show(node.left), _show(node.right)
        plain = f"{top.wrapped(PRODUCT).plain}/{bottom.wrapped(POWER).plain}"
        return Shown(rf"\frac{{{top.tex}}}{{{bottom.tex}}}", plain, PRODUCT)
    return _power(_show(node.left), _show(node.right), node.right)


def _sum(node: ast.BinOp) -> Shown:
    left, right = _show(node.left), _show(node.right)
    minus = isinstance(node.op, ast.Sub)
    if right.strength == UNARY or (minus and right.strength == SUM):  # x + (-a), x - (a + b)
        right = right.wrapped(POWER)
    if minus:
        return Shown(f"{left.tex} - {right.tex}", f"{left.plain} − {right.plain}", SUM)
    return Shown(f"{left.tex} + {right.tex}", f"{left.plain} + {right.plain}", SUM)


def _factors(node: ast.expr) -> list[ast.expr]:
    """The factors of a chain of ``*``, left to right."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _factors(node.left) + _factors(node.right)
    return [node]


def _product(nodes: list[ast.expr]) -> Shown:
    """Factors side by side; a run of the same name becomes its power (``x*x`` -> ``x²``).

    A leading minus is taken out of the product: ``-x*x`` is ``-x²``.
    """
    first = nodes[0]
    if isinstance(first, ast.UnaryOp) and isinstance(first.op, ast.USub):
        rest = _product([first.operand, *nodes[1:]]).wrapped(POWER if len(nodes) == 1 else PRODUCT)
        return Shown(f"-{rest.tex}", f"−{rest.plain}", UNARY)
    shown: list[Shown] = []
    i = 0
    while i < len(nodes):
        run = 1
        while (
            isinstance(nodes[i], ast.Name)
            and i + run < len(nodes)
            and isinstance(nodes[i + run], ast.Name)
            and nodes[i + run].id == nodes[i].id
        ):
            run += 1
        base = _show(nodes[i])
        count = ast.Constant(run)
        shown.append(base if run == 1 else _power(base, _show(count), count))
        i += run
    tex, plain = "", ""
    for k, factor in enumerate(shown):
        factor_in = factor.wrapped(PRODUCT) if k == 0 else factor.wrapped(POWER)
        if k:
            implicit = shown[k - 1].simple and not factor.number
            tex += "" if implicit else r" \cdot "
            named_call = factor_in.plain[:1].isalpha() and not factor.simple  # sin(..), max(..)
            plain += "" if implicit and not named_call else "·"
        tex += factor_in.tex
        plain += factor_in.plain
    return Shown(tex, plain, PRODUCT)


def _power(base: Shown, exponent: Shown, exponent_node: ast.expr) -> Shown:
    base = base if base.strength == ATOM and base.simple else base.wrapped(ATOM + 1)
    tex = f"{base.tex}^{{{exponent.tex}}}"
    whole = isinstance(exponent_node, ast.Constant) and float(exponent_node.value).is_integer()
    if whole and float(exponent_node.value) >= 0:
        plain = base.plain + _number(float(exponent_node.value)).translate(_SUPERSCRIPT)
    else:
        plain = f"{base.plain}^{exponent.wrapped(ATOM).plain}"
    return Shown(tex, plain, POWER, simple=base.simple)


def expression_text(source: str) -> tuple[str, str]:
    """(LaTeX, plain text) of an expression the core accepted (``relu_anim.core.expr``)."""
    shown = _show(ast.parse(source.strip(), mode="eval").body)
    return shown.tex, shown.plain


def expression_formula(
    source: str, theme: Theme, size: float | None = None, color: str | None = None
) -> VMobject:
    """The expression typeset as maths (LaTeX), or as plain text where LaTeX is missing."""
    tex, plain = expression_text(source)
    return formula(tex, plain, theme, size=size, color=color)
