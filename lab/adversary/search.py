"""The adversary's entry points: worst cases of iteration bounds over the whole class.

:func:`iteration_worst` combines the three searches of :mod:`lab.adversary.iteration`
(designed runs, cycles, control search), replays the best candidates and returns the largest
*certified* ``T_ε/B``; :func:`lower_bound_worst` finds a hard member for every parameter value
of a lower-bound claim. Work is cut into deterministic tasks (``lab.parallel.map_tasks``): pass a
Dask ``client`` to spread them; results are assembled in task order, so the outcome is the same
bits on any number of workers.

Examples
--------
>>> from lab.adversary.problem import IterationProblem
>>> from lab.methods import gd
>>> p = IterationProblem(method=lambda L0, L1, eps, d, m: gd(h=1.0 / L0),
...                      bound=lambda L0, L1, eps, d, m: 2 * L0 * d / eps**2)
>>> w = iteration_worst(p, [(1.0, 0.0)], budget="quick")
>>> 0.99 < w.ratio <= 1.0        # GD with h = 1/L: 2LΔ/ε² is tight (at n = 0)
True
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from functools import partial

from lab.adversary import controls, iteration
from lab.adversary.certificate import Certificate
from lab.adversary.cycles import cycle_certificate
from lab.adversary.lower import StepResult, step_results
from lab.adversary.problem import IterationProblem, adversary_budget
from lab.parallel import map_tasks

#: What a whole-class verdict covers, in words.
COVERED = ("the whole univariate (L0, L1) class: designed monotone runs (exact least Δ on a "
           "gradient grid), cycles, and a search over controls")


@dataclass
class WorstCase:
    """The outcome of :func:`iteration_worst`.

    Attributes
    ----------
    certificate : Certificate or None
        The largest certified ratio's member and replay.
    designs : list
        Every designed run scanned (model ratios), for figures.
    evaluations : int
        Candidates evaluated (designs, cycles tried, control draws).
    seconds : float
    """

    certificate: Certificate | None
    designs: list = field(default_factory=list)
    evaluations: int = 0
    seconds: float = 0.0

    @property
    def ratio(self) -> float:
        """The largest certified ``T_ε/B`` (0 when nothing was certified)."""
        return 0.0 if self.certificate is None else self.certificate.ratio


def _controls_task(problem, task):
    L0, L1, seed, draws, polish = task
    return controls.restart(problem, L0, L1, seed=seed, draws=draws, polish=polish)


def iteration_worst(problem: IterationProblem, pairs, *, budget: str = "default",
                    max_cap: int = 10**6, client=None) -> WorstCase:
    """The largest certified ``T_ε/B`` over the class's (L0, L1) pairs (module docstring)."""
    start = time.perf_counter()
    settings = adversary_budget(budget)
    tasks = iteration.tasks_for(problem, pairs, settings)
    designs = iteration.assemble(map_tasks(partial(iteration.run_task, problem), tasks,
                                           client=client))
    certs: list[Certificate] = []
    if designs:
        best = iteration.refine(problem, max(designs, key=lambda d: d.ratio), settings)
        certs.append(iteration.certify(problem, best, max_cap))
    evaluations = len(designs)
    for task in tasks:  # cycles at a few tolerances of each pair
        for eps in task.eps_values[:: max(1, len(task.eps_values) // 3)]:
            evaluations += 1
            c = cycle_certificate(problem, L0=task.L0, L1=task.L1, eps=eps, M=2.0 * eps)
            if c is not None:
                certs.append(c)
                break
    ctasks = [(L0, L1, seed, settings["draws"], settings["polish"]) for L0, L1 in pairs
              for seed in range(settings["restarts"])]
    draws = map_tasks(partial(_controls_task, problem), ctasks, client=client)
    evaluations += sum(t[3] + t[4] for t in ctasks)
    if draws:
        i = max(range(len(draws)), key=lambda j: draws[j].ratio)
        if math.isfinite(draws[i].ratio):
            c = controls.certify_draw(problem, ctasks[i][0], ctasks[i][1], draws[i], max_cap)
            if c is not None:
                certs.append(c)
    best_cert = max(certs, key=lambda c: c.ratio) if certs else None
    return WorstCase(best_cert, designs, evaluations, time.perf_counter() - start)


def lower_bound_worst(problems: dict, instances, *, budget: str = "default",
                      max_cap: int = 10**6, client=None) -> list[StepResult]:
    """For every parameter value and instance ``(L0, L1, ε, M)``: the hardest member found
    (``client``: one task per pair on a Dask cluster, the same results)."""
    settings = adversary_budget(budget)
    return step_results(problems, instances, settings, max_cap, client=client)
