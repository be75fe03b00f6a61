"""Explicit members from a designed run: the gradients at the iterates and the method.

Given ``g_0, ..., g_n > 0`` and the method's step ``h(g)``, the iterates are
``x_{k+1} = x_k - h(g_k) g_k``, computed with exactly the engine's float operations. The member
(:mod:`lab.functions.controlled`) is laid out left to right:

* left of ``x_n``: ``s = +1`` (u rises from its zero z, the minimizer, to ``g_n``); optionally a
  bump further left (``s = +1`` until ``|u| = m``, then ``s = 0``) so that
  ``M = sup{|f'| : f <= f(x_0)}`` equals a chosen m, and a stretch ``s = 0`` at ``u = g_n`` that
  raises Δ to a chosen value;
* a plateau ``s = 0`` of half-width w around every iterate (``f' = g_k`` there exactly, so a
  rounding error in an iterate changes nothing);
* between plateaus the lower envelope of :mod:`lab.adversary.transitions`: ``s = -1``, then
  ``s = 0`` while u = 0 if it gets there, then ``s = +1`` up to the next gradient;
* right of ``x_0``: ``s = +1``.

Switch points are computed in mpmath from the value u actually has at the start of each
interval (after the previous knots were rounded to floats), so rounding never accumulates.

Examples
--------
>>> import numpy as np
>>> from lab.methods import gd
>>> m = member_from_run(1.0, 0.0, gd(h=1.0), [1.5, 1.5, 1.5])
>>> np.round(m.member.grad([[x] for x in m.iterates])[:, 0], 12).tolist()
[1.5, 1.5, 1.5]
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from lab.functions.controlled import ControlledMember
from lab.functions.pieces import distance_to_zero_mp, rise_integral_mp

#: digits of the switch-point computations
_DPS = 40


@dataclass(frozen=True)
class DesignedRun:
    """A member built for a run, with the design it follows.

    Attributes
    ----------
    member : ControlledMember
    iterates : tuple of float
        The designed iterates ``x_0..x_n`` (the engine's float arithmetic).
    gradients : tuple of float
        The designed ``g_0..g_n``.
    plateau : float
        Half-width of the plateaus.
    """

    member: ControlledMember
    iterates: tuple
    gradients: tuple
    plateau: float


def _fall(v, t, L0, L1):
    if L1 == 0:
        return v - L0 * t
    c = L0 / L1
    return (v + c) * mpmath.exp(-L1 * t) - c


def _rise(v, t, L0, L1):
    if L1 == 0:
        return v + L0 * t
    c = L0 / L1
    return (v + c) * mpmath.exp(L1 * t) - c


def _meet(a, b, length, L0, L1):
    if L1 == 0:
        return (length + (a - b) / L0) / 2
    c = L0 / L1
    return (length + mpmath.log((a + c) / (b + c)) / L1) / 2


class _Layout:
    """Knots and controls, appended left to right, with u tracked in mpmath."""

    def __init__(self, L0, L1, start, u0):
        self.L0, self.L1 = mpmath.mpf(L0), mpmath.mpf(L1)
        self.knots, self.controls = [float(start)], []
        self.u = mpmath.mpf(u0)

    def add(self, end, control: float, *, down: bool = False) -> None:
        """Append a piece up to ``end`` (rounded to nearest, or towards -inf with ``down``)."""
        end = float(end) if not down else _float_below(end)
        if end <= self.knots[-1]:
            return
        length = mpmath.mpf(end) - mpmath.mpf(self.knots[-1])
        if control == 1:
            self.u = self._signed_rise(length)
        elif control == -1:
            self.u = _fall(self.u, length, self.L0, self.L1)
        self.knots.append(end)
        self.controls.append(float(control))

    def _signed_rise(self, length):
        u, L0, L1 = self.u, self.L0, self.L1
        if u >= 0:
            return _rise(u, length, L0, L1)
        t0 = distance_to_zero_mp(-u, 1, L0, L1)
        if length <= t0:
            return -_fall(-u, length, L0, L1)
        return _rise(mpmath.mpf(0), length - t0, L0, L1)

    def dip_to(self, end: float, target) -> None:
        """The lower envelope from the current u to ``target`` at ``end``."""
        a, L0, L1 = self.u, self.L0, self.L1
        left = mpmath.mpf(self.knots[-1])
        length = mpmath.mpf(end) - left
        ta = distance_to_zero_mp(a, 1, L0, L1)
        tb = distance_to_zero_mp(target, 1, L0, L1)
        if ta + tb <= length:
            # round the fall's end down: u stays (just) positive, f stays monotone
            self.add(left + ta, -1.0, down=True)
            self.add(mpmath.mpf(end) - tb, 0.0)
        else:
            t = min(max(_meet(a, target, length, L0, L1), 0), length)
            self.add(left + t, -1.0)
        self.add(end, 1.0)


def member_from_run(L0: float, L1: float, method, gradients, *, x0: float = 0.0,
                    plateau: float | None = None, sup_grad: float | None = None,
                    extra_gap: float = 0.0) -> DesignedRun:
    """Build the member of the module docstring for a designed run.

    Parameters
    ----------
    L0, L1 : float
        The class.
    method : Method
        The method (its ``step`` gives ``h(g)`` as the engine computes it).
    gradients : sequence of float
        ``g_0..g_n``, all positive.
    x0 : float
        The start.
    plateau : float, optional
        Half-width of the plateaus (default: ``1e-6`` times the shortest step).
    sup_grad : float, optional
        Make ``M`` equal this value (must be ``>= max g``) with a bump left of the minimizer.
    extra_gap : float
        Raise Δ by this much (a stretch ``s = 0`` at ``u = g_n`` left of ``x_n``).
    """
    g = np.asarray(gradients, dtype=np.float64)
    h = np.asarray(method.step(g), dtype=np.float64)
    xs = [float(x0)]
    for k in range(g.size - 1):
        xs.append(float(np.float64(xs[-1]) - h[k] * g[k]))
    steps = -np.diff(xs)
    w = float(plateau if plateau is not None else 1e-6 * (steps.min() if steps.size else 1.0))
    with mpmath.workdps(_DPS):
        L0m, L1m = mpmath.mpf(L0), mpmath.mpf(L1)
        gn = mpmath.mpf(g[-1])
        left_edge = mpmath.mpf(xs[-1]) - w - mpmath.mpf(extra_gap) / gn
        start_u = gn
        start = left_edge
        if sup_grad is not None and sup_grad > 0:
            m = mpmath.mpf(sup_grad)
            zero = left_edge - distance_to_zero_mp(gn, 1, L0m, L1m)
            rise_start = zero - distance_to_zero_mp(m, 1, L0m, L1m)
            gap_bound = _gap_estimate(g, steps, L0m, L1m) + mpmath.mpf(extra_gap)
            flat = max(gap_bound - rise_integral_mp(m, L0m, L1m), 0) / m * 2 + w
            start, start_u = rise_start - flat, -m
        lay = _Layout(L0m, L1m, start, start_u)
        if start_u < 0:
            lay.add(_float_above(rise_start, lay.knots[-1]), 0.0)
            lay.add(left_edge, 1.0)
        lay.add(xs[-1] - w, 0.0)
        for k in range(g.size - 1, -1, -1):
            lay.add(xs[k] + w, 0.0)
            if k:
                lay.dip_to(xs[k - 1] - w, mpmath.mpf(g[k - 1]))
        member = ControlledMember(L0, L1, knots=lay.knots, controls=lay.controls,
                                  u0=float(start_u))
    return DesignedRun(member, tuple(xs), tuple(float(v) for v in g), w)


def _float_below(value) -> float:
    v = float(value)
    return v if mpmath.mpf(v) <= value else float(np.nextafter(v, -np.inf))


def _float_above(value, floor: float) -> float:
    v = float(value)
    return v if v > floor else float(np.nextafter(floor, np.inf))


def _gap_estimate(g, steps, L0, L1):
    """An upper estimate of Δ of the run (no dips): enough to size the flat of the bump."""
    return mpmath.mpf(float(np.sum(g[:-1] * steps))) + rise_integral_mp(
        mpmath.mpf(float(g[-1])), L0, L1) + 1


def cycle_member(L0: float, L1: float, method, grad: float, *, plateau: float | None = None
                 ) -> DesignedRun:
    """An even member on which the method cycles between ``±x_a``, ``x_a = h(g) g/2``.

    ``u`` rises at full rate from 0 (at x = 0) to ``±g`` and stays there (plateaus) out to
    ``±(x_a + w)``; from ``x_0 = x_a`` the method steps to ``x_a - h(g) g = -x_a`` and back,
    forever: ``T_ε = ∞`` for every ``ε < g``, with ``M = g``. Needs the rise time ``t(g)``
    below ``x_a - w``.

    Examples
    --------
    >>> from lab.methods import gd
    >>> run = cycle_member(1.0, 1.0, gd(h=4.0), 2.0)
    >>> run.iterates
    (4.0, -4.0)
    """
    g = float(grad)
    h = float(np.asarray(method.step([g]), dtype=np.float64)[0])
    xa = h * g / 2
    w = float(plateau if plateau is not None else 1e-6 * xa)
    with mpmath.workdps(_DPS):
        t = float(distance_to_zero_mp(mpmath.mpf(g), 1, mpmath.mpf(L0), mpmath.mpf(L1)))
    if not t < xa - w:
        raise ValueError(f"no cycle: the rise to g = {g!r} needs {t!r} > x_a - w = {xa - w!r}")
    knots = [-(xa + w), -t, t, xa + w]
    member = ControlledMember(L0, L1, knots=knots, controls=[0.0, 1.0, 0.0], u0=-g)
    return DesignedRun(member, (xa, -xa), (g, -g), w)
