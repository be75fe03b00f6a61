"""Function classes as values (lab.classes): members, constants, sublevel sets, mistakes."""

from __future__ import annotations

import doctest
import importlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.classes import WholeUnivariate, expression_family, make_member, zoo_class
from lab.classes.member import start_points
from lab.classes.sublevel import geometry
from lab.errors import LabInputError
from lab.functions import get_function
from lab.smoothness import check_smoothness

MODULES = ["lab.classes", "lab.classes.base", "lab.classes.member", "lab.classes.precision",
           "lab.classes.sublevel", "lab.classes.zoo", "lab.classes.family",
           "lab.classes.whole", "lab.functions.expression"]


@pytest.mark.parametrize("module_name", MODULES)
def test_docstring_examples_run(module_name):
    result = doctest.testmod(importlib.import_module(module_name),
                             optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@settings(max_examples=8)
@given(zoo_class().members(positive_l0=True))
def test_default_zoo_members_have_valid_constants(member):
    """Every member of the default class is (L0, L1)-smooth with its constants: the frontier
    it comes from and the exact certifier agree; and positive_l0 gives L0 > 0."""
    assert member.L0 > 0
    assert check_smoothness(member.objective, member.L0, member.L1).holds


def test_issue_zoo_list_members():
    """The issue's class: zoo = [quartic, log_exp_sum, witness], L1 = [0.5, 1, 2].
    x^4: smallest L0 = 16/L1² (64, 16, 4); log(e^x + e^-x): 1 at every L1; the witness
    family: w with (a, L1), a in 0.5, 1, 4 (the tight witness's smallest L0 is a)."""
    c = zoo_class(["quartic", "log_exp_sum", "witness"], L1=[0.5, 1.0, 2.0])
    got = [(m.objective.name, m.L0, m.L1) for m in c.sweep_members()]
    want = ([("quartic", 64.0, 0.5), ("quartic", 16.0, 1.0), ("quartic", 4.0, 2.0)]
            + [("log_exp_sum", 1.0, b) for b in (0.5, 1.0, 2.0)]
            + [("witness", a, b) for b in (0.5, 1.0, 2.0) for a in (0.5, 1.0, 4.0)])
    assert got == want


def test_listed_l0_values_keep_the_valid_ones():
    """With L0 = [2, 16, 100] at L1 = 1, x^4 (smallest 16) keeps 16 and 100."""
    c = zoo_class(["quartic"], L1=[1.0], L0=[2.0, 16.0, 100.0])
    assert [m.L0 for m in c.sweep_members()] == [16.0, 100.0]


def test_positive_l0_replaces_a_zero_smallest_l0():
    """exp at L1 = 1: the smallest valid L0 is 0; a claim needing L0 > 0 gets 0.25, 1, 4."""
    c = zoo_class(["exp"], L1=[1.0])
    assert [m.L0 for m in c.sweep_members()] == [0.0]
    assert [m.L0 for m in c.sweep_members(positive_l0=True)] == [0.25, 1.0, 4.0]


@pytest.mark.parametrize("kwargs, message", [
    ({"names": ["cubic"]}, "unbounded below"),
    ({"names": ["phase_retrieval"]}, "not univariate"),
    ({"names": ["xy_squared"]}, "non-example"),
    ({"names": ["no_such"]}, "not in the zoo"),
    ({"names": ["exp"], "L1": [0.5]}, "no valid L0 at L1 = 0.5"),
    ({"names": ["quartic"], "L1": [1.0], "L0": [1.0]}, "no L0 in the class's list"),
    ({"names": [("logistic", {"d": 3})]}, "univariate"),
    ({"names": [("quartic", {"a": 1})]}, "no parameter 'a'"),
    ({"names": ["quartic"], "L1": [-1.0]}, "finite numbers >= 0"),
    ({"names": ["quartic"], "L1": ["one"]}, "list of numbers"),
    ({"names": ["quartic"], "L1": [1.0, 1.0]}, "twice"),
    ({"names": ["quartic"], "L1": []}, "at least one"),
    ({"names": "quartic"}, "lists zoo names"),
    ({"names": ["quartic"], "x0": [2.0, 1.0]}, "low < high"),
    ({"names": ["witness"], "L1": [0.0]}, "L1 > 0"),
])
def test_zoo_class_mistakes_are_one_clear_line(kwargs, message):
    names = kwargs.pop("names")
    with pytest.raises(LabInputError, match=message) as info:
        zoo_class(names, **kwargs).sweep_members(positive_l0=False)
    assert "\n" not in str(info.value)


def test_expression_family_constants_match_a_dense_grid():
    """f = a x^4 + x^2 (even): the smallest L0 at L1 is sup_{x>=0} 12a x² + 2 - L1(4a x³ + 2x).
    The certifier's exact value equals that supremum found on a fine grid (independently)."""
    fam = expression_family("a*x**4 + x**2", params={"a": [0.5, 2.0]}, L1=[0.5, 1.0])
    xs = np.linspace(0, 20, 2_000_001)
    for m in fam.sweep_members():
        a = m.objective.params["a"]
        grid = np.max(12 * a * xs**2 + 2 - m.L1 * (4 * a * xs**3 + 2 * xs))
        assert m.L0 == pytest.approx(grid, rel=1e-8)
        assert m.constants == "certifier (exact)" and m.f_star == 0.0 and m.shape == "general"


def test_expression_family_range_and_mistakes():
    fam = expression_family("a*x**2", params={"a": {"low": 1.0, "high": 3.0, "count": 3}},
                            L1=[0.0])
    assert [(m.objective.params["a"], m.L0) for m in fam.sweep_members()] == [
        (1.0, 2.0), (2.0, 4.0), (3.0, 6.0)]
    for text, kwargs, message in [
            ("x**3", {}, "unbounded below"),
            ("a*x**2 + y**2", {"params": {"a": [1.0]}}, "one variable"),
            ("x**2 + ", {}, "not a formula"),
            ("a*x**2", {"params": {"b": [1.0]}}, "does not occur"),
            ("exp(x)", {"L1": [0.5]}, "no valid L0"),
            ("a*x**2", {"params": {"a": {"low": 1.0}}}, "a range is"),
            ("__import__('os')", {}, None)]:
        with pytest.raises(LabInputError, match=message):
            expression_family(text, **kwargs).sweep_members()


def test_sublevel_geometry_closed_forms():
    """double well (x²-1)²: {f <= f(1/2)} = {1/4 <= x² <= 7/4}, and sup |f'| there is at
    |x| = sqrt(7/4): 4 sqrt(7/4) (7/4 - 1). x^4 - x^2: f* = -1/4 at x² = 1/2."""
    g = geometry(get_function("double_well"))
    assert g.sup_grad(0.5) == pytest.approx(4 * math.sqrt(1.75) * 0.75, rel=1e-12)
    ends = g.sublevel(float(get_function("double_well").value([[0.5]])[0]))
    assert [round(e, 12) for piece in ends for e in piece] == [
        round(v, 12) for v in (-math.sqrt(1.75), -1, -1, -0.5, 0.5, 1, 1, math.sqrt(1.75))]
    fam = expression_family("x**4 - x**2", L1=[1.0])
    assert fam.sweep_members()[0].f_star == -0.25


@settings(max_examples=30)
@given(zoo_class().members(), st.floats(-1, 1))
def test_general_geometry_agrees_with_the_shape_shortcut(member, u):
    """Two ways to M = sup{|f'| : f <= f(x0)}: the even/monotone shortcut and the general
    calculus on critical and inflection points agree on every default member."""
    low, high = member.start_interval
    x0 = low + (high - low) * (u + 1) / 2
    fast = member.sublevel_sup_grad(x0)
    general = geometry(member.objective).sup_grad(x0)
    assert general == pytest.approx(fast, rel=1e-9, abs=1e-300)


def test_start_points_stay_in_the_interval():
    m = make_member("exp", L1=1.0)
    assert m.start_interval == (-8.0, 2.0)
    c = zoo_class(["quartic"], L1=[1.0], x0=[0.5, 1.5])
    assert c.sweep_members()[0].start_interval == (0.5, 1.5)

    @settings(max_examples=20)
    @given(start_points(c.sweep_members()[0]))
    def inside(x):
        assert 0.5 <= x <= 1.5

    inside()


def test_whole_univariate_class_value():
    c = WholeUnivariate(L0=[1.0, 2.0], L1=[0.5])
    assert c.pairs == ((1.0, 0.5), (2.0, 0.5))
    assert c == WholeUnivariate(L0=[1.0, 2.0], L1=[0.5]) and "whole univariate" in c.covers
    with pytest.raises(LabInputError, match="affine"):
        WholeUnivariate(L0=[0.0], L1=[0.0])
    with pytest.raises(LabInputError, match="finite numbers >= 0"):
        WholeUnivariate(L1=[-1.0])


def test_l0_rounds_up_to_a_valid_float():
    """x^4 at L1 = 3: the smallest valid L0 is 16/9, whose nearest float lies below it; the
    member's L0 is the next float up, which the certifier accepts (the nearest one it
    rejects)."""
    (m,) = zoo_class(["quartic"], L1=[3.0]).sweep_members()
    assert m.L0 > 16 / 9 and m.L0 == math.nextafter(16 / 9, math.inf)
    assert check_smoothness(m.objective, m.L0, 3.0).holds
    assert not check_smoothness(m.objective, 16 / 9, 3.0).holds
