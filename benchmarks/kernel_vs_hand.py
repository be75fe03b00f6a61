"""The engine's generated 1-D kernel alone (no run_batch around it) against the hand blocked
kernel, in one process, interleaved rounds; wall clock and CPU time, ratios to the hand kernel.

    python benchmarks/kernel_vs_hand.py exp --threads 1 --runs 200000 --iters 300
    python benchmarks/kernel_vs_hand.py quartic OLD_KERNEL.py ...

Extra arguments are kernel module sources to time as well (for example a kernel generated at
an older commit: same signature). ``--per-run`` passes eta and gamma as one value per run.
Clipped GD, eta = 0.01, gamma = 1, eps = 1e-9, starts uniform in [-3, 3].
"""

from __future__ import annotations

import argparse
import os
import re
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from lab.engine import baselines
from lab.engine.bench import best_rates
from lab.engine.codegen import program_for
from lab.engine.fused_cache import load_kernel
from lab.engine.fused_source import kernel_source
from lab.functions import get_function
from lab.methods import clipped


def kernel_runner(src: str, X: np.ndarray, T: int, threads: int, per_run: bool):
    """Run the kernel module ``src`` on all runs of ``X`` in 8 spans per thread."""
    kernel = load_kernel(src)
    blk = int(re.search(r"^BLK = (\d+)", src, re.M).group(1))
    n = X.shape[0]

    def go() -> int:
        Xk = X.T.copy()
        outs = [np.full(n, -1, dtype=np.int64), np.ones(n, dtype=np.int8),
                np.full(n, -1, dtype=np.int64), np.zeros(n, dtype=np.int64), np.empty(n)]
        params = (np.full(n, 0.01), np.full(n, 1.0)) if per_run else (0.01, 1.0)
        rest = (Xk, *params, 1e-9, T, np.zeros(1, np.uint64), 0.0, 0.0, *outs, 1,
                np.zeros((1, 1, 1)), np.zeros((1, 1)))
        edges = np.linspace(0, -(-n // blk), 8 * threads + 1).astype(int)
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(lambda s: kernel(int(s[0]), int(s[1]), *rest),
                          zip(edges[:-1], edges[1:])))
        return int(outs[3].sum())
    return go


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("profile", choices=["quartic", "exp"])
    ap.add_argument("sources", nargs="*", help="extra kernel module sources to time")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--runs", type=int, default=200_000)
    ap.add_argument("--iters", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--per-run", action="store_true")
    a = ap.parse_args()
    numba.set_num_threads(a.threads)
    X = np.random.default_rng(0).uniform(-3.0, 3.0, size=(a.runs, 1))
    per = (True, True) if a.per_run else (False, False)
    src = kernel_source(program_for(get_function(a.profile)), clipped(eta=0.01, gamma=1.0),
                        per, record=False)
    runs = {"engine kernel": kernel_runner(src, X, a.iters, a.threads, a.per_run)}
    for path in a.sources:
        with open(path) as fh:
            runs[os.path.basename(path)] = kernel_runner(fh.read(), X, a.iters, a.threads,
                                                         a.per_run)
    which = 0 if a.profile == "quartic" else 1

    def hand() -> int:
        x, hit = X[:, 0].copy(), np.full(a.runs, -1, dtype=np.int64)
        baselines.fused_blocked(x, which, 0.01, 1.0, 1e-9, a.iters, hit)
        return baselines.work_from_hits(hit, a.iters)
    runs["hand fused_blocked"] = hand
    for fn in runs.values():
        fn()
    load0 = os.getloadavg()[0]
    wall, cpu = best_rates(runs, a.rounds)
    print(f"{a.profile}: {a.runs} runs x {a.iters}, {a.threads} thread(s), best of {a.rounds}; "
          f"load {load0:.2f} -> {os.getloadavg()[0]:.2f}; run-it/s (/hand), run-it/CPU-s (/hand)")
    h = "hand fused_blocked"
    for name in runs:
        print(f"  {name:24s} {wall[name]:.3e} ({wall[name] / wall[h]:.3f})   "
              f"{cpu[name]:.3e} ({cpu[name] / cpu[h]:.3f})")


if __name__ == "__main__":
    main()
