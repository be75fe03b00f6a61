"""The fused backend: one numba kernel per (objective, method), generated from sympy.

The kernel source is printed from the objective's symbolic gradient (:mod:`lab.engine.codegen`,
scalar target) and from the step rule's own Python source (:mod:`lab.methods.rules`, whose
four helper names resolve to :mod:`lab.engine.fused_support`), written to a file in the kernel
cache directory and imported, so numba's on-disk cache (``cache=True``) makes the compile a
one-time cost per machine. ``LAB_KERNEL_CACHE`` overrides the directory.

Runs are processed in blocks of ``BLOCK`` runs, spans of blocks run on a thread pool (the kernel
is ``nogil``; a plain ``njit`` compiles in a fraction of ``parallel=True``'s time); inside a
block the iteration loop is outermost and the runs of the block innermost, written branch-free
(selects) so LLVM vectorizes over the runs, and a block stops as soon as all its runs have
finished (early exit). Ridge and radial objectives with d > ``UNROLL`` use the per-run form
instead: one run at a time over its contiguous row of ``X`` (shape (n, d)), with its own early
exit; there the loops over the coordinates vectorize. The arithmetic is the vectorized
engine's, operation for operation (see :mod:`lab.engine.codegen`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import inspect
import os
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from lab.engine.codegen import Program, scalar_source
from lab.engine.result import BUDGET
from lab.engine.vectorized import RawOutcome, finish_trajectory
from lab.methods import rules

#: runs per block (the unit of parallel work and of early exit)
BLOCK = 256
#: dimensions up to which per-coordinate code is unrolled into scalars (blocked kernel)
UNROLL = 8

_LOADED: dict[str, object] = {}
_LOCK = threading.Lock()


def block_size(dim: int) -> int:
    """Runs per block (per span of work for the per-run kernel in high dimension)."""
    return BLOCK if dim <= UNROLL else 64


def cache_dir() -> Path:
    """Where generated kernel modules (and numba's cache) live."""
    env = os.environ.get("LAB_KERNEL_CACHE")
    base = Path(env) if env else Path.home() / ".cache" / "clipping-lab" / "kernels"
    try:
        base.mkdir(parents=True, exist_ok=True)
        probe = base / ".probe"
        probe.write_text("")
        probe.unlink()
        return base
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "clipping-lab-kernels"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


class _Emitter:
    """Per-coordinate statements, unrolled into scalars or written as loops over ``i``."""

    def __init__(self, dim: int, unrolled: bool, per_run: bool = False):
        self.dim, self.unrolled, self.per_run = dim, unrolled, per_run

    def names(self, i) -> dict:
        if self.per_run:
            return {"i": "i", "d": "dv[i]", "v": "vv[i]", "g": "gw[i]", "n": "nv[i]",
                    "A": "A[i]", "x": "xv[i]", "gb": "gv[i]", "m": "mv[i]",
                    "X": "X[lo + j, i]"}
        if self.unrolled:
            return {"i": str(i), "d": f"d{i}", "v": f"v{i}", "g": f"g{i}", "n": f"n{i}",
                    "A": f"A{i}", "x": f"xb[{i}, j]", "gb": f"gb[{i}, j]", "m": f"mb[{i}, j]",
                    "X": f"X[{i}, lo + j]"}
        return {"i": "i", "d": "dv[i]", "v": "vv[i]", "g": "gw[i]", "n": "nv[i]", "A": "A[i]",
                "x": "xb[i, j]", "gb": "gb[i, j]", "m": "mb[i, j]", "X": "X[i, lo + j]"}

    def each(self, template: str) -> list[str]:
        if self.unrolled:
            return [template.format(**self.names(i)) for i in range(self.dim)]
        return ["for i in range(D):", "    " + template.format(**self.names("i"))]

    def total(self, target: str, term: str) -> list[str]:
        """``target = term_0 + term_1 + ...`` left to right (as NumPy's axis-0 sum)."""
        if self.unrolled:
            out = [f"{target} = " + term.format(**self.names(0))]
            out += [f"{target} = {target} + " + term.format(**self.names(i))
                    for i in range(1, self.dim)]
            return out
        first = {k: v.replace("[i", "[0") for k, v in self.names("i").items()}
        return [f"{target} = " + term.format(**first),
                "for i in range(1, D):",
                f"    {target} = {target} + " + term.format(**self.names("i"))]


def _grad_lines(prog: Program, em: _Emitter) -> list[str]:
    """Gradient at the point ``v`` -> components ``g``, norm ``gnn``, finiteness ``ok``."""
    src = scalar_source(prog)
    body = src["body"].splitlines()
    d = prog.dim
    if prog.kind == "explicit":
        lines = list(body)
        gnn = "abs(g0)" if d == 1 else "math.sqrt(" + " + ".join(
            f"g{i}*g{i}" for i in range(d)) + ")"
        lines.append(f"gnn = {gnn}")
        lines.append("ok = math.isfinite(gnn)" +
                     "".join(f" and math.isfinite(v{i})" for i in range(d)))
        return lines
    if prog.kind == "ridge":
        lines = em.total("z", "{v} * {A}") + body
        lines += ["gnn = abs(hp) * ANORM", "ok = math.isfinite(gnn) and math.isfinite(z)"]
        lines += em.each("{g} = hp * {A}")
        return lines
    lines = em.total("z", "{v} * {v}") + body
    lines += ["c = 2.0 * hp", "gnn = abs(c) * math.sqrt(z)",
              "ok = math.isfinite(gnn) and math.isfinite(z)"]
    lines += em.each("{g} = c * {v}")
    return lines


def _noise_lines(method, em: _Emitter, d: int, gn: str = "gnb[j]") -> list[str]:
    """Direction ``d`` = gradient (+ noise, + momentum) and its norm ``dn``."""
    lines = em.each("{d} = {gb}") + [f"dn = {gn}"]
    if method.noise is None:
        return lines
    lines += ["key = keys[lo + j]", "base = np.uint64(2 * (D + 1)) * np.uint64(t - 1)"]
    if method.noise == "adversarial":
        lines += [f"scale = -tau / {gn} if {gn} > 0 else 0.0"]
        lines += em.each("{d} = {d} + {gb} * scale")
    else:
        lines += em.each("{n} = normal(key, base + np.uint64(2) * np.uint64({i}))")
        if method.noise == "gaussian":
            lines += ["sd = tau / math.sqrt(D)"]
            lines += em.each("{d} = {d} + {n} * sd")
        else:
            lines += em.total("zn", "{n} * {n}") + ["zn = math.sqrt(zn)"]
            if method.noise == "sphere":
                lines += ["r = tau"]
            else:
                lines += ["r = tau * uniform01(key, base + np.uint64(2 * D)) ** (1.0 / D)"]
            lines += em.each("{d} = {d} + ({n} / zn) * r")
    if method.momentum is not None:
        lines += ["if t == 1:"] + ["    " + s for s in em.each("{m} = {d}")]
        lines += ["else:"] + ["    " + s for s in
                              em.each("{m} = mom * {m} + (1.0 - mom) * {d}")]
        lines += em.each("{d} = {m}")
    lines += (["dn = abs(d0)"] if em.unrolled and d == 1 else
              em.total("dn", "{d} * {d}") + ["dn = math.sqrt(dn)"])
    return lines


def kernel_source(prog: Program, method, array_params: tuple[bool, ...], record: bool) -> str:
    """The full source of the kernel module for this objective and method."""
    d = prog.dim
    unrolled = prog.kind == "explicit" or d <= UNROLL
    em = _Emitter(d, unrolled, per_run=not unrolled)
    fn, pnames = rules.RULES[method.rule]
    rule_src = inspect.getsource(fn).replace(f"def {fn.__name__}(", "def _step(", 1)
    pargs = [f"p{k}[lo + j]" if arr else f"p{k}" for k, arr in enumerate(array_params)]
    head = ["import math", "import numpy as np", "from numba import njit",
            "from lab.engine.fused_support import (where, minimum, log1p, full_like, "
            "uniform01, normal)", "", f"D = {d}"]
    if prog.kind == "ridge":
        head.append(f"A = np.array({list(map(float, prog.direction))!r})")
        head += [f"A{i} = {float(a)!r}" for i, a in enumerate(prog.direction)]
        head.append(f"ANORM = {prog.direction_norm!r}")
    head += ["", "", "@njit(cache=True, inline='always', error_model='numpy')",
             *rule_src.rstrip().splitlines(), ""]

    def indent(lines, k):
        return ["    " * k + s for s in lines]

    if not unrolled:
        return "\n".join(head + _per_run_kernel(prog, method, em, pargs, len(pnames), record)) \
            + "\n"
    load_v = em.each("{v} = {X}")
    grad = _grad_lines(prog, em)
    temps: list[str] = []
    mom_alloc = ["mb = np.zeros((D, BLK))"] if method.momentum is not None else []
    body = [
        "",
        "@njit(nogil=True, cache=True, error_model='numpy')",
        "def kernel(b0, b1, X, " + "".join(f"p{k}, " for k in range(len(pnames))) +
        "eps, T, keys, tau, mom, hit, status, div_at, iters, gno, rec, TX, TG):",
        "    n = X.shape[1]",
        f"    BLK = {block_size(d)}",
        "    for b in range(b0, b1):",
        "        lo = b * BLK",
        "        m = min(BLK, n - lo)",
        "        xb = np.empty((D, BLK))",
        "        gb = np.empty((D, BLK))",
        "        gnb = np.empty(BLK)",
        "        ev = np.full(BLK, -1, dtype=np.int64)",
        *indent(mom_alloc + temps, 2),
        "        nact = 0",
        "        for j in range(m):",
        *indent(load_v + grad, 3),
        *indent(em.each("{x} = {v}") + em.each("{gb} = {g}"), 3),
        "            gnb[j] = gnn",
        "            if not ok:",
        "                ev[j] = -2",
        "            elif gnn <= eps:",
        "                ev[j] = 0",
        "            else:",
        "                nact += 1",
    ]
    if record:
        body += ["        for j in range(m):"] + indent(em.each("TX[0, {i}, lo + j] = {x}"), 3) \
            + ["            TG[0, lo + j] = gnb[j]"]
    body.append("        t = 0")
    body += _per_run_iteration(prog, method, em, pargs, grad)
    if record:
        body += ["            if t % rec == 0:",
                 "                s = t // rec",
                 "                for j in range(m):",
                 *indent(em.each("TX[s, {i}, lo + j] = {x}"), 5),
                 "                    TG[s, lo + j] = gnb[j]"]
    body += [
        "        for j in range(m):",
        *indent(em.each("X[{i}, lo + j] = {x}"), 3),
        "            gno[lo + j] = gnb[j]",
        "            e = ev[j]",
        "            if e >= 0:",
        "                status[lo + j] = 0",
        "                hit[lo + j] = e",
        "                iters[lo + j] = e",
        "            elif e <= -2:",
        "                status[lo + j] = 2",
        "                div_at[lo + j] = -e - 2",
        "                iters[lo + j] = -e - 3 if e < -2 else 0",
        "            else:",
        "                status[lo + j] = 1",
        "                iters[lo + j] = T",
    ]
    return "\n".join(head + body) + "\n"


def _per_run_iteration(prog, method, em, pargs, grad) -> list[str]:
    """One iteration, run by run (branch-free selects, so LLVM can vectorize over the runs)."""

    def indent(lines, k):
        return ["    " * k + s for s in lines]

    step_call = "h = _step(dn, " + ", ".join(pargs) + ")"
    return [
        "        while nact > 0 and t < T:",
        "            t += 1",
        "            nact = 0",
        "            for j in range(m):",
        "                e = ev[j]",
        "                a = e == -1",
        *indent(_noise_lines(method, em, prog.dim), 4),
        "                " + step_call,
        *indent(em.each("{v} = {x} - h * {d}"), 4),
        *indent(grad, 4),
        "                upd = a and ok",
        "                conv = upd and gnn <= eps",
        "                div = a and not ok",
        *indent(em.each("{x} = {v} if upd else {x}"), 4),
        *indent(em.each("{gb} = {g} if upd else {gb}"), 4),
        "                gnb[j] = gnn if upd else gnb[j]",
        "                ev[j] = t if conv else (-t - 2 if div else e)",
        "                still = upd and not conv",
        "                nact += 1 if still else 0",
    ]


def _per_run_kernel(prog, method, em, pargs, nparams: int, record: bool) -> list[str]:
    """High dimension: one run at a time over its contiguous row of ``X`` (shape (n, d)),
    each run with its own early exit; the loops over coordinates vectorize."""

    def indent(lines, k):
        return ["    " * k + s for s in lines]

    grad = _grad_lines(prog, em)
    rec0 = (["for i in range(D):", "    TX[0, lo + j, i] = xv[i]", "TG[0, lo + j] = gn"]
            if record else [])
    rect = (["if t % rec == 0:", "    for i in range(D):",
             "        TX[t // rec, lo + j, i] = xv[i]", "    TG[t // rec, lo + j] = gn"]
            if record else [])
    loop = [
        "t += 1",
        *_noise_lines(method, em, prog.dim, gn="gn"),
        "h = _step(dn, " + ", ".join(pargs) + ")",
        *em.each("{v} = {x} - h * {d}"),
        *grad,
        "if not ok:",
        "    e = -t - 2",
        "    break",
        *em.each("{x} = {v}"),
        *em.each("{gb} = {g}"),
        "gn = gnn",
        "if gnn <= eps:",
        "    e = t",
        *rect,
    ]
    per_run = [
        *em.each("{v} = {X}"),
        *grad,
        *em.each("{x} = {v}"),
        *em.each("{gb} = {g}"),
        "gn = gnn",
        "e = -1",
        "if not ok:",
        "    e = -2",
        "elif gnn <= eps:",
        "    e = 0",
        *rec0,
        "t = 0",
        "while e == -1 and t < T:",
        *indent(loop, 1),
        *em.each("{X} = {x}"),
        "gno[lo + j] = gn",
        "if e >= 0:",
        "    status[lo + j] = 0",
        "    hit[lo + j] = e",
        "    iters[lo + j] = e",
        "elif e <= -2:",
        "    status[lo + j] = 2",
        "    div_at[lo + j] = -e - 2",
        "    iters[lo + j] = -e - 3 if e < -2 else 0",
        "else:",
        "    status[lo + j] = 1",
        "    iters[lo + j] = T",
    ]
    return [
        "",
        "@njit(nogil=True, cache=True, error_model='numpy')",
        "def kernel(b0, b1, X, " + "".join(f"p{k}, " for k in range(nparams)) +
        "eps, T, keys, tau, mom, hit, status, div_at, iters, gno, rec, TX, TG):",
        "    n = X.shape[0]",
        f"    BLK = {block_size(prog.dim)}",
        "    xv = np.empty(D)",
        "    gv = np.empty(D)",
        "    dv = np.empty(D)",
        "    vv = np.empty(D)",
        "    gw = np.empty(D)",
        "    nv = np.empty(D)",
        "    mv = np.zeros(D)",
        "    for b in range(b0, b1):",
        "        lo = b * BLK",
        "        m = min(BLK, n - lo)",
        "        for j in range(m):",
        *indent(per_run, 3),
    ]


def load_kernel(source: str):
    """Import (and cache) the kernel module written from ``source``."""
    digest = hashlib.sha1(source.encode()).hexdigest()[:20]
    with _LOCK:
        if digest in _LOADED:
            return _LOADED[digest]
        name = f"lab_kernel_{digest}"
        path = cache_dir() / f"{name}.py"
        if not path.exists() or path.read_text() != source:
            tmp = path.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(source)
            os.replace(tmp, path)
        spec = importlib.util.spec_from_file_location(name, path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        _LOADED[digest] = module.kernel
        return module.kernel


def threads() -> int:
    """Worker threads of the fused backend: ``NUMBA_NUM_THREADS`` (default: the CPU count)."""
    try:
        from numba import config

        return max(1, int(config.NUMBA_NUM_THREADS))
    except Exception:  # pragma: no cover
        return max(1, os.cpu_count() or 1)


def run_fused(function, prog: Program, method, params: dict, starts: np.ndarray, *,
              eps: float, max_iter: int, keys, record_every: int) -> RawOutcome:
    """Run the batch with the fused kernel; same contract as the vectorized engine."""
    n, d = starts.shape
    _, pnames = rules.RULES[method.rule]
    pvals = [params[k] for k in pnames]
    array_params = tuple(isinstance(v, np.ndarray) for v in pvals)
    kernel = load_kernel(kernel_source(prog, method, array_params, record_every > 0))
    rows = prog.kind != "explicit" and d > UNROLL  # per-run kernel: X of shape (n, d)
    X = np.array(starts if rows else starts.T, dtype=np.float64, order="C")
    hit = np.full(n, -1, dtype=np.int64)
    status = np.full(n, BUDGET, dtype=np.int8)
    div_at = np.full(n, -1, dtype=np.int64)
    iters = np.zeros(n, dtype=np.int64)
    gno = np.empty(n)
    keys_arr = keys if keys is not None else np.zeros(1, dtype=np.uint64)
    if record_every:
        nrec = max_iter // record_every + 1
        TX = np.zeros((nrec, n, d) if rows else (nrec, d, n))
        TG = np.zeros((nrec, n))
    else:
        TX, TG = np.zeros((1, d, 1)), np.zeros((1, 1))
    args = [np.ascontiguousarray(v) if isinstance(v, np.ndarray) else float(v) for v in pvals]
    rest = (X, *args, float(eps), int(max_iter), keys_arr, float(method.tau),
            float(method.momentum or 0.0), hit, status, div_at, iters, gno,
            int(max(record_every, 1)), TX, TG)
    blk = block_size(d)
    nblocks = (n + blk - 1) // blk
    workers = threads()
    # several chunks per thread balance blocks that finish early against slow ones
    edges = np.linspace(0, nblocks, min(nblocks, 8 * workers) + 1).astype(np.int64)
    spans = [(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:]) if b > a]
    if workers == 1 or len(spans) == 1:
        kernel(0, nblocks, *rest)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(lambda ab: kernel(ab[0], ab[1], *rest), spans))
    x = X.copy() if rows else X.T.copy()
    traj = None
    if record_every:
        tx = TX if rows else TX.transpose(0, 2, 1)
        traj = finish_trajectory(record_every, tx, TG, x, gno, iters)
    return RawOutcome(hit, status, div_at, x, gno, iters, traj)
