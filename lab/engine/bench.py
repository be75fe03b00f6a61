"""Engine throughput against the baselines, measured as ratios in one process.

Workloads (DESIGN.md, Performance): clipped GD (eta = 0.01, gamma = 1) on x^4 and on exp(x)
from starts uniform in [-3, 3], 10^6 runs x up to 10^3 iterations; clipped GD on ||x||^4 with
d = 100, 10^4 runs. ``eps`` is tiny, so almost every run spends the whole budget and the
run-iterations executed are close to runs x T. Throughput = run-iterations executed / seconds.
Contenders: the engine's backends, a Python loop, hand-written numba kernels, JAX when it is
installed, and two estimates of the hardware limit of the loop (:mod:`lab.engine.baselines`);
each workload ends with its ratios line, the run with the line of the reference workload.
"""

from __future__ import annotations

import importlib.util
import os
import time
import tracemalloc
from dataclasses import dataclass, field

import numpy as np

from lab.engine import baselines, fused
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


def _engine(w: Workload, X: np.ndarray, backends: list[str]) -> dict:
    f = w.function()
    method = clipped(eta=ETA, gamma=GAMMA)
    out = {}
    for backend in backends:
        run_batch(f, method, X[:8], eps=EPS, max_iter=2, backend=backend)
        Xb = X if backend != "array_api_strict" else X[: max(1, w.runs // 10)]
        out[f"engine {backend}"] = (lambda Xb=Xb, backend=backend: int(run_batch(
            f, method, Xb, eps=EPS, max_iter=w.iters, backend=backend).iterations.sum()))
    return out


def _hand_1d(w: Workload, X: np.ndarray) -> dict:
    which = 0 if w.profile == "quartic" else 1
    out = {}
    for name, kern in (("hand fused_per_run", baselines.fused_per_run),
                       ("hand fused_blocked", baselines.fused_blocked)):
        kern(X[:8, 0].copy(), which, ETA, GAMMA, EPS, 2, np.full(8, -1))
        # the per-run kernel is slow: time it on a tenth of the runs (rate is per run-it)
        Xk = X[:, 0] if name.endswith("blocked") else X[: max(8, w.runs // 10), 0]

        def go(kern=kern, Xk=Xk):
            x, hit = Xk.copy(), np.full(Xk.shape[0], -1, dtype=np.int64)
            kern(x, which, ETA, GAMMA, EPS, w.iters, hit)
            return baselines.work_from_hits(hit, w.iters)
        out[name] = go
    baselines.limit_arithmetic(X[:8, 0].copy(), which, ETA, GAMMA, 2)
    baselines.limit_division(X[:8, 0].copy(), GAMMA, 2)
    out["limit arithmetic"] = lambda: baselines.limit_arithmetic(X[:, 0].copy(), which, ETA,
                                                                 GAMMA, w.iters)
    out["limit division"] = lambda: baselines.limit_division(X[:, 0].copy(), GAMMA, w.iters)
    return out


def _hand_radial(w: Workload, X: np.ndarray) -> dict:
    baselines.fused_radial_per_run(X[:4].copy(), ETA, GAMMA, EPS, 2, np.full(4, -1))
    baselines.limit_radial(X[:4].copy(), ETA, GAMMA, 2)

    def go_radial():
        Xc, hit = X.copy(), np.full(w.runs, -1, dtype=np.int64)
        baselines.fused_radial_per_run(Xc, ETA, GAMMA, EPS, w.iters, hit)
        return baselines.work_from_hits(hit, w.iters)
    return {"hand fused_per_run": go_radial,
            "limit arithmetic": lambda: baselines.limit_radial(X.copy(), ETA, GAMMA, w.iters)}


def contenders(w: Workload, backends: list[str]) -> dict:
    """name -> callable running the workload once and returning the run-iterations executed.

    Every callable is warmed up (compiled, imported) before it is returned.
    """
    X = w.starts()
    out = _engine(w, X, backends)
    sample = X[: w.python_sample]
    out["python loop per run"] = lambda: baselines.python_loop(w.profile, sample, ETA, GAMMA,
                                                                 EPS, w.iters)
    out.update(_hand_1d(w, X) if w.dim == 1 else _hand_radial(w, X))
    jx = baselines.jax_clipped(w.profile, X, ETA, GAMMA, EPS, w.iters)
    if jx is not None:
        jx()
        out["jax vmap+jit"] = lambda: (jx(), w.runs * w.iters)[1]
    return out


#: short keys used in the ratios line
KEYS = {"engine numpy": "numpy", "engine numba": "numba",
        "engine array_api_strict": "array_api_strict", "engine cupy": "cupy",
        "python loop per run": "python_loop", "hand fused_per_run": "fused_per_run",
        "hand fused_blocked": "fused_blocked", "jax vmap+jit": "jax",
        "limit arithmetic": "limit", "limit division": "div_limit"}


def best_rates(runs: dict, rounds: int) -> tuple[dict[str, float], dict[str, float]]:
    """Best rate of each contender over ``rounds`` round-robin rounds: ``runs`` maps a name to
    a callable returning the run-iterations it did; the result is (per wall-clock second, per
    CPU second of the process, all threads).

    Examples
    --------
    >>> wall, cpu = best_rates({"noop": lambda: 10}, rounds=2)
    >>> sorted(wall) == sorted(cpu) == ["noop"] and wall["noop"] > 0
    True
    """
    wall: dict[str, float] = {}
    cpu: dict[str, float] = {}
    for _ in range(rounds):
        for name, fn in runs.items():
            t0, c0 = time.perf_counter(), time.process_time()
            work = fn()
            t1, c1 = time.perf_counter(), time.process_time()
            wall[name] = max(wall.get(name, 0.0), work / max(t1 - t0, 1e-9))
            cpu[name] = max(cpu.get(name, 0.0), work / max(c1 - c0, 1e-9))
    return wall, cpu


def measure(w: Workload, backends: list[str], rounds: int, log=print) -> tuple[dict, dict]:
    """Best throughput of every contender over ``rounds`` interleaved rounds (round-robin, so
    a shared machine's load drift hits all contenders alike), in run-iterations per second of
    wall-clock time and per second of the process's CPU time (all its threads: on a loaded
    machine the wall clock mostly measures waiting, the CPU time the work done)."""
    runs = contenders(w, backends)
    wall, cpu = best_rates(runs, rounds)
    log(f"  {'':<26} {'run-it/s':>10}   {'run-it/CPU-s':>12}")
    for name in wall:
        note = f"  ({w.python_sample} runs sampled)" if name.startswith("python") else ""
        log(f"  {name:<26} {wall[name]:10.3e}   {cpu[name]:12.3e}{note}")
    if "jax vmap+jit" not in runs:
        log("  jax                        not installed (skipped)")
    w.rates = {KEYS[k]: v for k, v in wall.items()}
    return w.rates, {KEYS[k]: v for k, v in cpu.items()}


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
    """The ratios of one workload: the best CPU backend against the best hand kernel, the
    Python loop and JAX; the engine's numba kernel against the hand kernel and against the
    hardware-limit estimates (``limit``: the update's arithmetic alone; ``div_limit``: the
    division throughput)."""
    cpu = {k: v for k, v in rates.items() if k in ("numpy", "numba", "array_api_strict")}
    best = max(cpu.values())
    fused = max(v for k, v in rates.items() if k.startswith("fused"))
    r = {"best_cpu/fused": best / fused, "numpy/python_loop": rates["numpy"] /
         rates["python_loop"], "best_cpu/python_loop": best / rates["python_loop"]}
    if "jax" in rates:
        r["best_cpu/jax"] = best / rates["jax"]
        r["numba/jax"] = rates["numba"] / rates["jax"]
    for key in ("limit", "div_limit"):
        if key in rates:
            r[f"numba/{key}"] = rates["numba"] / rates[key]
    return "ratios: " + " ".join(f"{k}={v:.3g}" for k, v in r.items()), r


def machine_line(when: str) -> str:
    """CPUs, numba's threads and the load average (how busy the machine was)."""
    try:
        load = " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:  # pragma: no cover - not on every platform
        load = "unknown"
    return (f"machine at {when}: {os.cpu_count()} CPUs, numba threads {fused.threads()}, "
            f"load average (1, 5, 15 min) {load}")


def main(quick: bool = False, log=print) -> dict:
    """Run every workload, print the table, the memory and the ratios lines (wall clock and
    CPU time); the last line is the wall-clock ratios of the reference workload (x^4)."""
    backends = available_backends()
    rounds = 3   # best of 3: with 2, the engine's best wall-clock rate moved 6 % between quiet runs
    wall, cpu = {}, {}
    log(machine_line("start"))
    for w in workloads(quick):
        log(f"{w.name}: {w.runs} runs x up to {w.iters} iterations, best of {rounds} "
            "interleaved rounds")
        wall[w.name], cpu[w.name] = measure(w, backends, rounds, log)
    runs = 100_000 if quick else 1_000_000
    for backend in ("numpy", "numba"):
        peak = peak_memory(runs, backend)
        log(f"peak traced memory, {runs} runs, no trajectory, {backend}: {peak / 2**20:.1f} MiB")
    log(machine_line("end"))
    for name in wall:
        log(f"[{name}] CPU-time {ratios_line(cpu[name])[0]}")
    for name in wall:
        log(f"[{name}] {ratios_line(wall[name])[0]}")
    log(ratios_line(next(iter(wall.values())))[0])
    return wall
