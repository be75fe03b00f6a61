"""Checks of iteration-complexity upper bounds: search and sweep through the engine.

An *iteration upper bound* says: for every member f of the class with valid (L0, L1) and
every start x0, the method (parameters given by formulas in L0, L1, ε, Δ, M) reaches
``||∇f(x_t)|| <= ε`` at some ``T_ε <= B(L0, L1, ε, Δ, M)``, with ``Δ = f(x0) - f*`` and
``M = sup{||∇f|| : f <= f(x0)}``. ``T_ε`` is the engine's ``hit``.

A run is given ``floor(B) + 1`` iterations (capped by the budget's ``max_iter``): if it has
not hit by then, ``T_ε > B`` and the instance is a counterexample. When the cap is below the
bound and the run does not hit, the instance is inconclusive and is not counted.

Ratios are ``T_ε / B`` (``> 1``: violated).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, ClassVar

import numpy as np
from hypothesis import strategies as st

from lab.claims.claim import Budget, Observation, Search, Sweep, bound_function
from lab.claims.search import targetable_floats
from lab.classes import FunctionClass, Member, zoo_class
from lab.classes.member import start_points
from lab.engine import run_batch
from lab.methods import Method


@dataclass(frozen=True)
class IterationBound:
    """An iteration upper bound: ``method(member, eps, Delta, M)`` and the bound expression."""

    kind: ClassVar[str] = "upper-bound"
    method: Callable[[Member, float, float, float], Method]
    bound: object  # sympy expression in lab.claims.claim.SYMBOLS
    positive_l0: bool = True
    allow_l_smooth: bool = True

    def bound_value(self, member: Member, eps: float, delta: float, m: float) -> float:
        """``B`` at an instance."""
        return bound_function(self.bound)(member.L0, member.L1, eps, delta, m, 0.0)


def _label(member: Member, x0, eps: float) -> str:
    return f"{member.label}, x0 = {float(x0)!r}, eps = {eps:.6g}"


def evaluate_runs(spec: IterationBound, member: Member, x0s, eps: float, budget: Budget
                  ) -> list[Observation]:
    """Run the method from every start in ``x0s`` (one batch) and judge each run."""
    x0s = np.atleast_1d(np.asarray(x0s, dtype=np.float64))
    deltas = np.array([member.gap(x) for x in x0s])
    ms = np.array([member.sublevel_sup_grad(x) for x in x0s])
    bounds = np.array([spec.bound_value(member, eps, d, m) for d, m in zip(deltas, ms)])
    out: list[Observation | None] = [None] * len(x0s)
    groups: dict[str, tuple[Method, list[int]]] = {}
    for i in range(len(x0s)):
        # the method may depend on Delta and M: batch the runs that share a method
        method = spec.method(member, eps, float(deltas[i]), float(ms[i]))
        groups.setdefault(repr(method), (method, []))[1].append(i)
    for method, idx in groups.values():
        finite = [i for i in idx if math.isfinite(bounds[i])]
        cap = int(min(budget.max_iter, math.floor(max(bounds[finite], default=0.0)) + 1))
        result = _run(member, method, x0s[idx][:, None], eps, max(cap, 1))
        for j, i in enumerate(idx):
            hit, status = int(result.hit[j]), int(result.status[j])
            b = float(bounds[i])
            label = _label(member, x0s[i], eps) + f", {method!r}"
            detail = (f"Delta = {deltas[i]:.6g}, M = {ms[i]:.6g}, bound = {b:.6g}, "
                      f"T_eps = {hit if hit >= 0 else 'never'} "
                      f"({result.status_names[j]} after {int(result.iterations[j])} "
                      f"iterations)")
            if hit >= 0:
                out[i] = Observation(hit <= b, hit / b if b > 0 else math.inf, label, detail)
            elif status == 2 or b < cap:
                out[i] = Observation(False, math.inf, label, detail)
            else:
                out[i] = Observation(True, None, label, detail + " (inconclusive: cap)")
    return out  # type: ignore[return-value]


#: Above this many iterations a run uses the fused numba kernel (compiles once per function
#: and rule, a few seconds; then ~100x faster than NumPy on one long run).
NUMBA_ABOVE = 100_000


def _run(member: Member, method: Method, x0s, eps: float, cap: int):
    if cap > NUMBA_ABOVE:
        try:
            return run_batch(member.objective, method, x0s, eps=eps, max_iter=cap,
                             backend="numba")
        except ImportError:  # numba missing: NumPy gives the same hits, slower
            pass
    return run_batch(member.objective, method, x0s, eps=eps, max_iter=cap)


def iteration_search(spec: IterationBound, examples: tuple = (), *,
                     function_class: FunctionClass | None = None) -> Search:
    """A hypothesis search over (member, x0, ε = u |f'(x0)|) with u in [0.05, 0.95].

    Stationary starts (f'(x0) = 0 in float64: the minimizer, or a start so close to it that
    the gradient underflows) are rejected while drawing: there ε = 0 and nothing would be
    learned, and a rejected draw does not use up the budget. u is drawn with
    :func:`~lab.claims.search.targetable_floats`, so the target phase can climb it.
    ``examples``: (member, x0, u) instances always tried first. ``function_class``: the
    members drawn (default: the zoo, :func:`lab.classes.zoo_class`).
    """
    cls = function_class if function_class is not None else zoo_class()

    @st.composite
    def instances(draw):
        member = draw(cls.members(positive_l0=spec.positive_l0,
                                  allow_l_smooth=spec.allow_l_smooth))
        x0 = draw(start_points(member).filter(lambda x: member.grad_abs(x) > 0))
        u = draw(targetable_floats(0.05, 0.95))
        return member, x0, u

    def evaluate(instance, budget: Budget) -> Observation:
        member, x0, u = instance
        g0 = member.grad_abs(x0)
        eps = u * g0
        if not eps > 0:
            return Observation(True, None, _label(member, x0, eps), "start is stationary")
        return evaluate_runs(spec, member, [x0], eps, budget)[0]

    return Search(instances, evaluate, examples=examples)


def sweep_starts(member: Member, grid: int) -> np.ndarray:
    """The start points of a sweep on one member (``grid`` per side of the minimizer).

    Even members: ``grid`` points in ``(0, x_range]``; monotone ones: the same on the flat
    side, scaled by 4 on the steep side; members with an explicit start interval:
    ``2 grid`` points spread over it.

    Examples
    --------
    >>> from lab.classes import make_member
    >>> sweep_starts(make_member("quartic", L1=1.0), 3).tolist()
    [0.75, 1.875, 3.0]
    """
    if member.start is not None or member.shape == "general":
        low, high = member.start_interval
        return np.linspace(low, high, 2 * grid + 2)[1:-1]
    xs = np.linspace(member.x_range / (grid + 1), member.x_range
                     if member.even else member.x_range / 4, grid)
    if not member.even:
        xs = np.concatenate([-xs[::-1] * 4, xs])
    return xs


def iteration_sweep(spec: IterationBound, *, function_class: FunctionClass | None = None
                    ) -> Sweep:
    """A sweep: members x start points x ε (relative to the gradient scale).

    ``function_class``: whose ``sweep_members`` are run (default: the zoo).
    """
    cls = function_class if function_class is not None else zoo_class()

    def run(budget: Budget, seed: int) -> list[Observation]:
        obs: list[Observation] = []
        for member in cls.sweep_members(positive_l0=spec.positive_l0):
            xs = sweep_starts(member, budget.grid)
            scale = member.grad_abs(float(xs[len(xs) // 2]))
            if not scale > 0:  # a stationary middle start: use the largest gradient instead
                scale = max(member.grad_abs(float(x)) for x in xs)
            for q in np.geomspace(0.5, 0.02, max(2, budget.grid // 2)):
                obs.extend(evaluate_runs(spec, member, xs, float(q * scale), budget))
        return obs

    return Sweep(run)
