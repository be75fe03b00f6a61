"""Counterexamples people can read: a point where both sides are finite and visibly unequal.

A witness of a violation is a point x where f is twice differentiable and
``||∇²f(x)|| > L0 + L1||∇f(x)||`` holds in high precision. Where the supremum is approached
only in a limit (t -> oo, or t -> c at a point where the Hessian does not exist, such as
|x|^1.5 at 0) or attained at a kink where the Hessian jumps, the witness is a nearby point
``c ± 2^(-k/4)`` (or ``±2^(k/4)`` toward infinity) found by walking toward the limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp

from lab.functions.base import T, Objective, Reduction
from lab.smoothness.precise import DIGITS, TIE, PreciseSides, precise_sides
from lab.smoothness.univariate import SupResult

#: Steps of the walk toward a limit (quarter powers of two).
WALK_STEPS = 1600


@dataclass(frozen=True)
class Witness:
    """A point and both sides of the inequality there, in high precision."""

    point: tuple[float, ...]
    lhs: mpmath.mpf
    rhs: mpmath.mpf


def _sides_at(red: Reduction, t: float, L0: float, L1: float) -> tuple | None:
    """(|q2(t)|, L0 + L1|q1(t)|) at the exact binary value of t, or None where not finite."""
    tt = sp.Float(t)
    with mpmath.workdps(DIGITS):
        out = []
        for q in (red.q2, red.q1):
            v = sp.N(q.subs(T, tt), DIGITS)
            if not (v.is_number and v.is_real and v.is_finite):
                return None
            out.append(abs(mpmath.mpf(v)))
        return out[0], mpmath.mpf(L0) + mpmath.mpf(L1) * out[1]


def _violated(sides, L0) -> bool:
    if sides is None:
        return False
    lhs, rhs = sides
    return lhs - rhs > TIE * max(abs(lhs), abs(rhs), 1)


def _regular(red: Reduction, t: float) -> bool:
    """Whether q1 and q2 are continuous at t (no Piecewise jump of the Hessian there)."""
    pws = red.q1.atoms(sp.Piecewise) | red.q2.atoms(sp.Piecewise)
    if not pws:
        return True
    tt = sp.Rational(t)
    for q in (red.q1, red.q2):
        try:
            left, right = sp.limit(q, T, tt, "-"), sp.limit(q, T, tt, "+")
        except Exception:  # noqa: BLE001 - sympy raises many types; then do not trust t
            return False
        if not (left.is_finite and right.is_finite) or sp.simplify(left - right) != 0:
            return False
    return True


def _walk(red: Reduction, center: sp.Expr, sides: tuple[int, ...], L0: float, L1: float
          ) -> tuple[float, tuple] | None:
    domain = red.domain
    c = float(center) if center.is_finite else None
    scale = max(1.0, abs(c)) if c is not None else 1.0
    for k in range(WALK_STEPS):
        for side in sides:
            if c is None:
                t = side * 2.0 ** (k / 4)
            else:
                t = c + side * scale * 2.0 ** (-k / 4)
                if t == c:
                    return None
            if domain.contains(sp.Float(t)) is not sp.true:
                continue
            found = _sides_at(red, t, L0, L1)
            if _violated(found, L0):
                return t, found
    return None


def reduction_witness(red: Reduction, sup: SupResult, L0: float, L1: float) -> Witness | None:
    """A witness along a reduction whose supremum exceeds L0.

    Examples
    --------
    >>> import sympy as sp
    >>> red = Reduction(sp.Rational(3, 2) * sp.sqrt(T), sp.Rational(3, 4) / sp.sqrt(T),
    ...                 sp.Interval.Lopen(0, sp.oo), embed=lambda t: [t])
    >>> sup = SupResult(sp.oo, None, "t -> 0+", True, 0, (sp.Integer(0), 1))
    >>> w = reduction_witness(red, sup, 1.0, 1.0)
    >>> w.lhs > w.rhs, 0 < w.point[0] < 1
    (True, True)
    """
    if sup.argmax is not None:
        t = float(sup.argmax)
        found = _sides_at(red, t, L0, L1)
        if _violated(found, L0) and _regular(red, t):
            return Witness(tuple(float(c) for c in red.point(t)), *found)
        walked = _walk(red, sp.Float(t), (1, -1), L0, L1)
    elif sup.approach is not None:
        center, side = sup.approach
        walked = _walk(red, center, (side if center.is_finite else int(sp.sign(center)),), L0, L1)
    else:
        walked = None
    if walked is None:
        return None
    t, found = walked
    return Witness(tuple(float(c) for c in red.point(t)), *found)


def neighbourhood_best(fn: Objective, point: np.ndarray, L1: float, *, seed: int = 0
                       ) -> tuple[float, np.ndarray] | None:
    """The largest excess ``||∇²f|| - L1||∇f||`` at points ``point + scale·2^-k·u`` near a
    point where the Hessian does not exist (axes and a few random unit vectors u), trusted in
    high precision where the function has that form; None when no nearby point is finite.

    Examples
    --------
    >>> from lab.functions.parse import objective_from_text
    >>> value, near = neighbourhood_best(objective_from_text("(x^2 + y^2)^(3/4)"),
    ...                                  np.zeros(2), 1.0)
    >>> value > 1e20, bool(0 < np.linalg.norm(near) < 1e-40)
    (True, True)
    """
    rng = np.random.default_rng(seed)
    d = point.size
    dirs = np.concatenate([np.eye(d), -np.eye(d), rng.normal(size=(4, d))])
    dirs /= np.linalg.norm(dirs, axis=1, keepdims=True)
    scale = max(1.0, float(np.max(np.abs(point))))
    steps = scale * 2.0 ** -np.arange(1, 200)
    X = (point[None, None, :] + steps[:, None, None] * dirs[None, :, :]).reshape(-1, d)
    X = X[np.any(X != point[None, :], axis=1)]
    with np.errstate(all="ignore"):
        excess = fn.hess_norm(X) - L1 * fn.grad_norm(X)
    finite = np.flatnonzero(np.isfinite(excess))
    best = None
    for i in finite[np.argsort(excess[finite])[::-1][:5]]:
        sides = precise_sides(fn, X[i])
        if sides is None:
            value = float(excess[i])
        elif sides.defined:
            value = float(sides.excess(0.0, L1))
        else:
            continue
        if best is None or value > best[0]:
            best = (value, X[i].copy())
    return best


def witness_at(fn: Objective, point: np.ndarray, L0: float, L1: float) -> tuple[Witness, str]:
    """Both sides at a point, in high precision when the function has that form (else
    float64), and which of the two it was."""
    sides = precise_sides(fn, point)
    if sides is not None and sides.defined:
        return _witness(point, sides, L0, L1), "high precision"
    with np.errstate(all="ignore"):
        X = np.asarray(point, dtype=float)[None, :]
        lhs, rhs = fn.hess_norm(X)[0], L0 + L1 * fn.grad_norm(X)[0]
    return Witness(tuple(float(c) for c in point), mpmath.mpf(lhs), mpmath.mpf(rhs)), \
        "float64 only"


def _witness(point, sides: PreciseSides, L0: float, L1: float) -> Witness:
    with mpmath.workdps(DIGITS):
        rhs = mpmath.mpf(L0) + mpmath.mpf(L1) * sides.grad_norm
    return Witness(tuple(float(c) for c in point), sides.hess_norm, rhs)


def simplify_point(fn: Objective, witness: Witness, L0: float, L1: float) -> Witness:
    """Replace coordinates by simpler numbers (0, integers, fewer decimals) while the point
    still violates (in high precision where the function has that form)."""
    p = np.array(witness.point, dtype=float)
    best = witness
    for i in range(p.size):
        for candidate in (0.0, float(np.round(p[i])),
                          *(float(np.round(p[i], k)) for k in range(1, 7))):
            if candidate == p[i]:
                break
            q = p.copy()
            q[i] = candidate
            with np.errstate(all="ignore"):
                quick = fn.hess_norm(q[None, :])[0] - L1 * fn.grad_norm(q[None, :])[0] - L0
            if not quick > 0:
                continue
            found, _ = witness_at(fn, q, L0, L1)
            if _violated((found.lhs, found.rhs), L0):
                p, best = q, found
                break
    return best
