"""Claims as normal forms, and when two claims say the same thing (pure sympy, no I/O).

A claim is a sympy relation (built with :func:`lab.derivation.steps.rel`), a
:class:`~lab.derivation.steps.Conjunction` of relations, or a :class:`~lab.derivation.steps.Proposition` (a named statement
that sympy cannot express, such as "the segment lies in S").
"""

from __future__ import annotations

import functools

import sympy as sp

from lab.derivation.steps import Conjunction, Proposition


class CheckFailure(Exception):
    """A justification did not verify; the message says why (one line)."""


def normal_form(claim):
    """Return ``(kind, F)`` with kind in {"eq", "ge", "gt", "ne", "prop", "and"} and the claim
    equivalent to ``F == 0``, ``F >= 0``, ``F > 0``, ``F != 0`` (``F`` is the proposition
    for "prop" and the tuple of conjuncts for "and").

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation.steps import rel
    >>> x = sp.Symbol("x")
    >>> normal_form(rel(x, "<=", 1))
    ('ge', 1 - x)
    """
    if isinstance(claim, Proposition):
        return "prop", claim
    if isinstance(claim, Conjunction):
        return "and", tuple(claim.parts)
    if isinstance(claim, sp.Eq):
        return "eq", claim.lhs - claim.rhs
    if isinstance(claim, sp.Ne):
        return "ne", claim.lhs - claim.rhs
    if isinstance(claim, sp.Ge):
        return "ge", claim.lhs - claim.rhs
    if isinstance(claim, sp.Gt):
        return "gt", claim.lhs - claim.rhs
    if isinstance(claim, sp.Le):
        return "ge", claim.rhs - claim.lhs
    if isinstance(claim, sp.Lt):
        return "gt", claim.rhs - claim.lhs
    raise CheckFailure(f"the claim {claim!r} is not a sympy relation (use lab.derivation.rel)")


_SIMPLIFIERS = (lambda e: e.doit(), lambda e: sp.expand(e.doit()),
                lambda e: sp.cancel(sp.together(e.doit())), sp.simplify,
                lambda e: sp.simplify(e.doit()), lambda e: sp.simplify(sp.expand(e.doit())),
                lambda e: sp.simplify(e.rewrite(sp.exp)), sp.expand_log)


@functools.lru_cache(maxsize=16384)
def is_zero(expr) -> bool:
    """Whether sympy can show ``expr == 0`` (cached: derivations repeat their checks).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> is_zero((x + 1)**2 - x**2 - 2*x - 1), is_zero(x)
    (True, False)
    """
    expr = sp.sympify(expr)
    if expr == 0:
        return True
    if expr.is_number and expr.is_zero is False:
        return False
    for simp in _SIMPLIFIERS:  # cheapest rewritings first
        try:
            if simp(expr) == 0:
                return True
        except Exception:  # noqa: BLE001 - a simplifier that fails does not prove anything
            continue
    return False


def same_claim(a, b) -> bool:
    """Whether two claims say the same thing up to simplification (and orientation).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation.steps import rel
    >>> x = sp.Symbol("x")
    >>> same_claim(rel(2 * x, "<=", 1), rel(1 - 2 * x, ">=", 0))
    True
    """
    if a == b:
        return True
    ka, fa = normal_form(a)
    kb, fb = normal_form(b)
    if ka != kb:
        return False
    if ka == "prop":
        return fa.name == fb.name
    if ka == "and":
        return len(fa) == len(fb) and all(same_claim(x, y) for x, y in zip(fa, fb))
    if is_zero(fa - fb):
        return True
    return ka in ("eq", "ne") and is_zero(fa + fb)


def substitute(claim, mapping: dict):
    """``claim`` with ``mapping`` substituted on every side, left unevaluated."""
    if isinstance(claim, Proposition):
        return claim
    if isinstance(claim, Conjunction):
        return Conjunction(tuple(substitute(c, mapping) for c in claim.parts))
    return claim.func(*(side.subs(mapping) for side in claim.args), evaluate=False)


def claim_symbols(claim) -> set:
    """The free symbols of a claim (none for a proposition)."""
    if isinstance(claim, Proposition) or claim is None:
        return set()
    if isinstance(claim, Conjunction):
        return set().union(*(claim_symbols(c) for c in claim.parts))
    return set(claim.free_symbols)
