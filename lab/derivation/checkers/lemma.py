"""The checker of :class:`~lab.derivation.steps.FromLemma`: a named lemma instantiated.

The instantiated conclusion must be the claim; each instantiated hypothesis is checked by
its own nested justification, with the lemma's bound variables (``Lemma.domain``) confined
to their intervals; the hypotheses' ranges must cover those intervals and, apart from the
bound variables, become the step's range. The detail reports the true number of hypotheses
checked.
"""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict, discharge
from lab.derivation.checkers.references import check_value_assumptions
from lab.derivation.ranges import Range
from lab.derivation.relations import CheckFailure, same_claim, substitute


def _text(claim) -> str:
    return claim.name if isinstance(claim, S.Proposition) else sp.sstr(claim)


def lemma_ledger(lemma: S.Lemma) -> Verdict:
    """What using ``lemma`` takes from elsewhere: a cited fact, or an imported lemma."""
    if lemma.proved_in is None:
        return Verdict("", cited=(f"{lemma.name}: {lemma.statement}",))
    return Verdict("", imported=(f"{lemma.name} (proved in `{lemma.proved_in}`, under the "
                                 f"assumptions listed there): {lemma.statement}",))


def check_from_lemma(claim, why: S.FromLemma, ctx: Context) -> Verdict:
    """Verify a :class:`~lab.derivation.steps.FromLemma` justification (see the module)."""
    lemma = why.lemma
    check_value_assumptions(why.subs, f"lemma {lemma.name!r}", ctx.needed)
    mapping = dict(why.subs)
    concl = substitute(lemma.conclusion, mapping)
    if not same_claim(concl, claim):
        raise CheckFailure(f"lemma {lemma.name!r} concludes {_text(concl)}, not the claim")
    bound = Range.of(*((var, interval.subs(mapping)) for var, interval in lemma.domain))
    needed = ctx.needed.without(bound.variables()) & bound
    verdict = Verdict("")
    count = len(lemma.hypotheses)
    for i, hyp in enumerate(lemma.hypotheses):
        inst = substitute(hyp, mapping)
        label = f"hypothesis {i + 1} of {count} of lemma {lemma.name!r} ({_text(inst)})"
        if i >= len(why.hypotheses) or why.hypotheses[i] is None:
            raise CheckFailure(f"{label} is not justified")
        try:
            sub = ctx.sub(inst, why.hypotheses[i], needed)
            sub = discharge(sub, bound.variables(), needed, label)
        except CheckFailure as exc:
            raise CheckFailure(f"{label}: {exc}") from None
        verdict = verdict.joined(sub)
    if len(why.hypotheses) > count:
        raise CheckFailure(f"lemma {lemma.name!r} has {count} hypotheses, "
                           f"{len(why.hypotheses)} justifications were given")
    where = f" (proved in {lemma.proved_in})" if lemma.proved_in else " (cited)"
    checked = f"{count} of {count} hypotheses checked" if count else "no hypotheses"
    detail = f"lemma {lemma.name!r}{where}, {checked}"
    return Verdict(detail).joined(verdict, lemma_ledger(lemma))
