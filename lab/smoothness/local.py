"""The paper's local-smoothness estimator (pure math, no I/O, no torch): the lab's one copy.

Zhang et al. (ICLR 2020, their code ``eval_smooth``) estimate the local gradient-Lipschitz
constant at iterate x_k from the step actually taken, d = x_{k+1} - x_k:

    L̂_k = max_α ||∇f(x_k + (1-α) d) - ∇f(x_k)|| / ((1-α) ||d||),
    α in {1/(n+1), ..., n/(n+1)}.

Two ways to call it, one formula (:func:`_estimate`):

* :func:`local_smoothness` - one step, for a gradient of one flat vector (a network's
  parameters; ``grad_x`` saves one gradient evaluation when the caller has it);
* :func:`local_smoothness_batch` - every step of a trajectory, for a batched gradient
  ``(m, d) -> (m, d)`` (the zoo's functions), with one gradient call per batch.

A zero step has no estimate, and a non-finite ratio is not a number: both give ``nan``. For a
quadratic ``f = x·Ax/2`` every ratio equals ``||A d|| / ||d||`` (tested).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lab.errors import LabInputError
from lab.validate import check_int

GradFn = Callable[[np.ndarray], np.ndarray]


def alpha_grid(n_alpha: int) -> np.ndarray:
    """The interpolation weights α = 1/(n+1), ..., n/(n+1) of the estimator.

    Parameters
    ----------
    n_alpha : int
        How many points n to probe along the step; at least 1.

    Returns
    -------
    numpy.ndarray
        The n weights in increasing order.

    Examples
    --------
    >>> alpha_grid(3).tolist()
    [0.25, 0.5, 0.75]
    """
    n = check_int(n_alpha, "n_alpha", minimum=1)
    return np.arange(1, n + 1, dtype=np.float64) / (n + 1)


def _estimate(g0: np.ndarray, g_probe: np.ndarray, alphas: np.ndarray,
              step: np.ndarray) -> np.ndarray:
    """``max_α ||g_probe - g0|| / ((1-α) step)`` per step; nan for a zero or non-finite step
    and for any non-finite ratio. Shapes: g0 (K, d), g_probe (K, n, d), step (K,)."""
    with np.errstate(all="ignore"):
        ratio = (np.linalg.norm(g_probe - g0[:, None, :], axis=2)
                 / ((1.0 - alphas)[None, :] * step[:, None]))
        out = ratio.max(axis=1)
    ok = (step > 0) & np.isfinite(step) & np.isfinite(ratio).all(axis=1)
    return np.where(ok, out, np.nan)


def local_smoothness(grad: GradFn, x: np.ndarray, d: np.ndarray, *, n_alpha: int = 3,
                     grad_x: np.ndarray | None = None) -> float:
    """Estimate the local smoothness at ``x`` along the step ``d`` (the paper's ``L̂_k``).

    Parameters
    ----------
    grad : callable
        Maps a flat float vector to the gradient there (same shape).
    x : numpy.ndarray
        The iterate x_k, a flat vector.
    d : numpy.ndarray
        The step x_{k+1} - x_k, same shape as ``x``.
    n_alpha : int, keyword-only
        How many points along the step to probe (the paper's n); default 3.
    grad_x : numpy.ndarray, optional, keyword-only
        ∇f(x) when the caller already has it (saves one gradient evaluation).

    Returns
    -------
    float
        max over α of ||∇f(x + (1-α) d) - ∇f(x)|| / ((1-α) ||d||). ``nan`` when ``d`` is zero
        (no step, no estimate) or when a gradient is not finite.

    Examples
    --------
    On f(x) = 0.5 xᵀAx the gradient is Ax, so every α gives ||A d|| / ||d||:

    >>> A = np.diag([1.0, 4.0])
    >>> local_smoothness(lambda v: A @ v, np.zeros(2), np.array([0.0, 1.0]))
    4.0
    """
    x = np.asarray(x, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    if x.shape != d.shape:
        raise LabInputError(f"x has shape {x.shape} but d has shape {d.shape}; use equal shapes")
    alphas = alpha_grid(n_alpha)
    with np.errstate(over="ignore", invalid="ignore"):
        step = float(np.linalg.norm(d))
    if not (np.isfinite(step) and step > 0):
        return float("nan")
    g0 = np.asarray(grad(x) if grad_x is None else grad_x, dtype=np.float64).reshape(1, -1)
    probes = [np.asarray(grad(x + (1.0 - a) * d), dtype=np.float64).reshape(-1) for a in alphas]
    return float(_estimate(g0, np.stack(probes)[None], alphas, np.array([step]))[0])


def local_smoothness_batch(grad: GradFn, X: np.ndarray, *, n_alpha: int = 3) -> np.ndarray:
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
        ``L̂_k``; ``nan`` where the step is zero (the run had stopped) or a ratio is not finite.

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
    alphas = alpha_grid(n_alpha)
    x, D = X[:-1], np.diff(X, axis=0)
    K, dim = D.shape
    with np.errstate(all="ignore"):
        step = np.linalg.norm(D, axis=1)
        probes = x[:, None, :] + (1.0 - alphas)[None, :, None] * D[:, None, :]
        g0 = np.asarray(grad(x), dtype=np.float64).reshape(K, dim)
        g_probe = np.asarray(grad(probes.reshape(-1, dim)), dtype=np.float64)
    return _estimate(g0, g_probe.reshape(K, alphas.size, dim), alphas, step)
