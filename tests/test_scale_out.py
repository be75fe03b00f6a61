"""On a LocalCluster of 2 worker processes: the same bits as one process, nothing lost.

The statements: a sweep, a Zarr store written by the workers, claim searches with several
streams, the claims table, the points of figures a/b and the whole-class adversary's tasks
equal their in-process results bit for bit; a worker killed
in the middle of a sweep loses no run; a task that raises once is retried, one that raises
twice is reported with its parameters; an interrupt cancels the work and leaves no output. CI
runs these on a LocalCluster only (one cluster for the module: starting one takes seconds).
"""

from __future__ import annotations

import os
import signal

import pytest
import xarray as xr

pytest.importorskip("distributed")

from lab.engine.sweep import run_sweep  # noqa: E402
from lab.parallel import TaskFailed, map_tasks, open_client  # noqa: E402
from test_parallel import plan_of  # noqa: E402


@pytest.fixture(scope="module")
def client():
    with open_client("local:2") as c:
        c.wait_for_workers(2)
        yield c


def test_sweep_on_two_workers_is_the_in_process_sweep(client):
    plan = plan_of(chunk=9)
    xr.testing.assert_identical(run_sweep(plan, client=client), run_sweep(plan))


def test_zarr_store_written_by_the_workers(client, tmp_path):
    pytest.importorskip("zarr")
    from lab.engine.sweep_store import write_zarr

    plan = plan_of(chunk=16)
    counts = write_zarr(plan, tmp_path / "w.zarr", client=client)
    stored = xr.open_zarr(tmp_path / "w.zarr").load()
    xr.testing.assert_equal(stored, run_sweep(plan))
    assert sum(counts.values()) == stored.sizes["run"] == 100


VERDICT_FIELDS = ("verdict", "worst_ratio", "where", "counterexample", "method",
                  "evaluations", "ratios")


def test_claim_search_streams_on_workers_equal_in_process(client):
    """A hunt of 2 streams (seeds 0 and 1), one task each: the same verdict, worst ratio,
    worst instance and tried instances as in this process."""
    from lab.claims import check_claim

    here = check_claim("descent-trust-region", budget="quick", streams=2)
    there = check_claim("descent-trust-region", budget="quick", streams=2, client=client)
    assert [getattr(there, f) for f in VERDICT_FIELDS] == [getattr(here, f)
                                                           for f in VERDICT_FIELDS]


def test_claims_table_on_workers_equals_in_process(client):
    """The catalogue's task (one claim's check, lab.claims.check.verdict_fields) on a slice
    of the catalogue (search checks, a refuted claim, a sweep check): the same table and the
    same ratios as in this process; check_all(client=) runs exactly these tasks."""
    from lab.claims import ClaimVerdict, get_claim
    from lab.claims.check import verdict_fields
    from lab.claims.claim import as_budget
    from lab.claims.report import format_table
    from lab.claims.streams import claim_ref

    claims = [get_claim(n) for n in ("fact-exp-sum", "blog-descent-global", "step-ordering",
                                     "theorem4-gd-lower-half")]
    tasks = [(claim_ref(c), as_budget("quick"), 0, None, 1) for c in claims]
    here = map_tasks(verdict_fields, tasks, star=True)
    there = map_tasks(verdict_fields, tasks, star=True, client=client)
    assert [{k: v for k, v in f.items() if k != "seconds"} for f in there] == [
        {k: v for k, v in f.items() if k != "seconds"} for f in here]
    table = [format_table([ClaimVerdict(claim=c, **f) for c, f in zip(claims, fields)])
             for fields in (here, there)]
    assert table[0] == table[1] and "4 claims: 4 as expected" in table[0]


#: every run spends its whole budget: 20 chunks of 5 runs, each a fraction of a second
KILL_CONFIG = """
[sweep]
eps = 1e-12
max_iter = 4000
chunk = 5

[[functions]]
name = "quartic"

[[methods]]
name = "clipped"
grid = { eta = [0.001, 0.002, 0.003, 0.004], gamma = [1.0] }

[starts]
random = { count = 25, low = 1.0, high = 3.0, seed = 2 }
"""


def test_killed_worker_loses_no_run(client):
    """SIGKILL one worker while it has chunks: dask re-runs them elsewhere, and the sweep
    is complete and the same bits as one process."""
    plan = plan_of(KILL_CONFIG)
    killed = []

    def kill_a_busy_worker(index, frame):
        busy = [w for w, keys in client.processing().items() if keys]
        if killed or not busy:
            return
        for address, pid in client.run(os.getpid, workers=busy[:1]).items():
            os.kill(pid, signal.SIGKILL)
            killed.append(address)

    ds = run_sweep(plan, lambda runs: kill_a_busy_worker(None, None), client=client)
    assert killed and ds.sizes["run"] == 100
    xr.testing.assert_identical(ds, run_sweep(plan_of(KILL_CONFIG, chunk=100)))
    assert (ds["status"].values == "budget").all()
    client.wait_for_workers(2)


def fail_once(marker: str, value: int) -> int:
    """Raise the first time (a transient fault), succeed on the retry."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        raise OSError("transient")
    return value * 10


def fail_or_pass(value: int) -> int:
    if value == 7:
        raise ValueError(f"bad value {value}")
    return value


def test_a_task_that_fails_once_is_retried(client, tmp_path):
    tasks = [(str(tmp_path / f"m{i}"), i) for i in range(3)]
    assert map_tasks(fail_once, tasks, star=True, client=client) == [0, 10, 20]


def test_a_task_that_fails_twice_is_reported_with_its_parameters(client):
    with pytest.raises(TaskFailed, match=r"task 1 of 2 \(value=7\) failed twice, the last "
                                         r"time with ValueError: bad value 7") as info:
        map_tasks(fail_or_pass, [3, 7], client=client, describe=lambda v: f"value={v}")
    assert isinstance(info.value.error, ValueError)


def test_interrupt_cancels_and_leaves_no_store(client, tmp_path):
    pytest.importorskip("zarr")
    from lab.engine.sweep_store import write_zarr

    def interrupt(runs):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_zarr(plan_of(chunk=5), tmp_path / "i.zarr", client=client, progress=interrupt)
    assert not (tmp_path / "i.zarr").exists()


def test_scale_bench_numbers_on_the_cluster(client):
    """bench --scale's measurement (tiny sizes): the cluster's sweep is checked identical
    inside, every run spends its budget, and the numbers are the ones the line prints."""
    from lab.engine.bench_scale import scale_numbers

    out = scale_numbers(client, workers=2, runs=64, iters=30, rounds=1, noop_tasks=10)
    assert out["run_iterations"] == 64 * 30 and out["chunks"] == 1
    assert out["speedup"] == out["seconds_in_process"] / out["seconds_cluster"] > 0
    assert out["overhead_per_chunk"] == out["overhead_s"] / out["seconds_in_process"]


def test_figure_points_on_workers_equal_in_process(client):
    """Figures a/b: every (class, M, eps) point is a task; the rows are the same."""
    import numpy as np

    from lab.figures.complexity import SearchConfig, measure_points

    cfg = SearchConfig(h_grid=tuple(2.0 ** -np.arange(0, 10)), gamma_grid=(0.5, 1.0, 4.0),
                       cap=20_000)
    points = [("quartic", 10.0, 0.5), ("exp", 10.0, 0.5), ("quartic", 30.0, 0.5)]
    here = measure_points(points, cfg)
    assert measure_points(points, cfg, client=client) == here and len(here) == 18


def _theorem3(L0, L1, eps, delta, m):
    from lab.methods import theorem3_clipped

    return theorem3_clipped(L0, L1)


def _theorem3_bound(L0, L1, eps, delta, m):
    return 20 * L0 * delta / eps**2 + 20 * max(1, L1**2) * delta / L0


def _fixed_step(L0, L1, eps, delta, m):
    from lab.methods import gd

    return gd(h=4.0)


def test_adversary_tasks_on_workers_equal_in_process(client):
    """The whole-class adversary's tasks (designed runs per (L0, L1), control-search restarts
    each with its own seed, hard members per parameter value) give the same results on 2
    workers as in this process."""
    from functools import partial

    from lab.adversary import iteration
    from lab.adversary.lower import step_results
    from lab.adversary.problem import IterationProblem, adversary_budget
    from lab.adversary.search import _controls_task

    p = IterationProblem(method=_theorem3, bound=_theorem3_bound)
    settings = dict(adversary_budget("quick"), eps_points=3)
    tasks = iteration.tasks_for(p, [(1.0, 1.0), (1.0, 4.0)], settings)
    run = partial(iteration.run_task, p)
    designs = map_tasks(run, tasks)
    assert map_tasks(run, tasks, client=client) == designs and designs[0]
    restarts = [(1.0, 1.0, seed, 2, 2) for seed in range(3)]
    draws = map_tasks(partial(_controls_task, p), restarts)
    assert map_tasks(partial(_controls_task, p), restarts, client=client) == draws
    assert len({d.params for d in draws}) == 3  # their own seeds: three different restarts
    lower = IterationProblem(method=_fixed_step, bound=lambda *a: 1000.0,
                             bound_uses=frozenset({"Delta", "M"}))
    inst = [(1.0, 1.0, 0.5, 2.0), (1.0, 2.0, 0.5, 3.0)]
    here = step_results({4.0: lower}, inst, {"size": 8, "n_max": 50}, 10**6)
    there = step_results({4.0: lower}, inst, {"size": 8, "n_max": 50}, 10**6, client=client)
    # certificates hold Method objects (equal by identity): compare their exact reprs
    assert repr(there) == repr(here) and all(r.confirmed for r in here)


def _gd_step(c, e, d, M, h):
    from lab.methods import gd

    return gd(h=h)


def _fixed_values(c, e, d, M):
    return (1e-3, 0.1, 10.0)


def test_whole_class_lower_bound_on_workers_equals_in_process(client):
    """A lower-bound claim on the whole class (Theorem 4's bound, three step sizes): one task
    per parameter value (its own search); the observations on 2 workers are the in-process
    ones."""
    from types import SimpleNamespace as NS

    import sympy as sp

    from lab.adversary.whole import whole_class_observations

    L0, L1, eps, delta, m = sp.symbols("L0 L1 epsilon Delta M", nonnegative=True)
    b4 = L1 * m * (delta - sp.Rational(5, 8) * eps) / (8 * eps**2 * (sp.log(m) + 1))
    f4 = sp.lambdify((L0, L1, eps, delta, m), b4, "math")
    spec = NS(kind="lower-bound", bound=b4, positive_l0=True, allow_l_smooth=True,
              method=_gd_step, values=_fixed_values,
              bound_value=lambda c, e, d, M: f4(c.L0, c.L1, e, d, M))
    budget = dict(size=16, n_max=300, eps_points=3, m_points=2, refine=1, restarts=1, draws=2,
                  polish=4)
    here = whole_class_observations(spec, NS(pairs=((1.0, 2.0),)), budget=budget)
    there = whole_class_observations(spec, NS(pairs=((1.0, 2.0),)), budget=budget,
                                     client=client)
    assert there == here and len(here) == 3


def test_whole_class_claim_file_spreads_its_tasks_and_equals_in_process(client):
    """A claim file on ``whole = "1d"`` checked with a client: the adversary check cuts its own
    tasks (designed runs per (L0, L1), control restarts) instead of running as one "claim"
    task on one worker, and the verdict (worst ratio, where, the printed member) is the
    in-process one."""
    from pathlib import Path

    from distributed import get_task_stream

    from lab.claims.check import check_claim
    from lab.claims.files import load_claim_file

    path = Path(__file__).parents[1] / "examples" / "claims-whole" / \
        "clipped-constant-12-whole.toml"
    claim = load_claim_file(path)
    assert claim.checks[0].distributes
    here = check_claim(claim, budget="quick")
    with get_task_stream(client) as stream:
        there = check_claim(claim, budget="quick", client=client)
    names = [task["key"][0] if isinstance(task["key"], tuple) else str(task["key"])
             for task in stream.data]
    assert len(names) > 1 and not any(name.startswith("claim") for name in names)
    assert (there.verdict, there.worst_ratio, there.where, there.counterexample) == \
        (here.verdict, here.worst_ratio, here.where, here.counterexample)
