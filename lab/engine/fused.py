"""The fused backend: runs a batch with the numba kernel generated for (objective, method).

The kernel's source comes from :mod:`lab.engine.fused_source` and is compiled once per machine
through :mod:`lab.engine.fused_cache`. This module only runs it: it lays the starts out (shape
(d, n) for the blocked kernel, (n, d) for the per-run kernel), allocates the outputs, and runs
spans of blocks on a thread pool (the kernel is ``nogil``; a plain ``njit`` compiles in a
fraction of ``parallel=True``'s time), several spans per thread so that blocks that finish
early balance slow ones. The arithmetic is the vectorized engine's, operation for operation.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np

from lab.engine.codegen import Program
from lab.engine.fused_cache import load_kernel
from lab.engine.fused_source import array_names, block_size, kernel_source, uses_rows
from lab.engine.vectorized import RawOutcome, finish_trajectory
from lab.errors import LabInputError


def threads() -> int:
    """Worker threads of the fused backend: ``NUMBA_NUM_THREADS`` (default: the CPU count)."""
    try:
        from numba import config

        return max(1, int(config.NUMBA_NUM_THREADS))
    except Exception:  # pragma: no cover
        return max(1, os.cpu_count() or 1)


def _spans(nblocks: int, workers: int) -> list[tuple[int, int]]:
    """Consecutive ranges of blocks, several per worker."""
    edges = np.linspace(0, nblocks, min(nblocks, 8 * workers) + 1).astype(np.int64)
    return [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]


def run_fused(function, prog: Program, method, params: dict, starts: np.ndarray, *,
              eps: float, max_iter: int, keys, record_every: int) -> RawOutcome:
    """Run the batch with the fused kernel; same contract as the vectorized engine."""
    n, d = starts.shape
    if max_iter >= 2**53:  # event codes are float64: iteration numbers must be exact
        raise LabInputError(f"max_iter must be below 2**53 on the numba backend, got {max_iter}")
    pvals = [params[k] for k in method.step_rule.params]
    array_params = tuple(isinstance(v, np.ndarray) for v in pvals)
    kernel = load_kernel(kernel_source(prog, method, array_params, record_every > 0))
    rows = uses_rows(prog, method)
    X = np.array(starts if rows else starts.T, dtype=np.float64, order="C")
    # the kernel writes every run's outputs (first touch in the worker threads)
    hit, div_at, iters = (np.empty(n, dtype=np.int64) for _ in range(3))
    status = np.empty(n, dtype=np.int8)
    gno = np.empty(n)
    keys_arr = keys if keys is not None else np.zeros(1, dtype=np.uint64)
    if record_every:
        nrec = max_iter // record_every + 1
        TX = np.zeros((nrec, n, d) if rows else (nrec, d, n))
        TG = np.zeros((nrec, n))
    else:
        TX, TG = np.zeros((1, d, 1)), np.zeros((1, 1))
    args = [np.ascontiguousarray(v) if isinstance(v, np.ndarray) else float(v) for v in pvals]
    args += [prog.custom.arrays[name] for name in array_names(prog)]
    rest = (X, *args, float(eps), int(max_iter), keys_arr, float(method.tau),
            float(method.momentum or 0.0), hit, status, div_at, iters, gno,
            int(max(record_every, 1)), TX, TG)
    nblocks = -(-n // block_size(prog, method))
    workers = threads()
    spans = _spans(nblocks, workers)
    if workers == 1 or len(spans) == 1:
        kernel(0, nblocks, *rest)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda span: kernel(span[0], span[1], *rest), spans))
    x = X if rows else np.ascontiguousarray(X.T)   # X is ours: no copy in 1-D
    traj = None
    if record_every:
        tx = TX if rows else TX.transpose(0, 2, 1)
        traj = finish_trajectory(record_every, tx, TG, x, gno, iters)
    return RawOutcome(hit, status, div_at, x, gno, iters, traj)
