"""High-precision evaluation of class members: working digits and rising-precision refinement.

A member's value and derivatives are evaluated with mpmath from its sympy definition. A
difference of nearly equal terms (``f(x0) - f*`` for cosh at ``x0 = 1e-46``, ``e^t - t - 1``
at tiny t) cancels in float64 and even at a fixed number of digits; :func:`refine` raises the
precision until two consecutive evaluations agree.

Examples
--------
>>> import mpmath
>>> (v,) = refine(lambda: (mpmath.cosh(mpmath.mpf(1e-30)) - 1,))
>>> mpmath.nstr(v, 5)
'5.0e-61'
"""

from __future__ import annotations

import mpmath

#: Working precision (decimal digits) of the high-precision checks.
DPS = 60

#: A zero is only trusted once this many digits agree on it (x may be subnormal: x² ~ 1e-647).
ZERO_DPS = 1500


def _close(a, b) -> bool:
    if a == b:
        return a != 0 or mpmath.mp.dps >= ZERO_DPS
    return abs(a - b) <= mpmath.mpf(10) ** -20 * max(abs(a), abs(b))


def digits_for(scale, small) -> int:
    """Digits that resolve differences of size ``small`` between terms of size ``scale``
    with :data:`DPS` digits to spare.

    Examples
    --------
    >>> digits_for(1.0, 1e-100)
    160
    """
    scale, small = abs(mpmath.mpf(scale)), abs(mpmath.mpf(small))
    if not small > 0 or not mpmath.isfinite(scale) or scale <= small:
        return DPS
    return int(min(4000, DPS + int(mpmath.ceil(mpmath.log10(scale) - mpmath.log10(small)))))


def refine(compute, dps: int = DPS, cap: int = 4000):
    """Evaluate ``compute()`` (a tuple of mpmath numbers) at rising precision, from ``dps``,
    until two consecutive precisions agree to 20 digits (a zero only from 1500 digits on).

    This catches cancellation *inside* a formula (such as ``e^t - 1`` at tiny t). A
    difference of terms that round to the same value at both precisions is not caught:
    callers start at :func:`digits_for` of the terms and of the size they must resolve.

    Examples
    --------
    >>> t = 1e-45
    >>> (v,) = refine(lambda: (mpmath.exp(mpmath.mpf(t)) - mpmath.mpf(t) - 1,))
    >>> mpmath.nstr(v, 5)
    '5.0e-91'
    """
    prev = None
    while True:
        with mpmath.workdps(dps):
            cur = tuple(compute())
            if prev is not None and all(_close(+a, +b) for a, b in zip(prev, cur)):
                return cur
        if dps >= cap:
            return cur
        prev, dps = cur, min(cap, 2 * dps)


def mp_value(x) -> mpmath.mpf:
    """An exact float as an mpmath number.

    Examples
    --------
    >>> mp_value(0.5)
    mpf('0.5')
    """
    return mpmath.mpf(float(x))
