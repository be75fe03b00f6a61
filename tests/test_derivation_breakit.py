"""Break-it tests: attempts to make the derivation checker accept a false statement.

Each test smuggles a claim that is false (checked independently, by numbers, in the test)
through a justification that once dropped a step's range of validity, or through a lemma
instantiated with wrong arguments; the checker must reject the smuggling step and name it.
"""

from __future__ import annotations

import dataclasses
import sys

import mpmath
import sympy as sp

from lab.derivation import (Algebra, Chain, Derivation, FromLemma, Given, Monotone,
                            NoCounterexample, Numeric, PositiveFactor, Rewrite, Step,
                            Substitution, check, registry, rel)
from lab.derivation import lemmas as LM

u = sp.Symbol("u", nonnegative=True)
TENTH = sp.Rational(1, 10)
PHI_BOUND = rel(LM.phi(u), "<=", sp.Rational(5, 9) * u**2)
PHI_PROOF = Monotone(u, 0, Monotone(u, 0, NoCounterexample(u, sp.Interval(0, TENTH)),
                                    end=TENTH), end=TENTH)
AT_ONE = rel(LM.phi(1), "<=", sp.Rational(5, 9))


def _derivation(*steps):
    return Derivation("breakit", "Break it", "A false statement.", tuple(steps), "None.",
                      (("D", "made up for a test"),))


def _failed(report):
    return [r.label for r in report.failures]


def test_phi_bound_at_one_is_false():
    """The smuggled statement phi(1) <= 5/9 is false: e - 2 > 5/9."""
    assert mpmath.e - 2 > mpmath.mpf(5) / 9


def test_phi_bound_holds_on_its_range_and_is_refused_outside():
    report = check(_derivation(Step("phi", PHI_BOUND, PHI_PROOF),
                               Step("use", AT_ONE, Substitution("phi", ((u, 1),)))))
    assert _failed(report) == ["use"] and "lies in" in report.failures[0].detail
    assert report.results[0].range.on(u) == (sp.Interval(0, TENTH),)


def test_smuggling_through_a_one_link_chain_is_refused():
    report = check(_derivation(Step("phi", PHI_BOUND, PHI_PROOF),
                               Step("laundered", PHI_BOUND, Chain(("phi",))),
                               Step("use", AT_ONE, Substitution("laundered", ((u, 1),)))))
    assert _failed(report) == ["use"]
    assert report.results[1].range.on(u) == (sp.Interval(0, TENTH),)


def test_smuggling_through_a_unit_positive_factor_is_refused():
    report = check(_derivation(Step("phi", PHI_BOUND, PHI_PROOF),
                               Step("laundered", PHI_BOUND, PositiveFactor(1, Given("phi"))),
                               Step("use", AT_ONE, Substitution("laundered", ((u, 1),)))))
    assert _failed(report) == ["use"]


def test_smuggling_through_a_nested_monotone_in_a_positive_factor_is_refused():
    report = check(_derivation(Step("phi", PHI_BOUND, PositiveFactor(1, PHI_PROOF)),
                               Step("use", AT_ONE, Substitution("phi", ((u, 1),)))))
    assert _failed(report) == ["use"]


def test_smuggling_through_a_rewrite_is_refused():
    v = sp.Symbol("v", nonnegative=True)
    report = check(_derivation(Step("phi", PHI_BOUND, PHI_PROOF),
                               Step("same", rel(v, "==", v), Algebra()),
                               Step("laundered", PHI_BOUND, Rewrite("phi", ("same",))),
                               Step("use", AT_ONE, Substitution("laundered", ((u, 1),)))))
    assert _failed(report) == ["use"]


def test_blog_condition_gap_step6_range_survives_and_delta_minus_one_is_refused():
    """Step 6 of blog_condition_gap holds only for d > 0; substituting d = -1 would claim
    e^theta (e^-1 - 1 + 1 - 1/2) > 0, which is false (e^-1 < 1/2)."""
    assert mpmath.exp(-1) - mpmath.mpf(1) / 2 < 0
    derivation = registry.load("blog_condition_gap")
    labels = [s.label for s in derivation.steps]
    step6 = derivation.steps[5]
    (d,) = [s for s in step6.claim.free_symbols if s.name in ("Delta", "d")]
    theta = [s for s in step6.claim.free_symbols if s.name == "theta"][0]
    false_claim = rel(sp.exp(theta) * (sp.exp(-1) - 1 + 1 - sp.Rational(1, 2)), ">", 0)
    steps = derivation.steps[:labels.index(step6.label) + 1] + (
        Step("laundered", step6.claim, Chain((step6.label,))),
        Step("minus_one", false_claim, Substitution("laundered", ((d, -1),))))
    report = check(dataclasses.replace(derivation, steps=steps))
    assert _failed(report) == ["minus_one"]
    assert report.results[5].range.on(d) == (sp.Interval.open(0, sp.oo),)


def _with_step(name, label, **changes):
    """Derivation NAME with step LABEL changed, up to that step (the rest would only fail
    because it uses it)."""
    derivation = registry.load(name)
    labels = [s.label for s in derivation.steps]
    steps = tuple(dataclasses.replace(s, **changes) if s.label == label else s
                  for s in derivation.steps[:labels.index(label) + 1])
    return check(dataclasses.replace(derivation, steps=steps))


def test_descent_lemma_with_an_inner_product_1000_times_too_negative_is_refused():
    """Instantiating the exponential descent lemma for the clipped step with ell = -1000 rho g
    (the claim re-instantiated to match) fails its hypothesis |ell| <= g r: a 1000x larger
    decrease cannot be read off the lemma."""
    from lab.derivation.relations import substitute

    derivation = registry.load("clipped_gd_complexity")
    mod = sys.modules["proofs.clipped_gd_complexity"]
    step = {s.label: s for s in derivation.steps}["model_c"]
    subs = tuple((old, -1000 * mod.rho * mod.g if old == LM.lin else new)
                 for old, new in step.why.subs)
    claim = substitute(LM.EXP_DESCENT.conclusion, dict(subs))
    report = _with_step("clipped_gd_complexity", "model_c", claim=claim,
                        why=dataclasses.replace(step.why, subs=subs))
    assert _failed(report) == ["model_c"]
    assert "hypothesis 1 of 2" in report.failures[0].detail
    # and the count of hypotheses checked is the true one when it passes
    assert "2 of 2 hypotheses checked" in check(derivation).results[
        [s.label for s in derivation.steps].index("model_c")].detail


def test_clipped_decrease_ten_times_larger_is_refused():
    """Making the clipped regime's decrease 10x larger everywhere it appears (8/9 rho g ->
    80/9 rho g, its floor a_c = 80/9 L0 rho^2 -> 800/9 L0 rho^2, so the bound's 9/80 -> 9/800)
    must fail at the step that claims it: the telescoping lemma takes its decrease from that
    checked step, so the false bound with 9/800 cannot follow. (The true decrease is at most
    rho g, so 80/9 rho g is false: checked by numbers below.)"""
    from lab.derivation.planted import deep_replace

    derivation = registry.load("clipped_gd_complexity")
    tenfold = {}
    for value in (sp.Rational(8, 9), sp.Rational(80, 9)):  # the decrease and its floor a_c
        tenfold |= {value: 10 * value, -value: -10 * value}
    tenfold |= {sp.Rational(9, 80): sp.Rational(9, 800), -sp.Rational(9, 80): -sp.Rational(9, 800)}
    steps = tuple(deep_replace(s, tenfold) for s in derivation.steps)
    assert steps != derivation.steps
    report = check(dataclasses.replace(derivation, steps=steps))
    failed = _failed(report)
    assert "dec_c" in failed and "T_derived" in failed and "headline" in failed
    assert not report.ok
    # independently: the tenfold decrease claim of step dec_c is false at some point
    from lab.derivation.sampling import numeric_truth

    position = [s.label for s in derivation.steps].index("dec_c")
    assert numeric_truth(steps[position].claim, report.results[position].range
                         if report.results[position].ok else check(derivation).results[
                             position].range)[0] == "false"


def test_integral_to_a_negative_upper_end_is_refused():
    """Found by the planted-error sweep: integral monotonicity over [0, s] needs s >= 0; for
    s = -1 the claim int_0^s t dt <= int_0^s (t + 1) dt reads 1/2 <= -1/2, false."""
    s = sp.Symbol("s", real=True)
    t = LM.t
    false_at = (sp.integrate(t, (t, 0, -1)), sp.integrate(t + 1, (t, 0, -1)))
    assert false_at[0] > false_at[1]
    claim = rel(sp.Integral(t, (t, 0, s)), "<=", sp.Integral(t + 1, (t, 0, s)))
    lemma = LM.integral_monotone(t, s)
    why = FromLemma(lemma, ((LM.U(t), t), (LM.V(t), t + 1)), (Algebra(), Algebra()))
    report = check(_derivation(Step("negative", claim, why,
                                    where=((s, sp.Interval(-1, 0)),))))
    assert _failed(report) == ["negative"] and "hypothesis 2 of 2" in report.failures[0].detail
    assert check(_derivation(Step("positive", claim, why,
                                  where=((s, sp.Interval(0, 1)),)))).ok


def test_numeric_certificate_encloses_its_constants():
    """x - 1/3 >= 0 is false at x = fl(1/3), the double nearest 1/3 (which is below 1/3). A
    constant rounded to 53 bits before entering the interval arithmetic (as 1/3 once was)
    certifies it; enclosed exactly, it is refused."""
    x = sp.Symbol("x", real=True)
    below = sp.Rational(1 / 3)  # the exact value of the double
    assert below < sp.Rational(1, 3)
    report = check(_derivation(Step("third", rel(x - sp.Rational(1, 3), ">=", 0),
                                    Numeric(x, below, 1, max_pieces=64))))
    assert _failed(report) == ["third"]
    assert report.failures[0].detail.startswith("interval arithmetic")
    assert check(_derivation(Step("third", rel(x - sp.Rational(1, 3), ">=", 0),
                                  Numeric(x, sp.Rational(1, 3) + sp.Rational(1, 10**30), 1)))).ok
