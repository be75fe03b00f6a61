"""The supremum of ``|q2| - L1|q1|`` along a reduction: exact when sympy decides it,
otherwise a numeric lower bound evaluated in high precision.

The numeric fallback (:func:`numeric_sup`) searches a dense log/linear grid and refines the
best points locally; the value it returns is re-evaluated in high precision (mpmath) at the
exact binary value of the point found, so a violation it reports is certified at that point.
A grid point where q1 or q2 is not finite (a singular point such as 0 for |x|^1.5, or float64
overflow) is never the answer itself: nearby points ``t ± 2^-k`` where both are finite are.
"""

from __future__ import annotations

import functools

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import minimize_scalar

from lab.functions.base import T, Reduction
from lab.smoothness.precise import exact_number
from lab.smoothness.univariate import DIGITS, SupResult, _Undecided, exact_sup

#: Steps t0 ± 2^-k tried around a singular point.
NEARBY_STEPS = 200


def _numeric_grid(domain: sp.Interval) -> np.ndarray:
    lo = float(domain.inf) if domain.inf.is_finite else -np.inf
    hi = float(domain.sup) if domain.sup.is_finite else np.inf
    mags = np.concatenate([[0.0], np.logspace(-6, 3, 2000)])
    grid = np.concatenate([mags, -mags, np.linspace(-50, 50, 4001)])
    extra = [v for v, open_ in ((lo, domain.left_open), (hi, domain.right_open))
             if np.isfinite(v) and not open_]
    grid = np.unique(np.concatenate([grid, extra, lo + (hi - lo) * np.linspace(0, 1, 2001)
                                     if np.isfinite(lo) and np.isfinite(hi) else []]))
    keep = (grid > lo) | ((grid == lo) & (not domain.left_open))
    keep &= (grid < hi) | ((grid == hi) & (not domain.right_open))
    return grid[keep]


def _precise(g: sp.Expr, t: float) -> sp.Expr | None:
    """g at the exact binary value of t, at DIGITS digits; None where not finite and real."""
    value = sp.N(g.subs(T, sp.Float(t)), DIGITS)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or not value.is_real or not value.is_number:
        return None
    return value


def _finite_near(g: sp.Expr, t0: float, domain: sp.Interval) -> tuple[float, sp.Expr] | None:
    """The best finite value of g at t0 ± scale·2^-k (a singular t0 is not a witness)."""
    scale = max(1.0, abs(t0))
    best = None
    for k in range(1, NEARBY_STEPS):
        for t in (t0 + scale * 2.0**-k, t0 - scale * 2.0**-k):
            if t == t0 or domain.contains(sp.Float(t)) is not sp.true:
                continue
            value = _precise(g, t)
            if value is not None and (best is None or value > best[1]):
                best = (t, value)
        if best is not None and k > 60:
            break
    return best


def numeric_sup(reduction: Reduction, L1: float) -> SupResult:
    """A numeric lower bound on the supremum: dense log/linear grid, then local refinement,
    the best points re-evaluated in high precision.

    Examples
    --------
    >>> r = numeric_sup(Reduction(4 * T**3, 12 * T**2), 1.0)
    >>> round(float(r.value), 9), round(float(r.argmax), 6), r.exact
    (16.0, 2.0, False)
    """
    g = sp.Abs(reduction.q2) - exact_number(L1) * sp.Abs(reduction.q1)
    g_np = sp.lambdify(T, g, modules="numpy")
    domain = reduction.domain
    grid = _numeric_grid(domain)
    with np.errstate(all="ignore"):
        vals = np.broadcast_to(np.asarray(g_np(grid), dtype=float), grid.shape).copy()
    vals[np.isposinf(vals)] = np.finfo(float).max  # overflow or a singular point: look there
    vals[~np.isfinite(vals)] = -np.inf
    evaluations = grid.size
    order = np.argsort(vals)[::-1][:10]
    lo = float(domain.inf) if domain.inf.is_finite else -1e6
    hi = float(domain.sup) if domain.sup.is_finite else 1e6
    candidates = [float(grid[i]) for i in order]
    for idx in order:
        t0 = grid[idx]
        width = max(abs(t0) * 0.1, 1e-3)
        bounds = (max(lo, t0 - width), min(hi, t0 + width))

        def neg(t):
            with np.errstate(all="ignore"):
                v = float(np.asarray(g_np(np.array([t])), dtype=float).ravel()[0])
            return -v if np.isfinite(v) else np.inf

        res = minimize_scalar(neg, bounds=bounds, method="bounded", options={"xatol": 1e-12})
        evaluations += int(res.nfev)
        if np.isfinite(res.fun):
            candidates.append(float(res.x))
    best_t, best_v = None, None
    for t in candidates:
        found = _precise(g, t) if domain.contains(sp.Float(t)) is sp.true else None
        found = (t, found) if found is not None else _finite_near(g, t, domain)
        evaluations += 1
        if found is not None and (best_v is None or found[1] > best_v):
            best_t, best_v = found
    if best_t is None:
        raise _Undecided("no point with finite derivatives found")
    return SupResult(best_v, sp.Float(best_t), None, False, evaluations)


def sup_excess(reduction: Reduction, L1: float) -> SupResult:
    """Supremum of ``|q2| - L1|q1|``: exact when sympy can decide, numeric otherwise.

    Results are cached on (q1, q2, domain, L1): the frontier of a zoo member is asked for
    often (tests, figures, the report) and sympy's calculus is the slow part.

    Examples
    --------
    >>> sup_excess(Reduction(4 * T**3, 12 * T**2), 1.0).value
    16
    """
    return _sup_cached(reduction.q1, reduction.q2, reduction.domain, float(L1))


@functools.lru_cache(maxsize=512)
def _sup_cached(q1: sp.Expr, q2: sp.Expr, domain: sp.Set, L1: float) -> SupResult:
    reduction = Reduction(q1, q2, domain)
    try:
        return exact_sup(reduction, exact_number(L1))
    except _Undecided:
        return numeric_sup(reduction, L1)
