"""Class members: one univariate function with valid constants (L0, L1), its infimum, and
how start points are drawn.

A :class:`Member` is what every claim check works on: the engine runs the method on its
``objective``, ``gap`` and ``sublevel_sup_grad`` give the instance's Δ = f(x0) - f* and
M = sup{|f'| : f <= f(x0)}, and ``mp`` gives f, f', f'' in high precision (mpmath, from the
member's own sympy definition).

``shape`` says how M is computed:

* ``"even"`` - convex, even about its minimizer 0, |f'| growing away from it: the sublevel
  set is ``[-|x0|, |x0|]`` and ``M = max(|f'(x0)|, |f'(-x0)|)``;
* ``"monotone"`` - convex and monotone: the sublevel set is a half-line ending at x0, and
  ``M = |f'(x0)|``;
* ``"general"`` - anything else bounded below: M from the critical and inflection points
  (:mod:`lab.classes.sublevel`).

Examples
--------
>>> m = make_member("quartic", L1=2.0)
>>> m.L0, m.f_star, m.start_interval
(4.0, 0.0, (-3.0, 3.0))
>>> round(m.sublevel_sup_grad(1.5), 6)
13.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import numpy as np
import sympy as sp
from hypothesis import strategies as st

from lab.classes.precision import refine
from lab.classes.sublevel import geometry, univariate_expr
from lab.errors import LabInputError
from lab.formula import exact_decimal
from lab.functions import L1_SYMBOL, Objective, get_function
from lab.smoothness import check_smoothness, frontier_l0

_X = sp.Symbol("x", real=True)

#: The member shapes (how the sublevel set of x0 is found; see the module docstring).
SHAPES = ("even", "monotone", "general")

#: Zoo functions that are convex and monotone (the others used by classes are even or general).
MONOTONE = ("exp", "logistic", "exp_ridge")


@lru_cache(maxsize=512)
def mp_functions(obj: Objective):
    """``(f, f', f'')`` of a 1-D objective as mpmath functions (call under ``workdps``)."""
    expr = univariate_expr(obj)
    f = sp.lambdify([_X], expr, modules="mpmath")
    g = sp.lambdify([_X], sp.diff(expr, _X), modules="mpmath")
    h = sp.lambdify([_X], sp.diff(expr, _X, 2), modules="mpmath")
    return f, g, h


@lru_cache(maxsize=512)
def zoo_function(name: str, params: tuple) -> Objective:
    """A zoo function, built once per (name, sorted parameter items)."""
    return get_function(name, **dict(params))


@dataclass(frozen=True)
class Member:
    """One class member: a 1-D function with valid constants (L0, L1) and its infimum.

    Attributes
    ----------
    objective : Objective
        The function (runs in the engine like any objective).
    L0, L1 : float
        Constants valid for it (never fitted: a frontier, the certifier, or construction).
    f_star : float
        ``inf f``.
    x_range : float
        Scale of the start points (see :attr:`start_interval`).
    shape : {"even", "monotone", "general"}
        How the sublevel set of a start point is found (module docstring).
    constants : str
        How (L0, L1) were established, e.g. ``"zoo frontier (closed form)"`` or
        ``"certifier (exact)"``.
    start : tuple of float or None
        Start points are drawn in this interval; ``None``: ``[-x_range, x_range]`` (even and
        general members) or ``[-x_range, x_range/4]`` (monotone members).
    """

    objective: Objective
    L0: float
    L1: float
    f_star: float
    x_range: float
    shape: str = "even"
    constants: str = "zoo frontier (closed form)"
    start: tuple[float, float] | None = None

    @property
    def label(self) -> str:
        """``get_function(...) with (L0, L1) = (..)``."""
        return f"{self.objective!r} with (L0, L1) = ({self.L0:.6g}, {self.L1:.6g})"

    @property
    def even(self) -> bool:
        """Whether the member is even about its minimizer 0."""
        return self.shape == "even"

    @property
    def start_interval(self) -> tuple[float, float]:
        """``(low, high)`` of the start points."""
        if self.start is not None:
            return self.start
        r = self.x_range
        return (-r, r / 4) if self.shape == "monotone" else (-r, r)

    def mp(self):
        """``(f, f', f'')`` evaluated with mpmath (call under ``mpmath.workdps``)."""
        return mp_functions(self.objective)

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
        """``M = sup |f'|`` on ``{f <= f(x0)}`` (see :attr:`shape`)."""
        if self.shape == "even":
            return max(self.grad_abs(x0), self.grad_abs(-x0))
        if self.shape == "monotone":
            return self.grad_abs(x0)
        return geometry(self.objective).sup_grad(float(x0))


@lru_cache(maxsize=1024)
def valid_l0_float(obj: Objective, L1: float, value: float) -> float:
    """The smallest float that is a valid L0, from the float nearest the smallest valid L0.

    A float is read as the number it is written as (:func:`lab.formula.exact_decimal`, the
    certifier's rule); when the nearest float lies below the exact smallest L0 (16/9, an
    irrational supremum), it is moved up one ulp at a time until the exact frontier (a
    closed form) or the certifier accepts it.

    Examples
    --------
    >>> obj = get_function("quartic")
    >>> 16 / 9, valid_l0_float(obj, 3.0, 16 / 9)
    (1.7777777777777777, 1.777777777777778)
    """
    if not (math.isfinite(value) and value > 0):
        return value
    frontier = obj.info.frontier
    for _ in range(4):
        if frontier.kind == "closed_form":
            exact = frontier.l0_min.subs(L1_SYMBOL, exact_decimal(L1))
            try:
                ok = bool(exact_decimal(value) >= exact)
            except TypeError:  # sympy cannot order them: ask the certifier
                ok = _certified(obj, value, L1)
        else:
            ok = _certified(obj, value, L1)
        if ok:
            return value
        value = float(np.nextafter(value, np.inf))
    raise LabInputError(f"no float L0 near {value!r} is accepted for {obj!r} at L1 = {L1:g}")


def _certified(obj: Objective, L0: float, L1: float) -> bool:
    return check_smoothness(obj, L0, L1).holds


def make_member(name: str, *, L1: float | None = None, L0: float | None = None,
                **params) -> Member:
    """A member from a zoo name: L0 defaults to the smallest valid L0 for L1 (frontier).

    Raises
    ------
    LabInputError
        When (L0, L1) is not valid for the function (by its stated frontier).

    Examples
    --------
    >>> m = make_member("quartic", L1=2.0)
    >>> m.L0, m.f_star
    (4.0, 0.0)
    """
    obj = zoo_function(name, tuple(sorted(params.items())))
    frontier = obj.info.frontier
    if L1 is None:
        L1 = float(obj.params.get("L1", frontier.l1_min))
    l0_min = frontier_l0(obj, L1)
    if not np.isfinite(l0_min):
        raise LabInputError(f"{obj!r} has no valid L0 at L1 = {L1:g} "
                            f"(its frontier: {frontier.describe()})")
    l0_min = valid_l0_float(obj, L1, l0_min)
    if L0 is None:
        L0 = l0_min
    elif L0 < l0_min:
        raise LabInputError(f"L0 = {L0:g} is not valid for {obj!r} at L1 = {L1:g}: the "
                            f"smallest valid L0 is {l0_min:.6g}")
    if obj.info.f_star is None:
        raise LabInputError(f"{obj!r} has no known infimum (a class member needs f* > -inf)")
    x_range = 8.0 / L1 if L1 > 0 else 8.0
    if name == "quartic":
        x_range = min(x_range, 3.0)
    if name in ("norm_power",):
        x_range = min(x_range, 1.6)
    shape = "monotone" if name in MONOTONE else "even" if name in EVEN else "general"
    how = ("zoo frontier (closed form)" if frontier.kind == "closed_form"
           else "certifier (exact)" if frontier.exact else "certifier (numeric)")
    return Member(obj, float(L0), float(L1), float(obj.info.f_star), float(x_range),
                  shape=shape, constants=how)


#: Zoo functions that are convex and even about 0 with |f'| growing away from it.
EVEN = ("quartic", "cosh", "exp_sum", "log_exp_sum", "witness", "quartic_norm", "norm_power",
        "hard_steep", "hard_flat")


def witness_member(a: float, b: float) -> Member:
    """The tight witness with (L0, L1) = (a, b) as a member (its constants are exact).

    Examples
    --------
    >>> witness_member(1.0, 2.0).label
    "get_function('witness', L0=1.0, L1=2.0) with (L0, L1) = (1, 2)"
    """
    obj = zoo_function("witness", (("L0", a), ("L1", b)))
    return Member(obj, a, b, 0.0, 8.0 / b, constants="exact by construction (w'' = L0 + "
                  "L1|w'|)")


def start_points(member: Member):
    """A hypothesis strategy of start points in the member's :attr:`~Member.start_interval`.

    Examples
    --------
    >>> start_points(make_member("exp", L1=1.0))
    floats(min_value=-8.0, max_value=2.0, allow_nan=False, allow_infinity=False)
    """
    low, high = member.start_interval
    return st.floats(low, high, allow_nan=False, allow_infinity=False)
