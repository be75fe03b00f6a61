"""The vectorized engine: one batch of runs as arrays of any array namespace.

Points live in an array ``X`` of shape (d, m) holding only the m *live* runs: when runs finish
(converged or diverged) their results are sent to the host and the live arrays are compacted
(``take`` along the run axis), so finished runs stop costing work. Memory is O(runs) unless a
trajectory is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from lab.engine import noise as noise_mod
from lab.engine.namespaces import compiled_rule, to_numpy
from lab.engine.result import BUDGET, CONVERGED, DIVERGED


@dataclass
class RawOutcome:
    """Per-run results on the host, before labelling (see :class:`BatchResult`).

    Examples
    --------
    >>> o = RawOutcome(np.array([3]), np.array([0]), np.array([-1]), np.zeros((1, 1)),
    ...                np.array([0.0]), np.array([3]))
    >>> o.hit.tolist(), o.trajectory
    ([3], None)
    """

    hit: np.ndarray
    status: np.ndarray
    diverged_at: np.ndarray
    x: np.ndarray          # (n, d)
    grad_norm: np.ndarray
    iterations: np.ndarray
    trajectory: tuple | None = None   # (t, x (k,n,d), grad_norm (k,n))


class _Collector:
    """Finished runs' results, gathered on the host in chunks."""

    def __init__(self, n: int, d: int):
        self.hit = np.full(n, -1, dtype=np.int64)
        self.status = np.full(n, BUDGET, dtype=np.int8)
        self.diverged_at = np.full(n, -1, dtype=np.int64)
        self.x = np.empty((n, d), dtype=np.float64)
        self.grad_norm = np.empty(n, dtype=np.float64)
        self.iterations = np.empty(n, dtype=np.int64)

    def put(self, idx, status, t, X, gn):
        if idx.size == 0:
            return
        self.status[idx] = status
        if status == CONVERGED:
            self.hit[idx] = t
            self.iterations[idx] = t
        elif status == DIVERGED:
            self.diverged_at[idx] = t
            self.iterations[idx] = max(t - 1, 0)
        else:
            self.iterations[idx] = t
        self.x[idx] = to_numpy(X).T
        self.grad_norm[idx] = to_numpy(gn)


def run_vectorized(grad, method, params: dict[str, Any], X, *, eps: float, max_iter: int,
                   keys: np.ndarray | None, record_every: int, xp) -> RawOutcome:
    """Run every column of ``X`` (shape (d, n), namespace ``xp``) to ``eps`` or ``max_iter``.

    ``grad(X) -> (G, gn, ok)`` is the compiled gradient (see :mod:`lab.engine.codegen`);
    ``params`` maps rule parameter names to floats or per-run arrays of shape (n,).

    Examples
    --------
    >>> from lab.engine.api import compiled_vector
    >>> from lab.functions import get_function
    >>> from lab.methods import gd
    >>> grad, _ = compiled_vector(get_function("quartic"), np)
    >>> out = run_vectorized(grad, gd(h=0.01), {"h": 0.01}, np.array([[0.0, 1.0]]), eps=0.1,
    ...                      max_iter=1000, keys=None, record_every=0, xp=np)
    >>> out.hit.tolist(), out.status.tolist()
    ([0, 132], [0, 0])
    """
    rule = method.step_rule
    step = compiled_rule(rule, xp)
    names = rule.params
    d, n = X.shape
    out = _Collector(n, d)
    idx = np.arange(n)
    per_run, pvals = _rule_parameters(names, params, xp)
    records: list = []

    def record(t, X, gn, idx):
        records.append((t, idx.copy(), to_numpy(X).copy(), to_numpy(gn).copy()))

    G, gn, ok = grad(X)
    conv = ok & (gn <= eps)
    fin = conv | ~ok
    if record_every:
        record(0, X, gn, idx)
    M = None
    t = 0
    for t in range(0, max_iter + 1):
        if t > 0:
            D, dn = G, gn
            if method.noise is not None:
                D, dn, M = _noisy_direction(method, G, gn, keys, t, M, xp)
            h = step(dn, *pvals)
            Xn = X - h * D
            Gn, gnn, okn = grad(Xn)
            conv = okn & (gnn <= eps)
            fin = conv | ~okn
        else:
            Xn, Gn, gnn, okn = X, G, gn, ok
        if bool(xp.any(fin)):
            fin_h, conv_h = to_numpy(fin), to_numpy(conv)
            div_h = fin_h & ~conv_h
            sel_c = xp.asarray(np.nonzero(conv_h)[0])
            out.put(idx[conv_h], CONVERGED, t, xp.take(Xn, sel_c, axis=1),
                    xp.take(gnn, sel_c, axis=0))
            if div_h.any():
                sel_d = xp.asarray(np.nonzero(div_h)[0])
                out.put(idx[div_h], DIVERGED, t, xp.take(X, sel_d, axis=1),
                        xp.take(gn, sel_d, axis=0))
            keep_h = ~fin_h
            keep = xp.asarray(np.nonzero(keep_h)[0])
            idx = idx[keep_h]
            Xn, Gn, gnn = (xp.take(Xn, keep, axis=1), xp.take(Gn, keep, axis=1),
                           xp.take(gnn, keep, axis=0))
            pvals = [xp.take(p, keep, axis=0) if pr else p for p, pr in zip(pvals, per_run)]
            if keys is not None:
                keys = keys[keep_h]
            if M is not None:
                M = xp.take(M, keep, axis=1)
        X, G, gn = Xn, Gn, gnn
        if idx.size == 0:
            break
        if record_every and t > 0 and t % record_every == 0:
            record(t, X, gn, idx)
    if idx.size:
        out.put(idx, BUDGET, max_iter, X, gn)
    traj = _assemble(records, out, n, d, record_every) if record_every else None
    return RawOutcome(out.hit, out.status, out.diverged_at, out.x, out.grad_norm,
                      out.iterations, traj)


def _rule_parameters(names, params: dict[str, Any], xp) -> tuple[list[bool], list]:
    """Which parameters are per run, and their values in the namespace (scalars become
    float64 scalars of the namespace, so that 1/0 is inf, not an exception)."""
    per_run = [not isinstance(params[k], float) for k in names]
    pvals = [xp.asarray(params[k]) if pr else
             (np.float64(params[k]) if xp is np else xp.asarray(params[k], dtype=xp.float64))
             for k, pr in zip(names, per_run)]
    return per_run, pvals


def _noisy_direction(method, G, gn, keys, t: int, M, xp):
    """The stochastic direction of iteration ``t`` (noise, then the momentum average) and its
    norm; returns ``(D, ||D||, the new momentum M)``."""
    xi = xp.asarray(noise_mod.sample(method.noise, method.tau, keys, t - 1, to_numpy(G),
                                     to_numpy(gn)))
    D = G + xi
    if method.momentum is not None:
        D = D if M is None else method.momentum * M + (1.0 - method.momentum) * D
        M = D
    dn = xp.sqrt(xp.sum(D * D, axis=0)) if G.shape[0] > 1 else xp.abs(D[0, ...])
    return D, dn, M


def concat_outcomes(parts: list[RawOutcome]) -> RawOutcome:
    """Join the outcomes of consecutive chunks of runs (no trajectories).

    Examples
    --------
    >>> a = RawOutcome(*(np.array([v]) for v in (1, 0, -1)), np.zeros((1, 1)), np.array([0.0]),
    ...                np.array([1]))
    >>> concat_outcomes([a, a]).hit.tolist()
    [1, 1]
    """
    return RawOutcome(*(np.concatenate([getattr(p, k) for p in parts]) for k in
                        ("hit", "status", "diverged_at", "x", "grad_norm", "iterations")))


def _assemble(records, out: _Collector, n: int, d: int, every: int):
    """Trajectory arrays from the recorded live runs (see :func:`finish_trajectory`)."""
    last = int(out.iterations.max()) if n else 0
    k = last // every + 1
    x = np.zeros((k, n, d))
    gn = np.zeros((k, n))
    for t, idx, X, g in records:
        if t // every < k:
            x[t // every, idx] = X.T
            gn[t // every, idx] = g
    return finish_trajectory(every, x, gn, out.x, out.grad_norm, out.iterations)


def finish_trajectory(every: int, x: np.ndarray, gn: np.ndarray, final_x: np.ndarray,
                      final_gn: np.ndarray, iterations: np.ndarray):
    """Slots ``t = 0, every, ...`` up to the last iteration any run reached; a run repeats its
    final iterate from its last iteration on (frozen). ``x`` has shape (slots, n, d).

    Examples
    --------
    >>> ts, x, gn = finish_trajectory(2, np.zeros((3, 1, 1)), np.ones((3, 1)), np.full((1, 1), 7.0),
    ...                               np.array([0.5]), np.array([2]))
    >>> ts.tolist(), x[:, 0, 0].tolist(), gn[:, 0].tolist()  # the run ended at iteration 2
    ([0, 2], [0.0, 7.0], [1.0, 0.5])
    """
    last = int(iterations.max()) if iterations.size else 0
    k = last // every + 1
    ts = np.arange(k, dtype=np.int64) * every
    x, gn = x[:k], gn[:k]
    after = ts[:, None] >= iterations[None, :]
    x = np.where(after[:, :, None], final_x[None, :, :], x)
    gn = np.where(after, final_gn[None, :], gn)
    return ts, x, gn
