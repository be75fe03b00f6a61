"""Data of figure c: local smoothness vs gradient norm along optimizer trajectories.

The paper's Figure 1 plots, along a training trajectory, the gradient norm against the
estimated local smoothness (:func:`lab.smoothness.local.local_smoothness_batch`), coloured
by iteration. Here the trajectories are clipped-GD runs on synthetic zoo functions started
far from a minimizer, so the gradient norm sweeps several decades; the exact Hessian norm and
the line ``L0 + L1 ||∇f||`` of a valid pair are recorded beside the estimate.
"""

from __future__ import annotations

import numpy as np

from lab.engine import run_batch
from lab.functions import get_function
from lab.methods import clipped
from lab.smoothness import frontier_l0
from lab.smoothness.local import local_smoothness_batch

#: points probed along each step by the estimator (the paper's n)
N_ALPHA = 3

#: L1 of a case without a stated (L0, L1) (its L0 comes from the certifier)
DEFAULT_L1 = 1.0

#: (zoo name, params, start point, (L0, L1) on the frontier, clipped (eta, gamma), eps)
CASES = (
    ("quartic", {}, (30.0,), (1.0, 4.0), (0.02, 5.0), 1e-3),
    ("exp", {}, (8.0,), (1.0, 1.0), (0.1, 1.0), 1e-2),
    ("quartic_norm", {"d": 2}, (20.0, -12.0), (1.0, 4.0), (0.02, 5.0), 1e-3),
    ("phase_retrieval", {}, (6.0, -5.0, 4.0), None, (0.005, 5.0), 1e-3),
)


def trajectory_smoothness(name: str, params: dict, start, eta: float, gamma: float,
                          eps: float, *, max_iter: int = 3000, n_alpha: int = N_ALPHA,
                          max_points: int = 400) -> list[dict]:
    """One row per step: iteration, gradient norm, L̂ (the paper's estimator), ||∇²f||.

    Examples
    --------
    >>> rows = trajectory_smoothness("quartic", {}, (3.0,), 0.01, 5.0, 1e-2, max_iter=50)
    >>> rows[0]["k"], rows[0]["grad_norm"]
    (0, 108.0)
    """
    fn = get_function(name, **params)
    r = run_batch(fn, clipped(eta=eta, gamma=gamma), np.asarray([start], dtype=np.float64),
                  eps=eps, max_iter=max_iter, record_every=1)
    X = r.trajectory.x[:, 0, :]
    # keep the iterates up to the run's end (finished runs repeat their last iterate)
    last = int(r.iterations[0])
    X = X[: last + 1]
    if X.shape[0] < 2:
        return []
    est = local_smoothness_batch(fn.grad, X, n_alpha=n_alpha)
    g = fn.grad_norm(X[:-1])
    h = fn.hess_norm(X[:-1])
    keep = thin_indices(est.size, max_points)
    return [{"function": name, "k": int(k), "grad_norm": float(g[k]), "L_hat": float(est[k]),
             "hess_norm": float(h[k])} for k in keep if np.isfinite(est[k])]


def thin_indices(n: int, max_points: int) -> np.ndarray:
    """At most about ``max_points`` indices of ``0..n-1``, log-spaced (dense early), with 0 and n-1.

    Examples
    --------
    >>> thin_indices(5, 100).tolist()
    [0, 1, 2, 3, 4]
    >>> len(thin_indices(10_000, 50)) <= 50
    True
    """
    if n <= max_points:
        return np.arange(n)
    idx = np.unique(np.round(np.geomspace(1, n, max_points)).astype(np.int64) - 1)
    return np.union1d([0, n - 1], idx)


def figure_c_data(*, max_iter: int = 3000, n_alpha: int = N_ALPHA,
                  max_points: int = 400) -> tuple[list[dict], list[dict]]:
    """Rows of every case, and one dict per case (name, method, the valid (L0, L1)).

    For a case without a stated pair, L1 = :data:`DEFAULT_L1` and L0 from the certifier.
    """
    rows, meta = [], []
    for name, params, start, pair, (eta, gamma), eps in CASES:
        rows += trajectory_smoothness(name, params, start, eta, gamma, eps,
                                      max_iter=max_iter, n_alpha=n_alpha, max_points=max_points)
        if pair is None:
            L1 = DEFAULT_L1
            L0 = float(frontier_l0(get_function(name, **params), L1))
        else:
            L0, L1 = pair
        meta.append({"function": name, "params": params, "start": start, "eta": eta,
                     "gamma": gamma, "eps": eps, "L0": L0, "L1": L1})
    return rows, meta
