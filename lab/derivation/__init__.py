"""Machine-checked derivations: steps checked by sympy (or certified interval arithmetic,
labelled numeric), rendered as Markdown with LaTeX.

Modules, one job each: :mod:`~lab.derivation.steps` (step and justification types),
:mod:`~lab.derivation.signs` (sympy sign proofs), :mod:`~lab.derivation.numeric` (interval
arithmetic), :mod:`~lab.derivation.check` (the checker), :mod:`~lab.derivation.render`
(Markdown and LaTeX), :mod:`~lab.derivation.lemmas` (named lemmas),
:mod:`~lab.derivation.registry` (discovery of ``proofs/``), :mod:`~lab.derivation.files`
(atomic writes).
"""

from lab.derivation.check import DerivationError, Report, StepResult, check
from lab.derivation.render import render_markdown
from lab.derivation.steps import (Algebra, Assumption, Chain, Cited, Derivation, FromLemma,
                                  Given, Lemma, Monotone, NoCounterexample, Numeric,
                                  PositiveFactor, Rewrite, Step, Substitution, SumOfTerms,
                                  rel)

__all__ = ["Algebra", "Assumption", "Chain", "Cited", "Derivation", "DerivationError",
           "FromLemma", "Given", "Lemma", "Monotone", "NoCounterexample", "Numeric",
           "PositiveFactor", "Report", "Rewrite", "Step", "StepResult", "Substitution",
           "SumOfTerms", "check", "rel", "render_markdown"]
