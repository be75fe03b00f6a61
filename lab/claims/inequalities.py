"""Pointwise inequalities checked in high precision: descent models, steps, one-step progress.

Everything here is evaluated with mpmath at :data:`~lab.classes.precision.DPS` digits from the
zoo's sympy definitions, and a statement counts as violated only beyond a relative tolerance
of ``10^-(DPS-15)``. Float64 is not enough: the witness makes the exponential descent lemma
an *equality*, and the one-step progress bound has a slack cubic in ``L1 g/(L0 + L1 g)``, so
rounding alone produces false failures (PAPER.md).

Ratios (``> 1``: violated): descent models ``(f(y) - f(x) - f'(x)(y-x)) / model``; steps
``smaller/larger`` for the claimed order; progress ``claimed/observed``.
"""

from __future__ import annotations

import math
from typing import Callable

import mpmath
from hypothesis import strategies as st

from lab.claims.claim import Budget, Observation, Search
from lab.classes import FunctionClass, Member, zoo_class
from lab.classes.precision import DPS, digits_for, refine

TOL = mpmath.mpf(10) ** (-(DPS - 15))


def _le(a, b) -> bool:
    """``a <= b`` up to the relative tolerance :data:`TOL` (relative to ``|a| + |b|``)."""
    return bool(a <= b + TOL * (abs(a) + abs(b)))


def _ratio(a, b) -> float:
    if b > 0:
        return float(a / b)
    return 0.0 if a <= 0 else math.inf


# --- descent models ----------------------------------------------------------------------

def model_blog(L0, L1, g, r):
    """The blog's quadratic model ``(L0 + L1 g) r²/2``."""
    return (L0 + L1 * g) * r**2 / 2


def phi(t):
    """``φ(t) = e^t - t - 1`` without cancellation (Taylor series for small t).

    Examples
    --------
    >>> with mpmath.workdps(30):
    ...     print(mpmath.nstr(phi(mpmath.mpf("1e-20")), 5))
    5.0e-41
    """
    t = mpmath.mpf(t)
    if abs(t) >= mpmath.mpf(1) / 2:
        return mpmath.exp(t) - t - 1
    term, total, k = t * t / 2, mpmath.mpf(0), 2
    eps = mpmath.mpf(2) ** (-mpmath.mp.prec - 8)
    while abs(term) > eps * abs(total) or total == 0:
        total += term
        k += 1
        term = term * t / k
        if term == 0:
            break
    return total


def model_exponential(L0, L1, g, r):
    """The tight model ``(L0 + L1 g)/L1² φ(L1 r)``, ``φ(t) = e^t - t - 1`` (L1 = 0: L0 r²/2)."""
    if L1 == 0:
        return L0 * r**2 / 2
    return (L0 + L1 * g) / L1**2 * phi(L1 * abs(r))


def model_loose(L0, L1, g, r):
    """Chen et al. / Gorbunov et al.: ``(L0 + L1 g)/2 · e^{L1 r} r²``."""
    return (L0 + L1 * g) / 2 * mpmath.exp(L1 * abs(r)) * r**2


def model_trust_region(L0, L1, g, r, c=1):
    """Zhang et al. 2020: ``(A L0 + B L1 g) r²/2`` for ``r <= c/L1``, A = 1 + e^c - B,
    B = (e^c - 1)/c."""
    c = mpmath.mpf(c)
    B = (mpmath.exp(c) - 1) / c
    A = 1 + mpmath.exp(c) - B
    return (A * L0 + B * L1 * g) * r**2 / 2


def descent_search(model: Callable, *, function_class: FunctionClass | None = None,
                   radius: Callable | None = None, points: tuple | None = None,
                   examples: tuple = ()) -> Search:
    """Search (member, x, r) for ``f(x+r) > f(x) + f'(x) r + model(L0, L1, |f'(x)|, r)``.

    ``function_class``: the members drawn (default: the zoo); x is drawn in ``points``
    (default: a member's start interval). ``radius(member)`` bounds ``|r|`` (default
    ``8/L1``, or 8).
    """
    cls = function_class if function_class is not None else zoo_class()

    def strategy():
        @st.composite
        def inst(draw):
            m = draw(cls.members(positive_l0=False))
            x = draw(st.floats(*(points or m.start_interval)))
            rmax = radius(m) if radius else (8.0 / m.L1 if m.L1 > 0 else 8.0)
            r = draw(st.floats(-rmax, rmax))
            return m, x, r

        return inst()

    def evaluate(instance, budget: Budget) -> Observation:
        m, x, r = instance
        return descent_observation(model, m, x, r)

    return Search(strategy, evaluate, examples=examples)


def descent_observation(model: Callable, m: Member, x: float, r: float) -> Observation:
    """Judge one descent instance (see :func:`descent_search`)."""
    f, fp, _ = m.mp()

    def sizes():
        xm, rm = mpmath.mpf(x), mpmath.mpf(r)
        y = mpmath.fadd(xm, rm, exact=True)
        return (abs(f(y)) + abs(f(xm)) + abs(fp(xm) * rm),
                model(mpmath.mpf(m.L0), mpmath.mpf(m.L1), abs(fp(xm)), rm))

    def compute():
        xm, rm = mpmath.mpf(x), mpmath.mpf(r)
        y = mpmath.fadd(xm, rm, exact=True)  # y = x + r exactly (both are floats)
        return (f(y) - f(xm) - fp(xm) * rm,
                model(mpmath.mpf(m.L0), mpmath.mpf(m.L1), abs(fp(xm)), rm))

    scale, small = refine(sizes)
    gap, bound = refine(compute, digits_for(scale, small))
    with mpmath.workdps(DPS):
        ok = _le(gap, bound)
        ratio = _ratio(gap, bound)
    return Observation(ok, ratio, f"{m.label}, x = {x!r}, y - x = {r!r}",
                       f"f(y) - f(x) - f'(x)(y-x) = {mpmath.nstr(gap, 12)}, model = "
                       f"{mpmath.nstr(bound, 12)}")


def blog_first_order_observation(m: Member, x: float, r: float) -> Observation:
    """The blog's first-order form ``|f'(x+r) - f'(x)| <= (L0 + L1|f'(x)|) |r|``."""
    _, fp, _ = m.mp()

    def compute():
        xm, rm = mpmath.mpf(x), mpmath.mpf(r)
        y = mpmath.fadd(xm, rm, exact=True)
        return (abs(fp(y) - fp(xm)), (m.L0 + m.L1 * abs(fp(xm))) * abs(rm),
                abs(fp(y)) + abs(fp(xm)))

    lhs, rhs, scale = refine(compute)
    lhs, rhs, scale = refine(compute, digits_for(scale, rhs))
    with mpmath.workdps(DPS):
        ok, ratio = _le(lhs, rhs), _ratio(lhs, rhs)
    return Observation(ok, ratio, f"{m.label}, x = {x!r}, y - x = {r!r}",
                       f"|f'(y) - f'(x)| = {mpmath.nstr(lhs, 12)}, (L0 + L1|f'(x)|)|y-x| = "
                       f"{mpmath.nstr(rhs, 12)}")


# --- step rules ---------------------------------------------------------------------------

def steps_mp(L0, L1, g):
    """``(eta_cl, eta_si, eta_star, quadratic)`` in mpmath, formulas of PAPER.md."""
    s = L1 * g
    inf = mpmath.inf
    eta_si = 1 / (L0 + mpmath.mpf(3) / 2 * s) if L0 + s > 0 else inf
    eta_cl = min(1 / (2 * L0) if L0 > 0 else inf, 1 / (3 * s) if s > 0 else inf)
    if s > 0:
        eta_star = mpmath.log1p(s / (L0 + s)) / s
    else:
        eta_star = 1 / L0 if L0 > 0 else inf
    quad = 1 / (L0 + s) if L0 + s > 0 else inf
    return eta_cl, eta_si, eta_star, quad


def clipped_normalized_mp(eta, gamma, g):
    """``(h_c, h_n)`` with ``h_c = min{η, γη/g}`` and ``h_n = γη/(g + γ)`` (β = γ)."""
    h_c = min(eta, gamma * eta / g) if g > 0 else eta
    h_n = gamma * eta / (g + gamma)
    return h_c, h_n


def positive_floats(lo: float, hi: float):
    """Floats in ``[lo, hi]`` (hypothesis)."""
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)
