"""The exact certifier on cases solved by hand (issue 15, item 6: the fast tests that
mutation testing of lab/smoothness runs).

Each case is small enough for sympy to finish in well under a second, and its supremum of
``g(t) = |q2(t)| - L1 |q1(t)|`` is derived in the docstring by hand, so the expected value,
the point attaining it (or the limit approaching it) and the labels come from the
mathematics, not from the code under test. Together they visit every branch of
:func:`lab.smoothness.univariate.exact_sup`: stationary points, closed ends, limits at
infinite and at singular ends, ``oo - oo`` limits, Piecewise pieces, pieces where an equation
vanishes identically, ties, and unbounded suprema.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp

from lab.errors import LabInputError
from lab.functions import T, Reduction, get_function
from lab.smoothness import check_smoothness, min_valid_l0
from lab.smoothness.univariate import _Undecided, _decide_greater, exact_sup

HALF = sp.Rational(1, 2)


def _sup(q1, q2, L1, domain=sp.Reals):
    return exact_sup(Reduction(sp.sympify(q1), sp.sympify(q2), domain), sp.sympify(L1))


@pytest.mark.parametrize("L1, value, argmax", [(1, 16, 2), (2, 4, 1), (3, sp.Rational(16, 9),
                                                                        sp.Rational(2, 3))])
def test_quartic_supremum_is_attained_at_two_over_l1(L1, value, argmax):
    """f = t^4: g = 12 t^2 - 4 L1 |t|^3, g' = 0 at |t| = 2/L1, where g = 16/L1^2; +-2/L1 tie
    and the point t >= 0 is reported."""
    r = _sup(4 * T**3, 12 * T**2, L1)
    assert (r.value, r.argmax, r.limit, r.exact) == (value, argmax, None, True)
    assert r.approach is None and r.value_float == float(value)


def test_quartic_without_l1_is_unbounded_in_a_limit():
    """L1 = 0: g = 12 t^2 -> oo as |t| -> oo: the supremum oo, approached (no argmax)."""
    r = _sup(4 * T**3, 12 * T**2, 0)
    assert r.value is sp.oo and r.argmax is None and r.exact
    assert r.limit in ("t -> oo", "t -> -oo") and r.approach[0] in (sp.oo, -sp.oo)
    assert r.value_float == math.inf


@pytest.mark.parametrize("L1, value, argmax, limit", [
    (1, 0, 0, None),            # g = 0 everywhere: the sampled point t = 0 of the flat piece
    (HALF, sp.oo, None, "t -> oo"),   # g = e^t / 2 grows without bound
    (2, 0, None, "t -> -oo"),   # g = -e^t < 0, sup 0 approached as t -> -oo only
])
def test_exponential_supremum_in_each_regime(L1, value, argmax, limit):
    """f = e^t: g = (1 - L1) e^t. L1 = 1: identically 0 (the equation q2' = L1 q1' vanishes
    identically, the piece is sampled); L1 < 1: +oo at +oo; L1 > 1: 0 in the limit t -> -oo,
    never attained."""
    r = _sup(sp.exp(T), sp.exp(T), L1)
    assert (r.value, r.argmax, r.limit, r.exact) == (value, argmax, limit, True)


def test_softplus_curvature_peaks_at_zero():
    """f = log(1 + e^t): f' = s = 1/(1 + e^-t), f'' = s(1 - s) <= 1/4 with equality at
    t = 0 (s = 1/2); L1 = 0: sup 1/4 attained at 0."""
    s = 1 / (1 + sp.exp(-T))
    r = _sup(s, sp.exp(-T) / (1 + sp.exp(-T))**2, 0)
    assert (r.value, r.argmax, r.limit) == (sp.Rational(1, 4), 0, None)


def test_singular_end_is_a_one_sided_limit():
    """f = t^(3/2) on [0, oo): f'' = 3/(4 sqrt t) is not finite at 0 (a singular point, left
    out): g -> +oo as t -> 0+, the supremum is that limit."""
    r = _sup(sp.Rational(3, 2) * sp.sqrt(T), sp.Rational(3, 4) / sp.sqrt(T), 1,
             sp.Interval(0, sp.oo))
    assert (r.value, r.argmax, r.limit, r.approach) == (sp.oo, None, "t -> 0+", (0, 1))


def test_removable_singularity_inside_a_closed_interval():
    """q2 = (t^2 + t)/t = t + 1 for t != 0, undefined at 0, on [-1, 0], L1 = 0: |t + 1| < 1
    on [-1, 0) and tends to 1 as t -> 0-: sup 1, not attained (t = 0 is left out)."""
    r = _sup(0, (T**2 + T) / T, 0, sp.Interval(-1, 0))
    assert (r.value, r.argmax, r.limit, r.approach) == (1, None, "t -> 0-", (0, -1))


def test_piecewise_maximum_inside_the_second_piece():
    """q2 = 1 - t^2 (t < 0), 1 + t - t^2 (t >= 0) on [-1, 2], L1 = 0: on [-1, 0) |q2| <= 1;
    on [0, 2] q2 peaks at t = 1/2 with 5/4 (q2(2) = -1): sup 5/4 at 1/2."""
    q2 = sp.Piecewise((1 - T**2, T < 0), (1 + T - T**2, True))
    r = _sup(0, q2, 0, sp.Interval(-1, 2))
    assert (r.value, r.argmax, r.limit) == (sp.Rational(5, 4), HALF, None)


def test_piecewise_maximum_at_the_cut():
    """q2 = t + 2 (t < 1), 5 - 2t (t >= 1) on [-3, 3], L1 = 0: |q2| rises to 3 at the cut
    t = 1 and falls after it (|q2(-3)| = |q2(3)| = 1): sup 3 at the cut."""
    q2 = sp.Piecewise((T + 2, T < 1), (5 - 2 * T, True))
    r = _sup(0, q2, 0, sp.Interval(-3, 3))
    assert (r.value, r.argmax) == (3, 1)


@pytest.mark.parametrize("q2, domain, argmax", [
    ((T - HALF)**2, sp.Interval(-1, 2), -1),   # 9/4 at -1 and at 2: the smaller |t|
    ((T + HALF)**2, sp.Interval(-2, 1), 1),    # 9/4 at -2 and at 1: the smaller |t|
    (T**2, sp.Interval(-2, 2), 2),             # 4 at -2 and at 2: t >= 0
    (T**2, sp.Interval(-HALF, HALF), HALF),    # 1/4 at -1/2 and at 1/2: t >= 0
])
def test_ties_prefer_the_simpler_point(q2, domain, argmax):
    """Equal maxima at two ends: the reported point is the one with the smaller |t|, and
    between t and -t the nonnegative one, whichever order the candidates come in."""
    r = _sup(0, q2, 0, domain)
    assert r.argmax == argmax
    assert r.value == q2.subs(T, argmax)


def test_infinity_minus_infinity_at_an_end_is_resolved():
    """q1 = e^t, q2 = e^t - e^-t on [0, oo), L1 = 1: both tend to oo, but g = -e^-t for
    t >= 0 (q2 >= 0), which rises to 0 as t -> oo: sup 0, approached, not attained."""
    r = _sup(sp.exp(T), sp.exp(T) - sp.exp(-T), 1, sp.Interval(0, sp.oo))
    assert (r.value, r.argmax, r.limit) == (0, None, "t -> oo")


def test_infinity_minus_infinity_with_a_constant_gap():
    """q1 = e^t, q2 = e^t - 1 on [0, oo), L1 = 1: g = -1 at every t >= 0 (the limit at oo
    too): sup -1, and among the equal candidates the end t = 0."""
    r = _sup(sp.exp(T), sp.exp(T) - 1, 1, sp.Interval(0, sp.oo))
    assert (r.value, r.argmax, r.limit) == (-1, 0, None)


def test_limits_to_minus_infinity_are_never_the_supremum():
    """q1 = t^2, q2 = 1, L1 = 1: g = 1 - t^2 -> -oo at both ends: sup 1 at 0."""
    r = _sup(T**2, 1, 1)
    assert (r.value, r.argmax, r.limit) == (1, 0, None)


def test_one_sided_limit_at_a_singular_right_end_is_from_the_left():
    """q2 = e^(1/t) on [-1, 0], L1 = 0: t = 0 is singular; from the left e^(1/t) -> 0 (from
    the right it would be oo), so the sup is e^-1 at t = -1, not an infinite limit."""
    r = _sup(0, sp.exp(1 / T), 0, sp.Interval(-1, 0))
    assert (r.value, r.argmax, r.limit) == (sp.exp(-1), -1, None)


def test_limit_at_a_singular_end_keeps_the_l1_term():
    """q1 = 1, q2 = (t^2 + t)/t = t + 1 (t != 0) on [-1, 0], L1 = 1: g = |t + 1| - 1 < 0 on
    [-1, 0), tending to 0 as t -> 0-: sup 0 approached (|q2| alone would tend to 1)."""
    r = _sup(1, (T**2 + T) / T, 1, sp.Interval(-1, 0))
    assert (r.value, r.argmax, r.limit) == (0, None, "t -> 0-")


def test_an_infinite_q1_at_infinity_sends_the_excess_to_minus_infinity():
    """q1 = t^2, q2 = 2t^2/(1 + t^2), L1 = 1: g = t^2 (1 - t^2)/(1 + t^2) with u = t^2
    maximal where u^2 + 2u - 1 = 0, u = sqrt(2) - 1, g = (sqrt(2) - 1)^2 = 3 - 2 sqrt(2);
    at +-oo g -> -oo (although |q2| -> 2 > that)."""
    r = _sup(T**2, 2 * T**2 / (1 + T**2), 1)
    assert sp.simplify(r.value - (3 - 2 * sp.sqrt(2))) == 0 and r.limit is None
    assert sp.simplify(r.argmax**2 - (sp.sqrt(2) - 1)) == 0 and r.argmax > 0


def test_infinity_minus_infinity_at_a_singular_finite_end():
    """q1 = 1/t, q2 = 1/t + 1 on [0, 1], L1 = 1: both blow up at 0+, but g = 1 for every
    t > 0: sup 1, exact (the oo - oo limit at 0+ is resolved, not left undecided)."""
    r = _sup(1 / T, 1 / T + 1, 1, sp.Interval(0, 1))
    assert r.value == 1 and r.exact


def test_open_interval_ends_are_limits_not_points():
    """q2 = t on the open (0, 1), L1 = 0: sup 1 approached as t -> 1-, never attained."""
    r = _sup(0, T, 0, sp.Interval.open(0, 1))
    assert (r.value, r.argmax, r.limit, r.approach) == (1, None, "t -> 1-", (1, -1))


def test_a_domain_that_is_not_an_interval_is_undecided():
    """exact_sup proves only over intervals: a union of two is left to the numeric route."""
    with pytest.raises(_Undecided):
        _sup(0, T, 0, sp.Union(sp.Interval(0, 1), sp.Interval(2, 3)))


@pytest.mark.parametrize("a, b, sign", [
    (sp.Integer(2), sp.Integer(1), 1),
    (sp.Integer(1), sp.Integer(2), -1),
    (sp.log(6), sp.log(2) + sp.log(3), 0),                    # equal, only after simplify
    (1 + sp.Rational(1, 10**45), sp.Integer(1), 1),           # differ beyond 40 digits
    (sp.Integer(1), 1 + sp.Rational(1, 10**45), -1),
    (sp.sqrt(2) + sp.sqrt(3), sp.sqrt(5 + 2 * sp.sqrt(6)), 0),  # equal algebraic numbers
    (sp.pi, sp.Rational(355, 113), -1),                       # pi < 355/113 by 2.7e-7
])
def test_decide_greater_is_exact(a, b, sign):
    """The sign of a - b, exact: equal numbers in different forms compare equal, numbers
    that differ only beyond 40 digits are told apart."""
    assert _decide_greater(a, b) == sign


def test_decide_greater_refuses_what_it_cannot_decide():
    """A symbolic difference has no sign to decide: _Undecided, never a guess."""
    with pytest.raises(_Undecided):
        _decide_greater(sp.Symbol("a"), sp.Integer(0))


@pytest.mark.parametrize("text, L1, value, where", [
    ("x^4", 1.0, 16.0, "t = 2 (x = t)"),
    ("x^4", 2.0, 4.0, "t = 1 (x = t)"),
    ("x^2", 0.5, 2.0, "t = 0 (x = t)"),
    ("exp(x)", 0.5, math.inf, "t -> oo (x = t)"),
    ("exp(x) + x", 2.0, 0.0, "t -> -oo (x = t)"),
])
def test_min_valid_l0_is_the_hand_computed_frontier(text, L1, value, where):
    """The smallest L0: x^4: 16/L1^2 at 2/L1; x^2: |f''| = 2 at f' = 0; e^x with L1 < 1:
    unbounded; e^x + x with L1 = 2: g = -e^x - 2 < 0, so the frontier is 0 (L0 >= 0)."""
    frontier = min_valid_l0(text, L1)
    assert (frontier.value, frontier.exact, frontier.where) == (value, True, where)
    assert frontier.text == ("oo" if value == math.inf else sp.sstr(sp.nsimplify(value)))
    assert frontier.domain == "R" and frontier.L1 == L1


def test_check_smoothness_fails_just_below_the_frontier_with_an_exact_witness():
    """x^4 with L1 = 1 and L0 = 15.9 < 16: fails exactly at x = +-2, where
    |f''| = 48 > 15.9 + 32 = 47.9; with L0 = 16 it holds."""
    v = check_smoothness("x^4", 15.9, 1.0)
    assert (v.holds, v.method, v.confirmed, abs(v.point[0])) == (False, "symbolic", "exact", 2.0)
    assert (v.lhs, v.rhs) == (48.0, pytest.approx(47.9, rel=1e-15))
    assert v.sup_excess == "16" and v.largest_excess == 16.0
    ok = check_smoothness("x^4", 16.0, 1.0)
    assert ok.holds and ok.point is None and ok.method == "symbolic"


def test_check_smoothness_of_an_unbounded_excess_finds_a_finite_witness():
    """e^x with L1 = 1/2: g = e^x / 2 is unbounded, so every L0 fails; for L0 = 100 the
    witness has e^x/2 > 100, i.e. x > ln 200."""
    v = check_smoothness("exp(x)", 100.0, 0.5)
    assert not v.holds and v.sup_excess == "oo" and v.point[0] > math.log(200)
    assert v.lhs > v.rhs
    assert np.isclose(v.lhs, math.exp(v.point[0]), rtol=1e-12)


def test_check_smoothness_on_a_box_uses_the_box():
    """x^4 on [-1, 1] with L1 = 1: g = 12 t^2 - 4|t|^3 increases on [0, 1] (its peak is at
    2): sup g(1) = 8 at the end; L0 = 8 holds, L0 = 7.9 fails at x = +-1."""
    frontier = min_valid_l0("x^4", 1.0, domain=[(-1.0, 1.0)])
    assert (frontier.value, frontier.where, frontier.domain) == (8.0, "t = 1 (x = t)", "[-1, 1]")
    assert check_smoothness("x^4", 8.0, 1.0, domain=[(-1.0, 1.0)]).holds
    bad = check_smoothness("x^4", 7.9, 1.0, domain=[(-1.0, 1.0)])
    assert not bad.holds and abs(bad.point[0]) == 1.0


def test_check_smoothness_accepts_sympy_and_zoo_targets():
    """The same question (x^4, L1 = 1: frontier 16 at x = 2) asked with a sympy expression
    and with the zoo's quartic (f = x^4)."""
    x = sp.Symbol("x")
    assert check_smoothness(x**4, 16.0, 1.0).holds
    assert not check_smoothness(x**4, 15.9, 1.0).holds
    quartic = get_function("quartic")
    frontier = min_valid_l0(quartic, 1.0)
    assert (frontier.value, frontier.exact, frontier.where) == (16.0, True, "t = 2 (x = t)")
    assert check_smoothness(quartic, 16.0, 1.0).holds
    assert not check_smoothness(quartic, 15.9, 1.0).holds


@pytest.mark.parametrize("call, words", [
    (lambda: check_smoothness("x^4", -1.0, 1.0), "L0"),
    (lambda: check_smoothness("x^4", 1.0, -1.0), "L1"),
    (lambda: min_valid_l0("x^4", math.nan), "L1"),
    (lambda: check_smoothness(3, 1.0, 1.0), "cannot check int"),
    (lambda: check_smoothness(get_function("quartic"), 1.0, 1.0, variables=["x"]),
     "variables= applies to expressions"),
])
def test_bad_arguments_are_one_line_errors(call, words):
    """Negative or nan constants, a target of the wrong type, variables= with a zoo
    function: LabInputError naming what is wrong."""
    with pytest.raises(LabInputError, match=words):
        call()
