"""The paper's local-smoothness estimator along a step (pure math, no I/O, no torch).

Zhang et al. (ICLR 2020) estimate the local gradient-Lipschitz constant at iterate x_k from
the step d = x_{k+1} - x_k actually taken: with α in {1/(n+1), ..., n/(n+1)},

    L̂_k = max_α ||∇f(x_k + (1-α) d) - ∇f(x_k)|| / ((1-α) ||d||),

with every gradient taken on one fixed subset of the training data. This module computes
that number for any gradient callable on flat float vectors, so it is tested on functions
with a known answer (a quadratic, where it equals ||A d|| / ||d|| for every α) before it is
used on a network.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from lab.errors import LabInputError

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
    if isinstance(n_alpha, bool) or not isinstance(n_alpha, (int, np.integer)) or n_alpha < 1:
        raise LabInputError(f"n_alpha={n_alpha!r} is not allowed; use an integer >= 1")
    return np.arange(1, n_alpha + 1, dtype=np.float64) / (n_alpha + 1)


def local_smoothness(
    grad: GradFn,
    x: np.ndarray,
    d: np.ndarray,
    *,
    n_alpha: int = 3,
    grad_x: np.ndarray | None = None,
) -> float:
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

    >>> import numpy as np
    >>> A = np.diag([1.0, 4.0])
    >>> float(local_smoothness(lambda v: A @ v, np.zeros(2), np.array([0.0, 1.0])))
    4.0
    """
    x = np.asarray(x, dtype=np.float64)
    d = np.asarray(d, dtype=np.float64)
    if x.shape != d.shape:
        raise LabInputError(f"x has shape {x.shape} but d has shape {d.shape}; use equal shapes")
    alphas = alpha_grid(n_alpha)
    # overflow in a norm is an answer here (nan), not a warning
    with np.errstate(over="ignore", invalid="ignore"):
        step = float(np.linalg.norm(d))
        if not np.isfinite(step) or step == 0.0:
            return float("nan")
        g0 = np.asarray(grad(x) if grad_x is None else grad_x, dtype=np.float64)
        best = -np.inf
        for alpha in alphas:
            t = 1.0 - alpha
            diff = np.asarray(grad(x + t * d), dtype=np.float64) - g0
            ratio = float(np.linalg.norm(diff)) / (t * step)
            if not np.isfinite(ratio):
                return float("nan")
            best = max(best, ratio)
    return float(best)
