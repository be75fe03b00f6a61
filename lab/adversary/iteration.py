"""Iteration bounds on the whole class: the largest ``T_ε / B`` the adversary can certify.

The search, for each (L0, L1) of the class:

1. **Designed runs** (performance estimation in 1-D, :mod:`lab.adversary.monotone`): for ε on
   a log grid around the class's gradient scale (and M on a grid when the method or the bound
   uses M), the least Δ for which some member keeps ``|f'| > ε`` for n steps, for every
   ``n <= n_max`` at once; the model ratio ``(n + 1)/B(Δ_min(n))`` picks the best n; ε (and M)
   are then refined by golden-section search on the log scale.
2. **Cycles** (:func:`lab.adversary.build.cycle_member`): where the rule's step is long
   enough, a member on which the method cycles forever (``T_ε = ∞``).
3. **Control search** (:mod:`lab.adversary.controls`): random and locally optimised controls,
   for trajectories that change sign.

The best candidates are rebuilt as explicit members and **replayed** (engine and mpmath,
:mod:`lab.adversary.replay`); only certified ratios are reported.

Each (L0, L1, ε-chunk) is an independent :class:`Task` (deterministic, no shared state), so a
scheduler can run them anywhere and :func:`assemble` merges the results in task order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from lab.adversary.build import member_from_run
from lab.adversary.certificate import Certificate
from lab.adversary.monotone import least_gap
from lab.adversary.problem import IterationProblem
from lab.adversary.replay import replay
from lab.functions.pieces import rise_integral_mp

_GOLDEN = (math.sqrt(5) - 1) / 2


@dataclass(frozen=True)
class Design:
    """A designed run before replay (model values)."""

    L0: float
    L1: float
    eps: float
    sup_grad: float | None
    n: int
    gradients: tuple
    delta: float
    delta_run: float
    ratio: float


@dataclass(frozen=True)
class Task:
    """One unit of work: a (L0, L1) pair and the ε values to scan (and M multipliers)."""

    L0: float
    L1: float
    eps_values: tuple
    m_factors: tuple
    size: int
    n_max: int


def gradient_scale(L0: float, L1: float) -> float:
    """The class's natural gradient scale: ``L0/L1`` (L0 when L1 = 0, 1 when L0 = 0)."""
    if L0 > 0 and L1 > 0:
        return L0 / L1
    return L0 if L1 == 0 else 1.0


def tasks_for(problem: IterationProblem, pairs, settings: dict) -> list[Task]:
    """The tasks of a search: one per (L0, L1) pair (ε grid from 10⁻³ to 10² scales)."""
    out = []
    factors = tuple(np.geomspace(1.5, 1000.0, settings["m_points"]).tolist()) \
        if problem.needs_m else (None,)
    for L0, L1 in pairs:
        s0 = gradient_scale(L0, L1)
        eps = tuple((s0 * np.geomspace(1e-3, 1e2, settings["eps_points"])).tolist())
        out.append(Task(float(L0), float(L1), eps, factors, settings["size"],
                        settings["n_max"]))
    return out


def design(problem: IterationProblem, L0: float, L1: float, eps: float, m: float | None,
           size: int, n_max: int, target: float | None = None) -> Design | None:
    """The best designed run at one (ε, M): the n maximising ``(n + 1)/B(Δ_min(n))``, or
    with ``target`` the smallest n whose ratio reaches it (the largest ratio if none does)."""
    method = problem.method(L0, L1, eps, math.nan, math.nan if m is None else m)
    g_max = m if m is not None else eps * 1e3
    sol = least_gap(L0=L0, L1=L1, eps=eps, step=method.step, n_max=n_max, g_max=g_max,
                    size=size)
    delta = run_delta = sol.delta
    if m is not None:  # M = m needs Δ >= the rise from 0 to m (the bump left of the minimum)
        with mpmath.workdps(30):
            delta = np.maximum(delta, float(rise_integral_mp(mpmath.mpf(m), L0, L1)))
    m_arg = math.nan if m is None else m
    if problem.score is not None:
        ratios = np.array([problem.score(n + 1, L0, L1, eps, float(d), m_arg)
                           if math.isfinite(d) else -math.inf for n, d in enumerate(delta)])
    else:
        bounds = np.array([problem.bound(L0, L1, eps, float(d), m_arg)
                           if math.isfinite(d) else math.inf for d in delta])
        with np.errstate(all="ignore"):
            ratios = np.where(bounds > 0, (np.arange(n_max + 1) + 1) / bounds, 0.0)
    ratios = np.where(np.isfinite(delta), ratios, -np.inf)
    n = int(np.argmax(ratios))
    if target is not None and ratios[n] >= target:
        n = int(np.argmax(ratios >= target))
    if not math.isfinite(ratios[n]):
        return None
    return Design(L0, L1, eps, m, n, tuple(sol.gradients(n).tolist()), float(delta[n]),
                  float(run_delta[n]), float(ratios[n]))


def run_task(problem: IterationProblem, task: Task) -> list[Design]:
    """Every design of the task's grid (deterministic, in grid order)."""
    out = []
    for eps in task.eps_values:
        for f in task.m_factors:
            d = design(problem, task.L0, task.L1, eps, None if f is None else f * eps,
                       task.size, task.n_max)
            if d is not None:
                out.append(d)
    return out


def refine(problem: IterationProblem, best: Design, settings: dict) -> Design:
    """Golden-section search on log ε (M/ε fixed) around the best design."""
    factor = None if best.sup_grad is None else best.sup_grad / best.eps
    lo, hi = math.log(best.eps) - math.log(10) / 2, math.log(best.eps) + math.log(10) / 2
    cache: dict[float, Design | None] = {}

    def at(le: float) -> float:
        if le not in cache:
            e = math.exp(le)
            cache[le] = design(problem, best.L0, best.L1, e, None if factor is None else
                               factor * e, settings["size"], settings["n_max"])
        d = cache[le]
        return -math.inf if d is None else d.ratio

    a, b = hi - _GOLDEN * (hi - lo), lo + _GOLDEN * (hi - lo)
    for _ in range(settings["refine"]):
        if at(a) >= at(b):  # the maximum is in [lo, b]
            hi, b = b, a
            a = hi - _GOLDEN * (hi - lo)
        else:               # in [a, hi]
            lo, a = a, b
            b = lo + _GOLDEN * (hi - lo)
    found = [d for d in cache.values() if d is not None] + [best]
    return max(found, key=lambda d: d.ratio)


def certify(problem: IterationProblem, d: Design, max_cap: int) -> Certificate:
    """Build the designed member and replay it (see :mod:`lab.adversary.replay`)."""
    m_arg = math.nan if d.sup_grad is None else d.sup_grad
    method = problem.method(d.L0, d.L1, d.eps, math.nan, m_arg)
    # Δ must reach the rise to M (the bump that makes M exact): lengthen the run's tail
    extra = (d.delta - d.delta_run) * (1 + 1e-6) if d.delta > d.delta_run else 0.0
    recipe = dict(L0=d.L0, L1=d.L1, method=method, x0=0.0, sup_grad=d.sup_grad or max(
        d.gradients), extra_gap=extra, gradients=list(d.gradients))
    run = member_from_run(**recipe)
    return _replayed(problem, run.member, 0.0, d.eps, recipe, "run", max_cap, d.n)


def _replayed(problem, member, x0, eps, recipe, kind, max_cap, n_design,
              bound_cap: bool = False) -> Certificate:
    """Replay ``member`` from ``x0``; ``bound_cap``: only to ``floor(B) + 1`` (lower bounds)."""
    L0, L1 = member.L0, member.L1
    delta, m = member.gap(x0), member.sublevel_sup_grad(x0)
    method = problem.method(L0, L1, eps, delta, m)
    b = problem.bound(L0, L1, eps, delta, m)
    floor_b = math.floor(b) + 1 if math.isfinite(b) else 0
    want = floor_b if bound_cap and floor_b > 0 else max(2 * (n_design + 1) + 10, floor_b)
    cap = int(min(max_cap, want))
    r = replay(member, x0=x0, eps=eps, method=method, bound=b, cap=cap)
    return Certificate(L0, L1, eps, x0, delta, m, b, r.t_engine, r.t_mp, cap, repr(method),
                       recipe, kind)


def shrink_run(problem: IterationProblem, worst: Certificate, settings: dict,
               margin: float = 1.1) -> Certificate:
    """The shortest designed run at the worst instance whose model ratio reaches ``margin``,
    certified; ``worst`` itself when that one is not a counterexample (or not a run)."""
    if worst.kind != "run":
        return worst
    m = worst.recipe.get("sup_grad") if problem.needs_m else None
    d = design(problem, worst.L0, worst.L1, worst.eps, m, settings["size"],
               settings["n_max"], target=margin)
    if d is None or d.n >= len(worst.recipe["gradients"]) - 1:
        return worst
    c = certify(problem, d, worst.cap)
    return c if c.t is not None and c.t > c.bound else worst


def assemble(results: list[list[Design]]) -> list[Design]:
    """Merge task results in task order (the order of :func:`tasks_for`)."""
    return [d for part in results for d in part]
