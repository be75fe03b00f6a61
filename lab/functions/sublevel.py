"""Exact global facts of a whole-class member from its segment table (mpmath).

f is monotone on every segment (u keeps one sign there) and ``|u|`` is monotone too, so:

* ``inf f`` is the least of f at the finite segment ends and the two tail limits;
* ``{f <= c}`` meets each segment in one interval (possibly empty), whose inner end solves
  ``f(x) = c`` and is found by bisection on a bracket where f is monotone;
* ``M(c) = sup{|f'(x)| : f(x) <= c}`` is the largest ``|u|`` at the ends of those intervals
  (the sublevel set may have several intervals; all of them count, as in the paper's M);
* the smallest valid L0 for a given L1' is ``max over segments of sup (|σ|(L0 + L1 v) - L1' v)``
  over the range of ``v = |u|`` on the segment, a linear function of v, so attained at an end.

Examples
--------
>>> import mpmath
>>> from lab.functions.segments import build_table
>>> with mpmath.workdps(30):
...     t = build_table(1.0, 0.0, (0.0,), (), u0=0.0, f0=0.0)   # x²/2 (L0 = 1, L1 = 0)
...     fs, xs = infimum(t, 1.0, 0.0)
...     m = sublevel_sup(t, mpmath.mpf(2), 1.0, 0.0)            # {x²/2 <= 2} = [-2, 2]
>>> float(fs), float(xs), float(m)
(0.0, 0.0, 2.0)
"""

from __future__ import annotations

import mpmath

from lab.functions.segments import Segment, abs_u_limit, tail_limit


def end_values(seg: Segment):
    """``(f(lo), f(hi))`` with tail limits at infinite ends (stored by the table builder)."""
    return seg.f_lo, seg.f_hi


def infimum(table: list[Segment], L0, L1):
    """``(inf f, a minimizer or None)``; None when the infimum is a tail limit not attained."""
    L0, L1 = mpmath.mpf(L0), mpmath.mpf(L1)
    best, where = mpmath.inf, None
    for seg in table:
        f_lo, f_hi = end_values(seg)
        for val, x in ((f_lo, seg.lo), (f_hi, seg.hi)):
            if val < best:
                best, where = val, x
    if where is not None and mpmath.isinf(where):
        # a constant tail attains its value at its finite end; a decaying tail does not
        seg = table[0] if where < 0 else table[-1]
        where = seg.anchor if (seg.a == 0 and seg.rho == 0) else None
    return best, where


def _bracket(seg: Segment, c, L0, L1, increasing: bool):
    """A finite bracket [lo, hi] of the root of f = c on the segment (f monotone on it).

    An infinite end is replaced by points farther and farther out until f is on the far
    side of c there (at most 400 doublings: a level that equals a tail limit is never
    crossed, and the far point then stands for the end).
    """
    lo, hi = seg.lo, seg.hi
    step = mpmath.mpf(1)
    if mpmath.isinf(lo):  # need f(lo) <= c if f increases, f(lo) > c if it decreases
        lo = hi - step
        for _ in range(400):
            if (seg.f(lo, L0, L1) > c) != increasing:
                break
            step *= 2
            lo = hi - step
    if mpmath.isinf(hi):  # need f(hi) > c if f increases, f(hi) <= c if it decreases
        hi = lo + step
        for _ in range(400):
            if (seg.f(hi, L0, L1) > c) == increasing:
                break
            step *= 2
            hi = lo + step
    return lo, hi


def level_crossing(seg: Segment, c, L0, L1, increasing: bool):
    """The x in the segment with ``f(x) = c``.

    Anderson-Björck on a bracket (superlinear; f is monotone and convex or concave on the
    segment), falling back to bisection if it leaves the bracket.
    """
    lo, hi = _bracket(seg, c, L0, L1, increasing)
    f_lo, f_hi = seg.f(lo, L0, L1) - c, seg.f(hi, L0, L1) - c
    if f_lo == 0:
        return lo
    if f_hi == 0:
        return hi
    try:
        x = mpmath.findroot(lambda t: seg.f(t, L0, L1) - c, (lo, hi), solver="anderson",
                            tol=mpmath.mpf(2) ** (-2 * mpmath.mp.prec + 8))
        if lo <= x <= hi:
            return x
    except (ValueError, ZeroDivisionError):
        pass
    return _bisect(seg, c, L0, L1, increasing, lo, hi)


def _bisect(seg, c, L0, L1, increasing, lo, hi):
    tol = mpmath.mpf(2) ** (-mpmath.mp.prec + 4) * (abs(lo) + abs(hi) + 1)
    while hi - lo > tol:
        mid = (lo + hi) / 2
        if mid in (lo, hi):
            break
        if (seg.f(mid, L0, L1) > c) == increasing:
            hi = mid
        else:
            lo = mid
    return (lo + hi) / 2


def _abs_u_at(seg: Segment, x, L0, L1, direction: int):
    return abs_u_limit(seg, direction) if mpmath.isinf(x) else seg.abs_u(x, L0, L1)


def sublevel_sup(table: list[Segment], c, L0, L1):
    """``sup{|u(x)| : f(x) <= c}`` (0 when the set is empty)."""
    L0, L1 = mpmath.mpf(L0), mpmath.mpf(L1)
    best = mpmath.mpf(0)
    for seg in table:
        f_lo, f_hi = end_values(seg)
        if min(f_lo, f_hi) > c:
            continue
        lo, hi = seg.lo, seg.hi
        if max(f_lo, f_hi) > c:
            increasing = f_hi > f_lo
            r = level_crossing(seg, c, L0, L1, increasing)
            lo, hi = (lo, r) if increasing else (r, hi)
        best = max(best, _abs_u_at(seg, lo, L0, L1, -1), _abs_u_at(seg, hi, L0, L1, 1))
    return best


def smallest_l0(table: list[Segment], L0, L1, L1_new):
    """Smallest L0' with ``|f''| <= L0' + L1_new |f'|`` everywhere (``inf`` if none)."""
    L0, L1, L1n = mpmath.mpf(L0), mpmath.mpf(L1), mpmath.mpf(L1_new)
    best = mpmath.mpf(0)
    n = len(table)
    for i, seg in enumerate(table):
        s = abs(mpmath.mpf(seg.sigma))
        if s == 0:
            continue
        for x, direction in ((seg.lo, -1), (seg.hi, 1)):
            if i not in (0, n - 1) or not mpmath.isinf(x):
                v = _abs_u_at(seg, x, L0, L1, direction)
            else:
                v = abs_u_limit(seg, direction)
            if mpmath.isinf(v):
                if s * L1 > L1n:
                    return mpmath.inf
                continue
            best = max(best, s * (L0 + L1 * v) - L1n * v)
    return best
