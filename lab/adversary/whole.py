"""Claims on the whole univariate class: the bridge from a claim's spec to the adversary.

:func:`whole_class_observations` is what a claim with ``[class] whole = "1d"`` runs (through
``lab.claims.kinds``). The spec is duck-typed (this layer does not import :mod:`lab.claims`):

* ``kind == "upper-bound"``: ``method(member, eps, Delta, M)``, ``bound_value(...)``, ``bound``
  (sympy, for the symbols it uses), ``positive_l0``, ``allow_l_smooth``;
* ``kind == "lower-bound"``: as above with ``method(member, eps, Delta, M, value)`` and
  ``values(member, eps, Delta, M)``;
* ``kind == "descent"``: ``model(L0, L1, g, r)`` (mpmath in, mpmath out), optional
  ``radius(member)``, optional ``form``: ``"descent"`` (the default: the model bounds
  ``f(y) - f(x) - f'(x)(y - x)``) or ``"first-order"`` (it bounds ``|f'(y) - f'(x)|``);
* ``kind == "smoothness"``: ``L0_of(L1)``, ``L1_of(L1)``: the constants claimed for the
  members of each listed ``(L0, L1)``.

Each returns ``(ok, ratio, label, detail)`` tuples, ratio oriented so that ``> 1`` means
violated; every tuple stands for a certified member (replayed, or exact in mpmath), and the
label says what it covers.

Examples
--------
>>> from types import SimpleNamespace
>>> spec = SimpleNamespace(kind="smoothness", L0_of=lambda l1: 2.0, L1_of=lambda l1: l1)
>>> cls = SimpleNamespace(pairs=((1.0, 1.0),))
>>> [(ok, round(r, 9)) for ok, r, _, _ in whole_class_observations(spec, cls, budget="quick")]
[(True, 1.0)]
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath

from lab.adversary.inequalities import descent_worst, shrink_descent, smoothness_worst
from lab.adversary.iteration import gradient_scale, shrink_run
from lab.adversary.lower import hardest
from lab.adversary.problem import IterationProblem, adversary_budget
from lab.adversary.search import COVERED, iteration_worst
from lab.parallel import map_tasks

#: a descent or smoothness ratio counts as violated only beyond this (mpmath certificates)
TOLERANCE = 1e-12


@dataclass(frozen=True)
class Constants:
    """A stand-in member for a spec's callables: only its class constants."""

    L0: float
    L1: float

    @property
    def label(self) -> str:
        return f"whole-class member with (L0, L1) = ({self.L0:.6g}, {self.L1:.6g})"


def _budget_name(budget) -> str:
    return budget if isinstance(budget, (str, dict)) else getattr(budget, "name", "default")


def _uses(spec, pairs) -> frozenset:
    """Which of Delta, M the spec's method depends on (probed at a reference instance)."""
    L0, L1 = pairs[0]
    c, eps = Constants(L0, L1), gradient_scale(L0, L1)
    args = (c, eps, 1.0, 2.0 * eps) + ((spec.values(c, eps, 1.0, 2.0 * eps)[0],)
                                        if spec.kind == "lower-bound" else ())
    base = repr(spec.method(*args))
    out = set()
    for name, changed in (("Delta", (c, eps, 3.0, 2.0 * eps)), ("M", (c, eps, 1.0, 5.0 * eps))):
        if repr(spec.method(*(changed + args[4:]))) != base:
            out.add(name)
    return frozenset(out)


def _bound_uses(spec) -> frozenset:
    names = {str(s) for s in getattr(spec.bound, "free_symbols", ())}
    return frozenset({"Delta", "M"} & names) | frozenset({"Delta"})


def _pairs(spec, cls) -> list:
    pairs = [(float(a), float(b)) for a, b in cls.pairs]
    if getattr(spec, "positive_l0", False):
        pairs = [p for p in pairs if p[0] > 0]
    if not getattr(spec, "allow_l_smooth", True):
        pairs = [p for p in pairs if p[1] > 0]
    return pairs


def _problem(spec, pairs, value_index: int | None = None) -> IterationProblem:
    def method(L0, L1, eps, delta, m):
        c = Constants(L0, L1)
        if value_index is None:
            return spec.method(c, eps, delta, m)
        return spec.method(c, eps, delta, m, spec.values(c, eps, delta, m)[value_index])

    def bound(L0, L1, eps, delta, m):
        return float(spec.bound_value(Constants(L0, L1), eps, delta, m))

    return IterationProblem(method, bound, _uses(spec, pairs), _bound_uses(spec),
                            name=getattr(spec, "name", "claim"))


def whole_class_observations(spec, cls, *, budget="default", seed: int = 0, client=None):
    """The adversary's certified observations for ``spec`` on the whole class ``cls``.

    ``client``: a Dask client for the searches' tasks (designed runs, control restarts,
    one task per parameter value of a lower bound); the observations are the same bits.
    """
    kind = spec.kind
    pairs = _pairs(spec, cls) if kind in ("upper-bound", "lower-bound") else \
        [(float(a), float(b)) for a, b in cls.pairs]
    if not pairs:
        return [(True, None, "whole univariate class", "no (L0, L1) pair of the class fits "
                 "the claim (L0 > 0 needed): nothing to check")]
    name = _budget_name(budget)
    if kind == "upper-bound":
        return _upper(spec, pairs, name, client)
    if kind == "lower-bound":
        return _lower(spec, pairs, name, client)
    if kind == "descent":
        return _descent(spec, pairs)
    if kind == "smoothness":
        return _smoothness(spec, pairs)
    raise ValueError(f"no whole-class adversary for claims of kind {kind!r}")


def _upper(spec, pairs, budget, client=None):
    problem = _problem(spec, pairs)
    w = iteration_worst(problem, pairs, budget=budget, client=client)
    c = w.certificate
    if c is None:
        return [(True, None, "whole univariate class", "no member certified")]
    ok = c.t is not None and c.t <= c.bound
    detail = (f"{COVERED}; {w.evaluations} candidates, the best certified by replay (engine "
              "and mpmath)")
    if ok:
        return [(True, c.ratio, c.describe(), detail)]
    short = shrink_run(problem, c, adversary_budget(budget))
    return [(False, c.ratio, short.describe(), f"largest T_eps/B found: {c.ratio:.6g} at "
             f"{c.describe()}; the counterexample shown is the shortest run found with T_eps "
             f"> B (T_eps/B = {short.ratio:.6g}); {detail}")]


def _lower(spec, pairs, budget, client=None):
    settings = adversary_budget(budget)
    L0, L1 = pairs[0]
    s0 = gradient_scale(L0, L1)
    values = spec.values(Constants(L0, L1), s0, 1.0, 2.0 * s0)
    # one task per parameter value (its own search, in a fixed order): lab.parallel
    tasks = [(spec, pairs, j, settings["size"], settings["n_max"]) for j in range(len(values))]
    bests = map_tasks(hardest_for_value, tasks, star=True, client=client,
                      name="adversary-lower", describe=lambda t: f"parameter value #{t[2]}")
    return [_lower_observation(value, best) for value, best in zip(values, bests)]


def hardest_for_value(spec, pairs, j: int, size: int, n_max: int):
    """The hardest member found for the claim's ``j``-th parameter value (one task): over
    the pairs, tolerances and M factors, the largest certified ratio (a pair's scan stops
    once some member needs ``T >= B``)."""
    problem = _problem(spec, pairs, j)
    best = None
    for L0, L1 in pairs:
        s0 = gradient_scale(L0, L1)
        for eps in (0.1 * s0, s0, 0.01 * s0):
            for factor in (10.0, 100.0, 3.0):
                cert = hardest(problem, L0=L0, L1=L1, eps=eps, M=factor * eps, size=size,
                               n_max=n_max, max_cap=10**7)
                if cert is not None and (best is None or cert.ratio > best.ratio):
                    best = cert
                if best is not None and best.ratio >= 1:
                    break
            if best is not None and best.ratio >= 1:
                break
    return best


def _lower_observation(value, cert):
    if cert is None:
        return (False, math.inf, f"parameter value {value!r}: no hard member found",
                "evidence against the claim (none of the searched members needs B), not a "
                "proof")
    ok = cert.ratio >= 1
    return (ok, 1.0 / cert.ratio if cert.ratio > 0 else math.inf,
            f"parameter value {value!r}: {cert.describe()}",
            "a replayed member needs at least B iterations" if ok else
            "no hard member found (evidence against the claim, not a proof)")


def _descent(spec, pairs):
    radius = getattr(spec, "radius", None)
    rad = None if radius is None else (lambda L0, L1: float(radius(Constants(L0, L1))))
    form = getattr(spec, "form", "descent")
    cert = descent_worst(spec.model, pairs, radius=rad, form=form)
    ok = cert.ratio <= 1 + TOLERANCE
    detail = ("exact supremum over the whole class: the member with s = +1 on [x, y] "
              "(comparison principle), maximised over (|f'(x)|, |y - x|), certified in mpmath")
    if ok:
        return [(True, cert.ratio, cert.describe(), detail)]
    short = shrink_descent(spec.model, cert, rad, form)
    return [(False, cert.ratio, short.describe(), f"largest ratio found: {cert.ratio:.6g} at "
             f"{cert.describe()}; the counterexample shown is the simplest found; {detail}")]


def _smoothness(spec, pairs):
    with mpmath.workdps(30):
        cert = smoothness_worst(lambda L0, L1: float(spec.L0_of(L1)),
                                lambda L0, L1: float(spec.L1_of(L1)), pairs)
    ok = cert.ratio <= 1 + TOLERANCE
    return [(ok, cert.ratio, cert.describe(), "exact: sup over members of |f''|/(A + B|f'|) "
             "= max(L0/A, L1/B), certified in mpmath")]
