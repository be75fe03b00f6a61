"""The function layer: compiled derivatives agree with finite differences and each other."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from lab.errors import LabInputError
from lab.functions import ExplicitObjective, function_names, get_function, hard_family

# Moderate boxes so that exp-type members stay far from overflow and cancellation.
BOX = {"hard_steep": 2.0, "witness": 3.0, "norm_power": 1.5, "phase_retrieval": 2.0}

FUNCTIONS = {name: get_function(name) for name in function_names()}
FUNCTIONS["quartic_norm_d5"] = get_function("quartic_norm", d=5)
FUNCTIONS["logistic_d4"] = get_function("logistic", d=4, scale=2.5)
FUNCTIONS["exp_ridge_d3"] = get_function("exp_ridge", d=3, scale=0.5)
FUNCTIONS["norm_power_d3_n4"] = get_function("norm_power", d=3, n=4)


def points(fn, box):
    return st.lists(st.floats(-box, box, allow_nan=False, allow_infinity=False),
                    min_size=fn.dim, max_size=fn.dim).map(lambda v: np.array([v]))


def _fd_gradient(fn, x, h):
    d = fn.dim
    steps = np.eye(d) * h
    plus = fn.value(x + steps)
    minus = fn.value(x - steps)
    return (plus - minus) / (2 * h)


def _fd_hessian(fn, x, h):
    d = fn.dim
    steps = np.eye(d) * h
    return ((fn.grad(x + steps) - fn.grad(x - steps)) / (2 * h)).T


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@given(data=st.data())
def test_gradient_and_hessian_match_finite_differences(name, data):
    """For every zoo member: ∇f equals central differences of f, and ∇²f equals central
    differences of ∇f (second-order accurate, so agreement to ~1e-5 relative)."""
    fn = FUNCTIONS[name]
    box = BOX.get(name.split("_d")[0], 4.0)
    x = data.draw(points(fn, box))
    scale = max(1.0, float(np.abs(x).max()))
    h = 1e-5 * scale
    g = fn.grad(x)[0]
    H = fn.hess(x)[0]
    g_fd = _fd_gradient(fn, x, h)
    H_fd = _fd_hessian(fn, x, h)
    tol_g = 1e-6 * (1 + np.abs(g).max() + abs(fn.value(x)[0]) / scale)
    tol_h = 1e-5 * (1 + np.abs(H).max() + np.abs(g).max() / scale)
    np.testing.assert_allclose(g, g_fd, atol=tol_g, rtol=1e-5)
    np.testing.assert_allclose(H, H_fd, atol=tol_h, rtol=1e-4)
    np.testing.assert_allclose(H, H.T, atol=1e-12 * (1 + np.abs(H).max()))


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
@given(data=st.data())
def test_norms_agree_with_gradient_and_hessian(name, data):
    """grad_norm is the Euclidean norm of grad, hess_norm the largest |eigenvalue| of hess:
    the structured shortcuts (ridge, radial) against the dense linear algebra."""
    fn = FUNCTIONS[name]
    x = data.draw(points(fn, BOX.get(name.split("_d")[0], 4.0)))
    g, H = fn.grad(x)[0], fn.hess(x)[0]
    # abs: near the origin the radial gradient 2h'(s)x underflows before its norm does
    # (found by hypothesis: norm_power at (0, 3e-38) gives 5e-188 against an underflowed 0).
    assert fn.grad_norm(x)[0] == pytest.approx(np.linalg.norm(g), rel=1e-12, abs=1e-150)
    expected = np.abs(np.linalg.eigvalsh(H)).max()
    assert fn.hess_norm(x)[0] == pytest.approx(expected, rel=1e-10, abs=1e-12)


@pytest.mark.parametrize("name, params", [("exp_ridge", {"d": 3, "scale": 0.5}),
                                          ("logistic", {"d": 3, "scale": 2.0}),
                                          ("quartic_norm", {"d": 3}),
                                          ("norm_power", {"d": 3, "n": 3})])
def test_structured_shapes_match_explicit_sympy(name, params):
    """The ridge/radial shortcuts equal an independent explicit sympy definition in d = 3."""
    fn = get_function(name, **params)
    xs = sp.symbols("x1:4", real=True)
    a = [sp.nsimplify(c) for c in fn.params.get("scale", 1.0) * np.ones(3) / np.sqrt(3)]
    ax = sum(ai * xi for ai, xi in zip(a, xs))
    s = sum(xi**2 for xi in xs)
    expr = {"exp_ridge": sp.exp(ax), "logistic": sp.log(1 + sp.exp(-ax)),
            "quartic_norm": s**2, "norm_power": s**3 / 3}[name]
    ref = ExplicitObjective("ref", str(expr), fn.info, expr=expr, variables=list(xs))
    X = np.random.default_rng(1).uniform(-1.5, 1.5, size=(20, 3))
    np.testing.assert_allclose(fn.value(X), ref.value(X), rtol=1e-12)
    np.testing.assert_allclose(fn.grad(X), ref.grad(X), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(fn.hess(X), ref.hess(X), rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(fn.hess_norm(X), ref.hess_norm(X), rtol=1e-9)


def test_high_dimensional_structured_members_stay_fast_and_correct():
    """d = 1000: radial/ridge members evaluate a batch without forming symbolic variables."""
    fn = get_function("quartic_norm", d=1000)
    X = np.random.default_rng(0).normal(size=(64, 1000))
    r2 = np.einsum("ij,ij->i", X, X)
    np.testing.assert_allclose(fn.value(X), r2**2, rtol=1e-12)
    np.testing.assert_allclose(fn.grad_norm(X), 4 * r2**1.5, rtol=1e-12)
    np.testing.assert_allclose(fn.hess_norm(X), 12 * r2, rtol=1e-12)
    ridge = get_function("logistic", d=1000)
    assert ridge.grad(X).shape == (64, 1000)


def test_witness_second_derivative_identity():
    """The witness satisfies w'' = L0 + L1|w'| exactly (sympy) and at points, including 0."""
    fn = get_function("witness", L0=2.0, L1=3.0)
    X = np.linspace(-2, 2, 41)[:, None]
    np.testing.assert_allclose(fn.hess_norm(X), 2.0 + 3.0 * fn.grad_norm(X), rtol=1e-12)
    x = fn.variables[0]
    second = sp.piecewise_fold(fn.hessian_exprs[0][0])
    first = sp.piecewise_fold(fn.gradient_exprs[0])
    for value in (sp.Rational(-7, 3), sp.Integer(0), sp.Rational(5, 2)):
        lhs = second.subs(x, value)
        rhs = 2 + 3 * sp.Abs(first.subs(x, value))
        assert sp.simplify(lhs - rhs) == 0


def test_hard_family_members_start_where_stated():
    """Steep member: f'(x0) = M; flat member: the same gap f(x0) - f* as the steep one."""
    steep, flat = hard_family(L1=3.0, M=50.0, eps=0.05)
    x0 = np.array([steep.info.start])
    assert steep.grad(x0)[0, 0] == pytest.approx(50.0, rel=1e-12)
    y0 = np.array([flat.info.start])
    assert flat.value(y0)[0] == pytest.approx(steep.value(x0)[0], rel=1e-10)
    assert flat.hess_norm(np.array([[0.0]]))[0] == pytest.approx(1.0)


NASTY = [0.0, -0.0, 5e-324, -5e-324, 1e308, -1e308, np.inf, -np.inf, np.nan]


@pytest.mark.parametrize("value", NASTY)
def test_nasty_floats_give_values_not_warnings(value, recwarn):
    """Overflow and nan are values, never warnings or crashes."""
    for name in ("exp", "quartic", "witness", "logistic"):
        fn = get_function(name)
        X = np.full((1, fn.dim), value)
        fn.value(X), fn.grad(X), fn.hess_norm(X), fn.grad_norm(X)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_bad_inputs_raise_clear_errors():
    with pytest.raises(LabInputError, match="unknown function 'quartc'.*did you mean 'quartic'"):
        get_function("quartc")
    with pytest.raises(LabInputError, match="has no parameter 'dim'.*parameters: d"):
        get_function("quartic_norm", dim=3)
    with pytest.raises(LabInputError, match="dimension d must be an integer >= 1, got 0"):
        get_function("quartic_norm", d=0)
    with pytest.raises(LabInputError, match="shape \\(n, 2\\)"):
        get_function("xy_squared").value(np.zeros((3, 3)))
    with pytest.raises(LabInputError, match="n must be an integer >= 2"):
        get_function("norm_power", n=1)
    with pytest.raises(LabInputError, match="L1 must be a finite number > 0, got -1"):
        get_function("witness", L1=-1)
