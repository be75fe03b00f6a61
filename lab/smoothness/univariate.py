"""Exact suprema of ``|q2(t)| - L1 |q1(t)|`` over an interval, by calculus in sympy.

This is the engine of the exact certifier. Along a univariate reduction (see
:meth:`lab.functions.Objective.reductions`) the (L0,L1) condition reads
``|q2(t)| <= L0 + L1 |q1(t)|``, so the smallest valid L0 is ``sup_t g(t)`` with
``g = |q2| - L1 |q1|``.

Why the candidate set is complete: split the domain at the zeros of q1 and q2 (where the
absolute values kink) and at the breakpoints of any ``Piecewise``. On each open piece the signs
s1 = sign q1, s2 = sign q2 are constant, g = s2 q2 - L1 s1 q1 is smooth, and its supremum is
either at a stationary point, where ``q2' = ± L1 q1'``, or at an end of the piece: a kink (a
candidate, g being continuous there) or an end of the domain (a limit). Whenever sympy returns
every solution set as a finite set, the maximum over candidates and limits *is* the supremum:
the result is labelled ``exact``. Otherwise the routine falls back to a numeric search,
labelled ``numeric``, whose answer is a lower bound on the supremum.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading
from dataclasses import dataclass

import mpmath
import numpy as np
import sympy as sp
from scipy.optimize import minimize_scalar

from lab.functions.base import T, Reduction

#: Digits used to decide signs of exact values.
DIGITS = 50
#: Seconds allowed to one ``solveset`` call before falling back to numerics.
SOLVE_SECONDS = 8.0


class _Undecided(Exception):
    """sympy could not decide a step: fall back to numerics."""


@dataclass(frozen=True)
class SupResult:
    """The supremum of g = |q2| - L1|q1| over a domain.

    Attributes
    ----------
    value : sympy.Expr
        The supremum (``sympy.oo`` when unbounded); a lower bound when ``exact`` is False.
    argmax : sympy.Expr or None
        A point attaining it, or None when it is approached only in a limit.
    limit : str or None
        ``"t -> oo"`` / ``"t -> -oo"`` when the supremum is a limit.
    exact : bool
        True: proved by the candidate argument. False: numeric lower bound.
    evaluations : int
        Points evaluated.
    """

    value: sp.Expr
    argmax: sp.Expr | None
    limit: str | None
    exact: bool
    evaluations: int

    @property
    def value_float(self) -> float:
        return float(self.value) if self.value.is_finite else float("inf")


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise :class:`_Undecided` if the block runs longer than ``seconds`` (main thread only)."""
    usable = threading.current_thread() is threading.main_thread() and hasattr(signal, "SIGALRM")
    if not usable:
        yield
        return

    def handler(signum, frame):
        raise _Undecided("timed out")

    previous = signal.signal(signal.SIGALRM, handler)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _finite_solutions(expr: sp.Expr, domain: sp.Set) -> list[sp.Expr] | None:
    """Real solutions of expr = 0 in domain; [] if none; None if the set is not finite."""
    expr = sp.simplify(expr) if expr.count_ops() < 60 else expr
    if expr == 0:
        return None  # identically zero: caller samples the piece instead
    try:
        with _time_limit(SOLVE_SECONDS):
            sol = sp.solveset(expr, T, domain)
    except _Undecided:
        raise
    except Exception as exc:  # NotImplementedError and friends
        raise _Undecided(str(exc)) from None
    if isinstance(sol, sp.FiniteSet):
        return [s for s in sol if s.is_real is not False]
    if sol is sp.S.EmptySet:
        return []
    raise _Undecided(f"solution set not finite: {type(sol).__name__}")


def _pieces(q1: sp.Expr, q2: sp.Expr, domain: sp.Interval):
    """Split Piecewise expressions into (branch q1, branch q2, closed sub-interval)."""
    q1, q2 = sp.piecewise_fold(q1), sp.piecewise_fold(q2)
    pws = list(q1.atoms(sp.Piecewise) | q2.atoms(sp.Piecewise))
    if not pws:
        return [(q1, q2, domain)], []
    cuts = set()
    for pw in pws:
        for _, cond in pw.args:
            if cond is sp.true:
                continue
            try:
                cuts |= set(cond.as_set().boundary)
            except Exception as exc:
                raise _Undecided(f"piecewise condition {cond}: {exc}") from None
    cuts = sorted((c for c in cuts if c.is_finite and domain.contains(c) is sp.true), key=float)
    edges = [domain.inf, *cuts, domain.sup]
    pieces = []
    for a, b in zip(edges[:-1], edges[1:]):
        if a == b:
            continue
        sample = (a + b) / 2 if a.is_finite and b.is_finite else (b - 1 if a.is_infinite else a + 1)

        def branch(expr):
            return expr.replace(
                lambda e: isinstance(e, sp.Piecewise),
                lambda e: next(ex for ex, c in e.args if c.subs(T, sample) in (True, sp.true)),
            )

        sub = sp.Interval(a, b, a.is_infinite or domain.left_open and a == domain.inf,
                          b.is_infinite or domain.right_open and b == domain.sup)
        pieces.append((branch(q1), branch(q2), sub))
    return pieces, cuts


def _evaluate(g: sp.Expr, point: sp.Expr) -> sp.Expr:
    value = g.subs(T, point)
    if not value.is_number:
        raise _Undecided(f"cannot evaluate at {point}")
    return value


def _tie_key(point: sp.Expr) -> tuple[float, int]:
    value = float(point)
    return (abs(value), 0 if value >= 0 else 1)


def _decide_greater(a: sp.Expr, b: sp.Expr) -> int:
    """Sign of a - b for exact numbers, at DIGITS digits, exactly when they look equal."""
    diff = a - b
    num = sp.N(diff, DIGITS)
    if num.is_comparable and abs(num) > sp.Float(10) ** (-(DIGITS - 10)):
        return 1 if num > 0 else -1
    simplified = sp.simplify(diff)
    if simplified == 0:
        return 0
    num = sp.N(simplified, 2 * DIGITS)
    if num.is_comparable and num != 0:
        return 1 if num > 0 else -1
    raise _Undecided(f"cannot decide the sign of {diff}")


def _limit(expr: sp.Expr, end: sp.Expr) -> sp.Expr:
    try:
        with _time_limit(SOLVE_SECONDS):
            lim = sp.limit(expr, T, end)
    except _Undecided:
        raise
    except Exception as exc:
        raise _Undecided(f"limit: {exc}") from None
    if not (lim.is_extended_real and (lim.is_number or lim.is_infinite)):
        raise _Undecided(f"limit at {end} undecided: {lim}")
    return lim


def _limit_of_excess(q1: sp.Expr, q2: sp.Expr, L1: sp.Expr, end: sp.Expr) -> sp.Expr:
    """lim |q2| - L1|q1| at an infinite end, from the (Abs-free, faster) limits of q1 and q2."""
    a, b = _limit(q1, end), _limit(q2, end)
    if not (a.is_infinite and b.is_infinite and L1 != 0):
        return sp.Abs(b) - L1 * sp.Abs(a) if not (a.is_infinite and L1 == 0) else sp.Abs(b)
    # oo - oo: the signs are eventually constant, so drop the absolute values and retry
    return _limit(sp.sign(b) * q2 - L1 * sp.sign(a) * q1, end)


def exact_sup(reduction: Reduction, L1: sp.Expr) -> SupResult:
    """The exact supremum of ``|q2| - L1|q1|`` over the reduction's domain.

    Raises ``_Undecided`` when sympy cannot decide a step (the caller falls back).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.functions import T, Reduction
    >>> r = exact_sup(Reduction(4 * T**3, 12 * T**2), sp.Integer(1))
    >>> r.value, r.argmax
    (16, 2)
    """
    domain = reduction.domain
    if not isinstance(domain, sp.Interval):
        raise _Undecided("domain is not an interval")
    pieces, cuts = _pieces(reduction.q1, reduction.q2, domain)
    points: list[sp.Expr] = list(cuts)
    limits: list[tuple[sp.Expr, str]] = []
    for q1, q2, sub in pieces:
        for eq in (q1, q2, sp.diff(q2, T) - L1 * sp.diff(q1, T), sp.diff(q2, T) + L1 * sp.diff(q1, T)):
            sols = _finite_solutions(eq, sub)
            if sols is None:  # identically zero on this piece: g piecewise constant, sample it
                a, b = sub.inf, sub.sup
                points.append((a + b) / 2 if a.is_finite and b.is_finite
                              else (b - 1 if a.is_infinite and b.is_finite
                                    else (a + 1 if a.is_finite else sp.Integer(0))))
            else:
                points.extend(sols)
        for end, closed, label in ((sub.inf, not sub.left_open, "t -> -oo"),
                                   (sub.sup, not sub.right_open, "t -> oo")):
            if end.is_finite and closed:
                points.append(end)
            elif end.is_finite:
                raise _Undecided("open finite endpoint")
            else:
                lim = _limit_of_excess(q1, q2, L1, end)
                limits.append((lim, label))
    g_full = sp.Abs(reduction.q2) - L1 * sp.Abs(reduction.q1)
    best_value, best_point, best_limit = None, None, None
    seen = 0
    for p in points:
        if domain.contains(p) is not sp.true:
            continue
        seen += 1
        val = _evaluate(g_full, p)
        order = 1 if best_value is None else _decide_greater(val, best_value)
        if order == 0:  # a tie: prefer the simpler point (smaller |t|, then t >= 0)
            order = 1 if _tie_key(p) < _tie_key(best_point) else -1
        if order > 0:
            best_value, best_point = val, p
    for lim, label in limits:
        if lim is sp.S.NegativeInfinity or best_value is sp.oo:
            continue
        if lim is sp.oo or best_value is None or _decide_greater(lim, best_value) > 0:
            best_value, best_point, best_limit = lim, None, label
    if best_value is None:
        raise _Undecided("no candidate points")
    return SupResult(sp.nsimplify(best_value) if best_value.is_Float else best_value,
                     best_point, best_limit, True, seen)


def _numeric_grid(domain: sp.Interval) -> np.ndarray:
    lo = float(domain.inf) if domain.inf.is_finite else -np.inf
    hi = float(domain.sup) if domain.sup.is_finite else np.inf
    mags = np.concatenate([[0.0], np.logspace(-6, 3, 2000)])
    grid = np.concatenate([mags, -mags, np.linspace(-50, 50, 4001)])
    grid = grid[(grid >= lo) & (grid <= hi)]
    extra = [v for v in (lo, hi) if np.isfinite(v)]
    return np.unique(np.concatenate([grid, extra]))


def numeric_sup(reduction: Reduction, L1: float) -> SupResult:
    """A numeric lower bound on the supremum: dense log/linear grid, then local refinement.

    The returned value is re-evaluated at the arg-max in high precision (mpmath), so a
    reported violation is a certified counterexample even though the search is heuristic.
    """
    g = sp.Abs(reduction.q2) - sp.nsimplify(L1) * sp.Abs(reduction.q1)
    g_np = sp.lambdify(T, g, modules="numpy")
    grid = _numeric_grid(reduction.domain)
    with np.errstate(all="ignore"):
        vals = np.broadcast_to(np.asarray(g_np(grid), dtype=float), grid.shape).copy()
    vals[np.isposinf(vals)] = np.finfo(float).max  # overflow of |q2|: a violation, keep it
    vals[~np.isfinite(vals)] = -np.inf
    evaluations = grid.size
    order = np.argsort(vals)[::-1][:10]
    best_t, best_v = grid[order[0]], vals[order[0]]
    lo = float(reduction.domain.inf) if reduction.domain.inf.is_finite else -1e6
    hi = float(reduction.domain.sup) if reduction.domain.sup.is_finite else 1e6
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
        if np.isfinite(res.fun) and -res.fun > best_v:
            best_t, best_v = float(res.x), -float(res.fun)
    point = sp.nsimplify(best_t, rational=True)
    with mpmath.workdps(DIGITS):
        exact_value = sp.N(g.subs(T, point), DIGITS)
    return SupResult(exact_value, point, None, False, evaluations)


def sup_excess(reduction: Reduction, L1: float) -> SupResult:
    """Supremum of ``|q2| - L1|q1|``: exact when sympy can decide, numeric otherwise.

    Results are cached on (q1, q2, domain, L1): the frontier of a zoo member is asked for
    often (tests, figures, the report) and sympy's calculus is the slow part.
    """
    return _sup_cached(reduction.q1, reduction.q2, reduction.domain, float(L1))


@functools.lru_cache(maxsize=512)
def _sup_cached(q1: sp.Expr, q2: sp.Expr, domain: sp.Set, L1: float) -> SupResult:
    reduction = Reduction(q1, q2, domain)
    try:
        return exact_sup(reduction, sp.nsimplify(L1, rational=True))
    except _Undecided:
        return numeric_sup(reduction, L1)
