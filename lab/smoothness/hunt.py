"""A numeric search for the largest excess ``||∇²f(x)|| - L1 ||∇f(x)||`` in several variables.

On one box (:func:`hunt_box`): a population of starts (uniform in the box, log-uniform radii
in random directions, the same points with coordinates set to zero since non-examples such as
x²y² fail on axes, the corners, a small integer lattice, critical points of ||∇f||²), then
Nelder-Mead from the best of them. On a domain that is unbounded (R^d by default,
:func:`hunt_region`), boxes ``[-B, B]^d`` (cut to the domain) with B = 10, 100, ... are
searched while the largest excess keeps growing or sits near the edge of the box.

The search knows nothing of L0: the largest excess it finds is a lower bound on the smallest
valid L0 (the frontier), and a check with a given L0 compares against that same number, so
``check_smoothness`` and ``min_valid_l0`` agree on every input by construction. Confirming a
violation in high precision, and turning it into a readable counterexample, is the
certifier's job (:mod:`lab.smoothness.certify`).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
from scipy.optimize import minimize

from lab.functions.base import Objective
from lab.smoothness.precise import precise_sides, value_is_real

#: Half-width of the first search box.
DEFAULT_BOX = 10.0
#: The largest half-width searched on an unbounded domain.
MAX_RADIUS = 1e6
#: Points kept for high-precision confirmation.
KEEP = 12


@dataclass(frozen=True, kw_only=True)
class HuntResult:
    """Outcome of a numeric search.

    Attributes
    ----------
    point : ndarray
        The evaluated point with the largest float64 excess.
    excess : float
        ``||∇²f|| - L1||∇f||`` at ``point`` in float64 (``inf`` where the Hessian overflows
        or does not exist).
    evaluations : int
        Points at which the derivatives were evaluated.
    candidates : ndarray
        The best evaluated points, best first (``point`` is the first), for confirmation.
    radius : float
        Half-width of the largest box searched (``inf`` never; the box is cut to the domain).
    nonreal : ndarray or None
        A point of the domain where f itself evaluated to nan (:func:`hunt_box`: perhaps not
        real-valued; :func:`hunt_region`: confirmed not real-valued in high precision, and
        the search stopped there).
    """

    point: np.ndarray
    excess: float
    evaluations: int
    candidates: np.ndarray
    radius: float
    nonreal: np.ndarray | None = None


def _excess(fn: Objective, L1: float, X: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        e = fn.hess_norm(X) - L1 * fn.grad_norm(X)
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

        with np.errstate(all="ignore"):
            res = minimize(sq, x0, method="Nelder-Mead",
                           options={"maxfev": 300 * fn.dim, "xatol": 1e-10, "fatol": 1e-20})
        evaluations += int(res.nfev)
        found.append(np.clip(res.x, lows, highs))
    return np.array(found).reshape(-1, fn.dim), evaluations


def _nan_value_point(fn: Objective, X: np.ndarray) -> np.ndarray | None:
    """The first point where f is nan (not inf: that is overflow), or None."""
    with np.errstate(all="ignore"):
        values = fn.value(X)
    bad = np.flatnonzero(np.isnan(values))
    return X[bad[0]].copy() if bad.size else None


def hunt_box(fn: Objective, L1: float, lows, highs, *, samples: int = 20000,
             local_starts: int = 12, seed: int = 0) -> HuntResult:
    """The largest excess ``||∇²f|| - L1||∇f||`` found on the finite box ``[lows, highs]``.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> r = hunt_box(get_function("xy_squared"), 100.0, [-10, -10], [10, 10], samples=2000)
    >>> float(r.excess), 0.0 in r.point
    (200.0, True)
    """
    d = fn.dim
    lows, highs = np.asarray(lows, float), np.asarray(highs, float)
    rng = np.random.default_rng(seed)
    X = _population(rng, lows, highs, samples)
    known = [p for p in (fn.info.minimizer, fn.info.start) if p is not None and len(p) == d]
    crit, crit_evals = _critical_points(fn, X[rng.choice(X.shape[0], 6, replace=False)],
                                        lows, highs)
    X = np.concatenate([X, crit, np.clip(np.array(known, dtype=float).reshape(-1, d),
                                         lows, highs)])
    nonreal = _nan_value_point(fn, X)
    ex = _excess(fn, L1, X)
    evaluations = X.shape[0] + crit_evals
    order = np.argsort(ex)[::-1]
    points, values = [X[i] for i in order[:KEEP]], [float(ex[i]) for i in order[:KEEP]]
    for idx in order[:local_starts]:
        def neg(z):
            return -float(_excess(fn, L1, np.clip(z, lows, highs)[None, :])[0])

        with np.errstate(all="ignore"):
            res = minimize(neg, X[idx], method="Nelder-Mead",
                           options={"maxfev": 400 * d, "xatol": 1e-10, "fatol": 1e-12})
        evaluations += int(res.nfev)
        z = np.clip(res.x, lows, highs)
        points.append(z)
        values.append(-neg(z))
    best = np.argsort(values, kind="stable")[::-1][:KEEP]
    candidates = np.array([points[i] for i in best])
    return HuntResult(point=candidates[0].copy(), excess=float(values[best[0]]),
                      evaluations=evaluations, candidates=candidates,
                      radius=float(np.max(np.abs([lows, highs]))), nonreal=nonreal)


def hunt_region(fn: Objective, L1: float, lows=None, highs=None, *, samples: int = 20000,
                seed: int = 0, stop_above: float | None = None) -> HuntResult:
    """The largest excess found on the domain ``[lows, highs]`` (ends may be infinite;
    default R^d): boxes of half-width 10, 100, ... cut to the domain, grown while the
    largest excess keeps growing or lies near the box's edge (at least two boxes when the
    domain reaches beyond the first), up to :data:`MAX_RADIUS`. With ``stop_above`` (a check
    of a given L0), the growth stops once an excess above it is found and confirmed in high
    precision: a violation is a certificate however far the search went.

    Examples
    --------
    >>> from lab.functions.parse import objective_from_text
    >>> r = hunt_region(objective_from_text("x^4 + y^4"), 0.1, samples=2000)
    >>> round(r.excess), float(r.radius) >= 100  # sup 1600 at (±20, 0): beyond the first box
    (1600, True)
    """
    d = fn.dim
    lows = np.full(d, -np.inf) if lows is None else np.asarray(lows, float)
    highs = np.full(d, np.inf) if highs is None else np.asarray(highs, float)
    best, evaluations, half, rounds = None, 0, DEFAULT_BOX, 0
    while True:
        box_lo, box_hi = np.maximum(lows, -half), np.minimum(highs, half)
        result = hunt_box(fn, L1, box_lo, box_hi, samples=samples, seed=seed + rounds)
        evaluations += result.evaluations
        rounds += 1
        if result.nonreal is not None and value_is_real(fn, result.nonreal) is False:
            return replace(result, evaluations=evaluations)  # not a real function: stop here
        improved = best is None or result.excess > best.excess + 1e-9 * abs(best.excess)
        merged = result if best is None or result.excess > best.excess else best
        pool = np.concatenate([best.candidates, result.candidates]) if best else result.candidates
        values = _excess(fn, L1, pool)
        keep = np.argsort(values, kind="stable")[::-1][:KEEP]
        best = HuntResult(point=merged.point, excess=merged.excess, evaluations=evaluations,
                          candidates=pool[keep], radius=half)
        if stop_above is not None and _confirmed_above(fn, L1, best.point, stop_above):
            return best
        unbounded = (lows < -half) | (highs > half)
        edge = np.any(unbounded & (np.abs(result.point) > 0.8 * half))
        if (not unbounded.any() or half >= MAX_RADIUS or not np.isfinite(best.excess)
                or not (edge or improved)):
            return best
        half *= 10.0


def _confirmed_above(fn: Objective, L1: float, point: np.ndarray, level: float) -> bool:
    sides = precise_sides(fn, point)
    return sides is not None and sides.violates(level, L1)
