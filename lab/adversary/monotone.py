"""The least Δ for which a member keeps ``|f'| > ε`` for n steps: exact recursion over a grid.

Performance estimation in one dimension. Fix the gradients ``g_0, ..., g_n > ε`` at the
iterates of a method ``x+ = x - h(|g|) g`` (all positive: the run moves left, by the symmetry
``f(x) -> f(-x)``); the positions follow, ``x_{k+1} = x_k - ℓ_k``, ``ℓ_k = h(g_k) g_k``. A
member interpolating them exists iff each consecutive pair is reachable over its interval, and
the least ``Δ = f(x_0) - f*`` among members with u >= 0 on ``[z, x_0]`` (z the minimizer) is a
sum over the intervals (:func:`lab.adversary.transitions.least_integral`) plus the rise from
0 to ``g_n`` left of ``x_n``: only consecutive points are coupled. So the least Δ over
sequences is a shortest path, solved exactly on a grid of gradient values by the recursion

    V_0(g) = rise(g),   V_n(g) = min_{g'} [ I(g', g, ℓ(g) - 2w) + 2w g' + V_{n-1}(g') ],
    Δ_min(n) = min_g V_n(g) + w g,

for every n at once (``I`` the least integral, ``w`` the half-width of a plateau ``s = 0``
around each iterate that makes the member robust to rounding of the iterates). Each grid
solution is a feasible sequence, hence an explicit member (:mod:`lab.adversary.build`):
the recursion gives lower bounds on the worst case that are then certified by replay.

Examples
--------
>>> import numpy as np
>>> # GD with step 1/L on L-smooth functions (L1 = 0), ε = 1: Δ_min(n) -> (1 + 1.5 n)/2
>>> sol = least_gap(L0=1.0, L1=0.0, eps=1.0, step=lambda g: np.ones_like(g), n_max=4,
...                 g_max=10.0)
>>> [round(float(d), 4) for d in sol.delta]
[0.5, 1.25, 2.0, 2.75, 3.5]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from lab.adversary.transitions import least_integral, rise_cost

#: Gradients are kept at least ε(1 + MARGIN) so that ``|f'(x_k)| > ε`` survives rounding.
MARGIN = 1e-9
#: Plateau half-width relative to the shortest step on the grid.
PLATEAU = 1e-6


@dataclass(frozen=True)
class GapSolution:
    """The recursion's result.

    Attributes
    ----------
    grid : ndarray
        Gradient values ``ε(1 + MARGIN) r^j``.
    delta : ndarray
        ``Δ_min(n)`` for n = 0..n_max (``inf`` where no sequence exists).
    first : ndarray of int
        The grid index of ``g_0`` attaining ``Δ_min(n)``.
    back : ndarray of int, shape (n_max + 1, G)
        ``back[n, j]``: grid index of ``g_{k+1}`` when ``g_k = grid[j]`` with n steps left.
    plateau : float
        Half-width w of the plateaus.
    """

    grid: np.ndarray
    delta: np.ndarray
    first: np.ndarray
    back: np.ndarray
    plateau: float

    def gradients(self, n: int) -> np.ndarray:
        """The sequence ``g_0..g_n`` attaining ``Δ_min(n)``."""
        j = int(self.first[n])
        out = [j]
        for k in range(n, 0, -1):
            j = int(self.back[k, j])
            out.append(j)
        return self.grid[np.array(out)]


def gradient_grid(eps: float, g_max: float, size: int) -> np.ndarray:
    """``size`` values from ``ε(1 + MARGIN)`` to ``g_max``, geometric."""
    lo = eps * (1 + MARGIN)
    if g_max <= lo or size == 1:
        return np.array([lo])
    return lo * (g_max / lo) ** (np.arange(size) / (size - 1))


def least_gap(*, L0: float, L1: float, eps: float, step: Callable[[np.ndarray], np.ndarray],
              n_max: int, g_max: float, size: int = 64, grid: np.ndarray | None = None
              ) -> GapSolution:
    """Solve the recursion of the module docstring for n = 0..n_max.

    Parameters
    ----------
    L0, L1 : float
        The class.
    eps : float
        The tolerance (gradients stay above it).
    step : callable
        ``h(g)``: the method's step for gradient norms g (vectorized).
    n_max : int
        Largest number of steps.
    g_max : float
        Largest gradient value on the grid.
    size : int
        Grid points (ignored when ``grid`` is given).
    """
    g = gradient_grid(eps, g_max, size) if grid is None else np.asarray(grid, dtype=np.float64)
    with np.errstate(all="ignore"):
        lengths = np.asarray(step(g), dtype=np.float64) * g
    ok = np.isfinite(lengths) & (lengths > 0)
    w = PLATEAU * float(lengths[ok].min()) if ok.any() else 0.0
    # cost[j', j]: interval between g_{k+1} = g[j'] (left) and g_k = g[j] (right)
    cost = least_integral(g[:, None], g[None, :], (lengths - 2 * w)[None, :], L0, L1)
    cost = np.where(ok[None, :] & np.isfinite(cost), cost + 2 * w * g[:, None], np.inf)
    value = rise_cost(g, L0, L1)
    delta = np.empty(n_max + 1)
    first = np.empty(n_max + 1, dtype=np.int64)
    back = np.zeros((n_max + 1, g.size), dtype=np.int32)
    for n in range(n_max + 1):
        if n:
            total = cost + value[:, None]
            back[n] = np.argmin(total, axis=0)
            value = total[back[n], np.arange(g.size)]
        full = value + w * g
        first[n] = int(np.argmin(full))
        delta[n] = full[first[n]]
    return GapSolution(g, delta, first, back, w)
