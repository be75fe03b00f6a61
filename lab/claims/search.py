"""Hypothesis-driven counterexample search, run programmatically.

:func:`run_search` wraps the claim's instance strategy in a ``@given`` test that evaluates one
instance and raises :class:`_Falsified` when the statement fails there. Hypothesis generates
instances, and on the first failure *shrinks* it to a minimal one; the exception that escapes
the test is the one of the shrunk instance. The run is deterministic
(``derandomize=True`` for seed 0, ``@seed(seed)`` otherwise) and uses no example database.

Generation is *targeted* at the observation's ratio: every evaluation reports it with
``hypothesis.target``, and the search runs hypothesis's target phase (``Phase.target``), whose
optimiser takes the instances with the largest ratios and hill-climbs their numbers (a number
moves by +-1, 2, 4, ... units, a list choice to its neighbours), so the search climbs towards
the tightest instances, and past ratio 1 to violations. Continuous coordinates are drawn with
:func:`targetable_floats`, on a scale where those unit moves span every scale of the interval.
The target phase starts after half of the examples (hypothesis's schedule) and shares the
budget ``examples`` with generation.

A wall-clock budget is honoured without confusing hypothesis: once it is spent, the remaining
examples return immediately (they pass), so nothing is shrunk because of the clock.

Searches do not use hypothesis's *local constants*. Hypothesis (>= 6.131) also draws numbers
found as literals in the source of every loaded module outside site-packages: the lab's own
modules in a checkout or an editable install, none in a regular install. The stream of a
search, and so a verdict's worst ratio and the figures built from it, would then depend on
how the lab is installed, on every literal anywhere in the lab, and on a time limit that
hypothesis puts on reading them. :func:`without_local_constants` empties that pool while a
search runs, so the stream depends only on the claim, the budget and the seed.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass, field

from hypothesis import HealthCheck, Phase, Verbosity, example, given, settings, target
from hypothesis import strategies as st
from hypothesis import seed as hyp_seed

from lab.claims.claim import Budget, Observation, Search

try:  # a private module of hypothesis (the pool of local constants): absent in some versions
    from hypothesis.internal.conjecture import providers
except ImportError:  # pragma: no cover - very old or rearranged hypothesis
    providers = None


@contextlib.contextmanager
def without_local_constants():
    """Run the block with hypothesis's pool of local constants empty (module docstring).

    A no-op on hypothesis versions without the pool.

    Examples
    --------
    >>> with without_local_constants():
    ...     pass
    """
    if providers is None:  # pragma: no cover - very old or rearranged hypothesis
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if original is None or cache is None:  # pragma: no cover - hypothesis without the pool
        yield
        return
    empty = type(providers.GLOBAL_CONSTANTS)()
    cache.cache.clear()  # drop permitted-constant lists computed with the full pool
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()


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
                    phases=(Phase.explicit, Phase.generate, Phase.target, Phase.shrink),
                    # too_slow: one evaluation is an engine run or a high-precision evaluation
                    # (up to seconds), which is the cost of the check, not a slow strategy;
                    # every other health check stays on
                    suppress_health_check=[HealthCheck.too_slow],
                    verbosity=Verbosity.quiet)(test)
    if seed != 0:
        test = hyp_seed(seed)(test)
    found = None
    try:
        with without_local_constants():
            test()
    except _Falsified as exc:
        found = exc.observation
    return SearchOutcome(counterexample=found, worst=state["worst"], evaluations=state["n"],
                         seconds=time.perf_counter() - start, ratios=ratios)


def targetable_floats(low: float, high: float) -> st.SearchStrategy[float]:
    """Floats in ``[low, high]`` that hypothesis's target phase can climb at every scale.

    Hypothesis's optimiser moves a float by whole units (+-1, 2, 4, ..., 2^20): on
    ``st.floats(-50, 50)`` it never reaches a violation 0.05 wide. Here ``x = a + b``,
    clipped to the interval: ``a`` is a plain ``st.floats(low, high)`` (hypothesis's usual
    values, nasty ones included, and its usual shrinking: a counterexample shrinks to a
    simple ``a`` with ``b = 0`` whenever that still fails), and ``b`` is either 0 or a fine
    offset in ``[-(high - low), high - low]`` drawn on a scale of 2^14 units per interval
    width (a power of two, so exact): one unit moves ``x`` by about ``(high - low)/2^14`` and
    the optimiser's largest moves span the interval.

    Examples
    --------
    >>> from hypothesis import find
    >>> find(targetable_floats(-50.0, 50.0), lambda x: x >= 3.0)
    3.0
    """
    low, high = float(low), float(high)
    if not (math.isfinite(low) and math.isfinite(high) and low < high):
        raise ValueError(f"targetable_floats needs finite low < high, got {low!r}, {high!r}")
    width = high - low
    scale = 2.0 ** (14 - math.ceil(math.log2(width)))
    fine = st.floats(-width * scale, width * scale, allow_nan=False,
                     allow_infinity=False).map(lambda y: y / scale)
    return st.tuples(st.floats(low, high, allow_nan=False, allow_infinity=False),
                     st.one_of(st.just(0.0), fine)).map(
        lambda pair: min(high, max(low, pair[0] + pair[1])))
