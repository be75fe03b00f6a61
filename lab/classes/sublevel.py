"""Sublevel-set geometry of a univariate member: f*, and M = sup{|f'| : f <= f(x0)}.

For a function of one variable the calculus is complete: the zeros of f' split the line
into pieces on which f is monotone, so ``{f <= c}`` meets each piece in one interval whose
ends solve ``f = c`` (or are ends of the piece); on such an interval ``|f'|`` is largest at
an end, at a zero of f'' (an extremum of f'), or in a limit at an infinite end. The zeros
of f' and f'' come from sympy's ``solveset`` when it returns a finite set (``exact``),
otherwise from a sign-change scan with Brent's method on ``[-SCAN, SCAN]`` (labelled
numeric: a zero outside the scan, or a pair of zeros closer than the scan's spacing, can be
missed). The ends ``f = c`` are found with Brent's method in float64.

Examples
--------
>>> from lab.functions import get_function
>>> g = geometry(get_function("double_well"))
>>> g.f_star, g.exact
(0.0, True)
>>> round(g.sup_grad(0.5), 6)          # 4 sqrt(1.75) * 0.75: the outer end of {f <= f(0.5)}
3.968627
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import sympy as sp
from scipy.optimize import brentq

from lab.errors import LabInputError
from lab.functions import Objective
from lab.functions.base import T, ExplicitObjective, RadialObjective, RidgeObjective
from lab.smoothness.univariate import SOLVE_SECONDS, _finite_solutions, _time_limit, _Undecided

#: Half-width of the numeric scan for zeros, and its number of points.
SCAN, SCAN_POINTS = 1000.0, 400_001



#: the variable of :func:`univariate_expr`
_X = sp.Symbol("x", real=True)


def univariate_expr(obj: Objective) -> sp.Expr:
    """The sympy expression of a 1-D objective in the symbol ``x``.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> univariate_expr(get_function("logistic", d=1, scale=2.0))
    log(1 + exp(-2.0*x))
    """
    if obj.dim != 1:
        raise ValueError(f"{obj!r} is not univariate")
    if isinstance(obj, ExplicitObjective):
        return obj.expr.subs(obj.variables[0], _X)
    if isinstance(obj, RidgeObjective):
        return obj.profile.subs(T, float(obj.direction[0]) * _X)
    if isinstance(obj, RadialObjective):
        return obj.profile.subs(T, _X**2)
    raise ValueError(f"no univariate form for {obj!r}")


@dataclass(frozen=True)
class Geometry:
    """What the sublevel sets of a 1-D objective look like.

    Attributes
    ----------
    critical : tuple of float
        Zeros of f' (sorted).
    inflections : tuple of float
        Zeros of f'' (sorted).
    ends : tuple of (float, float)
        ``(lim f, lim |f'|)`` at -inf and at +inf.
    f_star : float
        ``inf f`` (a minimum at a critical point, or a limit at an end).
    exact : bool
        Whether the zero sets came from sympy (True) or from the numeric scan (False).
    """

    objective: Objective
    critical: tuple
    inflections: tuple
    ends: tuple
    f_star: float
    exact: bool

    def _f(self, x: float) -> float:
        return float(self.objective.value([[x]])[0])

    def _g(self, x: float) -> float:
        return float(self.objective.grad_norm([[x]])[0])

    def _end(self, side: int) -> tuple[float, float]:
        return self.ends[0] if side < 0 else self.ends[1]

    def _piece_set(self, a: float, b: float, level: float):
        """``(lo, hi)`` = {f <= level} on the monotone piece [a, b] (ends may be infinite)."""
        fa = self._end(-1)[0] if math.isinf(a) else self._f(a)
        fb = self._end(1)[0] if math.isinf(b) else self._f(b)
        if min(fa, fb) > level or (min(fa, fb) == level and math.isinf(a if fa <= fb else b)):
            return None  # empty, or only a limit that is never attained
        if max(fa, fb) <= level:
            return a, b
        p, q = self._finite(a, b, fa, level, -1), self._finite(a, b, fb, level, 1)
        cut = brentq(lambda x: self._f(x) - level, p, q, xtol=1e-15,
                     rtol=4 * np.finfo(float).eps)
        return (a, cut) if fb > fa else (cut, b)

    def _finite(self, a: float, b: float, f_end: float, level: float, side: int) -> float:
        """A finite point of (a, b) on the same side of ``level`` as the end ``side``."""
        end = a if side < 0 else b
        if math.isfinite(end):
            return end
        other = b if side < 0 else a
        base = other if math.isfinite(other) else 0.0
        step = 1.0
        while True:
            x = base + side * step
            if (self._f(x) > level) == (f_end > level) or step > 1e300:
                return x
            step *= 2.0

    def sublevel(self, level: float) -> list[tuple[float, float]]:
        """The intervals of ``{f <= level}`` (ends may be infinite; adjacent ones kept apart)."""
        edges = [-math.inf, *self.critical, math.inf]
        out = []
        for a, b in zip(edges[:-1], edges[1:]):
            piece = self._piece_set(a, b, level)
            if piece is not None:
                out.append(piece)
        return out

    def sup_grad(self, x0: float) -> float:
        """``M = sup{|f'(x)| : f(x) <= f(x0)}``."""
        best = self._g(x0)
        for lo, hi in self.sublevel(self._f(x0)):
            for end, side in ((lo, -1), (hi, 1)):
                best = max(best, self._end(side)[1] if math.isinf(end) else self._g(end))
            for c in self.inflections:
                if lo <= c <= hi:
                    best = max(best, self._g(c))
        return best


def _zeros(expr: sp.Expr, f_num) -> tuple[tuple, bool]:
    """Real zeros of ``expr`` (in T), sorted: exact sympy numbers when sympy finds them all
    (True), else floats from a sign-change scan of f_num (False)."""
    try:
        sols = _finite_solutions(expr, sp.S.Reals)
        if sols is not None:
            return tuple(sorted(sols, key=lambda s: float(sp.re(sp.N(s, 30))))), True
    except _Undecided:
        pass
    xs = np.linspace(-SCAN, SCAN, SCAN_POINTS)
    with np.errstate(all="ignore"):
        ys = f_num(xs)
    zeros = list(xs[ys == 0])
    change = np.nonzero(np.sign(ys[:-1]) * np.sign(ys[1:]) < 0)[0]
    zeros += [brentq(f_num, xs[i], xs[i + 1], xtol=1e-15) for i in change]
    return tuple(sorted(set(float(z) for z in zeros))), False


def _limit(expr: sp.Expr, end) -> sp.Expr:
    """``lim expr`` as t -> ``end`` (+-oo), within the certifier's time limit."""
    try:
        with _time_limit(SOLVE_SECONDS):
            lim = sp.limit(expr, T, end)
    except _Undecided:
        raise
    except Exception as exc:  # sympy raises many types
        raise _Undecided(f"limit: {exc}") from None
    if not (lim.is_extended_real and (lim.is_number or lim.is_infinite)):
        raise _Undecided(f"limit at {end} undecided: {lim}")
    return lim


def _far_branch(expr: sp.Expr, end) -> sp.Expr:
    """``expr`` with each Piecewise replaced by its branch for t far towards ``end``."""
    far = sp.Integer(10) ** 9 * (1 if end == sp.oo else -1)

    def branch(pw):
        return next(e for e, c in pw.args if c is sp.true or bool(c.subs(T, far)))

    return expr.replace(lambda e: isinstance(e, sp.Piecewise), branch)


def _end_limits(expr: sp.Expr, d1: sp.Expr, what: str):
    out = []
    for end in (-sp.oo, sp.oo):
        try:
            f_lim = _limit(_far_branch(expr, end), end)
            g_lim = _limit(sp.Abs(_far_branch(d1, end)), end)
        except _Undecided:
            raise LabInputError(f"cannot decide the limits of {what} at {end} (sympy); use a "
                                "zoo function or an expression sympy can take limits of") from None
        out.append((float(f_lim), float(g_lim)))
    return tuple(out)


@lru_cache(maxsize=256)
def geometry(objective: Objective) -> Geometry:
    """The :class:`Geometry` of a 1-D objective (cached per objective).

    Raises
    ------
    LabInputError
        When f is unbounded below (no class member: the claims need f* > -inf), or sympy
        cannot decide its limits at ±inf.
    """
    x = sp.Symbol("x", real=True)
    expr = univariate_expr(objective).subs(x, T)
    d1 = sp.diff(expr, T)
    d2 = sp.diff(d1, T)
    g1 = sp.lambdify(T, d1, modules="numpy")
    g2 = sp.lambdify(T, d2, modules="numpy")
    critical, exact1 = _zeros(d1, lambda t: np.broadcast_to(g1(t), np.shape(t)))
    inflections, exact2 = _zeros(d2, lambda t: np.broadcast_to(g2(t), np.shape(t)))
    ends = _end_limits(expr, d1, repr(objective))
    # f at the critical points: exactly (30 digits, then rounded) where they are exact
    values = [float(sp.re(sp.N(expr.subs(T, c), 30))) if exact1 else
              float(objective.value([[c]])[0]) for c in critical] + [e[0] for e in ends]
    critical = tuple(float(sp.re(sp.N(c, 30))) for c in critical)
    inflections = tuple(float(sp.re(sp.N(c, 30))) for c in inflections)
    f_star = min(values)
    if not f_star > -math.inf:
        raise LabInputError(f"{objective!r} is unbounded below (inf f = -inf); a class member "
                            "needs f* > -inf (Assumption 1)")
    return Geometry(objective, critical, inflections, ends, f_star, exact1 and exact2)
