"""Build every figure: compute its data, plot it, write ``NAME.{svg,png,csv,json}``.

:func:`build_figures` is what ``python -m lab figures`` and ``python -m lab reproduce`` call.
Each figure has a data function (in the ``*_data`` / :mod:`~lab.figures.complexity`
modules, tested directly) and a plotting function (:mod:`~lab.figures.plot_complexity`,
:mod:`~lab.figures.plot_other`); this module only wires them and writes files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from lab.figures.captions import (complexity_caption, descent_caption, frontier_caption,
                                  smoothness_caption, tightness_caption, trajectories_caption,
                                  worst_member_caption)
from lab.figures.complexity import COLUMNS, measure_points
from lab.figures.configs import FiguresConfig, quick_config
from lab.figures.descent_data import CASES, R_MAX, figure_f_data
from lab.figures.frontier_data import figure_e_data
from lab.figures.output import save_figure
from lab.figures.plot_complexity import plot_iterations
from lab.figures.plot_other import (plot_descent, plot_frontier, plot_smoothness, plot_tightness,
                                    plot_trajectories)
from lab.figures.smoothness_data import N_ALPHA, figure_c_data
from lab.figures.style import style_context
from lab.figures.tightness_data import tightness_rows
from lab.figures.trajectory_data import figure_d_data
from lab.figures.worst_member import figure_h_data, plot_worst_member
from lab.writing import write_csv, write_json

#: figure name -> title, in report order
FIGURES = {
    "a_iterations_vs_M": "Iterations to ε vs the initial gradient norm M",
    "b_iterations_vs_eps": "Iterations vs the tolerance ε",
    "c_smoothness_vs_gradient": "Local smoothness vs gradient norm along trajectories",
    "d_trajectories": "Trajectories and f-gaps of the four main methods",
    "e_frontiers": "The (L0, L1) frontier of each zoo function",
    "f_descent_lemma": "The descent lemma: true gap against three bounds",
    "g_tightness": "Tightness: observed/bound ratio per complexity claim",
    "h_worst_member": "The worst function found for Theorem 3's clipped GD (whole class)",
}


@dataclass
class FigureRecord:
    """One written figure: name, title, caption, key numbers and the files written."""

    name: str
    title: str
    caption: str
    summary: dict = field(default_factory=dict)
    files: list = field(default_factory=list)


def _write(out: Path, name: str, fig, rows, caption: str, config: dict, summary: dict,
           columns=None) -> FigureRecord:
    files = save_figure(fig, out / name)
    csv_path = out / f"{name}.csv"
    write_csv(csv_path, rows, columns)
    meta = {"figure": name, "title": FIGURES[name], "caption": caption, "config": config,
            "summary": summary}
    json_path = out / f"{name}.json"
    write_json(json_path, meta)
    return FigureRecord(name, FIGURES[name], caption, summary, [*files, csv_path, json_path])


# --- figure a / b ------------------------------------------------------------------------

def slope(xs, ys) -> float:
    """Least-squares slope of log(y) against log(x).

    Examples
    --------
    >>> round(slope([1, 10, 100], [2, 200, 20000]), 12)
    2.0
    """
    x, y = np.log(np.asarray(xs, float)), np.log(np.asarray(ys, float))
    return float(np.polyfit(x, y, 1)[0])


def complexity_summary(rows, xkey: str) -> dict:
    """Key numbers of figure a/b per class: slopes, ratios at the largest x, bound checks."""
    out = {}
    for cls in dict.fromkeys(r["class"] for r in rows):
        sub = [r for r in rows if r["class"] == cls]
        xs = sorted({r[xkey] for r in sub})
        pick = xs[-1] if xkey == "M" else xs[0]
        at = {r["method"]: r for r in sub if r[xkey] == pick}
        s = {f"at_{xkey}": pick}
        for m in ("gd_best", "gd_thm6", "clipped_thm3", "clipped_tuned", "normalized",
                  "eta_star"):
            if m in at:
                s[f"iterations_{m}"] = at[m]["iterations"]
                s[f"params_{m}"] = at[m]["params"]
        if "gd_best" in at and at.get("clipped_thm3", {}).get("iterations", 0) > 0:
            s["ratio_gd_best_over_clipped_thm3"] = (at["gd_best"]["iterations"]
                                                   / at["clipped_thm3"]["iterations"])
        if "gd_best" in at and at.get("clipped_tuned", {}).get("iterations", 0) > 0:
            s["ratio_gd_best_over_clipped_tuned"] = (at["gd_best"]["iterations"]
                                                    / at["clipped_tuned"]["iterations"])
        for m in ("gd_best", "clipped_thm3", "clipped_tuned"):
            pts = sorted((r[xkey], r["iterations"]) for r in sub
                         if r["method"] == m and r["iterations"] > 0 and not r["censored"])
            if len(pts) >= 2:
                s[f"slope_{m}"] = slope(*zip(*pts))
        clip = [r for r in sub if r["method"] == "clipped_thm3"]
        s["clipped_thm3_within_theorem3"] = all(0 <= r["iterations"] <= r["bound_thm3"]
                                                for r in clip)
        eta = [r for r in sub if r["method"] == "eta_star"]
        s["eta_star_within_later_bound"] = all(0 <= r["iterations"] <= r["bound_later"]
                                               for r in eta)
        out[cls] = s
    return out


def _fig_ab(out, cfg: FiguresConfig, xkey: str, progress: bool, plt, client=None
            ) -> FigureRecord:
    if xkey == "M":
        name = "a_iterations_vs_M"
        points = [(cls, M, eps) for cls, (Ms, eps) in cfg.vs_M.items() for M in Ms]
    else:
        name = "b_iterations_vs_eps"
        points = [(cls, M, eps) for cls, (M, epss) in cfg.vs_eps.items() for eps in epss]
    # every (class, M, ε) is one task: on a cluster the classes run side by side
    rows = measure_points(points, cfg.search, progress=progress, desc=f"figure {name[0]}",
                          client=client)
    summary = complexity_summary(rows, xkey)
    hard = summary.get("hard", {})
    caption = complexity_caption(xkey, cfg.name, cfg.seed, cfg.search.cap, hard)
    fig = plot_iterations(rows, xkey, plt)
    config = {k: v for k, v in cfg.describe().items()
              if k in ("name", "seed", "h_grid", "gamma_grid", "cap",
                       "vs_M" if xkey == "M" else "vs_eps")}
    return _write(out, name, fig, rows, caption, config, summary, COLUMNS)


# --- figures c-g -----------------------------------------------------------------------------

def _fig_c(out, cfg, plt) -> FigureRecord:
    rows, meta = figure_c_data(max_iter=cfg.traj_max_iter)
    summary = {}
    for m in meta:
        sub = [r for r in rows if r["function"] == m["function"]]
        g = np.array([r["grad_norm"] for r in sub])
        L = np.array([r["L_hat"] for r in sub])
        ok = (g > 0) & (L > 0)
        summary[m["function"]] = {
            "points": int(len(sub)),
            "loglog_slope_Lhat_vs_grad": slope(g[ok], L[ok]) if ok.sum() > 2 else None,
            "max_Lhat_over_L0_plus_L1_g": float(np.max(L / (m["L0"] + m["L1"] * g))),
            "points_hessian_above_line": int(np.sum(
                np.array([r["hess_norm"] for r in sub]) > (m["L0"] + m["L1"] * g) * (1 + 1e-9))),
        }
    above = [k for k, v in summary.items() if v["points_hessian_above_line"] > 0]
    caption = smoothness_caption(meta, cfg.traj_max_iter, above)
    fig = plot_smoothness(rows, meta, plt)
    return _write(out, "c_smoothness_vs_gradient", fig, rows, caption,
                  {"cases": meta, "traj_max_iter": cfg.traj_max_iter, "n_alpha": N_ALPHA}, summary)


def _fig_d(out, cfg, plt) -> FigureRecord:
    rows, summary = figure_d_data()
    caption = trajectories_caption(summary)
    fig = plot_trajectories(rows, summary, plt)
    return _write(out, "d_trajectories", fig, rows, caption, {"runs": summary},
                  {f"{s['function']}/{s['method']}": s["hit"] for s in summary})


def _fig_e(out, cfg, plt) -> FigureRecord:
    rows = figure_e_data(cfg.l1_grid, seed=cfg.seed)
    bad = sorted({r["function"] for r in rows if r["contradiction"]})
    caption = frontier_caption(cfg.l1_grid, cfg.seed, bad)
    summary = {"contradictions": bad,
               "no_valid_pair": sorted({r["function"] for r in rows if r["how"] == "none"})}
    fig = plot_frontier(rows, plt)
    return _write(out, "e_frontiers", fig, rows, caption,
                  {"l1_grid": list(cfg.l1_grid), "seed": cfg.seed}, summary)


def _fig_f(out, cfg, plt) -> FigureRecord:
    rows = figure_f_data(R_MAX, cfg.descent_points)
    summary = {}
    for name, *_ in CASES:
        sub = [r for r in rows if r["function"] == name]
        below = [r["r"] for r in sub if r["quadratic"] < r["true_gap"]]
        summary[name] = {
            "quadratic_below_true_from_r": min(below) if below else None,
            "max_rel_error_exponential": max(abs(r["exponential"] - r["true_gap"])
                                             / r["true_gap"] for r in sub),
            "true_over_quadratic_at_r_max": sub[-1]["true_gap"] / sub[-1]["quadratic"],
        }
    caption = descent_caption(summary)
    fig = plot_descent(rows, plt)
    return _write(out, "f_descent_lemma", fig, rows, caption,
                  {"r_max": R_MAX, "points": cfg.descent_points}, summary)


def _fig_g(out, cfg, verdicts, note: str, plt) -> FigureRecord:
    rows = tightness_rows(verdicts or [])
    claims = list(dict.fromkeys(r["claim"] for r in rows))
    summary = {c: {"n": sum(r["claim"] == c for r in rows),
                   "max_ratio": max(r["ratio"] for r in rows if r["claim"] == c)}
               for c in claims}
    caption = tightness_caption(note)
    fig = plot_tightness(rows, plt)
    cols = ("claim", "title", "tag", "expected", "verdict", "kind", "instance", "ratio",
            "lower_bound")
    return _write(out, "g_tightness", fig, rows, caption, {"source": note}, summary, cols)


def _fig_h(out, cfg, plt) -> FigureRecord:
    budget = "quick" if cfg.name == "quick" else "default"
    rows, its, meta = figure_h_data(budget=budget)
    caption = worst_member_caption(budget, meta)
    fig = plot_worst_member(rows, its, meta, plt)
    summary = {k: meta[k] for k in ("L0", "L1", "eps", "delta", "bound", "t", "ratio")}
    return _write(out, "h_worst_member", fig, rows + its, caption,
                  {"budget": budget, "steps_shown": meta["steps_shown"]}, summary,
                  ("x", "f", "fprime", "k"))


def build_figures(out_dir="figures", *, config: FiguresConfig | None = None, verdicts=None,
                  verdict_note: str = "", progress: bool = False,
                  only=None, client=None) -> list[FigureRecord]:
    """Compute, plot and write every figure into ``out_dir``.

    Parameters
    ----------
    out_dir : str or Path
        Destination folder (created).
    config : FiguresConfig, optional
        Grids and budgets (default: :func:`lab.figures.configs.quick_config`).
    verdicts : list of ClaimVerdict, optional
        Claims verdicts for figure g (without them figure g says so).
    verdict_note : str
        One line on where the verdicts come from (budget, seed), for figure g's caption.
    progress : bool
        tqdm progress bars on stderr.
    only : iterable of str, optional
        Figure names to build (default: all of :data:`FIGURES`).
    client : distributed.Client, optional
        Measure figures a and b on its workers, one task per (class, M, ε); the figures are
        the same bits (:mod:`lab.parallel`).

    Returns
    -------
    list of FigureRecord
    """
    cfg = config or quick_config()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    names = list(FIGURES) if only is None else [n for n in FIGURES if n in set(only)]
    steps = {
        "a_iterations_vs_M": lambda plt: _fig_ab(out, cfg, "M", progress, plt, client),
        "b_iterations_vs_eps": lambda plt: _fig_ab(out, cfg, "eps", progress, plt, client),
        "c_smoothness_vs_gradient": lambda plt: _fig_c(out, cfg, plt),
        "d_trajectories": lambda plt: _fig_d(out, cfg, plt),
        "e_frontiers": lambda plt: _fig_e(out, cfg, plt),
        "f_descent_lemma": lambda plt: _fig_f(out, cfg, plt),
        "g_tightness": lambda plt: _fig_g(out, cfg, verdicts, verdict_note, plt),
        "h_worst_member": lambda plt: _fig_h(out, cfg, plt),
    }
    records = []
    bar = None
    if progress:
        bar = tqdm(total=len(names), desc="figures", unit="fig")
    try:
        with style_context() as plt:
            for name in names:
                if bar is not None:
                    bar.set_postfix_str(name)
                records.append(steps[name](plt))
                if bar is not None:
                    bar.update(1)
    finally:
        if bar is not None:
            bar.close()
    return records
