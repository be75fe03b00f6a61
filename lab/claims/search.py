"""Hypothesis-driven counterexample search, run programmatically.

:func:`run_search` wraps the claim's instance strategy in a ``@given`` test that evaluates one
instance and raises :class:`_Falsified` when the statement fails there. Hypothesis generates
instances, and on the first failure *shrinks* it to a minimal one; the exception that escapes
the test is the one of the shrunk instance. The run is deterministic
(``derandomize=True`` for seed 0, ``@seed(seed)`` otherwise) and uses no example database.

Generation is *targeted* (``hypothesis.target``) at the observation's ratio, so the search
climbs towards the tightest instances, and past ratio 1 to violations.

A wall-clock budget is honoured without confusing hypothesis: once it is spent, the remaining
examples return immediately (they pass), so nothing is shrunk because of the clock.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings, target
from hypothesis import seed as hyp_seed

from lab.claims.claim import Budget, Observation, Search


class _Falsified(Exception):
    """Raised inside the property when an instance violates the claim."""

    def __init__(self, observation: Observation):
        super().__init__(observation.label)
        self.observation = observation


@dataclass
class SearchOutcome:
    """What a search found: the shrunk counterexample (if any) and the worst ratio seen."""

    counterexample: Observation | None
    worst: Observation | None
    evaluations: int
    seconds: float
    ratios: list = field(default_factory=list)


def run_search(search: Search, budget: Budget, seed: int = 0) -> SearchOutcome:
    """Hunt for a counterexample with hypothesis.

    Parameters
    ----------
    search : Search
        The claim's strategy and evaluator.
    budget : Budget
        ``examples`` (hypothesis ``max_examples``) and ``seconds``.
    seed : int
        0: hypothesis's derandomized stream; other values seed it.

    Returns
    -------
    SearchOutcome

    Examples
    --------
    >>> from hypothesis import strategies as st
    >>> from lab.claims.claim import BUDGETS
    >>> s = Search(lambda: st.floats(0, 10),
    ...            lambda x, budget: Observation(x * x <= 50, x * x / 50, f"x = {x}"))
    >>> out = run_search(s, BUDGETS["quick"])
    >>> out.counterexample.label  # shrunk to the smallest failing float hypothesis can find
    'x = 8.0'
    """
    state = {"n": 0, "worst": None, "failed": False}
    ratios: list = []
    start = time.perf_counter()

    def evaluate(instance) -> None:
        # out of time: pass quickly, but never once a failure was seen (hypothesis replays and
        # shrinks it, and a replay that passed would look flaky)
        if (time.perf_counter() - start > budget.seconds and state["n"] > 0
                and not state["failed"]):
            return
        obs = search.evaluate(instance, budget)
        state["n"] += 1
        if obs.ratio is not None:
            ratios.append((obs.label, float(obs.ratio)))
            if math.isfinite(obs.ratio):
                # targeted search: steer generation towards the largest ratio (the tightest
                # instances of a bound, and past 1 its violations)
                target(float(obs.ratio), label="observed/bound")
        if obs.ratio is not None and math.isfinite(obs.ratio) and (
                state["worst"] is None or obs.ratio > state["worst"].ratio):
            state["worst"] = obs
        if not obs.ok:
            state["failed"] = True
            raise _Falsified(obs)

    test = given(search.strategy())(evaluate)
    for inst in reversed(search.examples):
        test = example(inst)(test)
    test = settings(max_examples=budget.examples, deadline=None, derandomize=seed == 0,
                    database=None, print_blob=False,
                    phases=(Phase.explicit, Phase.generate, Phase.shrink),
                    suppress_health_check=list(HealthCheck),
                    verbosity=Verbosity.quiet)(test)
    if seed != 0:
        test = hyp_seed(seed)(test)
    found = None
    try:
        test()
    except _Falsified as exc:
        found = exc.observation
    return SearchOutcome(counterexample=found, worst=state["worst"], evaluations=state["n"],
                         seconds=time.perf_counter() - start, ratios=ratios)
