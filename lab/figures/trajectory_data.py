"""Data of figure d: iterates and f-gaps of the four main methods on x^4 and exp.

The methods take their theorem parameters for the stated (L0, L1): GD with Theorem 6's step
(M = the initial gradient norm), clipped GD with Theorem 3's, normalized GD with the paper's
map from Theorem 3's, and GD with η*.
"""

from __future__ import annotations

from lab.engine import run_batch
from lab.figures.smoothness_data import thin_indices
from lab.functions import get_function
from lab.methods import eta_star, normalized_from_clipped, theorem3_clipped, theorem6_gd

#: (zoo name, start, (L0, L1), eps, max_iter)
CASES = (
    ("quartic", 5.0, (1.0, 4.0), 1e-2, 100_000),
    ("exp", 6.0, (1.0, 1.0), 1e-2, 100_000),
)

#: the four main methods of figure d
MAIN_METHODS = ("gd_thm6", "clipped_thm3", "normalized", "eta_star")


def main_methods(L0: float, L1: float, M: float) -> dict:
    """The four main methods with their theorem parameters.

    Examples
    --------
    >>> main_methods(1.0, 1.0, 9.0)["gd_thm6"]
    gd(h=0.05)
    """
    thm3 = theorem3_clipped(L0, L1)
    return {
        "gd_thm6": theorem6_gd(L0, L1, M),
        "clipped_thm3": thm3,
        "normalized": normalized_from_clipped(thm3.params["eta"], thm3.params["gamma"]),
        "eta_star": eta_star(L0, L1),
    }


def figure_d_data(cases=CASES, *, max_points: int = 300) -> tuple[list[dict], list[dict]]:
    """Rows (function, method, t, x, f - f*, |f'|) and one summary dict per (function, method).

    Examples
    --------
    >>> rows, summary = figure_d_data((("quartic", 2.0, (1.0, 4.0), 0.1, 500),))
    >>> sorted({s["method"] for s in summary}) == sorted(MAIN_METHODS)
    True
    """
    rows, summary = [], []
    for name, x0, (L0, L1), eps, max_iter in cases:
        fn = get_function(name)
        f_star = fn.info.f_star
        M = float(fn.grad_norm([[x0]])[0])
        for key, method in main_methods(L0, L1, M).items():
            r = run_batch(fn, method, [[x0]], eps=eps, max_iter=max_iter, record_every=1)
            tr = r.trajectory
            last = int(r.iterations[0])
            for i in thin_indices(last + 1, max_points):
                rows.append({"function": name, "method": key, "t": int(tr.t[i]),
                             "x": float(tr.x[i, 0, 0]), "f_gap": float(tr.f[i, 0] - f_star),
                             "grad_norm": float(tr.grad_norm[i, 0])})
            summary.append({"function": name, "method": key, "params": repr(method), "x0": x0,
                            "M": M, "eps": eps, "L0": L0, "L1": L1, "hit": int(r.hit[0]),
                            "status": str(r.status_names[0]), "max_iter": max_iter})
    return rows, summary
