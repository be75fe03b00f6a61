"""A sweep cut into deterministic chunks of runs: the unit of work on one process or a cluster.

The runs of a sweep are numbered once, globally: function-major, then method, then (inside
one function x method *batch*) grid point, start point and seed, the order of
``itertools.product(grid points, starts, seeds)``. A chunk is a range ``[lo, hi)`` of that
numbering; :func:`run_chunk` rebuilds everything its runs depend on (objective, start points,
grid values, seeds) from the plan, so a chunk's result is the same bits on any worker. The
engine's runs are independent (per-run parameters, counter-based noise), so cutting a batch
into chunks changes no bit either: the sweep of any chunk size, on any number of workers, is
the sweep of one process.

Every chunk's table has the sweep's full *schema* (:func:`sweep_schema`: the columns of all
batches, in order of first appearance); a column a batch does not have is ``nan`` (numbers)
or ``""`` (strings). So chunks can be concatenated, or written one by one into a Zarr store,
without knowing each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import prod
from typing import Any

import numpy as np
import pandas as pd

from lab.engine.api import run_batch
from lab.engine.result import STATUS_NAMES
from lab.errors import LabInputError
from lab.functions import get_function
from lab.functions.expression import function_from_spec
from lab.methods import method_from_spec
from lab.validate import check_int

#: The most runs per chunk unless the config's ``[sweep] chunk`` says otherwise (a few MiB of
#: results per chunk) ...
DEFAULT_CHUNK = 1 << 16

#: ... and the fewest, when a sweep is cut into about 4 chunks per worker (see
#: :func:`chunk_size`): below this the per-task overhead would show.
MIN_CHUNK = 1 << 12

#: Parameters that must be one number per engine call: batches with several values of one of
#: them run one engine call per grid point.
SCALAR_ONLY = ("tau", "momentum", "noise")

_TEXT_COLUMNS = ("function", "method", "status")
_INT_COLUMNS = ("hit", "diverged_at", "iterations", "start", "seed")
_RESULT_COLUMNS = ("hit", "status", "diverged_at", "iterations", "f", "grad_norm")


@dataclass(frozen=True, kw_only=True)
class SweepBatch:
    """One function x method pair of a sweep: its grid, its starts, its seeds, its runs.

    ``offset`` is the global number of its first run; its runs are ``n_points x n_starts x
    len(seeds)`` in the order of ``itertools.product``.
    """

    function: str
    params: dict
    method: str
    grid: dict
    n_points: int
    n_starts: int
    seeds: tuple
    stochastic: bool
    offset: int

    @property
    def n_runs(self) -> int:
        """Number of runs of the batch."""
        return self.n_points * self.n_starts * len(self.seeds)

    def columns(self) -> list[str]:
        """The batch's columns, in the order the sweep's tables have always had."""
        seed = ["seed"]
        return (["function", "method", *_RESULT_COLUMNS] + (seed if self.stochastic else [])
                + [f"param_{k}" for k in self.grid] + ["start", "start_norm"]
                + ([] if self.stochastic else seed))


def grid_points(grid: dict[str, list]) -> list[dict]:
    """Every combination of a grid, the first key varying slowest.

    Examples
    --------
    >>> grid_points({"eta": [0.1, 0.2], "gamma": [1.0]})
    [{'eta': 0.1, 'gamma': 1.0}, {'eta': 0.2, 'gamma': 1.0}]
    """
    keys = list(grid)
    index = np.ndindex(*(len(grid[k]) for k in keys))
    return [{k: grid[k][i] for k, i in zip(keys, combo)} for combo in index]


def start_points(starts: dict, function) -> np.ndarray:
    """The start points of a function, shape (s, d) (the config's ``[starts]``).

    Examples
    --------
    >>> start_points({"values": [0.5, 2.0]}, get_function("quartic_norm", d=2))
    array([[0.5, 0.5],
           [2. , 2. ]])
    """
    d = function.dim
    pts = [np.full(d, float(v)) for v in starts.get("values", [])]
    rnd = starts.get("random")
    if rnd:
        count = check_int(rnd.get("count", 1), "starts.random.count", minimum=1)
        low, high = float(rnd.get("low", -1.0)), float(rnd.get("high", 1.0))
        if not low < high:
            raise LabInputError(f"config: starts.random needs low < high, got {low}, {high}")
        rng = np.random.default_rng(check_int(rnd.get("seed", 0), "starts.random.seed",
                                              minimum=0))
        pts += list(rng.uniform(low, high, size=(count, d)))
    if starts.get("function_start") and function.info.start is not None:
        pts.append(np.asarray(function.info.start, dtype=float))
    return np.array(pts, dtype=float).reshape(-1, d)


def sweep_batches(plan) -> list[SweepBatch]:
    """The batches of a plan, with their global run offsets.

    Examples
    --------
    >>> from lab.engine.sweep import parse_config
    >>> plan = parse_config({"sweep": {"eps": 1e-3, "max_iter": 10},
    ...                      "functions": [{"name": "quartic"}],
    ...                      "methods": [{"name": "gd", "grid": {"h": [0.1, 0.2]}}],
    ...                      "starts": {"values": [1.0, 2.0, 3.0]}})
    >>> [(b.method, b.n_runs, b.offset) for b in sweep_batches(plan)]
    [('gd', 6, 0)]
    """
    batches, offset = [], 0
    for fname, fparams in plan.functions:
        n_starts = len(start_points(plan.starts, function_from_spec(fname, **fparams)))
        for mname, grid in plan.methods:
            first = {k: v[0] for k, v in grid.items()}
            stochastic = method_from_spec(mname, **first).stochastic
            seeds = tuple(plan.seeds) if stochastic else (plan.seeds[0],)
            batch = SweepBatch(function=fname, params=dict(fparams), method=mname,
                               grid=dict(grid), n_points=prod(len(v) for v in grid.values()),
                               n_starts=n_starts, seeds=seeds, stochastic=stochastic,
                               offset=offset)
            batches.append(batch)
            offset += batch.n_runs
    return batches


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_))


def sweep_schema(batches: list[SweepBatch]) -> dict[str, Any]:
    """Column -> dtype of the sweep's tables: ``object`` for strings, else a NumPy dtype.

    Columns come in order of first appearance over the batches; parameters are float64
    when every value of theirs is a number, strings otherwise.
    """
    names: dict[str, None] = {}
    for b in batches:
        names.update(dict.fromkeys(b.columns()))
    schema: dict[str, Any] = {}
    for name in names:
        if name in _TEXT_COLUMNS:
            schema[name] = np.dtype(object)
        elif name in _INT_COLUMNS:
            schema[name] = np.dtype(np.int64)
        elif name.startswith("param_"):
            key = name[len("param_"):]
            values = [v for b in batches for v in b.grid.get(key, [])]
            schema[name] = np.dtype(np.float64 if all(map(_is_number, values)) else object)
        else:
            schema[name] = np.dtype(np.float64)
    return schema


def _schema(batches: list[SweepBatch]) -> dict[str, Any]:
    """:func:`sweep_schema`, computed once per batches object (a worker runs many chunks of
    the same sweep; the cache holds the last one)."""
    key = id(batches)
    if _SCHEMA_CACHE.get("key") != key or _SCHEMA_CACHE.get("batches") is not batches:
        _SCHEMA_CACHE.update(key=key, batches=batches, schema=sweep_schema(batches))
    return _SCHEMA_CACHE["schema"]


_SCHEMA_CACHE: dict[str, Any] = {}


def string_widths(plan, batches: list[SweepBatch]) -> dict[str, int]:
    """The longest text of each string column (fixed-width strings for a Zarr store)."""
    schema = sweep_schema(batches)
    texts: dict[str, list[str]] = {c: [""] for c, t in schema.items() if t == object}
    texts["function"] += [repr(function_from_spec(b.function, **b.params)) for b in batches]
    texts["method"] += [b.method for b in batches]
    texts["status"] += list(STATUS_NAMES)
    for col in texts:
        if col.startswith("param_"):
            texts[col] += [str(v) for b in batches for v in b.grid.get(col[6:], [])]
    return {col: max(map(len, values)) for col, values in texts.items()}


def chunk_size(plan, total: int, workers: int = 1) -> int:
    """Runs per chunk: the config's ``chunk``, else about four chunks per worker between
    :data:`MIN_CHUNK` and :data:`DEFAULT_CHUNK` runs (results do not depend on it).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> chunk_size(SimpleNamespace(chunk=None), 10**6, workers=2)
    65536
    >>> chunk_size(SimpleNamespace(chunk=None), 10**5, workers=2)
    12500
    >>> chunk_size(SimpleNamespace(chunk=100), 10**5, workers=2)
    100
    """
    if plan.chunk is not None:
        return plan.chunk
    return min(DEFAULT_CHUNK, max(MIN_CHUNK, -(-total // (4 * max(1, workers)))))


def chunk_ranges(total: int, chunk: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` ranges of ``chunk`` runs covering ``0..total-1``.

    Examples
    --------
    >>> chunk_ranges(10, 4)
    [(0, 4), (4, 8), (8, 10)]
    """
    return [(lo, min(total, lo + chunk)) for lo in range(0, total, chunk)]


def _point(grid: dict[str, list], g: int) -> dict:
    """Grid point number ``g`` (the order of :func:`grid_points`)."""
    index = np.unravel_index(g, tuple(len(v) for v in grid.values())) if grid else ()
    return {k: grid[k][int(i)] for k, i in zip(grid, index)}


def _run_piece(plan, batch: SweepBatch, a: int, b: int) -> dict[str, np.ndarray]:
    """Runs ``a..b-1`` of one batch (batch-local numbers) as columns."""
    f = function_from_spec(batch.function, **batch.params)
    X = start_points(plan.starts, f)
    grid, keys = batch.grid, list(batch.grid)
    gi, si, ki = np.unravel_index(np.arange(a, b), (batch.n_points, batch.n_starts,
                                                    len(batch.seeds)))
    # per run, the index of its value on each grid axis (first key slowest, as grid_points)
    axis = dict(zip(keys, np.unravel_index(gi, tuple(len(grid[k]) for k in keys)))) \
        if keys else {}
    seed_arr = np.asarray(batch.seeds, dtype=np.int64)[ki]
    if any(k in SCALAR_ONLY and len(grid[k]) > 1 for k in keys):
        results = []
        for g in np.unique(gi):  # runs are grid-point major: each group is contiguous
            mask = gi == g
            results.append(run_batch(f, method_from_spec(batch.method, **_point(grid, g)),
                                     X[si[mask]], eps=plan.eps, max_iter=plan.max_iter,
                                     backend=plan.backend, seeds=seed_arr[mask]))
        cols = {c: np.concatenate([_result_column(r, c) for r in results])
                for c in _RESULT_COLUMNS}
    else:
        arrays = {k: np.array([float(v) for v in grid[k]])[axis[k]] for k in keys
                  if k not in SCALAR_ONLY}
        fixed = {k: grid[k][0] for k in keys if k not in arrays}
        result = run_batch(f, method_from_spec(batch.method, **fixed, **arrays), X[si],
                           eps=plan.eps, max_iter=plan.max_iter, backend=plan.backend,
                           seeds=seed_arr)
        cols = {c: _result_column(result, c) for c in _RESULT_COLUMNS}
    cols["function"] = np.full(b - a, repr(f), dtype=object)
    cols["method"] = np.full(b - a, batch.method, dtype=object)
    for k in keys:
        values = np.empty(len(grid[k]), dtype=object)
        values[:] = grid[k]
        cols[f"param_{k}"] = values[axis[k]]
    cols["start"] = si.astype(np.int64)
    cols["start_norm"] = np.linalg.norm(X[si], axis=1)
    cols["seed"] = seed_arr
    return cols


def _result_column(result, column: str) -> np.ndarray:
    if column == "status":
        return result.status_names
    return np.asarray(getattr(result, column))


def _as_column(name: str, values: np.ndarray, dtype) -> np.ndarray:
    if name in _TEXT_COLUMNS:  # already str objects
        return values
    if dtype == object:  # a text parameter: str() of every value (numpy calls it)
        return np.asarray(values, dtype=object).astype(str).astype(object)
    return np.asarray(values).astype(dtype)


def _missing(dtype) -> Any:
    return "" if dtype == object else np.nan


def run_chunk(plan, batches: list[SweepBatch], lo: int, hi: int) -> pd.DataFrame:
    """Runs ``lo..hi-1`` of the sweep (global numbers) as a table with the full schema.

    The index is the global run number.
    """
    schema = _schema(batches)
    pieces = []
    for batch in batches:
        a, b = max(lo, batch.offset), min(hi, batch.offset + batch.n_runs)
        if a >= b:
            continue
        cols = _run_piece(plan, batch, a - batch.offset, b - batch.offset)
        n = b - a
        data = {name: (_as_column(name, cols[name], dtype) if name in cols
                       else np.full(n, _missing(dtype), dtype=dtype))
                for name, dtype in schema.items()}
        pieces.append(pd.DataFrame(data, index=pd.RangeIndex(a, b, name="run")))
    return pd.concat(pieces) if len(pieces) > 1 else pieces[0]


def describe_chunk(batches: list[SweepBatch], lo: int, hi: int) -> str:
    """A chunk in words: its runs and the batches they belong to (for failure reports).

    Examples
    --------
    >>> b = SweepBatch(function="quartic", params={}, method="gd", grid={"h": [0.1]},
    ...                n_points=1, n_starts=3, seeds=(0,), stochastic=False, offset=0)
    >>> describe_chunk([b], 1, 3)
    "runs 1..2: quartic x gd, grid {'h': [0.1]}"
    """
    parts = [f"{b.function}{b.params or ''} x {b.method}, grid {b.grid}" for b in batches
             if b.offset < hi and lo < b.offset + b.n_runs]
    return f"runs {lo}..{hi - 1}: " + "; ".join(parts)
