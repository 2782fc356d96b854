"""Safe target expressions, against the spec: right values, and nothing outside the whitelist."""

from __future__ import annotations

import ast
import builtins
import contextlib
import math
import re
import time
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from relu_anim.core.expr import (
    FUNCTIONS,
    MAX_LENGTH,
    ExpressionError,
    TargetFunction,
    parse_expression,
    parse_target,
)

XS = np.linspace(-2.5, 2.5, 101)

# -- valid expressions evaluate to the right numbers -----------------------------------

VALID = [
    ("sin(3*x) + 0.5*abs(x)", lambda x: np.sin(3 * x) + 0.5 * np.abs(x)),
    ("sigmoid(x)", lambda x: 1.0 / (1.0 + np.exp(-x))),
    ("relu(x-1)", lambda x: np.maximum(x - 1.0, 0.0)),
    ("sign(x)", np.sign),
    ("pi*x", lambda x: np.pi * x),
    ("e**x", np.exp),
    ("-x**2", lambda x: -(x**2)),
    ("tanh(x)/2", lambda x: np.tanh(x) / 2),
    ("cos(x) - tan(x/4)", lambda x: np.cos(x) - np.tan(x / 4)),
    ("exp(-x**2) + sqrt(abs(x))", lambda x: np.exp(-(x**2)) + np.sqrt(np.abs(x))),
    ("log(1 + x*x)", lambda x: np.log1p(x * x)),
    ("x**3/9 - x", lambda x: x**3 / 9 - x),
    ("+x - -x", lambda x: 2 * x),
    ("2*(x+1)*(x-1)", lambda x: 2 * (x * x - 1)),
    ("  x + 1  ", lambda x: x + 1),
    ("1_000*x + 1e-3", lambda x: 1000 * x + 1e-3),
]


@pytest.mark.parametrize(("source", "reference"), VALID, ids=[s for s, _ in VALID])
def test_valid_expressions_match_numpy(source, reference):
    fn = parse_expression(source)
    assert isinstance(fn, TargetFunction) and callable(fn)
    y = fn(XS)
    assert y.dtype == np.float64 and y.shape == XS.shape
    np.testing.assert_allclose(y, reference(XS), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize(("source", "reference"), VALID, ids=[s for s, _ in VALID])
def test_evaluation_is_vectorised_and_shape_preserving(source, reference):
    fn = parse_expression(source)
    grid = XS[:100].reshape(4, 5, 5)
    y = fn(grid)
    assert y.shape == (4, 5, 5) and y.dtype == np.float64
    np.testing.assert_allclose(y, reference(grid), rtol=1e-12, atol=1e-12)
    # elementwise: evaluating point by point gives the same numbers
    pointwise = [fn(np.array([v]))[0] for v in XS[::10]]
    np.testing.assert_allclose(pointwise, fn(XS)[::10], rtol=1e-15)
    scalar = fn(0.75)
    assert np.shape(scalar) == () and scalar == pytest.approx(reference(np.float64(0.75)))
    ints = fn(np.arange(-2, 3))  # integer input is evaluated as float64
    assert ints.dtype == np.float64
    np.testing.assert_allclose(ints, reference(np.arange(-2, 3, dtype=np.float64)))


@pytest.mark.parametrize(
    ("source", "value"),
    [("2**-1", 0.5), ("pi", math.pi), ("e", math.e), ("3", 3.0), ("-(2+3)*4", -20.0)],
)
def test_constant_expressions_broadcast_to_the_shape_of_x(source, value):
    fn = parse_expression(source)
    y = fn(XS)
    assert y.shape == XS.shape and y.dtype == np.float64
    np.testing.assert_allclose(y, value, rtol=1e-15)
    grid = np.zeros((3, 7))
    assert fn(grid).shape == (3, 7)
    y[0] = -99.0  # a real, writable array, not a read-only broadcast view
    assert fn(XS)[0] == pytest.approx(value)


def test_function_whitelist_is_what_the_docs_promise():
    assert set(FUNCTIONS) >= {"sin", "cos", "exp", "log", "abs", "tanh", "sigmoid", "relu"}
    for name in FUNCTIONS:
        y = parse_expression(f"{name}(x)")(np.array([0.5, 1.0]))
        assert y.shape == (2,) and np.all(np.isfinite(y))


# -- rejections name the offending piece and its column --------------------------------

REJECTED = [
    # source, a regex that must appear in the message (the offending piece)
    ("x.real", r"attribute"),
    ("().__class__", r"attribute"),
    ("sin.__globals__", r"attribute"),
    ("x[0]", r"subscript"),
    ("__import__('os')", r"__import__"),
    ("open('f')", r"open"),
    ("eval('1')", r"eval"),
    ("exec('x')", r"exec"),
    ("max(x)", r"max"),
    ("lambda: 1", r"lambda"),
    ("(lambda: 1)()", r"lambda|call"),
    ("[x for x in ()]", r"comprehension"),
    ("{x for x in ()}", r"comprehension"),
    ("{x: x for x in ()}", r"comprehension"),
    ("'abc'", r"str|string"),
    ("x + 'abc'", r"str|string"),
    ("b'abc'", r"bytes"),
    ("sin(x=1)", r"keyword"),
    ("sin(*x)", r"starred"),
    ("x < 1", r"comparison"),
    ("x == x", r"comparison"),
    ("x and 1", r"boolean"),
    ("x or 1", r"boolean"),
    ("not x", r"Not|not"),
    ("~x", r"Invert|~"),
    ("x if x else 1", r"conditional"),
    ("(y := x)", r"assignment|walrus|:="),
    ("f'{x}'", r"f-string"),
    ("y", r"'y'"),
    ("sin(x) + y", r"'y'"),
    ("True", r"True|bool"),
    ("x * False", r"False|bool"),
    ("None", r"None"),
    ("1j", r"complex|1j"),
    ("x + 2j", r"complex|2j"),
    ("x // 2", r"FloorDiv|//"),
    ("x % 2", r"Mod|%"),
    ("x @ x", r"MatMult|@"),
    ("x << 1", r"LShift|<<"),
    ("x & 1", r"BitAnd|&"),
    ("sin(x, x)", r"sin"),
    ("sin()", r"sin"),
    ("[x]", r"list"),
    ("(x, 1)", r"tuple"),
    ("{x}", r"set"),
    ("{1: x}", r"dict"),
    ("...", r"ellipsis|Ellipsis|\.\.\."),
    ("sin", r"'sin'"),
    ("x +* 2", r"parse"),
    (")", r"parse|unmatched"),
    ("sin(x", r"parse|never closed|\("),
    ("-" * 40 + "x", r"nest|deep"),
    ("sin(" * 33 + "x" + ")" * 33, r"nest|deep"),
    ("+".join(["x"] * 60), r"nest|deep"),
]


@pytest.mark.parametrize(("source", "piece"), REJECTED, ids=[s[:30] for s, _ in REJECTED])
def test_forbidden_syntax_is_rejected_with_piece_and_column(source, piece):
    with pytest.raises(ExpressionError) as info:
        parse_expression(source)
    message = str(info.value)
    assert "column" in message, message
    assert re.search(piece, message), message


@pytest.mark.parametrize("source", ["x +", "sin(x) *", "(x"])
def test_syntax_errors_are_expression_errors(source):
    # (a syntax error at the very end of the text has no column from the parser)
    with pytest.raises(ExpressionError, match="parse"):
        parse_expression(source)


def test_error_column_points_at_the_offending_piece():
    with pytest.raises(ExpressionError, match="column 10"):
        parse_expression("sin(x) + y")
    with pytest.raises(ExpressionError, match="column 5"):
        parse_expression("x + x.real")


@pytest.mark.parametrize(
    ("source", "piece"),
    [
        ("x" + "+x" * (MAX_LENGTH // 2), r"201|characters|long"),
        ("1" * (MAX_LENGTH + 1), r"characters|long"),
        ("", r"empty"),
        ("   ", r"empty"),
        ("x\n+ 1", r"line"),
        ("x\r+1", r"line"),
        ("x\n", r"line"),
    ],
    ids=["too-long", "too-long-literal", "empty", "blank", "newline", "cr", "trailing-newline"],
)
def test_length_emptiness_and_lines_are_checked(source, piece):
    with pytest.raises(ExpressionError, match=piece):
        parse_expression(source)


def test_max_length_is_inclusive():
    flat = "x*" + "1" * (MAX_LENGTH - 2)
    assert len(flat) == MAX_LENGTH
    assert np.isfinite(parse_expression(flat)(np.array([0.0]))).all()


@pytest.mark.parametrize("bad", [None, 3, b"x", ["x"]])
def test_non_strings_are_rejected(bad):
    with pytest.raises(ExpressionError):
        parse_expression(bad)


def test_expression_error_is_a_value_error():
    assert issubclass(ExpressionError, ValueError)


def test_huge_literal_is_not_accepted_as_a_target():
    with pytest.raises(ExpressionError, match="number too large"):
        parse_target("1e999*x", (-1.0, 1.0))
    with pytest.raises(ExpressionError, match="number too large"):
        parse_target("x + 1e999", (-1.0, 1.0))


def test_huge_literal_is_rejected_by_the_parser():
    with pytest.raises(ExpressionError, match="number too large at column 7"):
        parse_expression("x + 1/1e999")


def test_columns_count_leading_spaces_and_the_end_is_named():
    with pytest.raises(ExpressionError, match="column 3"):
        parse_expression("  y")
    with pytest.raises(ExpressionError, match="at the end"):
        parse_expression("x +")


# -- finiteness and runaway arithmetic -------------------------------------------------


def test_tower_of_powers_does_not_hang_and_is_not_finite():
    start = time.perf_counter()
    fn = parse_expression("9**9**9**9")
    y = fn(XS)
    assert not np.isfinite(y).any()
    with pytest.raises(ExpressionError, match="not finite"):
        parse_target("9**9**9**9", (-3.0, 3.0))
    with pytest.raises(ExpressionError, match="not finite"):
        parse_target("x + 9**9**9**9", (-3.0, 3.0))
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("source", "domain", "where"),
    [
        ("1/x", (-1.0, 1.0), 0.0),
        ("log(x)", (-2.0, 2.0), -2.0),
        ("sqrt(x - 1)", (0.0, 2.0), 0.0),
        ("1/(x-0.5)", (0.0, 1.0), 0.5),
    ],
)
def test_non_finite_targets_name_where(source, domain, where):
    with pytest.raises(ExpressionError, match="not finite") as info:
        parse_target(source, domain)
    found = re.search(r"x = (-?[0-9.e+-]+)", str(info.value))
    assert found, str(info.value)
    assert float(found.group(1)) == pytest.approx(where, abs=1e-9)


@pytest.mark.parametrize(
    ("source", "domain"), [("1/x", (1.0, 2.0)), ("log(x)", (0.5, 2.0)), ("sqrt(x)", (0.0, 4.0))]
)
def test_finite_targets_are_accepted(source, domain):
    fn = parse_target(source, domain)
    assert np.all(np.isfinite(fn(np.linspace(*domain, 50))))


# -- nothing ever executes -------------------------------------------------------------


@dataclass
class Guard:
    calls: list


@contextlib.contextmanager
def no_code_execution():
    """eval/exec raise; compile may only build an AST (never a code object)."""
    real_compile = builtins.compile
    guard = Guard([])

    def refuse(name):
        def call(*args, **kwargs):
            guard.calls.append(name)
            raise AssertionError(f"{name} was called")

        return call

    def ast_only_compile(source, filename, mode, flags=0, *args, **kwargs):
        if not flags & ast.PyCF_ONLY_AST:
            guard.calls.append("compile")
            raise AssertionError("compile to a code object was called")
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    with (
        mock.patch.object(builtins, "eval", refuse("eval")),
        mock.patch.object(builtins, "exec", refuse("exec")),
        mock.patch.object(builtins, "compile", ast_only_compile),
        mock.patch.object(builtins, "__import__", refuse("__import__")),
    ):
        yield guard


def outcome(source: str):
    """Parse (and, if accepted, evaluate) with code execution forbidden: callable or error."""
    with no_code_execution() as guard:
        try:
            fn = parse_expression(source)
        except ExpressionError:
            fn = None
        else:
            y = fn(XS)
    assert guard.calls == []
    if fn is not None:
        assert callable(fn)
        assert y.shape == XS.shape and y.dtype == np.float64
    return fn


ESCAPES = [
    "__import__('os').system('touch {path}')",
    "eval(\"__import__('os').system('touch {path}')\")",
    "exec(\"open('{path}', 'w')\")",
    "open('{path}', 'w')",
    "().__class__.__base__.__subclasses__()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "sin.__self__.__loader__",
    "(lambda: __import__('os').system('touch {path}'))()",
    "sigmoid.__globals__['np']",
    "sin(x) if __import__('os').system('touch {path}') else x",
    "(p := open('{path}', 'w'))",
]


@pytest.mark.parametrize("template", ESCAPES)
def test_escape_attempts_are_rejected_and_have_no_effect(template, tmp_path):
    sentinel = tmp_path / "PWNED_relu"
    source = template.format(path=sentinel)
    if len(source) > MAX_LENGTH:  # keep the attack within the length limit
        sentinel = Path("/tmp/PWNED_relu")
        sentinel.unlink(missing_ok=True)
        source = template.format(path=sentinel)
    error = None
    with no_code_execution() as guard:
        try:
            parse_expression(source)
        except ExpressionError as exc:
            error = exc
    assert guard.calls == []
    assert error is not None and "column" in str(error), source
    assert not sentinel.exists()


FUZZ_ALPHABET = "xsincoexpltahbrgmdqu0123456789()+-*/._[]'\"=:, "


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=FUZZ_ALPHABET, max_size=60))
def test_random_text_is_a_callable_or_an_expression_error(source):
    outcome(source)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["x", "sin(", "exp(", "relu(", "(", ")", "+", "-", "*", "/", "**", "1", "2.5", "pi"]
        ),
        max_size=25,
    )
)
def test_random_token_soup_is_a_callable_or_an_expression_error(tokens):
    outcome("".join(tokens))


# -- random syntax trees: accepted exactly when every node is whitelisted --------------


@dataclass(frozen=True)
class Tree:
    source: str
    allowed: bool  # every node is in the whitelist
    height: int  # nodes on the longest root-to-leaf path
    reference: object  # for allowed trees: the same formula written with numpy


def _sigmoid_reference(z):
    return 1.0 / (1.0 + np.exp(-z))


def _const(value):
    return lambda x: np.full_like(x, value)


ALLOWED_LEAVES = {
    "x": lambda x: x,
    "pi": _const(np.pi),
    "e": _const(np.e),
    "1": _const(1.0),
    "2.5": _const(2.5),
    "0.5": _const(0.5),
    "3": _const(3.0),
    "1e-3": _const(1e-3),
}
FORBIDDEN_LEAVES = ["y", "True", "None", "1j", "'s'", "b's'", "f'{x}'", "__import__", "sin"]
ALLOWED_UNARY = {
    "sin({})": np.sin,
    "cos({})": np.cos,
    "exp({})": np.exp,
    "abs({})": np.abs,
    "tanh({})": np.tanh,
    "relu({})": lambda z: np.maximum(z, 0.0),
    "sigmoid({})": _sigmoid_reference,
    "sign({})": np.sign,
    "log({})": np.log,
    "sqrt({})": np.sqrt,
    "(-{})": np.negative,
    "(+{})": lambda z: z,
}
FORBIDDEN_UNARY = [
    "({}).real",
    "({})[0]",
    "(lambda: {})",
    "[{}]",
    "max({})",
    "open({})",
    "eval({})",
    "sin(x={})",
    "sin(*{})",
    "(~{})",
    "(not {})",
    "(y := {})",
    "[y for y in {}]",
    "sin()",
    "({}).__class__",
]
ALLOWED_BINARY = {
    "({} + {})": np.add,
    "({} - {})": np.subtract,
    "({} * {})": np.multiply,
    "({} / {})": np.divide,
    "({} ** {})": np.power,
}
FORBIDDEN_BINARY = [
    "({} // {})",
    "({} % {})",
    "({} < {})",
    "({} and {})",
    "({} or {})",
    "({}, {})",
    "sin({}, {})",
    "({} @ {})",
    "({} & {})",
    "({} if x else {})",
    "{{{}: {}}}",
]


def _unary(template, f, child):
    ref = None if f is None else (lambda x: f(child.reference(x)))
    return Tree(
        template.format(child.source), f is not None and child.allowed, child.height + 1, ref
    )


def _binary(template, f, a, b):
    ok = f is not None and a.allowed and b.allowed
    ref = (lambda x: f(a.reference(x), b.reference(x))) if ok else None
    return Tree(template.format(a.source, b.source), ok, max(a.height, b.height) + 1, ref)


def trees(forbidden: bool) -> st.SearchStrategy[Tree]:
    leaf = st.sampled_from(sorted(ALLOWED_LEAVES)).map(
        lambda s: Tree(s, True, 1, ALLOWED_LEAVES[s])
    )
    unary = [(t, f) for t, f in ALLOWED_UNARY.items()]
    binary = [(t, f) for t, f in ALLOWED_BINARY.items()]
    if forbidden:
        leaf = leaf | st.sampled_from(FORBIDDEN_LEAVES).map(lambda s: Tree(s, False, 1, None))
        unary += [(t, None) for t in FORBIDDEN_UNARY]
        binary += [(t, None) for t in FORBIDDEN_BINARY]

    def extend(children):
        return st.sampled_from(unary).flatmap(
            lambda tf: children.map(lambda c: _unary(tf[0], tf[1], c))
        ) | st.sampled_from(binary).flatmap(
            lambda tf: st.tuples(children, children).map(lambda ab: _binary(*tf, *ab))
        )

    return st.recursive(leaf, extend, max_leaves=8)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trees(forbidden=True))
def test_random_trees_are_accepted_iff_every_node_is_whitelisted(tree):
    # stay clear of the length and depth limits, which are tested on their own above
    assume(len(tree.source) <= MAX_LENGTH and tree.height <= 20)
    fn = outcome(tree.source)
    assert (fn is not None) == tree.allowed, tree.source
    if not tree.allowed:
        with pytest.raises(ExpressionError, match="column"):
            parse_expression(tree.source)


@settings(max_examples=200, deadline=None)
@given(trees(forbidden=False))
def test_whitelisted_trees_evaluate_like_the_numpy_formula(tree):
    assume(len(tree.source) <= MAX_LENGTH and tree.height <= 20)
    x = np.linspace(-2.0, 2.0, 9)
    got = parse_expression(tree.source)(x)
    with np.errstate(all="ignore"):
        expected = np.broadcast_to(np.asarray(tree.reference(x), dtype=np.float64), x.shape)
    np.testing.assert_array_equal(np.isnan(got), np.isnan(expected))
    finite = np.isfinite(expected)
    np.testing.assert_array_equal(got[~finite & ~np.isnan(got)], expected[~finite & ~np.isnan(got)])
    np.testing.assert_allclose(got[finite], expected[finite], rtol=1e-12, atol=1e-300)


def test_the_execution_guard_really_guards():
    with no_code_execution() as guard:
        for name, call in [
            ("eval", lambda: builtins.eval("1")),
            ("exec", lambda: builtins.exec("1")),
            ("compile", lambda: builtins.compile("1", "<s>", "eval")),
            ("__import__", lambda: builtins.__import__("os")),
        ]:
            with contextlib.suppress(AssertionError):
                call()
            assert guard.calls[-1] == name
        assert isinstance(builtins.compile("x", "<s>", "eval", ast.PyCF_ONLY_AST), ast.Expression)
