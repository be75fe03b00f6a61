"""The paper's local-smoothness estimator, batched over a trajectory (pure math).

Zhang et al. (ICLR 2020, their code ``eval_smooth``) estimate the local gradient-Lipschitz
constant at iterate x_k from the step actually taken, d = x_{k+1} - x_k:

    L̂_k = max_α ||∇f(x_k + (1-α) d) - ∇f(x_k)|| / ((1-α) ||d||),
    α in {1/(n+1), ..., n/(n+1)}.

:func:`local_smoothness_batch` evaluates it for every step of a trajectory with one batched
gradient call. For a quadratic ``f = x·Ax/2`` every ratio equals ``||A d|| / ||d||``; the
tests check that and compare with the single-step estimator of :mod:`lab.network.estimator`.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from lab.errors import LabInputError
from lab.network.estimator import alpha_grid


def local_smoothness_batch(grad: Callable[[np.ndarray], np.ndarray], X: np.ndarray,
                           *, n_alpha: int = 3) -> np.ndarray:
    """The estimate ``L̂_k`` for each step ``x_k -> x_{k+1}`` of a trajectory.

    Parameters
    ----------
    grad : callable
        Gradients of a batch: ``(m, d) -> (m, d)``.
    X : ndarray, shape (K + 1, d)
        The iterates ``x_0, ..., x_K``.
    n_alpha : int
        How many interpolation points per step.

    Returns
    -------
    ndarray, shape (K,)
        ``L̂_k``; ``nan`` where the step is zero (the run had stopped).

    Examples
    --------
    >>> A = np.diag([1.0, 4.0])
    >>> X = np.array([[1.0, 1.0], [0.5, 0.0]])
    >>> d = X[1] - X[0]
    >>> est = local_smoothness_batch(lambda Y: Y @ A.T, X)
    >>> bool(np.isclose(est[0], np.linalg.norm(A @ d) / np.linalg.norm(d)))
    True
    """
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or X.shape[0] < 2:
        raise LabInputError(f"X must have shape (K + 1, d) with K >= 1, got {X.shape}")
    a = alpha_grid(n_alpha)
    x, D = X[:-1], np.diff(X, axis=0)
    step = np.linalg.norm(D, axis=1)
    K, d = D.shape
    probes = x[:, None, :] + (1.0 - a)[None, :, None] * D[:, None, :]
    with np.errstate(all="ignore"):
        g0 = np.asarray(grad(x), dtype=np.float64).reshape(K, d)
        gp = np.asarray(grad(probes.reshape(-1, d)), dtype=np.float64).reshape(K, a.size, d)
        ratio = np.linalg.norm(gp - g0[:, None, :], axis=2) / ((1.0 - a)[None, :] * step[:, None])
        out = ratio.max(axis=1)
    return np.where(step > 0, out, np.nan)
