"""Checks of (L0, L1)-smoothness facts: pointwise search in high precision, certifier sweep.

A fact "f is (L0(L1), L1)-smooth for L1 in a set" is checked two independent ways:

* **search**: hypothesis draws L1 from the set and a point x; the Hessian inequality
  ``|f''(x)| <= L0 + L1 |f'(x)|`` is evaluated with mpmath at :data:`~lab.classes.precision.DPS`
  digits from the zoo's sympy definition, with L0 given by the claim's *own* formula (typed
  from PAPER.md's table, not read from the zoo's frontier). Ratio: ``|f''| / (L0 + L1|f'|)``.
* **sweep** (exactness of the frontier): the symbolic certifier
  (:func:`lab.smoothness.check_smoothness`) must accept (L0, L1) and reject (0.999 L0, L1)
  on a grid of L1 (when L0 > 0).
"""

from __future__ import annotations

import math
from typing import Callable

import mpmath
import numpy as np
from hypothesis import strategies as st

from lab.claims.claim import Budget, Observation, Search, Sweep
from lab.claims.search import targetable_floats
from lab.classes.member import mp_functions, zoo_function
from lab.classes.precision import DPS, refine
from lab.functions import get_function
from lab.smoothness import check_smoothness

_TOL = mpmath.mpf(10) ** (-(DPS - 15))


def pointwise_observation(obj, L0: float, L1: float, x: float) -> Observation:
    """``|f''(x)| <= L0 + L1 |f'(x)|`` at one point, in high precision (ratio lhs/rhs)."""
    _, g, h = mp_functions(obj)
    gx, hx = refine(lambda: (abs(g(mpmath.mpf(x))), abs(h(mpmath.mpf(x)))))
    with mpmath.workdps(DPS):
        rhs = mpmath.mpf(L0) + mpmath.mpf(L1) * gx
        ok = hx <= rhs + _TOL * (1 + rhs)
        ratio = float(hx / rhs) if rhs > 0 else (0.0 if hx == 0 else math.inf)
    label = f"x = {x!r} with (L0, L1) = ({L0:.6g}, {L1:.6g})"
    detail = (f"{obj!r}: |f''(x)| = {mpmath.nstr(hx, 12)}, L0 + L1|f'(x)| = "
              f"{mpmath.nstr(rhs, 12)}")
    return Observation(bool(ok), ratio, label, detail)


def _pointwise(obj_key, L0_of: Callable[[float], float], L1: float, x: float) -> Observation:
    return pointwise_observation(zoo_function(*obj_key), L0_of(L1), L1, x)


def smoothness_search(name: str, L0_of: Callable[[float], float], l1_values: tuple,
                      x_range: float = 20.0, params: dict | None = None,
                      examples: tuple = ()) -> Search:
    """Search for a point where ``f`` breaks (L0_of(L1), L1)-smoothness, L1 in ``l1_values``.

    Examples
    --------
    >>> from lab.claims.claim import BUDGETS
    >>> from lab.claims.search import run_search
    >>> s = smoothness_search("quartic", lambda l1: 16 / l1**2, (1.0, 2.0))
    >>> out = run_search(s, BUDGETS["quick"])
    >>> out.counterexample is None, round(out.worst.ratio, 3) <= 1
    (True, True)
    """
    key = (name, tuple(sorted((params or {}).items())))

    def strategy():
        return st.tuples(st.sampled_from(l1_values), targetable_floats(-x_range, x_range))

    def evaluate(instance, budget: Budget) -> Observation:
        L1, x = instance
        return _pointwise(key, L0_of, L1, x)

    return Search(strategy, evaluate, examples=examples)


def frontier_sweep(name: str, L0_of: Callable[[float], float], l1_values: tuple,
                   params: dict | None = None) -> Sweep:
    """The certifier accepts (L0, L1) and rejects (0.999 L0, L1) for each L1 (L0 > 0)."""
    def run(budget: Budget, seed: int) -> list[Observation]:
        obj = zoo_function(name, tuple(sorted((params or {}).items())))
        out = []
        for L1 in l1_values[: max(2, budget.grid)]:
            out.append(frontier_observation(obj, L0_of(L1), L1))
        return out

    return Sweep(run)


def frontier_observation(obj, L0: float, L1: float) -> Observation:
    """The certifier's verdicts at ``(L0, L1)`` (must hold) and, when ``L0 > 0``, at
    ``(0.999 L0, L1)`` (must fail: the claimed L0 is the smallest), as one observation."""
    v = check_smoothness(obj, L0, L1)
    ok = v.holds
    detail = f"certifier at ({L0:.6g}, {L1:.6g}): {'holds' if v.holds else 'fails'}"
    if L0 > 0:
        below = check_smoothness(obj, 0.999 * L0, L1)
        ok = ok and not below.holds
        detail += f"; at 0.999 L0: {'holds' if below.holds else 'fails'}"
    return Observation(ok, None, f"{obj!r} with L1 = {L1:.6g}", detail)


def not_smooth_search() -> Search:
    """``x² y²`` is not (L0, L1)-smooth: for drawn (L0, L1), the point ``(0, y)`` with
    ``2 y² = L0 + 1`` breaks it (gradient 0, Hessian norm L0 + 1). The observation is
    ``ok`` when the violation is there (the claim is "no constants work")."""
    def strategy():
        return st.tuples(st.floats(0, 1e6), st.floats(0, 1e6))

    def evaluate(instance, budget: Budget) -> Observation:
        L0, L1 = instance
        f = get_function("xy_squared")
        y = math.sqrt((L0 + 1.0) / 2.0)
        p = np.array([[0.0, y]])
        hn, gn = float(f.hess_norm(p)[0]), float(f.grad_norm(p)[0])
        rhs = L0 + L1 * gn
        return Observation(hn > rhs, rhs / hn, f"(L0, L1) = ({L0!r}, {L1!r})",
                           f"at (0, {y:.6g}): ||H|| = {hn:.6g} vs L0 + L1||g|| = {rhs:.6g}")

    return Search(strategy, evaluate)
