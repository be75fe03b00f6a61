"""Links between lemmas and the derivations that prove them.

A :class:`~lab.derivation.steps.Lemma` used by a derivation names (``proved_in``) the
derivation in ``proofs/`` that proves it. The link holds when that derivation checks and has
a verified step whose claim is the lemma's conclusion and whose range of validity asks for
nothing beyond the lemma's hypotheses (each range condition is one of the hypotheses, a
condition on one of the lemma's bound variables, or implied by a symbol's own assumptions).
"""

from __future__ import annotations

import sympy as sp

from lab.derivation import lemmas as LM
from lab.derivation.check import Report
from lab.derivation.ranges import assumption_interval, interval_within
from lab.derivation.relations import same_claim
from lab.derivation.steps import Derivation, Lemma, rel

#: The lemmas with a ``proved_in`` link, in the canonical form their proof concludes.
LINKED = (LM.SCALE, LM.ADD, LM.ADD_BOTH, LM.MIN_SCALE,
          LM.integral_monotone(LM.t, sp.Symbol("b", nonnegative=True)), LM.TELESCOPE,
          LM.EXP_DESCENT, LM.NORMALIZED_LE_CLIPPED, LM.CLIPPED_LE_TWICE_NORMALIZED)


def proving_name(lemma: Lemma) -> str:
    """The derivation name in ``lemma.proved_in`` (``proofs/NAME.md`` -> ``NAME``)."""
    return lemma.proved_in.removeprefix("proofs/").removesuffix(".md")


def _condition_relations(var, interval) -> list:
    out = []
    if interval.start is not sp.S.NegativeInfinity:
        out.append(rel(var, ">" if interval.left_open else ">=", interval.start))
    if interval.end is not sp.oo:
        out.append(rel(var, "<" if interval.right_open else "<=", interval.end))
    return out


def _condition_granted(var, interval, lemma: Lemma) -> bool:
    if interval_within(assumption_interval(var), interval):
        return True
    for bound_var, bound in lemma.domain:
        if bound_var == var and interval_within(bound, interval):
            return True
    relations = [h for h in lemma.hypotheses if not hasattr(h, "name")]
    return all(any(same_claim(c, h) for h in relations)
               for c in _condition_relations(var, interval))


def concluding_step(lemma: Lemma, derivation: Derivation, report: Report):
    """The label of a verified step of ``derivation`` that proves ``lemma``, or None."""
    by_label = {r.label: r for r in report.results}
    for step in derivation.steps:
        result = by_label.get(step.label)
        if result is None or not result.verified or step.claim is None:
            continue
        try:
            if not same_claim(step.claim, lemma.conclusion):
                continue
        except Exception:  # noqa: BLE001 - a claim of another kind is simply not it
            continue
        if all(_condition_granted(var, interval, lemma)
               for var, interval in result.range.constraints):
            return step.label
    return None


def check_lemma_links(load, check, lemmas=LINKED) -> list:
    """Problems with the lemma links (empty when every lemma is proved where it says).

    Parameters
    ----------
    load : callable name -> Derivation (``lab.derivation.registry.load``)
    check : callable Derivation -> Report (``lab.derivation.check``)
    lemmas : iterable of Lemma

    Examples
    --------
    >>> from lab.derivation import check, registry
    >>> check_lemma_links(registry.load, check, [LM.ADD])
    []
    """
    problems = []
    for lemma in lemmas:
        name = proving_name(lemma)
        derivation = load(name)
        report = check(derivation)
        if not report.ok:
            problems.append(f"lemma {lemma.name!r}: {name} does not check")
        elif concluding_step(lemma, derivation, report) is None:
            problems.append(f"lemma {lemma.name!r}: no verified step of {name} concludes it "
                            "under its hypotheses")
    return problems
