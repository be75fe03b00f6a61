"""User step rules and the rule printer on every construct they support (issue 15, item 6).

Each rule below is written so that every piece of it matters: conditions joined by three
``and``/``or`` terms none of which is implied by the others (one of them not monotone in g),
``Min``/``Max`` of three terms each of which is the extreme on some interval, powers on both
sides of the unrolling limit. The expected steps are written again here in plain Python
(regions by hand, ``mpmath`` for ``e``), never taken from the lab's printer or compiler.
"""

from __future__ import annotations

import math

import mpmath
import numpy as np
import pytest
import sympy as sp

from lab.errors import LabInputError
from lab.methods import (clipped, clipped_sgd, clipped_sgd_momentum, gd, method_from_spec, sgd,
                         user_rule)
from lab.methods.rule_printer import MAX_UNROLLED_POWER, RulePrinter
from lab.methods.rules import NUMPY_NAMES, StepRule, compile_rule
from lab.methods.user_rule import rule_limits

INF = math.inf
#: gradient norms crossing every threshold below (gamma = 1): 1, 1.5, 2.5, 4
GS = [0.0, 0.5, 1.0, 1.2, 1.5, 2.0, 2.6, 3.9, 4.0, 5.0, INF]


def _in_and(g: float) -> bool:
    """1 < g < 4 and |g - 2| > 1/2: the set (1, 1.5) u (2.5, 4)."""
    return 1 < g < 4 and (g - 2) ** 2 > 0.25


def _in_or(g: float) -> bool:
    """g < 1 or g > 4 or |g - 2| < 1/2: the set (0, 1) u (1.5, 2.5) u (4, inf)."""
    return g < 1 or g > 4 or (g - 2) ** 2 < 0.25


def _piecewise_steps(member, at_zero: bool, at_inf: bool) -> list[float]:
    """eta = 1 on the set, 1/2 off it; at g = 0 and inf the set's membership near there."""
    inside = [at_zero] + [member(g) for g in GS[1:-1]] + [at_inf]
    return [1.0 if i else 0.5 for i in inside]


AND3 = "(g > gamma) and (g < 4*gamma) and ((g - 2*gamma)**2 > gamma**2/4)"
OR3 = "(g < gamma) or (g > 4*gamma) or ((g - 2*gamma)**2 < gamma**2/4)"


@pytest.mark.parametrize("condition, member, at_zero, at_inf", [
    (AND3, _in_and, False, False),
    (OR3, _in_or, True, True),
    (f"not ({AND3})", lambda g: not _in_and(g), True, True),
    (f"not ({OR3})", lambda g: not _in_or(g), False, False),
], ids=["and", "or", "not-and", "not-or"])
def test_and_or_not_of_three_comparisons(condition, member, at_zero, at_inf):
    """A Piecewise step whose condition joins three comparisons with and / or / not (none
    of the three implied by the others, so dropping or reordering one changes the set): the
    step is eta on the set and eta/2 off it, and at g = 0 and g = inf it is the limit, the
    branch that holds for all g near there."""
    rule = user_rule(f"Piecewise((eta, {condition}), (eta/2, True))", eta=1.0, gamma=1.0)
    assert rule.step(GS).tolist() == _piecewise_steps(member, at_zero, at_inf)


def test_piecewise_without_otherwise_is_nan_in_the_gap():
    """Piecewise((eta, g < gamma), (eta/2, g > gamma)) has no branch at g = gamma: the step
    there is nan (no value invented); the limits at 0 and inf are eta and eta/2."""
    rule = user_rule("Piecewise((eta, g < gamma), (eta/2, g > gamma))", eta=1.0, gamma=1.0)
    h = rule.step([0.0, 0.5, 1.0, 2.0, INF])
    assert h[[0, 1, 3, 4]].tolist() == [1.0, 1.0, 0.5, 0.5]
    assert math.isnan(h[2])


def test_piecewise_with_three_branches_takes_the_first_that_holds():
    """Piecewise((eta, g < gamma), (2*eta, g < 3*gamma), (3*eta, True)): eta below gamma,
    2 eta on [gamma, 3 gamma), 3 eta from 3 gamma on (first true condition wins)."""
    rule = user_rule("Piecewise((eta, g < gamma), (2*eta, g < 3*gamma), (3*eta, True))",
                     eta=0.5, gamma=1.0)
    assert rule.step([0.0, 0.5, 1.0, 2.9, 3.0, 7.0, INF]).tolist() == [
        0.5, 0.5, 1.0, 1.0, 1.5, 1.5, 1.5]


def test_min_and_max_of_three_terms():
    """Min(g, gamma, 4 gamma^2/g) is g on [0, 1], 1 on [1, 4], 4/g from 4 on (gamma = 1);
    1/Max(g, gamma, g^2/(4 gamma)) is 1 on [0, 1], 1/g on [1, 4], 4/g^2 from 4 on. Each
    term is the extreme somewhere, so losing or repeating one changes a step."""
    lo = user_rule("eta*Min(g, gamma, 4*gamma**2/g)", eta=2.0, gamma=1.0)
    hi = user_rule("eta/Max(g, gamma, g**2/(4*gamma))", eta=2.0, gamma=1.0)
    g = [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, INF]
    np.testing.assert_allclose(lo.step(g), [0.0, 1.0, 2.0, 2.0, 2.0, 1.0, 0.0], rtol=1e-15)
    np.testing.assert_allclose(hi.step(g), [2.0, 2.0, 2.0, 1.0, 0.5, 0.125, 0.0], rtol=1e-15)


def test_constants_pi_and_e_are_their_float64_values():
    """eta*E/(E + g) and eta*pi/(pi + g): eta at g = 0, eta*c/(c + g) in between (c = e or
    pi to float64, computed with mpmath), 0 at g = inf."""
    g = [0.0, 0.5, 1.0, 3.0, INF]
    for text, c in (("eta*E/(E + g)", mpmath.e), ("eta*pi/(pi + g)", mpmath.pi)):
        with mpmath.workdps(40):
            want = [float(2 * c / (c + x)) if x != INF else 0.0 for x in g]
        np.testing.assert_allclose(user_rule(text, eta=2.0).step(g), want, rtol=4e-16)


POWERS = "eta*(g**(1/3) + g**(5/2) + g**8 + g**9 + g**eta + g**-3 + g**2)/(1 + g**11)"


def _powers(g: float, eta: float) -> float:
    return eta * (g ** (1 / 3) + g ** 2.5 + g ** 8 + g ** 9 + g ** eta + g ** -3 + g ** 2) \
        / (1 + g ** 11)


def test_powers_follow_the_formula_on_both_sides_of_the_unrolling_limit():
    """Integer powers 2..8 (printed as products), 9 and 11 (above the limit), -3, 1/3, 5/2
    and a parameter as exponent: the step equals the formula; at g = 0 the limit +inf (from
    g^-3), at inf the limit 0 (degree 9 over degree 11)."""
    rule = user_rule(POWERS, eta=1.25)
    g = [0.3, 0.5, 1.0, 1.7, 2.0, 3.0]
    np.testing.assert_allclose(rule.step(g), [_powers(x, 1.25) for x in g], rtol=1e-14)
    assert rule.step([0.0, INF]).tolist() == [INF, 0.0]


def test_integer_powers_are_printed_as_products_up_to_the_limit():
    """The documented printing of powers: g**k as a product of k factors for 2 <= k <= 8,
    negative ones as 1.0/(product), g**9 and non-integer powers left as powers; a sum as
    base keeps its parentheses; g**(1/2) is sqrt."""
    g, a = sp.symbols("g a", positive=True)
    p = RulePrinter()
    assert MAX_UNROLLED_POWER == 8
    assert p.doprint(g**2) == "(g*g)"
    assert p.doprint(g**8) == "(" + "*".join(["g"] * 8) + ")"
    assert p.doprint(g**-3) == "(1.0/(g*g*g))"
    assert p.doprint((g + 1)**2) == "((g + 1)*(g + 1))"
    assert p.doprint(g**9) == "g**9"
    assert p.doprint(g**sp.Rational(5, 2)) == "g**(5/2)"
    assert p.doprint(g**a) == "g**a"
    assert p.doprint(sp.sqrt(g + a)) == "sqrt(a + g)"


def _evaluate(text: str, g: float = 1.0, **params: float) -> float:
    """The printed text run as a step rule body on NumPy (the lab's one compiler)."""
    rule = StepRule("printed", tuple(params), (text,))
    return compile_rule(rule, NUMPY_NAMES)(np.float64(g), *params.values())


@pytest.mark.parametrize("expr, value", [
    (sp.Float("0.1") * sp.Symbol("eta"), 0.1 * 3.0),
    (sp.Float("2.5e-300") * sp.Symbol("eta"), 2.5e-300 * 3.0),
    (sp.oo, INF),
    (-sp.oo, -INF),
    (sp.true, True),
    (sp.false, False),
    (sp.pi * sp.Symbol("eta"), math.pi * 3.0),
    (sp.E * sp.Symbol("eta"), math.e * 3.0),
], ids=["float", "tiny-float", "oo", "-oo", "true", "false", "pi", "E"])
def test_printed_atoms_run_as_their_values(expr, value):
    """Floats print exactly (repr: the same float64 comes back), +-oo as +-inf, true and
    false as the booleans, pi and E as float64 literals: the printed text, compiled as a
    step rule, evaluates to the value (eta = 3)."""
    params = {"eta": 3.0} if expr.free_symbols else {}
    assert _evaluate(RulePrinter().doprint(expr), **params) == value


def test_piecewise_with_one_conditional_piece_is_nan_elsewhere():
    """Piecewise((eta, g < 1)) has no value for g >= 1: the printed step is eta below 1 and
    nan from 1 on (a Piecewise printed on its own, as the printer's public doprint)."""
    g, eta = sp.symbols("g eta", positive=True)
    text = RulePrinter().doprint(sp.Piecewise((eta, g < 1)))
    assert _evaluate(text, g=0.5, eta=3.0) == 3.0
    assert math.isnan(_evaluate(text, g=2.0, eta=3.0))


def test_rule_limits_says_why_a_limit_is_undecided():
    """rule_limits (public) on a Piecewise whose condition is an equation and whose other
    branch oscillates at 0 (sin(1/g)): no branch can be chosen near 0 and sympy has no
    limit, so it refuses, naming the condition that is not a comparison."""
    g, eta = sp.Symbol("g", positive=True), sp.Symbol("eta", positive=True)
    with pytest.raises(LabInputError) as info:
        rule_limits(sp.Piecewise((eta, sp.Eq(g, 1)), (eta * sp.sin(1 / g), True)))
    message = str(info.value)
    assert "cannot decide its limit as g -> 0+" in message
    assert "the condition Eq(g, 1) is not a comparison" in message


@pytest.mark.parametrize("name", ["u", "t"])
def test_a_condition_decided_by_its_leading_term_at_both_ends(name):
    """1/g^2 < c/g (c = 1): both sides tend to the same limit at 0 (oo) and at inf (0), so
    the branch near each end is decided by the leading term of 1/g^2 - 1/g: +1/g^2 near 0
    (condition false: 2 eta), -1/g near inf (condition true: eta). A parameter may be called
    t (the variable of the expansion at infinity is internal and distinct from it)."""
    rule = user_rule(f"Piecewise((eta, 1/g**2 < {name}/g), (2*eta, True))",
                     eta=1.0, **{name: 1.0})
    assert rule.step([0.0, 0.5, 2.0, INF]).tolist() == [2.0, 2.0, 1.0, 1.0]
    mini = user_rule(f"Min(1/g**2, {name}/g)", **{name: 2.0})  # 1/g^2 below 2/g for g > 1/2
    assert mini.step([0.0, 0.25, 1.0, 4.0, INF]).tolist() == [INF, 8.0, 1.0, 0.0625, 0.0]


@pytest.mark.parametrize("text", [
    "Min(eta*g, eta*g*(sin(g)**2 + cos(g)**2) + exp(-1/g))",
    "Max(eta*g, eta*g*(sin(g)**2 + cos(g)**2) - exp(-1/g))",
])
def test_min_max_decided_by_the_exact_sign_of_the_difference(text):
    """The two terms differ by +exp(-1/g) (Min) or -exp(-1/g) (Max) once sin^2 + cos^2 = 1
    is simplified (sympy's Min/Max cannot see it and keep both terms): that sign holds for
    every g > 0, so the step is eta*g everywhere, 0 at g = 0 and inf at g = inf."""
    rule = user_rule(text, eta=1.0)
    assert "minimum" in rule.rule.body[0] or "maximum" in rule.rule.body[0]
    assert rule.step([0.0, 0.5, 2.0, INF]).tolist() == [0.0, 0.5, 2.0, INF]


@pytest.mark.parametrize("text, params, where, reason", [
    ("Piecewise((eta, g > gamma))", {"gamma": 1.0}, "g -> 0+",
     "no branch of the Piecewise holds there"),
    ("Piecewise((eta, g*sin(1/g) > 0), (2*eta, True))", {}, "g -> 0+",
     "the sign of g*sin(1/g) near g = 0 is not decided"),
    ("eta*sin(1/g)", {}, "g -> 0+", "sympy returned eta*AccumBounds(-1, 1)"),
    ("eta*g*sin(g)", {}, "g -> inf", "sympy returned oo*sign(AccumBounds(-1, 1))"),
    ("eta*sqrt(1 - g)", {}, "g -> inf", "sympy returned oo*I"),
], ids=["no-branch", "sign", "oscillates-at-0", "oscillates-at-inf", "complex"])
def test_undecided_limits_are_refused_with_the_reason(text, params, where, reason):
    """A rule whose step at g = 0 or inf is not determined is refused, and the one line says
    which limit and why: no Piecewise branch near the end, a condition of undecided sign,
    an oscillating limit (AccumBounds), a complex one."""
    with pytest.raises(LabInputError) as info:
        user_rule(text, eta=1.0, **params)
    message = str(info.value)
    assert message.startswith(f"step rule {text!r}: cannot decide its limit as {where} for "
                              "every positive value of the parameters (")
    assert f"({reason}); write the rule so that this limit is determined (for example with " \
        "Min/Max or Piecewise)" in message


def test_rule_with_minus_infinity_limit_prints_it():
    """eta*log(g): its limit at g -> 0+ is -inf and at inf +inf; the compiled rule's step
    there is that, and user_rule refuses it (a negative step ascends)."""
    from lab.methods.rules import evaluate
    from lab.methods.user_rule import _compile

    compiled = _compile("eta*log(g)", ("eta",))
    assert evaluate(compiled, np.array([0.0, 1.0, INF]), eta=1.0).tolist() == [-INF, 0.0, INF]
    with pytest.raises(LabInputError, match="at g = 0 is -inf"):
        user_rule("eta*log(g)", eta=1.0)


def test_per_run_checks_array_lengths_and_unwraps_single_values():
    """Method.per_run(n): a per-run array must have n entries (or 1); a one-entry array
    becomes that float; other lengths are refused with one line naming both counts."""
    one = clipped(eta=np.array([0.1]), gamma=1.0).per_run(3)
    assert one == {"eta": 0.1, "gamma": 1.0} and type(one["eta"]) is float
    three = clipped(eta=np.array([0.1, 0.2, 0.3]), gamma=1.0)
    np.testing.assert_array_equal(three.per_run(3)["eta"], [0.1, 0.2, 0.3])
    with pytest.raises(LabInputError) as info:
        three.per_run(2)
    assert str(info.value) == ("clipped: parameter eta has 3 values but the batch has 2 runs; "
                               "give one value or one per run")
    with pytest.raises(LabInputError, match="has 1 values|has 3 values"):
        three.per_run(1)


def test_method_from_spec_takes_names_and_expressions():
    """A registry name builds that method; any other string is a user rule in g; a
    non-string is refused by user_rule's message."""
    assert repr(method_from_spec("gd", h=0.1)) == repr(gd(h=0.1))
    assert repr(method_from_spec("clipped", eta=0.1, gamma=2.0)) == "clipped(eta=0.1, gamma=2.0)"
    rule = method_from_spec("eta/(1 + g)", eta=0.5)
    assert repr(rule) == "user_rule('eta/(1 + g)', eta=0.5)"
    assert rule.step([1.0]).tolist() == [0.25]
    with pytest.raises(LabInputError, match="must be a string"):
        method_from_spec(3.0)


def test_stochastic_methods_default_to_unit_noise_radius():
    """The signatures' defaults: tau = 1 with the ball noise model, momentum 0.9."""
    assert repr(sgd(h=0.1)) == "sgd(h=0.1, tau=1.0, noise='ball')"
    assert repr(clipped_sgd(eta=0.1, L1=1.0)) == \
        "clipped_sgd(eta=0.1, L1=1.0, tau=1.0, noise='ball')"
    assert repr(clipped_sgd_momentum(eta=0.1, gamma=1.0)) == \
        "clipped_sgd_momentum(eta=0.1, gamma=1.0, tau=1.0, noise='ball', momentum=0.9)"


@pytest.mark.parametrize("name", ["class", "lambda", "1x", "g-1", "exp", "pi", "t "])
def test_parameter_names_that_are_keywords_or_not_identifiers_are_refused(name):
    """A parameter must be an identifier, not a Python keyword, and not a name the rule
    already uses (g, the vocabulary, pi, E, inf, nan): one line naming it."""
    with pytest.raises(LabInputError) as info:
        user_rule("eta/(1 + g)", eta=1.0, **{name: 1.0})
    assert str(info.value).startswith(f"user_rule: {name!r} cannot be a parameter name; use a "
                                      "name other than ")


def test_step_rule_source_is_a_function_named_step_by_default():
    """StepRule.source() writes one function, called ``step`` unless named otherwise."""
    from lab.methods.rules import RULES

    assert RULES["clipped"].source() == ("def step(g, eta, gamma):\n"
                                         "    return where(g <= gamma, eta, eta * (gamma / g))")
    assert RULES["clipped"].source("h").startswith("def h(g, eta, gamma):")
