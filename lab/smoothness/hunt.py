"""A numeric hunt for violations of ``||∇²f(x)|| <= L0 + L1 ||∇f(x)||`` in several variables.

Multi-start local maximisation of the excess ``||∇²f|| - L1||∇f|| - L0`` over a box:
a population of starts (uniform in the box, log-uniform radii in random directions, and the
same points with coordinates set to zero, since non-examples such as x²y² fail on axes),
Nelder-Mead from the best of them, then *shrinking*: coordinates are replaced by simpler
numbers (0, integers, fewer decimals) as long as the violation survives. A violation is
confirmed in exact arithmetic (sympy) at the final point, so a reported counterexample is a
certificate; "no violation found" is only evidence, and labelled so.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import minimize

from lab.functions.base import ExplicitObjective, Objective

#: Default half-width of the search box for each coordinate.
DEFAULT_BOX = 10.0


@dataclass(frozen=True)
class HuntResult:
    """Outcome of a numeric hunt.

    Attributes
    ----------
    point : ndarray
        The point with the largest excess found (after shrinking when it violates).
    excess : float
        ``||∇²f|| - L1||∇f|| - L0`` at ``point`` (float64).
    evaluations : int
        Function-derivative evaluations spent.
    confirmed : bool
        Whether the violation (excess > 0) was confirmed in exact/high-precision arithmetic.
    """

    point: np.ndarray
    excess: float
    evaluations: int
    confirmed: bool


def _excess(fn: Objective, L0: float, L1: float, X: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        e = fn.hess_norm(X) - L1 * fn.grad_norm(X) - L0
    return np.where(np.isnan(e), -np.inf, e)


def _population(rng, lows, highs, n):
    d = lows.size
    uniform = rng.uniform(lows, highs, size=(n // 2, d))
    directions = rng.normal(size=(n // 4, d))
    directions /= np.linalg.norm(directions, axis=1, keepdims=True)
    radii = 10.0 ** rng.uniform(-3, np.log10(max(np.max(np.abs([lows, highs])), 1e-3)), n // 4)
    radial = np.clip(directions * radii[:, None], lows, highs)
    base = np.concatenate([uniform, radial])
    zeroed = []
    if d <= 6:
        masks = [m for k in range(1, d) for m in itertools.combinations(range(d), k)]
        for mask in masks:
            z = base[: n // (4 * max(len(masks), 1)) + 1].copy()
            z[:, list(mask)] = 0.0
            zeroed.append(np.clip(z, lows, highs))
    corners = np.array(list(itertools.product(*zip(lows, highs)))) if d <= 8 else np.empty((0, d))
    # small-integer lattice: critical points of textbook functions often sit there
    lattice = (np.array(list(itertools.product(range(-3, 4), repeat=d)), dtype=float)
               if d <= 4 else np.empty((0, d)))
    return np.concatenate([base, *zeroed, corners, np.clip(lattice, lows, highs),
                           np.clip(np.zeros((1, d)), lows, highs)])


def _critical_points(fn: Objective, starts: np.ndarray, lows, highs) -> tuple[np.ndarray, int]:
    """Local minimisers of ||∇f||² from a few starts: where ∇f = 0, any L1 is powerless, so
    the excess there is ||∇²f|| - L0 and it dominates the frontier for large L1."""
    found, evaluations = [], 0
    for x0 in starts:
        def sq(z):
            g = fn.grad(np.clip(z, lows, highs)[None, :])[0]
            return float(g @ g) if np.all(np.isfinite(g)) else np.inf

        res = minimize(sq, x0, method="Nelder-Mead",
                       options={"maxfev": 300 * fn.dim, "xatol": 1e-10, "fatol": 1e-20})
        evaluations += int(res.nfev)
        found.append(np.clip(res.x, lows, highs))
    return np.array(found).reshape(-1, fn.dim), evaluations


def exact_excess(fn: Objective, L0: float, L1: float, point: np.ndarray) -> sp.Expr | None:
    """The excess at a rational version of ``point``, in exact arithmetic (explicit functions).

    Returns None when the function is not explicit (ridge/radial are certified by reduction).
    """
    if not isinstance(fn, ExplicitObjective):
        return None
    subs = {v: sp.nsimplify(float(c), rational=True) for v, c in zip(fn.variables, point)}
    grad = [sp.nsimplify(g.subs(subs)) for g in fn.gradient_exprs]
    hess = sp.Matrix([[h.subs(subs) for h in row] for row in fn.hessian_exprs])
    with mpmath.workdps(60):
        H = mpmath.matrix([[mpmath.mpf(sp.N(e, 60)) for e in row] for row in hess.tolist()])
        eigs = mpmath.eigsy(H, eigvals_only=True) if H.rows > 1 else [H[0, 0]]
        hnorm = max(abs(e) for e in eigs)
        gnorm = mpmath.sqrt(sum(mpmath.mpf(sp.N(g, 60)) ** 2 for g in grad))
        value = hnorm - mpmath.mpf(sp.N(sp.nsimplify(L1), 60)) * gnorm \
            - mpmath.mpf(sp.N(sp.nsimplify(L0), 60))
    return sp.Float(value, 50)


def _simplify_point(fn, L0, L1, point):
    """Replace coordinates by simpler numbers while the point still violates."""
    p = point.copy()
    evals = 0

    def violates(q):
        nonlocal evals
        evals += 1
        return _excess(fn, L0, L1, q[None, :])[0] > 0

    for i in range(p.size):
        for candidate in (0.0, float(np.round(p[i])), *(float(np.round(p[i], k)) for k in range(1, 7))):
            q = p.copy()
            q[i] = candidate
            if violates(q):
                p = q
                break
    return p, evals


def hunt_violation(fn: Objective, L0: float, L1: float, *, lows=None, highs=None,
                   samples: int = 20000, local_starts: int = 12, seed: int = 0,
                   shrink: bool = True) -> HuntResult:
    """Search the box ``[lows, highs]`` for a point where the (L0,L1) condition fails.

    With ``shrink`` (the default) a violating point is simplified while it still violates,
    which may lower the excess: pass ``shrink=False`` when the largest excess itself is
    wanted (the numeric frontier).

    Examples
    --------
    >>> from lab.functions import get_function
    >>> r = hunt_violation(get_function("xy_squared"), 100.0, 100.0, samples=2000)
    >>> bool(r.excess > 0), float(r.point[0])
    (True, 0.0)
    """
    d = fn.dim
    lows = np.full(d, -DEFAULT_BOX) if lows is None else np.asarray(lows, float)
    highs = np.full(d, DEFAULT_BOX) if highs is None else np.asarray(highs, float)
    rng = np.random.default_rng(seed)
    X = _population(rng, lows, highs, samples)
    known = [p for p in (fn.info.minimizer, fn.info.start) if p is not None and len(p) == d]
    crit, crit_evals = _critical_points(fn, X[rng.choice(X.shape[0], 6, replace=False)],
                                        lows, highs)
    X = np.concatenate([X, crit, np.clip(np.array(known, dtype=float).reshape(-1, d),
                                         lows, highs)])
    ex = _excess(fn, L0, L1, X)
    evaluations = X.shape[0] + crit_evals
    order = np.argsort(ex)[::-1][:local_starts]
    best_x, best_e = X[order[0]].copy(), float(ex[order[0]])
    for idx in order:
        def neg(z):
            z = np.clip(z, lows, highs)
            return -float(_excess(fn, L0, L1, z[None, :])[0])

        res = minimize(neg, X[idx], method="Nelder-Mead",
                       options={"maxfev": 400 * d, "xatol": 1e-10, "fatol": 1e-12})
        evaluations += int(res.nfev)
        z = np.clip(res.x, lows, highs)
        e = -neg(z)
        if e > best_e:
            best_x, best_e = z, e
    confirmed = False
    if best_e > 0 and shrink:
        best_x, extra = _simplify_point(fn, L0, L1, best_x)
        evaluations += extra
        best_e = float(_excess(fn, L0, L1, best_x[None, :])[0])
    if best_e > 0:
        exact = exact_excess(fn, L0, L1, best_x)
        confirmed = exact is not None and exact > 0
    return HuntResult(best_x, best_e, evaluations, confirmed)
