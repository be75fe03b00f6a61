"""Grid sweeps: functions x methods x parameters x start points x seeds, from a TOML config.

A config (see ``examples/sweep_quartic_exp.toml``)::

    [sweep]
    eps = 1e-3            # required
    max_iter = 1000       # required
    backend = "numpy"     # optional
    seeds = [0, 1, 2]     # optional: seeds of stochastic methods (default [0])

    [[functions]]
    name = "quartic"
    params = { }          # optional function parameters, e.g. { d = 3 }

    [[methods]]
    name = "clipped"
    grid = { eta = [0.01, 0.1], gamma = [1.0, 10.0] }   # every combination

    [starts]
    values = [0.5, 2.0]   # x0 = value * (1, ..., 1)
    random = { count = 10, low = -3.0, high = 3.0, seed = 0 }   # uniform per coordinate
    function_start = false  # also the function's suggested start, when it has one

Every (function, method) pair runs as one batch: its grid points, start points and seeds
become per-run arrays. The result is one tidy :class:`xarray.Dataset` with dimension ``run``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pandas as pd

from lab.engine.api import run_batch
from lab.errors import LabInputError
from lab.functions import get_function
from lab.methods import get_method
from lab.validate import check_int, check_nonnegative

ALLOWED = {
    "": {"sweep", "functions", "methods", "starts"},
    "sweep": {"eps", "max_iter", "backend", "seeds"},
    "functions": {"name", "params"},
    "methods": {"name", "grid"},
    "starts": {"values", "random", "function_start"},
    "starts.random": {"count", "low", "high", "seed"},
}


def _check_keys(table: Any, where: str) -> dict:
    if not isinstance(table, dict):
        raise LabInputError(f"config: [{where or 'top level'}] must be a table, got {table!r}")
    allowed = ALLOWED[where.split("[")[0]]
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise LabInputError(f"config: unknown key {unknown[0]!r} in [{where or 'top level'}]; "
                            f"allowed: {', '.join(sorted(allowed))}")
    return table


@dataclass
class SweepPlan:
    """A validated sweep: what to run."""

    eps: float
    max_iter: int
    backend: str
    seeds: list[int]
    functions: list[tuple[str, dict]]
    methods: list[tuple[str, dict[str, list]]]
    starts: dict

    @property
    def n_batches(self) -> int:
        return len(self.functions) * len(self.methods)


def parse_config(cfg: dict) -> SweepPlan:
    """Validate a parsed TOML config; every mistake is one LabInputError."""
    _check_keys(cfg, "")
    for key in ("sweep", "functions", "methods", "starts"):
        if key not in cfg:
            raise LabInputError(f"config: missing [{key}]")
    sw = _check_keys(cfg["sweep"], "sweep")
    for key in ("eps", "max_iter"):
        if key not in sw:
            raise LabInputError(f"config: [sweep] needs {key}")
    eps = check_nonnegative(sw["eps"], "eps")
    max_iter = check_int(sw["max_iter"], "max_iter", minimum=1)
    seeds = [check_int(s, "seeds", minimum=0) for s in sw.get("seeds", [0])]
    if not seeds:
        raise LabInputError("config: [sweep] seeds must list at least one seed")
    functions = []
    if not isinstance(cfg["functions"], list) or not cfg["functions"]:
        raise LabInputError("config: [[functions]] must list at least one function")
    for k, ft in enumerate(cfg["functions"]):
        ft = _check_keys(ft, f"functions[{k}]")
        if "name" not in ft:
            raise LabInputError(f"config: [[functions]] entry {k} needs a name")
        params = dict(ft.get("params", {}))
        get_function(ft["name"], **params)  # validates
        functions.append((ft["name"], params))
    methods = []
    if not isinstance(cfg["methods"], list) or not cfg["methods"]:
        raise LabInputError("config: [[methods]] must list at least one method")
    for k, mt in enumerate(cfg["methods"]):
        mt = _check_keys(mt, f"methods[{k}]")
        if "name" not in mt:
            raise LabInputError(f"config: [[methods]] entry {k} needs a name")
        grid = {p: (v if isinstance(v, list) else [v]) for p, v in mt.get("grid", {}).items()}
        for point in _grid_points(grid):
            get_method(mt["name"], **point)  # validates every grid point
        methods.append((mt["name"], grid))
    st = _check_keys(cfg["starts"], "starts")
    if "random" in st:
        _check_keys(st["random"], "starts.random")
    if not (st.get("values") or st.get("random") or st.get("function_start")):
        raise LabInputError("config: [starts] needs values, random or function_start = true")
    return SweepPlan(eps, max_iter, str(sw.get("backend", "numpy")), seeds, functions, methods,
                     dict(st))


def _grid_points(grid: dict[str, list]) -> list[dict]:
    keys = list(grid)
    return [dict(zip(keys, combo)) for combo in itertools.product(*(grid[k] for k in keys))]


def start_points(starts: dict, function) -> np.ndarray:
    """The start points of a function, shape (s, d)."""
    d = function.dim
    pts = [np.full(d, float(v)) for v in starts.get("values", [])]
    rnd = starts.get("random")
    if rnd:
        count = check_int(rnd.get("count", 1), "starts.random.count", minimum=1)
        low, high = float(rnd.get("low", -1.0)), float(rnd.get("high", 1.0))
        if not low < high:
            raise LabInputError(f"config: starts.random needs low < high, got {low}, {high}")
        rng = np.random.default_rng(check_int(rnd.get("seed", 0), "starts.random.seed", minimum=0))
        pts += list(rng.uniform(low, high, size=(count, d)))
    if starts.get("function_start") and function.info.start is not None:
        pts.append(np.asarray(function.info.start, dtype=float))
    return np.array(pts, dtype=float).reshape(-1, d)


def run_sweep(plan: SweepPlan, progress: Callable[[str], None] | None = None):
    """Run every batch of the plan; returns one tidy :class:`xarray.Dataset` (dim ``run``)."""
    frames = []
    for fname, fparams in plan.functions:
        f = get_function(fname, **fparams)
        X = start_points(plan.starts, f)
        for mname, grid in plan.methods:
            points = _grid_points(grid) or [{}]
            proto = get_method(mname, **points[0])
            seeds = plan.seeds if proto.stochastic else [plan.seeds[0]]
            combos = list(itertools.product(range(len(points)), range(len(X)), seeds))
            gi = np.array([c[0] for c in combos])
            si = np.array([c[1] for c in combos])
            seed_arr = np.array([c[2] for c in combos], dtype=np.int64)
            arrays = {k: np.array([float(points[g][k]) for g in gi]) for k in grid
                      if k not in ("noise",) and not _scalar_only(proto, k)}
            fixed = {k: v for k, v in points[0].items() if k not in arrays}
            if any(_scalar_only(proto, k) and len(grid[k]) > 1 for k in grid):
                # parameters that must be one number per batch: split by grid point
                res = [run_batch(f, get_method(mname, **points[g]), X[si[gi == g]],
                                 eps=plan.eps, max_iter=plan.max_iter, backend=plan.backend,
                                 seeds=seed_arr[gi == g]).to_frame() for g in range(len(points))]
                frame = pd.concat(res, ignore_index=True)
            else:
                method = get_method(mname, **fixed, **arrays)
                frame = run_batch(f, method, X[si], eps=plan.eps, max_iter=plan.max_iter,
                                  backend=plan.backend, seeds=seed_arr).to_frame()
            frame = frame[[c for c in frame.columns if not c.startswith("x")]]
            frame.insert(0, "function", repr(f))
            frame.insert(1, "method", mname)
            for k in grid:
                frame[f"param_{k}"] = [points[g][k] for g in gi]
            frame["start"] = si
            frame["start_norm"] = np.linalg.norm(X[si], axis=1)
            frame["seed"] = seed_arr
            frames.append(frame)
            if progress:
                progress(f"{fname} x {mname}: {len(frame)} runs")
    table = pd.concat(frames, ignore_index=True)
    ds = table.to_xarray().rename({"index": "run"})
    ds.attrs.update({"eps": plan.eps, "max_iter": plan.max_iter, "backend": plan.backend,
                     "status_codes": "converged / budget / diverged (strings)"})
    return ds


def _scalar_only(method, key: str) -> bool:
    return key in ("tau", "momentum", "noise")
