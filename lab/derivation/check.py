"""The checker's driver: verify every step of a :class:`~lab.derivation.steps.Derivation`.

Pure symbolic/numeric code, no I/O. :func:`check` runs the checker of each step's
justification (:mod:`lab.derivation.checkers`, one per type) with the step's ``where``
conditions, records the range of validity each returns, and collects a :class:`Report`: one
:class:`StepResult` per step (with its range) and the ledgers of what was taken without proof.
A step that cannot be verified fails (naming the step); assumptions, cited facts and
unchecked steps pass but are counted apart from the verified steps.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from lab.derivation import steps as S
from lab.derivation.checkers import UNVERIFIED, Context, Proven, Verdict, prove
from lab.derivation.ranges import Range
from lab.derivation.relations import CheckFailure, normal_form, same_claim

__all__ = ["DerivationError", "Report", "StepResult", "check", "normal_form", "same_claim"]


class DerivationError(AssertionError):
    """A derivation failed its check; the message names the failing step."""


@dataclass(frozen=True)
class StepResult:
    """The verdict on one step: ``ok``, the ``kind`` of justification, ``detail``, and the
    ``range`` of validity established for its claim."""

    index: int
    label: str
    ok: bool
    kind: str
    detail: str
    range: Range = field(default_factory=Range)

    @property
    def verified(self) -> bool:
        """Checked and passed (assumptions, cited facts and unchecked steps are not)."""
        return self.ok and self.kind not in {t.__name__ for t in UNVERIFIED}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


@dataclass(frozen=True)
class Report:
    """The verdicts on all steps of one derivation, plus what was taken without proof:
    assumptions (hypotheses of the statement), cited standard facts, unchecked steps of the
    proof, numeric certificates, and lemmas imported from other derivations."""

    name: str
    results: tuple
    assumptions: tuple = ()
    cited: tuple = ()
    numeric: tuple = field(default=())
    imported: tuple = field(default=())
    unchecked: tuple = field(default=())

    @property
    def ok(self) -> bool:
        """True when every step passed."""
        return all(r.ok for r in self.results)

    @property
    def failures(self) -> tuple:
        """The failing steps' results."""
        return tuple(r for r in self.results if not r.ok)

    @property
    def verified(self) -> int:
        """The number of steps checked and passed."""
        return sum(r.verified for r in self.results)

    def counts(self) -> str:
        """The true counts, e.g. ``33 of 36 steps verified; 1 assumption; 2 cited standard
        facts`` (unchecked steps, numeric certificates and imported lemmas when present)."""
        parts = [f"{self.verified} of {len(self.results)} steps verified",
                 _plural(len(self.assumptions), "assumption"),
                 _plural(len(self.cited), "cited standard fact")]
        if self.unchecked:
            parts.append(_plural(len(self.unchecked), "unchecked proof step"))
        if self.numeric:
            parts.append(_plural(len(self.numeric), "numeric certificate"))
        if self.imported:
            parts.append(_plural(len(self.imported), "imported lemma"))
        return "; ".join(parts)

    def summary(self) -> str:
        """One line per failing step (or ``NAME: ok (counts)``)."""
        if self.ok:
            return f"{self.name}: ok ({self.counts()})"
        return "\n".join(f"{self.name}: step {r.index} ({r.label}) FAILED: {r.detail}"
                         for r in self.failures)

    def raise_if_failed(self) -> None:
        """Raise :class:`DerivationError` naming the first failing step."""
        if not self.ok:
            raise DerivationError(self.summary())


def check(derivation: S.Derivation) -> Report:
    """Check every step of ``derivation`` (results are cached: checking is deterministic and
    a :class:`~lab.derivation.steps.Derivation` is immutable).

    Parameters
    ----------
    derivation : Derivation

    Returns
    -------
    Report
        ``report.ok`` is True when every step verified; ``report.failures`` names the rest.

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation import Derivation, Step, Algebra, rel
    >>> x = sp.Symbol("x", positive=True)
    >>> d = Derivation("demo", "Demo", "x+x=2x", (Step("s", rel(x + x, "==", 2 * x),
    ...     Algebra()),), "done", (("D", "by hand"),))
    >>> check(d).ok
    True
    """
    try:
        return _check_cached(derivation)
    except TypeError:  # an unhashable field: check without the cache
        return _check(derivation)


@functools.lru_cache(maxsize=64)
def _check_cached(derivation: S.Derivation) -> Report:
    return _check(derivation)


def check_step(step: S.Step, proven: dict, fixed=frozenset()) -> Verdict:
    """Check one step against the earlier verified steps ``proven`` (label -> Proven);
    raise :class:`~lab.derivation.relations.CheckFailure` when it does not verify."""
    try:
        needed = Range.of(*step.where)
    except (TypeError, ValueError) as exc:
        raise CheckFailure(f"bad where-conditions: {exc}") from None
    return prove(step.claim, step.why, Context(proven, needed, prove, frozenset(fixed)))


def _check(derivation: S.Derivation) -> Report:
    """The uncached checker behind :func:`check`."""
    proven: dict = {}
    results = []
    total = Verdict("")
    for index, step in enumerate(derivation.steps, start=1):
        kind = type(step.why).__name__
        if step.label in proven or step.label in {r.label for r in results}:
            results.append(StepResult(index, step.label, False, "duplicate",
                                      f"duplicate step label {step.label!r}"))
            continue
        try:
            verdict = check_step(step, proven, derivation.fixed)
        except CheckFailure as exc:
            results.append(StepResult(index, step.label, False, kind, str(exc)))
            continue
        except Exception as exc:  # noqa: BLE001 - a crash in sympy is a failed step, named
            results.append(StepResult(index, step.label, False, kind,
                                      f"error while checking: {type(exc).__name__}: {exc}"))
            continue
        if step.claim is not None:
            proven[step.label] = Proven(step.claim, verdict.range)
        total = total.joined(Verdict("", assumptions=verdict.assumptions, cited=verdict.cited,
                                     unchecked=verdict.unchecked, numeric=verdict.numeric,
                                     imported=verdict.imported))
        results.append(StepResult(index, step.label, True, kind, verdict.detail,
                                  verdict.range))
    return Report(derivation.name, tuple(results), total.assumptions, total.cited,
                  total.numeric, total.imported, total.unchecked)
