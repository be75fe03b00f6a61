"""Planted errors: change one step of a derivation and see whether the checker rejects it.

Pure computation, no I/O. Three kinds of change are planted in every verified step:

- ``constant``: a number in the claim nudged (times 11/10, else times 9/10), keeping the first
  nudge that makes the claim numerically false on its range;
- ``range``: a finite end of a range the step is proved on (its ``where``, a monotonicity or
  ``solveset`` interval, a numeric interval) moved outwards;
- ``lemma argument``: one argument of a lemma the step instantiates doubled, the claim
  re-instantiated so that only the lemma's hypotheses can catch it.

The changed step is checked against the original earlier steps
(:func:`lab.derivation.check.check_step`). Its truth is judged independently by sampling
(:func:`lab.derivation.sampling.numeric_truth`): a change that keeps the claim true is
reported as such and not counted; a false claim that the checker accepts is a soundness bug.
A check that uses more CPU time than the caller's limit (:mod:`lab.time_limits`) is reported
"out of time": neither caught nor missed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Literal

import sympy as sp
from sympy.core.function import AppliedUndef

from lab.derivation import steps as S
from lab.derivation.check import Report, check_step
from lab.derivation.checkers import UNVERIFIED, Proven
from lab.derivation.ranges import Range, interval_within
from lab.derivation.relations import substitute
from lab.derivation.sampling import numeric_truth
from lab.time_limits import OutOfTime, cpu_time_limit

Kind = Literal["constant", "range", "lemma argument"]
Outcome = Literal["caught", "rejected, truth undecided", "kept true", "MISSED",
                  "accepted, truth undecided", "lemma hypotheses still hold", "out of time"]
OUTCOMES = ("caught", "rejected, truth undecided", "kept true", "lemma hypotheses still hold",
            "MISSED", "accepted, truth undecided", "out of time")


@dataclass(frozen=True, kw_only=True)
class Plant:
    """One planted change: the step it replaces, what changed, and (for a range change) the
    widened condition the changed step claims."""

    label: str
    kind: Kind
    change: str
    step: S.Step
    widened: tuple = ()


@dataclass(frozen=True, kw_only=True)
class PlantResult:
    """A planted change judged: checker ``rejected`` it (with ``detail``), and its ``truth``
    by sampling ("false", "true", "undecided") with a violating ``point`` when false;
    ``out_of_time``: the check ran past its time limit (neither rejected nor accepted)."""

    plant: Plant
    rejected: bool
    detail: str
    truth: str
    point: str = ""
    out_of_time: bool = False

    @property
    def outcome(self) -> Outcome:
        """One of :data:`OUTCOMES`. A lemma argument changed so that every hypothesis still
        holds gives a claim that follows from the lemma: accepted, it is reported apart
        ("lemma hypotheses still hold") when sampling cannot judge it."""
        if self.truth == "true":
            return "kept true"
        if self.out_of_time:
            return "out of time"
        if self.rejected:
            return "caught" if self.truth == "false" else "rejected, truth undecided"
        if self.truth == "false":
            return "MISSED"
        if self.plant.kind == "lemma argument" and "hypotheses checked" in self.detail:
            return "lemma hypotheses still hold"
        return "accepted, truth undecided"


def deep_replace(obj, mapping: dict):
    """``obj`` (a step, justification, claim or tuple of them) with every sympy expression
    inside it ``xreplace``-d by ``mapping``.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> deep_replace((S.rel(x, "<=", 2), S.Algebra()), {sp.Integer(2): sp.Integer(3)})[0]
    x <= 3
    """
    if isinstance(obj, sp.core.relational.Relational):  # kept unevaluated, as built by rel
        return obj.func(*(side.xreplace(mapping) for side in obj.args), evaluate=False)
    if isinstance(obj, sp.Basic):
        return obj.xreplace(mapping)
    if isinstance(obj, tuple):
        return tuple(deep_replace(item, mapping) for item in obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        if isinstance(obj, S.Lemma):
            return obj
        return dataclasses.replace(obj, **{f.name: deep_replace(getattr(obj, f.name), mapping)
                                           for f in dataclasses.fields(obj)})
    return obj


def _parts(claim):
    return claim.parts if isinstance(claim, S.Conjunction) else (claim,)


def _nudges(number):
    if number == 0:
        return (sp.Rational(1, 10), -sp.Rational(1, 10))
    return (number * sp.Rational(11, 10), number * sp.Rational(9, 10))


def constant_plants(step: S.Step, step_range: Range):
    """For each number of the claim, the first nudge that makes the claim false (or, when
    none does, the last one tried, to be reported as keeping the claim true)."""
    numbers = sorted({n for part in _parts(step.claim) for n in part.atoms(sp.Number)
                      if n.is_finite}, key=float)
    for number in numbers:
        for nudged in _nudges(number):
            claim = deep_replace(step.claim, {number: nudged})
            if claim == step.claim:
                continue
            truth = _truth(claim, step_range)
            if truth[0] != "true" or nudged == _nudges(number)[-1]:
                yield Plant(label=step.label, kind="constant", change=f"{number} -> {nudged}",
                            step=dataclasses.replace(step, claim=claim)), truth
                break


def _truth(claim, step_range):
    verdicts = [numeric_truth(part, step_range) for part in _parts(claim)]
    for verdict in verdicts:
        if verdict[0] == "false":
            return verdict
    if all(v[0] == "true" for v in verdicts):
        return "true", ""
    return "undecided", ""


def _wider(interval):
    """``interval`` with each finite end moved outwards (by 1 or its size, or doubled)."""
    start, end = interval.start, interval.end
    if end.is_finite:
        end = end + max(1, abs(end)) if end.is_number else 2 * end
    if start.is_finite:
        start = start - max(1, abs(start)) if start.is_number else start - 1
    return sp.Interval(start, end, interval.left_open, interval.right_open)


def _range_changes(why):
    """(description, changed justification, var, widened interval) for each range inside."""
    if isinstance(why, S.Monotone) and why.end is not sp.oo:
        wide = _wider(sp.Interval(why.start, why.end))
        yield (f"monotonicity range end {why.end} -> {wide.end}",
               dataclasses.replace(why, end=wide.end), why.var, sp.Interval(why.start, wide.end))
    if isinstance(why, S.NoCounterexample) and isinstance(why.domain, sp.Interval):
        wide = _wider(why.domain)
        if wide != why.domain:
            yield (f"solveset range {why.domain} -> {wide}",
                   dataclasses.replace(why, domain=wide), why.var, wide)
    if isinstance(why, S.Numeric):
        wide = _wider(sp.Interval(why.lo, why.hi))
        yield (f"numeric range [{why.lo}, {why.hi}] -> [{wide.start}, {wide.end}]",
               dataclasses.replace(why, lo=wide.start, hi=wide.end), why.var, wide)
    for field in ("derivative", "rest"):
        inner = getattr(why, field, None)
        if inner is not None:
            for text, changed, var, wide in _range_changes(inner):
                yield text, dataclasses.replace(why, **{field: changed}), var, wide


def range_plants(step: S.Step):
    """Each finite range of the step (``where`` or inside its justification) widened."""
    for i, (var, interval) in enumerate(step.where):
        wide = _wider(interval)
        if wide != interval:
            where = step.where[:i] + ((var, wide),) + step.where[i + 1:]
            yield Plant(label=step.label, kind="range", change=f"where {var}: {interval} -> "
                        f"{wide}", step=dataclasses.replace(step, where=where),
                        widened=((var, wide),))
    for text, changed, var, wide in _range_changes(step.why):
        yield Plant(label=step.label, kind="range", change=text,
                    step=dataclasses.replace(step, why=changed), widened=((var, wide),))


def lemma_plants(step: S.Step):
    """Each argument of a lemma the step instantiates that its hypotheses constrain, doubled
    (the claim re-instantiated, so that only the hypotheses can catch it)."""
    why = step.why
    if not isinstance(why, S.FromLemma):
        return
    constrained = set()
    for hypothesis in why.lemma.hypotheses:
        if isinstance(hypothesis, sp.Basic):
            constrained |= hypothesis.free_symbols | hypothesis.atoms(AppliedUndef)
    for i, (old, value) in enumerate(why.subs):
        if old not in constrained:
            continue
        new = 2 * value if value != 0 else sp.Integer(1)
        subs = why.subs[:i] + ((old, new),) + why.subs[i + 1:]
        claim = substitute(why.lemma.conclusion, dict(subs))
        yield Plant(label=step.label, kind="lemma argument", change=f"{old}: {value} -> {new}",
                    step=dataclasses.replace(step, claim=claim,
                                             why=dataclasses.replace(why, subs=subs)))


def _earlier(derivation: S.Derivation, report: Report, label: str) -> dict:
    proven = {}
    for step, result in zip(derivation.steps, report.results):
        if step.label == label:
            break
        if result.ok and step.claim is not None:
            proven[step.label] = Proven(step.claim, result.range)
    return proven


def judge(derivation: S.Derivation, report: Report, plant: Plant, truth,
          time_limit: float | None = None) -> PlantResult:
    """Check the planted step against the original earlier steps; a range change counts as
    accepted only when the changed step's range really contains the widened interval. A
    change that keeps the claim true is not checked (it is reported, not counted). A check
    that uses more than ``time_limit`` seconds of CPU time
    (:func:`lab.time_limits.cpu_time_limit`) is stopped and reported "out of time"."""
    if truth[0] == "true":
        return PlantResult(plant=plant, rejected=False, truth="true",
                           detail="not checked: the change keeps the claim true")
    try:
        with cpu_time_limit(time_limit):
            verdict = check_step(plant.step, _earlier(derivation, report, plant.label),
                                 derivation.fixed)
    except OutOfTime:
        return PlantResult(plant=plant, rejected=False, truth=truth[0], point=truth[1],
                           out_of_time=True,
                           detail=f"the check used more than {time_limit} s of CPU time")
    except Exception as exc:  # noqa: BLE001 - any failure is a rejection, with its reason
        return PlantResult(plant=plant, rejected=True, detail=str(exc).splitlines()[0],
                           truth=truth[0], point=truth[1])
    for var, wide in plant.widened:
        if not all(interval_within(wide, c) for c in verdict.range.on(var)):
            return PlantResult(plant=plant, rejected=True, truth=truth[0], point=truth[1],
                               detail="accepted only on a narrower range (printed beside "
                                      "the claim): the widening did not take")
    return PlantResult(plant=plant, rejected=False, detail=verdict.detail, truth=truth[0],
                       point=truth[1])


def _plants(step: S.Step, step_range: Range, kinds):
    """The planted changes of ``step`` with their truth; when sampling cannot confirm the
    original claim (it speaks of quantities fixed by the argument, such as f(x)), the truth of
    every change is undecided."""
    judged = _truth(step.claim, step_range)[0] == "true"
    undecided = ("undecided", "")
    if "constant" in kinds:
        for plant, truth in constant_plants(step, step_range):
            yield plant, truth if judged else undecided
    if "range" in kinds:
        for plant in range_plants(step):
            var, wide = plant.widened[0]
            wider = step_range.without([var]) & Range.of((var, wide))
            yield plant, _truth(plant.step.claim, wider) if judged else undecided
    if "lemma argument" in kinds:
        for plant in lemma_plants(step):
            yield plant, _truth(plant.step.claim, step_range) if judged else undecided


def plant_errors(derivation: S.Derivation, report: Report, *,
                 kinds=("constant", "range", "lemma argument"), labels=None,
                 time_limit: float | None = None, on_result=None) -> list:
    """Plant every change of ``kinds`` in every verified step (or the steps ``labels``)
    of ``derivation`` (``report`` is its check) and judge each: the check of one changed
    step stops after ``time_limit`` seconds of CPU time (None: no limit), and
    ``on_result(result)`` is called after each (progress).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation import Derivation, Step, Algebra, check, rel
    >>> x = sp.Symbol("x", positive=True)
    >>> d = Derivation("demo", "Demo", "", (Step("s", rel(x**2 + 1, ">=", 2 * x), Algebra()),),
    ...                "", ())
    >>> [r.outcome for r in plant_errors(d, check(d), kinds=("constant",))]
    ['caught', 'caught']
    """
    out = []
    for step, result in zip(derivation.steps, report.results):
        if not result.verified or step.claim is None or isinstance(step.why, UNVERIFIED):
            continue
        if labels is not None and step.label not in labels:
            continue
        if isinstance(step.claim, S.Proposition):
            continue
        for plant, truth in _plants(step, result.range, kinds):
            out.append(judge(derivation, report, plant, truth, time_limit))
            if on_result is not None:
                on_result(out[-1])
    return out


def tally(results) -> dict:
    """How many planted changes ended in each outcome (every outcome listed)."""
    counts = {outcome: 0 for outcome in OUTCOMES}
    for result in results:
        counts[result.outcome] += 1
    return counts
