"""A claim search's stream does not depend on which local modules are loaded.

Hypothesis (>= 6.131) draws, besides its own "nasty" values, numbers that appear as literals
in loaded modules outside site-packages. For the lab that would make every worst ratio (and
figure g) depend on the install mode and on unrelated literals anywhere in the code;
``lab.claims.search.without_local_constants`` empties that pool during a search.
"""

from __future__ import annotations

import importlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.claims import Observation, Search
from lab.claims.claim import Budget
from lab.claims.search import run_search

CONSTANTS = (12.375, 33.125, 47.0625, 71.5, 88.25)
BUDGET = Budget(name="test", examples=300, seconds=float("inf"), grid=3, max_iter=10, seeds=1)


def _load_constants_module(tmp_path, monkeypatch):
    (tmp_path / "lab_extra_constants_mod.py").write_text(
        "VALUES = (" + ", ".join(repr(v) for v in CONSTANTS) + ")\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.import_module("lab_extra_constants_mod")


def _search() -> Search:
    return Search(lambda: st.floats(0, 100),
                  lambda x, budget: Observation(True, x / 100, f"x = {x!r}"))


def test_search_stream_ignores_local_constants(tmp_path, monkeypatch):
    """Same claim, budget and seed -> the same instances, before and after a module whose
    literals hypothesis would draw is loaded."""
    before = run_search(_search(), BUDGET).ratios
    _load_constants_module(tmp_path, monkeypatch)
    after = run_search(_search(), BUDGET).ratios
    assert after == before
    assert not {float(label[4:]) for label, _ in after} & set(CONSTANTS)


def test_plain_hypothesis_draws_local_constants(tmp_path, monkeypatch):
    """The control: without the guard, a derandomized hypothesis run does draw a literal of
    the loaded module (so the test above checks a real effect)."""
    providers = pytest.importorskip("hypothesis.internal.conjecture.providers")
    if not hasattr(providers, "_get_local_constants"):
        pytest.skip("this hypothesis has no local-constants pool")
    _load_constants_module(tmp_path, monkeypatch)
    seen = []

    @settings(max_examples=300, derandomize=True, database=None)
    @given(st.floats(0, 100))
    def collect(x):
        seen.append(x)

    collect()
    assert set(seen) & set(CONSTANTS)
