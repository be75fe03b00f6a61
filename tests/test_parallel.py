"""lab.parallel and the chunked sweep, in one process (the cluster tests: test_scale_out.py).

The statements: a sweep cut into chunks of any size is the same bits as one engine call per
function x method batch (the lab's sweep before chunks); a Zarr store holds the same data; an
interrupted store leaves nothing under its name; search streams merge in seed order; without
dask, ``--scheduler local:2`` is a one-line usage error that says how to install it.
"""

from __future__ import annotations

import itertools
import warnings

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib

import numpy as np
import pandas as pd
import pytest
import xarray as xr
from hypothesis.errors import HypothesisDeprecationWarning

import lab.parallel
from lab.claims import check_claim, get_claim
from lab.claims.claim import Observation, as_budget
from lab.claims.search import SearchOutcome
from lab.claims.streams import merge_outcomes
from lab.cli import main
from lab.engine import run_batch
from lab.engine.sweep import parse_config, run_sweep, start_points
from lab.errors import LabInputError
from lab.functions import get_function
from lab.methods import get_method
from lab.parallel import TaskFailed, map_tasks, open_client, parse_scheduler

#: stochastic and deterministic methods, a scalar-only parameter with two values (one engine
#: call per grid point), a string parameter, a 2-D function, random starts
CONFIG = """
[sweep]
eps = 1e-3
max_iter = 200
seeds = [0, 3]
chunk = 7

[[functions]]
name = "quartic"

[[functions]]
name = "quartic_norm"
params = { d = 2 }

[[methods]]
name = "clipped"
grid = { eta = [0.01, 0.2], gamma = [1.0, 10.0] }

[[methods]]
name = "sgd"
grid = { h = [0.01], tau = [0.1, 0.5], noise = ["ball"] }

[[methods]]
name = "gd"
grid = { h = [0.001, 0.6] }

[starts]
values = [0.5, 2.5]
random = { count = 3, low = -3.0, high = 3.0, seed = 1 }
"""


def plan_of(text: str = CONFIG, **sweep):
    cfg = tomllib.loads(text)
    cfg["sweep"].update(sweep)
    return parse_config(cfg)


def reference_sweep(plan) -> pd.DataFrame:
    """The sweep as the lab ran it before chunks: one engine call per function x method
    (per grid point when a scalar-only parameter has several values), rows in the order of
    itertools.product(grid points, starts, seeds)."""
    frames = []
    for fname, fparams in plan.functions:
        f = get_function(fname, **fparams)
        X = start_points(plan.starts, f)
        for mname, grid in plan.methods:
            keys = list(grid)
            points = [dict(zip(keys, c)) for c in itertools.product(*grid.values())]
            stochastic = get_method(mname, **points[0]).stochastic
            seeds = plan.seeds if stochastic else plan.seeds[:1]
            combos = list(itertools.product(range(len(points)), range(len(X)), seeds))
            gi, si, ki = (np.array(c) for c in zip(*combos))
            if any(k in ("tau", "noise") and len(grid[k]) > 1 for k in keys):
                parts = [run_batch(f, get_method(mname, **points[g]), X[si[gi == g]],
                                   eps=plan.eps, max_iter=plan.max_iter,
                                   seeds=ki[gi == g]).to_frame() for g in range(len(points))]
                frame = pd.concat(parts, ignore_index=True)
            else:
                arrays = {k: np.array([float(points[g][k]) for g in gi]) for k in keys
                          if k not in ("tau", "noise")}
                fixed = {k: v for k, v in points[0].items() if k not in arrays}
                frame = run_batch(f, get_method(mname, **fixed, **arrays), X[si],
                                  eps=plan.eps, max_iter=plan.max_iter, seeds=ki).to_frame()
            frame["function"] = repr(f)
            frame["method"] = mname
            frame["start"] = si
            frame["start_norm"] = np.linalg.norm(X[si], axis=1)
            frame["seed"] = ki
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("chunk", [3, 10_000])
def test_chunked_sweep_is_the_unchunked_sweep_bit_for_bit(chunk):
    """Runs are independent: any chunking gives the same bits as one call per batch."""
    plan = plan_of(chunk=chunk)
    ds = run_sweep(plan)
    ref = reference_sweep(plan)
    assert ds.sizes["run"] == len(ref) == 2 * (4 * 5 + 2 * 5 * 2 + 2 * 5)
    for col in ("hit", "status", "diverged_at", "iterations", "f", "grad_norm", "start",
                "start_norm", "seed", "function", "method"):
        got, want = ds[col].values, ref[col].to_numpy()
        assert got.dtype.kind == want.dtype.kind, col
        assert np.array_equal(got, want) or (  # nan == nan here: same bits
            got.dtype.kind == "f" and np.array_equal(got.view(np.int64), want.view(np.int64)))
    assert ds["status"].to_series().value_counts().to_dict().keys() <= {
        "converged", "budget", "diverged"}
    assert (ds["status"].values == "diverged").any() and (ds["status"].values == "converged").any()


def test_parameter_columns_are_filled_per_method():
    ds = run_sweep(plan_of())
    clipped = ds["method"].values == "clipped"
    assert np.isnan(ds["param_h"].values[clipped]).all()
    assert set(ds["param_eta"].values[clipped]) == {0.01, 0.2}
    assert set(ds["param_noise"].values) == {"", "ball"}


def test_zarr_store_holds_the_sweep(tmp_path, capsys):
    pytest.importorskip("zarr")
    pytest.importorskip("dask")
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    with pytest.raises(SystemExit) as info:
        main(["sweep", str(cfg), "--out", str(tmp_path / "r.zarr"), "--quiet"])
    assert info.value.code == 0 and "wrote 100 runs" in capsys.readouterr().out
    stored = xr.open_zarr(tmp_path / "r.zarr").load()
    xr.testing.assert_equal(stored, run_sweep(plan_of()))
    assert stored["hit"].encoding["chunks"] == (7,)  # one Zarr chunk per task
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml", "r.zarr"]


def test_interrupted_zarr_sweep_leaves_nothing(tmp_path):
    pytest.importorskip("zarr")
    pytest.importorskip("dask")
    from lab.engine.sweep_store import write_zarr

    def interrupt(runs):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_zarr(plan_of(), tmp_path / "r.zarr", progress=interrupt)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("spec, kind, workers, address", [
    ("none", "none", None, None), ("local", "local", None, None),
    ("local:3", "local", 3, None), (" tcp://10.1.2.3:8786 ", "address", None,
                                    "tcp://10.1.2.3:8786"),
    ("tls://sched.example:8786", "address", None, "tls://sched.example:8786")])
def test_scheduler_specs(spec, kind, workers, address):
    s = parse_scheduler(spec)
    assert (s.kind, s.workers, s.address) == (kind, workers, address)


@pytest.mark.parametrize("spec", ["", "local:0", "local:-1", "local:x", "lokal", "8786",
                                  "http://host:8786", "tcp://", None, 2])
def test_bad_scheduler_specs_name_the_forms(spec):
    with pytest.raises(LabInputError, match="'none' .*'local:N'.*'tcp://host:8786', got"):
        parse_scheduler(spec)


def test_without_dask_local_scheduler_says_how_to_install(monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(lab.parallel, "dask_available", lambda: False)
    cfg = tmp_path / "c.toml"
    cfg.write_text(CONFIG)
    for args in (["sweep", str(cfg), "--out", str(tmp_path / "r.nc")], ["claims"],
                 ["check", "theorem3-clipped-gd"]):
        with pytest.raises(SystemExit) as info:
            main([*args, "--scheduler", "local:2"])
        err = capsys.readouterr().err
        assert info.value.code == 2
        assert err.count("\n") == 1 and "pip install 'clipping-lab[dask]'" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.toml"]


def test_map_tasks_in_process_keeps_task_order():
    seen = []
    out = map_tasks(divmod, [(7, 2), (9, 4)], star=True, on_result=lambda i, r: seen.append(i))
    assert out == [(3, 1), (2, 1)] and seen == [0, 1]
    with open_client("none") as client:
        assert client is None
    assert str(TaskFailed("3 of 9 (runs 0..6)", ValueError("x"))) == (
        "task 3 of 9 (runs 0..6) failed twice, the last time with ValueError: x")


def _outcome(label, ratio, found=None, n=1):
    return SearchOutcome(found, Observation(True, ratio, label), n, 0.5, [(label, ratio)])


def test_streams_merge_in_seed_order():
    """The first stream's counterexample wins; the largest ratio, the earliest on a tie."""
    bad2 = Observation(False, 2.0, "bad2")
    bad3 = Observation(False, 3.0, "bad3")
    merged = merge_outcomes([_outcome("a", 0.4), _outcome("b", 0.9, bad2, 2),
                             _outcome("c", 0.9, bad3, 3)])
    assert merged.counterexample is bad2
    assert merged.worst.label == "b" and merged.evaluations == 6
    assert [r[0] for r in merged.ratios] == ["a", "b", "c"]


def test_one_stream_is_the_single_search():
    from lab.claims.search import run_search

    plain = run_search(get_claim("fact-witness").checks[0], as_budget("quick"), 0)
    one = check_claim("fact-witness", budget="quick", streams=1)
    assert (one.worst_ratio, one.evaluations, one.ratios) == (plain.worst.ratio,
                                                              plain.evaluations, plain.ratios)
    two = check_claim("fact-witness", budget="quick", streams=2)
    assert two.evaluations > one.evaluations and two.worst_ratio >= one.worst_ratio


def test_streams_are_for_search_checks():
    with pytest.raises(LabInputError, match="streams must be 1 for claim 'step-ordering'"):
        check_claim("step-ordering", budget="quick", streams=2, method="prove")


@pytest.mark.parametrize("name", ["mistake-exp-sum-l0-zero", "descent-trust-region"])
def test_searches_never_touch_the_global_random_module(name):
    """lab.claims.streams ignores hypothesis's 'random module inside strategies' warning
    on Dask workers (whose own threads use random): here, alone, it never fires."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", HypothesisDeprecationWarning)
        assert check_claim(name, budget="quick").matches_expectation


def test_numba_sweep_chunks_are_the_same_bits():
    """The fused kernel's runs are independent too: a chunked numba sweep is the same bits as
    one chunk (per-run eta arrays sliced with the runs)."""
    text = """
[sweep]
eps = 1e-6
max_iter = 3000
backend = "numba"

[[functions]]
name = "quartic"

[[methods]]
name = "clipped"
grid = { eta = [0.01, 0.02, 0.05], gamma = [1.0, 5.0] }

[starts]
random = { count = 9, low = -3.0, high = 3.0, seed = 4 }
"""
    xr.testing.assert_identical(run_sweep(plan_of(text, chunk=5)),
                                run_sweep(plan_of(text, chunk=1000)))


def test_a_check_that_distributes_gets_the_client():
    """check_claim hands the client to a check marked distributes (the adversary's), and
    runs it in the calling process rather than as one task."""
    from dataclasses import dataclass

    from lab.claims import Claim, Sweep

    seen = []

    @dataclass(frozen=True)
    class Spreading(Sweep):
        distributes: bool = True

    def run(budget, seed, client=None):
        seen.append(client)
        return [Observation(True, 0.5, "x")]

    claim = Claim(name="spread", title="t", source="s", tag="D", kind="observation",
                  expected="holds", statement="s", checks=(Spreading(run=run),))
    marker = object()
    verdict = check_claim(claim, budget="quick", client=marker)
    assert seen == [marker] and verdict.verdict == "holds" and verdict.worst_ratio == 0.5
