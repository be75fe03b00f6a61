"""Run a claim's checks: :func:`check_claim`, :func:`check_all`, :func:`get_claim`."""

from __future__ import annotations

import dataclasses
import math
import time
from typing import Any

from tqdm import tqdm

from lab.claims.catalog import catalog, get_claim
from lab.claims.claim import (Budget, Claim, ClaimVerdict, Observation, Prove, Search, Sweep,
                              as_budget)
from lab.claims.streams import (check_streams, claim_ref, merge_outcomes, resolve_claim,
                                run_stream, stream_seeds, tolerate_foreign_random)
from lab.claims.whole import attach_whole, whole_class_variant
from lab.derivation import check as check_derivation
from lab.derivation import registry
from lab.errors import LabInputError
from lab.parallel import map_tasks
from lab.validate import check_int


def _fmt_obs(obs: Observation) -> str:
    text = obs.label
    if obs.detail:
        text += f" [{obs.detail}]"
    return text



def _select(claim: Claim, method: str | None):
    if method is None:
        return claim.checks[0]
    for c in claim.checks:
        if c.name == method:
            return c
    raise LabInputError(f"claim {claim.name!r} has no {method!r} check; it has: "
                        f"{', '.join(claim.check_names)}")


def check_claim(claim_or_name: Any, *, budget: Any = "default", seed: int = 0,
                method: str | None = None, streams: int = 1, client: Any = None
                ) -> ClaimVerdict:
    """Check one claim and say whether it survives.

    Parameters
    ----------
    claim_or_name : Claim or str
        A :class:`Claim` (catalogued or user-defined) or a catalogue name.
    budget : {"quick", "default", "thorough"} or Budget
    seed : int
        0 is hypothesis's derandomized stream; other seeds give other streams.
    method : {"search", "sweep", "prove", "adversary"}, optional
        Which of the claim's checks to run (default: its first).
    streams : int
        Independent search streams with the seeds ``seed, seed + 1, ...``, merged in seed
        order (:mod:`lab.claims.streams`); 1 (the default) is the single search.
    client : distributed.Client, optional
        Run the streams (or the check) on its workers; the verdict is the same bits. A
        check with ``distributes = True`` (the whole-class adversary) is called here as
        ``check.run(budget, seed, client=client)`` and spreads its own tasks.

    Returns
    -------
    ClaimVerdict
        ``verdict`` "holds" when no counterexample was found (or the derivation checks),
        "refuted" with the shrunk ``counterexample`` otherwise.

    Examples
    --------
    >>> v = check_claim("mistake-exp-sum-l0-zero", budget="quick")
    >>> v.verdict, v.matches_expectation
    ('refuted', True)
    >>> v.counterexample.split(" [")[0]
    'x = 0.0 with (L0, L1) = (0, 1)'
    """
    claim = claim_or_name if isinstance(claim_or_name, Claim) else get_claim(claim_or_name)
    b = as_budget(budget)
    seed = check_int(seed, "seed", minimum=0)
    check = _select(claim, method)
    seeds = stream_seeds(seed, streams)
    check_streams(claim.name, check, streams)
    start = time.perf_counter()
    if isinstance(check, Search):
        return _from_search(claim, check, b, seeds, start, client)
    spreads = getattr(check, "distributes", False)  # a check that cuts its own tasks
    if client is not None and not spreads:  # one task: the check runs on a worker
        task = (claim_ref(claim), b, seed, method, 1)
        fields = map_tasks(verdict_fields, [task], star=True, client=client, name="claim",
                           describe=lambda t: claim.name)[0]
        return ClaimVerdict(claim=claim, **fields)
    if isinstance(check, Sweep):
        observations = check.run(b, seed, client=client) if spreads else check.run(b, seed)
        return _from_sweep(claim, observations, start, check.name)
    if isinstance(check, Prove):
        return _from_proof(claim, check, start)
    raise TypeError(f"unknown check {check!r}")


def verdict_fields(claim: Claim | str, budget: Budget, seed: int, method: str | None,
                   streams: int) -> dict[str, Any]:
    """Check one claim in this process (a task) and return its verdict's fields but the claim.

    ``claim``: a claim or a catalogued claim's name (:func:`lab.claims.streams.claim_ref`).
    The claim object stays where it was built; the caller puts the verdict back together.

    Examples
    --------
    >>> verdict_fields(get_claim("mistake-exp-sum-l0-zero"), as_budget("quick"), 0, None,
    ...                1)["verdict"]
    'refuted'
    """
    with tolerate_foreign_random():
        verdict = check_claim(resolve_claim(claim), budget=budget, seed=seed, method=method,
                              streams=streams)
    return {f.name: getattr(verdict, f.name) for f in dataclasses.fields(verdict)
            if f.name != "claim"}


def _from_search(claim: Claim, check: Search, b: Budget, seeds: list[int], start: float,
                 client: Any) -> ClaimVerdict:
    ref = claim_ref(claim) if client is not None else claim
    outcomes = map_tasks(run_stream, [(ref, check.name, b, s) for s in seeds], star=True,
                         client=client, name="search-stream",
                         describe=lambda t: f"claim {claim.name!r}, stream seed {t[3]}")
    out = merge_outcomes(outcomes)
    seconds = time.perf_counter() - start
    if out.counterexample is not None:
        obs = out.counterexample
        ratio = obs.ratio if obs.ratio is not None else None
        return ClaimVerdict(
            claim=claim, verdict="refuted", worst_ratio=ratio, where=obs.label,
            counterexample=_fmt_obs(obs), method="search", evaluations=out.evaluations,
            seconds=seconds, ratios=out.ratios)
    worst = out.worst
    return ClaimVerdict(
        claim=claim, verdict="holds", worst_ratio=worst.ratio if worst else None,
        where=_fmt_obs(worst) if worst else "", counterexample=None, method="search",
        evaluations=out.evaluations, seconds=seconds, ratios=out.ratios)


def _from_sweep(claim: Claim, observations: list, start: float, name: str = "sweep"
                ) -> ClaimVerdict:
    seconds = time.perf_counter() - start
    ratios = [(o.label, float(o.ratio)) for o in observations if o.ratio is not None]
    failures = [o for o in observations if not o.ok]
    finite = [o for o in observations if o.ratio is not None and math.isfinite(o.ratio)]
    if failures:
        worst = max(failures, key=lambda o: -math.inf if o.ratio is None else o.ratio)
        return ClaimVerdict(
            claim=claim, verdict="refuted", worst_ratio=worst.ratio, where=worst.label,
            counterexample=_fmt_obs(worst), method=name, evaluations=len(observations),
            seconds=seconds, ratios=ratios)
    worst = max(finite, key=lambda o: o.ratio) if finite else None
    if worst is not None:
        where = _fmt_obs(worst)
    else:  # nothing quantitative (certificates, a fixed point): say what was established
        where = "; ".join(_fmt_obs(o) for o in observations)
    return ClaimVerdict(
        claim=claim, verdict="holds", worst_ratio=worst.ratio if worst else None, where=where,
        counterexample=None, method=name, evaluations=len(observations), seconds=seconds,
        ratios=ratios)


def _from_proof(claim: Claim, check: Prove, start: float) -> ClaimVerdict:
    report = check_derivation(registry.load(check.derivation))
    seconds = time.perf_counter() - start
    if report.ok:
        return ClaimVerdict(
            claim=claim, verdict="holds", worst_ratio=None,
            where=f"proofs/{check.derivation}.py: every step checks", counterexample=None,
            method="prove", evaluations=len(report.results), seconds=seconds)
    return ClaimVerdict(
        claim=claim, verdict="refuted", worst_ratio=None, where=f"proofs/{check.derivation}.py",
        counterexample=report.summary(), method="prove", evaluations=len(report.results),
        seconds=seconds)


def check_all(*, budget: Any = "default", seed: int = 0, progress: bool = True,
              client: Any = None, claims: list[Claim] | None = None,
              whole: bool = False) -> list[ClaimVerdict]:
    """Check every catalogued claim (or every claim of ``claims``) with its default check.

    Parameters
    ----------
    budget : {"quick", "default", "thorough"}
    seed : int
    progress : bool
        Show a tqdm progress bar on stderr (it follows the claims as they finish).
    client : distributed.Client, optional
        Check the claims on its workers, one task per claim; the verdicts are the same bits
        as in this process (wall-clock ``seconds`` aside).
    claims : list of Claim, optional
        Claims to check instead of the catalogue (e.g. from
        :func:`lab.claims.files.load_claims`).
    whole : bool
        Also check each catalogued claim's whole-class variant (:mod:`lab.claims.whole`) and
        the constant brackets of derived bounds; attached as ``verdict.whole``,
        ``verdict.whole_note`` and ``verdict.brackets`` (the catalogue only).

    Returns
    -------
    list of ClaimVerdict, in catalogue order.

    Examples
    --------
    >>> verdicts = check_all(budget="quick", progress=False)  # doctest: +SKIP
    >>> all(v.matches_expectation for v in verdicts)  # doctest: +SKIP
    True
    """
    b = as_budget(budget)
    whole = whole and claims is None
    claims = catalog() if claims is None else list(claims)
    extra: list[Claim] = []
    if whole:
        extra = [v for v in (whole_class_variant(c.name) for c in claims) if v is not None]
    todo = claims + extra
    bar = None
    if progress:
        bar = tqdm(total=len(todo), desc="claims", unit="claim", leave=False)

    def done(index: int, fields: dict) -> None:
        if bar is not None:
            bar.set_postfix_str(todo[index].name)
            bar.update()

    try:
        refs = todo if client is None else [claim_ref(c) for c in todo]
        fields = map_tasks(verdict_fields, [(r, b, seed, None, 1) for r in refs],
                           star=True, client=client, name="claim",
                           describe=lambda t: str(getattr(t[0], "name", t[0])), on_result=done)
    finally:
        if bar is not None:
            bar.close()
    verdicts = [ClaimVerdict(claim=c, **f) for c, f in zip(todo, fields)]
    if not whole:
        return verdicts
    return attach_whole(verdicts[: len(claims)], verdicts[len(claims):], b, client=client)
