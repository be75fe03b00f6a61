"""Checkers of the justifications that verify nothing and are listed at the top of the
document: :class:`~lab.derivation.steps.Assumption` (a hypothesis of the statement),
:class:`~lab.derivation.steps.Cited` (a standard fact) and
:class:`~lab.derivation.steps.Unchecked` (a step of this proof not machine-checked)."""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict


def _shown(claim) -> str:
    if claim is None:
        return ""
    if isinstance(claim, S.Proposition):
        return claim.text
    if isinstance(claim, S.Conjunction):
        return ", ".join(sp.latex(part) for part in claim.parts)
    return sp.latex(claim)


def check_assumption(claim, why: S.Assumption, ctx: Context) -> Verdict:
    """Recorded, not verified."""
    return Verdict("assumption (not verified)", assumptions=((_shown(claim), why.reason),))


def check_cited(claim, why: S.Cited, ctx: Context) -> Verdict:
    """Recorded, not verified."""
    return Verdict("cited standard fact (not machine-checked)", cited=(why.fact,))


def check_unchecked(claim, why: S.Unchecked, ctx: Context) -> Verdict:
    """Recorded, not verified."""
    return Verdict("unchecked step of this proof", unchecked=(why.reason,))
