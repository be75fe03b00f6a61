"""The segment table of a whole-class member, built exactly (mpmath) from its control.

A member is ``u = f'`` solving ``u' = s(x)(L0 + L1|u|)`` with ``s`` piecewise constant on the
knots ``t_0 < ... < t_m`` and ``s = +1`` outside them, ``u(t_0) = u0`` and ``f(t_0) = f0``.
Each piece is split where ``u`` crosses zero, so that on every *segment* ``u`` has one sign
``sgn`` and ``|u|`` is monotone; the segment stores its anchor (the end where ``|u|`` is
smallest, see :mod:`lab.functions.pieces`), ``|u|`` and ``f`` there, and its rate ``ρ``.

Consequences used by :mod:`lab.functions.controlled`: on each segment f is monotone (and
convex or concave), so ``inf f`` is the least of the values at the segment ends and the two
tail limits, and ``{f <= c}`` meets each segment in one interval found by monotone root
finding.

Examples
--------
>>> import mpmath
>>> with mpmath.workdps(30):
...     table = build_table(1.0, 1.0, (0.0,), (), u0=0.0, f0=0.0)
>>> [(float(s.lo), float(s.hi), s.sgn) for s in table]     # the witness: zero at 0
[(-inf, 0.0, -1), (0.0, inf, 1)]
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import mpmath

from lab.functions.pieces import abs_u_mp, distance_to_zero_mp, integral_mp

#: extra digits for the one formula that cancels (a stretch whose |u| falls without reaching 0)
_GUARD_DIGITS = 30


@dataclass(frozen=True)
class Segment:
    """One stretch with constant control and one sign of u (mpmath numbers).

    Attributes
    ----------
    lo, hi : mpf
        Ends (``-inf``/``+inf`` for the tails).
    anchor : mpf
        Where ``|u|`` is smallest on the stretch (an end, or the zero of u).
    a : mpf
        ``|u(anchor)|``.
    rho : mpf
        Rate: ``|u|' = ρ (L0 + L1|u|)``, ``ρ = sgn·σ``.
    sgn : int
        Sign of u on the stretch (+1 where u is identically 0).
    f_anchor : mpf
        ``f(anchor)``.
    sigma : float
        The control on the stretch.
    f_lo, f_hi : mpf
        f at the ends (limits at infinite ends; filled in by :func:`build_table`).
    """

    lo: object
    hi: object
    anchor: object
    a: object
    rho: object
    sgn: int
    f_anchor: object
    sigma: float
    f_lo: object = None
    f_hi: object = None

    def abs_u(self, x, L0, L1):
        """``|u(x)|`` for x in the stretch."""
        return abs_u_mp(self.a, self.rho, x - self.anchor, L0, L1)

    def f(self, x, L0, L1):
        """``f(x)`` for x in the stretch."""
        return self.f_anchor + self.sgn * integral_mp(self.a, self.rho, x - self.anchor, L0, L1)


def _sign(v) -> int:
    return 1 if v > 0 else (-1 if v < 0 else 0)


class _Builder:
    def __init__(self, L0: float, L1: float):
        self.L0, self.L1 = mpmath.mpf(L0), mpmath.mpf(L1)
        self.out: list[Segment] = []

    def add(self, lo, hi, anchor, a, rho, sgn, f_anchor, sigma):
        self.out.append(Segment(lo, hi, anchor, a, mpmath.mpf(rho), int(sgn), f_anchor,
                                float(sigma)))

    def ends(self, seg: Segment, b):
        """(signed u, f) at the right end b of a just-added stretch."""
        return seg.sgn * seg.abs_u(b, self.L0, self.L1), seg.f(b, self.L0, self.L1)

    def left_tail(self, t0, u0, f0):
        L0, L1 = self.L0, self.L1
        ninf = -mpmath.inf
        if u0 < 0 or (u0 == 0 and L0 > 0):
            self.add(ninf, t0, t0, abs(u0), -1, -1, f0, 1.0)
        elif u0 == 0:  # L0 = 0: u stays 0
            self.add(ninf, t0, t0, u0, 0, 1, f0, 1.0)
        elif L0 > 0:  # u > 0 at t0: it crossed zero at t0 - d, rising at full rate
            d = distance_to_zero_mp(u0, 1, L0, L1)
            z = t0 - d
            fz = f0 - integral_mp(mpmath.mpf(0), mpmath.mpf(1), d, L0, L1)
            self.add(ninf, z, z, mpmath.mpf(0), -1, -1, fz, 1.0)
            self.add(z, t0, z, mpmath.mpf(0), 1, 1, fz, 1.0)
        else:  # L0 = 0, u > 0: |u| decays towards -inf, anchored at t0 (no L0 terms)
            self.add(ninf, t0, t0, u0, 1, 1, f0, 1.0)

    def piece(self, a, b, sigma, ua, fa):
        """Add the stretches of [a, b] (b may be +inf); returns (u(b), f(b)) for finite b."""
        L0, L1 = self.L0, self.L1
        s = mpmath.mpf(sigma)
        zero = mpmath.mpf(0)
        if ua == 0:
            if s == 0 or L0 == 0:
                self.add(a, b, a, zero, 0, 1, fa, sigma)
                return zero, fa
            self.add(a, b, a, zero, abs(s), _sign(s), fa, sigma)
            return self._finish(b)
        sgn = _sign(ua)
        rho = sgn * s
        A = abs(ua)
        if rho >= 0:
            self.add(a, b, a, A, rho, sgn, fa, sigma)
            return self._finish(b)
        d = distance_to_zero_mp(A, -rho, L0, L1)
        if a + d < b:  # u reaches 0 inside: split there, both halves anchored at the zero
            z = a + d
            fz = fa - sgn * integral_mp(zero, rho, -d, L0, L1)
            self.add(a, z, z, zero, rho, sgn, fz, sigma)
            self.add(z, b, z, zero, abs(s), _sign(s), fz, sigma)
            return self._finish(b)
        if mpmath.isinf(b):  # only for L0 = 0: |u| decays towards +inf, anchored at a
            self.add(a, b, a, A, rho, sgn, fa, sigma)
            return None, None
        with mpmath.workdps(mpmath.mp.dps + _GUARD_DIGITS):
            ub = abs_u_mp(A, rho, b - a, L0, L1)
            fb = fa + sgn * integral_mp(A, rho, b - a, L0, L1)
        self.add(a, b, b, +ub, rho, sgn, +fb, sigma)
        return sgn * ub, fb

    def _finish(self, b):
        if mpmath.isinf(b):
            return None, None
        return self.ends(self.out[-1], b)


def build_table(L0: float, L1: float, knots, controls, *, u0: float, f0: float
                ) -> list[Segment]:
    """The segments of the member, left to right, at the working mpmath precision.

    Parameters are the validated member data (see :func:`lab.functions.controlled_member`).
    """
    bld = _Builder(L0, L1)
    ts = [mpmath.mpf(t) for t in knots]
    u, f = mpmath.mpf(u0), mpmath.mpf(f0)
    bld.left_tail(ts[0], u, f)
    for k, sigma in enumerate(controls):
        u, f = bld.piece(ts[k], ts[k + 1], sigma, u, f)
    bld.piece(ts[-1], mpmath.inf, 1.0, u, f)
    out = bld.out
    L0m, L1m = bld.L0, bld.L1
    for i, seg in enumerate(out):
        f_lo = tail_limit(seg, L0m, L1m, -1) if i == 0 else seg.f(seg.lo, L0m, L1m)
        f_hi = tail_limit(seg, L0m, L1m, 1) if i == len(out) - 1 else seg.f(seg.hi, L0m, L1m)
        out[i] = replace(seg, f_lo=f_lo, f_hi=f_hi)
    return out


def tail_limit(seg: Segment, L0, L1, direction: int):
    """``lim f`` towards ``direction`` (-1: x -> -inf on the left tail, +1: x -> +inf).

    ``+-inf`` when ``|u|`` does not decay outward; ``f(anchor) ± a/(|ρ| L1)`` when it decays
    exponentially (only possible with ``L0 = 0``); ``f(anchor)`` when u is identically 0.
    """
    if seg.a == 0 and seg.rho == 0:
        return seg.f_anchor
    outward = seg.rho * direction
    if outward < 0:  # decays outward: L0 = 0, |u| = a e^{-|ρ| L1 |τ|}
        return seg.f_anchor + seg.sgn * direction * seg.a / (abs(seg.rho) * L1)
    return seg.sgn * direction * mpmath.inf


def abs_u_limit(seg: Segment, direction: int):
    """``lim |u|`` on a tail towards ``direction``: ``inf`` if it grows, 0 if it decays."""
    if seg.a == 0 and seg.rho == 0:
        return mpmath.mpf(0)
    return mpmath.inf if seg.rho * direction > 0 else mpmath.mpf(0)
