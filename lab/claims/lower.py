"""Checks of iteration lower bounds: for every value of the method's free parameter, some
instance of the class needs at least B iterations.

A :class:`LowerBound` states ``for every v in values: exists (f, x0, ε) in the class with
T_ε(f, x0; method(v)) >= B(L0, L1, ε, Δ, M)``. The sweep runs every value on every instance
of the class's sweep (members x start points x ε, as in the upper-bound sweep); a run is
given ``floor(B) + 1`` iterations (capped by the budget), so "not reached within the cap"
certifies ``T_ε >= B`` whenever the cap reaches the bound.

The observation of a value v is its best witness: ratio ``min over instances of B / T_ε``
(``> 1``: no instance needs B iterations, the claim is violated at v). An instance whose run
neither hits nor reaches the bound within the cap says nothing (inconclusive).

Examples
--------
>>> from lab.claims.claim import L0, EPS, DELTA, BUDGETS
>>> from lab.classes import zoo_class
>>> from lab.methods import gd
>>> spec = LowerBound(lambda m, eps, delta, M, h: gd(h=h), "h", lambda *a: (0.01, 0.1),
...                   DELTA / (10 * L0 * EPS**2))
>>> obs = lower_bound_sweep(spec, function_class=zoo_class(["quartic"], L1=[1.0])).run(
...     BUDGETS["quick"], 0)
>>> [o.ok for o in obs]
[True, True]
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, ClassVar

import numpy as np

from lab.claims.claim import Budget, Observation, Sweep, bound_function
from lab.claims.complexity import sweep_starts
from lab.classes import FunctionClass, Member, zoo_class
from lab.engine import run_batch
from lab.errors import LabInputError
from lab.methods import Method, get_method, user_rule


@dataclass(frozen=True)
class LowerBound:
    """A lower bound over a free method parameter.

    Attributes
    ----------
    method : callable
        ``method(member, eps, Delta, M, value) -> Method``.
    parameter : str
        The free parameter's name (for labels).
    values : callable
        ``values(member, eps, Delta, M) -> sequence of float``: the free parameter's values
        (the same number of them at every instance).
    bound : sympy.Expr
        B in :data:`lab.claims.claim.SYMBOLS`.
    positive_l0, allow_l_smooth : bool
        As for :class:`lab.claims.IterationBound`.
    """

    kind: ClassVar[str] = "lower-bound"
    method: Callable
    parameter: str
    values: Callable
    bound: object
    positive_l0: bool = True
    allow_l_smooth: bool = True

    def bound_value(self, member, eps: float, delta: float, m: float) -> float:
        """``B`` at an instance."""
        return bound_function(self.bound)(member.L0, member.L1, eps, delta, m, 0.0)


def stack_methods(methods: list[Method]) -> Method:
    """One method whose parameters are per-run arrays of the given methods' parameters.

    Examples
    --------
    >>> from lab.methods import gd
    >>> stack_methods([gd(h=0.1), gd(h=0.2)])
    gd(h=np.array([0.1, 0.2]))
    """
    first = methods[0]
    if all(repr(m) == repr(first) for m in methods):
        return first
    if any(m.name != first.name or m.stochastic for m in methods):
        raise LabInputError("a lower bound's method must keep its name and be deterministic "
                            "across the free parameter's values")
    arrays = {k: np.array([float(m.params[k]) for m in methods]) for k in first.params}
    if first.name == "user_rule":
        if any(m.args != first.args for m in methods):
            raise LabInputError("a lower bound's user rule must keep its expression")
        return user_rule(*first.args, **arrays)
    return get_method(first.name, **arrays)


def _instances(cls: FunctionClass, spec: LowerBound, grid: int):
    """(member, starts, eps) groups of the sweep (one engine batch each)."""
    for member in cls.sweep_members(positive_l0=spec.positive_l0):
        if not spec.allow_l_smooth and member.L1 == 0:
            continue
        xs = sweep_starts(member, grid)
        scale = member.grad_abs(float(xs[len(xs) // 2]))
        if not scale > 0:
            scale = max(member.grad_abs(float(x)) for x in xs)
        for q in np.geomspace(0.5, 0.02, max(2, grid // 2)):
            yield member, xs, float(q * scale)


def _group_times(spec: LowerBound, member: Member, xs, eps: float, budget: Budget):
    """Per start: (label, bound, values, T per value, cap) for one (member, ε) group."""
    rows, methods, x_runs = [], [], []
    for x in xs:
        delta, m = member.gap(float(x)), member.sublevel_sup_grad(float(x))
        values = [float(v) for v in spec.values(member, eps, delta, m)]
        bound = spec.bound_value(member, eps, delta, m)
        rows.append((float(x), delta, m, bound, values))
        methods += [spec.method(member, eps, delta, m, v) for v in values]
        x_runs += [float(x)] * len(values)
    finite = [r[3] for r in rows if math.isfinite(r[3])]
    cap = int(min(budget.max_iter, math.floor(max(finite, default=0.0)) + 1))
    result = run_batch(member.objective, stack_methods(methods), np.array(x_runs)[:, None],
                       eps=eps, max_iter=max(cap, 1))
    hits = np.where(result.hit >= 0, result.hit, -1)
    out, k = [], 0
    for x, delta, m, bound, values in rows:
        out.append((x, delta, m, bound, values, hits[k:k + len(values)], cap))
        k += len(values)
    return out


def lower_bound_sweep(spec: LowerBound, *, function_class: FunctionClass | None = None
                      ) -> Sweep:
    """The sweep of a :class:`LowerBound` over a class (default: the zoo)."""
    cls = function_class if function_class is not None else zoo_class()

    def run(budget: Budget, seed: int) -> list[Observation]:
        best: dict[int, tuple] = {}  # value index -> (ratio, label, detail)
        open_: set[int] = set()  # value indices with an inconclusive instance
        n_values = None
        for member, xs, eps in _instances(cls, spec, budget.grid):
            for x, delta, m, bound, values, hits, cap in _group_times(spec, member, xs, eps,
                                                                      budget):
                n_values = len(values) if n_values is None else n_values
                if len(values) != n_values:
                    raise LabInputError("the free parameter must have the same number of "
                                        "values at every instance")
                if not bound >= 1:
                    continue  # vacuous at this instance
                for j, (v, hit) in enumerate(zip(values, hits)):
                    if hit < 0 and cap < bound:
                        open_.add(j)
                        continue
                    t = hit if hit >= 0 else cap + 1
                    ratio = bound / t if t > 0 else math.inf
                    label = (f"{spec.parameter} = {v:.6g}: {member.label}, x0 = {x!r}, "
                             f"eps = {eps:.6g}")
                    detail = (f"Delta = {delta:.6g}, M = {m:.6g}, bound = {bound:.6g}, T_eps "
                              f"= {hit if hit >= 0 else '> ' + str(cap)}")
                    if j not in best or ratio < best[j][0]:
                        best[j] = (ratio, label, detail)
        out = []
        for j in range(n_values or 0):
            if j in best and (best[j][0] <= 1 or j not in open_):
                ratio, label, detail = best[j]
                out.append(Observation(ratio <= 1, ratio, label, "best witness: " + detail))
            else:
                out.append(Observation(True, None, f"value {j} of {spec.parameter}",
                                       "inconclusive: no instance reached the bound within "
                                       "the cap"))
        return out

    return Sweep(run)
