"""Plotting of figures a and b (iterations vs M, iterations vs ε): rows in, Figure out."""

from __future__ import annotations

import numpy as np

from lab.figures.bounds import all_bounds
from lab.figures.classes import get_class
from lab.figures.complexity import METHOD_KEYS
from lab.figures.style import BOUND_STYLE, METHOD_STYLE

#: bounds drawn per class (Theorem 4 is a lower bound for the *class's worst function*: it
#: is drawn only for the hard family, which is built to attain it)
BOUNDS_FOR = {"hard": ("thm3", "thm4", "thm6", "later"), "quartic": ("thm3", "thm6", "later"),
              "exp": ("thm3", "thm6", "later")}


def _panel(ax, rows, xkey: str, class_name: str):
    pclass = get_class(class_name)
    sub = [r for r in rows if r["class"] == class_name]
    xs = np.array(sorted({r[xkey] for r in sub}))
    measured = [r["iterations"] for r in sub if r["iterations"] > 0]
    top = 10 ** (np.log10(max(measured + [10])) + 2.5)
    for key in METHOD_KEYS:
        pts = sorted((r[xkey], r["iterations"], r["censored"]) for r in sub
                     if r["method"] == key and r["iterations"] > 0)
        if not pts:
            continue
        label, color, marker = METHOD_STYLE[key]
        x = np.array([p[0] for p in pts])
        y = np.array([p[1] for p in pts], dtype=float)
        cens = np.array([p[2] for p in pts])
        ax.plot(x, y, color=color, marker=marker, label=label, zorder=3)
        if cens.any():
            ax.plot(x[cens], y[cens], linestyle="none", marker="^", markersize=9,
                    markerfacecolor="none", color=color, zorder=4)
    dense = np.geomspace(xs.min(), xs.max(), 64)
    M0, eps0 = sub[0]["M"], sub[0]["eps"]
    for bkey in BOUNDS_FOR[class_name]:
        if xkey == "M":
            vals = [float(all_bounds(pclass.L0, pclass.L1, m, pclass.gap(m, eps0), eps0)[bkey])
                    for m in dense]
        else:
            vals = [float(all_bounds(pclass.L0, pclass.L1, M0, pclass.gap(M0, e), e)[bkey])
                    for e in dense]
        label, color, ls = BOUND_STYLE[bkey]
        ax.plot(dense, vals, color=color, linestyle=ls, linewidth=1.0, label=label, zorder=2)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_ylim(0.5, top)
    ax.set_title(pclass.title)
    if xkey == "M":
        ax.set_xlabel(f"initial gradient norm M  (ε = {eps0:g})")
    else:
        ax.set_xlabel(f"tolerance ε  (M = {M0:g})")
        ax.invert_xaxis()
    ax.set_ylabel("iterations to |f'| ≤ ε (worst case over the class)")


def ratio_series(rows, class_name: str, xkey: str, over: str = "clipped_thm3"):
    """``(x, gd_best / over)`` pairs of one class, sorted by x (uncensored, converged only).

    Examples
    --------
    >>> rows = [{"class": "hard", "M": 10.0, "method": "gd_best", "iterations": 30,
    ...          "censored": False},
    ...         {"class": "hard", "M": 10.0, "method": "clipped_thm3", "iterations": 10,
    ...          "censored": False}]
    >>> ratio_series(rows, "hard", "M")
    [(10.0, 3.0)]
    """
    def table(method):
        return {r[xkey]: r["iterations"] for r in rows
                if r["class"] == class_name and r["method"] == method and r["iterations"] > 0
                and not r["censored"]}

    num, den = table("gd_best"), table(over)
    return [(x, num[x] / den[x]) for x in sorted(set(num) & set(den))]


def _ratio_panel(ax, rows, classes):
    colors = {"hard": "#d62728", "quartic": "#1f77b4", "exp": "#2ca02c"}
    for name in classes:
        for over, ls, mk in (("clipped_thm3", "-", "s"), ("clipped_tuned", "--", "D")):
            pts = ratio_series(rows, name, "M", over)
            if pts:
                what = "Thm 3" if over == "clipped_thm3" else "tuned γ"
                ax.plot(*zip(*pts), color=colors[name], linestyle=ls, marker=mk,
                        label=f"{name}: GD best / {what}")
    ax.axhline(1.0, color="k", linewidth=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("initial gradient norm M")
    ax.set_ylabel("iterations of best fixed-step GD / clipped GD")
    ax.set_title("How much faster clipping is")
    ax.legend(loc="upper left", fontsize=6.5)


def plot_iterations(rows, xkey: str, plt):
    """Log-log panels (hard family, x⁴, exp) of iterations against ``xkey`` (M or eps).

    Against M a fourth panel shows the ratio best fixed-step GD / clipped GD per class.
    """
    classes = [c for c in ("hard", "quartic", "exp") if any(r["class"] == c for r in rows)]
    n = len(classes) + (xkey == "M")
    fig, axes = plt.subplots(1, n, figsize=(4.6 * n, 4.4), squeeze=False)
    for ax, name in zip(axes[0], classes):
        _panel(ax, rows, xkey, name)
    if xkey == "M":
        _ratio_panel(axes[0][-1], rows, classes)
    handles, labels = [], []
    for ax in axes[0][:len(classes)]:
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    fig.legend(handles, labels, loc="lower center", ncol=5, frameon=False)
    what = "initial gradient norm M" if xkey == "M" else "tolerance ε"
    fig.suptitle(f"Iterations to ε-stationarity vs {what}; hollow triangles: budget reached "
                 "(lower bound)")
    fig.tight_layout(rect=(0, 0.12, 1, 0.95))
    return fig
