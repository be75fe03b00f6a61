"""Named lemmas used by several derivations (statements only: pure sympy data).

Every lemma names the derivation in ``proofs/`` that proves it (``proved_in``); a test, and
``python -m lab derive --all --check``, check that the proving derivation has a verified
step concluding the statement whose range of validity is implied by the lemma's hypotheses
(:func:`lab.derivation.links.check_lemma_links`). The elementary order lemmas and the
telescoping lemma are proved in ``proofs/order_lemmas.py``; the (L0, L1) lemmas in the
derivations named.

A lemma's hypotheses are checked wherever it is used (:class:`~lab.derivation.steps.FromLemma`),
each by its own justification; ``domain`` names the lemma's bound variables and the interval on
which a hypothesis is needed (for example the integration variable).
"""

from __future__ import annotations

import sympy as sp

from lab.derivation.steps import Lemma, rel

A, B, C, P, Q = sp.symbols("A B C P Q", real=True)
U = sp.Function("U", real=True)  # U(t), V(t): functions under an integral
V = sp.Function("V", real=True)
t = sp.Symbol("t", real=True)  # the integration variable on [0, 1]
s = sp.Symbol("sigma", real=True)  # the integration variable on [0, r]
ORDER = "proofs/order_lemmas.md"

#: c >= 0 and a <= b give c a <= c b.
SCALE = Lemma("multiply by a nonnegative number", (A, B, C),
              (rel(C, ">=", 0), rel(A, "<=", B)), rel(C * A, "<=", C * B),
              "if $C \\ge 0$ and $A \\le B$ then $CA \\le CB$", proved_in=ORDER)

#: a <= b gives a + c <= b + c.
ADD = Lemma("add to both sides", (A, B, C), (rel(A, "<=", B),),
            rel(A + C, "<=", B + C), "if $A \\le B$ then $A + C \\le B + C$", proved_in=ORDER)

#: a <= b and p <= q give a + p <= b + q.
ADD_BOTH = Lemma("add two inequalities", (A, B, P, Q), (rel(A, "<=", B), rel(P, "<=", Q)),
                 rel(A + P, "<=", B + Q), "if $A \\le B$ and $P \\le Q$ then $A + P \\le B + Q$",
                 proved_in=ORDER)

#: c > 0 gives c min{a, b} = min{c a, c b}.
MIN_SCALE = Lemma("a positive factor moves into a min", (A, B, C), (rel(C, ">", 0),),
                  rel(C * sp.Min(A, B, evaluate=False), "==",
                      sp.Min(C * A, C * B, evaluate=False)),
                  "if $C > 0$ then $C\\min\\{A, B\\} = \\min\\{CA, CB\\}$", proved_in=ORDER)


def integral_monotone(var, upper) -> Lemma:
    """The lemma "if upper >= 0 and U(var) <= V(var) for var in [0, upper] then the
    integrals over [0, upper] are ordered" (the first hypothesis is checked with ``var`` in
    that range). Its symbols are ``U(var)`` and ``V(var)``. Without ``upper >= 0`` it is
    false: an integral from 0 to a negative upper end reverses the order.

    Examples
    --------
    >>> import sympy as sp
    >>> x, b = sp.Symbol("x", real=True), sp.Symbol("b", positive=True)
    >>> integral_monotone(x, b).name
    'monotonicity of the integral'
    """
    u, v = U(var), V(var)
    bounds = (var, 0, upper)
    return Lemma("monotonicity of the integral", (u, v),
                 (rel(u, "<=", v), rel(upper, ">=", 0)),
                 rel(sp.Integral(u, bounds), "<=", sp.Integral(v, bounds)),
                 "if $b \\ge 0$ and $U \\le V$ on $[0, b]$ then $\\int_0^b U \\le "
                 "\\int_0^b V$",
                 proved_in=ORDER, domain=((var, sp.Interval(0, upper)),))


#: u <= v on [0, 1] gives the same order of the integrals over [0, 1].
INTEGRAL_01 = integral_monotone(t, 1)

# ---- the telescoping lemma (proved in proofs/order_lemmas.py)

fx, fy, f0, fz = (sp.Symbol(name, real=True)
                  for name in ("f(x)", "f(y)", "f(x_{0})", "f(z)"))
a = sp.Symbol("a", real=True)
T = sp.Symbol("T", nonnegative=True)
g = sp.Symbol("g", nonnegative=True)
eps = sp.Symbol("epsilon", positive=True)
Delta = sp.Symbol("Delta", positive=True)

#: "f(z) >= f(x_0) - Delta at every point z": f is bounded below by f* = f(x_0) - Delta.
BOUNDED_BELOW = rel(fz, ">=", f0 - Delta)

#: If f >= f(x_0) - Delta and every iterate x (with gradient norm g > eps and
#: f(x) <= f(x_0)) is followed by one with f(x+) <= f(x) - a, a >= 0, then the number T
#: of iterates before the first eps-stationary one satisfies T a <= Delta.
TELESCOPE = Lemma(
    "telescoping", (fx, fy, f0, fz, a, T, g, eps, Delta),
    (rel(fy, "<=", fx - a), rel(a, ">=", 0), BOUNDED_BELOW),
    rel(T * a, "<=", Delta),
    "if $f(z) \\ge f(x_0) - \\Delta$ everywhere and every iterate $x$ with "
    "$\\|\\nabla f(x)\\| = g > \\epsilon$ and $f(x) \\le f(x_0)$ is followed by one with "
    "$f(x^+) \\le f(x) - a$, $a \\ge 0$, then the number $T$ of iterates before the first "
    "with $g \\le \\epsilon$ satisfies $Ta \\le \\Delta$", proved_in=ORDER,
    domain=((g, sp.Interval.open(eps, sp.oo)), (fx, sp.Interval(-sp.oo, f0))))

# ---- the exponential descent lemma (proved in proofs/blog_condition_gap.py)

L0 = sp.Symbol("L_0", nonnegative=True)
L1 = sp.Symbol("L_1", positive=True)
r = sp.Symbol("r", nonnegative=True)
lin = sp.Symbol("ell", real=True)  # printed \\ell
tau = sp.Symbol("tau", real=True)
H = sp.Function("H", real=True)  # ||Hessian of f|| at x + tau v
N = sp.Function("N", real=True)  # ||gradient of f|| at x + tau v


def phi(x):
    """phi(x) = e^x - x - 1, the function of the exponential descent lemma.

    Examples
    --------
    >>> phi(0)
    0
    """
    return sp.exp(x) - x - 1


#: f(y) <= f(x) + ell + (L0 + L1 g)/L1^2 phi(L1 r), g = ||grad f(x)||, r = ||y - x||,
#: ell = <grad f(x), y - x> (so |ell| <= g r), when the Hessian condition holds on [x, y].
EXP_DESCENT = Lemma(
    "exponential descent lemma", (L0, L1, g, r, lin, fx, fy),
    (rel(sp.Abs(lin), "<=", g * r), rel(H(tau), "<=", L0 + L1 * N(tau))),
    rel(fy, "<=", fx + lin + (L0 + L1 * g) / L1**2 * phi(L1 * r)),
    "for $x$, $y$ with $r = \\|y - x\\|$, $g = \\|\\nabla f(x)\\|$ and $\\ell = \\langle "
    "\\nabla f(x), y - x\\rangle$ (so $|\\ell| \\le gr$), if $f$ is twice differentiable with "
    "$H(\\tau) = \\|\\nabla^2 f(x + \\tau v)\\| \\le L_0 + L_1 N(\\tau)$, $N(\\tau) = "
    "\\|\\nabla f(x + \\tau v)\\|$, on the segment ($\\tau \\in [0, r]$, $v$ the unit "
    "direction): $f(y) \\le f(x) + \\ell + \\frac{L_0 + L_1 g}{L_1^2}\\varphi(L_1 r)$, "
    "$\\varphi(u) = e^u - u - 1$",
    proved_in="proofs/blog_condition_gap.md", domain=((tau, sp.Interval(0, r)),))

# ---- clipping vs normalized (proved in proofs/clipping_vs_normalized.py)

g_pos = sp.Symbol("g", positive=True)
gam = sp.Symbol("gamma", positive=True)

#: gamma/(g + gamma) <= min{1, gamma/g} for g, gamma > 0.
NORMALIZED_LE_CLIPPED = Lemma(
    "normalized factor at most clipping factor", (g_pos, gam), (),
    rel(gam / (g_pos + gam), "<=", sp.Min(1, gam / g_pos)),
    "$\\frac{\\gamma}{g + \\gamma} \\le \\min\\{1, \\frac{\\gamma}{g}\\}$ for "
    "$g, \\gamma > 0$", proved_in="proofs/clipping_vs_normalized.md")

#: min{1, gamma/g} <= 2 gamma/(g + gamma) for g, gamma > 0.
CLIPPED_LE_TWICE_NORMALIZED = Lemma(
    "clipping factor at most twice the normalized factor", (g_pos, gam), (),
    rel(sp.Min(1, gam / g_pos), "<=", 2 * gam / (g_pos + gam)),
    "$\\min\\{1, \\frac{\\gamma}{g}\\} \\le \\frac{2\\gamma}{g + \\gamma}$ for "
    "$g, \\gamma > 0$", proved_in="proofs/clipping_vs_normalized.md")
