"""Grid sweeps: functions x methods x parameters x start points x seeds, from a TOML config.

A config (see ``examples/sweep_quartic_exp.toml``)::

    [sweep]
    eps = 1e-3            # required
    max_iter = 1000       # required
    backend = "numpy"     # optional
    seeds = [0, 1, 2]     # optional: seeds of stochastic methods (default [0])
    chunk = 65536         # optional: runs per task and per Zarr chunk (default: chunk_size)

    [[functions]]
    name = "quartic"
    params = { }          # optional function parameters, e.g. { d = 3 }

    [[functions]]
    expr = "a*x**4 + x**2"        # a user expression (parsed by lab.formula, never eval)
    params = { a = [0.5, 2.0] }   # its parameters: a list is one function per value
    variables = ["x"]             # optional: coordinate order (default: sorted names)

    [[methods]]
    name = "clipped"
    grid = { eta = [0.01, 0.1], gamma = [1.0, 10.0] }   # every combination

    [[methods]]
    rule = "eta*gamma/(g + gamma)"   # a user step rule in g (lab.methods.user_rule)
    grid = { eta = [0.1], gamma = [1.0] }

    [starts]
    values = [0.5, 2.0]   # x0 = value * (1, ..., 1)
    random = { count = 10, low = -3.0, high = 3.0, seed = 0 }   # uniform per coordinate
    function_start = false  # also the function's suggested start, when it has one

Every (function, method) pair is one batch: its grid points, start points and seeds become
per-run arrays. The runs are numbered once and cut into chunks of ``chunk`` runs
(:mod:`lab.engine.sweep_chunks`), which run in this process or on a Dask cluster
(:mod:`lab.parallel`) with the same bits. The result is one tidy :class:`xarray.Dataset` with
dimension ``run``, or a Zarr store written chunk by chunk (:mod:`lab.engine.sweep_store`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from lab.engine.sweep_chunks import (chunk_ranges, chunk_size, describe_chunk, grid_points,
                                     run_chunk, start_points, sweep_batches)
from lab.errors import LabInputError
from lab.functions.expression import function_from_spec
from lab.methods import METHODS, get_method, method_from_spec
from lab.parallel import map_tasks, worker_count
from lab.validate import check_int, check_nonnegative

__all__ = ["SweepPlan", "parse_config", "run_sweep", "start_points"]

ALLOWED = {
    "": {"sweep", "functions", "methods", "starts"},
    "sweep": {"eps", "max_iter", "backend", "seeds", "chunk"},
    "functions": {"name", "expr", "params", "variables"},
    "methods": {"name", "rule", "grid"},
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
    chunk: int | None = None

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
        functions += _functions(_check_keys(ft, f"functions[{k}]"), k)
    methods = []
    if not isinstance(cfg["methods"], list) or not cfg["methods"]:
        raise LabInputError("config: [[methods]] must list at least one method")
    for k, mt in enumerate(cfg["methods"]):
        mt = _check_keys(mt, f"methods[{k}]")
        spec = _one_of(mt, ("name", "rule"), f"[[methods]] entry {k}")
        if "rule" in mt and spec in METHODS:
            raise LabInputError(f"config: [[methods]] entry {k}: rule {spec!r} is a method "
                                "name; write name = ... for a built-in method")
        if "name" in mt and spec not in METHODS:
            get_method(spec)  # the unknown-name error, with the closest name
        grid = {p: (v if isinstance(v, list) else [v]) for p, v in mt.get("grid", {}).items()}
        for point in grid_points(grid):
            method_from_spec(spec, **point)  # validates every grid point
        methods.append((spec, grid))
    st = _check_keys(cfg["starts"], "starts")
    if "random" in st:
        _check_keys(st["random"], "starts.random")
    if not (st.get("values") or st.get("random") or st.get("function_start")):
        raise LabInputError("config: [starts] needs values, random or function_start = true")
    chunk = sw.get("chunk")
    chunk = None if chunk is None else check_int(chunk, "[sweep] chunk", minimum=1)
    return SweepPlan(eps, max_iter, str(sw.get("backend", "numpy")), seeds, functions, methods,
                     dict(st), chunk)


def _one_of(table: dict, keys: tuple[str, str], where: str) -> str:
    given = [k for k in keys if k in table]
    if len(given) != 1 or not isinstance(table[given[0]], str):
        raise LabInputError(f"config: {where} needs one of {' or '.join(keys)} (a string)")
    return table[given[0]]


def _functions(ft: dict, k: int) -> list[tuple[str, dict]]:
    """The functions of one [[functions]] entry: a zoo name, or an expression with one
    function per combination of its listed parameter values."""
    spec = _one_of(ft, ("name", "expr"), f"[[functions]] entry {k}")
    params = ft.get("params", {})
    if not isinstance(params, dict):
        raise LabInputError(f"config: [[functions]] entry {k}: params must be a table")
    if "name" in ft:
        if "variables" in ft:
            raise LabInputError(f"config: [[functions]] entry {k}: variables go with expr")
        function_from_spec(spec, **params)  # validates
        return [(spec, dict(params))]
    extra = {} if "variables" not in ft else {"variables": list(ft["variables"])}
    lists = {p: (v if isinstance(v, list) else [v]) for p, v in params.items()}
    out = []
    for point in grid_points(lists) or [{}]:
        function_from_spec(spec, what=f"config: [[functions]] entry {k} expr", **point,
                           **extra)  # validates
        out.append((spec, {**point, **extra}))
    return out


def run_sweep(plan: SweepPlan, progress: Callable[[int], None] | None = None, *,
              client: Any = None):
    """Run every run of the plan; returns one tidy :class:`xarray.Dataset` (dim ``run``).

    The runs are cut into chunks (:func:`~lab.engine.sweep_chunks.chunk_size`) that run
    in this process (``client=None``) or on the workers of a :class:`distributed.Client`
    (:mod:`lab.parallel`); the chunks are assembled in run order, so the dataset is the same
    bits either way. The whole table is gathered here: for sweeps too large for one
    process's memory write a Zarr store instead (:func:`lab.engine.sweep_store.write_zarr`).

    Parameters
    ----------
    plan : SweepPlan
    progress : callable, optional
        Called with the number of runs of each chunk as it finishes.
    client : distributed.Client, optional

    Examples
    --------
    >>> plan = parse_config({"sweep": {"eps": 1e-3, "max_iter": 100},
    ...                      "functions": [{"name": "quartic"}],
    ...                      "methods": [{"name": "clipped",
    ...                                   "grid": {"eta": [0.01], "gamma": [1.0]}}],
    ...                      "starts": {"values": [0.5, 2.0]}})
    >>> run_sweep(plan)["status"].values.tolist()
    ['budget', 'budget']
    """
    batches = sweep_batches(plan)
    total = batches[-1].offset + batches[-1].n_runs
    ranges = chunk_ranges(total, chunk_size(plan, total, worker_count(client)))
    frames = map_tasks(run_chunk, ranges, star=True, common=(plan, batches), client=client,
                       name="sweep-chunk", describe=lambda t: describe_chunk(batches, *t),
                       on_result=None if progress is None else lambda i, r: progress(len(r)))
    table = pd.concat(frames) if len(frames) > 1 else frames[0]
    ds = table.to_xarray()
    ds.attrs.update({"eps": plan.eps, "max_iter": plan.max_iter, "backend": plan.backend,
                     "status_codes": "converged / budget / diverged (strings)"})
    return ds
