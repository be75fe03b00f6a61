"""The labelled result of a batch of runs (a small scipy-``OptimizeResult``-like dataclass)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

#: status codes of :attr:`BatchResult.status`
CONVERGED, BUDGET, DIVERGED = 0, 1, 2
#: status code -> name
STATUS_NAMES = ("converged", "budget", "diverged")


@dataclass
class Trajectory:
    """Every ``every``-th iterate of every run (finished runs repeat their final iterate).

    Attributes
    ----------
    t : ndarray, shape (k,)
        Recorded iteration numbers ``0, every, 2 every, ...`` (up to the last one reached).
    x : ndarray, shape (k, n, d)
    f : ndarray, shape (k, n)
    grad_norm : ndarray, shape (k, n)

    Examples
    --------
    >>> from lab.engine import run_batch
    >>> tr = run_batch("quartic", "gd", [[1.0]], eps=1e-9, max_iter=4, params={"h": 0.01},
    ...                record_every=2).trajectory
    >>> tr.t.tolist(), tr.x.shape, tr.f.shape
    ([0, 2, 4], (3, 1, 1), (3, 1))
    """

    t: np.ndarray
    x: np.ndarray
    f: np.ndarray
    grad_norm: np.ndarray


@dataclass(kw_only=True)
class BatchResult:
    """What a batch of independent runs produced.

    Attributes
    ----------
    hit : ndarray of int64, shape (n,)
        First ``t`` with ``||∇f(x_t)|| <= eps`` (0 if the start already is), -1 if never.
    status : ndarray of int8, shape (n,)
        0 converged, 1 budget (``max_iter`` reached), 2 diverged; see :data:`STATUS_NAMES`.
    diverged_at : ndarray of int64, shape (n,)
        The iteration whose iterate or gradient was not finite (-1 if the run did not diverge).
    x : ndarray, shape (n, d)
        Final iterate: the hitting iterate, the last finite one (diverged) or ``x_T``.
    f, grad_norm : ndarray, shape (n,)
        ``f`` and ``||∇f||`` at ``x``.
    iterations : ndarray of int64, shape (n,)
        The index ``t`` of the final iterate ``x``.
    trajectory : Trajectory or None
        Present when ``record_every > 0``.
    function, method, backend : str
        What ran (``method`` is the method's repr).
    eps : float
    max_iter : int

    Examples
    --------
    >>> from lab.engine import run_batch
    >>> r = run_batch("cosh", "gd", [[0.0], [3.0], [0.5]], eps=1e-3, max_iter=3,
    ...               params={"h": 10.0})
    >>> r  # doctest: +NORMALIZE_WHITESPACE
    BatchResult(function="get_function('cosh')", method='gd(h=10.0)', runs=3, converged=1,
                budget=0, diverged=2)
    >>> r.n_runs, r.status_names.tolist(), r.converged.tolist()
    (3, ['converged', 'diverged', 'diverged'], [True, False, False])
    """

    hit: np.ndarray
    status: np.ndarray
    diverged_at: np.ndarray
    x: np.ndarray
    f: np.ndarray
    grad_norm: np.ndarray
    iterations: np.ndarray
    trajectory: Trajectory | None = None
    function: str = ""
    method: str = ""
    backend: str = ""
    eps: float = 0.0
    max_iter: int = 0
    seeds: np.ndarray | None = None
    extra: dict = field(default_factory=dict)

    @property
    def n_runs(self) -> int:
        """Number of runs."""
        return int(self.hit.shape[0])

    @property
    def status_names(self) -> np.ndarray:
        """Status as strings (``converged`` / ``budget`` / ``diverged``)."""
        return np.asarray(STATUS_NAMES, dtype=object)[self.status]

    @property
    def converged(self) -> np.ndarray:
        """Boolean mask of the runs that reached ``||∇f|| <= eps``."""
        return self.status == CONVERGED

    def counts(self) -> dict[str, int]:
        """How many runs ended each way.

        Examples
        --------
        >>> from lab.engine import run_batch
        >>> r = run_batch("quartic", "gd", [[0.0], [1.0]], eps=1e-3, max_iter=2,
        ...               params={"h": 0.01})
        >>> r.counts()
        {'converged': 1, 'budget': 1, 'diverged': 0}
        """
        return {name: int(np.sum(self.status == code)) for code, name in enumerate(STATUS_NAMES)}

    def __repr__(self) -> str:
        c = self.counts()
        return (f"BatchResult(function={self.function!r}, method={self.method!r}, "
                f"runs={self.n_runs}, converged={c['converged']}, budget={c['budget']}, "
                f"diverged={c['diverged']})")

    def to_xarray(self):
        """An :class:`xarray.Dataset` with dimensions ``run`` and ``dim`` (and ``record``).

        Examples
        --------
        >>> from lab.engine import run_batch
        >>> ds = run_batch("quartic", "gd", [[1.0]], eps=1e-3, max_iter=10,
        ...                params={"h": 0.01}).to_xarray()
        >>> sorted(ds.data_vars)[:3]
        ['diverged_at', 'f', 'grad_norm']
        """
        import xarray as xr

        data: dict[str, Any] = {
            "hit": ("run", self.hit), "status": ("run", self.status),
            "diverged_at": ("run", self.diverged_at), "x": (("run", "dim"), self.x),
            "f": ("run", self.f), "grad_norm": ("run", self.grad_norm),
            "iterations": ("run", self.iterations),
        }
        if self.seeds is not None:
            data["seed"] = ("run", self.seeds)
        if self.trajectory is not None:
            tr = self.trajectory
            data["traj_x"] = (("record", "run", "dim"), tr.x)
            data["traj_f"] = (("record", "run"), tr.f)
            data["traj_grad_norm"] = (("record", "run"), tr.grad_norm)
        coords = {"run": np.arange(self.n_runs)}
        if self.trajectory is not None:
            coords["record"] = self.trajectory.t
        attrs = {"function": self.function, "method": self.method, "backend": self.backend,
                 "eps": self.eps, "max_iter": self.max_iter,
                 "status_codes": "0 converged, 1 budget, 2 diverged"}
        return xr.Dataset(data, coords=coords, attrs=attrs)

    def to_frame(self):
        """A tidy :class:`pandas.DataFrame`, one row per run (``x`` as ``x0..x{d-1}``).

        Examples
        --------
        >>> from lab.engine import run_batch
        >>> run_batch("quartic", "gd", [[0.0]], eps=1e-3, max_iter=2, params={"h": 0.01}
        ...           ).to_frame().columns.tolist()
        ['hit', 'status', 'diverged_at', 'iterations', 'f', 'grad_norm', 'x0']
        """
        import pandas as pd

        cols: dict[str, Any] = {"hit": self.hit, "status": self.status_names,
                                "diverged_at": self.diverged_at, "iterations": self.iterations,
                                "f": self.f, "grad_norm": self.grad_norm}
        if self.seeds is not None:
            cols["seed"] = self.seeds
        for i in range(self.x.shape[1]):
            cols[f"x{i}"] = self.x[:, i]
        return pd.DataFrame(cols)
