"""Descent and smoothness claims on the whole class: exact one-dimensional problems.

**Descent** ``f(y) - f(x) - f'(x)(y - x) <= model(L0, L1, g, r)``, ``g = |f'(x)|``,
``r = |y - x|``. Among members with ``|f'(x)| = g``, the left side is largest for
``f'(x) = +g``, ``y > x`` (or its mirror) and ``s = +1`` on ``[x, y]``: by the comparison
principle u then lies above every admissible u on ``[x, y]`` (it rises at the largest rate
``L0 + L1|u|``; starting from ``-g`` instead, ``|u|`` first falls and the rate is smaller).
So the exact supremum is

    tight(g, r) = (L0 + L1 g)/L1² (e^{L1 r} - 1 - L1 r)     (L0 r²/2 for L1 = 0),

attained by the member with ``s = +1`` everywhere and ``f'(x) = g`` (the witness, shifted).
The worst ratio ``tight/model`` is then maximised over ``(g, r)`` (log grid, then
Nelder-Mead), and certified in mpmath on that member.

**First-order form** ``|f'(y) - f'(x)| <= model(L0, L1, g, r)`` (``form="first-order"``):
``|u(y) - u(x)| <= ∫|u'| <= ∫(L0 + L1|u|)`` and ``|u| <= w`` with ``w' = L0 + L1 w``,
``w(0) = g`` (Grönwall), so the supremum is ``w(r) - g``:

    tight(g, r) = (g + L0/L1)(e^{L1 r} - 1)     (L0 r for L1 = 0),

attained by the same member (``s = +1``, ``f'(x) = g``).

**Smoothness** (every member is (A, B)-smooth, A and B formulas in L0, L1): along a member
``|f''|/(A + B|f'|) <= (L0 + L1 v)/(A + B v)`` at ``v = |f'|``, with equality where
``s = ±1``; the member with ``s = +1`` everywhere takes every ``v >= 0``. So the worst ratio
is ``sup_v (L0 + L1 v)/(A + B v) = max(L0/A, L1/B)`` (the first at v = 0, the second as
``v -> ∞``); a violation is certified at a finite v.

Examples
--------
>>> r = descent_worst(lambda L0, L1, g, r: (L0 + L1 * g) * r**2 / 2, [(1.0, 1.0)])
>>> r.ratio > 1                           # the blog's quadratic model is false on the class
True
>>> s = smoothness_worst(lambda L0, L1: 2 * L0, lambda L0, L1: L1, [(1.0, 1.0)])
>>> round(s.ratio, 12)                    # every member is (2 L0, L1)-smooth: sup is 1
1.0
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import mpmath
import numpy as np
from scipy.optimize import minimize

from lab.adversary.iteration import gradient_scale
from lab.functions.controlled import ControlledMember, controlled_member


@dataclass(frozen=True)
class InequalityCertificate:
    """The worst instance found, with both sides in mpmath on an explicit member.

    Attributes
    ----------
    L0, L1 : float
    ratio : float
        left side / right side (``> 1``: violated).
    point : dict
        The instance (``x``, ``y`` or ``v``).
    lhs, rhs : str
        Both sides (12 digits).
    member : ControlledMember
    limit : bool
        True when the supremum is a limit (not attained) and ``ratio`` is that limit.
    """

    L0: float
    L1: float
    ratio: float
    point: dict
    lhs: str
    rhs: str
    member: ControlledMember
    limit: bool = False

    def describe(self) -> str:
        """One readable line."""
        where = ", ".join(f"{k} = {v!r}" for k, v in self.point.items())
        sup = " (supremum approached, not attained)" if self.limit else ""
        return (f"whole-class member {self.member!r} with (L0, L1) = ({self.L0:.6g}, "
                f"{self.L1:.6g}), {where}: {self.lhs} vs {self.rhs}, ratio "
                f"{self.ratio:.6g}{sup}")


def tight_gap(L0, L1, g, r):
    """``sup f(y) - f(x) - f'(x)(y-x)`` over members with ``|f'(x)| = g``, ``|y-x| = r``."""
    if L1 == 0:
        return L0 * r * r / 2
    t = L1 * r
    if isinstance(t, mpmath.mpf):
        return (L0 + L1 * g) / L1**2 * (mpmath.exp(t) - 1 - t)
    return (L0 + L1 * g) / L1**2 * (np.expm1(t) - t)


def tight_change(L0, L1, g, r):
    """``sup |f'(y) - f'(x)|`` over members with ``|f'(x)| = g``, ``|y-x| = r``.

    Examples
    --------
    >>> round(float(tight_change(1.0, 1.0, 0.0, 1.0)), 12)   # e - 1
    1.718281828459
    """
    if L1 == 0:
        return L0 * r
    t = L1 * r
    if isinstance(t, mpmath.mpf):
        return (g + L0 / L1) * mpmath.expm1(t)
    return (g + L0 / L1) * np.expm1(t)


#: the left side's supremum for each form of inequality (module docstring)
TIGHT = {"descent": tight_gap, "first-order": tight_change}


def _log_ratio(model, L0, L1, g, r, form="descent") -> float:
    with np.errstate(all="ignore"):
        lhs = TIGHT[form](L0, L1, g, r)
        rhs = float(model(L0, L1, g, r))
    if not (np.isfinite(lhs) and lhs > 0):
        return -math.inf
    if rhs <= 0:
        return math.inf
    return math.log(lhs) - math.log(rhs)


def descent_worst(model: Callable, pairs, *, radius: Callable | None = None,
                  points: int = 25, form: str = "descent") -> InequalityCertificate:
    """The largest ``tight/model`` over the class's (L0, L1) pairs, ``g >= 0``, ``0 < r``
    (``r <= radius(L0, L1)`` when given), certified in mpmath; ``form``: ``"descent"``
    (``f(y) - f(x) - f'(x)(y - x)``) or ``"first-order"`` (``|f'(y) - f'(x)|``)."""
    best = None
    for L0, L1 in pairs:
        s0 = gradient_scale(L0, L1)
        r0 = 1.0 / L1 if L1 > 0 else s0 / max(L0, 1e-300)
        rmax = radius(L0, L1) if radius is not None else r0 * 100
        gs = np.concatenate([[0.0], s0 * np.geomspace(1e-4, 1e4, points)])
        rs = np.minimum(r0 * np.geomspace(1e-4, 100, points), rmax)
        grid = [(_log_ratio(model, L0, L1, g, r, form), g, r) for g in gs for r in rs]
        val, g, r = max(grid, key=lambda t: t[0])
        if math.isfinite(val):
            g, r = _polish(model, L0, L1, g, r, rmax, form)
        cert = _certify_descent(model, L0, L1, g, r, form)
        if best is None or cert.ratio > best.ratio:
            best = cert
    return best


def _polish(model, L0, L1, g, r, rmax, form):
    """Nelder-Mead on (log g, log r) from the best grid point (g = 0 is kept as it is)."""
    if g == 0:
        res = minimize(lambda p: -_log_ratio(model, L0, L1, 0.0, min(math.exp(p[0]), rmax),
                                             form),
                       [math.log(r)], method="Nelder-Mead", options={"maxiter": 200})
        return 0.0, min(math.exp(res.x[0]), rmax)
    res = minimize(lambda p: -_log_ratio(model, L0, L1, math.exp(p[0]),
                                         min(math.exp(p[1]), rmax), form),
                   [math.log(g), math.log(r)], method="Nelder-Mead", options={"maxiter": 400})
    if -res.fun >= _log_ratio(model, L0, L1, g, r, form):
        return math.exp(res.x[0]), min(math.exp(res.x[1]), rmax)
    return g, r


def _certify_descent(model, L0, L1, g, r, form="descent") -> InequalityCertificate:
    member = controlled_member(L0, L1, knots=[0.0], controls=[], u0=float(g))
    x, y = 0.0, float(r)
    with mpmath.workdps(50):
        if form == "descent":
            lhs = member.f_mp(y) - member.f_mp(x) - member.u_mp(x) * mpmath.mpf(y)
            side = "f(y) - f(x) - f'(x)(y-x)"
        else:
            lhs = abs(member.u_mp(y) - member.u_mp(x))
            side = "|f'(y) - f'(x)|"
        rhs = model(mpmath.mpf(L0), mpmath.mpf(L1), abs(member.u_mp(x)), mpmath.mpf(y))
        ratio = float(lhs / rhs) if rhs > 0 else (math.inf if lhs > 0 else 0.0)
        return InequalityCertificate(L0, L1, ratio, {"x": x, "y": y, "g": float(g)},
                                     f"{side} = {mpmath.nstr(lhs, 12)}",
                                     f"model = {mpmath.nstr(rhs, 12)}", member)


def shrink_descent(model: Callable, worst: InequalityCertificate,
                   radius: Callable | None = None, form: str = "descent"
                   ) -> InequalityCertificate:
    """A simple violating instance near ``worst``: ``g`` in {0, the gradient scale} and
    ``r = 2^k/L1`` (smallest k first); ``worst`` itself when none violates."""
    L0, L1 = worst.L0, worst.L1
    r0 = 1.0 / L1 if L1 > 0 else 1.0
    rmax = radius(L0, L1) if radius is not None else math.inf
    for k in range(-6, 8):
        r = min(r0 * 2.0**k, rmax)
        for g in (0.0, gradient_scale(L0, L1)):
            if _log_ratio(model, L0, L1, g, r, form) > 1e-9:
                cert = _certify_descent(model, L0, L1, g, r, form)
                if cert.ratio > 1 + 1e-12:
                    return cert
    return worst


def smoothness_worst(A: Callable, B: Callable, pairs) -> InequalityCertificate:
    """The largest ``|f''|/(A + B|f'|)`` over the class (see the module docstring)."""
    best = None
    for L0, L1 in pairs:
        a, b = float(A(L0, L1)), float(B(L0, L1))
        at_zero = L0 / a if a > 0 else (math.inf if L0 > 0 else 0.0)
        at_inf = L1 / b if b > 0 else (math.inf if L1 > 0 else 0.0)
        if at_zero >= at_inf:
            v, limit = 0.0, False
        elif at_inf > 1 and L1 > b:  # a finite v where the ratio already exceeds 1
            v, limit = 2 * max(a - L0, 0.0) / (L1 - b) + 1.0, False
        else:
            v, limit = None, True
        cert = _certify_smoothness(L0, L1, a, b, v, max(at_zero, at_inf), limit)
        if best is None or cert.ratio > best.ratio:
            best = cert
    return best


def _certify_smoothness(L0, L1, a, b, v, sup, limit) -> InequalityCertificate:
    v_show = 1e6 * gradient_scale(L0, L1) if v is None else v
    member = controlled_member(L0, L1, knots=[0.0], controls=[], u0=float(v_show))
    with mpmath.workdps(60):
        step = mpmath.mpf(10) ** -25  # f''(0+) by a one-sided difference of the exact f'
        lhs = abs(member.u_mp(step) - member.u_mp(0.0)) / step
        rhs = mpmath.mpf(a) + mpmath.mpf(b) * abs(member.u_mp(0.0))
        ratio = float(lhs / rhs) if rhs > 0 else math.inf
    if limit:
        ratio = sup
    return InequalityCertificate(L0, L1, ratio, {"x": 0.0, "v": float(v_show)},
                                 f"|f''(x)| = {mpmath.nstr(lhs, 12)}",
                                 f"A + B|f'(x)| = {mpmath.nstr(rhs, 12)}", member, limit)
