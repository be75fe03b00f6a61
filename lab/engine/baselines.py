"""Baselines the benchmark times against the engine, on the same workloads.

* a plain Python loop per run (what peer repositories do: scalar ``math`` in 1-D, one NumPy
  vector per run in d dimensions);
* hand-written fused numba kernels for clipped GD: one loop per run (``prange`` over runs)
  and the blocked form (runs of a block innermost, so the loop vectorizes); ``exp`` is the
  lab's vectorizable one (:mod:`lab.engine.fused_math`) and the vectors as wide as the CPU's
  (:func:`~lab.engine.fused_math.prefer_wide_vectors`), as in the engine's kernels;
* JAX ``vmap`` + ``jit`` when JAX is installed (``None`` otherwise);
* estimates of the hardware limit of each loop: the update's arithmetic alone (no hit test,
  no divergence check, no bookkeeping, no early exit: :func:`limit_arithmetic`,
  :func:`limit_radial`) and the throughput of the one division clipped GD needs per
  run-iteration (:func:`limit_division`).

Every baseline runs clipped GD ``h = min{eta, gamma eta/|g|}`` to ``|f'| <= eps`` or ``T``
(the limits: exactly ``T`` iterations) and returns the number of run-iterations it executed.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from lab.engine import fused_math
from lab.engine.fused_math import prefer_wide_vectors

#: the 1-D workloads: name -> (f', scalar Python f')
PROFILES = ("quartic", "exp")


def python_loop(profile: str, x0: np.ndarray, eta: float, gamma: float, eps: float,
                T: int) -> int:
    """A plain Python loop per run; returns the run-iterations executed."""
    work = 0
    if profile == "quartic_norm":
        for row in x0:
            x = np.array(row, dtype=np.float64)
            for t in range(T + 1):
                g = 4.0 * float(x @ x) * x
                gn = float(np.linalg.norm(g))
                if gn <= eps or t == T:
                    break
                h = eta if gn <= gamma else eta * (gamma / gn)
                x = x - h * g
            work += t
        return work
    fprime = (lambda x: 4.0 * x * x * x) if profile == "quartic" else math.exp
    for x in x0.ravel().tolist():
        for t in range(T + 1):
            try:
                g = fprime(x)
            except OverflowError:
                break
            gn = abs(g)
            if gn <= eps or t == T:
                break
            h = eta if gn <= gamma else eta * (gamma / gn)
            x = x - h * g
        work += t
    return work


@njit(inline="always")
def _fprime(x, which):
    return 4.0 * (x * x * x) if which == 0 else fused_math.exp(x)


@njit(parallel=True, error_model="numpy", cache=True)
def fused_per_run(x, which, eta, gamma, eps, T, hit):
    """Hand-fused: one loop per run, parallel over runs."""
    for j in prange(x.size):
        prefer_wide_vectors()   # here: a prange body is compiled as its own function
        xj = x[j]
        for t in range(T + 1):
            g = _fprime(xj, which)
            gn = abs(g)
            if gn <= eps:
                hit[j] = t
                break
            if t == T:
                break
            h = eta if gn <= gamma else eta * (gamma / gn)
            xj = xj - h * g
        x[j] = xj


@njit(parallel=True, error_model="numpy", cache=True)
def fused_blocked(x, which, eta, gamma, eps, T, hit):
    """Hand-fused, blocked: runs of a block innermost (branch-free), early exit per block."""
    n = x.size
    B = 256
    for b in prange((n + B - 1) // B):
        prefer_wide_vectors()   # here: a prange body is compiled as its own function
        lo = b * B
        m = min(B, n - lo)
        xb = x[lo:lo + m].copy()
        ev = np.full(m, -1, dtype=np.int64)
        act = np.ones(m, dtype=np.bool_)
        for t in range(T + 1):
            alive = 0
            last = t == T
            for j in range(m):
                xj = xb[j]
                g = _fprime(xj, which)
                gn = abs(g)
                a = act[j]
                conv = a and gn <= eps
                h = eta if gn <= gamma else eta * (gamma / gn)
                go = a and not conv and not last
                xb[j] = xj - h * g if go else xj
                ev[j] = t if conv else ev[j]
                act[j] = go
                alive += 1 if go else 0
            if alive == 0:
                break
        x[lo:lo + m] = xb
        hit[lo:lo + m] = ev


@njit(parallel=True, error_model="numpy", cache=True)
def fused_radial_per_run(X, eta, gamma, eps, T, hit):
    """Hand-fused ``||x||^4`` in d dimensions: one loop per run, X of shape (n, d)."""
    n, d = X.shape
    for j in prange(n):
        prefer_wide_vectors()   # here: a prange body is compiled as its own function
        x = X[j].copy()
        for t in range(T + 1):
            s = 0.0
            for i in range(d):
                s += x[i] * x[i]
            c = 4.0 * s
            gn = abs(c) * math.sqrt(s)
            if gn <= eps:
                hit[j] = t
                break
            if t == T:
                break
            h = eta if gn <= gamma else eta * (gamma / gn)
            for i in range(d):
                x[i] = x[i] - h * (c * x[i])
        X[j] = x


@njit(parallel=True, error_model="numpy", cache=True)
def limit_arithmetic(x, which, eta, gamma, T):
    """The update's arithmetic alone, blocked like the hand kernel: T iterations per run, no
    hit test, no divergence check, no early exit. Returns the run-iterations (n T)."""
    n = x.size
    B = 256
    for b in prange((n + B - 1) // B):
        prefer_wide_vectors()   # here: a prange body is compiled as its own function
        lo = b * B
        m = min(B, n - lo)
        xb = x[lo:lo + m].copy()
        for _ in range(T):
            for j in range(m):
                xj = xb[j]
                g = _fprime(xj, which)
                gn = abs(g)
                h = eta if gn <= gamma else eta * (gamma / gn)
                xb[j] = xj - h * g
        x[lo:lo + m] = xb
    return n * T


@njit(parallel=True, error_model="numpy", cache=True)
def limit_division(x, gamma, T):
    """Division throughput: ``x <- gamma / x`` T times per run, blocked (it vectorizes): the
    one division clipped GD needs per run-iteration, and nothing else. Returns n T."""
    n = x.size
    B = 256
    for b in prange((n + B - 1) // B):
        prefer_wide_vectors()   # here: a prange body is compiled as its own function
        lo = b * B
        m = min(B, n - lo)
        xb = x[lo:lo + m].copy()
        for _ in range(T):
            for j in range(m):
                xb[j] = gamma / xb[j]
        x[lo:lo + m] = xb
    return n * T


@njit(parallel=True, error_model="numpy", cache=True)
def limit_radial(X, eta, gamma, T):
    """The arithmetic of clipped GD on ``||x||^4`` alone (no checks, no early exit). n T."""
    n, d = X.shape
    for j in prange(n):
        prefer_wide_vectors()   # here: a prange body is compiled as its own function
        x = X[j].copy()
        for _ in range(T):
            s = 0.0
            for i in range(d):
                s += x[i] * x[i]
            c = 4.0 * s
            gn = abs(c) * math.sqrt(s)
            h = eta if gn <= gamma else eta * (gamma / gn)
            for i in range(d):
                x[i] = x[i] - h * (c * x[i])
        X[j] = x
    return n * T


def work_from_hits(hit: np.ndarray, T: int) -> int:
    """Run-iterations executed by a kernel that stops each run at its hit (else T)."""
    return int(np.where(hit >= 0, hit, T).sum())


def jax_clipped(profile: str, x0: np.ndarray, eta: float, gamma: float, eps: float, T: int,
                chunk: int = 16384):
    """JAX vmap+jit clipped GD (``fori_loop`` over T, chunks of runs mapped with ``lax.map`` so
    each chunk stays in cache); returns a callable running the batch once, or None without JAX.
    """
    try:
        import jax
        import jax.numpy as jnp
    except ImportError:
        return None
    jax.config.update("jax_enable_x64", True)

    def grad_and_norm(x):
        if profile == "quartic":
            g = 4.0 * x * x * x
            return g, jnp.abs(g)
        if profile == "exp":
            g = jnp.exp(x)
            return g, jnp.abs(g)
        s = jnp.dot(x, x)
        c = 4.0 * s
        return c * x, jnp.abs(c) * jnp.sqrt(s)

    def one(x):
        def body(t, state):
            x, hit = state
            g, gn = grad_and_norm(x)
            hit = jnp.where((hit < 0) & (gn <= eps), t, hit)
            h = jnp.where(gn <= gamma, eta, eta * (gamma / gn))
            return jnp.where(hit >= 0, x, x - h * g), hit
        return jax.lax.fori_loop(0, T, body, (x, jnp.int64(-1)))

    batched = jax.vmap(one)
    xs = np.asarray(x0[:, 0] if profile != "quartic_norm" else x0)
    n = xs.shape[0]
    c = max(1, min(chunk if profile != "quartic_norm" else 256, n))
    pad = (-n) % c
    xs = np.concatenate([xs, np.repeat(xs[:1], pad, axis=0)]) if pad else xs
    xs = jnp.asarray(xs.reshape((-1, c) + xs.shape[1:]))
    fn = jax.jit(lambda a: jax.lax.map(batched, a))

    def run():
        x, hit = fn(xs)
        x.block_until_ready()
        return np.asarray(hit).reshape(-1)[:n]
    return run
