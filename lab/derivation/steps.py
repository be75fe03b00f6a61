"""Step and justification types of a machine-checked derivation (pure data, no checking).

A :class:`Derivation` is a titled list of :class:`Step` objects. Each step states a *claim*
(a sympy relation such as ``Eq``, ``Ge`` or ``Lt``, built with :func:`rel` so that sympy does
not evaluate it away) and the *justification* that the checker in :mod:`lab.derivation.check`
must verify. Justifications are small frozen dataclasses:

- :class:`Algebra` - an equality by simplification, or an inequality whose difference sympy's
  sign reasoning (assumptions, factoring, ``solveset`` of the negation) proves.
- :class:`SumOfTerms` - ``big - small`` equals a sum of terms each proved nonnegative.
- :class:`NoCounterexample` - ``solveset`` of the negated claim on an interval is empty.
- :class:`Monotone` - the claim ``F >= 0`` (or ``> 0``) holds at the left end of an interval
  and ``F'`` has the right sign on it (proved by a nested justification).
- :class:`PositiveFactor` - strip a factor shown positive, prove the rest.
- :class:`Substitution` - an earlier step with values substituted.
- :class:`Rewrite` - an earlier step with proved equalities used as rewrite rules.
- :class:`Given` - an earlier step restated (to discharge a lemma's hypothesis).
- :class:`Chain` - transitivity through earlier steps.
- :class:`FromLemma` - a named :class:`Lemma` instantiated, with each hypothesis checked.
- :class:`Cases` - the claim on each piece of a split range of one variable.
- :class:`AllOf` - a conjunction (``sympy.And``), each part by its own justification.
- :class:`Numeric` - certified interval arithmetic (mpmath ``iv``) at high precision;
  labelled *numeric* in the rendered document.
- :class:`Assumption`, :class:`Cited` and :class:`Unchecked` - not verified; listed at the
  top of the document: a hypothesis of the statement, a standard fact from the literature,
  or a step of this proof that is not machine-checked.

Every step has a *range of validity* (interval conditions on its variables, see
:mod:`lab.derivation.ranges`): the conditions declared in its ``where`` plus everything it
inherits from the steps and justifications it uses. The checker computes it, refuses a
substitution outside it, and the rendered document prints it beside the claim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union

import sympy as sp

_RELATIONS = {"==": sp.Eq, "=": sp.Eq, ">=": sp.Ge, ">": sp.Gt, "<=": sp.Le, "<": sp.Lt,
              "!=": sp.Ne}


def rel(lhs, op: str, rhs) -> sp.core.relational.Relational:
    """Build an unevaluated sympy relation ``lhs op rhs``.

    Parameters
    ----------
    lhs, rhs : sympy expression or number
    op : {"==", "=", ">=", ">", "<=", "<", "!="}

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> rel(x, ">=", x)
    x >= x
    """
    try:
        cls = _RELATIONS[op]
    except KeyError:
        raise ValueError(f"unknown relation {op!r}; use one of {sorted(_RELATIONS)}") from None
    return cls(sp.sympify(lhs), sp.sympify(rhs), evaluate=False)


@dataclass(frozen=True)
class Proposition:
    """A named statement sympy cannot express (for example "f is (L0,L1)-smooth on the
    segment [x, y]"). It can be assumed, cited, restated (:class:`Given`) and be a lemma's
    hypothesis; two propositions are the same claim when their names are equal."""

    name: str
    text: str


@dataclass(frozen=True)
class Conjunction:
    """Several claims stated together (a headline result such as ``h_n <= h_c <= 2 h_n``);
    justified part by part with :class:`AllOf`."""

    parts: tuple


@dataclass(frozen=True)
class Algebra:
    """Verified by sympy: ``simplify(lhs - rhs) == 0`` for an equality; for an inequality
    the difference is shown to have the right sign (sympy assumptions on canonical forms,
    or ``solveset`` of the negation being empty when one variable has a domain)."""

    note: str = ""


@dataclass(frozen=True)
class SumOfTerms:
    """``big - small`` simplifies to ``sum(terms)`` and every term is nonnegative.

    ``proofs`` optionally gives, term by term, a nested justification of ``term >= 0``
    (``None`` means: by sympy's sign reasoning on the term alone).
    """

    terms: tuple
    proofs: tuple = ()
    note: str = ""


@dataclass(frozen=True)
class NoCounterexample:
    """The negation of the claim has no solution: ``solveset(not claim, var, domain)`` is
    empty (sympy's ``is_convex`` pattern)."""

    var: sp.Symbol
    domain: sp.Set
    note: str = ""


@dataclass(frozen=True)
class Monotone:
    """Claim ``F >= 0`` / ``F > 0`` (``F = lhs - rhs`` of a ``>=``/``>`` claim, or
    ``rhs - lhs`` of ``<=``/``<``) for ``var`` in ``(start, end)``: ``F(start+) >= 0`` by sympy
    (a limit) and ``F' >= 0`` (``> 0`` for a strict claim with ``F(start) = 0``) on the open
    interval, proved by ``derivative`` (a nested justification of that derivative claim)."""

    var: sp.Symbol
    start: object
    derivative: "Justification"
    end: object = sp.oo
    note: str = ""


@dataclass(frozen=True)
class PositiveFactor:
    """Claim ``F >= 0`` (or ``> 0``): ``factor`` is shown positive by sympy, and
    ``F / factor`` has the claimed sign by the nested justification ``rest``."""

    factor: object
    rest: "Justification"
    note: str = ""


@dataclass(frozen=True)
class Substitution:
    """The claim is the earlier step ``source`` with ``subs`` applied (then simplified)."""

    source: str
    subs: tuple  # of (old, new) pairs, kept as a tuple so the dataclass is hashable
    note: str = ""


@dataclass(frozen=True)
class Rewrite:
    """The claim is the earlier step ``source`` with, for each earlier verified equality
    ``lhs = rhs`` named in ``using``, every occurrence of ``lhs`` replaced by ``rhs``."""

    source: str
    using: tuple
    note: str = ""


@dataclass(frozen=True)
class Given:
    """The claim is (up to simplification) the earlier verified step ``source``; used to
    discharge a lemma's hypothesis."""

    source: str
    note: str = ""


@dataclass(frozen=True)
class Chain:
    """Transitivity: the earlier steps ``sources`` form a chain a R1 b R2 c ... whose ends are
    the claim's sides, each link joined to the next (up to simplification)."""

    sources: tuple
    note: str = ""


@dataclass(frozen=True)
class Lemma:
    """A named lemma: under ``hypotheses`` (sympy relations in its own symbols) the
    ``conclusion`` holds. ``proved_in`` names the derivation that proves it, or is ``None``
    for a standard fact that is cited (and then listed at the top of any document using it)."""

    name: str
    symbols: tuple
    hypotheses: tuple
    conclusion: sp.core.relational.Relational
    statement: str
    proved_in: Union[str, None] = None
    domain: tuple = ()  # (symbol, Interval) pairs under which the hypotheses are checked


@dataclass(frozen=True)
class FromLemma:
    """Instantiate ``lemma`` with ``subs`` (its symbols -> expressions): the instantiated
    conclusion must be the claim, and each instantiated hypothesis is checked with the
    matching entry of ``hypotheses`` (a missing entry fails the step)."""

    lemma: Lemma
    subs: tuple
    hypotheses: tuple = ()
    note: str = ""


@dataclass(frozen=True)
class Numeric:
    """Certified numeric check by interval arithmetic (mpmath ``iv`` at ``prec`` bits):
    ``var`` ranges over the closed interval ``[lo, hi]`` (all other symbols must be
    substituted by ``subs``); the interval is bisected until the interval enclosure of
    ``F`` proves the sign on every piece, or ``max_pieces`` is exceeded (fail)."""

    var: sp.Symbol
    lo: object
    hi: object
    subs: tuple = ()
    prec: int = 200
    max_pieces: int = 4096
    note: str = ""


@dataclass(frozen=True)
class Cases:
    """The claim holds on each piece of a split of ``var``'s range: ``pieces`` is a tuple of
    ``(Interval, justification)``; each justification is checked with ``var`` confined to
    its interval, and the pieces must cover the range ``var`` has where the step is used."""

    var: sp.Symbol
    pieces: tuple
    note: str = ""


@dataclass(frozen=True)
class AllOf:
    """A :class:`Conjunction` ``(c1, c2, ...)``: ``parts[i]`` justifies ``ci``."""

    parts: tuple
    note: str = ""


@dataclass(frozen=True)
class Assumption:
    """A hypothesis of the derivation's statement: not verified, listed at the top."""

    reason: str


@dataclass(frozen=True)
class Cited:
    """A standard fact (chain rule, Cauchy-Schwarz, ...) used without a machine proof;
    listed at the top of the document with the assumptions."""

    fact: str


@dataclass(frozen=True)
class Unchecked:
    """A step of this proof that is not machine-checked (neither a hypothesis of the
    statement nor a standard fact): listed at the top as an unchecked step."""

    reason: str


Justification = Union[Algebra, SumOfTerms, NoCounterexample, Monotone, PositiveFactor,
                      Substitution, Rewrite, Given, Chain, FromLemma, Numeric, Cases, AllOf,
                      Assumption, Cited, Unchecked]


@dataclass(frozen=True)
class Step:
    """One numbered step: a ``claim`` (sympy relation, conjunction or
    :class:`Proposition`), its ``why``, and prose ``text``.

    ``label`` is a short unique name used by later steps (:class:`Substitution`,
    :class:`Chain`) and in failure messages. ``where`` declares conditions ``(var,
    Interval)`` under which the step is claimed: they are available to its proof and part
    of its range of validity.
    """

    label: str
    claim: object
    why: Justification
    text: str = ""
    where: tuple = ()


@dataclass(frozen=True)
class Derivation:
    """A machine-checked derivation: metadata for the rendered document plus its steps.

    ``provenance`` is a tuple of ``(tag, text)`` with tag in {"Q", "R", "D", "F"} (PAPER.md's
    tags); ``symbols`` is a tuple of ``(symbol, meaning)`` rows for the symbols this
    derivation alone uses (shared ones take their meaning from
    :data:`lab.derivation.glossary.SHARED`). ``fixed`` names symbols that stand for one
    fixed quantity of the argument (the length ``r`` of the segment an assumption is made
    on): a :class:`Substitution` may not replace them.
    """

    name: str
    title: str
    statement: str
    steps: tuple
    conclusion: str
    provenance: tuple
    symbols: tuple = ()
    notes: str = ""
    lemmas: tuple = field(default=())
    fixed: tuple = ()
