"""Large sweeps straight into a Zarr store, chunk by chunk, from wherever the chunks run.

:func:`write_zarr` lays out the store once (every variable's shape, dtype and chunking: a
Zarr chunk is exactly one task's runs, see :func:`~lab.engine.sweep_chunks.chunk_size`) and
then each task runs its chunk and writes it into its own region of the store (``xarray.Dataset.to_zarr(region=...)``). No process ever holds
more than one chunk of results, so a sweep of 10^9 runs needs per worker the memory of one
chunk. Two tasks never write the same Zarr chunk, so workers need no locks; on a cluster the
store must be on a file system every worker sees.

The store is written under a temporary name next to the output and renamed into place when
every chunk is in (:func:`lab.writing.atomic_directory`): an interrupted or failed sweep
leaves nothing under the output name. Strings are stored fixed-width (Zarr format 2, read by
every Zarr implementation); ``xarray.open_zarr(path)`` reads the store back lazily.

Needs the ``[dask]`` extra (dask, distributed, zarr) even in one process: the layout is
written from dask arrays without materializing them.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path
from typing import Any, Callable

import numpy as np
import xarray as xr

from lab.engine.sweep_chunks import (chunk_ranges, chunk_size, describe_chunk, run_chunk,
                                     string_widths, sweep_batches, sweep_schema)
from lab.engine.result import STATUS_NAMES
from lab.errors import LabInputError
from lab.parallel import INSTALL_HINT, map_tasks, worker_count
from lab.writing import atomic_directory

#: Zarr format of the stores the lab writes (fixed-width strings are standard in format 2).
ZARR_FORMAT = 2


def zarr_available() -> bool:
    """Whether zarr and dask.array can be imported.

    Examples
    --------
    >>> isinstance(zarr_available(), bool)
    True
    """
    return all(importlib.util.find_spec(m) is not None for m in ("zarr", "dask"))


def _layout(plan, batches, widths: dict[str, int], chunk: int) -> xr.Dataset:
    """The store's variables as lazy dask arrays (nothing is computed or held)."""
    import dask.array as da

    total = batches[-1].offset + batches[-1].n_runs
    data = {}
    for name, dtype in sweep_schema(batches).items():
        kind = np.dtype(f"<U{max(1, widths[name])}") if dtype == object else dtype
        data[name] = ("run", da.empty(total, dtype=kind, chunks=chunk))
    # the run numbers as a coordinate *without* an in-memory index: an index would be built
    # by computing all of them here (8 bytes per run, on the cluster when one is active)
    run = xr.Coordinates({"run": ("run", da.arange(total, dtype=np.int64, chunks=chunk))},
                         indexes={})
    return xr.Dataset(data, coords=run, attrs=store_attrs(plan))


def store_attrs(plan) -> dict[str, Any]:
    """The attributes of a sweep's dataset (the same for every output format)."""
    return {"eps": plan.eps, "max_iter": plan.max_iter, "backend": plan.backend,
            "status_codes": "converged / budget / diverged (strings)"}


def write_chunk(plan, batches, store: str, widths: dict[str, int], lo: int, hi: int
                ) -> dict[str, int]:
    """Run chunk ``[lo, hi)`` and write it into its region of ``store``; return its counts.

    A store that is gone (the sweep was cancelled and its temporary store removed) is not
    recreated: the chunk is dropped and counted as nothing.
    """
    table = run_chunk(plan, batches, lo, hi)
    data = {}
    for name in table.columns:
        values = table[name].to_numpy()
        if values.dtype == object:
            values = values.astype(f"<U{max(1, widths[name])}")
        data[name] = ("run", values)
    run = xr.Coordinates({"run": ("run", np.arange(lo, hi, dtype=np.int64))}, indexes={})
    piece = xr.Dataset(data, coords=run)  # an index coordinate would not be written
    root = os.path.join(store, ".zgroup")
    if not os.path.exists(root):
        return {}
    piece.to_zarr(store, region={"run": slice(lo, hi)}, mode="r+", consolidated=False)
    if not os.path.exists(root):  # removed while this chunk was written: leave no trace
        shutil.rmtree(store, ignore_errors=True)
        return {}
    statuses, counts = np.unique(table["status"].to_numpy().astype(str), return_counts=True)
    return {str(s): int(c) for s, c in zip(statuses, counts)}


def write_zarr(plan, out: str | Path, *, client: Any = None,
               progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """Run the sweep and write it to the Zarr store ``out``, chunk by chunk.

    Parameters
    ----------
    plan : SweepPlan
    out : path
        The store (a folder, conventionally ``*.zarr``); an existing store there is
        replaced once the new one is complete.
    client : distributed.Client, optional
        Where the chunks run (``None``: this process).
    progress : callable, optional
        Called with the number of runs of each chunk as it finishes.

    Returns
    -------
    dict
        Runs per status (``converged``, ``budget``, ``diverged``).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from lab.engine.sweep import parse_config
    >>> plan = parse_config({"sweep": {"eps": 1e-3, "max_iter": 50, "chunk": 2},
    ...                      "functions": [{"name": "quartic"}],
    ...                      "methods": [{"name": "gd", "grid": {"h": [0.01, 0.1]}}],
    ...                      "starts": {"values": [0.5, 2.0, 9.0]}})
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "runs.zarr"
    >>> write_zarr(plan, path)
    {'converged': 0, 'budget': 4, 'diverged': 2}
    >>> xr.open_zarr(path)["status"].values.tolist()[-2:]
    ['budget', 'diverged']
    """
    if not zarr_available():
        raise LabInputError(f"a Zarr store needs zarr and dask; install them with "
                            f"{INSTALL_HINT}, or write .nc or .csv")
    import zarr

    out = Path(out).absolute()
    if out.exists() and not out.is_dir():
        raise LabInputError(f"--out {str(out)!r} is a file; a Zarr store is a folder")
    batches = sweep_batches(plan)
    widths = string_widths(plan, batches)
    total = batches[-1].offset + batches[-1].n_runs
    chunk = chunk_size(plan, total, worker_count(client))
    counts = dict.fromkeys(STATUS_NAMES, 0)
    with atomic_directory(out) as tmp:
        _layout(plan, batches, widths, chunk).to_zarr(tmp, compute=False, consolidated=False,
                                                      zarr_format=ZARR_FORMAT)
        parts = map_tasks(write_chunk, chunk_ranges(total, chunk), star=True,
                          common=(plan, batches, str(tmp), widths), client=client,
                          name="sweep-zarr", describe=lambda t: describe_chunk(batches, *t),
                          on_result=None if progress is None
                          else lambda i, r: progress(sum(r.values())))
        for part in parts:
            for status, n in part.items():
                counts[status] += n
        if sum(counts.values()) != total:  # pragma: no cover - a chunk found no store
            raise RuntimeError(f"the Zarr store {tmp} lost chunks while it was written")
        zarr.consolidate_metadata(str(tmp))
    return counts
