"""Claim checks as deterministic tasks: independent search streams and one task per claim.

A *stream* is one hypothesis search with its own seed (:func:`lab.claims.search.run_search`);
a hunt of ``streams`` streams runs the seeds ``seed, seed + 1, ..., seed + streams - 1``
(seed 0 is hypothesis's derandomized stream) and merges them in seed order
(:func:`merge_outcomes`): the counterexample of the first stream that found one, the largest
ratio (the earliest stream's on a tie), the tried instances stream after stream. One stream is
exactly the search the lab has always run. Each stream depends only on the claim, the budget
and its seed, so the merged result is the same bits whichever worker ran which stream.

For the catalogue, the task is one claim's whole check
(:func:`lab.claims.check.verdict_fields`), put back together in catalogue order.
"""

from __future__ import annotations

import contextlib
import math
import warnings
from collections.abc import Iterator
from typing import Any

from hypothesis.errors import HypothesisDeprecationWarning

from lab.claims.catalog import catalog
from lab.claims.claim import Budget, Claim, Search
from lab.claims.search import SearchOutcome, run_search
from lab.errors import LabInputError
from lab.validate import check_int


def stream_seeds(seed: int, streams: int) -> list[int]:
    """The seeds of ``streams`` independent streams starting at ``seed``.

    Examples
    --------
    >>> stream_seeds(0, 3)
    [0, 1, 2]
    """
    seed = check_int(seed, "seed", minimum=0)
    streams = check_int(streams, "streams", minimum=1)
    return list(range(seed, seed + streams))


@contextlib.contextmanager
def tolerate_foreign_random() -> Iterator[None]:
    """Run a search where other threads draw from the global :mod:`random` (a Dask worker).

    Hypothesis compares the global ``random`` state before and after drawing an instance and
    warns that a *strategy* used ``random`` when it changed. On a Dask worker the worker's
    own event-loop thread draws from ``random`` (retry jitter, connection back-off) while a
    task runs, and hypothesis takes that for the strategy. The lab's strategies draw only
    from hypothesis (``tests/test_parallel.py`` runs searches in one process with this
    warning as an error), so inside a claim task that one warning is ignored; every other
    warning still shows.

    Examples
    --------
    >>> with tolerate_foreign_random():
    ...     pass
    """
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="Do not use the `random` module inside "
                                "strategies", category=HypothesisDeprecationWarning)
        yield


#: The catalogue by name, built once per process when a task needs it.
_CATALOGUE: dict[str, Claim] = {}


def _catalogue() -> dict[str, Claim]:
    if not _CATALOGUE:
        _CATALOGUE.update((c.name, c) for c in catalog())
    return _CATALOGUE


def _fingerprint(claim: Claim) -> tuple:
    return (claim.name, claim.title, claim.statement, claim.source, claim.tag, claim.kind,
            claim.expected, claim.check_names)


def claim_ref(claim: Claim) -> Claim | str:
    """How a claim travels to a worker: a catalogued claim by its name (the worker rebuilds
    it: some checks hold sympy numbers that pickle but do not unpickle), any other claim as
    itself.

    Examples
    --------
    >>> claim_ref(_catalogue()["fact-exp"])
    'fact-exp'
    """
    known = _catalogue().get(claim.name)
    return claim.name if known is not None and _fingerprint(known) == _fingerprint(claim) \
        else claim


def resolve_claim(ref: Claim | str) -> Claim:
    """The claim a :func:`claim_ref` stands for."""
    return _catalogue()[ref] if isinstance(ref, str) else ref


def run_stream(ref: Claim | str, check_name: str, budget: Budget, seed: int) -> SearchOutcome:
    """One search stream (a task): the claim's search ``check_name`` with its own seed."""
    search = next(c for c in resolve_claim(ref).checks if c.name == check_name)
    with tolerate_foreign_random():
        return run_search(search, budget, seed)


def merge_outcomes(outcomes: list[SearchOutcome]) -> SearchOutcome:
    """The streams' outcomes as one, in stream order (module docstring).

    Examples
    --------
    >>> from lab.claims.claim import Observation
    >>> a = SearchOutcome(None, Observation(True, 0.5, "a"), 10, 1.0, [("a", 0.5)])
    >>> b = SearchOutcome(None, Observation(True, 0.5, "b"), 12, 2.0, [("b", 0.5)])
    >>> m = merge_outcomes([a, b])
    >>> m.worst.label, m.evaluations, m.ratios
    ('a', 22, [('a', 0.5), ('b', 0.5)])
    """
    found = next((o.counterexample for o in outcomes if o.counterexample is not None), None)
    worst = None
    for o in outcomes:
        w = o.worst
        if w is not None and w.ratio is not None and math.isfinite(w.ratio) and (
                worst is None or w.ratio > worst.ratio):
            worst = w
    return SearchOutcome(counterexample=found, worst=worst,
                         evaluations=sum(o.evaluations for o in outcomes),
                         seconds=sum(o.seconds for o in outcomes),
                         ratios=[r for o in outcomes for r in o.ratios])


def check_streams(claim_name: str, check: Any, streams: int) -> None:
    """Refuse several streams for a check that is not a search (one line)."""
    if streams != 1 and not isinstance(check, Search):
        raise LabInputError(f"streams must be 1 for claim {claim_name!r}: its {check.name!r} "
                            f"check is deterministic (streams are for search checks)")
