"""Figures 1 and 2 of the paper, redrawn from a :class:`NetworkResult` (matplotlib, Agg).

- ``network_fig1_<model>``: log-log scatter of the smoothness estimate L̂_k against the
  gradient norm ||∇f_S(x_k)|| along each run, coloured by iteration, with the least-squares
  line, its slope and the Spearman correlation with 95% bootstrap intervals.
- ``network_fig2_<model>``: loss on the fixed training subset against iteration, every run
  of the model, clipped runs dashed.

Each figure is written as SVG and PNG with a ``.caption.txt`` naming the configuration and
seed; writes are atomic. Only result objects are read here: no torch, no training.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from lab.writing import write_bytes, write_text  # noqa: E402

_MODEL_TITLES = {
    "lstm": "character LSTM on pydoc_data.topics",
    "mlp": "ReLU MLP on sklearn digits",
}
_RC = {"svg.hashsalt": "clipping-lab", "font.size": 9}


def _save(fig: "plt.Figure", out_dir: Path, stem: str) -> list[Path]:
    paths = []
    for ext, meta in (("svg", {"Date": None}), ("png", {"Software": None})):
        buffer = io.BytesIO()
        with plt.rc_context(_RC):  # the SVG ids are hashed at save time: salt them here
            fig.savefig(buffer, format=ext, dpi=130, bbox_inches="tight", metadata=meta)
        path = out_dir / f"{stem}.{ext}"
        write_bytes(path, buffer.getvalue())
        paths.append(path)
    plt.close(fig)
    return paths


def _minor_label(value: float, _pos: int) -> str:
    """Label only the 2x and 5x minor ticks of a log axis, briefly (all of them overlap)."""
    if not value > 0:
        return ""
    mantissa = value / 10 ** np.floor(np.log10(value))
    return f"{value:g}" if np.isclose(mantissa, [2.0, 5.0]).any() else ""


def _fmt_ci(value: float, ci: tuple[float, float]) -> str:
    return f"{value:.2f} [{ci[0]:.2f}, {ci[1]:.2f}]"


def figure1(result, model: str) -> "plt.Figure":
    """The smoothness-vs-gradient-norm panels for ``model`` (one panel per run)."""
    pairs = [(t, f) for t, f in zip(result.traces, result.fits) if t.model == model]
    with plt.rc_context(_RC):
        fig, axes = plt.subplots(1, len(pairs), figsize=(3.1 * len(pairs), 3.2),
                                 squeeze=False, constrained_layout=True)
        iters_max = max(max(t.evals["iteration"].max(initial=0.0) for t, _ in pairs), 1.0)
        scatter = None
        for ax, (trace, fit) in zip(axes[0], pairs):
            g, s, it = (trace.evals[c] for c in ("grad_norm", "smoothness", "iteration"))
            ok = np.isfinite(g) & np.isfinite(s) & (g > 0) & (s > 0)
            scatter = ax.scatter(g[ok], s[ok], c=it[ok], cmap="viridis", vmin=0, vmax=iters_max,
                                 s=9, linewidths=0)
            ax.set_xscale("log")
            ax.set_yscale("log")
            if ok.any() and np.log10(g[ok].max() / g[ok].min()) < 1.2:
                # under about a decade there is at most one major label: add a few minor ones
                ax.xaxis.set_minor_formatter(FuncFormatter(_minor_label))
            ax.set_xlabel("gradient norm ||∇f_S(x_k)||")
            title = trace.spec.label
            if trace.diverged_at is not None:
                title += f" (diverged at {trace.diverged_at})"
            if np.isfinite(fit.slope):
                xs = np.logspace(np.log10(g[ok].min()), np.log10(g[ok].max()), 20)
                ax.plot(xs, 10 ** (fit.intercept + fit.slope * np.log10(xs)), "r-", lw=1)
                title += (f"\nslope {_fmt_ci(fit.slope, fit.slope_ci)}"
                          f"\nSpearman {_fmt_ci(fit.spearman, fit.spearman_ci)}")
            else:
                title += "\n(too few points for a fit)"
            ax.set_title(title, fontsize=8)
        axes[0][0].set_ylabel("smoothness estimate L̂_k")
        if scatter is not None:
            fig.colorbar(scatter, ax=axes[0].tolist(), label="iteration", shrink=0.9)
        fig.suptitle(f"Local smoothness vs gradient norm: {_MODEL_TITLES.get(model, model)}")
    return fig


def figure2(result, model: str) -> "plt.Figure":
    """Training-subset loss against iteration for every run of ``model``."""
    traces = [t for t in result.traces if t.model == model]
    with plt.rc_context(_RC):
        fig, ax = plt.subplots(figsize=(5.2, 3.6), constrained_layout=True)
        firsts, finite = [], []
        for i, trace in enumerate(traces):
            style = "--" if trace.spec.clip is not None else "-"
            label = trace.spec.label
            loss = trace.evals["subset_loss"]
            if trace.diverged_at is not None:
                label += f" (diverged at {trace.diverged_at})"
            elif loss.size and trace.final["final_subset_loss"] > loss[0]:
                label += " (ends above its initial loss)"
            if loss.size:
                firsts.append(loss[0])
                finite.append(loss[np.isfinite(loss)])
            ax.plot(trace.evals["iteration"], loss, style, color=f"C{i}", lw=1.3, label=label)
        ax.set_yscale("log")
        if firsts:  # keep the scale on the runs that learn; a run that blows up leaves the top
            low = min(v.min() for v in finite if v.size)
            ax.set_ylim(0.8 * low, 1.5 * max(firsts))
        ax.set_xlabel("iteration")
        ax.set_ylabel("loss on the fixed training subset")
        ax.set_title(f"Plain SGD, clipped (dashed) vs unclipped: {_MODEL_TITLES.get(model, model)}",
                     fontsize=8)
        ax.legend(fontsize=7)
    return fig


def caption(result, model: str, which: int) -> str:
    """The caption text of figure ``which`` (1 or 2) for ``model``."""
    cfg = next(m for m in result.config.models if m.model == model)
    head = {
        1: "Local smoothness estimate L̂_k (max over α of ||∇f(x_k+(1-α)d)-∇f(x_k)||/"
           "((1-α)||d||), d = x_{k+1}-x_k) against the gradient norm on the same fixed "
           "training subset, log-log, coloured by iteration; red: least-squares line in "
           "log-log; intervals: 95% percentile bootstrap over the plotted points.",
        2: "Loss on the fixed training subset along plain SGD, clipped (dashed, "
           "g <- g min(1, clip/||g||)) and unclipped (solid), same initialisation and "
           "minibatch order for every run.",
    }[which]
    runs = ", ".join(r.label for r in cfg.runs)
    return (
        f"{head}\nModel: {_MODEL_TITLES.get(model, model)} (hidden {cfg.hidden}"
        + (f", embedding {cfg.embed}, sequence length {cfg.seq_len}" if model == "lstm" else "")
        + f", {cfg.dtype}).\nRuns: {runs}; {cfg.iterations} iterations, batch {cfg.batch_size}, "
        f"estimate every {cfg.eval_every} iterations with n = {cfg.n_alpha}, subset of "
        f"{cfg.subset_size}.\nConfig '{result.config.name}', seed {result.config.seed}, "
        f"torch {result.torch_version}, {result.config.threads} thread(s).\n"
    )


def draw_all(result, out_dir: Path) -> list[Path]:
    """Write both figures (SVG, PNG, caption) for every model; return the paths."""
    out_dir = Path(out_dir)
    paths: list[Path] = []
    for cfg in result.config.models:
        for which, draw in ((1, figure1), (2, figure2)):
            stem = f"network_fig{which}_{cfg.model}"
            paths += _save(draw(result, cfg.model), out_dir, stem)
            path = out_dir / f"{stem}.caption.txt"
            write_text(path, caption(result, cfg.model, which))
            paths.append(path)
    return paths
