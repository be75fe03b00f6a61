"""Certify (L0, L1)-smoothness of a function on R^d (or a box), or find a counterexample.

The Hessian form of the condition, ``||∇²f(x)|| <= L0 + L1||∇f(x)||`` for every x in the
domain, is decided two ways:

* **symbolic** - when the function has univariate reductions on the domain (one variable,
  or the zoo's ridge and radial shapes in any dimension, on R^d or on a box), the supremum of
  ``||∇²f|| - L1||∇f||`` is computed exactly (:mod:`lab.smoothness.univariate`) and compared
  with L0 exactly;
* **numeric** - otherwise, a multi-start search (:mod:`lab.smoothness.hunt`) over the domain:
  on R^d (the default) boxes of growing radius, on a box the box. Its largest excess, trusted
  in high precision (:mod:`lab.smoothness.precise`), is both the numeric frontier
  (:func:`min_valid_l0`) and what :func:`check_smoothness` compares L0 with, so the two never
  disagree. A verdict never holds when a point it evaluated violates the inequality: a float64
  violation is confirmed in high precision or reported as "fails (numeric)" with the point,
  and a float64 excess that high precision shows to be rounding is said so.
"""

from __future__ import annotations

from typing import Sequence

import mpmath
import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.formula import float_at_least
from lab.functions.base import ExplicitObjective, Objective, Reduction
from lab.functions.parse import objective_from_expr, objective_from_text
from lab.smoothness.domain import Box, Domain, check_domain, domain_text, interval_text, \
    restricted_reductions
from lab.smoothness.hunt import HuntResult, hunt_region
from lab.smoothness.precise import TIE, exact_number, precise_sides, show, show_pair
from lab.smoothness.realdomain import real_interval
from lab.smoothness.univariate import SupResult, _decide_greater
from lab.smoothness.univariate_numeric import sup_excess
from lab.smoothness.verdict import FrontierValue, SmoothnessVerdict, num
from lab.smoothness.witness import Witness, neighbourhood_best, reduction_witness, simplify_point, \
    witness_at
from lab.validate import check_nonnegative


def _as_objective(target, variables) -> tuple[Objective, str]:
    if isinstance(target, Objective):
        if variables is not None:
            raise LabInputError("variables= applies to expressions, not to zoo functions")
        return target, target.name
    if isinstance(target, sp.Expr):
        return objective_from_expr(target, variables), sp.sstr(target)
    if isinstance(target, str):
        return objective_from_text(target, variables), target.strip()
    raise LabInputError(f"cannot check {type(target).__name__}: give an expression string, "
                        "a sympy expression or a zoo function (lab.functions.get_function)")


def _prepare(target, variables, domain):
    """The objective, its reductions on the domain, the domain in words, and a note."""
    fn, shown = _as_objective(target, variables)
    pairs = check_domain(fn, domain)
    if isinstance(fn, ExplicitObjective) and fn.dim == 1:
        lo, hi = pairs[0] if pairs is not None else (-np.inf, np.inf)
        interval = sp.Interval(exact_number(lo), exact_number(hi))
        interval, note = real_interval(fn, interval, shown)
        (red,) = fn.reductions()
        text = ("R" if pairs is None and not note
                else interval_text(lo, hi, bool(interval.left_open), bool(interval.right_open)))
        reds = [Reduction(red.q1, red.q2, interval, red.where, red.embed)]
        return fn, shown, pairs, reds, text, note
    return fn, shown, pairs, restricted_reductions(fn, pairs), domain_text(fn.dim, pairs), ""


def _names(fn: Objective) -> tuple[str, ...]:
    return tuple(str(v) for v in getattr(fn, "variables", [])) or tuple(
        f"x{i + 1}" for i in range(fn.dim))


def check_smoothness(target, L0: float, L1: float, *, variables: Sequence[str] | None = None,
                     domain: Domain | None = None, samples: int = 20000, seed: int = 0
                     ) -> SmoothnessVerdict:
    """Decide whether ``target`` is (L0, L1)-smooth: exactly where possible, else numerically.

    Parameters
    ----------
    target : str, sympy.Expr or Objective
        An expression such as ``"x^4"``, or a zoo member.
    L0, L1 : float
        Nonnegative constants.
    variables : sequence of str, optional
        Variable order for an expression (default: sorted free symbols).
    domain : sequence of (low, high), optional
        One interval per variable (or one for all; ends may be infinite): narrows the check
        to that box. Default: all of R^d.
    samples, seed : int
        Size (per box) and seed of the numeric search.

    Examples
    --------
    >>> check_smoothness("x^4", 16, 1).holds
    True
    >>> v = check_smoothness("x^4", 15.9, 1)
    >>> v.holds, v.method, abs(v.point[0])
    (False, 'symbolic', 2.0)
    >>> check_smoothness("exp(x) + exp(-x)", 0, 1).point
    (0.0,)
    >>> v = check_smoothness("x^4 + y^4", 1000, 0.1, samples=2000)  # violated at (±20, 0)
    >>> v.holds, v.searched
    (False, 'searched to radius 100')
    """
    L0 = check_nonnegative(L0, "L0")
    L1 = check_nonnegative(L1, "L1")
    fn, shown, pairs, reds, dom_text, note = _prepare(target, variables, domain)
    if reds:
        return _symbolic_verdict(reds, L0, L1, _names(fn), dom_text, note)
    search = _search(fn, shown, L1, pairs, samples, seed, stop_above=L0)
    return _numeric_verdict(fn, search, L0, L1, _names(fn), dom_text)


def _best_reduction(reds: list[Reduction], L1: float) -> tuple[Reduction, SupResult, bool, int]:
    sups = [(red, sup_excess(red, L1)) for red in reds]
    red, best = sups[0]
    for r, s in sups[1:]:
        if best.value is not sp.oo and (s.value is sp.oo or _decide_greater(s.value, best.value) > 0):
            red, best = r, s
    return red, best, all(s.exact for _, s in sups), sum(s.evaluations for _, s in sups)


def _sup_text(value: sp.Expr) -> str:
    """An exact number for people: short forms as they are, long ones approximated."""
    text = sp.sstr(value)
    if value is sp.oo or (value.is_Rational and len(text) <= 24):
        return text
    if value.is_Float:
        return show(mpmath.mpf(value))
    approx = show(mpmath.mpf(sp.N(value, 30)), 12)
    return f"{text} ≈ {approx}" if len(text) <= 40 else f"{approx} (rounded; exact form {len(text)} characters)"


def _symbolic_verdict(reds, L0, L1, names, dom_text, note) -> SmoothnessVerdict:
    red, best, exact, evaluations = _best_reduction(reds, L1)
    L0s = exact_number(L0)
    violated = best.value is sp.oo or _decide_greater(best.value, L0s) > 0
    where = (f"attained at t = {_sup_text(best.argmax)} ({red.where})"
             if best.argmax is not None else f"approached as {best.limit} ({red.where})")
    common = dict(method="symbolic" if exact else "numeric", L0=L0, L1=L1,
                  sup_excess=_sup_text(best.value), where=where, evaluations=evaluations,
                  domain=dom_text, variables=names, largest_excess=best.value_float, note=note)
    if not violated:
        return SmoothnessVerdict(holds=True, point=None, lhs=None, rhs=None, **common)
    witness = reduction_witness(red, best, L0, L1)
    if witness is None:
        raise RuntimeError(f"sup {best.value} > L0 = {L0} but no finite witness was found")
    return _failing(witness, common, "exact" if exact else "high precision")


def _failing(witness: Witness, common: dict, confirmed: str) -> SmoothnessVerdict:
    lhs_text, rhs_text = show_pair(witness.lhs, witness.rhs)
    return SmoothnessVerdict(holds=False, point=tuple(float(c) for c in witness.point),
                             lhs=float(witness.lhs), rhs=float(witness.rhs), lhs_text=lhs_text,
                             rhs_text=rhs_text, confirmed=confirmed, **common)


# --- the numeric route ---------------------------------------------------------------------

class _Search:
    """A numeric search's result with its evidence trusted: the excess at each kept point in
    high precision (float64 for objectives without a high-precision form); near a point where
    the Hessian does not exist, the best of its neighbourhood instead."""

    def __init__(self, fn: Objective, result: HuntResult, searched: str, L1: float):
        self.result, self.searched = result, searched
        self.trusted: list[tuple[float, np.ndarray]] = []
        with np.errstate(all="ignore"):
            floats = fn.hess_norm(result.candidates) - L1 * fn.grad_norm(result.candidates)
        for point, value in zip(result.candidates, floats):
            sides = precise_sides(fn, point)
            if sides is not None and sides.defined:
                self.trusted.append((float(sides.excess(0.0, L1)), point))
            elif sides is None and np.isfinite(value):
                self.trusted.append((float(value), point))
            else:  # the Hessian does not exist here (or overflows without a precise form)
                near = neighbourhood_best(fn, point, L1)
                if near is not None:
                    self.trusted.append(near)
        self.trusted.sort(key=lambda pair: -pair[0])
        self.largest, self.at = self.trusted[0] if self.trusted else (-np.inf, result.point)


def _search(fn: Objective, shown: str, L1: float, pairs: Box | None, samples: int,
            seed: int, stop_above: float | None = None) -> _Search:
    lows = None if pairs is None else np.array([p[0] for p in pairs])
    highs = None if pairs is None else np.array([p[1] for p in pairs])
    with np.errstate(all="ignore"):
        result = hunt_region(fn, L1, lows, highs, samples=samples, seed=seed,
                             stop_above=stop_above)
    if result.nonreal is not None:
        at = ", ".join(f"{n} = {c:.6g}" for n, c in zip(_names(fn), result.nonreal))
        raise LabInputError(f"{shown!r} is not real-valued at ({at}); narrow the domain "
                            "to where it is: --domain NAME=LOW:HIGH,... (or domain=[...])")
    unbounded = pairs is None or not np.all(np.isfinite(np.array(pairs, dtype=float)))
    searched = f"searched to radius {num(result.radius)}" if unbounded else ""
    return _Search(fn, result, searched, L1)


def _numeric_verdict(fn, search: _Search, L0, L1, names, dom_text) -> SmoothnessVerdict:
    result, largest, at = search.result, search.largest, search.at
    common = dict(method="numeric", L0=L0, L1=L1, evaluations=result.evaluations,
                  domain=dom_text, variables=names, searched=search.searched,
                  float_excess=result.excess, largest_excess=largest, where=_at(at),
                  sup_excess=show(mpmath.mpf(largest)))
    if largest - L0 > TIE * max(abs(largest), L0, 1):
        witness, confirmed = witness_at(fn, at, L0, L1)
        return _failing(simplify_point(fn, witness, L0, L1), common, confirmed)
    note = ""
    if result.excess > L0:
        note = (f"float64 showed ||∇²f|| - L1||∇f|| = {show(mpmath.mpf(result.excess))} > L0 "
                f"{_at(result.point)}; high precision there gives "
                f"{show(mpmath.mpf(largest))}: rounding, not a violation")
    return SmoothnessVerdict(holds=True, point=None, lhs=None, rhs=None, note=note, **common)


def _at(point) -> str:
    return "at x = (" + ", ".join(num(c) for c in point) + ")"


def min_valid_l0(target, L1: float, *, variables: Sequence[str] | None = None,
                 domain: Domain | None = None, samples: int = 20000, seed: int = 0
                 ) -> FrontierValue:
    """The smallest L0 with which ``target`` is (L0, L1)-smooth on the domain (R^d default).

    Exact (a sympy supremum) when the function has univariate reductions; otherwise the
    largest excess the numeric search finds, which is only a *lower bound* (``exact=False``)
    and exactly the number :func:`check_smoothness` compares L0 with.

    Examples
    --------
    >>> min_valid_l0("x^4", 2).value
    4.0
    >>> min_valid_l0("exp(x)", 0.5).value
    inf
    """
    L1 = check_nonnegative(L1, "L1")
    fn, shown, pairs, reds, dom_text, _ = _prepare(target, variables, domain)
    if reds:
        red, best, exact, _ = _best_reduction(reds, L1)
        where = (f"t = {best.argmax} ({red.where})" if best.argmax is not None
                 else f"{best.limit} ({red.where})")
        # exact: the smallest float at or above the supremum (the nearest may be below it)
        value = max(float_at_least(best.value) if exact else best.value_float, 0.0)
        text = "oo" if best.value is sp.oo else (
            sp.sstr(sp.Max(best.value, 0)) if exact else show(mpmath.mpf(value)))
        return FrontierValue(L1=L1, value=value, text=text, exact=exact, where=where,
                             domain=dom_text)
    search = _search(fn, shown, L1, pairs, samples, seed)
    value = max(search.largest, 0.0)
    return FrontierValue(L1=L1, value=value, text=f">= {show(mpmath.mpf(value))}", exact=False,
                         where=_at(search.at), searched=search.searched,
                         domain=dom_text)
