"""Break-it tests: attempts to make the derivation checker accept a false statement.

Each test smuggles a claim that is false (checked independently, by numbers, in the test)
through a justification that once dropped a step's range of validity, or through a lemma
instantiated with wrong arguments; the checker must reject the smuggling step and name it.
"""

from __future__ import annotations

import dataclasses

import mpmath
import sympy as sp

from lab.derivation import (Algebra, Chain, Derivation, Given, Monotone, NoCounterexample,
                            PositiveFactor, Rewrite, Step, Substitution, check, rel, registry)
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
