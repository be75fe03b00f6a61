"""Engine throughput against the baselines, measured as ratios in one process.

Workloads (DESIGN.md, Performance): clipped GD (eta = 0.01, gamma = 1) on x^4 and on exp(x)
from starts uniform in [-3, 3], 10^6 runs x up to 10^3 iterations; clipped GD on ||x||^4 with
d = 100, 10^4 runs. ``eps`` is tiny, so almost every run spends the whole budget and the
run-iterations executed are close to runs x T. Throughput = run-iterations executed / seconds.
"""

from __future__ import annotations

import importlib.util
import time
import tracemalloc
from dataclasses import dataclass, field

import numpy as np

from lab.engine import baselines
from lab.engine.api import run_batch
from lab.functions import get_function
from lab.methods import clipped

ETA, GAMMA, EPS = 0.01, 1.0, 1e-9


@dataclass
class Workload:
    """One benchmark workload."""

    name: str
    profile: str
    dim: int
    runs: int
    iters: int
    python_sample: int
    rates: dict = field(default_factory=dict)

    def starts(self) -> np.ndarray:
        rng = np.random.default_rng(0)
        if self.dim == 1:
            return rng.uniform(-3.0, 3.0, size=(self.runs, 1))
        return rng.uniform(-1.0, 1.0, size=(self.runs, self.dim)) / np.sqrt(self.dim)

    def function(self):
        return get_function("quartic_norm", d=self.dim) if self.dim > 1 else \
            get_function(self.profile)


def workloads(quick: bool) -> list[Workload]:
    """The reference workloads (``quick``: smaller, for a < 30 s smoke run)."""
    if quick:
        return [Workload("clipped GD on x^4", "quartic", 1, 200_000, 100, 100),
                Workload("clipped GD on exp(x)", "exp", 1, 200_000, 100, 100),
                Workload("clipped GD on ||x||^4, d=100", "quartic_norm", 100, 2_000, 50, 10)]
    return [Workload("clipped GD on x^4", "quartic", 1, 1_000_000, 1000, 500),
            Workload("clipped GD on exp(x)", "exp", 1, 1_000_000, 1000, 500),
            Workload("clipped GD on ||x||^4, d=100", "quartic_norm", 100, 10_000, 1000, 50)]


def _best(fn, repeat: int):
    """Best wall time of up to ``repeat`` calls (one call when it takes over 3 s)."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
        if best > 3.0:
            break
    return best, out


def available_backends() -> list[str]:
    """Engine backends that can run here (CuPy only with a working GPU)."""
    out = ["numpy", "numba"]
    if importlib.util.find_spec("array_api_strict"):
        out.append("array_api_strict")
    if importlib.util.find_spec("cupy"):
        try:
            import cupy

            if cupy.cuda.runtime.getDeviceCount() > 0:
                out.append("cupy")
        except Exception:
            pass
    return out


def measure(w: Workload, backends: list[str], repeat: int, log=print) -> dict:
    """Throughputs (run-iterations per second) of every backend and baseline on ``w``."""
    X = w.starts()
    f = w.function()
    method = clipped(eta=ETA, gamma=GAMMA)
    rates = {}
    for backend in backends:
        # warm-up: compile kernels / import namespaces outside the timing
        run_batch(f, method, X[:8], eps=EPS, max_iter=2, backend=backend)
        Xb = X if backend != "array_api_strict" else X[: max(1, w.runs // 10)]
        sec, res = _best(lambda: run_batch(f, method, Xb, eps=EPS, max_iter=w.iters,
                                           backend=backend), repeat)
        rates[backend] = float(res.iterations.sum()) / sec
        log(f"  engine {backend:<17} {rates[backend]:10.3e} run-it/s  ({sec:.2f} s)")
    sample = X[: w.python_sample]
    sec, work = _best(lambda: baselines.python_loop(w.profile, sample, ETA, GAMMA, EPS, w.iters),
                      1)
    rates["python_loop"] = work / sec
    log(f"  python loop per run      {rates['python_loop']:10.3e} run-it/s  "
        f"({w.python_sample} runs sampled)")
    if w.dim == 1:
        which = 0 if w.profile == "quartic" else 1
        kernels = {"fused_per_run": baselines.fused_per_run,
                   "fused_blocked": baselines.fused_blocked}
        for name, kern in kernels.items():
            kern(X[:8, 0].copy(), which, ETA, GAMMA, EPS, 2, np.full(8, -1))

            def go(kern=kern):
                x, hit = X[:, 0].copy(), np.full(w.runs, -1, dtype=np.int64)
                kern(x, which, ETA, GAMMA, EPS, w.iters, hit)
                return hit
            sec, hit = _best(go, repeat)
            rates[name] = baselines.work_from_hits(hit, w.iters) / sec
            log(f"  hand {name:<19} {rates[name]:10.3e} run-it/s")
    else:
        baselines.fused_radial_per_run(X[:4].copy(), ETA, GAMMA, EPS, 2, np.full(4, -1))

        def go():
            Xc, hit = X.copy(), np.full(w.runs, -1, dtype=np.int64)
            baselines.fused_radial_per_run(Xc, ETA, GAMMA, EPS, w.iters, hit)
            return hit
        sec, hit = _best(go, repeat)
        rates["fused_per_run"] = baselines.work_from_hits(hit, w.iters) / sec
        log(f"  hand fused_per_run       {rates['fused_per_run']:10.3e} run-it/s")
    jx = baselines.jax_clipped(w.profile, X, ETA, GAMMA, EPS, w.iters)
    if jx is None:
        log("  jax                      not installed (skipped)")
    else:
        jx()
        sec, _ = _best(jx, repeat)
        rates["jax"] = w.runs * w.iters / sec
        log(f"  jax vmap+jit             {rates['jax']:10.3e} run-it/s")
    w.rates = rates
    return rates


def peak_memory(runs: int, backend: str) -> float:
    """Peak traced memory (bytes) of ``runs`` runs without trajectories (tracemalloc)."""
    X = np.random.default_rng(0).uniform(-3.0, 3.0, size=(runs, 1))
    method = clipped(eta=ETA, gamma=GAMMA)
    run_batch("quartic", method, X[:8], eps=EPS, max_iter=2, backend=backend)
    tracemalloc.start()
    try:
        run_batch("quartic", method, X, eps=EPS, max_iter=20, backend=backend)
        return float(tracemalloc.get_traced_memory()[1])
    finally:
        tracemalloc.stop()


def ratios_line(rates: dict) -> tuple[str, dict]:
    """The summary line on the reference workload (clipped GD on x^4)."""
    cpu = {k: v for k, v in rates.items() if k in ("numpy", "numba", "array_api_strict")}
    best = max(cpu.values())
    fused = max(v for k, v in rates.items() if k.startswith("fused"))
    r = {"best_cpu/fused": best / fused, "numpy/python_loop": rates["numpy"] /
         rates["python_loop"], "best_cpu/python_loop": best / rates["python_loop"]}
    if "jax" in rates:
        r["best_cpu/jax"] = best / rates["jax"]
    return "ratios: " + " ".join(f"{k}={v:.3g}" for k, v in r.items()), r


def main(quick: bool = False, log=print) -> dict:
    """Run every workload, print the table, the memory and the ratios line."""
    backends = available_backends()
    repeat = 2
    all_rates = {}
    for w in workloads(quick):
        log(f"{w.name}: {w.runs} runs x up to {w.iters} iterations")
        all_rates[w.name] = measure(w, backends, repeat, log)
    runs = 100_000 if quick else 1_000_000
    for backend in ("numpy", "numba"):
        peak = peak_memory(runs, backend)
        log(f"peak traced memory, {runs} runs, no trajectory, {backend}: {peak / 2**20:.1f} MiB")
    for name, rates in all_rates.items():
        line, _ = ratios_line(rates)
        log(f"[{name}] {line}")
    line, _ = ratios_line(next(iter(all_rates.values())))
    log(line)
    return all_rates
