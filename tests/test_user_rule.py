"""User step rules: an expression in g, parsed by the one safe parser, its limits decided,
compiled from the same text for every backend, equal to the built-in rule it restates."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numba import njit

from lab.engine import fused_support, run_batch
from lab.errors import LabInputError
from lab.methods import smoothed_clipping, user_rule
from lab.methods.rules import VOCABULARY, compile_rule, evaluate

BACKENDS = ["numpy", "array_api_strict", "numba"]
SMOOTHED = "eta*gamma/(g+gamma)"


def backend_param(name):
    if name == "array_api_strict":
        pytest.importorskip("array_api_strict")
    return name


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("name", ["quartic", "witness"])
def test_user_smoothed_clipping_has_the_builtin_hitting_times(backend, name):
    """user_rule("eta*gamma/(g+gamma)") is smoothed clipping: the same hitting times as the
    built-in rule, on every backend."""
    backend_param(backend)
    X = np.linspace(-2.5, 2.5, 21)[:, None] + 0.01
    mine = user_rule(SMOOTHED, eta=0.05, gamma=1.0)
    builtin = smoothed_clipping(eta=0.05, gamma=1.0)
    a = run_batch(name, mine, X, eps=1e-3, max_iter=3000, backend=backend)
    b = run_batch(name, builtin, X, eps=1e-3, max_iter=3000, backend=backend)
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_array_equal(a.status, b.status)
    assert (a.status == 0).sum() >= 15
    np.testing.assert_allclose(a.x, b.x, rtol=1e-12)


@given(g=st.floats(0.0, 1e300), eta=st.floats(1e-6, 1e6), gamma=st.floats(1e-6, 1e6))
def test_user_smoothed_clipping_step_is_the_builtin_step(g, eta, gamma):
    """(eta*gamma)/(g + gamma) and eta*(gamma/(g + gamma)) are the same real number; in
    float64 they differ by at most two roundings (4.5e-16 relative)."""
    mine = user_rule(SMOOTHED, eta=eta, gamma=gamma).step([g])[0]
    ref = smoothed_clipping(eta=eta, gamma=gamma).step([g])[0]
    assert mine == pytest.approx(ref, rel=4.5e-16, abs=1e-300)


LIMITS = [  # expression, params, step at g = 0, step at g = inf (limits worked out by hand)
    (SMOOTHED, dict(eta=0.5, gamma=2.0), 0.5, 0.0),
    ("Min(eta, eta*gamma/g)", dict(eta=0.5, gamma=2.0), 0.5, 0.0),
    ("Piecewise((eta, g <= gamma), (eta*gamma/g, True))", dict(eta=0.5, gamma=2.0), 0.5, 0.0),
    ("eta*log(1 + g)/g", dict(eta=0.5), 0.5, 0.0),
    ("eta*sin(g)**2/g**2", dict(eta=0.5), 0.5, 0.0),
    ("eta/(g + beta)", dict(eta=0.5, beta=4.0), 0.125, 0.0),
    ("1/(L0 + L1*g)", dict(L0=4.0, L1=1.0), 0.25, 0.0),
    ("eta*g/(1 + g)", dict(eta=0.5), 0.0, 0.5),
    ("h", dict(h=0.3), 0.3, 0.3),
    ("eta/g", dict(eta=0.5), math.inf, 0.0),
    ("eta*(1 - exp(-g))/g", dict(eta=0.5), 0.5, 0.0),
    ("eta*Max(1, g)/g^2", dict(eta=0.5), math.inf, 0.0),
    ("g*Min(1, 1/g)", {}, 0.0, 1.0),
    ("eta*Max(g, 2*g - 1, 3*g - 2*sin(g))/g", dict(eta=0.5), 0.5, 1.5),
    ("eta*Abs(sin(g))/g", dict(eta=0.5), 0.5, 0.0),
]


@pytest.mark.parametrize("expression, params, at_zero, at_inf", LIMITS,
                         ids=[case[0] for case in LIMITS])
def test_limits_at_zero_and_infinity_are_the_steps_there(expression, params, at_zero, at_inf):
    """At g = 0 the step is the limit g -> 0+, at g = inf the limit g -> inf (where the
    expression itself gives 0/0, inf/inf or 0*inf)."""
    h = user_rule(expression, **params).step([0.0, math.inf])
    assert h[0] == pytest.approx(at_zero, rel=1e-15) and h[1] == pytest.approx(at_inf)


@pytest.mark.parametrize("expression, params, where", [
    ("eta*sin(1/g)", dict(eta=1.0), "g -> 0+"),          # oscillates
    ("eta*g^(1 - p)", dict(eta=1.0, p=2.0), "g -> 0+"),  # depends on p
    ("Min(eta, eta*(1 + g*sin(1/g)))", dict(eta=1.0), "g -> 0+"),  # no branch near 0
    ("eta*g*sin(g)/(1 + g)", dict(eta=1.0), "g -> inf"),           # oscillates
])
def test_undecidable_limits_are_refused(expression, params, where):
    with pytest.raises(LabInputError, match="cannot decide its limit as " + where):
        user_rule(expression, **params)


@pytest.mark.parametrize("call, fragment", [
    (lambda: user_rule(3.0), "must be a string"),
    (lambda: user_rule("__import__('os').system('true')"), "only plain function names"),
    (lambda: user_rule("eta*x", eta=1.0), "'x'"),
    (lambda: user_rule("eta*gamma/g", eta=1.0), "'gamma'"),
    (lambda: user_rule("eta/(1 + g)", eta=1.0, beta=2.0), "parameter 'beta' does not appear"),
    (lambda: user_rule("exp/(1 + g)", exp=1.0), "cannot be a parameter name"),
    (lambda: user_rule("eta/(1 + g)", eta=0.0), "user_rule: eta must be"),
    (lambda: user_rule("eta/(1 + g)", eta=math.inf), "got inf"),
    (lambda: user_rule("eta/(1 + g)", eta=np.array([0.1, -1.0])), "got -1.0"),
    (lambda: user_rule("eta*erf(g)", eta=1.0), "function 'erf' is not allowed"),
    (lambda: user_rule("eta/(1 + g", eta=1.0), "step rule"),
])
def test_bad_rules_are_one_clear_error(call, fragment):
    with pytest.raises(LabInputError) as info:
        call()
    assert fragment in str(info.value) and "\n" not in str(info.value)


def test_repr_reproduces_the_call():
    for m in (user_rule(SMOOTHED, eta=0.1, gamma=1.0),
              user_rule("Min(eta, eta*gamma/g)", eta=np.array([0.1, 0.2]), gamma=2.0)):
        again = eval(repr(m), {"user_rule": user_rule, "np": np})
        assert repr(again) == repr(m)
        np.testing.assert_array_equal(again.step([0.5, 3.0]), m.step([0.5, 3.0]))


RULE_CASES = [(SMOOTHED, dict(eta=0.3, gamma=2.0)),
              ("eta*exp(-g/gamma)", dict(eta=0.3, gamma=2.0)),
              ("eta*log(1 + g)/g", dict(eta=0.3)),
              ("Min(eta, eta*gamma/g)", dict(eta=0.3, gamma=2.0)),
              ("Piecewise((eta, g <= gamma), (eta*(gamma/g)^2, True))", dict(eta=0.3, gamma=2.0)),
              ("eta/sqrt(1 + g^2) + eta*tanh(gamma/g)", dict(eta=0.3, gamma=2.0)),
              ("eta*Abs(cos(g))/(1 + g^1.5)", dict(eta=0.3))]
NORMS = np.array([0.0, 5e-324, 1e-300, 1e-8, 0.1, 1.0, 2.0, 2.5, 10.0, 1e3, 1e150, 1e300,
                  1.7976931348623157e308, math.inf, math.nan])


@pytest.mark.parametrize("expression, params", RULE_CASES, ids=[c[0] for c in RULE_CASES])
def test_numpy_and_fused_rule_agree_to_1e_12(expression, params):
    """The same rule text compiled against NumPy and against the fused kernel's scalar
    functions (vectorizable exp/log1p, libm for the others): within 1e-12 relative, and the
    same zeros, infinities and nans."""
    m = user_rule(expression, **params)
    names = {name: getattr(fused_support, name) for name in VOCABULARY}
    step = njit(error_model="numpy")(compile_rule(m.step_rule, names))

    @njit(error_model="numpy")
    def scalar_loop(g, args):
        return np.array([step(v, *args) for v in g])

    args = tuple(float(m.params[k]) for k in m.param_names)
    fused = scalar_loop(NORMS, args)
    ref = evaluate(m.step_rule, NORMS, **m.params)
    np.testing.assert_array_equal(np.isnan(fused), np.isnan(ref))
    np.testing.assert_allclose(fused, ref, rtol=1e-12, atol=0)


def test_user_rule_with_per_run_parameters_in_the_fused_kernel():
    etas = np.array([0.01, 0.02, 0.05, 0.1])
    m = user_rule("Min(eta, eta*gamma/g)", eta=etas, gamma=1.0)
    a = run_batch("quartic", m, [[2.0]], eps=1e-3, max_iter=5000)
    b = run_batch("quartic", m, [[2.0]], eps=1e-3, max_iter=5000, backend="numba")
    clipped = run_batch("quartic", "clipped", [[2.0]] * 4, eps=1e-3, max_iter=5000,
                        params={"eta": etas, "gamma": 1.0})
    np.testing.assert_array_equal(a.hit, b.hit)
    np.testing.assert_array_equal(a.hit, clipped.hit)
    assert (np.diff(a.hit) < 0).all()


def test_a_rule_with_a_negative_step_is_refused_naming_where():
    """A step size is >= 0 (a negative one ascends): a rule that is negative at a probe norm
    for the given parameters is refused, the message naming g, the step and the parameters;
    with per-run parameters, the run whose values make it negative is the one named."""
    with pytest.raises(LabInputError, match=r"at g = 0 is -inf with eta=1;"):
        user_rule("eta*log(g)", eta=1.0)
    with pytest.raises(LabInputError, match=r"step at g = 1\.7\d* is -0\.7\d* with eta=1;"):
        user_rule("eta - g", eta=1.0)  # 1 - g < 0 from g = 1 on; 10^0.25 is the first probe
    with pytest.raises(LabInputError, match=r"with eta=0\.2, gamma=2;"):
        user_rule("eta*(1 - g/gamma)", eta=np.array([0.1, 0.2]), gamma=np.array([1e13, 2.0]))
    # nonnegative everywhere: accepted, including at g = 0 and g = inf
    ok = user_rule("Max(0, eta*(1 - g/gamma))", eta=0.1, gamma=2.0)
    assert list(ok.step([0.0, 1.0, 2.0, np.inf])) == [0.1, 0.05, 0.0, 0.0]
