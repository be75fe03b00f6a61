"""Checkers of :class:`~lab.derivation.steps.Cases` (a split range) and
:class:`~lab.derivation.steps.AllOf` (a conjunction)."""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict, discharge
from lab.derivation.ranges import Range
from lab.derivation.relations import CheckFailure, is_zero, normal_form


def _joined_pieces(pieces) -> sp.Interval:
    """The union of consecutive intervals that meet end to start (no gap), as one interval."""
    intervals = [sp.sympify(interval) for interval, _ in pieces]
    for interval in intervals:
        if not isinstance(interval, sp.Interval):
            raise CheckFailure(f"a case needs an Interval, not {sp.sstr(interval)}")
    for left, right in zip(intervals, intervals[1:]):
        if not is_zero(left.end - right.start) or (left.right_open and right.left_open):
            raise CheckFailure(f"the cases {sp.sstr(left)} and {sp.sstr(right)} leave a gap")
    first, last = intervals[0], intervals[-1]
    return sp.Interval(first.start, last.end, first.left_open, last.right_open)


def check_cases(claim, why: S.Cases, ctx: Context) -> Verdict:
    """Each piece checked with ``var`` confined to it (and to the context's conditions);
    the range on ``var`` is the union of the pieces."""
    if not why.pieces:
        raise CheckFailure("Cases needs at least one piece")
    union = _joined_pieces(why.pieces)
    verdict = Verdict(f"cases on {why.var}: " + ", ".join(
        sp.sstr(interval) for interval, _ in why.pieces))
    for interval, justification in why.pieces:
        piece = Range.of((why.var, interval))
        needed = ctx.needed & piece
        try:
            sub = ctx.sub(claim, justification, needed)
            sub = discharge(sub, [why.var], needed, f"the case {sp.sstr(interval)}")
        except CheckFailure as exc:
            raise CheckFailure(f"case {why.var} in {sp.sstr(interval)}: {exc}") from None
        verdict = verdict.joined(sub)
    return verdict.joined(Verdict("", Range.of((why.var, union))))


def check_all_of(claim, why: S.AllOf, ctx: Context) -> Verdict:
    """Each conjunct by its own justification; the range is the intersection."""
    kind, parts = normal_form(claim)
    if kind != "and":
        raise CheckFailure("AllOf proves a Conjunction")
    if len(parts) != len(why.parts):
        raise CheckFailure(f"the claim has {len(parts)} parts, {len(why.parts)} "
                           "justifications were given")
    verdict = Verdict(f"{len(parts)} parts, each checked")
    for i, (part, justification) in enumerate(zip(parts, why.parts), start=1):
        try:
            verdict = verdict.joined(ctx.sub(part, justification))
        except CheckFailure as exc:
            raise CheckFailure(f"part {i}: {exc}") from None
    return verdict
