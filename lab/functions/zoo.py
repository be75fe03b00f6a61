"""The function zoo: every test function of the lab, defined once.

Each entry is a factory ``make_NAME(**params) -> Objective``; :data:`ZOO` maps names to
:class:`ZooEntry` records (factory, defaults, one-line description). Frontiers stated here in
closed form are derived by hand (PAPER.md, "Reference facts", tag [D]) and are *checked* by
the certifier in the test suite, never trusted.

Closed forms (minimal L0 as a function of L1, from sup_t |q2| - L1|q1|):

* ``x^4``: sup 12x² - 4L1|x|³ at |x| = 2/L1, so L0 >= 16/L1² (L1 > 0).
* ``x^3``: sup 6|x| - 3L1x² at |x| = 1/L1, so L0 >= 3/L1 (L1 > 0).
* ``exp``: e^x(1 - L1) <= L0 needs L1 >= 1; then L0 >= 0.
* ``cosh``: cosh x - L1|sinh x| is largest at 0 for L1 >= 1, so L0 >= 1.
* ``exp(x)+exp(-x)``: twice cosh, L0 >= 2 (L1 >= 1): L0 = 0 is a peer mistake.
* ``log(e^x+e^-x)``: f' = tanh, f'' = 1 - tanh², sup_u (1 - u² - L1 u) = 1 at u = 0: L0 >= 1.
* ``exp(a·x)``: L1 >= ||a||, L0 >= 0.
* ``log(1+exp(-a·x))``: with p = σ(-a·x), sup_p A p(A(1-p) - L1) = max(0, A - L1)²/4.
* ``(1/n)||x||^(2n)``: q = r^(2n)/n, sup 2(2n-1)r^(2n-2) - 2L1 r^(2n-1) = 2((2n-2)/L1)^(2n-2).
* witness ``w`` with (a, b): w'' = a + b|w'| exactly, valid iff L1 >= b and L0 >= a.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import sympy as sp

from lab.formula import exact_decimal
from lab.functions.base import (
    T,
    ExplicitObjective,
    FunctionInfo,
    Objective,
    RadialObjective,
    RidgeObjective,
)
from lab.functions.frontier import L1_SYMBOL as L1s
from lab.functions.frontier import Frontier
from lab.validate import check_int, check_number, check_positive

x, y = sp.symbols("x y", real=True)
u, v = sp.symbols("u v", real=True)


def _exact(value: float) -> sp.Expr:
    """A float parameter as an exact sympy number (so certification stays exact): the
    decimal it was written as (lab.formula.exact_decimal), never rounded to a nearby one."""
    return exact_decimal(value)


def _direction(d: int, scale: float) -> np.ndarray:
    """The default ridge direction: all coordinates equal, with ||a|| = scale."""
    return np.full(d, scale / np.sqrt(d))


# --- univariate ---------------------------------------------------------------------------

def make_quartic() -> Objective:
    """``x^4``: (L0,L1)-smooth for L0 L1² >= 16, not L-smooth (Lemma 2)."""
    info = FunctionInfo(
        frontier=Frontier("closed_form", 16 / L1s**2, l1_min=0.0, l1_min_included=False),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=(0.0,),
        reason="Lemma 2 [Q]; frontier L0·L1² >= 16 [D]",
    )
    return ExplicitObjective("quartic", "x**4", info, expr=x**4, variables=[x])


def make_double_well() -> Objective:
    """``(x² - 1)²``: a nonconvex degree-4 polynomial (Lemma 2); frontier by the certifier."""
    info = FunctionInfo(
        frontier=Frontier("certifier", l1_min=0.0, l1_min_included=False),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=(1.0,),
        reason="Lemma 2 [Q]: every polynomial of degree >= 3 is (L0,L1)-smooth",
    )
    return ExplicitObjective("double_well", "(x**2 - 1)**2", info, expr=(x**2 - 1) ** 2,
                             variables=[x])


def make_cubic() -> Objective:
    """``x^3``: (L0,L1)-smooth (L0 >= 3/L1) but unbounded below: violates Assumption 1."""
    info = FunctionInfo(
        frontier=Frontier("closed_form", 3 / L1s, l1_min=0.0, l1_min_included=False),
        l_smooth=False, bounded_below=False,
        reason="named in the paper as breaking L-smoothness [Q]; unbounded below",
    )
    return ExplicitObjective("cubic", "x**3", info, expr=x**3, variables=[x])


def make_exp() -> Objective:
    """``exp(x)``: (0, 1)-smooth; any L0 >= 0 with L1 >= 1."""
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Integer(0), l1_min=1.0),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=None,
        reason="f'' = f' [D]; infimum 0 not attained",
    )
    return ExplicitObjective("exp", "exp(x)", info, expr=sp.exp(x), variables=[x])


def make_cosh() -> Objective:
    """``cosh(x)``: needs L1 >= 1 and L0 >= 1."""
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Integer(1), l1_min=1.0),
        l_smooth=False, bounded_below=True, f_star=1.0, minimizer=(0.0,),
        reason="cosh - L1|sinh| <= 1 iff L1 >= 1 [D]",
    )
    return ExplicitObjective("cosh", "cosh(x)", info, expr=sp.cosh(x), variables=[x])


def make_exp_sum() -> Objective:
    """``exp(x) + exp(-x)``: L0 >= 2 (L1 >= 1); peers state L0 = 0, which fails at x = 0."""
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Integer(2), l1_min=1.0),
        l_smooth=False, bounded_below=True, f_star=2.0, minimizer=(0.0,),
        reason="f'(0) = 0 but f''(0) = 2 > 0, so L0 > 0 is required [D]",
        mistaken_constants=((0.0, 1.0),),
    )
    return ExplicitObjective("exp_sum", "exp(x) + exp(-x)", info,
                             expr=sp.exp(x) + sp.exp(-x), variables=[x])


def make_log_cosh2() -> Objective:
    """``log(exp(x) + exp(-x))``: L-smooth with L = 1; L0 >= 1 for every L1 (L0 = 0 fails)."""
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Integer(1), l1_min=0.0),
        l_smooth=True, bounded_below=True, f_star=float(np.log(2.0)), minimizer=(0.0,),
        reason="f' = tanh, f'' = 1 - tanh²: f'(0) = 0, f''(0) = 1 [D]",
        mistaken_constants=((0.0, 1.0),),
    )
    return ExplicitObjective("log_exp_sum", "log(exp(x) + exp(-x))", info,
                             expr=sp.log(sp.exp(x) + sp.exp(-x)), variables=[x])


def make_witness(L0: float = 1.0, L1: float = 1.0) -> Objective:
    """The tight witness ``w(x) = (L0/L1²)(exp(L1|x|) - L1|x| - 1)``: w'' = L0 + L1|w'|."""
    a, b = _exact(check_positive(L0, "L0")), _exact(check_positive(L1, "L1"))
    phi = lambda s: sp.exp(s) - s - 1  # noqa: E731 - the tight-model function φ
    # Piecewise (not Abs) so that sympy's second derivative is right at x = 0 too.
    expr = (a / b**2) * sp.Piecewise((phi(b * x), x >= 0), (phi(-b * x), True))
    info = FunctionInfo(
        frontier=Frontier("closed_form", a, l1_min=float(L1)),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=(0.0,),
        reason="w'' = L0 + L1|w'| exactly [F][D]: the tight descent lemma is an equality",
    )
    return ExplicitObjective("witness", f"(a/b²)(exp(b|x|) - b|x| - 1), a = {a}, b = {b}", info,
                             expr=expr, variables=[x], params={"L0": L0, "L1": L1})


# --- d-dimensional structured ---------------------------------------------------------------

def make_exp_ridge(d: int = 2, scale: float = 1.0) -> Objective:
    """``exp(a·x)`` in d dimensions, ``a = scale·(1,…,1)/√d``: (0, ||a||)-smooth."""
    d, scale = check_int(d, "dimension d", minimum=1), check_positive(scale, "scale")
    A = _exact(scale)
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Integer(0), l1_min=scale),
        l_smooth=False, bounded_below=True, f_star=0.0,
        reason="||∇²f|| = ||a||·||∇f|| [D]",
    )
    return RidgeObjective("exp_ridge", f"exp(a·x), ||a|| = {A}", info, profile=sp.exp(T),
                          direction=_direction(d, scale), params={"d": d, "scale": scale})


def make_logistic(d: int = 2, scale: float = 1.0) -> Objective:
    """``log(1 + exp(-a·x))``: (0, ||a||)-smooth and L-smooth with L = ||a||²/4."""
    d, scale = check_int(d, "dimension d", minimum=1), check_positive(scale, "scale")
    A = _exact(scale)
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Max(0, A - L1s) ** 2 / 4, l1_min=0.0),
        l_smooth=True, bounded_below=True, f_star=0.0,
        reason="h'' = p(1-p) <= p = |h'| with p = σ(-t) [D]",
    )
    return RidgeObjective("logistic", f"log(1 + exp(-a·x)), ||a|| = {A}", info,
                          profile=sp.log(1 + sp.exp(-T)), direction=_direction(d, scale),
                          params={"d": d, "scale": scale})


def make_quartic_norm(d: int = 2) -> Objective:
    """``||x||^4`` in d dimensions: the same frontier as x^4, L0 L1² >= 16."""
    d = check_int(d, "dimension d", minimum=1)
    info = FunctionInfo(
        frontier=Frontier("closed_form", 16 / L1s**2, l1_min=0.0, l1_min_included=False),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=(0.0,) * d,
        reason="radial: ||∇²f|| = 12||x||², ||∇f|| = 4||x||³ [D]",
    )
    return RadialObjective("quartic_norm", "||x||^4", info, profile=T**2, dim=d,
                           params={"d": d})


def make_norm_power(d: int = 2, n: int = 3) -> Objective:
    """``(1/n)||x||^(2n)``: L0 >= 2((2n-2)/L1)^(2n-2)."""
    d = check_int(d, "dimension d", minimum=1)
    n = check_int(n, "n", minimum=2, hint="n = 1 is the L-smooth ||x||²")
    info = FunctionInfo(
        frontier=Frontier("closed_form", 2 * ((2 * n - 2) / L1s) ** (2 * n - 2), l1_min=0.0,
                 l1_min_included=False),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=(0.0,) * d,
        reason="radial reduction q = r^(2n)/n [D]",
    )
    return RadialObjective("norm_power", f"(1/{n})||x||^{2 * n}", info,
                           profile=T**n / n, dim=d, params={"d": d, "n": n})


# --- several-dimensional, met in practice -----------------------------------------------------

#: Sensing vectors of the phase-retrieval example (small integers: the expression stays exact).
_PHASE_A = ((1, 0, 1), (0, 1, -1), (1, 1, 0), (2, -1, 1), (-1, 2, 1), (1, -1, -2))
_PHASE_XSTAR = (1, -1, 1)


def make_phase_retrieval() -> Objective:
    """``(1/4m) Σ ((a_i·x)² - b_i)²`` in 3 dimensions with b_i = (a_i·x*)²; frontier numeric."""
    xs = sp.symbols("x1:4", real=True)
    m = len(_PHASE_A)
    terms = []
    for a in _PHASE_A:
        ax = sum(ai * xi for ai, xi in zip(a, xs))
        b = sum(ai * si for ai, si in zip(a, _PHASE_XSTAR)) ** 2
        terms.append((ax**2 - b) ** 2)
    expr = sp.Rational(1, 4 * m) * sp.Add(*terms)
    info = FunctionInfo(
        frontier=Frontier("certifier", l1_min=0.0, l1_min_included=False, exact=False),
        l_smooth=False, bounded_below=True, f_star=0.0, minimizer=tuple(map(float, _PHASE_XSTAR)),
        reason="quartic with gradient growing like ||x||³ and Hessian like ||x||² [D]",
    )
    return ExplicitObjective("phase_retrieval", "(1/24) Σ_i ((a_i·x)² - (a_i·x*)²)², d = 3",
                             info, expr=expr, variables=list(xs))


def make_two_layer_linear() -> Objective:
    """``(uv - 1)²/2``: NOT (L0,L1)-smooth: on uv = 1 the gradient is 0, the Hessian unbounded."""
    info = FunctionInfo(
        frontier=Frontier("none", l1_min=float("inf")), l_smooth=False, bounded_below=True,
        f_star=0.0,
        minimizer=(1.0, 1.0), is_example=False,
        reason="at (s, 1/s): ∇f = 0, ||∇²f|| ≈ s² + 1/s² unbounded [D]",
    )
    return ExplicitObjective("two_layer_linear", "(u*v - 1)**2 / 2", info,
                             expr=(u * v - 1) ** 2 / 2, variables=[u, v])


def make_xy_squared() -> Objective:
    """``x² y²``: not (L0,L1)-smooth for any constants (gradient 0 on the axes, Hessian not)."""
    info = FunctionInfo(
        frontier=Frontier("none", l1_min=float("inf")), l_smooth=False, bounded_below=True,
        f_star=0.0,
        minimizer=(0.0, 0.0), is_example=False,
        reason="on the axis x = 0: ∇f = 0 and ||∇²f|| = 2y² [D]",
    )
    return ExplicitObjective("xy_squared", "x**2 * y**2", info, expr=x**2 * y**2,
                             variables=[x, y])


# --- the hard family of Theorem 4 -------------------------------------------------------------

def make_hard_steep(L1: float = 2.0, M: float = 100.0) -> Objective:
    """Theorem 4's steep member: the witness with (L0, L1) = (1, L1), started where w' = M.

    A fixed step h larger than about 2/(1 + L1 M) overshoots and then diverges.
    """
    L1, M = check_positive(L1, "L1"), check_positive(M, "M")
    base = make_witness(1.0, L1)
    x0 = float(np.log1p(L1 * M) / L1)
    info = FunctionInfo(
        frontier=base.info.frontier, l_smooth=False, bounded_below=True, f_star=0.0,
        minimizer=(0.0,),
        reason="exp(L1|x|) growth away from a quadratic core; start with f'(x0) = M [R]",
        start=(x0,),
    )
    return ExplicitObjective("hard_steep", base.formula, info, expr=base.expr,
                             variables=base.variables, params={"L1": L1, "M": M})


def hard_family_gap(L1: float, M: float) -> float:
    """``f(x0) - f*`` of the steep member: ``(L1 M - log(1 + L1 M))/L1²``."""
    return float((L1 * M - np.log1p(L1 * M)) / L1**2)


def make_hard_flat(L1: float = 2.0, M: float = 100.0, eps: float = 0.1,
                   slope: float = 2.0) -> Objective:
    """Theorem 4's flat member: ``κε(√(x² + δ²) - δ)``, δ = κε, slope about κε far out.

    Started with the same gap as the steep member, GD with a small step h needs about
    gap/(κ²ε²h) iterations to reach |f'| <= ε (the slope κε only falls below ε within
    |x| <= δ/√(κ² - 1) of the minimiser). f'' <= κε/δ = 1 = f''(0), so the member is in the
    class for every L1. ``slope`` = κ > 1: the closer to 1, the harder (and the longer the
    runs); the default 2 is the lab's first construction.
    """
    L1, M, eps = check_positive(L1, "L1"), check_positive(M, "M"), check_positive(eps, "eps")
    slope = check_number(slope, "slope", low=1, low_open=True,
                         hint="the flat member's |f'| tends to slope·eps, which must exceed eps")
    e, k = _exact(eps), _exact(slope)
    delta = k * e
    expr = k * e * (sp.sqrt(x**2 + delta**2) - delta)
    gap = hard_family_gap(L1, M)
    d = slope * eps
    x0 = float(np.sqrt((gap / (slope * eps) + d) ** 2 - d**2))
    info = FunctionInfo(
        frontier=Frontier("closed_form", sp.Integer(1), l1_min=0.0), l_smooth=True,
        bounded_below=True,
        f_star=0.0, minimizer=(0.0,), start=(x0,),
        reason="slope ≈ κε over a long range; f'' <= f''(0) = 1 where f'(0) = 0 [D]",
    )
    return ExplicitObjective("hard_flat", f"κε(sqrt(x² + δ²) - δ), ε = {e}, κ = {k}, δ = κε",
                             info, expr=expr, variables=[x],
                             params={"L1": L1, "M": M, "eps": eps, "slope": slope})


@dataclass(frozen=True)
class ZooEntry:
    """A zoo member: its factory and a one-line description."""

    factory: Callable[..., Objective]
    summary: str


ZOO: dict[str, ZooEntry] = {
    "quartic": ZooEntry(make_quartic, "x^4, Lemma 2"),
    "double_well": ZooEntry(make_double_well, "(x²-1)², a nonconvex quartic"),
    "cubic": ZooEntry(make_cubic, "x^3, unbounded below"),
    "exp": ZooEntry(make_exp, "exp(x)"),
    "cosh": ZooEntry(make_cosh, "cosh(x)"),
    "exp_sum": ZooEntry(make_exp_sum, "exp(x)+exp(-x), L0 = 0 is a peer mistake"),
    "log_exp_sum": ZooEntry(make_log_cosh2, "log(exp(x)+exp(-x)), L0 = 0 is a peer mistake"),
    "witness": ZooEntry(make_witness, "tight witness w(x)"),
    "exp_ridge": ZooEntry(make_exp_ridge, "exp(a·x) in d dimensions"),
    "logistic": ZooEntry(make_logistic, "log(1+exp(-a·x)) in d dimensions"),
    "quartic_norm": ZooEntry(make_quartic_norm, "||x||^4 in d dimensions"),
    "norm_power": ZooEntry(make_norm_power, "(1/n)||x||^(2n) in d dimensions"),
    "phase_retrieval": ZooEntry(make_phase_retrieval, "phase retrieval, d = 3"),
    "hard_steep": ZooEntry(make_hard_steep, "Theorem 4 family: steep member"),
    "hard_flat": ZooEntry(make_hard_flat, "Theorem 4 family: flat member"),
    "two_layer_linear": ZooEntry(make_two_layer_linear, "(uv-1)²/2, non-example"),
    "xy_squared": ZooEntry(make_xy_squared, "x²y², non-example"),
}
