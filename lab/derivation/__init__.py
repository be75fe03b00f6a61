"""Machine-checked derivations: steps checked by sympy (or certified interval arithmetic,
labelled numeric), rendered as Markdown with LaTeX.

Modules, one job each: :mod:`~lab.derivation.steps` (step and justification types),
:mod:`~lab.derivation.relations` (claims compared), :mod:`~lab.derivation.ranges` (ranges of
validity), :mod:`~lab.derivation.signs` (sympy sign proofs), :mod:`~lab.derivation.numeric`
(interval arithmetic), :mod:`~lab.derivation.checkers` (one checker per justification type),
:mod:`~lab.derivation.check` (the driver and its report), :mod:`~lab.derivation.render`
(Markdown and LaTeX), :mod:`~lab.derivation.lemmas` (named lemmas),
:mod:`~lab.derivation.registry` (discovery of ``proofs/``), :mod:`~lab.derivation.files`
(stale-render detection; writes go through :mod:`lab.writing`).
"""

from lab.derivation.check import DerivationError, Report, StepResult, check
from lab.derivation.render import render_markdown
from lab.derivation.steps import (Algebra, AllOf, Assumption, Cases, Chain, Cited,
                                  Conjunction, Derivation, FromLemma, Given, Lemma, Monotone,
                                  NoCounterexample, Numeric, PositiveFactor, Proposition,
                                  Rewrite, Step, Substitution, SumOfTerms, Unchecked, rel)

__all__ = ["Algebra", "AllOf", "Assumption", "Cases", "Chain", "Cited", "Conjunction",
           "Derivation", "DerivationError", "FromLemma", "Given", "Lemma", "Monotone",
           "NoCounterexample", "Numeric", "PositiveFactor", "Proposition", "Report", "Rewrite",
           "Step", "StepResult", "Substitution", "SumOfTerms", "Unchecked", "check", "rel",
           "render_markdown"]
