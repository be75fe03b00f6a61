"""The catalogue: the paper's theorems, the blog's steps and the later results, as claims.

Each entry records its source, its provenance tag (PAPER.md: Q quoted, R reconstructed,
D derived here, F follow-up) and the lab's *recorded expectation*. A reconstructed [R] bound
that the lab refutes is recorded as ``expected="refuted"`` with its counterexample, next to
the corrected claim.
"""

from __future__ import annotations

from functools import lru_cache

import mpmath
import sympy as sp
from hypothesis import strategies as st

from lab.claims import complexity as cx
from lab.claims import facts, inequalities as ineq
from lab.claims.claim import DELTA, EPS, L0, L1, M, Claim, Observation, Prove, Search
from lab.classes import make_member, witness_member, zoo_class
from lab.classes.precision import DPS, digits_for, refine
from lab.methods import eta_cl, eta_si, eta_star, gd, normalized_from_clipped, theorem3_clipped

PAPER = "Zhang, He, Sra, Jadbabaie, ICLR 2020 (arXiv 1905.11881)"
BLOG = "the blog note (seeds/001)"
VANKOV = "Vankov, Rodomanov, Nedich, Sankar, Stich 2024"

# --- bounds, as sympy expressions in (L0, L1, eps, Delta, M) ---------------------------------

#: Theorem 3 [R]: 20 L0 Δ/ε² + 20 max{1, L1²} Δ/L0.
THEOREM3_BOUND = 20 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0
#: Theorem 3 with both constants 20 weakened to 2 (false: the search must find out).
THEOREM3_WEAK_BOUND = 2 * L0 * DELTA / EPS**2 + 2 * sp.Max(1, L1**2) * DELTA / L0
#: Theorem 6 [R constant]: 4 (M L1 + L0) Δ/ε².
THEOREM6_BOUND = 4 * (M * L1 + L0) * DELTA / EPS**2
#: Vankov et al. [F], η* and η_si: 2 L0 Δ/ε² + 3 L1 Δ/ε.
VANKOV_SI_BOUND = 2 * L0 * DELTA / EPS**2 + 3 * L1 * DELTA / EPS
#: Vankov et al. [F], η_cl: 4 L0 Δ/ε² + 6 L1 Δ/ε.
VANKOV_CL_BOUND = 4 * L0 * DELTA / EPS**2 + 6 * L1 * DELTA / EPS


def _smoothness_facts() -> list[Claim]:
    table = "PAPER.md, reference facts"
    out = []

    def fact(name, title, zoo, L0_of, l1_values, *, tag="D", expected="holds", x_range=20.0,
             params=None, statement="", examples=(), sweep=True, notes=""):
        checks = [facts.smoothness_search(zoo, L0_of, l1_values, x_range, params, examples)]
        if sweep:
            checks.append(facts.frontier_sweep(zoo, L0_of, l1_values, params))
        out.append(Claim(
            name=name, title=title, source=table, tag=tag, kind="smoothness", expected=expected,
            statement=statement or title, checks=tuple(checks), function_class=zoo, notes=notes))

    fact("fact-quartic", "x^4 is (16/L1², L1)-smooth for every L1 > 0, and not below",
         "quartic", lambda l1: 16.0 / l1**2, (0.5, 1.0, 2.0, 4.0), x_range=50.0)
    fact("fact-cubic-lemma2", "x^3 is (3/L1, L1)-smooth for every L1 > 0 (Lemma 2)",
         "cubic", lambda l1: 3.0 / l1, (0.5, 1.0, 2.0), tag="Q/D", x_range=50.0)
    fact("fact-exp", "exp(x) is (0, L1)-smooth for every L1 >= 1", "exp", lambda l1: 0.0,
         (1.0, 2.0), x_range=200.0, sweep=False)
    fact("fact-exp-l1-below-1", "exp(x) is (L0, 0.9)-smooth with L0 = 1000",
         "exp", lambda l1: 1000.0, (0.9,), expected="refuted", x_range=200.0, sweep=False,
         notes="L1 >= 1 is necessary: e^x (1 - L1) <= L0 fails for large x")
    fact("fact-cosh", "cosh(x) is (1, L1)-smooth for every L1 >= 1", "cosh",
         lambda l1: 1.0, (1.0, 2.0, 4.0), x_range=200.0)
    fact("fact-exp-sum", "exp(x) + exp(-x) is (2, L1)-smooth for every L1 >= 1", "exp_sum",
         lambda l1: 2.0, (1.0, 2.0), x_range=200.0)
    fact("mistake-exp-sum-l0-zero", "exp(x) + exp(-x) is (0, 1)-smooth (a peer's constants)",
         "exp_sum", lambda l1: 0.0, (1.0,), expected="refuted", x_range=200.0, sweep=False,
         notes="f'(0) = 0 but f''(0) = 2: L0 > 0 is required")
    fact("fact-log-exp-sum", "log(e^x + e^-x) is (1, L1)-smooth for every L1 >= 0",
         "log_exp_sum", lambda l1: 1.0, (0.0, 1.0, 2.0), x_range=200.0)
    fact("mistake-log-exp-sum-l0-zero", "log(e^x + e^-x) is (0, 1)-smooth (a peer's constants)",
         "log_exp_sum", lambda l1: 0.0, (1.0,), expected="refuted", x_range=200.0,
         sweep=False, notes="f'(0) = 0 but f''(0) = 1")
    fact("fact-logistic", "log(1 + exp(-a x)) is (0, a)-smooth (a = 3)", "logistic",
         lambda l1: 0.0, (3.0,), params={"d": 1, "scale": 3.0}, x_range=60.0, sweep=False)
    fact("fact-exp-ridge", "exp(a x) is (0, a)-smooth (a = 2)", "exp_ridge", lambda l1: 0.0,
         (2.0,), params={"d": 1, "scale": 2.0}, x_range=100.0, sweep=False)
    fact("fact-witness", "w(x) = (L0/L1²)(e^{L1|x|} - L1|x| - 1) is exactly (L0, L1)-smooth "
         "(L0 = 1, L1 = 2)", "witness", lambda l1: 1.0, (2.0,), tag="F/D",
         params={"L0": 1.0, "L1": 2.0}, x_range=40.0,
         notes="equality w'' = L0 + L1|w'| everywhere: the worst ratio is 1")
    out.append(Claim(
        name="fact-xy-squared", title="x²y² is not (L0,L1)-smooth for any constants",
        source="PAPER.md, reference facts", tag="D", kind="smoothness", expected="holds",
        statement="for all L0, L1 >= 0 there is x with ||∇²f(x)|| > L0 + L1||∇f(x)||: on the axis "
        "x = 0, ∇f = 0 and ||∇²f|| = 2y²", checks=(facts.not_smooth_search(),),
        function_class="xy_squared"))
    return out


def _exp_member():
    return make_member("exp", L1=1.0, L0=0.0)


def _descent_claims() -> list[Claim]:
    out = []

    def exp_only():
        return st.just(_exp_member())

    # the blog's global forms, on exp with (0, 1): false
    def blog_first(instance, budget):
        m, x, r = instance
        return ineq.blog_first_order_observation(m, x, r)

    def exp_strategy():
        return st.tuples(st.just(_exp_member()), st.floats(-5, 5), st.floats(-10, 10))

    out.append(Claim(
        name="blog-first-order-global", title="|∇f(θ+Δ) - ∇f(θ)| <= (L0 + L1|∇f(θ)|)|Δ| for all Δ "
        "(exp, (0,1))", source=BLOG, tag="Q/D", kind="descent", expected="refuted",
        statement="the blog's first-order (L0,L1) condition, claimed for all Δ; false for exp "
        "with (0, 1) (θ = 0, Δ large)", checks=(Search(exp_strategy, blog_first),),
        function_class="exp with (L0, L1) = (0, 1)"))
    out.append(Claim(
        name="blog-descent-global", title="f(θ+Δ) <= f(θ) + ∇f(θ)Δ + (L0 + L1|∇f(θ)|)Δ²/2 for all "
        "Δ (exp, (0,1))", source=BLOG, tag="Q/D", kind="descent", expected="refuted",
        statement="the blog's descent inequality; for exp, θ = 0 and every Δ > 0, e^Δ - 1 - Δ > "
        "Δ²/2", checks=(Search(exp_strategy, lambda inst, b: ineq.descent_observation(
            ineq.model_blog, *inst)),), function_class="exp with (L0, L1) = (0, 1)",
        notes="false for every Δ > 0, not only for large Δ: the quadratic model is never an upper "
        "bound for exp; the corrected local statement is descent-trust-region"))
    def exp_local_strategy():
        return st.tuples(st.just(_exp_member()), st.floats(-5, 5),
                         st.floats(-1, 1).filter(lambda r: r != 0))

    out.append(Claim(
        name="blog-descent-local", title="the blog's descent inequality for |Δ| <= 1/L1 (exp, "
        "(0,1))", source="PAPER.md (\"true locally\")", tag="Q/D", kind="descent",
        expected="refuted", statement="f(θ+Δ) <= f(θ) + f'(θ)Δ + (L0 + L1|f'(θ)|)Δ²/2 for |Δ| <= "
        "1/L1", checks=(Search(exp_local_strategy, lambda inst, b: ineq.descent_observation(
            ineq.model_blog, *inst)),), function_class="exp with (L0, L1) = (0, 1)",
        notes="FINDING: not even true locally with the same constant: for exp, e^Δ - 1 - Δ > Δ²/2 "
        "for every Δ > 0. What holds locally is the trust-region form with A = 2, B = e - 1 "
        "(descent-trust-region)"))
    out.append(Claim(
        name="blog-descent-class", title="the blog's descent inequality on the whole class",
        source=BLOG, tag="Q/D", kind="descent", expected="refuted",
        statement="f(y) <= f(x) + f'(x)(y-x) + (L0 + L1|f'(x)|)(y-x)²/2 for every member with "
        "valid (L0, L1)", checks=(ineq.descent_search(ineq.model_blog),),
        function_class="1-D zoo members with valid (L0, L1)"))
    out.append(Claim(
        name="descent-exponential", title="f(y) <= f(x) + <∇f(x), y-x> + (L0 + L1 g)/L1² φ(L1 r)",
        source="tight descent lemma (PAPER.md, later results)", tag="F/D", kind="descent",
        expected="holds", statement="φ(t) = e^t - t - 1, g = ||∇f(x)||, r = ||y-x||; equality for "
        "the witness along +x", checks=(ineq.descent_search(ineq.model_exponential, examples=(
            # regression: the model e^t - t - 1 cancels in float and at 60 digits here
            (make_member("quartic", L1=0.5), 0.0, 3.800302594649501e-53),)),
         Prove("blog_condition_gap")), function_class="1-D zoo members with valid (L0, L1)"))
    out.append(Claim(
        name="descent-exponential-loose", title="f(y) <= f(x) + <∇f(x), y-x> + (L0 + L1 g)/2 "
        "e^{L1 r} r²", source="Chen et al. 2023; Gorbunov et al. 2024", tag="F", kind="descent",
        expected="holds", statement="the looser exponential descent lemma",
        checks=(ineq.descent_search(ineq.model_loose),),
        function_class="1-D zoo members with valid (L0, L1)"))
    out.append(Claim(
        name="descent-trust-region", title="for r <= 1/L1: f(y) <= f(x) + <∇f(x), y-x> + (2 L0 + "
        "(e-1) L1 g) r²/2", source="Zhang, Jin, Fang, Wang 2020", tag="F", kind="descent",
        expected="holds", statement="the trust-region form (T) with c = 1 (A = 2, B = e - 1), "
        "integrated: the blog's inequality corrected to hold locally",
        checks=(ineq.descent_search(ineq.model_trust_region,
                             radius=lambda m: 1.0 / m.L1 if m.L1 > 0 else 8.0),),
        function_class="1-D zoo members with valid (L0, L1)"))
    return out


def _step_claims() -> list[Claim]:
    out = []

    def clip_strategy():
        return st.tuples(ineq.positive_floats(1e-4, 1e3), ineq.positive_floats(1e-4, 1e3),
                         st.floats(0, 1e6))

    def factor2(instance, budget):
        eta, gamma, g = instance
        with mpmath.workdps(DPS):
            h_c, h_n = ineq.clipped_normalized_mp(mpmath.mpf(eta), mpmath.mpf(gamma),
                                                  mpmath.mpf(g))
            ok = ineq._le(h_c / 2, h_n) and ineq._le(h_n, 2 * h_c)
            ratio = float(max(h_c / (2 * h_n), h_n / (2 * h_c)))
        # the lab's implementation of both rules must agree with the formulas
        from lab.methods import clipped

        hc_f = float(clipped(eta=eta, gamma=gamma).step([g])[0])
        hn_f = float(normalized_from_clipped(eta=eta, gamma=gamma).step([g])[0])
        impl = (abs(hc_f - float(h_c)) <= 1e-12 * float(h_c)
                and abs(hn_f - float(h_n)) <= 1e-12 * float(h_n))
        return Observation(ok and impl, ratio, f"eta_c = {eta!r}, gamma = {gamma!r}, "
                           f"g = {g!r}", f"h_c = {float(h_c):.12g}, h_n = {float(h_n):.12g}"
                           f" (lab.methods: {hc_f:.12g}, {hn_f:.12g})")

    out.append(Claim(
        name="clip-normalized-factor2", title="h_c/2 <= h_n <= 2 h_c with γη_c = η_n, η_c = η_n/β",
        source=f"{PAPER}, Section 3", tag="Q", kind="step", expected="holds",
        statement="clipped and normalized GD are equivalent up to a factor 2 (in fact h_c/2 <= "
        "h_n <= h_c)", checks=(Search(clip_strategy, factor2), Prove("clipping_vs_normalized")),
        method="h_c = min{η, γη/g}, h_n = η_n/(g + β)"))

    def equal(instance, budget):
        eta, gamma, g = instance
        with mpmath.workdps(DPS):
            h_c, h_n = ineq.clipped_normalized_mp(mpmath.mpf(eta), mpmath.mpf(gamma),
                                                  mpmath.mpf(g))
            ratio = float(max(h_c / h_n, h_n / h_c))
        return Observation(ratio <= 1 + 1e-9, ratio, f"eta_c = {eta!r}, gamma = {gamma!r}, "
                           f"g = {g!r}", f"h_c = {float(h_c):.12g}, h_n = {float(h_n):.12g}")

    out.append(Claim(
        name="blog-clip-normalized-equal", title="clipped and normalized steps are equal "
        "(\"equivalent\")", source=BLOG, tag="Q", kind="step", expected="refuted",
        statement="h_c = h_n under the parameter map", checks=(Search(clip_strategy, equal),),
        notes="only equivalent up to the factor 2"))

    def order_strategy():
        return st.tuples(ineq.positive_floats(1e-3, 1e3),
                         st.one_of(st.just(0.0), ineq.positive_floats(1e-3, 1e3)),
                         st.floats(0, 1e6))

    def ordering(instance, budget):
        l0, l1, g = instance
        with mpmath.workdps(DPS):
            cl, si, star, quad = ineq.steps_mp(mpmath.mpf(l0), mpmath.mpf(l1), mpmath.mpf(g))
            ok = ineq._le(cl, si) and ineq._le(si, star) and ineq._le(star, quad)
            ratio = float(max(cl / si, si / star, star / quad))
        label = f"L0 = {l0!r}, L1 = {l1!r}, g = {g!r}"
        detail = (f"eta_cl = {mpmath.nstr(cl, 15)}, eta_si = {mpmath.nstr(si, 15)}, "
                  f"eta* = {mpmath.nstr(star, 15)}, 1/(L0 + L1 g) = {mpmath.nstr(quad, 15)}")
        impl = True
        for make, ref in ((eta_cl, cl), (eta_si, si), (eta_star, star)):
            val = float(make(L0=l0, L1=l1).step([g])[0])
            impl = impl and abs(val - float(ref)) <= 1e-12 * float(ref)
        if not impl:
            detail += " (lab.methods disagrees with the formula)"
        return Observation(ok and impl, ratio, label, detail)

    out.append(Claim(
        name="step-ordering", title="η_cl <= η_si <= η* <= 1/(L0 + L1 g)",
        source="exponential-model steps (PAPER.md, methods)", tag="F/D", kind="step",
        expected="holds", statement="the clipping-like, simplified and exact exponential-model "
        "steps are ordered, and all are below the blog's quadratic-model step",
        checks=(Search(order_strategy, ordering), Prove("exponential_steps"))))

    def progress(instance, budget):
        m, x, which = instance
        f, fp, _ = m.mp()
        label = f"{m.label}, x = {x!r}, step {which}"

        def compute():
            xm = mpmath.mpf(x)
            gx = fp(xm)
            g = abs(gx)
            if g == 0:
                return (g, g, g)
            cl, si, star, _ = ineq.steps_mp(mpmath.mpf(m.L0), mpmath.mpf(m.L1), g)
            h = star if which == "eta_star" else si
            return (g, f(xm) - f(xm - h * gx), g**2 / (2 * m.L0 + 3 * m.L1 * g))

        g, gain, claimed = refine(compute)
        if g != 0:  # resolve f(x) - f(x+) at the size of the claimed decrease
            (fx,) = refine(lambda: (f(mpmath.mpf(x)),))
            g, gain, claimed = refine(compute, digits_for(fx, claimed))
        if g == 0:
            return Observation(True, None, label, "stationary start")
        with mpmath.workdps(DPS):
            ok = ineq._le(claimed, gain)
            ratio = ineq._ratio(claimed, gain)
        return Observation(ok, ratio, label,
                           f"f(x) - f(x+) = {mpmath.nstr(gain, 15)}, g²/(2L0 + 3L1 g) = "
                           f"{mpmath.nstr(claimed, 15)}")

    def progress_strategy():
        @st.composite
        def inst(draw):
            m = draw(zoo_class().members(positive_l0=False, allow_l_smooth=False))
            x = draw(st.floats(*m.start_interval))
            assume_nonzero = x if x != 0 else m.x_range / 2
            return m, assume_nonzero, draw(st.sampled_from(["eta_star", "eta_si"]))

        return inst()

    out.append(Claim(
        name="progress-one-step", title="f(x) - f(x+) >= g²/(2 L0 + 3 L1 g) with η* or η_si",
        source="exponential-model steps (PAPER.md, later results)", tag="F", kind="progress",
        expected="holds",
        statement="one step of GD with η* or η_si decreases f by at least g²/(2L0 + 3L1 g); "
        f"checked at {DPS} digits (float64 gives false failures: the slack is cubic)",
        checks=(Search(progress_strategy, progress, examples=(
            # regression: f(x) - f(x+) cancels inside the witness (needs ~180 digits)
            (witness_member(0.5, 0.5), 1.401298464324817e-45, "eta_star"),)),
         Prove("exponential_steps")), function_class="1-D zoo members with valid (L0, L1)",
        method="x+ = x - η ∇f(x), η = η* or η_si"))
    return out


def _iteration_claims() -> list[Claim]:
    out = []

    def t3(member, eps, delta, m):
        return theorem3_clipped(member.L0, member.L1)

    spec3 = cx.IterationBound(t3, THEOREM3_BOUND)
    # regression: Δ = cosh(x0) - 1 is 0 in float64 at x0 = -1e-46 (a zero bound)
    t3_examples = ((make_member("cosh", L1=1.0), -1.0208210947942578e-46, 1 / 3),)
    out.append(Claim(
        name="theorem3-clipped-gd", title="clipped GD, η_c = 1/(10L0), γ = min{1/η_c, 1/(10 L1 "
        "η_c)}: T_ε <= 20 L0Δ/ε² + 20 max{1, L1²}Δ/L0", source=f"{PAPER}, Theorem 3", tag="Q/R",
        kind="upper-bound", expected="holds", statement="iterations to ||∇f|| <= ε at most the "
        "[R] bound", checks=(cx.iteration_search(spec3, t3_examples), cx.iteration_sweep(spec3)),
        function_class="1-D zoo members with valid (L0 > 0, L1), f*, Δ = f(x0) - f*",
        method="theorem3_clipped(L0, L1)", bound=THEOREM3_BOUND))
    spec3w = cx.IterationBound(t3, THEOREM3_WEAK_BOUND)
    out.append(Claim(
        name="theorem3-weakened", title="Theorem 3 with the constants 20 weakened to 2 (false)",
        source=f"{PAPER}, Theorem 3, constants changed by the lab", tag="D", kind="upper-bound",
        expected="refuted", statement="T_ε <= 2 L0Δ/ε² + 2 max{1, L1²}Δ/L0: shows the search "
        "finds a too-small constant",
        checks=(cx.iteration_search(spec3w), cx.iteration_sweep(spec3w)),
        method="theorem3_clipped(L0, L1)", bound=THEOREM3_WEAK_BOUND))

    def normalized(member, eps, delta, m):
        c = theorem3_clipped(member.L0, member.L1)
        return normalized_from_clipped(c.params["eta"], c.params["gamma"])

    specn = cx.IterationBound(normalized, 2 * THEOREM3_BOUND)
    out.append(Claim(
        name="normalized-gd", title="normalized GD with Theorem 3's parameters mapped (η_n = "
        "γη_c, β = γ): T_ε <= 2 × Theorem 3's bound", source=f"{PAPER}, after Theorem 3 (statement "
        "omitted)", tag="R", kind="upper-bound", expected="holds",
        statement="since h_c/2 <= h_n <= h_c, the lab's reconstruction doubles Theorem 3's bound",
        checks=(cx.iteration_search(specn), cx.iteration_sweep(specn)),
        method="normalized_from_clipped(theorem3_clipped(L0, L1))", bound=2 * THEOREM3_BOUND))

    def t6(member, eps, delta, m):
        return gd(h=1.0 / (2.0 * (m * member.L1 + member.L0)))

    spec6 = cx.IterationBound(t6, THEOREM6_BOUND, positive_l0=False)
    out.append(Claim(
        name="theorem6-gd", title="GD with h = 1/(2(M L1 + L0)): T_ε <= 4 (M L1 + L0)Δ/ε²",
        source=f"{PAPER}, Theorem 6", tag="Q/R", kind="upper-bound", expected="holds",
        statement="M = sup ||∇f|| on the sublevel set of x0", checks=(cx.iteration_search(spec6),
                                                     cx.iteration_sweep(spec6)),
        method="theorem6_gd(L0, L1, M)", bound=THEOREM6_BOUND))
    si_text, cl_text = "2 L0Δ/ε² + 3 L1Δ/ε", "4 L0Δ/ε² + 6 L1Δ/ε"
    for name, rule, bound, label, pos, text in (
            ("vankov-eta-star", eta_star, VANKOV_SI_BOUND, "η*", False, si_text),
            ("vankov-eta-si", eta_si, VANKOV_SI_BOUND, "η_si", False, si_text),
            ("vankov-eta-cl", eta_cl, VANKOV_CL_BOUND, "η_cl", False, cl_text)):
        spec = cx.IterationBound(
            (lambda r: lambda member, eps, delta, m: r(L0=member.L0, L1=member.L1))(rule),
            bound, positive_l0=pos, allow_l_smooth=True)
        out.append(Claim(
            name=name, title=f"GD with {label}: T_ε <= {text}", source=VANKOV, tag="F",
            kind="upper-bound", expected="holds",
            statement=f"nonconvex complexity of GD with the step {label}",
            checks=(cx.iteration_search(spec), cx.iteration_sweep(spec)),
            method=f"{rule.__name__}(L0, L1)", bound=bound))
    return out


@lru_cache(maxsize=1)
def _catalog() -> tuple[Claim, ...]:
    claims = (_smoothness_facts() + _descent_claims() + _step_claims()
              + _iteration_claims())
    from lab.claims import stochastic

    claims += stochastic.claims()
    names = [c.name for c in claims]
    assert len(names) == len(set(names)), "claim names must be unique"
    return tuple(claims)


def catalog() -> list[Claim]:
    """Every catalogued claim, in a stable order.

    Examples
    --------
    >>> names = [c.name for c in catalog()]
    >>> "theorem3-clipped-gd" in names and "blog-descent-global" in names
    True
    """
    return list(_catalog())
