"""Numeric cross-checks of the derived formulas: each symbolic result in proofs/ is checked a
second, independent way (mpmath at high precision, finite differences, dense grids, a
simulated run, and the lab's smoothness certifier when it is installed)."""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

mp = mpmath.mp.clone() if hasattr(mpmath.mp, "clone") else mpmath.mp
DPS = 60

pos = st.floats(min_value=1e-3, max_value=1e3, allow_nan=False, allow_infinity=False)
small_pos = st.floats(min_value=1e-3, max_value=10.0)


def _phi(t):
    return mpmath.expm1(t) - t


def _witness(a0, a1):
    """w, w', w'' of the tight witness for (a0, a1), as mpmath functions."""
    def w(x):
        ax = abs(x)
        return a0 / a1**2 * (mpmath.expm1(a1 * ax) - a1 * ax)

    def dw(x):
        return mpmath.sign(x) * a0 / a1 * mpmath.expm1(a1 * abs(x))

    def d2w(x):
        return a0 * mpmath.exp(a1 * abs(x))

    return w, dw, d2w


@given(a=st.floats(min_value=1e-9, max_value=1e9), gamma=st.floats(min_value=1e-9, max_value=1e9))
def test_clipping_within_factor_two_of_normalized(a, gamma):
    """Theorem (clipping_vs_normalized): gamma/(a+gamma) <= min{1, gamma/a} <= 2 gamma/(a+gamma)
    for a, gamma > 0, with the upper bound attained only at a = gamma."""
    with mpmath.workdps(DPS):
        a_, g_ = mpmath.mpf(a), mpmath.mpf(gamma)
        clip = min(mpmath.mpf(1), g_ / a_)
        norm = g_ / (a_ + g_)
        assert norm <= clip <= 2 * norm
        assert clip > norm
        if a != gamma:
            assert clip < 2 * norm


def test_clipping_factor_two_is_attained_at_threshold():
    """Theorem (clipping_vs_normalized), as the proof module states it and on the lab's own
    rules: the two sides of the proof's steps lemma_lower/lemma_upper, lambdified, are the
    factors h_n/eta and h_c/eta of lab.methods' normalized_from_clipped and clipped steps;
    so h_n <= h_c <= 2 h_n on a grid of gradient norms, with h_c = 2 h_n exactly at
    ||g|| = gamma."""
    import sympy as sp

    from lab.derivation import registry
    from lab.methods import clipped, normalized_from_clipped

    steps = {s.label: s.claim for s in registry.load("clipping_vs_normalized").steps}
    lower, upper = steps["lemma_lower"], steps["lemma_upper"]
    gam = next(v for v in lower.free_symbols if v.name == "gamma")
    (grad,) = lower.free_symbols - {gam}
    norm_factor = sp.lambdify((grad, gam), lower.lhs, modules="mpmath")
    clip_factor = sp.lambdify((grad, gam), lower.rhs, modules="mpmath")
    twice_norm = sp.lambdify((grad, gam), upper.rhs, modules="mpmath")
    eta = 0.25
    for gamma in (0.5, 1.0, 3.0):
        h_c, h_n = clipped(eta=eta, gamma=gamma), normalized_from_clipped(eta=eta, gamma=gamma)
        for g in (1e-3, 0.5 * gamma, gamma, 2 * gamma, 1e3):
            hc, hn = float(h_c.step([g])[0]), float(h_n.step([g])[0])
            assert hc == pytest.approx(eta * float(clip_factor(g, gamma)), rel=1e-14)
            assert hn == pytest.approx(eta * float(norm_factor(g, gamma)), rel=1e-14)
            assert hn <= hc <= eta * float(twice_norm(g, gamma)) * (1 + 1e-15)
        assert h_c.step([gamma])[0] == pytest.approx(2 * h_n.step([gamma])[0], rel=1e-15)


@given(delta=st.floats(min_value=1e-12, max_value=60.0), theta=st.floats(-30, 30))
def test_blog_conditions_fail_for_exp(delta, theta):
    """Theorem (blog_condition_gap): for f = exp, (L0, L1) = (0, 1), every theta and every
    Delta > 0: e^theta (e^Delta - 1) > e^theta Delta and e^Delta - 1 - Delta - Delta^2/2 > 0
    (checked in mpmath at 60 digits: the gap is ~Delta^3/6, invisible in float64)."""
    with mpmath.workdps(DPS):
        d, t = mpmath.mpf(delta), mpmath.mpf(theta)
        assert mpmath.exp(t) * mpmath.expm1(d) > mpmath.exp(t) * d
        assert mpmath.expm1(d) - d - d**2 / 2 > 0


@given(x=st.floats(-20, 20), y=st.floats(-20, 20))
def test_exponential_descent_lemma_on_exp(x, y):
    """Theorem (exponential descent lemma) for f = exp with (L0, L1) = (0, 1):
    e^y <= e^x + e^x (y - x) + e^x phi(|y - x|), with equality when y >= x."""
    with mpmath.workdps(DPS):
        x_, y_ = mpmath.mpf(x), mpmath.mpf(y)
        rhs = mpmath.exp(x_) * (1 + (y_ - x_) + _phi(abs(y_ - x_)))
        lhs = mpmath.exp(y_)
        assert lhs <= rhs * (1 + mpmath.mpf(10)**-50)
        if y >= x:
            assert abs(lhs - rhs) <= abs(rhs) * mpmath.mpf(10)**-50


@given(a0=small_pos, a1=small_pos, s=st.floats(0, 5), r=st.floats(0, 5))
def test_witness_attains_the_descent_lemma(a0, a1, s, r):
    """Theorem (blog_condition_gap, tightness): for w(x) = a0/a1^2 (e^{a1|x|} - a1|x| - 1),
    w(s+r) - w(s) - w'(s) r = (a0 + a1 w'(s))/a1^2 phi(a1 r) for s, r >= 0; and the
    finite-difference second derivative matches w'' = a0 + a1 |w'|."""
    with mpmath.workdps(DPS):
        a0_, a1_, s_, r_ = map(mpmath.mpf, (a0, a1, s, r))
        w, dw, d2w = _witness(a0_, a1_)
        lhs = w(s_ + r_) - w(s_) - dw(s_) * r_
        rhs = (a0_ + a1_ * dw(s_)) / a1_**2 * _phi(a1_ * r_)
        assert abs(lhs - rhs) <= mpmath.mpf(10)**-40 * (1 + abs(rhs))
        point = s_ + mpmath.mpf("0.5")
        fd = mpmath.diff(w, point, 2)
        assert abs(fd - (a0_ + a1_ * abs(dw(point)))) <= mpmath.mpf(10)**-20 * d2w(point)


@given(a0=small_pos, a1=small_pos, x=st.floats(-3, 3), y=st.floats(-3, 3),
       c=st.floats(0.05, 3.0))
def test_forms_E_and_T_on_the_witness(a0, a1, x, y, c):
    """Theorem (blog_condition_gap): (E) |w'(y) - w'(x)| <= (L0/L1 + |w'(x)|)(e^{L1 r} - 1)
    and, for r <= c/L1, (T) |w'(y) - w'(x)| <= (A L0 + B L1 |w'(x)|) r with
    A = 1 + e^c - (e^c - 1)/c, B = (e^c - 1)/c, on the witness (which is (a0, a1)-smooth)."""
    with mpmath.workdps(DPS):
        a0_, a1_, x_, y_, c_ = map(mpmath.mpf, (a0, a1, x, y, c))
        _, dw, _ = _witness(a0_, a1_)
        r = abs(y_ - x_)
        diff = abs(dw(y_) - dw(x_))
        slack = mpmath.mpf(10)**-40 * (1 + diff)
        assert diff <= (a0_ / a1_ + abs(dw(x_))) * mpmath.expm1(a1_ * r) + slack
        if r <= c_ / a1_:
            A = 1 + mpmath.exp(c_) - mpmath.expm1(c_) / c_
            B = mpmath.expm1(c_) / c_
            assert diff <= (A * a0_ + B * a1_ * abs(dw(x_))) * r + slack


def _model(L0, L1, g, eta):
    """The exponential-model bound m(eta) on f(x - eta grad f) - f(x)."""
    return -eta * g**2 + (L0 + L1 * g) / L1**2 * _phi(L1 * eta * g)


def _steps(L0, L1, g):
    eta_star = mpmath.log1p(L1 * g / (L0 + L1 * g)) / (L1 * g)
    eta_si = 1 / (L0 + mpmath.mpf(3) / 2 * L1 * g)
    eta_cl = min(1 / (2 * L0), 1 / (3 * L1 * g))
    return eta_star, eta_si, eta_cl


@given(L0=pos, L1=pos, g=pos)
def test_eta_star_minimises_the_model_by_finite_differences(L0, L1, g):
    """Theorem (exponential_steps): eta* = ln(1 + L1 g/(L0 + L1 g))/(L1 g) is a stationary
    point of m (finite-difference derivative ~ 0) and a minimum (neighbours are higher)."""
    with mpmath.workdps(DPS):
        L0_, L1_, g_ = map(mpmath.mpf, (L0, L1, g))
        eta_star = _steps(L0_, L1_, g_)[0]
        scale = abs(_model(L0_, L1_, g_, eta_star)) / eta_star
        deriv = mpmath.diff(lambda e: _model(L0_, L1_, g_, e), eta_star)
        assert abs(deriv) <= mpmath.mpf(10)**-30 * scale
        for factor in ("0.9", "1.1"):
            assert _model(L0_, L1_, g_, eta_star * mpmath.mpf(factor)) > \
                _model(L0_, L1_, g_, eta_star)


@given(L0=pos, L1=pos, g=st.floats(min_value=1e-9, max_value=1e9))
def test_step_ordering_and_progress_high_precision(L0, L1, g):
    """Theorem (exponential_steps): eta_cl <= eta_si <= eta*, and with eta* or eta_si the
    model guarantees f(x) - f(x+) >= g^2/(2 L0 + 3 L1 g). Evaluated in mpmath at 60 digits:
    the slack is third order in L1 g/(L0 + L1 g), so float64 would report false failures."""
    with mpmath.workdps(DPS):
        L0_, L1_, g_ = map(mpmath.mpf, (L0, L1, g))
        eta_star, eta_si, eta_cl = _steps(L0_, L1_, g_)
        assert eta_cl <= eta_si * (1 + mpmath.mpf(10)**-50) and eta_si <= eta_star
        target = g_**2 / (2 * L0_ + 3 * L1_ * g_)
        for eta in (eta_star, eta_si):
            assert -_model(L0_, L1_, g_, eta) >= target


def test_float64_reports_false_failures_where_mpmath_does_not():
    """Why the progress check needs high precision: for tiny q = L1 g/(L0 + L1 g) the float64
    value of the slack of the eta_si progress inequality comes out nonpositive for some q,
    while the 60-digit value is positive (and about q^2/12) for all of them."""
    qs = [10.0**-k for k in range(6, 12)]
    float64 = []
    for q in qs:
        u = 2 * q / (2 + q)
        float64.append(u - (math.exp(u) - u - 1) / q - q / (2 + q))
        with mpmath.workdps(DPS):
            Q = mpmath.mpf(q)
            U = 2 * Q / (2 + Q)
            exact = U - _phi(U) / Q - Q / (2 + Q)
            assert exact > 0 and abs(exact / (Q**2 / 12) - 1) < 0.01
    assert any(v <= 0 for v in float64)


# ------------------------------------------------------------------ Theorem 3 on the witness


def _clipped_step(L0, L1):
    eta_c = 1 / (10 * L0)
    gamma = min(1 / eta_c, 1 / (10 * L1 * eta_c))
    return eta_c, gamma


@given(a0=st.floats(0.1, 10), a1=st.floats(0.05, 10), x=st.floats(1e-3, 6))
def test_theorem3_one_step_decrease_on_the_witness(a0, a1, x):
    """Theorem (clipped_gd_complexity): one clipped-GD step with eta_c = 1/(10 L0),
    gamma = min{1/eta_c, 1/(10 L1 eta_c)} decreases an (L0, L1)-smooth f by at least
    4 g^2/(45 L0) if unclipped (g <= gamma) and (80/9) L0 rho^2, rho = min{1, 1/(10 L1)},
    if clipped; here f is the tight witness for (L0, L1) = (a0, a1)."""
    with mpmath.workdps(DPS):
        L0, L1, x_ = map(mpmath.mpf, (a0, a1, x))
        w, dw, _ = _witness(L0, L1)
        eta_c, gamma = _clipped_step(L0, L1)
        g = abs(dw(x_))
        h = min(eta_c, gamma * eta_c / g)
        decrease = w(x_) - w(x_ - h * dw(x_))
        if g <= gamma:
            assert decrease >= 4 * g**2 / (45 * L0)
        else:
            rho = min(mpmath.mpf(1), 1 / (10 * L1))
            assert decrease >= mpmath.mpf(80) / 9 * L0 * rho**2


@pytest.mark.parametrize("a0, a1, x0, eps", [(1.0, 1.0, 3.0, 0.5), (2.0, 0.3, 8.0, 0.4),
                                             (0.5, 4.0, 2.0, 0.2)])
def test_theorem3_iteration_bound_on_the_witness(a0, a1, x0, eps):
    """Theorem (clipped_gd_complexity): clipped GD reaches |f'| <= eps within
    (45/4) L0 Delta/eps^2 + (9/80) max{1, 100 L1^2} Delta/L0 iterations (hence within
    PAPER.md's 20 L0 Delta/eps^2 + 20 max{1, L1^2} Delta/L0) on the witness, f* = 0."""
    w, dw, _ = (lambda f: (lambda z: float(f[0](z)), lambda z: float(f[1](z)), None))(
        _witness(mpmath.mpf(a0), mpmath.mpf(a1)))
    eta_c, gamma = _clipped_step(a0, a1)
    delta = w(x0)
    derived = 45 / 4 * a0 * delta / eps**2 + 9 / 80 * max(1, 100 * a1**2) * delta / a0
    reconstructed = 20 * a0 * delta / eps**2 + 20 * max(1, a1**2) * delta / a0
    x, t = x0, 0
    while abs(dw(x)) > eps:
        g = dw(x)
        x -= min(eta_c, gamma * eta_c / abs(g)) * g
        t += 1
        assert t <= derived
    assert t <= derived <= reconstructed


# ------------------------------------------------------------------ frontiers


def _dense_sup(d1, d2, l1, lo=-30.0, hi=30.0, n=600001):
    xs = np.linspace(lo, hi, n)
    with np.errstate(over="ignore", invalid="ignore"):
        vals = np.abs(d2(xs)) - l1 * np.abs(d1(xs))
    return float(np.nanmax(vals))


FRONTIER_CASES = [
    ("x^4", lambda x: 4 * x**3, lambda x: 12 * x**2, lambda l1: 16 / l1**2),
    ("exp(x)", np.exp, np.exp, lambda l1: 0.0 if l1 >= 1 else math.inf),
    ("cosh(x)", np.sinh, np.cosh, lambda l1: 1.0 if l1 >= 1 else math.inf),
]


@pytest.mark.parametrize("name, d1, d2, claim", FRONTIER_CASES, ids=[c[0] for c in FRONTIER_CASES])
@pytest.mark.parametrize("l1", [0.5, 1.0, 2.5])
def test_frontiers_against_dense_grid(name, d1, d2, claim, l1):
    """Theorem (frontiers): E(L1) = sup_x(|f''| - L1|f'|) is 16/L1^2 for x^4, 0 (L1 >= 1) or
    inf for exp, 1 (L1 >= 1) or inf for cosh; a dense grid on [-30, 30] agrees (a finite
    grid value far above any bound stands for inf)."""
    expected = claim(l1)
    found = _dense_sup(d1, d2, l1)
    if math.isinf(expected):
        assert found > 1e6
    else:
        assert found <= expected + 1e-9 * max(1.0, expected)
        assert found >= expected - 1e-6 * max(1.0, expected)  # the sup is (nearly) attained


@pytest.mark.parametrize("a0, a1", [(2.0, 3.0), (0.5, 0.7)])
def test_witness_frontier_against_dense_grid(a0, a1):
    """Theorem (frontiers): the witness built for (a0, a1) has E(L1) = a0 for L1 >= a1 and
    E(L1) = inf for L1 < a1."""
    d1 = lambda x: np.sign(x) * a0 / a1 * np.expm1(a1 * np.abs(x))  # noqa: E731
    d2 = lambda x: a0 * np.exp(a1 * np.abs(x))  # noqa: E731
    for l1 in (a1, 1.5 * a1):  # a short range: the excess cancels e^{a1 x} terms in float64
        assert abs(_dense_sup(d1, d2, l1, -4, 4, 200001) - a0) <= 1e-6 * a0
    assert _dense_sup(d1, d2, 0.5 * a1, -200, 200, 200001) > 1e6


def test_frontiers_against_the_lab_certifier():
    """Theorem (frontiers), cross-checked with lab.smoothness.min_valid_l0 (the lab's
    certifier: always installed, so a failing import fails the test)."""
    from lab import smoothness
    cases = [("x^4", 2.0, 4.0), ("x^4", 0.5, 64.0), ("exp(x)", 1.0, 0.0),
             ("exp(x)", 3.0, 0.0), ("exp(x)", 0.5, math.inf), ("cosh(x)", 2.5, 1.0)]
    for expr, l1, expected in cases:
        value = smoothness.min_valid_l0(expr, l1).value
        if math.isinf(expected):
            assert math.isinf(value), (expr, l1, value)
        else:
            assert value == pytest.approx(expected, rel=1e-9, abs=1e-12), (expr, l1, value)
