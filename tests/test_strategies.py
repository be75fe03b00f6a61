"""lab.strategies: public hypothesis strategies for a researcher's own property tests."""

from __future__ import annotations

import doctest
import math
from pathlib import Path

import pytest
from hypothesis import given, settings

import lab.strategies as labst
from lab.claims.files import load_claim_file
from lab.classes import expression_family, zoo_class
from lab.errors import LabInputError
from lab.smoothness import check_smoothness

EXAMPLES = Path(__file__).resolve().parents[1] / "examples" / "claims"
CLASS = zoo_class(["quartic", "cosh", "logistic", "witness"], L1=[1.0, 2.0])


def test_docstring_examples_run():
    result = doctest.testmod(labst, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.attempted > 0 and result.failed == 0


@settings(max_examples=20, deadline=None)
@given(labst.problems(CLASS))
def test_problems_are_instances_of_the_theorems(p):
    """Every drawn instance has what the theorems assume: ε < |f'(x0)| (not already
    stationary), Δ = f(x0) - f* >= 0, M >= |f'(x0)| (x0 is in its own sublevel set), and f*
    below the value at x0 (checked in float64, independently of the high-precision Δ)."""
    g0 = abs(p.grad(p.x0))
    assert 0 < p.eps < g0
    assert p.delta >= 0 and p.M >= g0 * (1 - 1e-12)
    assert p.member.f_star <= p.value(p.x0) + 1e-12 * abs(p.value(p.x0))
    assert math.isclose(p.delta, p.value(p.x0) - p.member.f_star, rel_tol=1e-6, abs_tol=1e-12)


@settings(max_examples=6, deadline=None)
@given(labst.members(expression_family("a*x**4 + x**2", params={"a": [0.5, 2.0]},
                                       L1=[1.0])))
def test_family_members_constants_hold(m):
    """A member's certified constants are valid: the certifier accepts (L0, L1) and rejects
    (0.99 L0, L1) (the smallest valid L0 is positive here: f''(0) = 2)."""
    assert check_smoothness(m.objective, m.L0, m.L1).holds
    assert not check_smoothness(m.objective, 0.99 * m.L0, m.L1).holds


def test_instances_of_a_file_claim_and_of_a_sweep_only_claim(tmp_path):
    claim = load_claim_file(EXAMPLES / "clipped-constant-12.toml")
    seen = []

    @settings(max_examples=5, deadline=None)
    @given(labst.instances(claim))
    def shapes(instance):
        member, x0, u = instance
        lo, hi = member.start_interval
        seen.append(member.objective.name)
        assert lo <= x0 <= hi and 0.05 <= u <= 0.95

    shapes()
    assert set(seen) <= {"quartic", "log_exp_sum", "witness"}
    with pytest.raises(LabInputError, match="no search check"):
        labst.instances(load_claim_file(EXAMPLES / "gd-fixed-step-lower.toml"))
    with pytest.raises(LabInputError, match="function class"):
        labst.members("quartic")
