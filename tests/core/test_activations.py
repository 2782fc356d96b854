"""The core's activations against exact arithmetic: the sigmoid is accurate to a few ulps."""

from __future__ import annotations

import decimal
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relu_anim.core.activations import relu, relu_grad, sigmoid

TINY = 2.0**-1074  # the smallest subnormal: the spacing of floats below 2^-1022


def exact_sigmoid(z: float) -> float:
    """1 / (1 + e^-z) in 60-digit decimal arithmetic (exp is correctly rounded there),
    rounded once to float64."""
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        ctx.Emin = -99999  # keep values far below float64's range exact
        return float(1 / (1 + (-decimal.Decimal(z)).exp()))


def ulps(got: float, exact: float) -> float:
    """|got - exact| in units of the float spacing at ``exact``."""
    if got == exact:
        return 0.0
    return abs(got - exact) / max(math.ulp(exact), TINY)


# The bound: with e = exp(-|z|) within 1 ulp (numpy validates float64 exp to 1 ulp in its
# umath-validation-set-exp.csv), 1 + e and the division each add half an ulp, and the error
# of e enters z >= 0 damped by e / (1 + e) <= 1/2: at most 1/2 + 1/2 + 1/2 = 1.5 ulps there,
# 1 + 1/2 + 1/2 = 2 ulps for z < 0 (e / (1 + e)). Below z = -708 e is subnormal and carries
# an absolute error of up to one spacing TINY, which ulps() measures in the same unit.
# Allowed: 3 ulps; an exp accurate to 2 ulps instead of 1 would still pass.
MAX_ULPS = 3


@pytest.mark.parametrize(
    "z",
    [0.0, -0.0, 1e-300, -1e-300, 0.5, -0.5, 1.0, -1.0, 15.125, -15.125, 36.0, -36.0, 37.5]
    + [-37.5, 300.0, -300.0, 700.0, -700.0, 708.5, -708.5, -720.0, -744.0, -746.0, 1e308],
)
def test_sigmoid_is_within_a_few_ulps_of_exact(z):
    assert ulps(float(sigmoid(z)), exact_sigmoid(z)) <= MAX_ULPS


@settings(max_examples=300, deadline=None)
@given(st.floats(-800, 800, allow_nan=False))
def test_sigmoid_is_within_a_few_ulps_of_exact_everywhere(z):
    assert ulps(float(sigmoid(z)), exact_sigmoid(z)) <= MAX_ULPS


def test_sigmoid_special_values_and_shapes():
    assert sigmoid(np.inf) == 1.0 and sigmoid(-np.inf) == 0.0 and np.isnan(sigmoid(np.nan))
    assert sigmoid(0.0) == 0.5
    z = np.linspace(-40, 40, 81).reshape(9, 9)
    s = sigmoid(z)
    assert s.shape == z.shape and s.dtype == np.float64
    with np.errstate(over="raise"):
        sigmoid(np.array([-1e308, 1e308]))  # never overflows
    # symmetric to rounding: sigmoid(-z) = 1 - sigmoid(z), both sides within 3 ulps of 1
    np.testing.assert_allclose(sigmoid(-z) + s, 1.0, rtol=0, atol=6 * np.finfo(float).eps)


def test_relu_and_its_gradient():
    z = np.array([-2.0, -0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(relu(z), [0.0, 0.0, 0.0, 1e-300, 3.0])
    np.testing.assert_array_equal(relu_grad(z), [0.0, 0.0, 0.0, 1.0, 1.0])
    assert relu_grad(z).dtype == np.float64
