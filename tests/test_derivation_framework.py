"""The derivation checker: it accepts correct steps and rejects broken ones, naming the step.

Deliberately broken derivations (a wrong constant, a reversed inequality, a missing
hypothesis, a substitution outside the proved range) must fail loudly.
"""

from __future__ import annotations

import dataclasses
import sys

import pytest
import sympy as sp

from lab.derivation import (Algebra, Assumption, Chain, Cited, Derivation, DerivationError,
                            FromLemma, Given, Monotone, NoCounterexample, Numeric,
                            PositiveFactor, Rewrite, Step, Substitution, SumOfTerms, check,
                            rel, render_markdown)
from lab.derivation import lemmas as LM
from lab.derivation import registry
from lab.derivation.render import render_latex

x = sp.Symbol("x", real=True)
p = sp.Symbol("p", positive=True)
n = sp.Symbol("n", nonnegative=True)


def _derivation(*steps, name="demo"):
    return Derivation(name, "Demo", "A statement.", tuple(steps), "A conclusion.",
                      (("D", "made up for a test"),))


def _single(claim, why):
    return check(_derivation(Step("only", claim, why)))


def _failed_labels(report):
    return [r.label for r in report.failures]


# ------------------------------------------------------------------ single justifications


def test_algebra_equality_and_wrong_constant():
    assert _single(rel((p + 1)**2, "==", p**2 + 2 * p + 1), Algebra()).ok
    report = _single(rel((p + 1)**2, "==", p**2 + 3 * p + 1), Algebra())
    assert not report.ok and _failed_labels(report) == ["only"]
    assert "does not simplify to 0" in report.failures[0].detail


def test_algebra_inequality_and_reversed():
    assert _single(rel(p**2 + 1, ">=", 2 * p), Algebra()).ok  # (p - 1)^2 >= 0
    assert not _single(rel(p**2 + 1, "<", 2 * p), Algebra()).ok


def test_sum_of_terms_checks_the_sum_and_each_term():
    claim = rel(p**2 + n + 3, ">=", 3)
    assert _single(claim, SumOfTerms((p**2, n))).ok
    assert not _single(claim, SumOfTerms((p**2,))).ok  # the terms do not add up
    assert not _single(rel(p**2 - n + 3, ">=", 3), SumOfTerms((p**2, -n))).ok  # -n < 0


def test_no_counterexample_and_its_failure():
    assert _single(rel(x**2 - 2 * x + 1, ">=", 0),
                   NoCounterexample(x, sp.S.Reals)).ok
    report = _single(rel(x**2 - 2 * x, ">=", 0), NoCounterexample(x, sp.S.Reals))
    assert not report.ok and "not the empty set" in report.failures[0].detail


def test_monotone_proves_and_rejects_reversed_inequality():
    d = sp.Symbol("d", real=True)
    strict = Monotone(d, 0, Monotone(d, 0, Monotone(d, 0, Algebra())))
    assert _single(rel(sp.exp(d) - 1 - d - d**2 / 2, ">", 0), strict).ok
    report = _single(rel(sp.exp(d) - 1 - d - d**2 / 2, "<", 0), strict)
    assert not report.ok


def test_positive_factor_requires_a_positive_factor():
    assert _single(rel(sp.exp(x) * p, ">", 0), PositiveFactor(sp.exp(x), Algebra())).ok
    assert not _single(rel(-x * p, ">=", 0), PositiveFactor(x, Algebra())).ok


def test_numeric_step_is_certified_and_labelled():
    q = sp.Symbol("q", real=True)
    report = _single(rel(sp.log(1 + q), ">", q / (1 + q)), Numeric(q, sp.Rational(1, 10), 1))
    assert report.ok and report.numeric and "interval arithmetic" in report.numeric[0]
    text = render_markdown(_derivation(Step("only", rel(sp.log(1 + q), ">", q / (1 + q)),
                                            Numeric(q, sp.Rational(1, 10), 1))))
    assert "**numeric**" in text and "**Numeric** (certified, not symbolic)" in text
    # a false claim is not certified
    assert not _single(rel(sp.log(1 + q), ">", q), Numeric(q, sp.Rational(1, 10), 1)).ok


def test_assumptions_and_cited_facts_are_listed_at_the_top():
    d = _derivation(Step("a", rel(p, ">", 1), Assumption("p is large")),
                    Step("b", rel(p**2, ">", p), Cited("squares grow")))
    report = check(d)
    assert report.ok
    text = render_markdown(d, report)
    top = text.split("## Derivation")[0]
    assert "**Assumption** (step 1): p is large" in top
    assert "**Cited standard fact** (not machine-checked): squares grow" in top
    assert "0 of 2 steps verified; 1 assumption; 1 cited standard fact" in text


def test_chain_requires_matching_links_and_one_direction():
    steps = (Step("s1", rel(p, "<=", p + 1), Algebra()),
             Step("s2", rel(p + 1, "<", p + 2), Algebra()),
             Step("c", rel(p, "<", p + 2), Chain(("s1", "s2"))))
    assert check(_derivation(*steps)).ok
    broken = steps[:2] + (Step("c", rel(p, "<", p + 3), Chain(("s1", "s2"))),)
    assert _failed_labels(check(_derivation(*broken))) == ["c"]
    mixed = (Step("s1", rel(p, "<=", p + 1), Algebra()),
             Step("s2", rel(p + 1, ">=", p), Algebra()),
             Step("c", rel(p, "<=", p), Chain(("s1", "s2"))))
    assert _failed_labels(check(_derivation(*mixed))) == ["c"]


def test_substitution_respects_assumptions_and_proved_range():
    steps = (Step("base", rel(n**2, ">=", 0), Algebra()),
             Step("inst", rel((p + 1)**2, ">=", 0), Substitution("base", ((n, p + 1),))))
    assert check(_derivation(*steps)).ok
    bad = steps[:1] + (Step("inst", rel((x - 5)**2, ">=", 0),
                            Substitution("base", ((n, x - 5),))),)
    report = check(_derivation(*bad))
    assert _failed_labels(report) == ["inst"]
    assert "hypothesis is missing" in report.failures[0].detail
    # a claim proved on [0, 1/10] cannot be used at u = 1
    u = sp.Symbol("u", nonnegative=True)
    tenth = sp.Rational(1, 10)
    inner = NoCounterexample(u, sp.Interval(0, tenth))
    ranged = (Step("phi", rel(LM.phi(u), "<=", sp.Rational(5, 9) * u**2),
                   Monotone(u, 0, Monotone(u, 0, inner, end=tenth), end=tenth)),
              Step("use", rel(LM.phi(1), "<=", sp.Rational(5, 9)), Substitution("phi", ((u, 1),))))
    report = check(_derivation(*ranged))
    assert _failed_labels(report) == ["use"] and "lies in" in report.failures[0].detail


def test_lemma_with_a_missing_hypothesis_fails():
    a, b = sp.symbols("a b", real=True)
    steps = (Step("ab", rel(a, "<=", b), Assumption("a <= b")),
             Step("scaled", rel(p * a, "<=", p * b),
                  FromLemma(LM.SCALE, ((LM.A, a), (LM.B, b), (LM.C, p)),
                            (Algebra(), Given("ab")))))
    assert check(_derivation(*steps)).ok
    missing = steps[:1] + (Step("scaled", rel(p * a, "<=", p * b),
                                FromLemma(LM.SCALE, ((LM.A, a), (LM.B, b), (LM.C, p)),
                                          (Algebra(),))),)
    report = check(_derivation(*missing))
    assert _failed_labels(report) == ["scaled"]
    detail = report.failures[0].detail
    assert "hypothesis 2" in detail and "not justified" in detail
    negative = steps[:1] + (Step("scaled", rel(-p * a, "<=", -p * b),
                                 FromLemma(LM.SCALE, ((LM.A, a), (LM.B, b), (LM.C, -p)),
                                           (Algebra(), Given("ab")))),)
    assert _failed_labels(check(_derivation(*negative))) == ["scaled"]


def test_rewrite_needs_a_verified_equality():
    h = sp.Function("h", real=True)
    steps = (Step("def", rel(h(x), "==", x**2), Assumption("definition")),
             Step("base", rel(h(x) + 1, ">", 0), Assumption("given")),
             Step("rw", rel(x**2 + 1, ">", 0), Rewrite("base", ("def",))))
    assert check(_derivation(*steps)).ok
    bad = steps[:2] + (Step("rw", rel(x**2 + 1, ">", 0), Rewrite("base", ("base",))),)
    assert _failed_labels(check(_derivation(*bad))) == ["rw"]


def test_later_steps_cannot_use_a_failed_step_and_raise_names_it():
    steps = (Step("wrong", rel(p + p, "==", 3 * p), Algebra()),
             Step("uses", rel(p + p, "==", 3 * p), Given("wrong")))
    report = check(_derivation(*steps))
    assert _failed_labels(report) == ["wrong", "uses"]
    with pytest.raises(DerivationError, match=r"step 1 \(wrong\)"):
        report.raise_if_failed()


def test_duplicate_labels_fail():
    report = check(_derivation(Step("s", rel(p, "==", p), Algebra()),
                               Step("s", rel(p, "==", p), Algebra())))
    assert not report.ok and report.failures[0].index == 2


# ------------------------------------------------------------------ broken real derivations


def _module(name):
    """The loaded module proofs/NAME.py (through the registry)."""
    registry.load(name)
    return sys.modules[f"proofs.{name}"]


def _broken(name, label, *, upto=None, **changes):
    """Check derivation NAME with step LABEL changed, keeping the steps up to UPTO (or up
    to LABEL) so that the test stays fast."""
    derivation = registry.load(name)
    labels = [s.label for s in derivation.steps]
    stop = labels.index(upto or label) + 1
    steps = tuple(dataclasses.replace(s, **changes) if s.label == label else s
                  for s in derivation.steps[:stop])
    return check(dataclasses.replace(derivation, steps=steps))


def test_blog_derivation_with_a_wrong_constant_fails_at_that_step():
    mod = _module("blog_derivation")
    wrong = rel(mod.model.subs(mod.eta, 1 / mod.K), "==", -mod.g**2 / (3 * mod.K))
    report = _broken("blog_derivation", "min_value", claim=wrong)
    assert _failed_labels(report) == ["min_value"]
    assert "min_value" in report.summary()


def test_exponential_steps_with_a_reversed_inequality_fails():
    mod = _module("exponential_steps")
    reversed_claim = rel(2 / (2 + mod.q), ">", sp.log(1 + mod.q) / mod.q)
    report = _broken("exponential_steps", "si_le_star", claim=reversed_claim)
    assert _failed_labels(report) == ["si_le_star"]


def test_clipped_gd_with_a_missing_hypothesis_fails():
    """Dropping the trust-region restriction u <= 1/10 from the quadratic bound on phi
    (claiming it on all of [0, oo)) must fail: phi(u) <= 5u^2/9 is false for large u."""
    u = sp.Symbol("u", nonnegative=True)
    unrestricted = Monotone(u, 0, Monotone(u, 0, Algebra()))
    report = _broken("clipped_gd_complexity", "phi_quadratic", upto="decrease_c",
                     why=unrestricted)
    assert "phi_quadratic" in _failed_labels(report)
    # and everything that depends on it fails too, each step named
    assert {"phi_u", "phi_c", "decrease_u", "decrease_c"} <= set(_failed_labels(report))


def test_frontier_with_a_wrong_constant_fails():
    mod = _module("frontiers")
    wrong = rel(mod.excess(mod.quartic.subs(mod.x, mod.y), mod.y, mod.L1), "<=", 15 / mod.L1**2)
    report = _broken("frontiers", "x4_bound", claim=wrong)
    assert _failed_labels(report) == ["x4_bound"]


# ------------------------------------------------------------------ rendering


def test_render_is_deterministic_and_latex_renders():
    d = _derivation(Step("s", rel(p + p, "==", 2 * p), Algebra()))
    assert render_markdown(d) == render_markdown(d)
    tex = render_latex(d)
    assert tex.startswith("\\documentclass{article}") and tex.rstrip().endswith("\\end{document}")


def test_failed_derivation_renders_failure_marker():
    text = render_markdown(_derivation(Step("s", rel(p + p, "==", 3 * p), Algebra())))
    assert "**CHECK FAILED**" in text and "**FAILED**" in text


def test_given_must_cover_the_range_a_lemma_needs():
    """A claim proved on [0, 1/10] cannot discharge a hypothesis needed on all of [0, 1]."""
    t = LM.t
    steps = (Step("small", rel(t**2 - t / 10, "<=", 0),
                  NoCounterexample(t, sp.Interval(0, sp.Rational(1, 10)))),
             Step("integral", rel(sp.Integral(t**2 - t / 10, (t, 0, 1)), "<=",
                                  sp.Integral(0 * t, (t, 0, 1))),
                  FromLemma(LM.INTEGRAL_01, ((LM.U(t), t**2 - t / 10), (LM.V(t), 0 * t)),
                            (Given("small"), Algebra()))))
    report = check(_derivation(*steps))
    assert _failed_labels(report) == ["integral"]
    assert "does not cover" in report.failures[0].detail


def test_substitution_replaces_symbols_only():
    h = sp.Function("h", real=True)
    steps = (Step("base", rel(h(x)**2, ">=", 0), Assumption("squares")),
             Step("bad", rel(x**2, ">=", 0), Substitution("base", ((h(x), x),))))
    report = check(_derivation(*steps))
    assert _failed_labels(report) == ["bad"] and "Rewrite" in report.failures[0].detail
