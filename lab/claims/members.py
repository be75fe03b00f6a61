"""Function classes of the claims: zoo members with known (L0, L1) and f*, and how to draw them.

A :class:`Member` is one univariate zoo function together with constants (L0, L1) that are
valid for it (from its stated frontier: L0 = the smallest valid L0 for the chosen L1, or a
larger L0 where the smallest is 0 and a claim needs L0 > 0), its infimum ``f*``, and its
value and derivative in high precision (mpmath, from the zoo's own sympy definition).

Every member here is convex and either even about its minimizer 0 or monotone, so the
sublevel set ``{f <= f(x0)}`` is ``[-|x0|, |x0|]`` or a half-line ending at x0, and
``M = sup{|f'| on it} = |f'(x0)|`` (|f'| grows away from the minimizer).

The strategies draw the member's parameters from short lists (so the compiled objectives are
cached and reused) and the start point from a continuous range chosen so that ``L1 |x0|``
stays below about 8 (no overflow, moderate bounds).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from hypothesis import strategies as st

from lab.functions import Objective, get_function
from lab.functions.base import T, ExplicitObjective, RadialObjective, RidgeObjective
from lab.smoothness import frontier_l0

#: Working precision (decimal digits) of the high-precision checks.
DPS = 60

_X = sp.Symbol("x", real=True)

#: A zero is only trusted once this many digits agree on it (x may be subnormal: x² ~ 1e-647).
_ZERO_DPS = 1500


def _close(a, b) -> bool:
    if a == b:
        return a != 0 or mpmath.mp.dps >= _ZERO_DPS
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


def univariate_expr(obj: Objective) -> sp.Expr:
    """The sympy expression of a 1-D objective in the symbol ``x``.

    Examples
    --------
    >>> univariate_expr(get_function("logistic", d=1, scale=2.0))
    log(1 + exp(-2.0*x))
    """
    if obj.dim != 1:
        raise ValueError(f"{obj!r} is not univariate")
    if isinstance(obj, ExplicitObjective):
        return obj.expr.subs(obj.variables[0], _X)
    if isinstance(obj, RidgeObjective):
        return obj.profile.subs(T, float(obj.direction[0]) * _X)
    if isinstance(obj, RadialObjective):
        return obj.profile.subs(T, _X**2)
    raise ValueError(f"no univariate form for {obj!r}")


@lru_cache(maxsize=512)
def _mp_functions(obj: Objective):
    expr = univariate_expr(obj)
    f = sp.lambdify([_X], expr, modules="mpmath")
    g = sp.lambdify([_X], sp.diff(expr, _X), modules="mpmath")
    h = sp.lambdify([_X], sp.diff(expr, _X, 2), modules="mpmath")
    return f, g, h


@lru_cache(maxsize=512)
def _zoo(name: str, params: tuple) -> Objective:
    return get_function(name, **dict(params))


@dataclass(frozen=True)
class Member:
    """One class member: a 1-D zoo function with valid constants (L0, L1) and its infimum.

    Attributes
    ----------
    objective : Objective
    L0, L1 : float
        Constants valid for it (taken from the zoo's frontier, never fitted).
    f_star : float
        ``inf f``.
    x_range : float
        Start points are drawn in ``[-x_range, x_range]`` (or ``[-x_range, x_range/4]`` for
        the increasing exp-type members).
    """

    objective: Objective
    L0: float
    L1: float
    f_star: float
    x_range: float

    @property
    def label(self) -> str:
        """``get_function(...) with (L0, L1) = (..)``."""
        return f"{self.objective!r} with (L0, L1) = ({self.L0:.6g}, {self.L1:.6g})"

    def mp(self):
        """``(f, f', f'')`` evaluated with mpmath (call under ``mpmath.workdps``)."""
        return _mp_functions(self.objective)

    def gap(self, x0: float) -> float:
        """``Δ = f(x0) - f*``, computed in high precision and then rounded.

        Float64 would cancel: for cosh at x0 = 1e-46 it gives Δ = 0 (and a zero bound).
        """
        f = self.mp()[0]
        (delta,) = refine(lambda: (f(mpmath.mpf(x0)) - mpmath.mpf(self.f_star),))
        return float(delta)

    def grad_abs(self, x0: float) -> float:
        """``|f'(x0)|`` (float64)."""
        return float(self.objective.grad_norm([[x0]])[0])

    def sublevel_sup_grad(self, x0: float) -> float:
        """``M = sup |f'|`` on ``{f <= f(x0)}``: ``|f'(x0)|`` for these even/monotone members."""
        return max(self.grad_abs(x0), self.grad_abs(-x0)) if self.even else self.grad_abs(x0)

    @property
    def even(self) -> bool:
        """Whether the member is even about its minimizer 0."""
        return self.objective.name not in ("exp", "logistic", "exp_ridge")


def make_member(name: str, *, L1: float | None = None, L0: float | None = None,
                **params) -> Member:
    """A member from a zoo name: L0 defaults to the smallest valid L0 for L1 (frontier).

    Raises ValueError when (L0, L1) is not valid for the function (by its stated frontier).

    Examples
    --------
    >>> m = make_member("quartic", L1=2.0)
    >>> m.L0, m.f_star
    (4.0, 0.0)
    """
    obj = _zoo(name, tuple(sorted(params.items())))
    frontier = obj.info.frontier
    if L1 is None:
        L1 = float(obj.params.get("L1", frontier.l1_min))
    l0_min = frontier_l0(obj, L1)
    if not np.isfinite(l0_min):
        raise ValueError(f"L1 = {L1} is not valid for {obj!r}")
    if L0 is None:
        L0 = l0_min
    elif L0 < l0_min:
        raise ValueError(f"L0 = {L0} < {l0_min} is not valid for {obj!r} at L1 = {L1}")
    x_range = 8.0 / L1 if L1 > 0 else 8.0
    if name == "quartic":
        x_range = min(x_range, 3.0)
    if name in ("norm_power",):
        x_range = min(x_range, 1.6)
    return Member(obj, float(L0), float(L1), float(obj.info.f_star), float(x_range))


# --- strategies -------------------------------------------------------------------------

_L1S = (0.5, 1.0, 2.0, 4.0)
_BIG_L1S = (1.0, 2.0, 4.0)


@st.composite
def members(draw, *, positive_l0: bool = True, allow_l_smooth: bool = True) -> Member:
    """Draw a class member (see the module docstring for the list).

    ``positive_l0``: members whose smallest valid L0 is 0 get a drawn L0 > 0 instead
    (claims whose parameters divide by L0, like Theorem 3).
    """
    kind = draw(st.sampled_from(["witness", "quartic", "cosh", "exp_sum", "log_exp_sum",
                                 "exp", "logistic", "norm_power"]))
    if kind == "witness":
        a = draw(st.sampled_from((0.5, 1.0, 4.0)))
        b = draw(st.sampled_from(_L1S))
        return witness_member(a, b)
    if kind == "quartic":
        return make_member("quartic", L1=draw(st.sampled_from(_L1S)))
    if kind == "norm_power":
        return make_member("norm_power", L1=draw(st.sampled_from(_L1S)), d=1, n=3)
    if kind in ("cosh", "exp_sum"):
        return make_member(kind, L1=draw(st.sampled_from(_BIG_L1S)))
    if kind == "log_exp_sum":
        choices = _L1S + ((0.0,) if allow_l_smooth else ())
        return make_member(kind, L1=draw(st.sampled_from(choices)))
    if kind == "exp":
        l0 = draw(st.sampled_from((0.25, 1.0, 4.0) if positive_l0 else (0.0, 0.25, 1.0)))
        return make_member("exp", L1=1.0, L0=l0)
    scale = draw(st.sampled_from((1.0, 3.0)))
    l0 = draw(st.sampled_from((0.25, 1.0) if positive_l0 else (0.0, 0.25)))
    return make_member("logistic", L1=scale, L0=l0, d=1, scale=scale)


def witness_member(a: float, b: float) -> Member:
    """The tight witness with (L0, L1) = (a, b) as a member (its constants are exact).

    Examples
    --------
    >>> witness_member(1.0, 2.0).label
    "get_function('witness', L0=1.0, L1=2.0) with (L0, L1) = (1, 2)"
    """
    obj = _zoo("witness", (("L0", a), ("L1", b)))
    return Member(obj, a, b, 0.0, 8.0 / b)


@st.composite
def start_points(draw, member: Member) -> float:
    """A start point in the member's range, away from the exact minimizer."""
    r = member.x_range
    hi = r / 4 if not member.even else r
    x = draw(st.floats(-r, hi, allow_nan=False, allow_infinity=False))
    return float(x)


def mp_value(x) -> mpmath.mpf:
    """An exact float as an mpmath number."""
    return mpmath.mpf(float(x))
