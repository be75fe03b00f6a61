"""The *wide* fused kernel: ridge and radial objectives in high dimension, deterministic methods.

A radial objective ``h(||x||²)`` has the gradient ``c x`` with ``c = 2h'(z)``, ``z = ||x||²``;
a ridge objective ``h(a·x)`` has ``h'(z) a`` with ``z = a·x``. So a run's whole gradient is one
number ``c`` (per run) and the direction, and the update ``v = x - h (c x)`` (or
``x - h (c a)``) and the next ``z`` take **one pass** over the coordinates. The kernel keeps a
block of runs as ``xb`` of shape (d, BLK) and makes that pass with the coordinates outermost
and the runs innermost: each run's ``z`` is still summed coordinate by coordinate, left to
right (NumPy's axis-0 sum, the same bits), but the sums of the block's runs are independent,
so the loop vectorizes over runs instead of waiting on one sum's additions.

Per iteration: steps ``h`` for the block (0 for finished runs), the fused pass into ``vb``,
then per run the new ``c``, norm and event code; ``vb`` becomes ``xb`` (a swap), and runs that
did not take the step (finished, or diverged now) get their column back from the old buffer,
so a finished run's iterate keeps its bits. Noise and momentum need the direction as a vector:
those methods use the per-run kernel (:mod:`lab.engine.fused_source`).
"""

from __future__ import annotations

from lab.engine.codegen import Program, scalar_source
from lab.engine.fused_emit import decode_lines, finite, indent, param_views

#: bytes of one block's iterate buffer the block size aims at (two buffers stay in L1/L2)
_TARGET_BYTES = 64 * 1024


def wide_block(dim: int) -> int:
    """Runs per block: a power of two in [8, 64] keeping a (dim, BLK) buffer near 64 KiB.

    Examples
    --------
    >>> wide_block(100), wide_block(1000), wide_block(10**5)
    (64, 8, 8)"""
    blk = 64
    while blk > 8 and dim * blk * 8 > _TARGET_BYTES:
        blk //= 2
    return blk


def _coefficient(prog: Program) -> list[str]:
    """From ``z``: the gradient's coefficient ``c``, its norm ``gnn`` and finiteness ``ok``."""
    body = scalar_source(prog)["body"].splitlines()
    if prog.kind == "radial":
        return body + ["c = 2.0 * hp", "gnn = abs(c) * math.sqrt(z)",
                       finite("gnn", ["z"])]
    return body + ["c = hp", "gnn = abs(hp) * ANORM", finite("gnn", ["z"])]


def _pass(prog: Program, source: str, step: str) -> list[str]:
    """``vb = source - step * gradient`` (or ``= source`` with ``step=None``) and ``zb``."""
    grad = "(cb[j] * {x})" if prog.kind == "radial" else "(cb[j] * A[{i}])"
    term = "v * v" if prog.kind == "radial" else "v * A[{i}]"

    def loop(i: str, first: bool) -> list[str]:
        x = source.format(i=i)
        value = x if step is None else f"{x} - {step} * " + grad.format(x=x, i=i)
        z = term.format(i=i)
        return [f"for j in range(m):", f"    v = {value}", f"    vb[{i}, j] = v",
                f"    zb[j] = {z}" if first else f"    zb[j] = zb[j] + {z}"]
    return loop("0", True) + ["for i in range(1, D):", *indent(loop("i", False), 1)]


def _record(slot: str) -> list[str]:
    return ["for i in range(D):", "    for j in range(m):",
            f"        TX[{slot}, i, lo + j] = xb[i, j]",
            "for j in range(m):", f"    TG[{slot}, lo + j] = gnb[j]"]


def _iteration(prog: Program, pargs: list[str], record: bool) -> list[str]:
    coef = _coefficient(prog)
    lines = [
        "while nact > 0 and t < T:",
        "    t += 1",
        "    ft = float(t)",
        "    for j in range(m):",
        "        dn = gnb[j]",
        "        h = _step(dn, " + ", ".join(pargs) + ")",
        "        hb[j] = h if ev[j] == ACTIVE else 0.0",
        *indent(_pass(prog, "xb[{i}, j]", "hb[j]"), 1),
        "    nact = 0",
        "    for j in range(m):",
        "        e = ev[j]",
        "        a = e == ACTIVE",
        "        z = zb[j]",
        *indent(coef, 2),
        "        upd = a & ok",
        "        conv = upd & (gnn <= eps)",
        "        div = a & (not ok)",
        "        cb[j] = c if upd else cb[j]",
        "        gnb[j] = gnn if upd else gnb[j]",
        "        ev[j] = ft if conv else (-ft - 2.0 if div else e)",
        "        nact += upd & (not conv)",
        "        keep[j] = upd",
        "    xb, vb = vb, xb",
        "    for j in range(m):",
        "        if not keep[j]:",
        "            for i in range(D):",
        "                xb[i, j] = vb[i, j]",
    ]
    if record:
        lines += indent(["if t % rec == 0:", *indent(_record("t // rec"), 1)], 1)
    return lines


def wide_kernel(prog: Program, method, pargs: list[str], record: bool) -> list[str]:
    """The kernel body (see the module docstring); ``X`` of shape (d, n)."""
    lines = [
        "n = X.shape[1]",
        "for b in range(b0, b1):",
        "    lo = b * BLK",
        "    m = min(BLK, n - lo)",
        *indent(param_views(pargs), 1),
        "    xb = np.empty((D, BLK))",
        "    vb = np.empty((D, BLK))",
        "    zb = np.empty(BLK)",
        "    cb = np.empty(BLK)",
        "    gnb = np.empty(BLK)",
        "    hb = np.empty(BLK)",
        "    keep = np.empty(BLK, dtype=np.bool_)",
        "    ev = np.full(BLK, ACTIVE)",
        *indent(_pass(prog, "X[{i}, lo + j]", None), 1),
        "    xb, vb = vb, xb",
        "    nact = 0",
        "    for j in range(m):",
        "        z = zb[j]",
        *indent(_coefficient(prog), 2),
        "        cb[j] = c",
        "        gnb[j] = gnn",
        "        ev[j] = (ACTIVE if gnn > eps else 0.0) if ok else -2.0",
        "        nact += ok & (gnn > eps)",
        *(indent(_record("0"), 1) if record else []),
        "    t = 0",
        *indent(_iteration(prog, pargs, record), 1),
        "    for i in range(D):",
        "        for j in range(m):",
        "            X[i, lo + j] = xb[i, j]",
        "    for j in range(m):",
        "        gno[lo + j] = gnb[j]",
        *indent(decode_lines("ev[j]", "lo + j"), 2),
    ]
    return lines
