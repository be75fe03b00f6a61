"""The certifier: stated frontiers pass, slightly smaller constants fail with counterexamples,
and every row of PAPER.md's "Reference facts" table is reproduced."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import example, given, settings
from hypothesis import strategies as st

from lab.errors import LabInputError
from lab.functions import L1_SYMBOL, function_names, get_function
from lab.smoothness import check_smoothness, min_valid_l0

CLOSED_FORM = [n for n in function_names()
               if get_function(n).info.frontier.kind == "closed_form"]
L1_GRID = [0.5, 1.0, 2.0, 3.0]


def _grid_sup(fn, L1):
    """Independent numeric sup of ||∇²f|| - L1||∇f|| on a dense grid along the first axis
    (and the diagonal), computed from the compiled numerics, not from sympy.

    Points where ||∇²f|| > 1e8 are left out: there the difference cancels catastrophically
    in float64 (exp-type members: e^60 - (e^60 - 1) is not 1 in float64)."""
    t = np.concatenate([np.linspace(-30, 30, 60001), np.logspace(-4, 1.5, 2000)])
    best = -np.inf
    for direction in (np.eye(fn.dim)[0], np.ones(fn.dim) / np.sqrt(fn.dim)):
        X = t[:, None] * direction[None, :]
        with np.errstate(all="ignore"):
            hn = fn.hess_norm(X)
            e = np.where(hn < 1e8, hn - L1 * fn.grad_norm(X), -np.inf)
        best = max(best, np.nanmax(np.where(np.isfinite(e), e, -np.inf)))
    return best


@pytest.mark.parametrize("name", CLOSED_FORM)
@pytest.mark.parametrize("L1", L1_GRID)
def test_closed_form_frontier_equals_certified_supremum(name, L1):
    """Hand-derived frontier L0_min(L1) == the certifier's exact sup (sympy), and a dense grid
    of the compiled numerics never exceeds it: two independent checks of each formula."""
    fn = get_function(name)
    frontier = fn.info.frontier
    stated = frontier.l0_for(L1)
    certified = min_valid_l0(fn, L1)
    assert certified.exact
    if stated == math.inf:
        assert certified.value == math.inf
        return
    expected = sp.Max(frontier.l0_min.subs(L1_SYMBOL, sp.nsimplify(L1)), 0)
    assert sp.simplify(sp.sympify(certified.text) - expected) == 0
    grid = _grid_sup(fn, L1)
    assert grid <= stated + 1e-9 * (1 + stated)
    assert grid >= stated - 1e-3 * (1 + stated) or stated == 0.0


#: (function, L1) where the float nearest to the smallest valid L0 lies below it
ROUNDS_DOWN = [("quartic_norm", 0.3), ("quartic_norm", 1.7), ("norm_power", 1.3),
               ("norm_power", 0.9), ("norm_power", 2.9), ("cubic", 9.3)]


@pytest.mark.parametrize("name, L1", ROUNDS_DOWN)
def test_the_smallest_valid_l0_reported_is_valid_and_smallest(name, L1):
    """Theorem: with L1 fixed, L0 is valid exactly when L0 >= S(L1) = sup_x (||∇²f(x)|| -
    L1||∇f(x)||), and S(L1) is the zoo's hand-derived closed form. The smallest valid L0 the
    lab reports (closed-form lookup, and the certifier's exact supremum) is the smallest
    float >= S(L1), a float read as the number its shortest repr writes (the lab's rule):
    check_smoothness accepts it, and the float just below it is < S(L1). At these L1 the
    float nearest to S(L1) lies below S(L1) (rounding to nearest reported an L0 that
    check_smoothness rejects)."""
    def exact(x: float) -> sp.Rational:
        return sp.Rational(repr(x))

    fn = get_function(name)
    sup = sp.Max(fn.info.frontier.l0_min.subs(L1_SYMBOL, exact(L1)), 0)
    assert exact(float(sup)) < sup
    for value in (fn.info.frontier.l0_for(L1), min_valid_l0(fn, L1).value):
        assert exact(value) >= sup
        assert exact(math.nextafter(value, -math.inf)) < sup
        assert check_smoothness(fn, value, L1).holds


@pytest.mark.parametrize("name", CLOSED_FORM)
def test_frontier_passes_and_smaller_l0_fails(name):
    """At a valid L1 the stated L0 holds (symbolically) and, where the frontier is tight at an
    attained point, 0.99·L0 fails with a counterexample where ||∇²f|| > L0 + L1||∇f||."""
    fn = get_function(name)
    frontier = fn.info.frontier
    L1 = max(2.0, frontier.l1_min * 1.5)
    L0 = frontier.l0_for(L1)
    verdict = check_smoothness(fn, L0, L1)
    assert verdict.holds and verdict.method == "symbolic"
    if L0 > 0 and "attained" in verdict.where:
        bad = check_smoothness(fn, 0.99 * L0, L1)
        assert not bad.holds
        assert bad.lhs > bad.rhs
        x = np.array([bad.point])
        assert fn.hess_norm(x)[0] > 0.99 * L0 + L1 * fn.grad_norm(x)[0]


@pytest.mark.parametrize("name", [n for n in CLOSED_FORM if get_function(n).info.frontier.l1_min > 0])
def test_l1_below_the_frontier_fails(name):
    """Below the smallest valid L1 no L0 works: a counterexample exists even for a huge L0."""
    fn = get_function(name)
    L1 = 0.9 * fn.info.frontier.l1_min
    verdict = check_smoothness(fn, 1e6, L1)
    assert not verdict.holds and verdict.lhs > verdict.rhs


# --- PAPER.md, "Reference facts derived here" ------------------------------------------------

def test_reference_row_x4():
    """x^4: valid iff L0·L1² >= 16 (L1 > 0)."""
    assert check_smoothness("x^4", 16, 1).holds
    assert check_smoothness("x^4", 4, 2).holds
    assert not check_smoothness("x^4", 3.99, 2).holds
    assert not check_smoothness("x^4", 1e9, 0).holds  # not L-smooth


def test_reference_row_exp():
    """exp(x): L1 >= 1 with any L0 >= 0; (0, 1) valid."""
    assert check_smoothness("exp(x)", 0, 1).holds
    assert check_smoothness("exp(x)", 0, 7).holds
    assert not check_smoothness("exp(x)", 1e6, 0.999).holds


def test_reference_row_cosh():
    """cosh(x): L1 >= 1 and L0 >= 1."""
    assert check_smoothness("cosh(x)", 1, 1).holds
    assert not check_smoothness("cosh(x)", 0.999, 5).holds
    assert not check_smoothness("cosh(x)", 100, 0.9).holds


@pytest.mark.parametrize("expr", ["exp(x) + exp(-x)", "log(exp(x) + exp(-x))"])
def test_reference_row_symmetric_sums_need_positive_l0(expr):
    """f'(0) = 0 but f''(0) > 0: L0 = 0 fails at x = 0 for any L1 (a peer mistake)."""
    for L1 in (1, 1000):
        verdict = check_smoothness(expr, 0, L1)
        assert not verdict.holds
        assert verdict.point == (0.0,)
        assert verdict.rhs == 0.0 and verdict.lhs > 0


@pytest.mark.parametrize("scale", [0.5, 1.0, 2.0])
@pytest.mark.parametrize("name", ["logistic", "exp_ridge"])
def test_reference_row_ridge_functions_are_zero_norm_a_smooth(name, scale):
    """log(1 + exp(-a·x)) and exp(a·x): (0, ||a||) valid; (0, 0.9||a||) not for exp."""
    fn = get_function(name, d=4, scale=scale)
    assert check_smoothness(fn, 0, scale).holds
    if name == "exp_ridge":
        assert not check_smoothness(fn, 0, 0.9 * scale).holds


@settings(max_examples=12)
@given(L0=st.floats(0.1, 10), L1=st.floats(0.1, 10))
@example(L0=1.0, L1=1.0)
@example(L0=2.888252057868715, L1=1.7978652956092285)  # zoo and certifier once rounded L1 apart
def test_reference_row_witness_is_exactly_tight(L0, L1):
    """The witness w with (L0, L1) is (L0, L1)-smooth, and neither constant can be lowered:
    its sympy definition satisfies w'' - L1|w'| = L0 on both sides of 0 (equality, so the
    certifier's exact supremum must be L0), and below L1 no L0 works."""
    fn = get_function("witness", L0=L0, L1=L1)
    (x,) = fn.variables
    t = sp.Symbol("t", positive=True)
    for side in (1, -1):  # x > 0 and x < 0, where the definition's pieces apply
        w = fn.expr.subs(x, side * t)  # increasing in t = |x|, so |w'| = dw/dt
        excess = sp.lambdify(t, sp.diff(w, t, 2) - L1 * sp.diff(w, t), modules="mpmath")
        slope = sp.lambdify(t, sp.diff(w, t), modules="mpmath")
        for value in (1e-3, 0.5, 3.0 / L1):
            assert slope(value) > 0
            assert abs(excess(value) - L0) <= 1e-9 * L0
    assert min_valid_l0(fn, L1).value == pytest.approx(L0, rel=1e-12)
    assert min_valid_l0(fn, 0.95 * L1).value == math.inf


@pytest.mark.parametrize("L0, L1", [(1, 1), (100, 100), (1e4, 1e4)])
def test_reference_row_x2y2_fails_for_every_constant(L0, L1):
    """x²y²: for any constants a counterexample on an axis (gradient 0, Hessian not)."""
    box = max(10.0, 2 * math.sqrt(L0))
    verdict = check_smoothness("x^2*y^2", L0, L1, domain=[(-box, box)], samples=4000)
    assert not verdict.holds
    assert 0.0 in verdict.point
    assert verdict.rhs == pytest.approx(L0)


def test_two_layer_linear_is_not_smooth():
    """(uv - 1)²/2: zero gradient on uv = 1 with a growing Hessian."""
    verdict = check_smoothness(get_function("two_layer_linear"), 50, 50, samples=4000)
    assert not verdict.holds and verdict.lhs > verdict.rhs


@pytest.mark.parametrize("name", [n for n in function_names()
                                  if get_function(n).info.mistaken_constants])
def test_peer_mistakes_are_caught(name):
    """Constants that peers state for these functions are refuted with a counterexample."""
    fn = get_function(name)
    for L0, L1 in fn.info.mistaken_constants:
        assert not check_smoothness(fn, L0, L1).holds


def test_numeric_verdict_is_labelled_and_never_claims_proof():
    """Several variables: a passing check says 'numeric' and 'no violation found'."""
    verdict = check_smoothness(get_function("phase_retrieval"), 200, 1, samples=3000)
    assert verdict.holds and verdict.method == "numeric"
    assert "no violation found" in verdict.summary() and "not a proof" in verdict.summary()


def test_double_well_frontier_is_exact_algebraic():
    """Lemma 2 for (x²-1)²: the certifier's sup is algebraic and matches a dense grid."""
    fv = min_valid_l0("(x^2-1)^2", 1.0)
    assert fv.exact
    assert fv.value == pytest.approx(_grid_sup(get_function("double_well"), 1.0), rel=1e-6)


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, "abc"])
def test_bad_constants_are_rejected(bad):
    with pytest.raises(LabInputError, match="L0 must be"):
        check_smoothness("x^4", bad, 1)


def test_bad_expressions_are_rejected():
    with pytest.raises(LabInputError, match="not a formula"):
        check_smoothness("x^4 +", 1, 1)
    with pytest.raises(LabInputError, match="function 'foo' is not allowed"):
        check_smoothness("foo(x)", 1, 1)
    with pytest.raises(LabInputError, match="unknown name 'y'"):
        check_smoothness("x*y", 1, 1, variables=["x"])
    with pytest.raises(LabInputError, match="is not allowed"):
        check_smoothness("__import__('os')", 1, 1)
    with pytest.raises(LabInputError, match="need low < high"):
        check_smoothness("x^4", 1, 1, domain=[(3, 1)])


def test_user_expression_with_abs_is_differentiated_branchwise():
    """Regression (found by the derivations' cross-check): Abs in a user expression once
    differentiated into DiracDelta and crashed. The witness typed by hand must have exactly
    the frontier (2, 3): L0 = 2 works with L1 = 3, and no L0 works with L1 < 3."""
    text = "2/9*(exp(3*Abs(x)) - 3*Abs(x) - 1)"
    assert min_valid_l0(text, 3).value == 2.0
    assert min_valid_l0(text, 2.9).value == math.inf
    verdict = check_smoothness("Abs(x)^3", 1, 1)  # sup 6t - 3t² = 3 at t = 1
    assert not verdict.holds and verdict.sup_excess == "3"


def test_numeric_frontier_is_the_largest_excess_not_a_shrunk_point():
    """Regression (found by figure e): the numeric frontier of phase_retrieval once came from
    a violating point 'shrunk' to the origin (excess 18.6) although x = (5.357, 7.573, 8.832)
    has ||∇²f|| - 0.25||∇f|| ≈ 662. The frontier is a lower bound on sup(||∇²f|| - L1||∇f||):
    it must reach any excess evaluated directly, and it must not increase with L1."""
    fn = get_function("phase_retrieval")
    point = np.array([[5.357, 7.573, 8.832]])
    direct = float(fn.hess_norm(point)[0] - 0.25 * fn.grad_norm(point)[0])
    values = [min_valid_l0(fn, L1, samples=4000).value for L1 in (0.25, 0.5, 1.0, 2.0)]
    assert values[0] >= direct
    assert all(a >= b - 1e-9 for a, b in zip(values, values[1:]))
    at_minimizer = float(fn.hess_norm(np.array([fn.info.minimizer]))[0])
    assert values[-1] >= at_minimizer - 1e-9  # ∇f = 0 there: L0 >= ||∇²f(x*)|| for every L1
