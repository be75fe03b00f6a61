"""Data of the complexity figures (a: iterations vs M, b: iterations vs ε). No plotting.

For each class (:mod:`lab.figures.classes`) and each (M, ε), every method below is run by
the engine (:func:`lab.engine.run_batch`, NumPy backend) on every member and start point;
its complexity is the worst first hitting time of ``|f'| <= ε`` over them:

* ``gd_best``: fixed-step GD with the best single step for the class, chosen over a
  geometric grid of h (which includes Theorem 6's step) by the worst case over the class;
* ``gd_thm6``: GD with Theorem 6's step ``1/(2(M L1 + L0))``;
* ``clipped_thm3``: clipped GD with Theorem 3's ``η_c = 1/(10 L0)``,
  ``γ = min{1/η_c, 1/(10 L1 η_c)}``;
* ``clipped_tuned``: clipped GD with Theorem 3's η_c and the best γ over a grid (which
  includes Theorem 3's γ), chosen by the worst case over the class;
* ``normalized``: normalized GD with the paper's map from Theorem 3's parameters;
* ``eta_star``: GD with the exponential-model step η*(L0, L1).

The grid searches run every candidate at once (one batch per member) with a budget that
grows by 4x until some candidate has converged on every member: a candidate still running
at budget B is worse than any that finished within B, so the first finished set holds the
best. A run still unfinished at the cap is *censored*: its count is a lower bound.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from tqdm.auto import tqdm

from lab.engine import run_batch
from lab.figures.bounds import all_bounds
from lab.figures.classes import ProblemClass, get_class
from lab.methods import (clipped, eta_star, gd, normalized_from_clipped, theorem3_clipped,
                         theorem6_gd)
from lab.parallel import map_tasks

METHOD_KEYS = ("gd_best", "gd_thm6", "clipped_thm3", "clipped_tuned", "normalized", "eta_star")

#: the columns of the figure-a/b data files
COLUMNS = ("class", "M", "eps", "gap", "L0", "L1", "method", "params", "iterations",
           "censored", "bound_thm3", "bound_thm4", "bound_thm6", "bound_later")


@dataclass(frozen=True)
class SearchConfig:
    """Grids and budgets of the measurements.

    Attributes
    ----------
    h_grid : tuple of float
        Candidate fixed steps of ``gd_best`` (Theorem 6's step is added per point).
    gamma_grid : tuple of float
        Candidate clipping thresholds of ``clipped_tuned`` (Theorem 3's γ is added).
    cap : int
        Iteration budget per run; a run still going at ``cap`` is censored.
    start_budget : int
        First budget of the growing-budget search.
    """

    h_grid: tuple = tuple(2.0 ** (np.arange(-80, 14) / 4.0))
    gamma_grid: tuple = tuple(2.0 ** (np.arange(-14, 21) / 2.0))
    cap: int = 2_000_000
    start_budget: int = 256


@dataclass(frozen=True)
class Outcome:
    """The worst case of one method (or the best grid candidate) over a class."""

    iterations: int
    censored: bool
    diverged: bool
    params: str


def _fmt(v: float) -> str:
    return f"{v:.6g}"


def worst_case(pclass: ProblemClass, M: float, eps: float, method, cap: int) -> Outcome:
    """Worst first hitting time of ``method`` over the class's members and starts.

    Examples
    --------
    >>> from lab.methods import theorem3_clipped
    >>> o = worst_case(get_class("exp"), 10.0, 0.5, theorem3_clipped(1.0, 1.0), 10_000)
    >>> o.iterations, o.censored
    (33, False)
    """
    worst, censored, diverged = 0, False, False
    for fn, starts in pclass.members(M, eps):
        r = run_batch(fn, method, starts, eps=eps, max_iter=cap)
        if np.any(r.status == 2):
            diverged = True
        if np.any(r.status == 1):
            censored = True
        worst = max(worst, int(np.max(np.where(r.hit >= 0, r.hit, cap))))
    params = ", ".join(f"{k}={_fmt(float(v))}" for k, v in method.params.items())
    return Outcome(cap if censored else worst, censored, diverged, params)


def best_over_grid(pclass: ProblemClass, M: float, eps: float,
                   make: Callable[[np.ndarray], object], grid, *, cap: int,
                   start_budget: int = 256, name: str = "h") -> Outcome:
    """The grid value whose worst case over the class is smallest (ties: first in the grid).

    ``make(values)`` builds a method with one parameter value per run.

    Examples
    --------
    >>> from lab.methods import gd
    >>> o = best_over_grid(get_class("quartic"), 4.0, 0.5, lambda h: gd(h=h),
    ...                    [0.01, 0.05, 0.1, 0.2], cap=10_000)
    >>> o.params, o.iterations
    ('h=0.2', 1)
    """
    grid = np.asarray(sorted(set(float(v) for v in grid)), dtype=np.float64)
    alive = np.ones(grid.size, dtype=bool)
    members = pclass.members(M, eps)
    budget = max(1, int(start_budget))
    while True:
        budget = min(budget, cap)
        idx = np.flatnonzero(alive)
        worst = np.zeros(idx.size, dtype=np.int64)
        done = np.ones(idx.size, dtype=bool)
        bad = np.zeros(idx.size, dtype=bool)
        for fn, starts in members:
            k = starts.shape[0]
            values = np.repeat(grid[idx], k)
            x0 = np.tile(starts, (idx.size, 1))
            r = run_batch(fn, make(values), x0, eps=eps, max_iter=budget)
            hit = r.hit.reshape(idx.size, k)
            status = r.status.reshape(idx.size, k)
            bad |= (status == 2).any(axis=1)
            done &= (status == 0).all(axis=1)
            worst = np.maximum(worst, np.where(hit >= 0, hit, budget).max(axis=1))
        ok = done & ~bad
        if ok.any():
            j = int(np.flatnonzero(ok)[np.argmin(worst[ok])])
            return Outcome(int(worst[j]), False, False, f"{name}={_fmt(grid[idx[j]])}")
        alive[idx[bad]] = False
        if budget >= cap or not alive.any():
            return Outcome(cap, alive.any(), not alive.any(), f"{name}=none within budget")
        budget *= 4


def measure_point(pclass: ProblemClass, M: float, eps: float, config: SearchConfig,
                  methods=METHOD_KEYS) -> list[dict]:
    """One row per method at (M, ε): worst-case iterations and every bound.

    Examples
    --------
    >>> cfg = SearchConfig(h_grid=(0.01, 0.1), gamma_grid=(1.0,), cap=10_000)
    >>> rows = measure_point(get_class("exp"), 10.0, 0.5, cfg, methods=("clipped_thm3",))
    >>> rows[0]["iterations"], rows[0]["bound_thm3"] > rows[0]["iterations"]
    (33, True)
    """
    L0, L1 = pclass.L0, pclass.L1
    thm3 = theorem3_clipped(L0, L1)
    thm6 = theorem6_gd(L0, L1, M)
    eta_c, gamma3 = thm3.params["eta"], thm3.params["gamma"]
    gap = pclass.gap(M, eps)
    bounds = {f"bound_{k}": float(v) for k, v in all_bounds(L0, L1, M, gap, eps).items()}
    cap = config.cap
    rows = []
    for key in methods:
        if key == "gd_best":
            out = best_over_grid(pclass, M, eps, lambda h: gd(h=h),
                                 (*config.h_grid, thm6.params["h"]), cap=cap,
                                 start_budget=config.start_budget, name="h")
        elif key == "clipped_tuned":
            out = best_over_grid(pclass, M, eps, lambda g: clipped(eta=eta_c, gamma=g),
                                 (*config.gamma_grid, gamma3), cap=cap,
                                 start_budget=config.start_budget, name="gamma")
            out = Outcome(out.iterations, out.censored, out.diverged,
                          f"eta={_fmt(eta_c)}, {out.params}")
        else:
            method = {"gd_thm6": thm6, "clipped_thm3": thm3,
                      "normalized": normalized_from_clipped(eta_c, gamma3),
                      "eta_star": eta_star(L0, L1)}[key]
            out = worst_case(pclass, M, eps, method, cap)
        rows.append({"class": pclass.name, "M": float(M), "eps": float(eps), "gap": gap,
                     "L0": L0, "L1": L1, "method": key, "params": out.params,
                     "iterations": -1 if out.diverged else out.iterations,
                     "censored": out.censored, **bounds})
    return rows


def measure_class_point(class_name: str, M: float, eps: float, config: SearchConfig
                        ) -> list[dict]:
    """:func:`measure_point` for a class given by name: one deterministic task (figures a/b
    run these on a Dask cluster with ``client=``)."""
    return measure_point(get_class(class_name), float(M), float(eps), config)


def measure_points(points, config: SearchConfig = SearchConfig(), *, progress: bool = False,
                   desc: str = "points", client=None) -> list[dict]:
    """Rows of :func:`measure_point` for every ``(class name, M, ε)`` of ``points``, in order.

    ``client``: a :class:`distributed.Client` to measure the points on (the rows are the
    same bits: each point is an independent deterministic task, see :mod:`lab.parallel`).

    Examples
    --------
    >>> cfg = SearchConfig(h_grid=(0.01, 0.1), gamma_grid=(1.0,), cap=10_000)
    >>> rows = measure_points([("exp", 10.0, 0.5)], cfg)
    >>> [r["method"] for r in rows][:2]
    ['gd_best', 'gd_thm6']
    """
    tasks = [(name, float(M), float(eps), config) for name, M, eps in points]
    bar = None
    if progress:
        bar = tqdm(total=len(tasks), desc=desc, leave=False)
    try:
        parts = map_tasks(measure_class_point, tasks, star=True, client=client,
                          name="figure-point",
                          describe=lambda t: f"class {t[0]}, M = {t[1]}, eps = {t[2]}",
                          on_result=None if bar is None else lambda i, r: bar.update())
    finally:
        if bar is not None:
            bar.close()
    return [row for part in parts for row in part]


def iterations_vs_M(class_name: str, Ms, eps: float, config: SearchConfig = SearchConfig(),
                    *, progress: bool = False, client=None) -> list[dict]:
    """Figure a's data for one class: rows of :func:`measure_point` over ``Ms``.

    Examples
    --------
    >>> cfg = SearchConfig(h_grid=tuple(2.0 ** -np.arange(0, 12)), gamma_grid=(1.0,), cap=20_000)
    >>> rows = iterations_vs_M("quartic", [10.0, 100.0], 0.5, cfg, )
    >>> sorted({r["method"] for r in rows}) == sorted(METHOD_KEYS)
    True
    """
    return measure_points([(class_name, M, eps) for M in Ms], config, progress=progress,
                          desc=f"figure a, {class_name}", client=client)


def iterations_vs_eps(class_name: str, M: float, epss, config: SearchConfig = SearchConfig(),
                      *, progress: bool = False, client=None) -> list[dict]:
    """Figure b's data for one class: rows of :func:`measure_point` over ``epss``."""
    return measure_points([(class_name, M, eps) for eps in epss], config, progress=progress,
                          desc=f"figure b, {class_name}", client=client)
