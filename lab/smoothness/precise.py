"""Both sides of the (L0,L1) condition at one point, in high precision (mpmath).

float64 can flip a verdict: cancellation (``e^60 - (e^60 - 1)``), overflow (``exp(exp(7))``)
and rounding near a tie. A violation the numeric search finds in float64 is therefore
re-evaluated here at :data:`DIGITS` significant digits, at the *exact* binary value of the
float point (no rounding of the point to a nearby rational), from the objective's sympy
definition: explicit functions through their gradient and Hessian expressions, ridge and
radial functions through their profile. Other objective types have no high-precision form
(:func:`precise_sides` returns None) and their verdicts say so.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Sequence

import mpmath
import numpy as np
import sympy as sp

from lab.formula import exact_decimal as exact_number
from lab.functions.base import T, ExplicitObjective, Objective, RadialObjective, RidgeObjective

#: Significant digits of the high-precision evaluation.
DIGITS = 50
#: Relative gap below which two high-precision numbers count as equal (a tie is no violation).
TIE = mpmath.mpf(10) ** (-(DIGITS - 10))


@dataclass(frozen=True)
class PreciseSides:
    """``||∇²f(x)||`` and ``||∇f(x)||`` at one point, as mpmath numbers (``defined`` False
    when a value is not a finite real number there: f is not twice differentiable or not
    real-valued at the point)."""

    hess_norm: mpmath.mpf
    grad_norm: mpmath.mpf
    defined: bool

    def excess(self, L0: float, L1: float) -> mpmath.mpf:
        """``||∇²f|| - L1||∇f|| - L0`` (at the working precision)."""
        with mpmath.workdps(DIGITS):
            return self.hess_norm - mpmath.mpf(L1) * self.grad_norm - mpmath.mpf(L0)

    def violates(self, L0: float, L1: float) -> bool:
        """True when ``||∇²f|| > L0 + L1||∇f||`` beyond a tie at :data:`DIGITS` digits."""
        if not self.defined:
            return False
        with mpmath.workdps(DIGITS):
            rhs = mpmath.mpf(L0) + mpmath.mpf(L1) * self.grad_norm
            return self.hess_norm - rhs > TIE * max(abs(rhs), abs(self.hess_norm), 1)


@functools.lru_cache(maxsize=64)
def _mp_function(args: tuple[sp.Symbol, ...], exprs: tuple[sp.Expr, ...]):
    return sp.lambdify(list(args), list(exprs), modules="mpmath")


def _real(value) -> mpmath.mpf | None:
    value = mpmath.mpmathify(value)
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            return None
        value = value.real
    return value if mpmath.isfinite(value) else None


def _call(args, exprs, values) -> list | None:
    try:
        with mpmath.workdps(DIGITS):
            out = _mp_function(tuple(args), tuple(exprs))(*values)
    except (ZeroDivisionError, ValueError, OverflowError, TypeError):
        return None
    return [_real(v) for v in out]


def precise_sides(fn: Objective, point: Sequence[float]) -> PreciseSides | None:
    """Both norms at ``point`` in high precision, or None for objective types without a
    symbolic definition the lab can evaluate.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> s = precise_sides(get_function("exp"), [700.5])  # e^700.5: fine in float64 too
    >>> s.defined, s.violates(0.0, 1.0), s.violates(0.0, 0.999)
    (True, False, True)
    >>> precise_sides(get_function("quartic"), [2.0]).hess_norm
    mpf('48.0')
    """
    x = [mpmath.mpf(float(c)) for c in np.ravel(point)]  # the float's exact binary value
    if isinstance(fn, ExplicitObjective):
        return _explicit(fn, x)
    if isinstance(fn, RidgeObjective):
        return _ridge(fn, x)
    if isinstance(fn, RadialObjective):
        return _radial(fn, x)
    return None


def _undefined() -> PreciseSides:
    return PreciseSides(mpmath.mpf("nan"), mpmath.mpf("nan"), False)


def _explicit(fn: ExplicitObjective, x) -> PreciseSides:
    flat = [e for row in fn.hessian_exprs for e in row]
    values = _call(fn.variables, fn.gradient_exprs + flat, x)
    if values is None or any(v is None for v in values):
        return _undefined()
    d = fn.dim
    with mpmath.workdps(DIGITS):
        grad, hess = values[:d], values[d:]
        H = mpmath.matrix([[hess[i * d + j] for j in range(d)] for i in range(d)])
        eigs = mpmath.eigsy(H, eigvals_only=True) if d > 1 else [H[0, 0]]
        return PreciseSides(max(abs(e) for e in eigs), mpmath.sqrt(sum(g**2 for g in grad)),
                            True)


def _ridge(fn: RidgeObjective, x) -> PreciseSides:
    with mpmath.workdps(DIGITS):
        a = [mpmath.mpf(float(c)) for c in fn.direction]
        t = mpmath.fsum(ai * xi for ai, xi in zip(a, x))
        norm_a = mpmath.sqrt(mpmath.fsum(ai**2 for ai in a))
    values = _call([T], fn.profile_derivatives[1:], [t])
    if values is None or any(v is None for v in values):
        return _undefined()
    h1, h2 = values
    with mpmath.workdps(DIGITS):
        return PreciseSides(abs(h2) * norm_a**2, abs(h1) * norm_a, True)


def _radial(fn: RadialObjective, x) -> PreciseSides:
    with mpmath.workdps(DIGITS):
        s = mpmath.fsum(xi**2 for xi in x)
    values = _call([T], fn.profile_derivatives[1:], [s])
    if values is None or any(v is None for v in values):
        return _undefined()
    h1, h2 = values
    with mpmath.workdps(DIGITS):
        radial = abs(2 * h1 + 4 * s * h2)
        hess = max(radial, abs(2 * h1)) if fn.dim > 1 else radial
        return PreciseSides(hess, 2 * abs(h1) * mpmath.sqrt(s), True)


def value_is_real(fn: Objective, point: Sequence[float]) -> bool | None:
    """Whether f(point) is a finite real number in high precision (None: cannot tell).

    Examples
    --------
    >>> from lab.functions.parse import objective_from_text
    >>> f = objective_from_text("x^y")
    >>> value_is_real(f, [-2.0, 0.5]), value_is_real(f, [2.0, 0.5])
    (False, True)
    """
    if not isinstance(fn, ExplicitObjective):
        return None
    values = _call(fn.variables, [fn.expr], [mpmath.mpf(float(c)) for c in np.ravel(point)])
    return values is not None and values[0] is not None


def show(value: mpmath.mpf, digits: int = 10) -> str:
    """A number for people: ``%.{digits}g`` in float range, mpmath's notation beyond it.

    Examples
    --------
    >>> show(mpmath.mpf(48)), show(mpmath.mpf(10) ** 400)
    ('48', '1.0e+400')
    """
    value = mpmath.mpf(value)
    if mpmath.isfinite(value) and abs(value) < 1e300 and (value == 0 or abs(value) > 1e-300):
        return f"{float(value):.{digits}g}"
    return mpmath.nstr(value, digits)


def show_pair(lhs: mpmath.mpf, rhs: mpmath.mpf) -> tuple[str, str]:
    """Both sides with enough digits that the printed numbers differ (10 to DIGITS - 5).

    Examples
    --------
    >>> show_pair(mpmath.mpf(16) + mpmath.mpf(10) ** -12, mpmath.mpf(16))
    ('16.000000000001', '16')
    """
    for digits in range(10, DIGITS - 4):
        a, b = show(lhs, digits), show(rhs, digits)
        if a != b:
            return a, b
    return show(lhs, DIGITS - 5), show(rhs, DIGITS - 5)
