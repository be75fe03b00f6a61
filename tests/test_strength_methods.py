"""Step rules and theorem parameter maps at their boundaries (issue 15, items 1 and 6).

Every rule is compared with its formula written again here in mpmath (50 digits, rounded to
float64 at the end), on a grid that crosses each threshold a rule has: L1 below, at and
above 1 and 0, L0 = 0, g = 0, g = the clipping threshold, huge and infinite g. A rule that
dropped a term in one regime (say ``L1 * g`` only for L1 > 1) fails here.
"""

from __future__ import annotations

import itertools
import math

import mpmath
import numpy as np
import pytest

from lab.errors import LabInputError
from lab.methods import (METHODS, clipped, clipped_sgd, clipped_sgd_momentum, eta_cl, eta_si, eta_star, gd, normalized,
                         get_method, normalized_from_clipped, quadratic_model, sgd,
                         smoothed_clipping, theorem3_clipped, theorem6_gd, theorem7_clipped_sgd, theorem8_sgd)

G = [0.0, 1e-300, 1e-8, 0.25, 0.5, 1.0, 2.0, 3.0, 1e8, 1e300, math.inf]
L0S = [0.0, 0.25, 0.5, 2.0]
L1S = [0.0, 0.5, 1.0, 3.0]


def _inv(x):
    """1/x with 1/0 = +inf and 1/inf = 0 (the lab's stated limits)."""
    if x == 0:
        return mpmath.inf
    return 1 / x


def expected(name: str, g: float, **p) -> float:
    """The rule's formula in mpmath, with the limits the lab documents."""
    with mpmath.workdps(50):
        g = mpmath.inf if math.isinf(g) else mpmath.mpf(g)
        p = {k: mpmath.mpf(v) for k, v in p.items()}
        if name == "quadratic_model":
            value = _inv(p["L0"] + (p["L1"] * g if p["L1"] > 0 else 0))
        elif name == "eta_si":
            value = _inv(p["L0"] + (mpmath.mpf(3) / 2 * p["L1"] * g if p["L1"] > 0 else 0))
        elif name == "eta_cl":
            value = min(_inv(2 * p["L0"]), _inv(3 * p["L1"] * g if p["L1"] > 0 else 0))
        elif name == "eta_star":
            s = p["L1"] * g if p["L1"] > 0 else mpmath.mpf(0)
            if s == 0:
                value = _inv(p["L0"])
            elif mpmath.isinf(s):
                value = mpmath.mpf(0)
            else:
                value = mpmath.log1p(s / (p["L0"] + s)) / s
        elif name == "clipped":
            value = p["eta"] if g <= p["gamma"] else p["eta"] * p["gamma"] / g
        elif name == "normalized":
            value = _inv(g + p["beta"]) * p["eta"] if not mpmath.isinf(g) else 0
        elif name == "smoothed_clipping":
            value = p["eta"] * p["gamma"] / (g + p["gamma"]) if not mpmath.isinf(g) else 0
        else:
            raise AssertionError(name)
        return float(value)


MODEL_RULES = {"quadratic_model": quadratic_model, "eta_si": eta_si, "eta_cl": eta_cl,
               "eta_star": eta_star}


@pytest.mark.parametrize("name", list(MODEL_RULES))
def test_model_steps_match_their_formulas_in_every_regime(name):
    """quadratic_model, eta_si, eta_cl, eta_star for L0 in {0, 0.25, 0.5, 2}, L1 in {0, 0.5,
    1, 3} (both 0 is refused) and g from 0 to inf: the formula to 1e-13 relative, inf where
    it is inf."""
    for L0, L1 in itertools.product(L0S, L1S):
        if L0 == 0 and L1 == 0:
            with pytest.raises(LabInputError, match="cannot both be 0"):
                MODEL_RULES[name](L0=L0, L1=L1)
            continue
        got = MODEL_RULES[name](L0=L0, L1=L1).step(G)
        want = [expected(name, g, L0=L0, L1=L1) for g in G]
        np.testing.assert_allclose(got, want, rtol=1e-13, atol=0,
                                   err_msg=f"{name}(L0={L0}, L1={L1})")


@pytest.mark.parametrize("eta, gamma", [(0.5, 2.0), (0.1, 1.0), (3.0, 0.25)])
def test_clipped_family_at_and_around_the_threshold(eta, gamma):
    """clipped is eta up to and including g = gamma and eta*gamma/g beyond; normalized and
    smoothed clipping follow their formulas; normalized_from_clipped is the paper's map."""
    g = np.array([0.0, gamma / 2, np.nextafter(gamma, 0), gamma, np.nextafter(gamma, 10),
                  2 * gamma, 1e12, np.inf])
    np.testing.assert_allclose(clipped(eta=eta, gamma=gamma).step(g),
                               [expected("clipped", x, eta=eta, gamma=gamma) for x in g],
                               rtol=1e-15)
    assert clipped(eta=eta, gamma=gamma).step([gamma])[0] == eta
    for beta in (0.0, gamma):
        np.testing.assert_allclose(normalized(eta=eta, beta=beta).step(g[1:]),
                                   [expected("normalized", x, eta=eta, beta=beta)
                                    for x in g[1:]], rtol=1e-15)
    np.testing.assert_allclose(smoothed_clipping(eta=eta, gamma=gamma).step(g),
                               [expected("smoothed_clipping", x, eta=eta, gamma=gamma)
                                for x in g], rtol=1e-15)
    n = normalized_from_clipped(eta=eta, gamma=gamma)
    assert n.params == {"eta": gamma * eta, "beta": gamma}
    assert gd(h=eta).step(g).tolist() == [eta] * g.size


@pytest.mark.parametrize("L0, L1", [(1.0, 0.5), (1.0, 1.0), (2.0, 3.0), (4.0, 0.0),
                                    (0.5, 40.0), (1.0, 0.05)])
def test_theorem3_parameters(L0, L1):
    """Theorem 3: eta = 1/(10 L0), gamma = min{1/eta, 1/(10 L1 eta)} (1/eta when L1 = 0)."""
    m = theorem3_clipped(L0, L1)
    eta = 1 / (10 * L0)
    gamma = min(1 / eta, 1 / (10 * L1 * eta)) if L1 > 0 else 1 / eta
    assert m.name == "clipped"
    assert m.params["eta"] == pytest.approx(eta, rel=1e-15)
    assert m.params["gamma"] == pytest.approx(gamma, rel=1e-15)


@pytest.mark.parametrize("L0, L1, M", [(1.0, 1.0, 4.0), (0.0, 2.0, 3.0), (2.0, 0.0, 5.0),
                                      (2.0, 1.0, 2.0)])
def test_theorem6_parameters(L0, L1, M):
    """Theorem 6: h = 1/(2 (M L1 + L0)); M L1 + L0 = 0 is refused."""
    assert theorem6_gd(L0, L1, M).params["h"] == pytest.approx(1 / (2 * (M * L1 + L0)),
                                                               rel=1e-15)
    with pytest.raises(LabInputError, match=r"^theorem6_gd: M\*L1 \+ L0 must be positive$"):
        theorem6_gd(0.0, 0.0, M)


@pytest.mark.parametrize("L0, L1, tau, T, M", [(1.0, 1.0, 0.1, 10_000, 3.0),
                                               (0.01, 1.0, 0.0, 4, 3.0), (1.0, 0.0, 0.5, 100, 3.0),
                                               (0.001, 50.0, 2.0, 10**8, 3.0),
                                               (1.0, 10.0, 2.0, 4, 0.5), (1.0, 1.0, 0.0, 4, 0.0)])
def test_theorem7_and_theorem8_parameters(L0, L1, tau, T, M):
    """Theorem 7: eta = min{1/(20 L0), 1/(128 L1 tau), 1/sqrt(T)} (the middle term only when
    L1 tau > 0) in Theorem 7's clipped-SGD rule; Theorem 8: h = min{1/sqrt(T),
    1/(L1 (M + tau))}."""
    m = theorem7_clipped_sgd(L0, L1, tau, T)
    cands = [1 / (20 * L0), 1 / math.sqrt(T)] + ([1 / (128 * L1 * tau)] if L1 * tau else [])
    assert m.params["eta"] == pytest.approx(min(cands), rel=1e-15)
    assert (m.params["L1"], m.tau, m.noise) == (L1, tau, "ball")
    eta = m.params["eta"]
    g = np.array([0.0, 0.5, 10.0])
    want = [min(1 / (16 * eta * L1 * (x + tau)) if L1 * (x + tau) > 0 else math.inf, eta)
            for x in g]
    np.testing.assert_allclose(m.step(g), want, rtol=1e-15)
    s = theorem8_sgd(L1, M, tau, T)
    h = min(1 / math.sqrt(T), 1 / (L1 * (M + tau))) if L1 * (M + tau) > 0 else 1 / math.sqrt(T)
    assert s.params["h"] == pytest.approx(h, rel=1e-15) and s.tau == tau


def test_clipped_sgd_rule_is_theorem7s():
    """clipped_sgd(eta, L1, tau): h = min{1/(16 eta L1 (g + tau)), eta}."""
    m = clipped_sgd(eta=0.01, L1=2.0, tau=0.5)
    g = np.array([0.0, 1.0, 100.0])
    np.testing.assert_allclose(m.step(g), np.minimum(1 / (16 * 0.01 * 2.0 * (g + 0.5)), 0.01),
                               rtol=1e-15)


def test_theorem_helpers_pass_the_noise_model_through():
    """Theorem 7's and 8's helpers build stochastic methods with the noise model asked for."""
    assert theorem7_clipped_sgd(1.0, 1.0, 0.1, 100, noise="gaussian").noise == "gaussian"
    assert theorem8_sgd(1.0, 1.0, 0.1, 100, noise="sphere").noise == "sphere"


def test_theorem7_rule_limits_at_l1_zero():
    """L1 = 0: Theorem 7's step is eta for every g (1/0 = inf, min with eta), also g = inf."""
    m = clipped_sgd(eta=0.5, L1=0.0, tau=0.1)
    assert m.step([0.0, 1.0, math.inf]).tolist() == [0.5, 0.5, 0.5]


def test_rules_take_python_integers_of_any_size():
    """Gradient norms given as Python ints (even beyond int64) are floats to the rules."""
    want = expected("eta_star", 1e30, L0=1.0, L1=1.0)
    assert eta_star(L0=1.0, L1=1.0).step([10**30])[0] == pytest.approx(want, rel=1e-13)
    assert clipped(eta=0.5, gamma=2).step([1, 4]).tolist() == [0.5, 0.25]


#: (constructor, valid arguments, parameter, words of its range, the hint in parentheses)
PARAMETERS = [
    ("gd", {"h": 0.1}, "h", "> 0", "the step size"),
    ("clipped", {"eta": 0.1, "gamma": 1.0}, "eta", "> 0", "the step size eta_c"),
    ("clipped", {"eta": 0.1, "gamma": 1.0}, "gamma", "> 0 (inf allowed)",
     "the clipping threshold"),
    ("normalized", {"eta": 0.1, "beta": 1.0}, "eta", "> 0", "the step size eta_n"),
    ("normalized", {"eta": 0.1, "beta": 1.0}, "beta", ">= 0", None),
    ("smoothed_clipping", {"eta": 0.1, "gamma": 1.0}, "eta", "> 0", "the step size"),
    ("smoothed_clipping", {"eta": 0.1, "gamma": 1.0}, "gamma", "> 0", "the threshold"),
    ("sgd", {"h": 0.1, "tau": 0.5}, "h", "> 0", "the step size"),
    ("sgd", {"h": 0.1, "tau": 0.5}, "tau", ">= 0", "noise level"),
    ("clipped_sgd", {"eta": 0.1, "L1": 1.0, "tau": 0.5}, "eta", "> 0", "the step size"),
    ("clipped_sgd", {"eta": 0.1, "L1": 1.0, "tau": 0.5}, "L1", ">= 0", None),
    ("clipped_sgd", {"eta": 0.1, "L1": 1.0, "tau": 0.5}, "tau", ">= 0", "noise level"),
    ("clipped_sgd_momentum", {"eta": 0.1, "gamma": 1.0}, "eta", "> 0", "the step size"),
    ("clipped_sgd_momentum", {"eta": 0.1, "gamma": 1.0}, "gamma", "> 0 (inf allowed)", None),
    ("clipped_sgd_momentum", {"eta": 0.1, "gamma": 1.0}, "tau", ">= 0", "noise level"),
] + [(name, {"L0": 1.0, "L1": 1.0}, p, ">= 0", None)
     for name in ("quadratic_model", "eta_star", "eta_si", "eta_cl") for p in ("L0", "L1")]


@pytest.mark.parametrize("name, kwargs, param, words, hint", PARAMETERS,
                         ids=[f"{p[0]}-{p[2]}" for p in PARAMETERS])
def test_a_bad_parameter_is_one_line_naming_method_parameter_and_range(name, kwargs, param,
                                                                       words, hint):
    """-1 for any parameter of any constructor: LabInputError, one line, "METHOD: PARAM must
    be a finite number RANGE, got -1.0 (HINT)" with the hint only where the lab gives one
    ("a number > 0 (inf allowed)" for clipping thresholds)."""
    with pytest.raises(LabInputError) as info:
        METHODS[name](**{**kwargs, param: -1.0})
    text = str(info.value)
    tail = f" ({hint})" if hint else ""
    kind = "a number" if "inf allowed" in words else "a finite number"
    assert text == f"{name}: {param} must be {kind} {words}, got -1.0{tail}"


@pytest.mark.parametrize("name, kwargs", [("clipped", {"eta": 0.1}),
                                          ("clipped_sgd_momentum", {"eta": 0.1})])
def test_clipping_thresholds_may_be_infinite(name, kwargs):
    """gamma = inf is plain GD (clipped) and is accepted; smoothed clipping's gamma is not."""
    assert METHODS[name](**kwargs, gamma=math.inf).params["gamma"] == math.inf
    with pytest.raises(LabInputError, match="^smoothed_clipping: gamma must be"):
        smoothed_clipping(eta=0.1, gamma=math.inf)


#: constructor -> (arguments, rule, noise, tau, momentum, repr)
RECORDS = {
    "gd": ({"h": 0.1}, "gd", None, 0.0, None, "gd(h=0.1)"),
    "sgd": ({"h": 0.1, "tau": 0.5}, "gd", "ball", 0.5, None,
            "sgd(h=0.1, tau=0.5, noise='ball')"),
    "clipped_sgd": ({"eta": 0.1, "L1": 2.0, "tau": 0.5, "noise": "sphere"},
                    "clipped_sgd_theorem7", "sphere", 0.5, None,
                    "clipped_sgd(eta=0.1, L1=2.0, tau=0.5, noise='sphere')"),
    "clipped_sgd_momentum": ({"eta": 0.1, "gamma": 1.0, "momentum": 0.5, "tau": 0.2},
                             "clipped", "ball", 0.2, 0.5,
                             "clipped_sgd_momentum(eta=0.1, gamma=1.0, tau=0.2, noise='ball', "
                             "momentum=0.5)"),
    "smoothed_clipping": ({"eta": 0.1, "gamma": 2.0}, "smoothed_clipping", None, 0.0, None,
                          "smoothed_clipping(eta=0.1, gamma=2.0)"),
    "normalized": ({"eta": 0.1}, "normalized", None, 0.0, None,
                   "normalized(eta=0.1, beta=0.0)"),
}


@pytest.mark.parametrize("name", list(RECORDS))
def test_constructors_build_the_documented_record(name):
    """Each constructor's rule, noise model, noise level, momentum and repr."""
    kwargs, rule, noise, tau, momentum, text = RECORDS[name]
    m = METHODS[name](**kwargs)
    assert (m.name, m.rule, m.noise, m.tau, m.momentum) == (name, rule, noise, tau, momentum)
    assert m.stochastic == (noise is not None)
    assert repr(m) == text


def test_noise_and_momentum_mistakes():
    """Unknown noise model, a per-run tau, momentum outside [0, 1): one line each."""
    with pytest.raises(LabInputError) as info:
        sgd(h=0.1, noise="pink")
    assert str(info.value) == ("sgd: noise model must be one of 'ball', 'sphere', "
                               "'adversarial', 'gaussian', got 'pink'")
    with pytest.raises(LabInputError) as info:
        clipped_sgd(eta=0.1, L1=1.0, tau=[0.1, 0.2])
    assert str(info.value) == "clipped_sgd: tau must be one number for the batch, got an array"
    for bad in (1.0, -0.1, "x"):
        with pytest.raises(LabInputError, match=r"^clipped_sgd_momentum: momentum must be"):
            clipped_sgd_momentum(eta=0.1, gamma=1.0, momentum=bad)
    assert clipped_sgd_momentum(eta=0.1, gamma=1.0, momentum=0.0).momentum == 0.0


def test_get_method_messages():
    """Registry mistakes: the unknown name with the closest match (or none) and the whole
    list; unknown and missing parameters with the method's parameter list."""
    names = ", ".join(METHODS)
    cases = [(("clipd",), {}, f"unknown method 'clipd' (did you mean 'clipped'?); choose one "
                              f"of: {names}"),
             (("zzz",), {}, f"unknown method 'zzz'; choose one of: {names}"),
             (("clipped",), {"eta": 0.1, "gama": 1.0},
              "method 'clipped' has no parameter 'gama'; its parameters: eta, gamma"),
             (("clipped",), {"eta": 0.1},
              "method 'clipped' needs parameter 'gamma'; its parameters: eta, gamma"),
             ((gd(h=0.1),), {"h": 0.2},
              "give parameters either in the Method object or as params")]
    for args, kwargs, message in cases:
        with pytest.raises(LabInputError) as info:
            get_method(*args, **kwargs)
        assert str(info.value) == message
    m = gd(h=0.1)
    assert get_method(m) is m
    assert repr(get_method("normalized", eta=0.1)) == "normalized(eta=0.1, beta=0.0)"


@pytest.mark.parametrize("helper, kwargs, param, words", [
    (theorem3_clipped, {"L0": 1.0, "L1": 1.0}, "L0", "> 0"),
    (theorem3_clipped, {"L0": 1.0, "L1": 1.0}, "L1", ">= 0"),
    (theorem6_gd, {"L0": 1.0, "L1": 1.0, "M": 1.0}, "L0", ">= 0"),
    (theorem6_gd, {"L0": 1.0, "L1": 1.0, "M": 1.0}, "L1", ">= 0"),
    (theorem6_gd, {"L0": 1.0, "L1": 1.0, "M": 1.0}, "M", ">= 0"),
    (theorem7_clipped_sgd, {"L0": 1.0, "L1": 1.0, "tau": 0.1, "T": 10}, "L0", "> 0"),
    (theorem7_clipped_sgd, {"L0": 1.0, "L1": 1.0, "tau": 0.1, "T": 10}, "L1", ">= 0"),
    (theorem7_clipped_sgd, {"L0": 1.0, "L1": 1.0, "tau": 0.1, "T": 10}, "tau", ">= 0"),
    (theorem8_sgd, {"L1": 1.0, "M": 1.0, "tau": 0.1, "T": 10}, "L1", ">= 0"),
    (theorem8_sgd, {"L1": 1.0, "M": 1.0, "tau": 0.1, "T": 10}, "M", ">= 0"),
    (theorem8_sgd, {"L1": 1.0, "M": 1.0, "tau": 0.1, "T": 10}, "tau", ">= 0"),
], ids=lambda v: getattr(v, "__name__", str(v)))
def test_theorem_helpers_name_the_bad_constant(helper, kwargs, param, words):
    """A negative constant: one line "PARAM must be a finite number RANGE, got -1.0"; an
    iteration budget T < 1: "T must be an integer >= 1, got 0 (the iteration budget)"."""
    with pytest.raises(LabInputError) as info:
        helper(**{**kwargs, param: -1.0})
    assert str(info.value) == f"{param} must be a finite number {words}, got -1.0"
    if "T" in kwargs:
        with pytest.raises(LabInputError) as info:
            helper(**{**kwargs, "T": 0})
        assert str(info.value) == "T must be an integer >= 1, got 0 (the iteration budget)"
        assert helper(**{**kwargs, "T": 1}).params  # T = 1 is allowed


def test_user_rules_with_conditions_and_constants_on_numpy_and_numba():
    """A user rule using and / or / not, pi and E: the formula on NumPy, and the fused kernel
    gives the same runs (the rule printer writes every construct for both)."""
    from lab.engine import run_batch
    from lab.methods import user_rule

    rule = user_rule("Piecewise((eta, (g <= gamma) and not (g < 0)), "
                     "(eta*gamma/g, (g > gamma) or (g < 0)))", eta=0.5, gamma=2.0)
    assert rule.step([0.0, 1.0, 2.0, 4.0]).tolist() == [0.5, 0.5, 0.5, 0.25]
    constants = user_rule("Piecewise((eta*exp(-1)*E, g < pi), (2*eta, True))", eta=0.5)
    np.testing.assert_allclose(constants.step([3.0, 3.2]), [0.5, 1.0], rtol=1e-15)
    X = np.array([[0.4], [1.0], [1.5]])
    for m in (rule, constants):
        a = run_batch("quartic", m, X, eps=1e-2, max_iter=300)
        b = run_batch("quartic", m, X, eps=1e-2, max_iter=300, backend="numba")
        np.testing.assert_array_equal(a.hit, b.hit)
        np.testing.assert_allclose(a.x, b.x, rtol=1e-12)


def test_user_rule_powers_min_max_and_floats_follow_the_formula():
    """Integer powers (unrolled, negative ones as reciprocals), square roots, Max/Min and float
    literals in a user rule: the formula on NumPy, the same runs in the fused kernel."""
    from lab.engine import run_batch
    from lab.methods import user_rule

    rule = user_rule("eta/Max(1.5, g**2) + 0.25*eta/(1 + g**3) + eta*g**-2/(g**-2 + 1) "
                     "+ eta*sqrt(g)/(1 + g**5) + eta*Min(g, 0.5)**4", eta=0.5)

    def formula(g):
        return (0.5 / max(1.5, g**2) + 0.125 / (1 + g**3) + 0.5 * g**-2 / (g**-2 + 1)
                + 0.5 * math.sqrt(g) / (1 + g**5) + 0.5 * min(g, 0.5)**4)

    g = [0.3, 0.5, 1.0, 2.0, 3.0]
    np.testing.assert_allclose(rule.step(g), [formula(x) for x in g], rtol=1e-14)
    X = np.array([[0.4], [1.0], [1.5]])
    a = run_batch("quartic", rule, X, eps=1e-2, max_iter=300)
    b = run_batch("quartic", rule, X, eps=1e-2, max_iter=300, backend="numba")
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12)
