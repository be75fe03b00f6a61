"""Data of figure e: the (L0, L1) frontier of each zoo function.

For each zoo member (default parameters) and each L1 on a grid, the smallest valid L0 from
:func:`lab.smoothness.frontier_l0`: the closed form where one is stated, the
certifier (:func:`lab.smoothness.min_valid_l0`) otherwise. Non-examples have no valid pair
and are listed without a curve.
"""

from __future__ import annotations

import math

import numpy as np

from lab.functions import function_names, get_function
from lab.smoothness import min_valid_l0

#: members left out of the picture (they duplicate another curve or have no frontier)
SKIP = ("hard_steep", "hard_flat")


def frontier_rows(L1_grid, names=None) -> list[dict]:
    """Rows (function, L1, L0_min, how, exact) for every zoo member and L1 in the grid.

    ``L0_min`` is ``inf`` where no L0 works with this L1.

    Examples
    --------
    >>> rows = frontier_rows([2.0], names=["quartic", "exp"])
    >>> [(r["function"], r["L0_min"]) for r in rows]
    [('quartic', 4.0), ('exp', 0.0)]
    """
    names = [n for n in function_names() if n not in SKIP] if names is None else list(names)
    rows = []
    for name in names:
        fn = get_function(name)
        fr = fn.info.frontier
        for L1 in L1_grid:
            L1 = float(L1)
            if fr.kind == "none":
                value, how, exact = math.inf, "none", True
            elif not fr.l1_valid(L1):
                value, exact = math.inf, fr.exact
                how = "closed form" if fr.kind == "closed_form" else fr.kind
            elif fr.kind == "closed_form":
                value, how, exact = fr.l0_for(L1), "closed form", fr.exact
            else:
                res = min_valid_l0(fn, L1)
                value, how, exact = float(res.value), "certifier", bool(res.exact)
            rows.append({"function": name, "L1": L1, "L0_min": float(value), "how": how,
                         "exact": exact})
    return rows


def default_l1_grid(n: int = 13) -> np.ndarray:
    """L1 from 0.25 to 16 on a log grid (includes 1 and 4 when n = 13).

    Examples
    --------
    >>> default_l1_grid(13)[[4, 8]].tolist()
    [1.0, 4.0]
    """
    return np.geomspace(0.25, 16.0, n)


#: 1-D members are sampled on a grid of [-GRID_HALF_WIDTH, GRID_HALF_WIDTH]
GRID_HALF_WIDTH = 30.0

#: sample points per member (1-D: the grid has SAMPLES + 1 points)
SAMPLES = 20_000

#: d > 1: Gaussian points scaled by one of 9 log-spaced scales in this range
SCALES = (0.1, 10.0)


def sampled_lower_bound(fn, L1_grid, *, n: int = SAMPLES, seed: int = 0) -> np.ndarray:
    """``max_x (||∇²f(x)|| - L1 ||∇f(x)||)`` over sample points: a lower bound on L0_min.

    An independent check of the frontier: a stated smallest L0 *below* this number is wrong
    (the sample point is a counterexample). 1-D members use a grid on [-30, 30]; others use
    Gaussian points at scales 0.1 to 10 (fixed seed). Never negative (L0 >= 0).

    Examples
    --------
    >>> from lab.functions import get_function
    >>> sampled_lower_bound(get_function("quartic"), [2.0]).round(3).tolist()
    [4.0]
    """
    if fn.dim == 1:
        X = np.linspace(-GRID_HALF_WIDTH, GRID_HALF_WIDTH, 2 * (n // 2) + 1)[:, None]
    else:
        rng = np.random.default_rng(seed)
        scales = np.geomspace(*SCALES, 9)[rng.integers(0, 9, size=n)]
        X = rng.standard_normal((n, fn.dim)) * scales[:, None]
    H, g = fn.hess_norm(X), fn.grad_norm(X)
    out = []
    with np.errstate(all="ignore"):
        for L1 in L1_grid:
            v = H - float(L1) * g
            v = v[np.isfinite(v)]
            out.append(max(0.0, float(v.max())) if v.size else 0.0)
    return np.asarray(out)


def figure_e_data(L1_grid, names=None, *, seed: int = 0) -> list[dict]:
    """:func:`frontier_rows` with the column ``L0_sampled`` of :func:`sampled_lower_bound`.

    ``contradiction`` is True where the stated ``L0_min`` is below the sampled lower bound
    by more than a relative 1e-9 (so the stated frontier is wrong there).
    """
    rows = frontier_rows(L1_grid, names)
    cache: dict = {}
    for r in rows:
        name = r["function"]
        if name not in cache:
            cache[name] = dict(zip(map(float, L1_grid),
                                   sampled_lower_bound(get_function(name), L1_grid, seed=seed)))
        s = cache[name][r["L1"]]
        r["L0_sampled"] = float(s)
        r["contradiction"] = bool(math.isfinite(r["L0_min"])
                                  and s > r["L0_min"] * (1 + 1e-9) + 1e-12)
    return rows
