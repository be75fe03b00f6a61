"""Checkers that decide a claim by sympy alone: :class:`~lab.derivation.steps.Algebra`,
:class:`~lab.derivation.steps.SumOfTerms`, :class:`~lab.derivation.steps.PositiveFactor`
and :class:`~lab.derivation.steps.NoCounterexample`."""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict
from lab.derivation.ranges import Range
from lab.derivation.relations import CheckFailure, is_zero, normal_form
from lab.derivation.signs import prove_sign, reparametrized


def _inequality(claim, what: str):
    kind, F = normal_form(claim)
    if kind not in ("ge", "gt"):
        raise CheckFailure(f"{what} proves an inequality, not {kind}")
    return kind, F


def check_algebra(claim, why: S.Algebra, ctx: Context) -> Verdict:
    """An equality by simplification; an inequality or ``!=`` by sign reasoning on the
    context's range."""
    kind, F = normal_form(claim)
    if kind == "eq":
        if is_zero(F):
            return Verdict("sympy: simplify(lhs - rhs) = 0")
        if any(is_zero(form) for form in reparametrized(F, ctx.needed)):
            return Verdict("sympy: lhs - rhs simplifies to 0 on the range")
        lhs, rhs = (sp.simplify(side.doit()) for side in claim.args)
        if lhs == rhs and lhs is not sp.nan:
            return Verdict("sympy: both sides evaluate to " + sp.sstr(lhs))
        raise CheckFailure("lhs - rhs does not simplify to 0: " + sp.sstr(sp.simplify(F)))
    if kind == "ne":
        for signed in (F, -F):
            ok, how = prove_sign(signed, strict=True, domain=ctx.needed)
            if ok:
                return Verdict(how)
        raise CheckFailure("cannot show lhs != rhs")
    if kind in ("ge", "gt"):
        ok, how = prove_sign(F, strict=(kind == "gt"), domain=ctx.needed)
        if ok:
            return Verdict(how)
        raise CheckFailure(how)
    raise CheckFailure(f"Algebra proves relations between expressions, not a {kind} claim")


def check_sum_of_terms(claim, why: S.SumOfTerms, ctx: Context) -> Verdict:
    """``big - small`` is the sum of the terms, each nonnegative (one strictly positive for
    a strict claim)."""
    kind, F = _inequality(claim, "SumOfTerms")
    if not is_zero(F - sp.Add(*why.terms)):
        raise CheckFailure("the difference is not the sum of the given terms: remainder "
                           + sp.sstr(sp.simplify(F - sp.Add(*why.terms))))
    verdict = Verdict(f"sum of {len(why.terms)} nonnegative terms")
    any_strict = kind != "gt"
    for i, term in enumerate(why.terms):
        sub = why.proofs[i] if i < len(why.proofs) else None
        if sub is None:
            if not prove_sign(term, strict=False, domain=ctx.needed)[0]:
                raise CheckFailure(f"term {i + 1} ({sp.sstr(term)}) not shown nonnegative")
            any_strict = any_strict or prove_sign(term, strict=True, domain=ctx.needed)[0]
            continue
        if not any_strict:
            try:
                verdict = verdict.joined(ctx.sub(S.rel(term, ">", 0), sub))
                any_strict = True
                continue
            except CheckFailure:
                pass
        try:
            verdict = verdict.joined(ctx.sub(S.rel(term, ">=", 0), sub))
        except CheckFailure as exc:
            raise CheckFailure(f"term {i + 1} ({sp.sstr(term)}): {exc}") from None
    if not any_strict:
        raise CheckFailure("no term is shown strictly positive")
    return verdict


def check_positive_factor(claim, why: S.PositiveFactor, ctx: Context) -> Verdict:
    """The factor is positive on the context's range; the rest has the claimed sign."""
    kind, F = _inequality(claim, "PositiveFactor")
    if not prove_sign(why.factor, strict=True, domain=ctx.needed)[0]:
        raise CheckFailure(f"the factor {sp.sstr(why.factor)} is not shown positive")
    rest = sp.simplify(F / why.factor)
    try:
        inner = ctx.sub(S.rel(rest, ">" if kind == "gt" else ">=", 0), why.rest)
    except CheckFailure as exc:
        raise CheckFailure(f"after removing the positive factor {sp.sstr(why.factor)}: "
                           f"{exc}") from None
    return Verdict(f"positive factor {sp.sstr(why.factor)} removed; then "
                   f"{inner.detail}").joined(inner)


def check_no_counterexample(claim, why: S.NoCounterexample, ctx: Context) -> Verdict:
    """``solveset`` of the negation on the interval is empty; the claim then holds for the
    variable in that interval (its range)."""
    if not isinstance(why.domain, sp.Interval):
        raise CheckFailure(f"NoCounterexample needs an Interval, not {sp.sstr(why.domain)}")
    kind, F = normal_form(claim)
    negations = {"eq": lambda: sp.Ne(F, 0), "ne": lambda: sp.Eq(F, 0), "ge": lambda: F < 0,
                 "gt": lambda: F <= 0}
    if kind not in negations:
        raise CheckFailure(f"NoCounterexample proves a relation, not a {kind} claim")
    found = sp.solveset(negations[kind](), why.var, why.domain)
    if found is not sp.S.EmptySet:
        raise CheckFailure(f"solveset of the negation on {sp.sstr(why.domain)} gives "
                           f"{sp.sstr(found)}, not the empty set")
    return Verdict(f"solveset: the negation has no solution for {why.var} in "
                   f"{sp.sstr(why.domain)}", Range.of((why.var, why.domain)))
