"""Verdicts about R^d unless narrowed, never contradicting their own evidence; readable
counterexamples; non-real expressions refused (issue 10)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from lab.errors import LabInputError
from lab.functions import get_function
from lab.functions.parse import objective_from_text
from lab.smoothness import check_smoothness, min_valid_l0

FAST = 2000  # samples per box: enough for these smooth landscapes, quick in the suite


def _independent_sides(fn, point, L0, L1):
    """||∇²f|| and L0 + L1||∇f|| at the point by sympy's own evaluation of the definition
    at the exact rational point (eigenvalues of the symmetric 2x2 Hessian in closed form):
    independent of the certifier's mpmath path."""
    subs = {v: sp.Rational(c) for v, c in zip(fn.variables, point)}
    grad = [sp.N(g.subs(subs), 40) for g in fn.gradient_exprs]
    H = [[sp.N(h.subs(subs), 40) for h in row] for row in fn.hessian_exprs]
    if fn.dim == 1:
        hess = abs(H[0][0])
    else:  # d = 2: |(a + c)/2| + sqrt(((a - c)/2)^2 + b^2) is the largest |eigenvalue|
        (a, b), (_, c) = H
        hess = abs((a + c) / 2) + sp.sqrt(((a - c) / 2) ** 2 + b**2)
    return hess, L0 + L1 * sp.sqrt(sum(g**2 for g in grad))


@pytest.mark.parametrize("text, L1, domain", [
    ("x^4 + y^4", 0.1, None),                      # sup 1600 at (±20, 0): outside [-10, 10]^2
    ("((x - 30)^2 + (y - 40)^2)^2", 1.0, None),    # a quartic bowl centred 50 from the origin
    ("x^2*y^2", 1.0, None),                        # no constant works: the value only grows
    ("x^4 + y^4", 0.1, [(-10, 10)]),               # narrowed on purpose: sup 800 on the box
    ("log(1 + exp(x + 2*y)) + x^2", 0.5, None),
])
def test_check_and_frontier_agree(text, L1, domain):
    """Theorem (consistency): with the same search, check_smoothness(L0) fails iff L0 is
    below the numeric frontier min_valid_l0: just below fails, at or above holds."""
    fv = min_valid_l0(text, L1, domain=domain, samples=FAST)
    assert not fv.exact and fv.value > 0
    below = check_smoothness(text, fv.value * (1 - 1e-6), L1, domain=domain, samples=FAST)
    above = check_smoothness(text, fv.value * (1 + 1e-9), L1, domain=domain, samples=FAST)
    assert not below.holds and above.holds
    # a failing check may stop growing once it has a certificate; a holding one searched all
    assert below.L0 < below.largest_excess <= fv.value * (1 + 1e-12)
    assert above.largest_excess == pytest.approx(fv.value, rel=1e-12)
    if domain is None:
        assert "searched to radius" in fv.searched and "R^2" in above.summary()
    else:
        assert "on the box [-10, 10] x [-10, 10]" in above.summary()


def test_far_violation_of_the_issue_is_found_on_r2():
    """x^4 + y^4 with (1000, 0.1): ||∇²f|| = 12x² exceeds 1000 + 0.4|x|³ near |x| = 20
    (4800 > 4200 at (20, 0)), outside the old default box; on [-10, 10]^2 it holds."""
    v = check_smoothness("x^4 + y^4", 1000, 0.1, samples=FAST)
    assert not v.holds and "R^2" in v.domain
    x, y = sorted(v.point, key=abs)
    assert abs(x) < 1 and abs(abs(y) - 20) < 1 and v.lhs > v.rhs
    assert 12 * y**2 > 1000 + 0.1 * 4 * math.hypot(x**3, y**3)  # by hand, not by the lab
    boxed = check_smoothness("x^4 + y^4", 1000, 0.1, domain=[(-10, 10)], samples=FAST)
    assert boxed.holds and boxed.domain == "the box [-10, 10] x [-10, 10]"
    assert "no violation found on the box" in boxed.summary()


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_ridge_on_a_box_is_exact(scale):
    """logistic h(a·x) on [-5, 5]^2 with L1 = 0.1: sup over the box of |h''| ||a||² -
    0.1 |h'| ||a|| is attained inside (a·x in [-10 s, 10 s]), so L0 = 0 fails, exactly."""
    fn = get_function("logistic", d=2, scale=scale)
    v = check_smoothness(fn, 0, 0.1, domain=[(-5, 5)])
    assert not v.holds and v.method == "symbolic"
    assert all(-5 <= c <= 5 for c in v.point) and v.lhs > v.rhs
    assert v.largest_excess == pytest.approx(min_valid_l0(fn, 0.1).value, rel=1e-9)


def test_radial_on_a_box_uses_the_radii_of_the_box():
    """||x||^4 on [1, 2] x [1, 2]: radii in [sqrt(2), sqrt(8)]; with L1 = 1 the excess
    12r² - 4r³ is largest at r = 2 (value 16), which the box contains: 16 holds, 15.9 fails
    with a point inside the box."""
    fn = get_function("quartic_norm", d=2)
    assert check_smoothness(fn, 16, 1, domain=[(1, 2)]).holds
    v = check_smoothness(fn, 15.9, 1, domain=[(1, 2)])
    assert not v.holds and all(1 <= c <= 2 for c in v.point)
    assert np.linalg.norm(v.point) == pytest.approx(2.0)
    far = check_smoothness(fn, 0, 1, domain=[(3, 4)])  # radii >= 3 sqrt(2): 12r² - 4r³ < 0
    assert far.holds


def test_singular_point_is_not_a_witness():
    """|x|^1.5: f'' = 0.75|x|^-0.5 does not exist at 0 and is unbounded near it, so no
    constants work; the counterexample is a nearby point where both sides are finite."""
    v = check_smoothness("Abs(x)^1.5", 1, 1)
    assert not v.holds and v.point[0] != 0.0
    t = abs(v.point[0])
    assert 0.75 * t**-0.5 > 1 + 1.5 * t**0.5  # by hand at the reported point
    assert math.isfinite(v.lhs) and math.isfinite(v.rhs)
    two = check_smoothness("(x^2 + y^2)^(3/4)", 1, 1, samples=FAST)  # the same in R^2
    assert not two.holds and any(c != 0 for c in two.point)
    assert math.isfinite(two.lhs) and two.lhs > two.rhs


def test_overflow_prints_both_sides_in_high_precision():
    """exp(exp(x)) with L0 = 1e300: the witness lies where float64 overflows; both sides
    are printed as finite high-precision numbers, never inf."""
    v = check_smoothness("exp(exp(x))", 1e300, 1)
    assert not v.holds
    assert "inf" not in v.lhs_text and "inf" not in v.rhs_text
    assert mpmath.mpf(v.lhs_text) > mpmath.mpf(v.rhs_text) > 1e300


def test_near_tie_is_printed_with_digits_that_differ():
    """x^4 with L0 just below 16 (L1 = 1): the sides differ in the 12th digit and are
    printed with enough digits to see it."""
    v = check_smoothness("x^4", 16 - 1e-9, 1)
    assert not v.holds and v.lhs_text != v.rhs_text
    assert float(v.lhs_text) > float(v.rhs_text)


@pytest.mark.parametrize("text, domain, needle", [
    ("sqrt(x)", None, "is real on [0, oo)"),
    ("log(x)", None, "--domain 0:inf"),
    ("1/x", None, "not real-valued on R"),
    ("x^y", None, "'x^y' is not real-valued at"),
    ("log(x*y)", [(-1, 1)], "not real-valued at"),
])
def test_non_real_expressions_are_refused(text, domain, needle):
    with pytest.raises(LabInputError) as err:
        check_smoothness(text, 1, 1, domain=domain, samples=FAST)
    assert needle in str(err.value) and "\n" not in str(err.value)


def test_an_end_where_f_is_not_real_is_left_out_and_said():
    v = check_smoothness("log(x)", 1, 1, domain=[(0, math.inf)])
    assert v.domain == "(0, oo)" and "x = 0 left out" in v.note
    assert not v.holds and v.point[0] > 0  # 1/x² beats 1 + 1/x near 0
    positive = check_smoothness("x^y", 1, 1, domain=[(0.5, 2), (0.5, 2)], samples=FAST)
    assert positive.domain == "the box [0.5, 2] x [0.5, 2]"


TARGETS = {
    "quartic": lambda: get_function("quartic"),
    "exp_sum": lambda: get_function("exp_sum"),
    "logistic2": lambda: get_function("logistic", d=2),
    "quartic_norm2": lambda: get_function("quartic_norm", d=2),
    "x^4+y^4": lambda: objective_from_text("x^4 + y^4"),
    "x^2*y^2": lambda: objective_from_text("x^2*y^2"),
    "cosh(x)+y^2": lambda: objective_from_text("cosh(x) + y^2"),
    "abs^1.5": lambda: objective_from_text("Abs(x)^1.5 + y^2"),
}


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(TARGETS)),
       L0=st.sampled_from([0.0, 0.5, 2.0, 16.0, 800.0, 1e4]),
       L1=st.sampled_from([0.1, 1.0, 3.0]),
       box=st.one_of(st.none(), st.tuples(st.integers(-20, 0), st.integers(1, 20))))
@example(name="logistic2", L0=0.0, L1=0.1, box=(-5, 5))   # the issue's box bug
@example(name="x^4+y^4", L0=1000.0, L1=0.1, box=None)     # the issue's R^2 bug
@example(name="abs^1.5", L0=2.0, L1=1.0, box=None)        # a singular point
def test_a_verdict_never_contradicts_its_evidence(name, L0, L1, box):
    """Theorem (honesty): whatever the route, a verdict that holds has established no excess
    above L0 (exact sup, or the largest value found trusted in high precision, and any float64
    excess above L0 explained as rounding); a verdict that fails gives a point of the domain
    where both sides are finite and ||∇²f|| > L0 + L1||∇f||, confirmed independently."""
    fn = TARGETS[name]()
    domain = None if box is None else [box]
    v = check_smoothness(fn, L0, L1, domain=domain, samples=1000)
    if v.holds:
        assert v.largest_excess <= L0 * (1 + 1e-12) + 1e-12
        assert v.float_excess <= L0 or "rounding" in v.note
        return
    assert v.point is not None and all(math.isfinite(c) for c in v.point)
    if box is not None:
        assert all(box[0] <= c <= box[1] for c in v.point)
    assert mpmath.mpf(v.lhs_text) > mpmath.mpf(v.rhs_text)
    if hasattr(fn, "gradient_exprs"):
        hess, rhs = _independent_sides(fn, v.point, L0, L1)
        assert hess > rhs
    else:
        x = np.array([v.point])
        assert fn.hess_norm(x)[0] > L0 + L1 * fn.grad_norm(x)[0]
