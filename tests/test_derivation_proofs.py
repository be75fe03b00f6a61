"""Every derivation in proofs/ checks, its committed render is fresh, and each rendered
document has the required parts; lemmas used across derivations are really proved there."""

from __future__ import annotations

import pytest

import sympy as sp

from lab.derivation import check, registry, render_markdown
from lab.derivation.glossary import cross_lint, lint
from lab.derivation.links import check_lemma_links
from lab.derivation.steps import Conjunction, Proposition

NAMES = registry.names()
EXPECTED = {"blog_derivation", "blog_condition_gap", "clipping_vs_normalized",
            "exponential_steps", "clipped_gd_complexity", "frontiers", "order_lemmas"}


@pytest.fixture(scope="module")
def reports():
    """Each derivation checked once for the whole module."""
    return {name: check(registry.load(name)) for name in NAMES}


def test_the_six_derivations_are_discovered():
    assert EXPECTED <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_derivation_checks(name, reports):
    report = reports[name]
    assert report.ok, report.summary()


@pytest.mark.parametrize("name", NAMES)
def test_committed_render_is_fresh(name, reports):
    path = registry.render_path(name)
    assert path.exists(), f"proofs/{name}.md missing: run `python -m lab derive {name}`"
    fresh = render_markdown(registry.load(name), reports[name])
    assert path.read_text(encoding="utf-8") == fresh, (
        f"proofs/{name}.md is stale: run `python -m lab derive {name}`")


@pytest.mark.parametrize("name", NAMES)
def test_rendered_document_has_required_parts(name):
    text = registry.render_path(name).read_text(encoding="utf-8")
    assert text.startswith("# ")
    for heading in ("## Statement", "## Assumptions and unverified facts", "## Derivation",
                    "## Conclusion", "## Sources (provenance, in PAPER.md's tags)"):
        assert heading in text, heading
    assert "**Step 1**" in text and "*Justification:*" in text
    sources = text.split("## Sources")[1]
    assert any(f"**[{tag}]**" in sources for tag in "QRDF")
    assert "$$" in text  # LaTeX display math
    assert "FAILED" not in text


def test_lemmas_proved_elsewhere_are_concluded_there(reports):
    """Every lemma names the derivation proving it, and a verified step there concludes it
    with a range of validity implied by the lemma's hypotheses."""
    assert check_lemma_links(registry.load, lambda d: reports[d.name]) == []


@pytest.mark.parametrize("name", NAMES)
def test_headline_is_the_final_checked_step(name, reports):
    """The statement is assembled in a checked step, the last one, not in prose."""
    report = reports[name]
    last = registry.load(name).steps[-1]
    assert report.results[-1].verified and last.claim is not None
    if name not in ("order_lemmas",):
        assert isinstance(last.claim, Conjunction) or name == "blog_condition_gap"


@pytest.mark.parametrize("name", NAMES)
def test_symbols_lint(name):
    """No two different symbols print alike; every shown symbol has a meaning; no shared
    symbol is redefined."""
    assert lint(registry.load(name)) == []


def test_one_meaning_per_symbol_across_the_derivations():
    assert cross_lint([registry.load(name) for name in NAMES]) == []


@pytest.mark.parametrize("name", NAMES)
def test_claims_are_shown_unevaluated(name):
    """No display reads "X = X": a claim's two sides never print the same."""
    for step in registry.load(name).steps:
        parts = step.claim.parts if isinstance(step.claim, Conjunction) else (step.claim,)
        for claim in parts:
            if claim is None or isinstance(claim, Proposition):
                continue
            assert sp.latex(claim.lhs) != sp.latex(claim.rhs), (name, step.label)


@pytest.mark.parametrize("name", NAMES)
def test_header_states_the_true_counts(name, reports):
    text = registry.render_path(name).read_text(encoding="utf-8")
    header = text.splitlines()[2]
    assert reports[name].counts() in header
    assert "every step verified" not in text
    assert "??" not in text  # every [[label]] reference resolved


def test_theorem3_document_states_the_finding():
    text = registry.render_path("clipped_gd_complexity").read_text(encoding="utf-8")
    assert "**does follow**" in text
    assert "[R]" in text or "**[R]**" in text


def test_unknown_name_is_a_clear_error():
    from lab.errors import LabInputError

    with pytest.raises(LabInputError, match="unknown derivation 'nope'; known: "):
        registry.load("nope")


def test_committed_index_is_fresh(reports):
    from lab.derivation.render import render_index

    fresh = render_index([(registry.load(name), reports[name]) for name in NAMES])
    assert registry.index_path().read_text(encoding="utf-8") == fresh, (
        "proofs/README.md is stale: run `python -m lab derive --all`")


def test_imported_lemmas_are_listed_at_the_top():
    text = registry.render_path("clipped_gd_complexity").read_text(encoding="utf-8")
    top = text.split("## Derivation")[0]
    assert "**Imported lemma** exponential descent lemma" in top
