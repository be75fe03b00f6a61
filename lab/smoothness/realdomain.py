"""Where a function of one variable is real-valued: the domain a check may speak about.

(L0,L1)-smoothness is a statement about a real function on a set. ``sqrt(x)`` or ``log(x)`` is
not real-valued on R, so "is it smooth on R?" has no answer: the check stops with one line
naming a bad point and the interval where the function is real, so the user can narrow the
domain on purpose. When the only bad points are *ends* of the requested interval (``log(x)``
on ``[0, oo)``: undefined at 0), those ends are left out and the verdict says so.

The real domain is computed by sympy (``continuous_domain``, branch by branch for
``Piecewise``); when sympy cannot, a dense grid of the compiled function decides, and a bad
grid point is confirmed in high precision before anything is refused.
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.calculus.util import continuous_domain

from lab.errors import LabInputError
from lab.functions.base import ExplicitObjective
from lab.smoothness.domain import interval_text
from lab.smoothness.univariate import SOLVE_SECONDS, _time_limit, _Undecided


def _branches(expr: sp.Expr, x: sp.Symbol, interval: sp.Interval):
    """(branch, sub-interval) pairs of a Piecewise expression (Max/Min rewritten)."""
    expr = sp.piecewise_fold(expr.rewrite(sp.Piecewise) if expr.has(sp.Max, sp.Min) else expr)
    pws = list(expr.atoms(sp.Piecewise))
    if not pws:
        return [(expr, interval)]
    cuts = set()
    for pw in pws:
        for _, cond in pw.args:
            if cond is not sp.true:
                cuts |= set(cond.as_set().boundary)
    cuts = sorted((c for c in cuts if c.is_finite and interval.contains(c) is sp.true), key=float)
    edges = [interval.inf, *cuts, interval.sup]
    out = []
    for a, b in zip(edges[:-1], edges[1:]):
        sample = (a + b) / 2 if a.is_finite and b.is_finite else (b - 1 if a.is_infinite else a + 1)
        branch = expr.replace(
            lambda e: isinstance(e, sp.Piecewise),
            lambda e: next(ex for ex, c in e.args if c.subs(x, sample) in (True, sp.true)))
        out.append((branch, sp.Interval(a, b, interval.left_open and a == interval.inf,
                                        interval.right_open and b == interval.sup)))
        if a in cuts:  # the cut itself belongs to whichever branch holds there
            out.append((expr.subs(x, a), sp.FiniteSet(a)))
    return out


def _symbolic_real_set(expr: sp.Expr, x: sp.Symbol, interval: sp.Interval) -> sp.Set:
    real: sp.Set = sp.S.EmptySet
    for branch, part in _branches(expr, x, interval):
        if isinstance(part, sp.FiniteSet):
            value = branch
            if value.is_number and value.is_finite and value.is_real:
                real = real | part
            continue
        with _time_limit(SOLVE_SECONDS):
            real = real | continuous_domain(branch, x, part)
    return real


def _numeric_bad_point(fn: ExplicitObjective, interval: sp.Interval) -> float | None:
    lo = float(interval.inf) if interval.inf.is_finite else -1e6
    hi = float(interval.sup) if interval.sup.is_finite else 1e6
    grid = np.concatenate([np.linspace(lo, hi, 20001),
                           np.clip(np.concatenate([np.logspace(-6, 6, 2001),
                                                   -np.logspace(-6, 6, 2001), [0.0]]), lo, hi)])
    with np.errstate(all="ignore"):
        values = fn.value(grid[:, None])
    for t in grid[np.isnan(values)]:
        exact = sp.N(fn.expr.subs(fn.variables[0], sp.Float(float(t))), 30)
        if not (exact.is_number and exact.is_real and exact.is_finite):
            return float(t)
    return None


def real_interval(fn: ExplicitObjective, interval: sp.Interval, shown: str
                  ) -> tuple[sp.Interval, str]:
    """``interval``, with ends left out where f is not real-valued, and a note saying so.

    Raises LabInputError (one line: a bad point and where f is real) when f is not
    real-valued somewhere inside the interval.

    Examples
    --------
    >>> from lab.functions.parse import objective_from_text
    >>> real_interval(objective_from_text("log(x)"), sp.Interval(0, sp.oo), "log(x)")
    (Interval.open(0, oo), 'x = 0 left out: log(x) is not real-valued there')
    """
    x = fn.variables[0]
    try:
        real = _symbolic_real_set(fn.expr, x, interval)
    except (_Undecided, NotImplementedError, ValueError, TypeError, AttributeError):
        bad = _numeric_bad_point(fn, interval)
        if bad is None:
            return interval, ""
        raise LabInputError(f"{shown!r} is not real-valued at {x} = {bad:.10g}; narrow the "
                            "domain to where it is (--domain LOW:HIGH, or domain=[(low, high)])"
                            ) from None
    bad = interval - real
    if bad is sp.S.EmptySet:
        return interval, ""
    ends = {e for e in (interval.inf, interval.sup) if e.is_finite}
    if isinstance(bad, sp.FiniteSet) and set(bad) <= ends:
        narrowed = sp.Interval(interval.inf, interval.sup,
                               interval.left_open or interval.inf in bad,
                               interval.right_open or interval.sup in bad)
        names = " and ".join(f"{x} = {sp.sstr(e)}" for e in sorted(bad, key=float))
        return narrowed, f"{names} left out: {shown} is not real-valued there"
    raise LabInputError(f"{shown!r} is not real-valued on {_text(interval)} (for example at "
                        f"{x} = {_example(bad)}); it is real on {_text(real)}: narrow the "
                        f"domain to that, e.g. {_suggest(real)}")


def _text(s: sp.Set) -> str:
    if s == sp.S.Reals:
        return "R"
    if isinstance(s, sp.Interval):
        return interval_text(float(s.inf), float(s.sup), bool(s.left_open), bool(s.right_open))
    if isinstance(s, sp.Union) and all(isinstance(a, sp.Interval) for a in s.args):
        return " U ".join(_text(a) for a in s.args)
    return sp.sstr(s)


def _example(bad: sp.Set) -> str:
    try:
        if isinstance(bad, sp.Interval):
            a, b = bad.inf, bad.sup
            p = (a + b) / 2 if a.is_finite and b.is_finite else (b - 1 if a.is_infinite else a + 1)
            return sp.sstr(p)
        if isinstance(bad, sp.Union):
            return _example(bad.args[0])
        return sp.sstr(next(iter(bad)))
    except (TypeError, StopIteration, NotImplementedError, ValueError):
        return "some point"


def _suggest(real: sp.Set) -> str:
    parts = real.args if isinstance(real, sp.Union) else (real,)
    intervals = [p for p in parts if isinstance(p, sp.Interval)]
    if not intervals:
        return "--domain LOW:HIGH"
    widest = max(intervals, key=lambda p: float(p.measure) if p.measure.is_finite else np.inf)
    lo = "-inf" if widest.inf.is_infinite else sp.sstr(widest.inf)
    hi = "inf" if widest.sup.is_infinite else sp.sstr(widest.sup)
    return f"--domain {lo}:{hi} (an end where it is not real-valued is left out)"
