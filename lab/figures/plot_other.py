"""Plotting of figures c-g: rows in, Figure out (no computation beyond reshaping)."""

from __future__ import annotations


import numpy as np

from lab.figures.style import METHOD_STYLE


def plot_smoothness(rows, meta, plt):
    """Figure c: L̂ vs ||∇f|| along trajectories, coloured by iteration (paper's Figure 1)."""
    n = len(meta)
    fig, axes = plt.subplots(1, n, figsize=(3.9 * n, 3.8), squeeze=False)
    for ax, m in zip(axes[0], meta):
        sub = [r for r in rows if r["function"] == m["function"]]
        g = np.array([r["grad_norm"] for r in sub])
        L = np.array([r["L_hat"] for r in sub])
        H = np.array([r["hess_norm"] for r in sub])
        k = np.array([r["k"] for r in sub])
        sc = ax.scatter(g, L, c=k, cmap="viridis", s=8, zorder=3, label="estimate L̂_k")
        ax.plot(g, H, color="0.4", linewidth=0.8, label="exact ||∇²f(x_k)||", zorder=2)
        gg = np.geomspace(max(g.min(), 1e-12), g.max(), 50)
        ax.plot(gg, m["L0"] + m["L1"] * gg, "k--", linewidth=0.9,
                label=f"L0 + L1||∇f||, ({m['L0']:.3g}, {m['L1']:g})")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("gradient norm ||∇f(x_k)||")
        ax.set_ylabel("local smoothness")
        ax.set_title(f"{m['function']}: clipped GD (η={m['eta']:g}, γ={m['gamma']:g})")
        ax.legend(loc="upper left")
        fig.colorbar(sc, ax=ax, label="iteration k")
    fig.tight_layout()
    return fig


def plot_trajectories(rows, summary, plt):
    """Figure d: iterate x_t and f-gap vs t on x⁴ and exp for the four main methods."""
    funcs = list(dict.fromkeys(s["function"] for s in summary))
    fig, axes = plt.subplots(len(funcs), 2, figsize=(10, 3.4 * len(funcs)), squeeze=False)
    for i, name in enumerate(funcs):
        for s in (s for s in summary if s["function"] == name):
            label, color, _ = METHOD_STYLE[s["method"]]
            sub = [r for r in rows if r["function"] == name and r["method"] == s["method"]]
            t = np.array([r["t"] for r in sub]) + 1
            hit = f"T={s['hit']}" if s["hit"] >= 0 else f"{s['status']} at {s['max_iter']}"
            axes[i, 0].plot(t, [r["x"] for r in sub], color=color, label=f"{label} ({hit})")
            axes[i, 1].plot(t, [max(r["f_gap"], 1e-300) for r in sub], color=color,
                            label=label)
        first = next(s for s in summary if s["function"] == name)
        axes[i, 0].set_title(f"{name}: iterate x_t from x0 = {first['x0']:g} "
                             f"(M = {first['M']:.3g}, ε = {first['eps']:g})")
        axes[i, 1].set_title(f"{name}: f(x_t) - f*")
        for ax in axes[i]:
            ax.set_xscale("log")
            ax.set_xlabel("iteration t + 1")
        axes[i, 1].set_yscale("log")
        axes[i, 0].legend(loc="best")
    fig.tight_layout()
    return fig


def plot_frontier(rows, plt):
    """Figure e: smallest valid L0 against L1 per zoo member (symlog y: L0 = 0 is allowed)."""
    names = list(dict.fromkeys(r["function"] for r in rows))
    fig, ax = plt.subplots(figsize=(8.5, 5.2))
    cmap = plt.get_cmap("tab10")
    styles = ("-", "--", "-.", ":")
    none = []
    for i, name in enumerate(names):
        sub = [r for r in rows if r["function"] == name]
        L1 = np.array([r["L1"] for r in sub])
        L0 = np.array([r["L0_min"] for r in sub])
        if not np.isfinite(L0).any():
            none.append(name)
            continue
        how = sub[0]["how"]
        color = cmap(i % 10)
        ok = np.isfinite(L0)
        ax.plot(L1[ok], L0[ok], marker="o" if how == "certifier" else None, color=color,
                linestyle=styles[(i // 10 + i) % 4], label=f"{name} ({how})")
        bad = np.array([r["contradiction"] for r in sub])
        if bad.any():
            S = np.array([r["L0_sampled"] for r in sub])
            ax.plot(L1[bad], S[bad], linestyle="none", marker="x", markersize=8, color=color,
                    label=f"{name}: sampled lower bound above the stated L0")
    ax.set_xscale("log")
    ax.set_yscale("symlog", linthresh=1e-2)
    ax.set_ylim(bottom=0.0)
    ax.set_xlabel("L1")
    ax.set_ylabel("smallest valid L0")
    title = "(L0, L1) frontier: valid pairs lie on or above each curve"
    if none:
        title += f"\nno valid pair at all: {', '.join(none)}"
    ax.set_title(title)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=7)
    fig.tight_layout()
    return fig


def plot_descent(rows, plt):
    """Figure f: true gap vs ||Δ|| against the quadratic, trust-region and exponential bounds."""
    funcs = list(dict.fromkeys(r["function"] for r in rows))
    fig, axes = plt.subplots(1, len(funcs), figsize=(5.2 * len(funcs), 4.2), squeeze=False)
    curves = (("true_gap", "true gap f(x+Δ) - f(x) - <g, Δ>", "k", "-", 2.4),
              ("quadratic", "blog: (L0 + L1 g)Δ²/2", "#d62728", "--", 1.4),
              ("trust_region", "trust region (2L0 + (e-1)L1 g)Δ²/2, Δ ≤ 1/L1", "#ff7f0e", "-.",
               1.4),
              ("exponential", "exponential: (L0 + L1 g)/L1² φ(L1Δ)", "#1f77b4", ":", 2.0),
              ("loose_exponential", "(L0 + L1 g)/2 e^{L1Δ} Δ²", "#9467bd", ":", 1.0))
    for ax, name in zip(axes[0], funcs):
        sub = [r for r in rows if r["function"] == name]
        r = np.array([s["r"] for s in sub])
        for key, label, color, ls, lw in curves:
            ax.plot(r, [s[key] for s in sub], color=color, linestyle=ls, linewidth=lw,
                    label=label)
        s0 = sub[0]
        ax.set_yscale("log")
        ax.set_xlabel("||Δ||  (along +x)")
        ax.set_ylabel("gap")
        ax.set_title(f"{name} at x = {s0['x']:g}: g = {s0['g']:.3g}, "
                     f"(L0, L1) = ({s0['L0']:g}, {s0['L1']:g})")
        ax.legend(loc="upper left", fontsize=6.5)
    fig.suptitle("Descent lemma: the blog's quadratic bound falls below the true gap")
    fig.tight_layout()
    return fig


#: Figure g's markers: (legend label, scatter keywords), by kind of row.
TIGHTNESS_MARKERS = {
    "sweep": ("sweep instance", dict(s=12, marker="o")),
    "search worst": ("worst ratio a search found", dict(s=40, marker="D")),
    "never reached": ("run never reached ε: ratio unbounded (drawn at the edge, ≥)",
                      dict(s=70, marker=">")),
    "whole class": ("worst ratio on the whole univariate class (adversary, certified)",
                    dict(s=90, marker="*")),
}


def _tightness_edge(rows) -> float:
    """Where the x axis ends: beyond every finite ratio and beyond 1."""
    finite = [r["ratio"] for r in rows if 0 < r["ratio"] < np.inf]
    return 10 ** np.ceil(np.log10(max(finite + [1.0])) + 0.5)


def plot_tightness(rows, plt):
    """Figure g: observed/bound ratio per complexity claim (1 = the bound is attained).

    A run that never reached ε (ratio ``inf``) is drawn as a right-pointing triangle on the
    right edge of the axis: a lower bound, not a value. The legend lists only the markers
    that are drawn.
    """
    claims = list(dict.fromkeys(r["claim"] for r in rows))
    fig, ax = plt.subplots(figsize=(8.5, max(2.5, 0.42 * len(claims) + 1.4)))
    if not claims:
        ax.text(0.5, 0.5, "no sweep ratios available from the claims layer",
                ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    edge = _tightness_edge(rows)
    drawn = set()
    for i, name in enumerate(claims):
        sub = [r for r in rows if r["claim"] == name and r["ratio"] > 0]
        kinds = ["never reached" if r["ratio"] == np.inf and r.get("kind") != "whole class"
                 else r.get("kind", "sweep") for r in sub]
        pos = np.array([min(r["ratio"], edge) for r in sub])
        jitter = (np.arange(pos.size) % 5 - 2) * 0.06
        color = np.where(pos > 1.0, "#d62728", "#1f77b4")
        for kind, (_, style) in TIGHTNESS_MARKERS.items():
            mask = np.array([k == kind for k in kinds], dtype=bool)
            if not mask.any():
                continue
            drawn.add(kind)
            y = (i + jitter)[mask] if kind == "sweep" else \
                np.full(mask.sum(), float(i) + (0.3 if kind == "whole class" else 0.0))
            hollow = {"facecolors": "none", "edgecolors": color[mask]} if kind == "search worst" \
                else {"c": color[mask]}
            ax.scatter(pos[mask], y, zorder=3, clip_on=False, **style, **hollow)
        if pos.size:
            ax.plot([pos.min(), pos.max()], [i, i], color="0.7", linewidth=0.8, zorder=1)
    ax.axvline(1.0, color="k", linestyle="--", linewidth=1.0)
    verdict = {r["claim"]: f"{r['claim']} [{r['tag']}] ({r['verdict']})" for r in rows}
    ax.set_yticks(range(len(claims)))
    ax.set_yticklabels([verdict[c] for c in claims], fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale("log")
    ax.set_xlim(right=edge)
    ax.set_xlabel("observed / bound (upper bounds) or bound / observed (lower bounds); "
                  "> 1 violates (red)")
    handles = [plt.Line2D([], [], linestyle="none", color="0.3", label=label,
                          marker=style["marker"], markersize=5,
                          markerfacecolor="none" if kind == "search worst" else "0.3")
               for kind, (label, style) in TIGHTNESS_MARKERS.items() if kind in drawn]
    ax.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 1.0),
              ncol=len(handles), fontsize=6.5, frameon=False)  # above the points, never on them
    ax.set_title("Tightness of the complexity claims: zoo and whole class (stars)", pad=20)
    fig.tight_layout()
    return fig
