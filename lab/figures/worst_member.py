"""Figure h: the worst function the whole-class adversary finds for Theorem 3's clipped GD.

The adversary (:func:`lab.adversary.iteration_worst`) certifies a member and a run with the
largest ``T_ε/B`` against Theorem 3's bound; the figure draws the same design shortened to a
few steps (so its structure shows: a plateau ``f' = g_k`` at each iterate, the fall
``s = -1`` and the rise ``s = +1`` between them, the rise from the minimizer left of the
last iterate), with f, f' and the iterates, and states the full run's numbers.

Examples
--------
>>> rows, its, meta = figure_h_data(budget="quick", shown=4)
>>> meta["ratio"] > 0.5 and len(its) == 5
True
"""

from __future__ import annotations

import numpy as np

from lab.adversary import IterationProblem, iteration_worst
from lab.adversary.build import member_from_run
from lab.methods import theorem3_clipped

def theorem3_bound(L0, L1, eps, delta, m):
    """``20 L0 Δ/ε² + 20 max{1, L1²} Δ/L0``."""
    return 20 * L0 * delta / eps**2 + 20 * max(1.0, L1**2) * delta / L0


def figure_h_data(*, budget="quick", pairs=((1.0, 1.0),), shown: int = 6):
    """``(curve rows, iterate rows, meta)`` of figure h (see the module docstring); ``f`` in the
    rows is ``f - f*``."""
    problem = IterationProblem(lambda L0, L1, eps, d, m: theorem3_clipped(L0, L1),
                               theorem3_bound, name="theorem3-clipped-gd")
    w = iteration_worst(problem, list(pairs), budget=budget)
    c = w.certificate
    recipe = dict(c.recipe)
    grads = list(recipe.pop("gradients"))[: shown + 1]
    recipe.pop("extra_gap", None)
    run = member_from_run(gradients=grads, **recipe)
    m = run.member
    xs_it = np.array(run.iterates)
    z = m.info.minimizer[0] if m.info.minimizer else float(xs_it.min()) - 1.0
    lo, hi = min(z, float(xs_it.min())), float(xs_it.max())
    pad = 0.15 * (hi - lo)
    x = np.linspace(lo - pad, hi + pad, 1500)
    fs = m.f_star
    rows = [{"x": float(a), "f": float(b - fs), "fprime": float(g)} for a, b, g in
            zip(x, m.value(x[:, None]), m.grad(x[:, None])[:, 0])]
    its = [{"k": k, "x": float(a), "f": float(b - fs), "fprime": float(g)} for k, (a, b, g)
           in enumerate(zip(xs_it, m.value(xs_it[:, None]), m.grad(xs_it[:, None])[:, 0]))]
    meta = {"L0": c.L0, "L1": c.L1, "eps": c.eps, "delta": c.delta, "bound": c.bound,
            "t": c.t, "ratio": c.ratio, "steps_shown": shown, "method": c.method,
            "recipe": c.recipe_text(), "evaluations": w.evaluations}
    return rows, its, meta


def plot_worst_member(rows, its, meta, plt):
    """Two panels: f with the iterates, f' with the iterates and the level ε."""
    fig, (a0, a1) = plt.subplots(1, 2, figsize=(10.5, 3.8))
    x = np.array([r["x"] for r in rows])
    a0.plot(x, [r["f"] for r in rows], color="C0", label="f - f* (whole-class member)")
    a1.plot(x, [r["fprime"] for r in rows], color="C0", label="f'")
    xi = [r["x"] for r in its]
    a0.plot(xi, [r["f"] for r in its], "o", color="C3", ms=4, label="iterates x_k")
    a1.plot(xi, [r["fprime"] for r in its], "o", color="C3", ms=4, label="f'(x_k)")
    a1.axhline(meta["eps"], color="0.3", linestyle="--", linewidth=0.9, label="ε")
    for k, r in enumerate(its):
        a0.annotate(str(k), (r["x"], r["f"]), textcoords="offset points", xytext=(0, 6),
                    ha="center", fontsize=7)
    a0.set_title(f"f and the first {meta['steps_shown']} steps of clipped GD (Theorem 3)")
    a1.set_title(f"f': plateaus at the iterates, fall (s = -1) and rise (s = +1) between")
    for ax in (a0, a1):
        ax.set_xlabel("x")
        ax.legend(loc="upper left", fontsize=7)
    fig.tight_layout()
    return fig
