"""Peak memory of a huge sweep written to Zarr by a LocalCluster: bounded by one chunk.

Usage::

    python benchmarks/sweep_memory.py                  # 10^8 runs, 2 workers
    python benchmarks/sweep_memory.py --runs 1000000   # the same chunks, 100x fewer

The sweep: gradient descent on x^4 over a grid of 10^4 step sizes x ``runs / 10^4`` random
starts, 5 iterations each (cheap runs: the point is the bookkeeping of 10^8 results), written
chunk by chunk into a Zarr store by the workers (``lab.engine.sweep_store.write_zarr``). After
a one-chunk warm-up (every worker has imported the engine, xarray and zarr) and again at the
end, each worker reports its peak resident set size (``resource.getrusage(...).ru_maxrss``);
this process reports its own. If results were gathered anywhere, the peaks would grow with
``runs``; they stay at the warm-up level plus about one chunk.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import xarray as xr

from lab.engine.sweep import parse_config
from lab.engine.sweep_store import write_zarr
from lab.parallel import open_client

GRID = 10_000


def plan_for(runs: int, chunk: int):
    """``runs`` runs: 10^4 step sizes x runs/10^4 starts, 5 iterations each."""
    return parse_config({
        "sweep": {"eps": 1e-3, "max_iter": 5, "chunk": chunk},
        "functions": [{"name": "quartic"}],
        "methods": [{"name": "gd",
                     "grid": {"h": np.geomspace(1e-4, 1e-2, GRID).tolist()}}],
        "starts": {"random": {"count": max(1, runs // GRID), "low": -0.5, "high": 0.5,
                              "seed": 0}}})


def peak_rss_mib() -> float:
    """This process's peak resident set size (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=float, default=1e8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk", type=int, default=1 << 16)
    args = parser.parse_args()
    plan = plan_for(int(args.runs), args.chunk)
    folder = Path(tempfile.mkdtemp(prefix="sweep-memory-"))
    try:
        with open_client(f"local:{args.workers}") as client:
            client.wait_for_workers(args.workers)
            write_zarr(plan_for(GRID, args.chunk), folder / "warm.zarr", client=client)
            warm = client.run(peak_rss_mib)
            t0 = time.perf_counter()
            counts = write_zarr(plan, folder / "big.zarr", client=client)
            seconds = time.perf_counter() - t0
            peak = client.run(peak_rss_mib)
        runs = sum(counts.values())
        # without the run coordinate: opening would build its index (8 bytes per run)
        store = xr.open_zarr(folder / "big.zarr", drop_variables=["run"])
        size = sum(p.stat().st_size for p in (folder / "big.zarr").rglob("*") if p.is_file())
        print(f"{runs:.3g} runs in {-(-runs // args.chunk)} chunks of {args.chunk} runs, "
              f"{seconds:.0f} s on local:{args.workers}; store {size / 2**20:.0f} MiB on "
              f"disk, {store.sizes['run']} runs, {store.nbytes / 2**30:.1f} GiB in memory "
              f"if loaded; load average {os.getloadavg()[0]:.2f}")
        for address in sorted(peak):
            print(f"  worker {address}: peak RSS {peak[address]:.0f} MiB "
                  f"(after the warm-up chunk {warm[address]:.0f} MiB)")
        print(f"  this process: peak RSS {peak_rss_mib():.0f} MiB")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
