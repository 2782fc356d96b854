"""Safe target expressions: ``"sin(3*x) + 0.5*abs(x)"`` -> a vectorised numpy function of x.

Target curves come from the command line and from lecture files, so they are parsed with
:mod:`ast` and walked against a whitelist; nothing is ever passed to ``eval``/``exec``.
Evaluation is plain float64 numpy, so a huge power overflows to ``inf`` instead of hanging.
"""

from __future__ import annotations

import ast
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .activations import relu, sigmoid

MAX_LENGTH = 200
MAX_DEPTH = 32


class ExpressionError(ValueError):
    """A target expression that is not allowed, does not parse, or is not finite."""


FUNCTIONS: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "sin": np.sin,
    "cos": np.cos,
    "tan": np.tan,
    "exp": np.exp,
    "log": np.log,
    "sqrt": np.sqrt,
    "abs": np.abs,
    "tanh": np.tanh,
    "sigmoid": sigmoid,
    "relu": relu,
    "sign": np.sign,
}
CONSTANTS = {"pi": math.pi, "e": math.e}
_BINARY = {
    ast.Add: np.add,
    ast.Sub: np.subtract,
    ast.Mult: np.multiply,
    ast.Div: np.divide,
    ast.Pow: np.power,
}
_UNARY = {ast.UAdd: np.positive, ast.USub: np.negative}
_NODE_NAMES = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Lambda: "lambda",
    ast.ListComp: "comprehension",
    ast.SetComp: "comprehension",
    ast.DictComp: "comprehension",
    ast.GeneratorExp: "comprehension",
    ast.Starred: "starred argument",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.IfExp: "conditional expression",
    ast.NamedExpr: "assignment expression",
    ast.JoinedStr: "f-string",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.Slice: "slice",
}


def _where(node: ast.AST) -> str:
    return f"at column {getattr(node, 'col_offset', 0) + 1}"


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Constant):
        kind = type(node.value).__name__
        return f"{kind} constant {node.value!r}"[:60]
    if isinstance(node, ast.BinOp):
        return f"operator {type(node.op).__name__}"
    if isinstance(node, ast.UnaryOp):
        return f"unary operator {type(node.op).__name__}"
    return _NODE_NAMES.get(type(node), type(node).__name__)


@dataclass(frozen=True)
class TargetFunction:
    """A parsed, checked expression; call it with a numpy array of x values."""

    source: str
    _tree: ast.expr

    def __call__(self, x) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(all="ignore"):
            y = _evaluate(self._tree, x)
        return np.broadcast_to(np.asarray(y, dtype=np.float64), x.shape).copy()

    def check_finite(self, domain: tuple[float, float], samples: int = 2001) -> None:
        """Raise ExpressionError naming the first x in ``domain`` where the value is not finite."""
        xs = np.linspace(domain[0], domain[1], samples)
        ys = self(xs)
        bad = ~np.isfinite(ys)
        if bad.any():
            x0 = xs[np.argmax(bad)]
            raise ExpressionError(
                f"target {self.source!r} is not finite at x = {x0:.6g} "
                f"(in the domain [{domain[0]:g}, {domain[1]:g}])"
            )

    def __repr__(self) -> str:
        return f"TargetFunction({self.source!r})"


def _check(node: ast.AST, depth: int) -> None:
    """Walk the tree, rejecting anything outside the whitelist, with its column."""
    if depth > MAX_DEPTH:
        raise ExpressionError(f"expression is nested too deeply {_where(node)} (max {MAX_DEPTH})")
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, int | float):
            raise ExpressionError(f"{_describe(node)} is not allowed {_where(node)}")
        try:
            finite = math.isfinite(float(node.value))
        except OverflowError:
            finite = False
        if not finite:
            raise ExpressionError(f"number too large {_where(node)}")
        return
    if isinstance(node, ast.Name):
        if node.id != "x" and node.id not in CONSTANTS:
            hint = " (it is a function: call it)" if node.id in FUNCTIONS else ""
            raise ExpressionError(
                f"unknown name {node.id!r} {_where(node)}{hint}; allowed: x, pi, e"
            )
        return
    if isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise ExpressionError(
                f"{_describe(node)} is not allowed {_where(node)}; use + - * / **"
            )
        _check(node.left, depth + 1)
        _check(node.right, depth + 1)
        return
    if isinstance(node, ast.UnaryOp):
        if type(node.op) not in _UNARY:
            raise ExpressionError(f"{_describe(node)} is not allowed {_where(node)}")
        _check(node.operand, depth + 1)
        return
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"only plain function calls are allowed {_where(node)}")
        name = node.func.id
        if name not in FUNCTIONS:
            allowed = ", ".join(sorted(FUNCTIONS))
            raise ExpressionError(f"unknown function {name!r} {_where(node)}; allowed: {allowed}")
        if node.keywords:
            raise ExpressionError(f"keyword arguments are not allowed {_where(node.keywords[0])}")
        if len(node.args) != 1:
            raise ExpressionError(f"{name}() takes exactly one argument {_where(node)}")
        _check(node.args[0], depth + 1)
        return
    raise ExpressionError(f"{_describe(node)} is not allowed {_where(node)}")


def _evaluate(node: ast.expr, x: np.ndarray):
    if isinstance(node, ast.Constant):
        return np.float64(node.value)
    if isinstance(node, ast.Name):
        return x if node.id == "x" else np.float64(CONSTANTS[node.id])
    if isinstance(node, ast.BinOp):
        return _BINARY[type(node.op)](_evaluate(node.left, x), _evaluate(node.right, x))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_evaluate(node.operand, x))
    if isinstance(node, ast.Call):
        return FUNCTIONS[node.func.id](_evaluate(node.args[0], x))
    raise ExpressionError(f"{_describe(node)} is not allowed")  # unreachable after _check


def parse_expression(source: str) -> TargetFunction:
    """Parse and whitelist-check ``source``; raise ExpressionError with the offending piece."""
    if not isinstance(source, str):
        raise ExpressionError("expression must be a string")
    if len(source) > MAX_LENGTH:
        raise ExpressionError(f"expression is {len(source)} characters long (max {MAX_LENGTH})")
    if not source.strip():
        raise ExpressionError("expression is empty")
    if "\n" in source or "\r" in source:
        raise ExpressionError("expression must be a single line")
    # Columns in messages count from the start of the text as typed, leading spaces included.
    indent = len(source) - len(source.lstrip())
    try:
        with warnings.catch_warnings():
            # "1if x else 2" parses with a SyntaxWarning (invalid decimal literal) printed to
            # stderr; as an error it becomes one clear message with its column instead.
            warnings.simplefilter("error", SyntaxWarning)
            tree = ast.parse(source.strip(), mode="eval")
        _shift_columns(tree, indent)
    except SyntaxError as exc:
        at_end = not exc.offset or exc.offset > len(source.strip())
        col = " at the end" if at_end else f" at column {exc.offset + indent}"
        raise ExpressionError(f"cannot parse {source!r}{col}: {exc.msg}") from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise ExpressionError(f"cannot parse {source!r}: {exc}") from None
    _check(tree.body, 0)
    return TargetFunction(source.strip(), tree.body)


def _shift_columns(tree: ast.AST, delta: int) -> None:
    """Move every node's column by ``delta`` (the leading spaces that were stripped)."""
    stack = [tree]  # not ast.walk: it imports at call time, and parsing must import nothing
    while stack:
        node = stack.pop()
        if hasattr(node, "col_offset"):
            node.col_offset += delta
        stack.extend(ast.iter_child_nodes(node))


def parse_target(source: str, domain: tuple[float, float]) -> TargetFunction:
    """Parse an expression and check that it is finite on the whole domain."""
    fn = parse_expression(source)
    fn.check_finite(domain)
    return fn
