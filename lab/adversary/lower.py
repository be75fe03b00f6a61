"""Lower bounds on the whole class: for each value of the method's parameter, a hard member.

A lower-bound claim says: for every parameter value p (a fixed step h, say) some member of the
class needs at least ``B`` iterations. For each p and each instance ``(L0, L1, ε, M)`` the
adversary looks for the member with the largest certified ``T_ε / B``:

* a **cycle** (:func:`lab.adversary.build.cycle_member`) at gradient ``g <= M`` when the step
  is long enough (``T_ε = ∞``); its certificate is exact: the iterates alternate between two
  plateaus on which f' is constant, and the drift per period ``h |g - g'|`` (``g'`` the
  other plateau's value, equal to g up to rounding) keeps them on the plateaus for more
  than B iterations;
* a **slope** when the step is short: one plateau ``f' = 2ε`` long enough that the run needs
  ``B`` steps to cross it (cheap: a few pieces);
* otherwise a **designed run** with M exact (:mod:`lab.adversary.iteration`), certified at the
  smallest n whose model ratio reaches 1 (cheaper than the largest n, and enough).

Replays run to ``floor(B) + 1`` iterations only (enough to certify ``T_ε >= B``).

p is *confirmed* when a replayed member needs ``>= B``; a p without one is reported as such:
evidence against the claim (no hard member found), not a proof that none exists.

Examples
--------
>>> from lab.adversary.problem import IterationProblem
>>> from lab.methods import gd
>>> p = IterationProblem(method=lambda L0, L1, eps, d, m: gd(h=4.0),
...                      bound=lambda L0, L1, eps, d, m: 1000.0,
...                      bound_uses=frozenset({"Delta", "M"}))
>>> [r] = step_results({4.0: p}, [(1.0, 1.0, 0.5, 2.0)], {"size": 8, "n_max": 50}, 10**6)
>>> r.confirmed, r.certificate.kind     # GD with h = 4 cycles on a member with M = 2
(True, 'cycle')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath

from lab.adversary.build import member_from_run
from lab.adversary.certificate import Certificate
from lab.adversary.cycles import cycle_certificate
from lab.adversary.iteration import _replayed, design
from lab.adversary.problem import IterationProblem
from lab.functions.pieces import rise_integral_mp
from lab.parallel import map_tasks


@dataclass(frozen=True)
class StepResult:
    """The hardest member found for one parameter value at one instance."""

    parameter: float
    instance: tuple
    certificate: Certificate | None

    @property
    def confirmed(self) -> bool:
        """A replayed member needs at least B iterations."""
        return self.certificate is not None and self.certificate.ratio >= 1.0

    @property
    def ratio(self) -> float:
        """``T_ε / B`` of the hardest member (0 when none was found)."""
        return 0.0 if self.certificate is None else self.certificate.ratio


def hardest(problem: IterationProblem, *, L0: float, L1: float, eps: float, M: float,
            size: int, n_max: int, max_cap: int) -> Certificate | None:
    """The hardest member for one instance, cheapest first: a cycle if one exists, then a
    slope (one plateau ``f' = 2ε`` long enough to need B steps) when the step is short,
    else a designed run certified at the smallest n whose model ratio reaches 1."""
    cyc = cycle_certificate(problem, L0=L0, L1=L1, eps=eps, M=M)
    if cyc is not None:
        return cyc
    slope = slope_certificate(problem, L0=L0, L1=L1, eps=eps, M=M, max_cap=max_cap)
    if slope is not None and slope.ratio >= 1:
        return slope
    d = design(problem, L0, L1, eps, M, size, n_max, target=1.001)
    if d is None:
        return slope
    method = problem.method(L0, L1, eps, math.nan, M)
    extra = (d.delta - d.delta_run) * (1 + 1e-6) if d.delta > d.delta_run else 0.0
    recipe = dict(L0=L0, L1=L1, method=method, x0=0.0, sup_grad=M, extra_gap=extra,
                  gradients=list(d.gradients))
    run = member_from_run(**recipe)
    cert = _replayed(problem, run.member, 0.0, eps, recipe, "run", max_cap, d.n,
                     bound_cap=True)
    return cert if slope is None or cert.ratio >= slope.ratio else slope


def slope_certificate(problem: IterationProblem, *, L0: float, L1: float, eps: float,
                      M: float, max_cap: int) -> Certificate | None:
    """A member with a long stretch ``f' = g = 2ε`` (``s = 0``) ending at the start: a step
    ``h`` crosses it in about ``ℓ/(h g)`` iterations while it adds ``g ℓ`` to Δ. When
    ``1/(h g²)`` beats the bound's growth in Δ, ``ℓ`` is chosen so that ``T_ε >= B`` with a
    1% margin; None when no length works (or the step is long: that is the cycles' and the
    designed runs' regime)."""
    g = min(2.0 * eps, M)
    if not g > eps:
        return None
    method = problem.method(L0, L1, eps, math.nan, M)
    h = float(method.step([g])[0])
    base = member_from_run(L0, L1, method, [g], sup_grad=M)
    # M is reached inside the sublevel set only once Δ >= the rise from 0 to M
    with mpmath.workdps(30):
        need = float(rise_integral_mp(mpmath.mpf(M), L0, L1)) * (1 + 1e-6)
    floor_extra = max(0.0, need - base.member.gap(0.0))
    d0 = base.member.gap(0.0) + floor_extra
    b0 = problem.bound(L0, L1, eps, d0, M)
    slope_b = problem.bound(L0, L1, eps, d0 + 1.0, M) - b0  # B grows by this per unit of Δ
    per_unit = 1.0 / (h * g * g)                             # steps per unit of Δ
    if not (h > 0 and per_unit > 1.02 * slope_b and math.isfinite(b0)):
        return None
    extra = floor_extra + max(0.0, 1.02 * b0 / (per_unit - 1.02 * slope_b))
    if extra * per_unit > max_cap:
        return None
    recipe = dict(L0=L0, L1=L1, method=method, x0=0.0, sup_grad=M, extra_gap=extra,
                  gradients=[g])
    run = member_from_run(**recipe)
    return _replayed(problem, run.member, 0.0, eps, recipe, "run", max_cap, 0,
                     bound_cap=True)


def step_result(problem: IterationProblem, p: float, instance: tuple, size: int, n_max: int,
                max_cap: int) -> StepResult:
    """The hardest member for one (parameter value, instance): one deterministic task."""
    L0, L1, eps, M = instance
    cert = hardest(problem, L0=L0, L1=L1, eps=eps, M=M, size=size, n_max=n_max,
                   max_cap=max_cap)
    return StepResult(float(p), (L0, L1, eps, M), cert)


def step_results(problems: dict, instances, settings: dict, max_cap: int, *, client=None
                 ) -> list[StepResult]:
    """For every (parameter value, instance) the hardest member (in a fixed order).

    Each pair is a task (:func:`step_result`); ``client`` spreads them over a Dask cluster
    (:mod:`lab.parallel`) with the same results.
    """
    tasks = [(problem, p, tuple(inst), settings["size"], settings["n_max"], max_cap)
             for p, problem in problems.items() for inst in instances]
    return map_tasks(step_result, tasks, star=True, client=client, name="adversary-lower",
                     describe=lambda t: f"parameter {t[1]!r}, instance {t[2]}")


def weakest(results: list[StepResult]) -> StepResult:
    """The (parameter, instance) with the smallest certified ratio (the binding one)."""
    return min(results, key=lambda r: (r.ratio, r.parameter))


def summary(results: list[StepResult]) -> str:
    """One line: how many parameter values are confirmed, and the weakest."""
    confirmed = sum(r.confirmed for r in results)
    w = weakest(results)
    return (f"{confirmed}/{len(results)} (parameter, instance) pairs confirmed; weakest: "
            f"parameter {w.parameter:.6g} at (L0, L1, eps, M) = {w.instance}, T/B = "
            f"{w.ratio:.4g}")

