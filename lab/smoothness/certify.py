"""Certify (L0, L1)-smoothness of a function, or find a counterexample.

The Hessian form of the condition, ``||∇²f(x)|| <= L0 + L1||∇f(x)||`` for every x in the
domain, is decided two ways:

* **symbolic** - when the function has univariate reductions (one variable, or the zoo's
  ridge and radial shapes in any dimension), the supremum of ``||∇²f|| - L1||∇f||`` is
  computed exactly (:mod:`lab.smoothness.univariate`) and compared with L0 exactly;
* **numeric** - otherwise, a multi-start hunt (:mod:`lab.smoothness.hunt`). A violation it
  finds is confirmed in exact arithmetic; when it finds none, the verdict says "no violation
  found (numeric, N evaluations)" and never "proved".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, Sequence

import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.functions.base import T, ExplicitObjective, Objective, Reduction
from lab.functions.parse import objective_from_expr, objective_from_text
from lab.smoothness.hunt import DEFAULT_BOX, exact_excess, hunt_violation
from lab.smoothness.univariate import DIGITS, SupResult, _decide_greater, sup_excess

Domain = Sequence[tuple[float, float]]


@dataclass(frozen=True, kw_only=True)
class SmoothnessVerdict:
    """The answer to "is f (L0, L1)-smooth on the domain?" (fields are keyword-only).

    Attributes
    ----------
    holds : bool
        True when no violation exists (``method == "symbolic"``) or none was found
        (``method == "numeric"``).
    method : {"symbolic", "numeric"}
        How the verdict was established.
    L0, L1 : float
        The constants checked.
    sup_excess : str
        ``sup (||∇²f|| - L1||∇f||)`` (exact text when symbolic; the largest value found when
        numeric), the smallest valid L0 for this L1 when symbolic.
    where : str
        Where that supremum is attained or approached.
    point : tuple of float or None
        A counterexample point when ``holds`` is False.
    lhs, rhs : float or None
        ``||∇²f(point)||`` and ``L0 + L1||∇f(point)||`` at the counterexample.
    evaluations : int
        Points evaluated.
    domain : str
        The domain checked, in words.
    variables : tuple of str
        Names of the coordinates of ``point``.
    """

    holds: bool
    method: Literal["symbolic", "numeric"]
    L0: float
    L1: float
    sup_excess: str
    where: str
    point: tuple[float, ...] | None
    lhs: float | None
    rhs: float | None
    evaluations: int
    domain: str
    variables: tuple[str, ...]

    def summary(self) -> str:
        """A few lines for people: verdict, how, and the counterexample if any."""
        consts = f"(L0, L1) = ({_num(self.L0)}, {_num(self.L1)})"
        if self.holds and self.method == "symbolic":
            head = f"holds: (L0,L1)-smooth with {consts} on {self.domain}"
            how = (f"how: symbolic (exact): sup(||∇²f|| - L1||∇f||) = {self.sup_excess} "
                   f"<= L0 = {_num(self.L0)}; {self.where}")
        elif self.holds:
            head = f"holds: no violation found with {consts} on {self.domain}"
            how = (f"how: numeric, {self.evaluations} evaluations (not a proof); largest "
                   f"||∇²f|| - L1||∇f|| found: {self.sup_excess} ({self.where})")
        else:
            head = f"fails: not (L0,L1)-smooth with {consts} on {self.domain}"
            how = (f"how: {self.method}" + (" (exact)" if self.method == "symbolic" else
                                            f", {self.evaluations} evaluations; violation "
                                            "confirmed in exact arithmetic")
                   + f": sup(||∇²f|| - L1||∇f||) {'=' if self.method == 'symbolic' else '>='} "
                   f"{self.sup_excess} > L0 = {_num(self.L0)}")
        lines = [head, how]
        if self.point is not None:
            coords = ", ".join(f"{n} = {_num(c)}" for n, c in zip(self.variables, self.point))
            lines.append(f"counterexample: {coords}")
            lines.append(f"  ||∇²f(x)||          = {self.lhs:.10g}")
            lines.append(f"  L0 + L1*||∇f(x)||   = {self.rhs:.10g}")
        return "\n".join(lines)


@dataclass(frozen=True)
class FrontierValue:
    """Smallest valid L0 for one L1: ``value`` (inf if none), exact or a numeric lower bound."""

    L1: float
    value: float
    text: str
    exact: bool
    where: str


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.10g}"


def _check_constant(name: str, value) -> float:
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise LabInputError(f"{name} must be a number, got {value!r}") from None
    if not np.isfinite(value) or value < 0:
        raise LabInputError(f"{name} must be a finite number >= 0, got {value!r}")
    return value


def _as_objective(target, variables) -> Objective:
    if isinstance(target, Objective):
        if variables is not None:
            raise LabInputError("variables= applies to expressions, not to zoo functions")
        return target
    if isinstance(target, sp.Expr):
        return objective_from_expr(target, variables)
    if isinstance(target, str):
        return objective_from_text(target, variables)
    raise LabInputError(f"cannot check {type(target).__name__}: give an expression string, "
                        "a sympy expression or a zoo function (lab.functions.get_function)")


def _check_domain(fn: Objective, domain) -> list[tuple[float, float]] | None:
    if domain is None:
        return None
    try:
        pairs = [(float(lo), float(hi)) for lo, hi in domain]
    except (TypeError, ValueError):
        raise LabInputError(f"domain must be a list of (low, high) pairs, got {domain!r}") from None
    if len(pairs) == 1 and fn.dim > 1:
        pairs = pairs * fn.dim
    if len(pairs) != fn.dim:
        raise LabInputError(f"domain has {len(pairs)} intervals but the function has "
                            f"{fn.dim} variables")
    for lo, hi in pairs:
        if np.isnan(lo) or np.isnan(hi) or not lo < hi:
            raise LabInputError(f"bad domain interval [{lo}, {hi}]: need low < high")
    return pairs


def _reductions(fn: Objective, pairs) -> list[Reduction]:
    reds = fn.reductions()
    if pairs is None or not reds:
        return reds
    if isinstance(fn, ExplicitObjective) and fn.dim == 1:
        lo, hi = pairs[0]
        interval = sp.Interval(sp.nsimplify(lo) if np.isfinite(lo) else -sp.oo,
                               sp.nsimplify(hi) if np.isfinite(hi) else sp.oo)
        return [replace(reds[0], domain=interval)]
    return []  # restricted multivariate domains are hunted numerically


def _domain_text(fn: Objective, pairs) -> str:
    if pairs is None:
        return "R" if fn.dim == 1 else f"R^{fn.dim}"
    return " x ".join(f"[{_num(lo)}, {_num(hi)}]" for lo, hi in pairs)


def _violating_t(red: Reduction, sup: SupResult, L0: sp.Expr, L1: sp.Expr) -> sp.Expr:
    """A parameter value where |q2| > L0 + L1|q1| (sup > L0 is known)."""
    g = sp.Abs(red.q2) - L1 * sp.Abs(red.q1) - L0
    if sup.argmax is not None:
        return sup.argmax
    sign = 1 if sup.limit == "t -> oo" else -1
    for k in range(0, 400):
        t = sp.Integer(sign) * sp.Rational(2) ** sp.Rational(k, 4)
        if sp.N(g.subs(T, t), DIGITS) > 0:
            return t
    raise RuntimeError("supremum exceeds L0 only in the limit; no finite witness found")


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
        One interval per variable (or one for all). Default: all of R for univariate and
        reducible functions, the box [-10, 10]^d for the numeric hunt.
    samples, seed : int
        Size and seed of the numeric hunt.

    Examples
    --------
    >>> check_smoothness("x^4", 16, 1).holds
    True
    >>> v = check_smoothness("x^4", 15.9, 1)
    >>> v.holds, v.method, abs(v.point[0])
    (False, 'symbolic', 2.0)
    >>> check_smoothness("exp(x) + exp(-x)", 0, 1).point
    (0.0,)
    """
    L0 = _check_constant("L0", L0)
    L1 = _check_constant("L1", L1)
    fn = _as_objective(target, variables)
    pairs = _check_domain(fn, domain)
    names = tuple(str(v) for v in getattr(fn, "variables", [])) or tuple(
        f"x{i + 1}" for i in range(fn.dim))
    reds = _reductions(fn, pairs)
    dom_text = _domain_text(fn, pairs)
    if reds:
        return _symbolic_verdict(fn, reds, L0, L1, names, dom_text)
    lows = highs = None
    if pairs is not None:
        lows, highs = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        lows, highs = np.maximum(lows, -1e6), np.minimum(highs, 1e6)
    else:
        dom_text = f"the box [-{_num(DEFAULT_BOX)}, {_num(DEFAULT_BOX)}]^{fn.dim}"
    result = hunt_violation(fn, L0, L1, lows=lows, highs=highs, samples=samples, seed=seed)
    where = "at x = (" + ", ".join(_num(c) for c in result.point) + ")"
    if result.excess > 0 and result.confirmed:
        lhs = float(fn.hess_norm(result.point[None, :])[0])
        rhs = L0 + L1 * float(fn.grad_norm(result.point[None, :])[0])
        exact = exact_excess(fn, 0.0, L1, result.point)
        return SmoothnessVerdict(
            holds=False, method="numeric", L0=L0, L1=L1, sup_excess=f"{float(exact):.10g}",
            where=where, point=tuple(float(c) for c in result.point), lhs=lhs, rhs=rhs,
            evaluations=result.evaluations, domain=dom_text, variables=names)
    return SmoothnessVerdict(
        holds=True, method="numeric", L0=L0, L1=L1, sup_excess=f"{result.excess + L0:.10g}",
        where=where, point=None, lhs=None, rhs=None, evaluations=result.evaluations,
        domain=dom_text, variables=names)


def _symbolic_verdict(fn, reds, L0, L1, names, dom_text) -> SmoothnessVerdict:
    L0s, L1s = sp.nsimplify(L0, rational=True), sp.nsimplify(L1, rational=True)
    sups = [(red, sup_excess(red, L1)) for red in reds]
    exact = all(s.exact for _, s in sups)
    evaluations = sum(s.evaluations for _, s in sups)
    red, best = sups[0]
    for r, s in sups[1:]:
        if best.value is not sp.oo and (s.value is sp.oo or _decide_greater(s.value, best.value) > 0):
            red, best = r, s
    violated = best.value is sp.oo or _decide_greater(best.value, L0s) > 0
    where = (f"attained at t = {best.argmax} ({red.where})" if best.argmax is not None
             else f"approached as {best.limit} ({red.where})")
    sup_text = sp.sstr(best.value) if best.value is sp.oo or best.value.is_Rational else (
        f"{sp.sstr(best.value)} ≈ {float(best.value):.10g}")
    method = "symbolic" if exact else "numeric"
    if not violated:
        return SmoothnessVerdict(
            holds=True, method=method, L0=L0, L1=L1, sup_excess=sup_text, where=where, point=None,
            lhs=None, rhs=None, evaluations=evaluations, domain=dom_text, variables=names)
    t = _violating_t(red, best, L0s, L1s)
    q1 = float(sp.N(sp.Abs(red.q1.subs(T, t)), 30))
    q2 = float(sp.N(sp.Abs(red.q2.subs(T, t)), 30))
    point = tuple(float(c) for c in red.point(float(t)))
    return SmoothnessVerdict(
        holds=False, method=method, L0=L0, L1=L1, sup_excess=sup_text, where=where, point=point,
        lhs=q2, rhs=L0 + L1 * q1, evaluations=evaluations, domain=dom_text, variables=names)


def _hunt_growing_box(fn: Objective, L1: float, *, samples: int, seed: int):
    """The largest excess over R^d, hunted on boxes [-B, B]^d with B = 10, 100, ...: a box is
    enlarged while the best point found lies near its boundary (the supremum may be far out:
    for a quartic with small L1 it sits at ||x|| of order 1/L1)."""
    best = None
    half_width = DEFAULT_BOX
    while True:
        bound = np.full(fn.dim, half_width)
        result = hunt_violation(fn, 0.0, L1, lows=-bound, highs=bound, samples=samples,
                                seed=seed, shrink=False)
        if best is None or result.excess > best.excess:
            best = result
        near_edge = np.max(np.abs(result.point)) > 0.8 * half_width
        if not near_edge or half_width >= 1e6 or not np.isfinite(result.excess):
            return best
        half_width *= 10.0


def min_valid_l0(target, L1: float, *, variables: Sequence[str] | None = None,
                 domain: Domain | None = None, samples: int = 20000, seed: int = 0
                 ) -> FrontierValue:
    """The smallest L0 with which ``target`` is (L0, L1)-smooth.

    Exact (a sympy supremum) when the function has univariate reductions; otherwise the
    largest excess a numeric hunt finds, which is only a *lower bound* (``exact=False``).

    Examples
    --------
    >>> min_valid_l0("x^4", 2).value
    4.0
    >>> min_valid_l0("exp(x)", 0.5).value
    inf
    """
    L1 = _check_constant("L1", L1)
    fn = _as_objective(target, variables)
    pairs = _check_domain(fn, domain)
    reds = _reductions(fn, pairs)
    if reds:
        sups = [(red, sup_excess(red, L1)) for red in reds]
        values = [s.value_float if s.value is not sp.oo else np.inf for _, s in sups]
        i = int(np.argmax(values))
        red, best = sups[i]
        where = (f"t = {best.argmax} ({red.where})" if best.argmax is not None
                 else f"{best.limit} ({red.where})")
        value = max(values[i], 0.0)
        text = "oo" if best.value is sp.oo else sp.sstr(sp.Max(best.value, 0))
        return FrontierValue(L1, value, text, all(s.exact for _, s in sups), where)
    if pairs is not None:
        lows, highs = np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])
        result = hunt_violation(fn, 0.0, L1, lows=lows, highs=highs, samples=samples,
                                seed=seed, shrink=False)
    else:
        result = _hunt_growing_box(fn, L1, samples=samples, seed=seed)
    value = max(result.excess, 0.0)
    return FrontierValue(L1, value, f">= {value:.10g}", False,
                         "x = (" + ", ".join(_num(c) for c in result.point) + ")")
