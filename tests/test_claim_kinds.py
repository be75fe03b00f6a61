"""Claim kinds on a class (lab.claims.kinds, lab.claims.lower)."""

from __future__ import annotations

import doctest
import importlib
import math

import numpy as np
import pytest

from lab.claims.claim import BUDGETS, DELTA, EPS, L0
from lab.claims.complexity import sweep_starts
from lab.claims.kinds import SmoothnessBound, checks_for
from lab.claims.lower import LowerBound, lower_bound_sweep
from lab.classes import WholeUnivariate, zoo_class
from lab.errors import LabInputError
from lab.methods import gd


@pytest.mark.parametrize("module_name", ["lab.claims.kinds", "lab.claims.lower"])
def test_docstring_examples_run(module_name):
    result = doctest.testmod(importlib.import_module(module_name),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def _plain_gd_hits(x0: float, h: float, eps: float, cap: int) -> int:
    """T_eps of GD on log(e^x + e^-x) (f' = tanh) by a plain Python loop (-1: not within cap)."""
    x = x0
    for t in range(cap + 1):
        if abs(math.tanh(x)) <= eps:
            return t
        x -= h * math.tanh(x)
    return -1


def test_lower_bound_refuted_where_every_instance_is_fast():
    """"For every h in {1e-4, 1}, some instance needs >= 1000 iterations" on log cosh-type
    log(e^x + e^-x) (L = 1): h = 1e-4 is slow everywhere (holds there); h = 1 reaches ε in a
    few steps from every start, so the claim fails at h = 1 with ratio 1000 / max T."""
    cls = zoo_class(["log_exp_sum"], L1=[1.0])
    spec = LowerBound(lambda m, eps, delta, M, h: gd(h=h), "h", lambda *a: (1e-4, 1.0),
                      1000 + 0 * L0)
    budget = BUDGETS["quick"]
    obs = lower_bound_sweep(spec, function_class=cls).run(budget, 0)
    assert [o.ok for o in obs] == [True, False]
    member = cls.sweep_members()[0]
    xs = sweep_starts(member, budget.grid)
    scale = member.grad_abs(float(xs[len(xs) // 2]))
    times = [_plain_gd_hits(float(x), 1.0, float(q * scale), 1001) for x in xs
             for q in np.geomspace(0.5, 0.02, max(2, budget.grid // 2))]
    assert min(times) >= 0 and obs[1].ratio == pytest.approx(1000 / max(times))


def test_lower_bound_holds_with_a_reachable_bound():
    """B = Δ/(10 L0 ε²) is met by slow GD (h = 1e-3) and, at each h, by the worst start."""
    cls = zoo_class(["quartic"], L1=[1.0])
    spec = LowerBound(lambda m, eps, delta, M, h: gd(h=h), "h", lambda *a: (1e-3,),
                      DELTA / (10 * L0 * EPS**2))
    (o,) = lower_bound_sweep(spec, function_class=cls).run(BUDGETS["quick"], 0)
    assert o.ok and 0 < o.ratio <= 1


def test_whole_class_checks_go_to_the_adversary():
    (check,) = checks_for(SmoothnessBound(lambda l1: 1.0), WholeUnivariate())
    assert check.name == "adversary"
    try:
        import lab.adversary  # noqa: F401
    except ImportError:
        with pytest.raises(LabInputError, match="whole-class adversary"):
            check.run(BUDGETS["quick"], 0)
