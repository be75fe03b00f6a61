"""Domains of a smoothness check: all of R^d by default, or a box the user names.

A box ``[lo_1, hi_1] x ... x [lo_d, hi_d]`` (ends may be infinite) narrows the check on
purpose. The exact route survives the narrowing for the shapes that have one:

* one variable: the reduction's interval is the box itself;
* ridge ``h(a·x)``: on a box, ``a·x`` takes every value of an interval (the box is connected
  and the map linear), and both norms depend on ``a·x`` only;
* radial ``h(||x||²)``: ``||x||`` takes every value between its smallest and largest value
  on the box, and both norms depend on ``||x||`` only.

:func:`box_point_at` turns the reduction's parameter back into a point *inside* the box, so
a counterexample on a box lies in the box.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.functions.base import ExplicitObjective, Objective, RadialObjective, Reduction, RidgeObjective
from lab.smoothness.precise import exact_number
from lab.validate import check_number

Domain = Sequence[tuple[float, float]]
Box = list[tuple[float, float]]


def check_domain(fn: Objective, domain) -> Box | None:
    """Validate ``domain`` (one (low, high) pair per variable, or one for all).

    Examples
    --------
    >>> from lab.functions import get_function
    >>> check_domain(get_function("logistic", d=2), [(-5, 5)])
    [(-5.0, 5.0), (-5.0, 5.0)]
    """
    if domain is None:
        return None
    try:
        raw = [tuple(pair) for pair in domain]
    except TypeError:
        raise LabInputError(f"domain must be a list of (low, high) pairs, got {domain!r}") from None
    if any(len(pair) != 2 for pair in raw):
        raise LabInputError(f"domain must be a list of (low, high) pairs, got {domain!r}")
    pairs = [(check_number(lo, "domain low end", allow_inf=True),
              check_number(hi, "domain high end", allow_inf=True)) for lo, hi in raw]
    if len(pairs) == 1 and fn.dim > 1:
        pairs = pairs * fn.dim
    if len(pairs) != fn.dim:
        raise LabInputError(f"domain has {len(pairs)} intervals but the function has "
                            f"{fn.dim} variables")
    for lo, hi in pairs:
        if not lo < hi:
            raise LabInputError(f"bad domain interval [{lo}, {hi}]: need low < high")
    return pairs


def _num(value: float) -> str:
    if np.isinf(value):
        return "oo" if value > 0 else "-oo"
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.10g}"


def interval_text(lo: float, hi: float, left_open: bool = False, right_open: bool = False) -> str:
    """``[lo, hi]`` with round brackets at open or infinite ends."""
    left = "(" if left_open or np.isinf(lo) else "["
    right = ")" if right_open or np.isinf(hi) else "]"
    return f"{left}{_num(lo)}, {_num(hi)}{right}"


def domain_text(dim: int, pairs: Box | None) -> str:
    """The domain in words: ``R``, ``R^3``, ``[0, 5]``, ``the box [-5, 5] x [-5, 5]``.

    Examples
    --------
    >>> domain_text(2, None), domain_text(2, [(-5.0, 5.0), (0.0, np.inf)])
    ('R^2', 'the box [-5, 5] x [0, oo)')
    """
    if pairs is None:
        return "R" if dim == 1 else f"R^{dim}"
    if dim == 1:
        return interval_text(*pairs[0])
    return "the box " + " x ".join(interval_text(lo, hi) for lo, hi in pairs)


def restricted_reductions(fn: Objective, pairs: Box | None) -> list[Reduction]:
    """The function's univariate reductions on the box, or [] when it has none there (the
    numeric search decides)."""
    reds = fn.reductions()
    if pairs is None or not reds:
        return reds
    lows = np.array([p[0] for p in pairs])
    highs = np.array([p[1] for p in pairs])
    if isinstance(fn, ExplicitObjective) and fn.dim == 1:
        interval = sp.Interval(exact_number(lows[0]), exact_number(highs[0]))
        return [replace(reds[0], domain=interval)]
    if isinstance(fn, RidgeObjective):
        a = fn.direction
        with np.errstate(invalid="ignore"):  # 0 * inf: a zero direction component
            lo_t = np.nansum(np.where(a > 0, a * lows, a * highs))
            hi_t = np.nansum(np.where(a > 0, a * highs, a * lows))
        # the reduction's t is a·x (x = t a/||a||^2 on R^d)
        return [replace(red, domain=sp.Interval(exact_number(lo_t), exact_number(hi_t)),
                        where=red.where.split(",")[0].replace("x = t·a/||a||²", "a·x = t"),
                        embed=lambda t: box_point_at(fn, pairs, t)) for red in reds]
    if isinstance(fn, RadialObjective):
        near = np.clip(0.0, lows, highs)
        far = np.where(np.abs(lows) > np.abs(highs), lows, highs)
        r_lo = sp.sqrt(sum(exact_number(c) ** 2 for c in near))
        r_hi = sp.sqrt(sum(exact_number(c) ** 2 for c in far)) if np.all(np.isfinite(far)) \
            else sp.oo
        return [replace(red, domain=sp.Interval(r_lo, r_hi),
                        where=red.where.replace("x = t·e1, t >= 0", "||x|| = t"),
                        embed=lambda t: box_point_at(fn, pairs, t)) for red in reds]
    return []


def box_point_at(fn: Objective, pairs: Box, t: float) -> np.ndarray:
    """A point of the box where the reduction's parameter equals t: ``a·x = t`` (ridge) or
    ``||x|| = t`` (radial). Coordinates move one at a time from the point nearest the origin
    toward the far end of their interval, which changes a·x (or ||x||) monotonically.

    Examples
    --------
    >>> from lab.functions import get_function
    >>> p = box_point_at(get_function("quartic_norm", d=2), [(1.0, 2.0), (-3.0, 3.0)], 2.5)
    >>> float(np.linalg.norm(p)), bool(1 <= p[0] <= 2 and -3 <= p[1] <= 3)
    (2.5, True)
    """
    lows = np.array([p[0] for p in pairs])
    highs = np.array([p[1] for p in pairs])
    x = np.clip(0.0, lows, highs)
    if isinstance(fn, RidgeObjective):
        a = fn.direction
        for i in np.argsort(-np.abs(a)):
            gap = t - float(a @ x)
            if gap == 0 or a[i] == 0:
                continue
            target = x[i] + gap / a[i]
            x[i] = min(max(target, lows[i]), highs[i])
        return x
    for i in range(x.size):
        rest = float(x @ x - x[i] ** 2)
        need = t * t - rest
        far = lows[i] if abs(lows[i]) > abs(highs[i]) else highs[i]
        if need <= x[i] ** 2:
            break
        value = np.sqrt(need) * np.sign(far)
        x[i] = value if abs(value) <= abs(far) else far
    return x
