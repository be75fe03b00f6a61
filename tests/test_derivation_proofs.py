"""Every derivation in proofs/ checks, its committed render is fresh, and each rendered
document has the required parts; lemmas used across derivations are really proved there."""

from __future__ import annotations

import pytest

from lab.derivation import check, registry, render_markdown
from lab.derivation.check import same_claim
from lab.derivation import lemmas as LM

NAMES = registry.names()
EXPECTED = {"blog_derivation", "blog_condition_gap", "clipping_vs_normalized",
            "exponential_steps", "clipped_gd_complexity", "frontiers"}


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


def test_lemmas_proved_elsewhere_are_concluded_there():
    """A lemma that names the derivation proving it must match a verified step there."""
    lemmas = [LM.EXP_DESCENT, LM.NORMALIZED_LE_CLIPPED, LM.CLIPPED_LE_TWICE_NORMALIZED]
    for lemma in lemmas:
        name = lemma.proved_in.removeprefix("proofs/").removesuffix(".md")
        steps = registry.load(name).steps
        # cheap filter first: same free symbols, then the checker's own comparison
        candidates = [s.claim for s in steps if s.claim is not None
                      and s.claim.free_symbols == lemma.conclusion.free_symbols]
        assert any(same_claim(c, lemma.conclusion) for c in candidates), lemma.name


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
