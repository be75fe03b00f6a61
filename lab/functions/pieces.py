"""Closed forms of the whole-class members on one piece: ``u' = s (L0 + L1|u|)``, s constant.

On a stretch where the control ``s = σ`` is constant and ``u = f'`` keeps one sign ``sgn``,
``|u|`` solves ``|u|' = ρ (L0 + L1|u|)`` with the *rate* ``ρ = sgn·σ`` in [-1, 1]. From an
anchor point ``p`` with ``|u(p)| = a`` the solution and its integral are, with ``τ = x - p``
and ``z = ρ L1 τ``,

    |u(x)|            = a e^z + L0 ρ τ E(z),          E(z) = (e^z - 1)/z,    E(0) = 1,
    ∫_p^x |u(t)| dt   = a τ E(z) + L0 ρ τ² Q(z),      Q(z) = (e^z - 1 - z)/z², Q(0) = 1/2,

and ``f(x) = f(p) + sgn ∫_p^x |u|``. For ``L1 = 0`` these are the polynomials
``|u| = a + L0 ρ τ`` and ``∫|u| = a τ + L0 ρ τ²/2`` (the same formulas at ``z = 0``). Check:
``d/dτ [a e^z + L0 ρ τ E(z)] = ρ L1 a e^z + ρ L0 e^z = ρ (L0 + L1 |u|)``.

**No cancellation by construction.** Each stretch is anchored at the end where ``|u|`` is
smallest (the zero of ``u`` when the stretch ends at one), so ``ρ τ >= 0`` on it and every
term above is non-negative; the only exception is a tail with ``L0 = 0`` on which ``|u|``
decays towards infinity, where the ``L0`` terms vanish. So float64 evaluation is accurate to
a few ulps of ``|u|`` and of ``∫|u|`` (``Q`` uses its Taylor series for ``|z| < 1/2``).

Examples
--------
>>> import numpy as np
>>> float(q_numpy(np.array([0.0]))[0]), float(e_numpy(np.array([0.0]))[0])
(0.5, 1.0)
>>> abs_u = abs_u_numpy(a=np.array([1.0]), rho=np.array([1.0]), tau=np.array([0.5]),
...                     L0=1.0, L1=2.0)
>>> round(float(abs_u[0]), 12) == round(1.5 * np.e - 0.5, 12)   # (a + L0/L1) e^{L1 τ} - L0/L1
True
"""

from __future__ import annotations

import math

import mpmath
import numpy as np

#: Below this |z| the Taylor series of Q is used (17 terms: error < 1e-22 relative).
_Q_SERIES_BELOW = 0.5
_Q_TERMS = tuple(1.0 / math.factorial(k + 2) for k in range(17))


def e_numpy(z: np.ndarray) -> np.ndarray:
    """``E(z) = expm1(z)/z`` with ``E(0) = 1`` (NumPy, elementwise)."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(all="ignore"):
        safe = np.where(z == 0.0, 1.0, z)
        return np.where(z == 0.0, 1.0, np.expm1(safe) / safe)


def q_numpy(z: np.ndarray) -> np.ndarray:
    """``Q(z) = (e^z - 1 - z)/z²`` with ``Q(0) = 1/2`` (NumPy, elementwise)."""
    z = np.asarray(z, dtype=np.float64)
    with np.errstate(all="ignore"):
        series = np.zeros_like(z)
        for c in reversed(_Q_TERMS):
            series = series * z + c
        safe = np.where(np.abs(z) < _Q_SERIES_BELOW, 1.0, z)
        direct = (np.expm1(safe) - safe) / (safe * safe)
        return np.where(np.abs(z) < _Q_SERIES_BELOW, series, direct)


def abs_u_numpy(*, a, rho, tau, L0: float, L1: float) -> np.ndarray:
    """``|u|`` at ``τ = x - p`` from the anchor value ``a = |u(p)|`` and rate ``ρ``."""
    with np.errstate(all="ignore"):
        z = rho * L1 * tau
        return a * np.exp(z) + L0 * rho * tau * e_numpy(z)


def integral_numpy(*, a, rho, tau, L0: float, L1: float) -> np.ndarray:
    """``∫_p^{p+τ} |u|`` (signed like ``τ``)."""
    with np.errstate(all="ignore"):
        z = rho * L1 * tau
        return a * tau * e_numpy(z) + L0 * rho * tau * tau * q_numpy(z)


def _extra_bits(z) -> int:
    """Bits lost to the cancellation in ``e^z - 1`` (about ``-log2|z|``), plus a margin."""
    return 12 + max(0, -int(mpmath.mag(z)))


def e_mp(z):
    """``E(z) = (e^z - 1)/z`` in mpmath, with extra digits for the cancellation of
    ``e^z - 1`` (about ``-log10|z|`` of them; mpmath's ``expm1`` is much slower)."""
    if z == 0:
        return mpmath.mpf(1)
    with mpmath.workprec(mpmath.mp.prec + _extra_bits(z)):
        value = (mpmath.exp(z) - 1) / z
    return +value


def q_mp(z):
    """``Q(z)`` in mpmath, computed with enough extra digits to absorb the cancellation of
    ``e^z - 1 - z`` (about ``-log10|z|`` digits)."""
    if z == 0:
        return mpmath.mpf(1) / 2
    with mpmath.workprec(mpmath.mp.prec + 2 * _extra_bits(z)):
        value = (mpmath.exp(z) - 1 - z) / (z * z)
    return +value


def abs_u_mp(a, rho, tau, L0, L1):
    """``|u|`` in mpmath (arguments mpmath numbers)."""
    z = rho * L1 * tau
    return a * mpmath.exp(z) + L0 * rho * tau * e_mp(z)


def integral_mp(a, rho, tau, L0, L1):
    """``∫_p^{p+τ} |u|`` in mpmath."""
    z = rho * L1 * tau
    return a * tau * e_mp(z) + L0 * rho * tau * tau * q_mp(z)


def distance_to_zero_mp(a, rate, L0, L1):
    """Length over which ``|u|`` falls from ``a`` to 0 at rate ``|ρ| = rate`` (``inf`` if never).

    ``|u|`` falls as ``(a + L0/L1) e^{-rate L1 t} - L0/L1``: zero at
    ``t = log1p(L1 a/L0)/(rate L1)``; for ``L1 = 0`` at ``t = a/(rate L0)``.
    """
    if rate == 0 or L0 == 0:
        return mpmath.inf
    if L1 == 0:
        return a / (rate * L0)
    return mpmath.log1p(L1 * a / L0) / (rate * L1)  # log1p: no cancellation for small a


def rise_integral_mp(v, L0, L1):
    """``∫|u|`` while ``|u|`` rises from 0 to ``v`` at full rate (s = ±1).

    ``= v/L1 - (L0/L1²) log1p(L1 v/L0)`` (``v²/(2 L0)`` for ``L1 = 0``, ``v/L1`` for
    ``L0 = 0``): the least increase of f that carries ``|f'|`` from 0 to ``v``.
    """
    if L0 == 0:  # |u| = v e^{L1 (x - p)}: rises from 0 only over the whole half-line
        return v / L1
    t = distance_to_zero_mp(v, 1, L0, L1)
    return integral_mp(mpmath.mpf(0), mpmath.mpf(1), t, L0, L1)
