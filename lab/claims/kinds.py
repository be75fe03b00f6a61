"""Every claim kind checked on a class: the specs and the one dispatcher, :func:`checks_for`.

A claim about a class is a *spec* (what is claimed) plus a class (what it quantifies over).
The specs:

* :class:`~lab.claims.IterationBound` (``"upper-bound"``) - T_ε <= B at every instance;
* :class:`~lab.claims.lower.LowerBound` (``"lower-bound"``) - for every value of the method's
  free parameter some instance needs T_ε >= B;
* :class:`DescentBound` (``"descent"``) - ``f(y) - f(x) - <∇f(x), y - x> <= model(L0, L1, g, r)``;
* :class:`SmoothnessBound` (``"smoothness"``) - every member is (L0(L1), L1(L1))-smooth for
  its listed L1.

:func:`checks_for` turns a spec and a class into the claim's checks: for a zoo list or an
expression family, a hypothesis search over ``cls.members(...)`` and a sweep over
``cls.sweep_members(...)``; for the whole univariate class, the whole-class adversary
(``lab.adversary.whole_class_observations(spec, cls, budget=..., seed=...)``, returning
``(ok, ratio, label, detail)`` tuples), as a check named ``"adversary"``.

Examples
--------
>>> from lab.classes import zoo_class
>>> spec = SmoothnessBound(lambda l1: 16 / l1**2)
>>> [c.name for c in checks_for(spec, zoo_class(["quartic"], L1=[1.0, 2.0]))]
['search', 'sweep']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, ClassVar

from hypothesis import strategies as st

from lab.adversary import whole_class_observations
from lab.claims.claim import Budget, Observation, Search, Sweep
from lab.claims.complexity import IterationBound, iteration_search, iteration_sweep
from lab.claims.facts import frontier_observation, pointwise_observation
from lab.claims.inequalities import descent_search
from lab.claims.lower import LowerBound, lower_bound_sweep
from lab.claims.search import targetable_floats
from lab.classes import FunctionClass, WholeUnivariate
from lab.errors import LabInputError


@dataclass(frozen=True)
class DescentBound:
    """``f(y) - f(x) - f'(x)(y - x) <= model(L0, L1, g, r)``, g = |f'(x)|, r = |y - x|.

    ``model`` takes and returns mpmath numbers; ``radius(member)`` bounds r in the search
    (default ``8/L1``, 8 when L1 = 0); ``points`` is the interval of x (default: each
    member's start interval).
    """

    kind: ClassVar[str] = "descent"
    model: Callable
    text: str = ""
    radius: Callable | None = None
    points: tuple[float, float] | None = None


@dataclass(frozen=True)
class SmoothnessBound:
    """Every member is (L0_of(L1), L1_of(L1))-smooth at each listed L1 of the class.

    ``points``: the interval of x searched (default ``[-20, 20]``).
    """

    kind: ClassVar[str] = "smoothness"
    L0_of: Callable[[float], float]
    L1_of: Callable[[float], float] = float
    points: tuple[float, float] = (-20.0, 20.0)


def smoothness_class_search(spec: SmoothnessBound, cls: FunctionClass,
                            examples: tuple = ()) -> Search:
    """Hypothesis draws a (function, L1) of the class and a point x; the Hessian inequality
    is checked in high precision with the claim's constants."""
    points = cls.smoothness_points()

    def strategy():
        return st.tuples(st.sampled_from(points), targetable_floats(*spec.points))

    def evaluate(instance, budget: Budget) -> Observation:
        (obj, l1), x = instance
        return pointwise_observation(obj, spec.L0_of(l1), spec.L1_of(l1), x)

    return Search(strategy, evaluate, examples=examples)


def smoothness_class_sweep(spec: SmoothnessBound, cls: FunctionClass) -> Sweep:
    """The certifier accepts the claimed constants and rejects 0.999 L0 (when L0 > 0), for
    each function of the class at its first ``max(2, grid)`` listed L1 values."""
    def run(budget: Budget, seed: int) -> list[Observation]:
        by_function: dict = {}
        for obj, l1 in cls.smoothness_points():
            by_function.setdefault(id(obj), (obj, []))[1].append(l1)
        out = []
        for obj, l1s in by_function.values():
            for l1 in l1s[: max(2, budget.grid)]:
                out.append(frontier_observation(obj, spec.L0_of(l1), spec.L1_of(l1)))
        return out

    return Sweep(run)


def adversary_check(spec, cls: WholeUnivariate) -> Sweep:
    """The whole-class adversary as a check named ``"adversary"``."""

    def run(budget: Budget, seed: int, client=None) -> list[Observation]:
        return [Observation(bool(ok), None if ratio is None else float(ratio), str(label),
                            str(detail))
                for ok, ratio, label, detail in whole_class_observations(
                    spec, cls, budget=budget, seed=seed, client=client)]

    return Sweep(run, name="adversary", distributes=True)


def checks_for(spec, cls: FunctionClass, *, examples: tuple = (),
               default: str = "search") -> tuple:
    """The checks of a claim ``spec`` on the class ``cls`` (the first is the default).

    Parameters
    ----------
    spec : IterationBound, LowerBound, DescentBound or SmoothnessBound
    cls : FunctionClass
    examples : tuple
        Instances a search always tries first (regression counterexamples).
    default : {"search", "sweep"}
        Which check comes first (lower bounds have only a sweep).
    """
    if isinstance(cls, WholeUnivariate):
        return (adversary_check(spec, cls),)
    kind = getattr(spec, "kind", None)
    if kind == IterationBound.kind:
        checks = [iteration_search(spec, examples, function_class=cls),
                  iteration_sweep(spec, function_class=cls)]
    elif kind == LowerBound.kind:
        return (lower_bound_sweep(spec, function_class=cls),)
    elif kind == DescentBound.kind:
        return (descent_search(spec.model, function_class=cls, radius=spec.radius,
                               points=spec.points, examples=examples),)
    elif kind == SmoothnessBound.kind:
        checks = [smoothness_class_search(spec, cls, examples),
                  smoothness_class_sweep(spec, cls)]
    else:
        raise LabInputError(f"no class checks for a spec of kind {kind!r}")
    if default == "sweep":
        checks.reverse()
    return tuple(checks)


def finite_or(value: float, fallback: float) -> float:
    """``value`` when finite and positive, else ``fallback``.

    Examples
    --------
    >>> finite_or(math.inf, 8.0)
    8.0
    """
    return value if math.isfinite(value) and value > 0 else fallback
