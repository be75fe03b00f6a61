"""Exact univariate interpolation between two points of a member (vectorized NumPy).

Between two points at distance ℓ where ``u = f'`` takes the values ``a > 0`` (left) and
``b > 0`` (right), which values of ``∫u`` can a member of the (L0, L1) class take, and
which keep ``u >= 0`` (f monotone)? By the comparison principle for ``u' = s(L0 + L1|u|)``,
``|s| <= 1``, every admissible u lies above the *lower envelope*

    max(fall from a at full rate, fall from b backwards at full rate, 0),

and that envelope is itself admissible (bang-bang: ``s = -1``, then ``s = 0`` while u = 0 if
the two falls reach zero, then ``s = +1``). So the least ``∫u`` with ``u >= 0`` is the
envelope's integral :func:`least_integral`, and b is reachable from a iff
``fall(a, ℓ) <= b <= rise(a, ℓ)`` (:func:`meeting_time` in [0, ℓ]).

With ``c = L0/L1`` the fall from v lasts ``log1p(v/c)/L1`` (``v/L0`` for L1 = 0) and costs
``∫ = v/L1 - (c/L1) log1p(v/c)``; the two falls of a non-clamped dip meet after
``t = (ℓ + log((a + c)/(b + c))/L1)/2`` (``(ℓ + (a - b)/L0)/2`` for L1 = 0), at the bottom
value ``m = (a + c) e^{-L1 t} - c``; the dip's integral is summed from the bottom outwards
(:mod:`lab.functions.pieces`), a sum of non-negative terms.

Examples
--------
>>> import numpy as np
>>> # L1 = 0, a = b = 1, ℓ = 1, L0 = 1: the dip reaches 1/2 in the middle: ∫ = 1 - 1/4
>>> float(least_integral(np.array(1.0), np.array(1.0), np.array(1.0), 1.0, 0.0))
0.75
"""

from __future__ import annotations

import numpy as np

from lab.functions.pieces import e_numpy, q_numpy


def fall_time(v, L0: float, L1: float):
    """Length over which ``|u|`` falls from v to 0 at full rate (``inf`` when L0 = 0)."""
    v = np.asarray(v, dtype=np.float64)
    with np.errstate(all="ignore"):
        if L0 == 0:
            return np.full_like(v, np.inf)
        if L1 == 0:
            return v / L0
        return np.log1p(L1 * v / L0) / L1


def rise_cost(v, L0: float, L1: float):
    """``∫|u|`` while ``|u|`` goes between 0 and v at full rate (``v/L1`` when L0 = 0)."""
    v = np.asarray(v, dtype=np.float64)
    with np.errstate(all="ignore"):
        if L0 == 0:
            return v / L1
        t = fall_time(v, L0, L1)
        return L0 * t * t * q_numpy(L1 * t)


def fall(v, t, L0: float, L1: float):
    """``|u|`` after falling for time t from v at full rate (may be negative past the zero)."""
    with np.errstate(all="ignore"):
        return v * np.exp(-L1 * t) - L0 * t * e_numpy(-L1 * t)


def rise(v, t, L0: float, L1: float):
    """``|u|`` after rising for time t from v at full rate."""
    with np.errstate(all="ignore"):
        return v * np.exp(L1 * t) + L0 * t * e_numpy(L1 * t)


def meeting_time(a, b, length, L0: float, L1: float):
    """Time of the switch from falling (from a) to rising (to b) of the lower envelope.

    b is reachable from a over ``length`` iff the result lies in ``[0, length]``.
    """
    a, b, length = (np.asarray(v, dtype=np.float64) for v in (a, b, length))
    with np.errstate(all="ignore"):
        if L1 == 0:
            return (length + (a - b) / L0) / 2
        c = L0 / L1
        return (length + np.log1p((a - b) / (b + c)) / L1) / 2


def least_integral(a, b, length, L0: float, L1: float):
    """Least ``∫u`` over ``length`` with ``u = a`` and ``b`` at the ends and ``u >= 0``.

    ``inf`` where b is not reachable from a (see :func:`meeting_time`).
    """
    a, b, length = np.broadcast_arrays(*(np.asarray(v, dtype=np.float64) for v in (a, b, length)))
    with np.errstate(all="ignore"):
        ta, tb = fall_time(a, L0, L1), fall_time(b, L0, L1)
        clamped = ta + tb <= length
        t = meeting_time(a, b, length, L0, L1)
        feasible = (t >= 0) & (t <= length)
        s = length - t
        m = np.maximum(fall(a, t, L0, L1), 0.0)
        dip = (m * (t * e_numpy(L1 * t) + s * e_numpy(L1 * s))
               + L0 * (t * t * q_numpy(L1 * t) + s * s * q_numpy(L1 * s)))
        touch = rise_cost(a, L0, L1) + rise_cost(b, L0, L1)
        out = np.where(clamped, touch, dip)
        return np.where(feasible | clamped, out, np.inf)
