"""The figures' captions, with every number read from the data modules (pure text).

A caption names the configuration and the constants a figure was computed with; those
numbers come from where the data modules define them (:mod:`~lab.figures.classes`,
:mod:`~lab.figures.smoothness_data`, :mod:`~lab.figures.trajectory_data`,
:mod:`~lab.figures.frontier_data`, :mod:`~lab.figures.descent_data`), so a changed constant
changes its caption too.
"""

from __future__ import annotations

import math
from fractions import Fraction

from lab.figures import classes, descent_data, frontier_data, smoothness_data, trajectory_data
from lab.figures.style import method_label
from lab.methods import theorem3_clipped

#: how a caption writes a zoo member
DISPLAY = {"quartic": "x⁴", "exp": "exp", "witness": "the witness w"}

#: the methods of figures a and b, in legend order
COMPLEXITY_METHODS = ("gd_best", "gd_thm6", "clipped_thm3", "clipped_tuned", "normalized",
                      "eta_star")


def number(value: float) -> str:
    """A constant as captions write it: ``%g``, and negative powers of ten as ``1e-k``.

    Examples
    --------
    >>> number(5.0), number(0.01), number(0.5), number(4.0)
    ('5', '1e-2', '0.5', '4')
    """
    if 0 < value < 0.1:
        exponent = round(math.log10(value))
        if math.isclose(value, 10.0 ** exponent):
            return f"1e{exponent}"
    return f"{value:g}"


def levels_text() -> str:
    """The start levels of the complexity classes: ``M, M/4, M/16``.

    Examples
    --------
    >>> levels_text()
    'M, M/4, M/16'
    """
    return ", ".join("M" if c == 1 else f"M/{number(1 / c)}" for c in classes.LEVELS)


def complexity_caption(xkey: str, config_name: str, seed: int, cap: int, hard: dict) -> str:
    """Figures a (``xkey = "M"``) and b (``"eps"``); ``hard`` is the hard class's summary.

    Examples
    --------
    >>> complexity_caption("eps", "quick", 0, 1000, {})[:60]
    "Worst-case iterations to |f'| <= ε over each class against ε"
    """
    what = "M" if xkey == "M" else "ε"
    h, q, e = (classes.get_class(n) for n in ("hard", "quartic", "exp"))
    k = classes.HARD_SLOPE
    flat = f"{number(k)}ε(√(x²+{number(k * k)}ε²) - {number(k)}ε)"
    text = (
        f"Worst-case iterations to |f'| <= ε over each class against {what}, log-log "
        f"(config '{config_name}', seed {seed}; NumPy engine). Classes: Theorem 4's hard "
        f"family with (L0, L1) = ({number(h.L0)}, {number(h.L1)}) (steep member started at "
        f"gradient {levels_text()}; flat member {flat} with the same gap), x⁴ with "
        f"({number(q.L0)}, {number(q.L1)}) and exp with ({number(e.L0)}, {number(e.L1)}), "
        f"each started where |f'| = {levels_text()}. Methods: "
        + "; ".join(method_label(m) for m in COMPLEXITY_METHODS)
        + ". 'Best single step' = the h of a geometric grid (with Theorem 6's step) with the "
        "smallest worst case over the class; 'tuned γ' likewise over a γ grid with Theorem 3's "
        f"η_c. Runs still going after {cap} iterations are censored (hollow "
        "triangles). Bounds: Theorem 3 20L0Δ/ε² + 20max(1,L1²)Δ/L0, Theorem 4 "
        "L1M(Δ-5ε/8)/(8ε²(log M+1)) (hard family only), Theorem 6 4(ML1+L0)Δ/ε², and "
        "2L0Δ/ε² + 3L1Δ/ε."
    )
    if xkey != "M":
        return text
    text += (" Right panel: best fixed-step GD over clipped GD. On exp alone a huge "
             "fixed step jumps in one iteration to where e^x <= ε (exp has no "
             "minimizer), so that class is easy for GD; the hard family is what forces "
             "the trade-off between overshooting the steep member and crawling on the "
             "flat one.")
    if "ratio_gd_best_over_clipped_thm3" in hard:
        text += (
            f" Hard family at M = {hard['at_M']:g}: best fixed-step GD needs "
            f"{hard['iterations_gd_best']} iterations, clipped GD (Theorem 3) "
            f"{hard['iterations_clipped_thm3']} (ratio "
            f"{hard['ratio_gd_best_over_clipped_thm3']:.2f}), tuned clipped GD "
            f"{hard['iterations_clipped_tuned']}; log-log slopes in M: GD "
            f"{hard.get('slope_gd_best', float('nan')):.2f}, clipped "
            f"{hard.get('slope_clipped_thm3', float('nan')):.2f}."
        )
    return text


def smoothness_caption(meta: list[dict], max_iter: int, above: list[str]) -> str:
    """Figure c: ``meta`` from :func:`~lab.figures.smoothness_data.figure_c_data`.

    Examples
    --------
    >>> "α in {1/4, 1/2, 3/4}" in smoothness_caption([], 100, [])
    True
    """
    n = smoothness_data.N_ALPHA
    alphas = ", ".join(str(Fraction(i, n + 1)) for i in range(1, n + 1))
    unstated = [m["function"].replace("_", " ") for m in meta if
                not any(c[0] == m["function"] and c[3] for c in smoothness_data.CASES)]
    text = (
        "The paper's Figure 1 on synthetic functions: the local-smoothness estimate "
        "L̂_k = max_α ||∇f(x_k + (1-α)d) - ∇f(x_k)|| / ((1-α)||d||), d = x_{k+1} - x_k, "
        f"α in {{{alphas}}}, against ||∇f(x_k)||, coloured by iteration, along clipped-GD "
        "runs: " + "; ".join(f"{m['function']} from {m['start']} (η = {m['eta']:g}, "
                             f"γ = {m['gamma']:g}, ε = {m['eps']:g})" for m in meta)
        + f" (at most {max_iter} iterations; points thinned log-uniformly in k). "
        "Grey: the exact Hessian norm; dashed: L0 + L1||∇f|| for a valid pair"
        + "".join(f" ({name}: L1 = {number(smoothness_data.DEFAULT_L1)} and the certifier's "
                  "L0)" for name in unstated) + "."
    )
    if above:
        text += (" The exact Hessian norm rises above the dashed line for "
                 f"{', '.join(above)}: that pair is not valid (see figure e).")
    return text


def trajectories_caption(summary: list[dict]) -> str:
    """Figure d: the cases of :data:`~lab.figures.trajectory_data.CASES` and their runs.

    Examples
    --------
    >>> trajectories_caption([])[:79]
    'Iterates x_t and f(x_t) - f* against t on x⁴ (from x0 = 5, (L0, L1) = (1, 4), ε'
    """
    cases = []
    for i, (name, x0, (L0, L1), eps, _) in enumerate(trajectory_data.CASES):
        pair = f"{'(L0, L1) = ' if i == 0 else ''}({number(L0)}, {number(L1)})"
        cases.append(f"{DISPLAY.get(name, name)} (from x0 = {number(x0)}, {pair}, "
                     f"ε = {number(eps)})")
    return (
        f"Iterates x_t and f(x_t) - f* against t on {' and '.join(cases)} for GD with "
        "Theorem 6's step (M = |f'(x0)|), clipped GD with Theorem 3's parameters, normalized "
        "GD with the paper's map and GD with η*. Legend: iterations to ε. Runs: "
        + "; ".join(f"{s['function']} {s['params']}: {s['hit']}" for s in summary) + "."
    )


def frontier_caption(l1_grid, seed: int, bad: list[str]) -> str:
    """Figure e: the L1 grid, the sampling of the cross-check, the contradictions found.

    Examples
    --------
    >>> "20001-point grid on [-30, 30]" in frontier_caption([1.0], 0, [])
    True
    """
    n, w = frontier_data.SAMPLES, frontier_data.GRID_HALF_WIDTH
    low, high = frontier_data.SCALES
    text = (
        "Smallest valid L0 against L1 for each zoo member (default parameters; the hard "
        "family is left out), from the stated closed form or the certifier "
        f"(lab.smoothness.min_valid_l0) at L1 in {list(l1_grid)}. Cross-check: the "
        "largest ||∇²f|| - L1||∇f|| over sample points (1-D: "
        f"{2 * (n // 2) + 1}-point grid on [{number(-w)}, {number(w)}]; d > 1: {n} Gaussian "
        f"points at scales {number(low)}-{number(high)}, seed {seed}) is a lower bound on "
        "the true frontier; crosses mark where it exceeds the stated L0."
    )
    if bad:
        text += (f" Contradictions found for: {', '.join(bad)} (the stated/certified "
                 "frontier is too low there).")
    return text


def descent_caption(summary: dict) -> str:
    """Figure f: the cases of :data:`~lab.figures.descent_data.CASES` and the key numbers.

    Examples
    --------
    >>> s = {"exp": {"true_over_quadratic_at_r_max": 2.0, "max_rel_error_exponential": 0.0}}
    >>> descent_caption(s)[:60]
    'True gap f(x+Δ) - f(x) - <∇f(x), Δ> against ||Δ|| along +x, '
    """
    cases = []
    for i, (name, _, x, (L0, L1)) in enumerate(descent_data.CASES):
        pair = f"({number(L0)}, {number(L1)})"
        display = DISPLAY.get(name, name)
        cases.append(f"{display} at x = {number(x)} with (L0, L1) = {pair}" if i == 0 else
                     f"{display} with {pair} at x = {number(x)}")
    worst = max(s["max_rel_error_exponential"] for s in summary.values())
    return (
        "True gap f(x+Δ) - f(x) - <∇f(x), Δ> against ||Δ|| along +x, for "
        + " and for ".join(cases) + ", against the blog's "
        "quadratic bound (L0 + L1 g)Δ²/2, the trust-region bound (2L0 + (e-1)L1 g)Δ²/2 "
        "(valid for Δ <= 1/L1), the exponential bound (L0 + L1 g)/L1² φ(L1Δ), "
        "φ(t) = e^t - t - 1, and (L0 + L1 g)/2 e^{L1Δ}Δ². The blog's curve lies below the "
        f"true gap for every Δ > 0 on both (at Δ = {number(descent_data.R_MAX)} the true gap "
        f"is {summary['exp']['true_over_quadratic_at_r_max']:.2f}x the blog's bound for exp); "
        "the exponential bound is attained (largest relative difference "
        f"{worst:.1e})."
    )


def tightness_caption(note: str) -> str:
    """Figure g; ``note`` says where the verdicts come from.

    Examples
    --------
    >>> tightness_caption("Claims checked with budget 'quick', seed 0.")[-43:]
    "Claims checked with budget 'quick', seed 0."
    """
    return ("Observed/bound ratio of the complexity claims (lab.claims.check_all; "
            "kinds upper-bound, lower-bound, stochastic; for lower bounds bound/observed), "
            "log scale: every instance of a sweep (dots) or the worst ratio a search found "
            "(hollow diamonds), and beside them (stars) the worst ratio the whole-class "
            "adversary certified on every univariate (L0,L1)-smooth function (python -m lab "
            "check NAME --whole); a run that never reached eps has no finite ratio and is "
            "drawn at the right edge as a lower bound (triangles); red: > 1, a violation. "
            + note)


def worst_member_caption(budget: str, meta: dict) -> str:
    """Figure h: the whole-class adversary's worst member for Theorem 3's clipped GD.

    The per-step gain ``(η L0 - (η L0)²/4) g²/L0`` of the design, with Theorem 3's η, gives
    the caption's ``T_ε ≈ c L0Δ/ε²`` (``c = 1/(η L0 - (η L0)²/4)``).

    Examples
    --------
    >>> meta = {"L0": 1.0, "L1": 1.0, "t": 100, "bound": 200.0, "ratio": 0.5, "eps": 0.1,
    ...         "delta": 1.0, "steps_shown": 10, "recipe": "..."}
    >>> "T_ε ≈ 10.26 L0Δ/ε²" in worst_member_caption("quick", meta)
    True
    """
    eta_l0 = theorem3_clipped(meta["L0"], meta["L1"]).params["eta"] * meta["L0"]
    steps = 1.0 / (eta_l0 - eta_l0 ** 2 / 4)
    return (
        "The whole-class adversary's worst case for clipped GD with Theorem 3's parameters "
        f"(η = 1/(10L0), γ = min(10L0, L0/L1)), (L0, L1) = ({meta['L0']:g}, {meta['L1']:g}), "
        f"adversary budget '{budget}': a member with T_ε = {meta['t']} against the bound "
        f"B = {meta['bound']:.6g} (T_ε/B = {meta['ratio']:.4f}; ε = {meta['eps']:.4g}, "
        f"Δ = {meta['delta']:.4g}), certified by replay in the engine and in mpmath. Drawn: "
        f"the same design shortened to {meta['steps_shown']} steps. Every iterate sits on a "
        "plateau f' = g (just above ε); between iterates f' falls at the full rate "
        "L0 + L1|f'| and rises back, so each step gains as little as the class allows: "
        f"about (η L0 - (η L0)²/4) g²/L0 per step, i.e. T_ε ≈ {steps:.2f} L0Δ/ε² for the "
        "[R] bound's 20 L0Δ/ε². Member: " + meta["recipe"])
