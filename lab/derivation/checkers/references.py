"""Checkers that reuse earlier steps: :class:`~lab.derivation.steps.Given`,
:class:`~lab.derivation.steps.Chain`, :class:`~lab.derivation.steps.Rewrite` and
:class:`~lab.derivation.steps.Substitution`. Each returns the ranges of the steps it used
(intersected); a substitution must put every substituted value inside the source's range."""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict
from lab.derivation.ranges import Range, contains_value
from lab.derivation.relations import CheckFailure, is_zero, same_claim, substitute
from lab.derivation.signs import prove_sign


def check_given(claim, why: S.Given, ctx: Context) -> Verdict:
    """The claim is the earlier step (up to simplification), with that step's range."""
    source = ctx.earlier(why.source)
    if same_claim(source.claim, claim):
        return Verdict(f"this is step {why.source!r}", source.range)
    raise CheckFailure(f"step {why.source!r} states {_text(source.claim)}, not {_text(claim)}")


def _text(claim) -> str:
    return claim.name if isinstance(claim, S.Proposition) else sp.sstr(claim)


def _orient(links):
    """The links as (left, right) pairs and the chain's direction and strictness."""
    direction, strict, oriented = None, False, []
    for link in links:
        if isinstance(link, sp.Eq):
            oriented.append((link.lhs, link.rhs))
            continue
        if isinstance(link, (sp.Le, sp.Lt)):
            d = "le"
        elif isinstance(link, (sp.Ge, sp.Gt)):
            d = "ge"
        else:
            raise CheckFailure(f"chain link {_text(link)} is not =, <=, <, >=, >")
        if direction not in (None, d):
            raise CheckFailure("chain mixes <= and >= links")
        direction = d
        strict = strict or isinstance(link, (sp.Lt, sp.Gt))
        oriented.append((link.lhs, link.rhs))
    return oriented, direction, strict


def check_chain(claim, why: S.Chain, ctx: Context) -> Verdict:
    """Transitivity through earlier steps; the range is the intersection of theirs."""
    sources = [ctx.earlier(label, "chain link") for label in why.sources]
    links = [s.claim for s in sources]
    oriented, direction, strict = _orient(links)
    for i in range(len(oriented) - 1):
        b, c = oriented[i][1], oriented[i + 1][0]
        if is_zero(b - c):
            continue
        if isinstance(links[i + 1], sp.Eq) and is_zero(b - oriented[i + 1][1]):
            oriented[i + 1] = oriented[i + 1][::-1]
            continue
        raise CheckFailure(f"chain broken: {sp.sstr(b)} is not {sp.sstr(c)}")
    first, last = oriented[0][0], oriented[-1][1]
    target = {None: sp.Eq, "le": sp.Lt if strict else sp.Le,
              "ge": sp.Gt if strict else sp.Ge}[direction](first, last, evaluate=False)
    candidates = [target]
    weaker = {sp.Lt: sp.Le, sp.Gt: sp.Ge}
    if type(target) in weaker:
        candidates.append(weaker[type(target)](first, last, evaluate=False))
    if not any(same_claim(c, claim) for c in candidates):
        raise CheckFailure(f"the chain proves {sp.sstr(target)}, not the claim")
    verdict = Verdict("chain of steps " + ", ".join(repr(s) for s in why.sources))
    return verdict.joined(*(Verdict("", s.range) for s in sources))


def check_rewrite(claim, why: S.Rewrite, ctx: Context) -> Verdict:
    """The earlier step with earlier verified equalities used as rewrite rules; the range is
    the intersection of the source's and the rules' ranges. A rule may not rewrite a
    variable the source's range constrains (that would hide the constraint)."""
    source = ctx.earlier(why.source, "source step")
    rules = [ctx.earlier(label, "rewrite rule") for label in why.using]
    for label, rule in zip(why.using, rules):
        if not isinstance(rule.claim, sp.Eq):
            raise CheckFailure(f"rewrite rule {label!r} is not an earlier verified equality")
        hidden = rule.claim.lhs.free_symbols & source.range.free_symbols
        if hidden:
            raise CheckFailure(f"rewrite rule {label!r} rewrites {sorted(map(str, hidden))}, "
                               f"which the range of step {why.source!r} constrains; use "
                               "Substitution")
    if not isinstance(source.claim, sp.core.relational.Relational):
        raise CheckFailure(f"step {why.source!r} is not a relation")

    def rewrite(side):
        for rule in rules:
            lhs, rhs = rule.claim.args
            # structural replacement, also under integrals over the rule's variable
            side = side.xreplace({lhs: rhs}).subs(lhs, rhs)
        return side

    lhs, rhs = source.claim.args
    candidates = [(rewrite(lhs), rewrite(rhs)), (lhs, rewrite(rhs)), (rewrite(lhs), rhs)]
    for new_lhs, new_rhs in candidates:
        if same_claim(source.claim.func(new_lhs, new_rhs, evaluate=False), claim):
            verdict = Verdict(f"step {why.source!r} rewritten with "
                              + ", ".join(map(repr, why.using)), source.range)
            return verdict.joined(*(Verdict("", r.range) for r in rules))
    raise CheckFailure("the rewriting gives " + sp.sstr(source.claim.func(
        *candidates[0], evaluate=False)) + ", not the claim")


def check_value_assumptions(pairs, where: str, domain: Range) -> None:
    """A value substituted for a symbol must satisfy that symbol's sympy assumptions
    (shown on ``domain``), else a failure naming the missing hypothesis."""
    for old, new in pairs:
        new = sp.sympify(new)
        if getattr(old, "is_real", None) is True and new.is_extended_real is False:
            raise CheckFailure(f"{where}: {sp.sstr(new)} (substituted for {old}) is not real")
        for prop, strict in (("positive", True), ("nonnegative", False)):
            if getattr(old, f"is_{prop}", None) is True and getattr(new, f"is_{prop}") \
                    is not True and not prove_sign(new, strict=strict, domain=domain)[0]:
                raise CheckFailure(f"{where}: cannot show that {sp.sstr(new)} (substituted "
                                   f"for {old}) is {prop}: a hypothesis is missing")
        if getattr(old, "is_negative", None) is True and new.is_negative is not True \
                and not prove_sign(-new, strict=True, domain=domain)[0]:
            raise CheckFailure(f"{where}: cannot show that {sp.sstr(new)} (substituted for "
                               f"{old}) is negative: a hypothesis is missing")


def transfer_range(source: Range, mapping: dict, domain: Range, where: str) -> Range:
    """The range of a step after ``mapping`` is substituted into it: a constraint on a
    substituted variable is discharged when the value is shown inside it, moved to the new
    variable when the value is a plain symbol, and otherwise refused."""
    kept = [(var, interval.subs(mapping)) for var, interval in source.constraints
            if var not in mapping]
    known = domain & Range.of(*kept)
    out = list(kept)
    for var, interval in source.constraints:
        if var not in mapping:
            continue
        value, bounds = sp.sympify(mapping[var]), interval.subs(mapping)
        if contains_value(bounds, value, known):
            continue
        if isinstance(value, sp.Symbol):
            out.append((value, bounds))
            continue
        raise CheckFailure(f"{where}: cannot show {sp.sstr(value)} lies in "
                           f"{sp.sstr(bounds)}, the range of {var} on which the step holds")
    return Range.of(*out)


def check_substitution(claim, why: S.Substitution, ctx: Context) -> Verdict:
    """The earlier step with symbols replaced by values; each value must satisfy the
    symbol's assumptions and lie in the step's range for that symbol."""
    source = ctx.earlier(why.source, "source step")
    for old, _ in why.subs:
        if not isinstance(old, sp.Symbol):
            raise CheckFailure(f"substitution replaces symbols only, not {sp.sstr(old)}; use "
                               "Rewrite with a verified equality")
        if old in ctx.fixed:
            raise CheckFailure(f"{old} names a fixed quantity of this derivation (an "
                               "assumption is made for it): it cannot be substituted")
    where = f"substitution into {why.source!r}"
    mapping = dict(why.subs)
    check_value_assumptions(why.subs, where, ctx.needed)
    proved = transfer_range(source.range, mapping, ctx.needed, where)
    inst = substitute(source.claim, mapping)
    if not same_claim(inst, claim):
        raise CheckFailure(f"step {why.source!r} with the substitution gives {_text(inst)}, "
                           "not the claim")
    return Verdict(f"substitution into step {why.source!r}", proved)
