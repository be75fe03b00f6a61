"""Log-log fit, Spearman correlation and bootstrap intervals (pure math, no I/O).

Figure 1 of the paper is a log-log scatter of the local smoothness estimate against the
gradient norm along a training trajectory. The summary numbers here are the least-squares
slope of log10(smoothness) on log10(gradient norm), the Spearman rank correlation, and
percentile bootstrap intervals for both (resampling (gradient norm, smoothness) pairs).
Points are consecutive iterates of one run, so they are not independent: the intervals
describe the spread of this trajectory's points, not a population of training runs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
from scipy.stats import rankdata

from lab.errors import LabInputError


@dataclass(frozen=True, kw_only=True)
class LogLogFit:
    """The association between gradient norm and smoothness along one trajectory.

    ``slope`` is d log10(L̂) / d log10(||∇f||); ``spearman`` is the rank correlation;
    ``*_ci`` are (low, high) percentile bootstrap intervals at level ``level``.
    """

    n_points: int
    slope: float
    intercept: float
    spearman: float
    slope_ci: tuple[float, float]
    spearman_ci: tuple[float, float]
    level: float
    n_boot: int

    def as_dict(self) -> dict[str, float]:
        """Flat dictionary (intervals split into ``_lo``/``_hi``), for CSV rows."""
        out = asdict(self)
        for key in ("slope_ci", "spearman_ci"):
            lo, hi = out.pop(key)
            out[f"{key}_lo"], out[f"{key}_hi"] = lo, hi
        return out


def _slopes(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares slopes of y on x along the last axis (nan where x is constant)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    sxx = (xc * xc).sum(axis=-1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(sxx > 0, (xc * yc).sum(axis=-1) / np.where(sxx > 0, sxx, 1.0), np.nan)


def _pearson(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Pearson correlations along the last axis (nan where either side is constant)."""
    xc = x - x.mean(axis=-1, keepdims=True)
    yc = y - y.mean(axis=-1, keepdims=True)
    den = np.sqrt((xc * xc).sum(axis=-1) * (yc * yc).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, (xc * yc).sum(axis=-1) / np.where(den > 0, den, 1.0), np.nan)


def spearman(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Spearman rank correlation along the last axis (average ranks for ties).

    Examples
    --------
    >>> float(spearman(np.array([1.0, 2.0, 3.0]), np.array([10.0, 30.0, 20.0])))
    0.5
    """
    return _pearson(rankdata(x, axis=-1), rankdata(y, axis=-1))


def loglog_fit(
    grad_norm: np.ndarray,
    smoothness: np.ndarray,
    *,
    n_boot: int = 2000,
    level: float = 0.95,
    seed: int = 0,
) -> LogLogFit:
    """Fit log10(smoothness) against log10(gradient norm), with bootstrap intervals.

    Pairs where either value is not finite and positive are dropped first.

    Parameters
    ----------
    grad_norm, smoothness : numpy.ndarray
        Paired 1-D samples along a trajectory.
    n_boot : int, keyword-only
        Bootstrap resamples (>= 1); default 2000.
    level : float, keyword-only
        Interval coverage in (0, 1); default 0.95.
    seed : int, keyword-only
        Seed of the bootstrap's generator (same seed, same intervals).

    Returns
    -------
    LogLogFit
        Slope, intercept, Spearman correlation and their intervals; all ``nan`` when fewer
        than 3 usable pairs remain.

    Examples
    --------
    >>> import numpy as np
    >>> g = np.logspace(-1, 1, 50)
    >>> fit = loglog_fit(g, 2.0 * g**0.5, n_boot=100)
    >>> round(fit.slope, 6), round(fit.spearman, 6)
    (0.5, 1.0)
    """
    g = np.asarray(grad_norm, dtype=np.float64).ravel()
    s = np.asarray(smoothness, dtype=np.float64).ravel()
    if g.shape != s.shape:
        raise LabInputError(f"{g.size} gradient norms but {s.size} smoothness values; pair them")
    if isinstance(n_boot, bool) or not isinstance(n_boot, (int, np.integer)) or n_boot < 1:
        raise LabInputError(f"n_boot={n_boot!r} is not allowed; use an integer >= 1")
    if not 0.0 < level < 1.0:
        raise LabInputError(f"level={level!r} is not allowed; use a number in (0, 1)")
    ok = np.isfinite(g) & np.isfinite(s) & (g > 0) & (s > 0)
    lx, ly = np.log10(g[ok]), np.log10(s[ok])
    n = int(lx.size)
    nan2 = (float("nan"), float("nan"))
    if n < 3:
        nan = float("nan")
        return LogLogFit(
            n_points=n, slope=nan, intercept=nan, spearman=nan, slope_ci=nan2, spearman_ci=nan2,
            level=level, n_boot=int(n_boot))
    slope = float(_slopes(lx, ly))
    intercept = float(ly.mean() - slope * lx.mean())
    rho = float(spearman(lx, ly))
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, n, size=(int(n_boot), n))
    boot_slope = _slopes(lx[idx], ly[idx])
    boot_rho = spearman(lx[idx], ly[idx])
    q = [(1 - level) / 2 * 100, (1 + level) / 2 * 100]

    def interval(v: np.ndarray) -> tuple[float, float]:
        v = v[np.isfinite(v)]
        if v.size == 0:
            return nan2
        lo, hi = np.percentile(v, q)
        return (float(lo), float(hi))

    return LogLogFit(
        n_points=n, slope=slope, intercept=intercept, spearman=rho, slope_ci=interval(boot_slope),
        spearman_ci=interval(boot_rho), level=float(level), n_boot=int(n_boot))


def partial_spearman(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    """Spearman correlation of ``x`` and ``y`` with the monotone trend in ``z`` removed.

    Along a trajectory both the gradient norm and the smoothness may simply drift with the
    iteration count; the partial rank correlation given the iteration asks whether they still
    move together once that shared drift is taken out. Pairs with a non-finite or non-positive
    ``x`` or ``y`` are dropped (as in :func:`loglog_fit`); ``nan`` with fewer than 4 left.

    Examples
    --------
    Two series that both rise with t but wiggle in opposite directions:

    >>> import numpy as np
    >>> t = np.arange(1.0, 9.0)
    >>> x = t + np.array([0, 2, 0, 2, 0, 2, 0, 2])
    >>> y = t + np.array([2, 0, 2, 0, 2, 0, 2, 0])
    >>> round(float(spearman(x, y)), 3), round(partial_spearman(x, y, t), 3)
    (0.69, -0.947)
    """
    x, y, z = (np.asarray(v, dtype=np.float64).ravel() for v in (x, y, z))
    if not (x.shape == y.shape == z.shape):
        raise LabInputError("x, y and z must have the same number of values")
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(z) & (x > 0) & (y > 0)
    if ok.sum() < 4:
        return float("nan")
    rxy = float(spearman(x[ok], y[ok]))
    rxz = float(spearman(x[ok], z[ok]))
    ryz = float(spearman(y[ok], z[ok]))
    den = np.sqrt((1 - rxz**2) * (1 - ryz**2))
    if not den > 0:
        return float("nan")
    return float((rxy - rxz * ryz) / den)
