"""The configurations of ``python -m lab figures``: full and ``--quick`` grids.

Everything a figure depends on is here, so a caption can name its exact configuration.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lab.figures.complexity import SearchConfig


def _geom(a: float, b: float, n: int) -> tuple:
    return tuple(float(f"{v:.6g}") for v in np.geomspace(a, b, n))


@dataclass(frozen=True, kw_only=True)
class FiguresConfig:
    """Grids and budgets of every figure.

    Attributes
    ----------
    name : str
        ``full`` or ``quick``.
    seed : int
        Seed of every random choice (the frontier's sample points; the claims' search).
    vs_M : dict
        class -> (M values, ε) of figure a.
    vs_eps : dict
        class -> (M, ε values) of figure b.
    search : SearchConfig
        Step/threshold grids and the iteration cap of figures a and b.
    traj_max_iter : int
        Iteration budget of the trajectories of figure c.
    l1_grid : tuple
        L1 values of figure e.
    descent_points : int
        Points per curve of figure f.
    """

    name: str
    seed: int = 0
    vs_M: dict = field(default_factory=dict)
    vs_eps: dict = field(default_factory=dict)
    search: SearchConfig = SearchConfig()
    traj_max_iter: int = 3000
    l1_grid: tuple = ()
    descent_points: int = 121

    def describe(self) -> dict:
        """A JSON-ready description (for captions and sidecars)."""
        s = self.search
        return {
            "name": self.name, "seed": self.seed,
            "vs_M": {k: {"M": list(v[0]), "eps": v[1]} for k, v in self.vs_M.items()},
            "vs_eps": {k: {"M": v[0], "eps": list(v[1])} for k, v in self.vs_eps.items()},
            "h_grid": f"{len(s.h_grid)} values 2^(k/step) from {min(s.h_grid):.3g} to "
                      f"{max(s.h_grid):.3g}, plus Theorem 6's step",
            "gamma_grid": f"{len(s.gamma_grid)} values from {min(s.gamma_grid):.3g} to "
                          f"{max(s.gamma_grid):.3g}, plus Theorem 3's gamma",
            "cap": s.cap, "traj_max_iter": self.traj_max_iter,
            "l1_grid": list(self.l1_grid), "descent_points": self.descent_points,
        }


def full_config(seed: int = 0) -> FiguresConfig:
    """The committed figures' configuration.

    Examples
    --------
    >>> full_config().vs_M["hard"][1]
    1.0
    """
    return FiguresConfig(
        name="full", seed=seed,
        vs_M={"hard": (_geom(3.0, 3000.0, 7), 1.0), "quartic": (_geom(10.0, 1e5, 5), 0.1),
              "exp": (_geom(10.0, 1e4, 4), 0.1)},
        vs_eps={"hard": (100.0, _geom(0.1, 1.0, 4)), "quartic": (1000.0, _geom(1e-3, 1.0, 4)),
                "exp": (100.0, _geom(1e-3, 1.0, 4))},
        search=SearchConfig(h_grid=tuple(2.0 ** (np.arange(-80, 14) / 4.0)),
                            gamma_grid=tuple(2.0 ** (np.arange(-14, 21) / 2.0)), cap=500_000),
        traj_max_iter=3000,
        l1_grid=_geom(0.25, 16.0, 13),
        descent_points=121,
    )


def quick_config(seed: int = 0) -> FiguresConfig:
    """Reduced grids for CI (every figure, in well under two minutes).

    Examples
    --------
    >>> quick_config().search.cap
    20000
    """
    return FiguresConfig(
        name="quick", seed=seed,
        vs_M={"hard": ((3.0, 30.0, 300.0), 1.0), "quartic": ((10.0, 1000.0), 0.1),
              "exp": ((10.0, 1000.0), 0.1)},
        vs_eps={"hard": (30.0, (0.3, 1.0)), "quartic": (100.0, (0.01, 1.0)),
                "exp": (100.0, (0.01, 1.0))},
        search=SearchConfig(h_grid=tuple(2.0 ** (np.arange(-40, 7) / 2.0)),
                            gamma_grid=tuple(2.0 ** np.arange(-7, 11, dtype=float)), cap=20_000),
        traj_max_iter=600,
        l1_grid=(0.25, 1.0, 4.0, 16.0),
        descent_points=31,
    )
