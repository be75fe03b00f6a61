"""One checker per justification type, and the dispatcher that picks it.

Every checker has the signature ``check_x(claim, why, ctx) -> Verdict`` (see
:mod:`lab.derivation.checkers.base`). :func:`prove` looks the checker up by the type of
``why`` and adds the context's conditions to the range it returns (the proof may have used
them).
"""

from __future__ import annotations

from dataclasses import replace

from lab.derivation import steps as S
from lab.derivation.checkers.algebraic import (check_algebra, check_no_counterexample,
                                               check_positive_factor, check_sum_of_terms)
from lab.derivation.checkers.base import Context, Proven, Verdict
from lab.derivation.checkers.cases import check_all_of, check_cases
from lab.derivation.checkers.certified import check_numeric
from lab.derivation.checkers.lemma import check_from_lemma
from lab.derivation.checkers.monotone import check_monotone
from lab.derivation.checkers.references import (check_chain, check_given, check_rewrite,
                                                check_substitution)
from lab.derivation.checkers.unverified import check_assumption, check_cited, check_unchecked
from lab.derivation.relations import CheckFailure

CHECKERS = {
    S.Algebra: check_algebra, S.SumOfTerms: check_sum_of_terms,
    S.PositiveFactor: check_positive_factor, S.NoCounterexample: check_no_counterexample,
    S.Monotone: check_monotone, S.Given: check_given, S.Chain: check_chain,
    S.Rewrite: check_rewrite, S.Substitution: check_substitution,
    S.FromLemma: check_from_lemma, S.Cases: check_cases, S.AllOf: check_all_of,
    S.Numeric: check_numeric, S.Assumption: check_assumption, S.Cited: check_cited,
    S.Unchecked: check_unchecked,
}

#: Justifications that verify nothing (their steps are not counted as verified).
UNVERIFIED = (S.Assumption, S.Cited, S.Unchecked)


def prove(claim, why, ctx: Context) -> Verdict:
    """Check ``claim`` by ``why`` in ``ctx``; raise CheckFailure when it does not verify.

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation.ranges import Range
    >>> x = sp.Symbol("x", positive=True)
    >>> ctx = Context({}, Range(), prove)
    >>> prove(S.rel(x + x, "==", 2 * x), S.Algebra(), ctx).detail
    'sympy: simplify(lhs - rhs) = 0'
    """
    checker = CHECKERS.get(type(why))
    if checker is None:
        raise CheckFailure(f"unknown justification {why!r}")
    if claim is None and not isinstance(why, UNVERIFIED):
        raise CheckFailure("a step without a claim can only be an assumption or cited fact")
    verdict = checker(claim, why, ctx)
    return replace(verdict, range=verdict.range & ctx.needed)


__all__ = ["CHECKERS", "UNVERIFIED", "CheckFailure", "Context", "Proven", "Verdict", "prove"]
