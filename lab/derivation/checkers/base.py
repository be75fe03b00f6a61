"""What every checker receives and returns (pure data, no I/O).

A checker is a function ``check_x(claim, why, ctx) -> Verdict`` for one justification type.
It raises :class:`~lab.derivation.relations.CheckFailure` when the justification does not
verify, and otherwise returns a :class:`Verdict`: a one-line account, the *range of validity*
it established (a :class:`~lab.derivation.ranges.Range`) and what it took without proof
(assumptions, cited facts, unchecked steps, numeric certificates, imported lemmas).
Nested justifications are checked through ``ctx.sub``, which returns their verdicts, so
ranges and ledgers flow up by return value, never through shared state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Mapping

from lab.derivation.ranges import Range, covers
from lab.derivation.relations import CheckFailure

_LEDGERS = ("assumptions", "cited", "unchecked", "numeric", "imported")


@dataclass(frozen=True)
class Verdict:
    """A verified justification: ``detail`` (one line), the ``range`` on which the claim
    holds, and the ledgers of what was taken without proof."""

    detail: str
    range: Range = field(default_factory=Range)
    assumptions: tuple = ()
    cited: tuple = ()
    unchecked: tuple = ()
    numeric: tuple = ()
    imported: tuple = ()

    def joined(self, *others: "Verdict") -> "Verdict":
        """This verdict with the ranges intersected and the ledgers of ``others`` added."""
        out = self
        for other in others:
            out = replace(out, range=out.range & other.range, **{
                name: tuple(dict.fromkeys(getattr(out, name) + getattr(other, name)))
                for name in _LEDGERS})
        return out


@dataclass(frozen=True)
class Proven:
    """An earlier verified step: its claim and its range of validity."""

    claim: object
    range: Range


@dataclass(frozen=True)
class Context:
    """Where a justification is checked: the earlier verified steps (``proven``), the
    conditions ``needed`` under which the claim is wanted (usable by the proof, and part of
    its range), ``prove``, the dispatcher used for nested justifications, and the
    derivation's ``fixed`` symbols (never substituted)."""

    proven: Mapping[str, Proven]
    needed: Range
    prove: Callable[..., Verdict]
    fixed: frozenset = frozenset()

    def sub(self, claim, why, needed: Range | None = None) -> Verdict:
        """Check a nested justification under ``needed`` (default: this context's)."""
        context = self if needed is None else replace(self, needed=needed)
        return self.prove(claim, why, context)

    def earlier(self, label: str, role: str = "step") -> Proven:
        """The earlier verified step ``label``, or a failure naming it."""
        if label not in self.proven:
            raise CheckFailure(f"{role} {label!r} is not an earlier verified step")
        return self.proven[label]


def discharge(verdict: Verdict, variables, needed: Range, what: str) -> Verdict:
    """``verdict`` with the constraints on ``variables`` dropped, after checking that they
    hold wherever ``needed`` puts those variables (else a failure naming ``what``)."""
    for var in variables:
        if not covers(verdict.range, var, needed):
            shown = ", ".join(str(i) for i in verdict.range.on(var))
            wanted = ", ".join(str(i) for i in needed.on(var)) or "its whole domain"
            raise CheckFailure(f"{what} holds only for {var} in {shown}, which does not "
                               f"cover the range needed here ({wanted})")
    return replace(verdict, range=verdict.range.without(variables))
