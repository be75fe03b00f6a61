"""``python -m lab bench --scale``: what a LocalCluster of N workers buys a NumPy sweep.

One process, measured as ratios in one run (DESIGN.md, Performance):

* **speedup**: wall time of a NumPy-backend sweep in this process over its wall time on a
  warm ``local:N`` cluster (the cluster is started and every worker has imported the engine
  before the clock starts: start-up is a one-off cost, reported apart). The workload is
  clipped GD on x^4 (eps tiny, so every run spends its whole budget), ``runs x iters``
  run-iterations cut into about four chunks per worker. The two sides alternate over
  ``rounds`` rounds and each keeps its best, so a shared machine's load drift hits both.
* **overhead per task**: the wall time per task of ``map_tasks`` over many tasks that do
  nothing, on the same cluster (scheduling, serialization, the round trip), also as a
  fraction of the mean chunk time of the workload.

The load average is printed with the result: on a shared machine the ratio means little when
the load is above the core count.
"""

from __future__ import annotations

import os
import time
from typing import Any, Callable

from lab.engine.sweep import parse_config, run_sweep
from lab.engine.sweep_chunks import chunk_size, sweep_batches
from lab.parallel import map_tasks, open_client

#: (runs, iterations) of the workload: full and --quick (both >= 10^7 run-iterations). The full
#: workload is 5e8 run-iterations (about 4 s in one process): with 1e8 (1.4 s) the fixed cost of
#: one distributed sweep (scheduling, gathering, concatenation) held the ratio near 1.5.
SIZES = {False: (1 << 17, 4000), True: (1 << 14, 1000)}

#: tasks of the overhead measurement
NOOP_TASKS = {False: 400, True: 100}


def scale_plan(runs: int, iters: int):
    """The workload as a sweep plan: clipped GD on x^4 from ``runs`` random starts.

    Examples
    --------
    >>> plan = scale_plan(1000, 50)
    >>> b = sweep_batches(plan)[0]
    >>> (b.n_runs, plan.max_iter, plan.backend)
    (1000, 50, 'numpy')
    """
    return parse_config({
        "sweep": {"eps": 1e-12, "max_iter": iters, "backend": "numpy"},
        "functions": [{"name": "quartic"}],
        "methods": [{"name": "clipped", "grid": {"eta": [0.01], "gamma": [1.0]}}],
        "starts": {"random": {"count": runs, "low": -3.0, "high": 3.0, "seed": 0}}})


def _noop(index: int) -> int:
    return index


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def scale_numbers(client, *, workers: int, runs: int, iters: int, rounds: int,
                  noop_tasks: int) -> dict[str, float]:
    """The measurement on a running ``client`` (see the module docstring).

    Returns
    -------
    dict
        ``speedup``, ``seconds_in_process``, ``seconds_cluster``, ``overhead_s`` (per task),
        ``overhead_per_chunk`` (as a fraction of the mean chunk time), ``run_iterations``,
        ``chunks``.
    """
    plan = scale_plan(runs, iters)
    run_sweep(scale_plan(8, 2), client=client)  # every worker imports the engine
    run_sweep(scale_plan(8, 2))
    best_here = best_there = float("inf")
    for _ in range(rounds):
        t_here, ds = _timed(lambda: run_sweep(plan))
        t_there, ds2 = _timed(lambda: run_sweep(plan, client=client))
        if not ds.identical(ds2):  # pragma: no cover - the tests say it never does
            raise RuntimeError("the cluster's sweep differs from the in-process one")
        best_here, best_there = min(best_here, t_here), min(best_there, t_there)
    t_noop, _ = _timed(lambda: map_tasks(_noop, range(noop_tasks), client=client))
    chunks = -(-runs // chunk_size(plan, runs, workers))
    out = {"speedup": best_here / best_there, "seconds_in_process": best_here,
           "seconds_cluster": best_there, "overhead_s": t_noop / noop_tasks,
           "run_iterations": int(ds["iterations"].sum()), "chunks": chunks}
    out["overhead_per_chunk"] = out["overhead_s"] / (best_here / chunks)
    return out


def measure_scale(*, workers: int = 2, quick: bool = False, rounds: int = 2,
                  log: Callable[[str], None] = print) -> dict[str, float]:
    """Start a ``local:workers`` cluster, measure, log the lines and return the numbers
    (those of :func:`scale_numbers`, plus ``startup_s`` and ``load``, the 1-minute load
    average at the start)."""
    runs, iters = SIZES[quick]
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    with open_client(f"local:{workers}") as client:
        client.wait_for_workers(workers)
        startup = time.perf_counter() - t0
        out = scale_numbers(client, workers=workers, runs=runs, iters=iters, rounds=rounds,
                            noop_tasks=NOOP_TASKS[quick])
    out.update(startup_s=startup, load=load)
    work, here, there = out["run_iterations"], out["seconds_in_process"], out["seconds_cluster"]
    log(f"NumPy sweep, clipped GD on x^4: {runs} runs x {iters} iterations = {work:.3g} "
        f"run-iterations in {out['chunks']} chunks; best of {rounds} alternating rounds")
    log(f"  in-process    {here:8.3f} s  ({work / here:.3e} run-it/s)")
    log(f"  local:{workers:<6} {there:8.3f} s  ({work / there:.3e} run-it/s), "
        f"cluster start-up {startup:.1f} s (not counted)")
    log(f"  overhead per task {out['overhead_s'] * 1e3:.2f} ms ({NOOP_TASKS[quick]} empty "
        "tasks)")
    log(f"scale: local:{workers}/in-process speedup={out['speedup']:.3g} "
        f"overhead/chunk={out['overhead_per_chunk']:.3g} "
        f"(load average {load:.2f} on {os.cpu_count()} cores)")
    return out
