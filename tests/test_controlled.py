"""Whole-class members (lab.functions.controlled): closed forms checked independently.

Cross-checks: the closed forms against numerical integration of the ODE (scipy solve_ivp,
DOP853 at 1e-12) and symbolically (sympy); the smoothness inequality by finite differences;
f*, M and Δ against dense grids; the scaling symmetry c·f(x/λ); the engine against a
high-precision loop; the witness of the zoo as the member with no knots.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import solve_ivp

from lab.engine import run_batch
from lab.errors import LabInputError
from lab.functions import get_function
from lab.functions.controlled import (ControlledMember, controlled_member, member_from_pieces,
                                      run_length)
from lab.methods import gd


@st.composite
def members(draw, max_pieces: int = 4):
    """Members whose exponents stay moderate (L1 times the span below about 8)."""
    L0 = draw(st.sampled_from([0.0, 0.5, 1.0, 3.0]))
    L1 = draw(st.sampled_from([0.0, 0.5, 1.0, 2.0] if L0 > 0 else [0.5, 1.0, 2.0]))
    k = draw(st.integers(0, max_pieces))
    start = draw(st.floats(-2, 2))
    lengths = draw(st.lists(st.floats(0.05, 1.2), min_size=k, max_size=k))
    controls = draw(st.lists(st.one_of(st.sampled_from([-1.0, 0.0, 1.0]), st.floats(-1, 1)),
                             min_size=k, max_size=k))
    u0 = draw(st.one_of(st.just(0.0), st.floats(-3, 3)))
    return member_from_pieces(L0, L1, start=start, u0=u0, pieces=list(zip(lengths, controls)))


def _ode_reference(m: ControlledMember, xs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(u, f) at sorted points xs by integrating u' = s(L0 + L1|u|), f' = u from knots[0]."""
    L0, L1 = m.L0, m.L1

    def solve(a, b, s, y0):
        return solve_ivp(lambda _, y: [s * (L0 + L1 * abs(y[0])), y[0]], (a, b), y0,
                         method="DOP853", rtol=1e-12, atol=1e-13, dense_output=True)

    u_out, f_out = np.empty_like(xs), np.empty_like(xs)
    y = [m.u0, m.f0]
    left = xs < m.knots[0]
    if left.any():  # the left tail (s = +1), integrated backwards from knots[0]
        u_out[left], f_out[left] = solve(m.knots[0], float(xs[left].min()), 1.0, y).sol(xs[left])
    pieces = list(zip(m.knots, m.knots[1:], m.controls)) + [(m.knots[-1], math.inf, 1.0)]
    for a, b, s in pieces:
        inside = (xs >= a) & (xs < b)
        end = b if math.isfinite(b) else (float(xs[inside].max()) if inside.any() else a)
        if end == a:
            u_out[inside], f_out[inside] = y
            continue
        sol = solve(a, end, s, y)
        if inside.any():
            u_out[inside], f_out[inside] = sol.sol(xs[inside])
        y = list(sol.y[:, -1])
    return u_out, f_out


@settings(max_examples=25)
@given(members(), st.lists(st.floats(-1.0, 1.0), min_size=1, max_size=6))
def test_closed_forms_match_ode_integration(m, offsets):
    """Theorem: u = f' solves u' = s(L0 + L1|u|) piecewise with u(t0) = u0, f(t0) = f0; the
    closed forms must agree with a DOP853 integration of that ODE at 1e-12 tolerance."""
    span = (m.knots[0] - 1.0, m.knots[-1] + 1.0)
    xs = np.sort(np.array([span[0] + (span[1] - span[0]) * (o + 1) / 2 for o in offsets]))
    u_ref, f_ref = _ode_reference(m, xs)
    u = m.grad(xs[:, None])[:, 0]
    f = m.value(xs[:, None])
    scale_u = 1 + np.abs(u_ref)
    scale_f = 1 + np.abs(f_ref) + np.abs(m.f0)
    assert np.all(np.abs(u - u_ref) <= 1e-8 * scale_u), (u, u_ref)
    assert np.all(np.abs(f - f_ref) <= 1e-8 * scale_f), (f, f_ref)


def test_closed_forms_symbolically():
    """The closed forms solve the ODE exactly (sympy): d|u|/dτ = ρ(L0 + L1|u|), d(∫|u|)/dτ =
    |u|, both vanish-correctly at τ = 0, and the L1 -> 0 limits are the polynomials."""
    a, rho, tau, L0, L1 = sp.symbols("a rho tau L0 L1", positive=True)
    z = rho * L1 * tau
    U = a * sp.exp(z) + L0 * rho * tau * (sp.exp(z) - 1) / z
    F = a * tau * (sp.exp(z) - 1) / z + L0 * rho * tau**2 * (sp.exp(z) - 1 - z) / z**2
    assert sp.simplify(sp.diff(U, tau) - rho * (L0 + L1 * U)) == 0
    assert sp.simplify(sp.diff(F, tau) - U) == 0
    assert sp.limit(U, tau, 0) == a and sp.limit(F, tau, 0) == 0
    assert sp.simplify(sp.limit(U, L1, 0) - (a + L0 * rho * tau)) == 0
    assert sp.simplify(sp.limit(F, L1, 0) - (a * tau + L0 * rho * tau**2 / 2)) == 0


@settings(max_examples=25)
@given(members(), st.floats(0, 1))
def test_smoothness_inequality_by_finite_differences(m, where):
    """Theorem: every member satisfies |f''| <= L0 + L1|f'| (f'' by central differences of
    f', away from knots and zeros of f'), and f' is the derivative of f."""
    lo, hi = m.knots[0] - 1.5, m.knots[-1] + 1.5
    x = lo + (hi - lo) * where
    h = 1e-5
    g = m.grad([[x - h], [x], [x + h]])[:, 0]
    f = m.value([[x - h], [x + h]])
    bound = m.L0 + m.L1 * abs(g[1])
    fd2 = (g[2] - g[0]) / (2 * h)
    assert abs(fd2) <= bound * (1 + 1e-6) + 1e-6 * (1 + abs(g[1]))
    fd1 = (f[1] - f[0]) / (2 * h)
    assert abs(fd1 - g[1]) <= 1e-6 * (1 + abs(g[1])) + (bound + 1) * h
    hess = float(m.hess([[x]])[0, 0, 0])
    assert abs(hess) <= bound * (1 + 1e-12)


@settings(max_examples=20)
@given(members(max_pieces=3), st.floats(0, 1))
def test_infimum_and_sublevel_sup_against_a_dense_grid(m, where):
    """f* = inf f (attained at the minimizer when L0 > 0) and M = sup{|f'| : f <= f(x0)},
    Δ = f(x0) - f*, agree with a dense grid (to its resolution)."""
    lo, hi = m.knots[0] - 12.0, m.knots[-1] + 12.0
    xs = np.linspace(lo, hi, 400_001)
    f = m.value(xs[:, None])
    g = m.grad_norm(xs[:, None])
    assert m.f_star <= f.min() + 1e-12 * (1 + abs(f.min()))
    if m.info.minimizer is not None:
        xm = m.info.minimizer[0]
        assert abs(float(m.value([[xm]])[0]) - m.f_star) <= 1e-9 * (1 + abs(m.f_star))
        if lo < xm < hi:
            spacing = xs[1] - xs[0]
            curv = m.L0 + m.L1 * float(np.abs(g).max())
            assert f.min() - m.f_star <= curv * spacing**2 + 1e-12 * (1 + abs(m.f_star))
    x0 = m.knots[0] - 1.0 + (m.knots[-1] - m.knots[0] + 2.0) * where
    c = float(m.value([[x0]])[0])
    assert m.gap(x0) == pytest.approx(c - m.f_star, rel=1e-9, abs=1e-12)
    M = m.sublevel_sup_grad(x0)
    inside = f <= c
    grid_sup = float(g[inside].max()) if inside.any() else 0.0
    slack = (m.L0 + m.L1 * M) * (xs[1] - xs[0]) + 1e-9 * (1 + M)
    assert grid_sup <= M + slack
    if not inside[0] and not inside[-1]:  # the whole sublevel set lies inside the window
        assert M <= grid_sup + slack


@pytest.mark.parametrize("L0,L1", [(1.0, 1.0), (2.0, 0.5), (0.5, 3.0)])
def test_member_without_knots_is_the_witness(L0, L1):
    """With s = +1 everywhere and u(0) = 0 the member is w(x) = (L0/L1²)(e^{L1|x|} - L1|x| - 1)."""
    m = controlled_member(L0, L1, knots=[0.0], controls=[], u0=0.0)
    w = get_function("witness", L0=L0, L1=L1)
    xs = np.linspace(-4 / L1, 4 / L1, 41)[:, None]
    np.testing.assert_allclose(m.value(xs), w.value(xs), rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(m.grad(xs), w.grad(xs), rtol=1e-13, atol=1e-15)
    assert m.f_star == 0.0 and m.info.minimizer == (0.0,)
    assert m.min_valid_l0(L1) == pytest.approx(L0, rel=1e-15)
    assert m.min_valid_l0(L1 * 0.99) == math.inf


@settings(max_examples=15)
@given(members(max_pieces=3), st.sampled_from([0.5, 2.0, 4.0]), st.sampled_from([0.25, 2.0, 8.0]),
       st.floats(-1, 1))
def test_scaling_symmetry(m, lam, c, x):
    """Theorem: if f is (L0, L1)-smooth then F(x) = c f(x/λ) is (c L0/λ², L1/λ)-smooth; the
    member of the scaled control is exactly F, with f* -> c f*, Δ -> cΔ, M -> (c/λ)M; GD with
    step h on F follows λ times the iterates of GD with step h c/λ² on f."""
    big = controlled_member(c * m.L0 / lam**2, m.L1 / lam, knots=[lam * t for t in m.knots],
                            controls=list(m.controls), u0=c / lam * m.u0, f0=c * m.f0)
    xs = np.array([[x], [x + 0.7], [m.knots[-1] + 0.3]])
    np.testing.assert_allclose(big.value(lam * xs), c * m.value(xs), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(big.grad(lam * xs), c / lam * m.grad(xs), rtol=1e-12, atol=1e-12)
    assert big.f_star == pytest.approx(c * m.f_star, rel=1e-12, abs=1e-12)
    x0 = float(xs[2, 0])
    assert big.gap(lam * x0) == pytest.approx(c * m.gap(x0), rel=1e-10, abs=1e-12)
    assert big.sublevel_sup_grad(lam * x0) == pytest.approx(c / lam * m.sublevel_sup_grad(x0),
                                                           rel=1e-10, abs=1e-12)
    h = 0.05 / (big.L0 + big.L1 * (1 + big.grad_abs(lam * x0)))
    r_big = run_batch(big, gd(h=h), [[lam * x0]], eps=1e-3, max_iter=200, record_every=1)
    r_small = run_batch(m, gd(h=h * c / lam**2), [[x0]], eps=1e-3 * lam / c, max_iter=200,
                        record_every=1)
    np.testing.assert_allclose(r_big.trajectory.x, lam * r_small.trajectory.x, rtol=1e-9,
                               atol=1e-9)


def test_engine_follows_a_high_precision_loop():
    """The NumPy engine's GD iterates on a convex member match an mpmath loop to 1e-12."""
    m = member_from_pieces(1.0, 2.0, start=-1.0, u0=-3.0,
                           pieces=[(0.4, 0.5), (0.3, 0.0), (0.6, 1.0), (0.5, 0.25)])
    h, x0, steps = 0.05, 2.0, 40
    r = run_batch(m, gd(h=h), [[x0]], eps=0.0, max_iter=steps, record_every=1)
    with mpmath.workdps(50):
        x = mpmath.mpf(x0)
        ref = [x]
        for _ in range(steps):
            x = x - h * m.u_mp(x)
            ref.append(x)
    np.testing.assert_allclose(r.trajectory.x[:, 0, 0], [float(v) for v in ref], rtol=1e-12,
                               atol=1e-12)


def test_mpmath_and_float_evaluations_agree_near_a_zero_of_u():
    """Anchoring at zeros of u: no cancellation, f' near its zero has full relative accuracy."""
    m = controlled_member(1.0, 1.0, knots=[0.0, 1.0], controls=[-1.0], u0=0.5)
    z = float(m.table()[2].hi)  # the zero of u inside (0, 1)
    for dx in (1e-3, 1e-7, 1e-11):
        with mpmath.workdps(60):
            ref = m.u_mp(mpmath.mpf(z + dx))
        got = float(m.grad([[z + dx]])[0, 0])
        assert abs(got - float(ref)) <= 1e-12 * abs(float(ref)) + 4e-16 * abs(z), dx


def test_non_coercive_member_with_l0_zero():
    """With L0 = 0, u never changes sign: inf f is a tail limit, reported as not attained."""
    m = controlled_member(0.0, 1.0, knots=[0.0], controls=[], u0=1.0)   # exp(x)
    assert m.f_star == pytest.approx(-1.0, rel=1e-15)  # f = e^x - 1 (f0 = 0)
    assert m.info.minimizer is None
    assert m.gap(0.0) == pytest.approx(1.0, rel=1e-14)
    assert m.sublevel_sup_grad(0.0) == pytest.approx(1.0, rel=1e-14)


@pytest.mark.parametrize("kwargs,match", [
    ({"L0": -1.0}, "L0 and L1"), ({"L0": 0.0, "L1": 0.0}, "not both 0"),
    ({"knots": [1.0, 0.0], "controls": [1.0]}, "strictly increasing"),
    ({"controls": [2.0]}, r"\[-1, 1\]"), ({"controls": []}, "one control per piece"),
    ({"u0": math.nan}, "u0 must be a finite"),
])
def test_bad_input_is_one_clear_error(kwargs, match):
    args = {"L0": 1.0, "L1": 1.0, "knots": [0.0, 1.0], "controls": [0.5], "u0": 0.0}
    args.update(kwargs)
    with pytest.raises(LabInputError, match=match):
        controlled_member(args.pop("L0"), args.pop("L1"), **args)


def test_description_rebuilds_the_member():
    m = member_from_pieces(1.0, 1.0, start=0.0, u0=1.0, pieces=[(0.5, -1.0), (0.5, 1.0)] * 3)
    assert "* 3" in m.describe()
    assert run_length(m.pieces()) == "[(0.5, -1.0), (0.5, 1.0)] * 3"
    again = member_from_pieces(1.0, 1.0, start=0.0, u0=1.0, pieces=m.pieces())
    assert again.knots == m.knots and again.controls == m.controls
    assert repr(again) == repr(m)


@pytest.mark.parametrize("module_name", ["lab.functions.pieces", "lab.functions.segments",
                                         "lab.functions.sublevel", "lab.functions.controlled"])
def test_docstring_examples_run(module_name):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module_name),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@settings(max_examples=8)
@given(members(max_pieces=5), st.sampled_from([0.02, 0.2, 2.0]))
def test_numpy_and_fused_kernel_agree(m, h):
    """The fused kernel (the member's scalar gradient source) and NumPy (its vectorized
    gradient) give the same hitting times and final points within 1e-12 relative."""
    x0 = np.linspace(m.knots[0] - 2.0, m.knots[-1] + 2.0, 16)[:, None]
    method = gd(h=h / (m.L0 + m.L1 * 3.0))
    a = run_batch(m, method, x0, eps=1e-6, max_iter=3000)
    b = run_batch(m, method, x0, eps=1e-6, max_iter=3000, backend="numba")
    assert (a.hit == b.hit).all() and (a.status == b.status).all()
    np.testing.assert_allclose(b.x, a.x, rtol=1e-12, atol=1e-300)
