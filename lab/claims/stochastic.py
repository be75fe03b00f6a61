"""Theorem 4 (a lower bound for fixed-step GD), Theorem 7 (clipped SGD) and the stall of
clipped SGD under biased clipping (Koloskova et al.).

Theorem 4, ratio ``B / min_h max_f T_ε(f, h)``: for every step h of a geometric grid, the
worse of the two hard-family members must need at least B iterations (a run that never hits
needs more than its budget, which is at least ``floor(B) + 1``).

Theorem 7 is stochastic and reconstructed with low confidence; the lab checks the reading
"in expectation: ``(1/T) Σ_{k<T} E||∇f(x_k)|| <= 2ε`` once T reaches the bound" (the time
average estimated from every k-th iterate, k = T // 400, to keep memory small) with a
one-sided Hoeffding bound over seeds at confidence ``1 - δ``, ``δ = 10⁻³``: the claim is
refuted only when the sample mean exceeds ``2ε`` by more than
``G sqrt(ln(1/δ) / (2n))`` (G: the largest per-seed average, used as the range).
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import sympy as sp
from hypothesis import strategies as st

from lab.claims.claim import (DELTA, EPS, L0, L1, M, TAU, Budget, Claim, Observation, Search,
                              Sweep)
from lab.classes import make_member, witness_member
from lab.engine import run_batch
from lab.functions import hard_family, hard_family_gap
from lab.methods import gd, theorem3_clipped, theorem7_clipped_sgd

PAPER = "Zhang, He, Sra, Jadbabaie, ICLR 2020 (arXiv 1905.11881)"

#: Theorem 4 [R]: L1 M (Δ - 5ε/8) / (8 ε² (log M + 1)), natural log.
THEOREM4_BOUND = L1 * M * (DELTA - sp.Rational(5, 8) * EPS) / (8 * EPS**2 * (sp.log(M) + 1))
#: Theorem 7's Δ' [R]: Δ + (5 L0 + 2 L1 τ) τ² + 9 τ L0²/L1.
THEOREM7_DELTA = DELTA + (5 * L0 + 2 * L1 * TAU) * TAU**2 + 9 * TAU * L0**2 / L1
#: Theorem 7 [R, low confidence]: Δ' max{128 L1/ε, 4Δ'/ε⁴, (80 L0 + 512 L1 τ)/ε²}.
THEOREM7_BOUND = THEOREM7_DELTA * sp.Max(128 * L1 / EPS, 4 * THEOREM7_DELTA / EPS**4,
                                         (80 * L0 + 512 * L1 * TAU) / EPS**2)

#: the confidence parameter of the stochastic checks
DELTA_CONF = 1e-3


def _theorem4_grid(budget: Budget) -> list[tuple[float, float, float]]:
    # (8, 20, 0.2): the recorded counterexample (ratio 1.10 with a fine step grid)
    grid = [(1.0, 10.0, 0.1), (2.0, 10.0, 0.3), (8.0, 20.0, 0.2)]
    if budget.grid >= 6:
        grid += [(2.0, 30.0, 0.1), (4.0, 20.0, 0.2), (32.0, 50.0, 0.2), (1.0, 100.0, 0.5)]
    if budget.grid >= 12:
        grid += [(32.0, 50.0, 0.1), (32.0, 100.0, 0.2), (64.0, 100.0, 0.3)]
    return grid


@lru_cache(maxsize=256)
def theorem4_observation(l1: float, m: float, eps: float, budget: Budget, factor: float = 1.0,
                         slope: float = 2.0, run_past: float = 20.0) -> Observation:
    """At one (L1, M, ε): the step h of a geometric grid that minimises the worse member's
    T_ε, and the ratio ``bound / T_ε`` there (> 1: the lower bound is violated).

    ``factor`` scales the bound (the corrected claim uses 1/2); ``slope`` is the flat
    member's far-field slope in units of ε (:func:`lab.functions.hard_family`). Runs go on
    to ``run_past`` times the bound (20: the ratio measures tightness; a search uses less,
    since a violation only needs a run to stop before the bound). Deterministic, so cached:
    a search that meets the same instance again (shrinking does) does not run it again.

    Examples
    --------
    >>> from lab.claims.claim import BUDGETS
    >>> obs = theorem4_observation(8.0, 20.0, 0.2, BUDGETS["quick"])
    >>> obs.ok, round(obs.ratio, 3)
    (False, 1.022)
    """
    gap = hard_family_gap(l1, m)
    bound = float(_theorem4_bound(factor)(l1, m, eps, gap))
    if bound < 1:
        return Observation(True, None, f"hard_family(L1={l1}, M={m}, eps={eps})",
                           f"vacuous: bound = {bound:.4g} < 1")
    hs = np.geomspace(1e-4, 4.0, 12 * budget.grid)
    cap = int(min(budget.max_iter, max(math.floor(bound) + 1, run_past * bound)))
    worst_t = np.zeros(hs.size)  # max over members of T (cap + 1 for "never")
    for member in hard_family(L1=l1, M=m, eps=eps, slope=slope):
        r = run_batch(member, gd(h=hs), [member.info.start], eps=eps, max_iter=cap)
        t = np.where(r.hit >= 0, r.hit, cap + 1).astype(float)
        worst_t = np.maximum(worst_t, t)
    i = int(np.argmin(worst_t))
    t_min = worst_t[i]
    inconclusive = cap < bound and t_min > cap
    label = (f"hard_family(L1={l1}, M={m}, eps={eps}, slope={slope}), "
             f"best step h = {float(hs[i])!r}")
    never = t_min > cap
    detail = (f"Delta = {gap:.6g}, bound = {bound:.6g}, min over {hs.size} steps of "
              f"max over the two members of T_eps = "
              f"{'> ' + str(cap) if never else int(t_min)}")
    if inconclusive:
        return Observation(True, None, label, detail + " (inconclusive: cap)")
    return Observation(bool(t_min >= bound), float(bound / t_min), label, detail)


@lru_cache(maxsize=4)
def _theorem4_bound(factor: float):
    return sp.lambdify((L1, M, EPS, DELTA), factor * THEOREM4_BOUND, modules="math")


def theorem4_observations(budget: Budget, seed: int = 0, factor: float = 1.0,
                          slope: float = 2.0) -> list[Observation]:
    """:func:`theorem4_observation` at each (L1, M, ε) of a fixed grid (the sweep)."""
    return [theorem4_observation(l1, m, eps, budget, factor, slope)
            for l1, m, eps in _theorem4_grid(budget)]


#: The values a Theorem 4 search draws from (each list in the order hypothesis shrinks to).
THEOREM4_L1S = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0)
THEOREM4_MS = (10.0, 20.0, 50.0, 100.0)
THEOREM4_EPSS = (0.5, 0.3, 0.2, 0.1)


def theorem4_search(factor: float = 1.0, slope: float = 2.0) -> Search:
    """A hypothesis search over (L1, M, ε) for a violation of Theorem 4's lower bound.

    The values come from short lists (:data:`THEOREM4_L1S`, ...), so the compiled members
    are reused; generation is targeted at the ratio, and a violation shrinks towards the
    smallest L1, M and largest ε in the lists.
    """

    def strategy():
        return st.tuples(st.sampled_from(THEOREM4_L1S), st.sampled_from(THEOREM4_MS),
                         st.sampled_from(THEOREM4_EPSS))

    def evaluate(instance, budget: Budget) -> Observation:
        l1, m, eps = instance
        return theorem4_observation(l1, m, eps, budget, factor, slope, run_past=2.0)

    return Search(strategy, evaluate)


def remark5_observations(budget: Budget, seed: int = 0) -> list[Observation]:
    """Clipped GD (Theorem 3's parameters, L0 = 1) against the best fixed step on a grid, on
    the hard family, for growing M: ratio ``T_clip / min_h T_gd`` (worse member each)."""
    l1, eps = 2.0, 0.3
    ms = [10.0, 30.0, 100.0] + ([300.0] if budget.grid >= 6 else [])
    hs = np.geomspace(1e-4, 4.0, 12 * budget.grid)
    out, speedups = [], []
    for m in ms:
        family = hard_family(L1=l1, M=m, eps=eps)
        clip = theorem3_clipped(1.0, l1)
        t_clip, t_gd = 0, np.zeros(hs.size)
        for member in family:
            r = run_batch(member, clip, [member.info.start], eps=eps, max_iter=budget.max_iter)
            t_clip = max(t_clip, int(r.hit[0]) if r.hit[0] >= 0 else budget.max_iter + 1)
            r = run_batch(member, gd(h=hs), [member.info.start], eps=eps,
                          max_iter=budget.max_iter)
            t_gd = np.maximum(t_gd, np.where(r.hit >= 0, r.hit, budget.max_iter + 1))
        best = float(t_gd.min())
        label = f"hard_family(L1={l1}, M={m}, eps={eps})"
        detail = (f"clipped GD {clip!r}: T = {t_clip}; best fixed step h = "
                  f"{hs[int(np.argmin(t_gd))]:.4g}: T = "
                  f"{'> ' + str(budget.max_iter) if best > budget.max_iter else int(best)}")
        speedups.append(best / t_clip)
        out.append(Observation(True, None, label, detail))
    grows = all(b > a for a, b in zip(speedups, speedups[1:]))
    wins = speedups[-1] > 1
    out.append(Observation(grows and wins, 1 / speedups[-1],
                           f"speed-up of clipping over the best fixed step (largest M = "
                           f"{ms[-1]:g})",
                           ", ".join(f"M = {m:g}: {s:.3g}x" for m, s in zip(ms, speedups))
                           + (" (increasing in M)" if grows else " (NOT increasing in M)")))
    return out


def theorem7_observations(budget: Budget, seed: int = 0) -> list[Observation]:
    """Clipped SGD with Theorem 7's parameters, T = the bound, ``n = budget.seeds`` seeds."""
    bound_fn = sp.lambdify((L0, L1, EPS, DELTA, M, TAU), THEOREM7_BOUND, modules="math")
    cases = [("witness", {"L0": 1.0, "L1": 1.0}, 2.0, 0.5, 0.1),
             ("cosh", {}, 2.0, 0.5, 0.2),
             ("quartic", {}, 1.0, 0.5, 0.1)]
    if budget.grid >= 6:
        cases += [("exp_sum", {}, 1.5, 0.4, 0.3), ("witness", {"L0": 1.0, "L1": 2.0}, 1.0,
                                                   0.5, 0.05)]
    out = []
    for name, params, x0, eps, tau in cases:
        if name == "witness":
            member = witness_member(params["L0"], params["L1"])
        else:
            member = make_member(name, L1=1.0)
        delta = member.gap(x0)
        T = int(math.ceil(bound_fn(member.L0, member.L1, eps, delta, 0.0, tau)))
        label = f"{member.label}, x0 = {x0}, eps = {eps}, tau = {tau}, T = {T}"
        if T > budget.max_iter:
            out.append(Observation(True, None, label, "inconclusive: T above the cap"))
            continue
        method = theorem7_clipped_sgd(member.L0, member.L1, tau, T, noise="ball")
        n = budget.seeds
        every = max(1, T // 400)
        r = run_batch(member.objective, method, [[x0]] * n, eps=0.0, max_iter=T,
                      seeds=seed * 1_000_003 + np.arange(n), record_every=every)
        g = r.trajectory.grad_norm[r.trajectory.t < T]  # every k-th of x_0 .. x_{T-1}
        per_seed = g.mean(axis=0)
        mean = float(per_seed.mean())
        spread = float(per_seed.max()) * math.sqrt(math.log(1 / DELTA_CONF) / (2 * n))
        ok = mean - spread <= 2 * eps
        out.append(Observation(ok, mean / (2 * eps), label + f", {method!r}",
                               f"mean over {n} seeds of (1/T) sum ||grad f(x_k)|| = "
                               f"{mean:.4g} (Hoeffding margin {spread:.2g} at delta = "
                               f"{DELTA_CONF}) vs 2 eps = {2 * eps}"))
    return out


# --- the stall of clipped SGD (Koloskova, Hendrikx, Stich 2023) --------------------------------

#: zero-mean two-point noise: -1 with probability 3/4, +3 with probability 1/4 (|ξ| <= 3)
STALL_NOISE = ((-1, sp.Rational(3, 4)), (3, sp.Rational(1, 4)))


def stall_drift(x, gamma=1):
    """``E clip_γ(f'(x) + ξ)`` for ``f = x²/2`` and :data:`STALL_NOISE` (exact, sympy)."""
    def clip(v):
        return v if abs(v) <= gamma else gamma * sp.sign(v)
    return sum(p * clip(x + xi) for xi, p in STALL_NOISE)


def stall_observations(budget: Budget, seed: int = 0) -> list[Observation]:
    """The mean update vanishes at x* = 2/3 (exact), and simulated iterates stay near it."""
    xs = sp.Rational(2, 3)
    exact = stall_drift(xs)
    left, right = stall_drift(xs - sp.Rational(1, 10)), stall_drift(xs + sp.Rational(1, 10))
    stable = exact == 0 and left < 0 < right
    obs = [Observation(bool(stable), None, "f = x²/2, clip γ = 1, ξ ∈ {-1 (3/4), +3 (1/4)}",
                       f"E clip(f'(x*) + ξ) = {exact} at x* = 2/3 where f'(x*) = 2/3; drift "
                       f"{left} at x* - 0.1 and {right} at x* + 0.1 (a stable fixed point)")]
    # simulation: plain NumPy (the engine's noise models are symmetric or adversarial)
    rng = np.random.default_rng(seed)
    n, h, steps = budget.seeds, 0.01, 3000
    x = np.full(n, 2.0)
    for _ in range(steps):
        xi = np.where(rng.random(n) < 0.75, -1.0, 3.0)
        v = x + xi
        x = x - h * np.clip(v, -1.0, 1.0)
    near = np.abs(x - 2 / 3) <= 0.1
    frac = float(near.mean())
    # one-sided Hoeffding: the true probability is at least frac - margin w.p. 1 - delta
    margin = math.sqrt(math.log(1 / DELTA_CONF) / (2 * n))
    obs.append(Observation(frac - margin >= 0.5, None,
                           f"simulated, h = {h}, {steps} steps from x0 = 2, {n} seeds",
                           f"|x_T - 2/3| <= 0.1 (so |f'(x_T)| >= 0.56) for a fraction {frac:.3f} "
                           f"of seeds (Hoeffding margin {margin:.3f}; the claim: more than half)"))
    return obs


def claims() -> list[Claim]:
    """Theorem 4, Theorem 7 and the clipped-SGD stall."""
    return [
        Claim(
            name="theorem4-gd-lower", title="fixed-step GD: for every h some hard-family member "
            "needs >= L1 M (Δ - 5ε/8)/(8 ε² (log M + 1)) iterations", source=f"{PAPER}, Theorem 4",
            tag="Q/R", kind="lower-bound", expected="refuted",
            statement="L0 = 1, L1 >= 1, M > 1; the steep member (witness started at f' = M) and "
            "the flat one (slope ~2ε, same gap); ratio = bound / min_h max_f T_ε",
            checks=(theorem4_search(), Sweep(theorem4_observations)),
            function_class="hard_family(L1, M, eps)",
            method="gd(h), h on a log grid", bound=THEOREM4_BOUND,
            notes="FINDING: the lab's hard family does not exhibit the [R] bound: at L1 = 8, M = "
            "20, ε = 0.2, h = 0.0625 both members reach ε within 261 < 287 iterations (ratio up "
            "to 1.39 at L1 = 32, M = 50, ε = 0.1). The flat member's slope is about 2ε (too weak "
            "a family): see theorem4-gd-lower-sharp, where a slope of 1.1ε exhibits the bound, "
            "and theorem4-gd-lower-half"),
        Claim(
            name="theorem4-gd-lower-half", title="corrected: for every h some hard-family member "
            "needs >= L1 M (Δ - 5ε/8)/(16 ε² (log M + 1)) iterations",
            source=f"{PAPER}, Theorem 4, constant halved by the lab", tag="D",
            kind="lower-bound", expected="holds",
            statement="Theorem 4's [R] bound halved, on the lab's hard family; empirical (a grid "
            "of (L1, M, ε) and of steps), the largest ratio seen is about 0.7",
            checks=(Sweep(lambda b, s: theorem4_observations(b, s, factor=0.5)),),
            function_class="hard_family(L1, M, eps)", method="gd(h), h on a log grid",
            bound=THEOREM4_BOUND / 2),
        Claim(
            name="theorem4-gd-lower-sharp", title="with a flatter flat member (slope 1.1ε): for "
            "every h some hard-family member needs >= L1 M (Δ - 5ε/8)/(8 ε² (log M + 1)) "
            "iterations", source=f"{PAPER}, Theorem 4, hard family sharpened by the lab", tag="Q/R",
            kind="lower-bound", expected="holds", statement="the [R] bound itself, on "
            "hard_family(..., slope=1.1): the flat member needs about Δ/(κ²ε²h) iterations, "
            "(2/1.1)² ≈ 3.3 times more than with slope 2; empirical (a grid of (L1, M, ε) and of "
            "steps)", checks=(Sweep(lambda b, s: theorem4_observations(b, s, slope=1.1)),),
            function_class="hard_family(L1, M, eps, slope=1.1)", method="gd(h), h on a log grid",
            bound=THEOREM4_BOUND, notes="the refutation of theorem4-gd-lower was a weakness of "
            "the slope-2 family, not of the bound: with slope 1.1 the worst bound/T ratio "
            "measured on (L1, M, ε) in {(1,10,.1), (2,10,.3), (8,20,.2), (4,20,.2), (32,50,.1), "
            "(32,100,.2)} is 0.43"),
        Claim(
            name="remark5-clipping-faster", title="on the hard family, the speed-up of clipped GD "
            "over the best fixed step grows with M and exceeds 1 for large M", source=f"{PAPER}, "
            "Remark 5", tag="Q", kind="observation", expected="holds",
            statement="fixed-step GD is Ω((L1 M/log M + L0)Δ/ε²), clipped GD O(L0Δ/ε² + L1²Δ/L0): "
            "the speed-up grows with L1 M (for small M, Theorem 3's cautious η = 1/(10 L0) loses "
            "to a tuned fixed step); ratio = T_clip / min_h T_gd at the largest M",
            checks=(Sweep(remark5_observations),), function_class="hard_family(2, M, 0.3)",
            method="theorem3_clipped(1, L1) vs gd(h), h on a log grid"),
        Claim(
            name="theorem7-clipped-sgd", title="clipped SGD, Theorem 7's parameters: (1/T) Σ "
            "E||∇f(x_k)|| <= 2ε at T = Δ' max{128 L1/ε, 4Δ'/ε⁴, (80L0 + 512L1τ)/ε²}",
            source=f"{PAPER}, Theorem 7", tag="Q/R", kind="stochastic", expected="holds",
            statement="in expectation, checked over seeds with a Hoeffding bound (δ = 1e-3); the "
            "bound and the form of the guarantee are low-confidence reconstructions",
            checks=(Sweep(theorem7_observations),),
            function_class="1-D zoo members, noise uniform in the ball ||ξ|| <= τ",
            method="theorem7_clipped_sgd(L0, L1, tau, T)", bound=THEOREM7_BOUND,
            stochastic="expectation"),
        Claim(
            name="koloskova-clipped-sgd-stall", title="clipped SGD can stall away from "
            "stationarity", source="Koloskova, Hendrikx, Stich 2023", tag="F", kind="observation",
            expected="holds", statement="with zero-mean bounded noise, E clip(∇f + ξ) vanishes at "
            "a point where ∇f != 0; the iterates of clipped SGD stay there",
            checks=(Sweep(stall_observations),), function_class="f = x²/2",
            method="clipped SGD, γ = 1, h = 0.01", stochastic="high-probability"),
    ]
