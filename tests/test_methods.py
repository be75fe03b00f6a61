"""Step rules and method records: formulas, decided edge cases, theorem parameter maps."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from lab.errors import LabInputError
from lab.methods import (METHODS, clipped, clipped_sgd, clipped_sgd_momentum, eta_cl, eta_si,
                         eta_star, gd, get_method, method_names, normalized,
                         normalized_from_clipped, quadratic_model, sgd, smoothed_clipping,
                         theorem3_clipped, theorem6_gd, theorem7_clipped_sgd, theorem8_sgd)
from lab.methods import rules

#: nasty gradient norms every rule is evaluated on
NASTY = [0.0, 5e-324, 2.2250738585072014e-308, 1e-300, 1e-8, 0.5, 1.0, 3.0, 1e8, 1e300,
         1.7976931348623157e308, math.inf, math.nan]

positive = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)
norms = st.floats(min_value=0.0, max_value=1e12, allow_nan=False, allow_infinity=False)


def scalar_step(name: str, g: float, p: dict) -> float:
    """The paper's formulas, written directly in scalar Python (the reference)."""
    if name == "gd":
        return p["h"]
    if name == "clipped":
        return p["eta"] if g == 0 else min(p["eta"], p["gamma"] * p["eta"] / g)
    if name == "normalized":
        return p["eta"] / (g + p["beta"])
    if name == "quadratic_model":
        return 1.0 / (p["L0"] + p["L1"] * g)
    if name == "eta_star":
        L0, L1 = p["L0"], p["L1"]
        return math.log1p(L1 * g / (L0 + L1 * g)) / (L1 * g)
    if name == "eta_si":
        return 1.0 / (p["L0"] + 1.5 * p["L1"] * g)
    if name == "eta_cl":
        return min(1.0 / (2 * p["L0"]), 1.0 / (3 * p["L1"] * g))
    if name == "smoothed_clipping":
        return p["eta"] * p["gamma"] / (g + p["gamma"])
    raise AssertionError(name)


DETERMINISTIC = [gd(h=0.3), clipped(eta=0.3, gamma=2.0), normalized(eta=0.3, beta=0.5),
                 quadratic_model(L0=2.0, L1=3.0), eta_star(L0=2.0, L1=3.0),
                 eta_si(L0=2.0, L1=3.0), eta_cl(L0=2.0, L1=3.0),
                 smoothed_clipping(eta=0.3, gamma=2.0)]


@pytest.mark.parametrize("method", DETERMINISTIC, ids=lambda m: m.name)
def test_rule_matches_scalar_formula(method):
    g = np.array([1e-3, 0.1, 0.7, 1.0, 2.0, 5.0, 1e3])
    expected = [scalar_step(method.name, float(x), method.params) for x in g]
    np.testing.assert_allclose(method.step(g), expected, rtol=1e-14)


@pytest.mark.parametrize("method", DETERMINISTIC, ids=lambda m: m.name)
def test_nasty_norms_follow_the_documented_edge_cases(method):
    """g = 0: the g -> 0+ limit; g = inf: the limit (0, or h for gd); nan -> nan; no warnings."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        h = method.step(np.array(NASTY))
    finite = np.isfinite(np.array(NASTY))
    assert (h[finite] >= 0).all() and (h[:8] > 0).all()
    limit0 = {"gd": 0.3, "clipped": 0.3, "normalized": 0.6, "quadratic_model": 0.5,
              "eta_star": 0.5, "eta_si": 0.5, "eta_cl": 0.25, "smoothed_clipping": 0.3}
    assert h[0] == pytest.approx(limit0[method.name], rel=1e-15)
    assert h[-2] == (0.3 if method.name == "gd" else 0.0)
    assert np.isnan(h[-1]) == (method.name != "gd")


def test_infinite_limits_at_zero_gradient():
    """Rules whose g -> 0 limit is infinite return +inf there (the engine never steps at g=0)."""
    assert normalized(eta=1.0, beta=0.0).step([0.0])[0] == math.inf
    assert eta_star(L0=0.0, L1=1.0).step([0.0])[0] == math.inf
    assert eta_cl(L0=0.0, L1=1.0).step([0.0])[0] == math.inf
    assert clipped(eta=1.0, gamma=math.inf).step([math.inf])[0] == 1.0


def test_eta_star_small_gradient_limit_is_one_over_L0():
    """ln(1 + L1 g/(L0 + L1 g))/(L1 g) -> 1/L0 as g -> 0 (and for L1 = 0)."""
    m = eta_star(L0=4.0, L1=2.0)
    assert m.step([1e-300])[0] == pytest.approx(0.25, rel=1e-15)
    assert m.step([1e-9])[0] == pytest.approx(0.25, rel=1e-8)
    assert eta_star(L0=4.0, L1=0.0).step([7.0])[0] == 0.25


@given(eta=positive, gamma=positive, g=norms)
def test_clipped_step_bounds(eta, gamma, g):
    """Clipped GD (Theorem 3's method): h <= eta_c and ||h g|| <= gamma eta_c."""
    h = clipped(eta=eta, gamma=gamma).step([g])[0]
    assert h <= eta
    assert h * g <= gamma * eta * (1 + 4e-16)


@given(eta=positive, gamma=positive, g=norms)
def test_normalized_and_clipped_equivalent_up_to_factor_two(eta, gamma, g):
    """Paper, Methods: with gamma eta_c = eta_n and eta_c = eta_n/beta, h_c/2 <= h_n <= 2 h_c."""
    hc = clipped(eta=eta, gamma=gamma).step([g])[0]
    hn = normalized_from_clipped(eta=eta, gamma=gamma).step([g])[0]
    assert hc / 2 * (1 - 1e-15) <= hn <= 2 * hc * (1 + 1e-15)


@given(L0=positive, L1=positive, g=norms)
def test_exponential_model_steps_are_ordered(L0, L1, g):
    """Vankov et al. [F]: eta_cl <= eta_si <= eta_star for every gradient norm."""
    cl, si, star = (m(L0=L0, L1=L1).step([g])[0] for m in (eta_cl, eta_si, eta_star))
    assert cl <= si * (1 + 1e-15)
    assert si <= star * (1 + 1e-14)


def test_per_run_parameter_arrays_broadcast():
    m = clipped(eta=np.array([0.1, 0.2]), gamma=1.0)
    np.testing.assert_allclose(m.step([0.5, 4.0]), [0.1, 0.05])


@pytest.mark.parametrize("call, fragment", [
    (lambda: gd(h=0.0), "gd: h must be a finite number > 0, got 0.0"),
    (lambda: gd(h=-1.0), "got -1.0"),
    (lambda: gd(h=math.nan), "gd: h"),
    (lambda: clipped(eta=0.1, gamma=0.0), "gamma must be a number > 0 (inf allowed)"),
    (lambda: clipped(eta=np.array([0.1, -0.2]), gamma=1.0), "got -0.2"),
    (lambda: normalized(eta=1.0, beta=-1.0), "beta must be a finite number >= 0"),
    (lambda: eta_star(L0=0.0, L1=0.0), "cannot both be 0"),
    (lambda: sgd(h=0.1, noise="laplace"), "sgd: noise model must be one of 'ball'"),
    (lambda: clipped_sgd_momentum(eta=0.1, gamma=1.0, momentum=1.0),
     "momentum must be a number in [0, 1), got 1.0"),
    (lambda: get_method("clipt", eta=1.0), "did you mean 'clipped'"),
    (lambda: get_method("clipped", eta=1.0), "needs parameter 'gamma'"),
    (lambda: get_method("gd", h=1.0, eta=2.0), "has no parameter 'eta'"),
    (lambda: theorem7_clipped_sgd(1.0, 1.0, 0.1, T=0), "T must be an integer >= 1, got 0 (the iteration budget)"),
])
def test_bad_parameters_raise_one_clear_error(call, fragment):
    with pytest.raises(LabInputError, match=None) as info:
        call()
    assert fragment in str(info.value)


def test_registry_and_repr_round_trip():
    assert method_names() == list(METHODS)
    assert set(method_names()) == {"gd", "clipped", "normalized", "quadratic_model", "eta_star",
                                   "eta_si", "eta_cl", "smoothed_clipping", "sgd",
                                   "clipped_sgd", "clipped_sgd_momentum"}
    for m in DETERMINISTIC + [sgd(h=0.1, tau=0.5), clipped_sgd(eta=0.1, L1=1.0, tau=0.2),
                              clipped_sgd_momentum(eta=0.1, gamma=2.0, momentum=0.5)]:
        again = eval(repr(m), {**METHODS, "np": np, "inf": math.inf})
        assert repr(again) == repr(m)


def test_theorem_parameter_helpers():
    m = theorem3_clipped(L0=2.0, L1=4.0)
    assert m.params == {"eta": 0.05, "gamma": pytest.approx(min(20.0, 1 / (10 * 4 * 0.05)))}
    assert theorem3_clipped(L0=2.0, L1=0.0).params["gamma"] == pytest.approx(20.0)
    assert theorem6_gd(L0=1.0, L1=2.0, M=3.0).params["h"] == pytest.approx(1 / 14)
    t7 = theorem7_clipped_sgd(L0=1.0, L1=1.0, tau=1.0, T=100)
    assert t7.params["eta"] == pytest.approx(1 / 128) and t7.tau == 1.0
    assert theorem8_sgd(L1=1.0, M=1.0, tau=1.0, T=100).params["h"] == pytest.approx(0.1)


def test_theorem7_step_formula():
    """Theorem 7: h = min{1/(16 eta L1 (||g|| + tau)), eta}."""
    m = clipped_sgd(eta=0.01, L1=2.0, tau=0.5)
    for g in (0.0, 1.0, 100.0, 1e4):
        assert m.step([g])[0] == pytest.approx(min(1 / (16 * 0.01 * 2.0 * (g + 0.5)), 0.01))


def test_rules_have_no_epsilon_in_the_norm():
    """optax convention: clipping exactly at ||g|| = gamma, no 1e-6 added."""
    assert rules.evaluate("clipped", [2.0], eta=1.0, gamma=2.0)[0] == 1.0
    assert rules.evaluate("clipped", [4.0], eta=1.0, gamma=2.0)[0] == 0.5
