"""The catalogue: the paper's theorems, the blog's steps and the later results, as claims.

Each entry records its source, its provenance tag (PAPER.md: Q quoted, R reconstructed,
D derived here, F follow-up) and the lab's *recorded expectation*. A reconstructed [R] bound
that the lab refutes is recorded as ``expected="refuted"`` with its counterexample, next to
the corrected claim.

Every claim that fits the claim-file format is stored as a file in ``lab/claims/catalogue/``
(package data), so each run of the catalogue exercises the format; the claims built here are
those with no class to state or with a special check.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from typing import Any

import mpmath
from hypothesis import strategies as st

from lab.claims import inequalities as ineq
from lab.claims import facts, stochastic
from lab.claims.claim import Claim, Observation, Prove, Search
from lab.claims.files import catalogue_dir, load_claims
from lab.classes import make_member, witness_member, zoo_class
from lab.classes.precision import DPS, digits_for, refine
from lab.errors import LabInputError
from lab.methods import clipped, eta_cl, eta_si, eta_star, normalized_from_clipped

PAPER = "Zhang, He, Sra, Jadbabaie, ICLR 2020 (arXiv 1905.11881)"
BLOG = "the blog note (seeds/001)"

def _not_smooth_facts() -> list[Claim]:
    return [Claim(
        name="fact-xy-squared", title="x²y² is not (L0,L1)-smooth for any constants",
        source="PAPER.md, reference facts", tag="D", kind="smoothness", expected="holds",
        statement="for all L0, L1 >= 0 there is x with ||∇²f(x)|| > L0 + L1||∇f(x)||: on the axis "
        "x = 0, ∇f = 0 and ||∇²f|| = 2y²", checks=(facts.not_smooth_search(),),
        function_class="xy_squared")]


def _exp_member():
    return make_member("exp", L1=1.0, L0=0.0)


def _descent_claims() -> list[Claim]:
    out = []

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
    return out + _progress_claims()


def _progress_claims() -> list[Claim]:
    """One-step progress of GD with η* or η_si (checked in high precision)."""
    out = []

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


#: The catalogue's order. Claims stated in files are in ``lab/claims/catalogue/NAME.toml``;
#: the others (no class or a special check: the step rules, one-step progress, the hard
#: family of Theorem 4, Remark 5, the stochastic claims, x²y², the first-order form) are
#: built in this module and in :mod:`lab.claims.stochastic`.
ORDER = (
    "fact-quartic", "fact-cubic-lemma2", "fact-exp", "fact-exp-l1-below-1", "fact-cosh",
    "fact-exp-sum", "mistake-exp-sum-l0-zero", "fact-log-exp-sum",
    "mistake-log-exp-sum-l0-zero", "fact-logistic", "fact-exp-ridge", "fact-witness",
    "fact-xy-squared",
    "blog-first-order-global", "blog-descent-global", "blog-descent-local",
    "blog-descent-class", "descent-exponential", "descent-exponential-loose",
    "descent-trust-region",
    "clip-normalized-factor2", "blog-clip-normalized-equal", "step-ordering",
    "progress-one-step",
    "theorem3-clipped-gd", "theorem3-weakened", "normalized-gd", "theorem6-gd",
    "vankov-eta-star", "vankov-eta-si", "vankov-eta-cl",
    "theorem4-gd-lower", "theorem4-gd-lower-half", "theorem4-gd-lower-sharp",
    "remark5-clipping-faster", "theorem7-clipped-sgd", "koloskova-clipped-sgd-stall",
)


@lru_cache(maxsize=1)
def _catalog() -> tuple[Claim, ...]:
    built = (_not_smooth_facts() + _descent_claims() + _step_claims() + stochastic.claims())
    claims = {c.name: c for c in built}
    for c in load_claims(catalogue_dir()):
        assert c.name not in claims, f"claim {c.name} is both in a file and in Python"
        claims[c.name] = c
    assert sorted(claims) == sorted(ORDER), "every catalogued claim is in ORDER exactly once"
    return tuple(claims[name] for name in ORDER)


def catalog() -> list[Claim]:
    """Every catalogued claim, in a stable order (:data:`ORDER`).

    Examples
    --------
    >>> names = [c.name for c in catalog()]
    >>> "theorem3-clipped-gd" in names and "blog-descent-global" in names
    True
    """
    return list(_catalog())


def get_claim(name: Any) -> Claim:
    """The catalogued claim called ``name``.

    Raises
    ------
    LabInputError
        For an unknown name; the message lists the known ones.

    Examples
    --------
    >>> get_claim("theorem3-clipped-gd").tag
    'Q/R'
    """
    claims = {c.name: c for c in catalog()}
    if not isinstance(name, str) or name not in claims:
        close = difflib.get_close_matches(str(name), claims, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise LabInputError(f"unknown claim {name!r}{hint}; known claims: "
                            f"{', '.join(claims)}")
    return claims[name]
