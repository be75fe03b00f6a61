"""Named lemmas used by several derivations (statements only: pure sympy data).

Elementary order facts are *cited* (``proved_in=None``) and appear in the assumptions list
of any document using them; the (L0, L1) lemmas name the derivation in ``proofs/`` that
proves them, and a test checks that the proving derivation really concludes the statement.
"""

from __future__ import annotations

import sympy as sp

from lab.derivation.steps import Lemma, rel

A, B, C, D = sp.symbols("A B C D", real=True)
U, V = sp.symbols("U V", real=True)
t = sp.Symbol("t", real=True)
s = sp.Symbol("sigma", nonnegative=True)
R = sp.Symbol("R", nonnegative=True)

#: c >= 0 and a <= b give c a <= c b.
SCALE = Lemma("multiply by a nonnegative number", (A, B, C),
              (rel(C, ">=", 0), rel(A, "<=", B)), rel(C * A, "<=", C * B),
              "if $C \\ge 0$ and $A \\le B$ then $CA \\le CB$")

#: a <= b gives a + c <= b + c.
ADD = Lemma("add to both sides", (A, B, C), (rel(A, "<=", B),),
            rel(A + C, "<=", B + C), "if $A \\le B$ then $A + C \\le B + C$")

#: a <= b and c <= d give a + c <= b + d.
ADD_BOTH = Lemma("add two inequalities", (A, B, C, D), (rel(A, "<=", B), rel(C, "<=", D)),
                 rel(A + C, "<=", B + D), "if $A \\le B$ and $C \\le D$ then $A + C \\le B + D$")

#: c > 0 gives c min{a, b} = min{c a, c b}.
MIN_SCALE = Lemma("a positive factor moves into a min", (A, B, C), (rel(C, ">", 0),),
                  rel(C * sp.Min(A, B), "==", sp.Min(C * A, C * B)),
                  "if $C > 0$ then $C\\min\\{A, B\\} = \\min\\{CA, CB\\}$")

#: u <= v on [0, 1] gives the same order of the integrals over [0, 1].
INTEGRAL_01 = Lemma("monotonicity of the integral on [0, 1]", (U, V),
                    (rel(U, "<=", V),), rel(sp.Integral(U, (t, 0, 1)), "<=",
                                             sp.Integral(V, (t, 0, 1))),
                    "if $U(t) \\le V(t)$ for $t \\in [0, 1]$ then "
                    "$\\int_0^1 U\\,dt \\le \\int_0^1 V\\,dt$",
                    domain=((t, sp.Interval(0, 1)),))



def integral_monotone(var, upper) -> Lemma:
    """The lemma "if U <= V on [0, upper] then the integrals over [0, upper] are ordered",
    for integration variable ``var`` (its hypothesis is checked with ``var`` in that range).

    Examples
    --------
    >>> import sympy as sp
    >>> x, b = sp.Symbol("x", nonnegative=True), sp.Symbol("b", positive=True)
    >>> integral_monotone(x, b).name
    'monotonicity of the integral on [0, b]'
    """
    return Lemma(f"monotonicity of the integral on [0, {upper}]", (U, V),
                 (rel(U, "<=", V),), rel(sp.Integral(U, (var, 0, upper)), "<=",
                                          sp.Integral(V, (var, 0, upper))),
                 f"if $U \\le V$ on $[0, {sp.latex(upper)}]$ then $\\int_0^{{{sp.latex(upper)}}} "
                 f"U\\,d{sp.latex(var)} \\le \\int_0^{{{sp.latex(upper)}}} V\\,d{sp.latex(var)}$",
                 domain=((var, sp.Interval(0, upper)),))


#: u <= v on [0, R] gives the same order of the integrals over [0, R].
INTEGRAL_0R = integral_monotone(s, R)

# ---- the exponential descent lemma (proved in proofs/blog_condition_gap.py)

L0 = sp.Symbol("L_0", nonnegative=True)
L1 = sp.Symbol("L_1", positive=True)
g = sp.Symbol("g", nonnegative=True)
r = sp.Symbol("r", nonnegative=True)
fx, fy, lin = sp.symbols("f_x f_y \\ell", real=True)


def phi(x):
    """phi(x) = e^x - x - 1, the function of the exponential descent lemma.

    Examples
    --------
    >>> phi(0)
    0
    """
    return sp.exp(x) - x - 1


#: f(y) <= f(x) + <grad f(x), y - x> + (L0 + L1 g)/L1^2 phi(L1 r) with g = ||grad f(x)||,
#: r = ||y - x||, for f twice differentiable and (L0,L1)-smooth (Hessian form) on [x, y].
EXP_DESCENT = Lemma(
    "exponential descent lemma", (L0, L1, g, r, fx, fy, lin), (),
    rel(fy, "<=", fx + lin + (L0 + L1 * g) / L1**2 * phi(L1 * r)),
    "for $f$ twice differentiable with $\\|\\nabla^2 f\\| \\le L_0 + L_1\\|\\nabla f\\|$ on "
    "the segment $[x, y]$: $f(y) \\le f(x) + \\langle \\nabla f(x), y - x\\rangle + "
    "\\frac{L_0 + L_1 g}{L_1^2}\\varphi(L_1 r)$, $g = \\|\\nabla f(x)\\|$, "
    "$r = \\|y - x\\|$, $\\varphi(t) = e^t - t - 1$",
    proved_in="proofs/blog_condition_gap.md")

# ---- clipping vs normalized (proved in proofs/clipping_vs_normalized.py)

a = sp.Symbol("a", positive=True)
gam = sp.Symbol("gamma", positive=True)

#: gamma/(a + gamma) <= min{1, gamma/a} for a, gamma > 0.
NORMALIZED_LE_CLIPPED = Lemma(
    "normalized factor at most clipping factor", (a, gam), (),
    rel(gam / (a + gam), "<=", sp.Min(1, gam / a)),
    "$\\frac{\\gamma}{a + \\gamma} \\le \\min\\{1, \\frac{\\gamma}{a}\\}$ for "
    "$a, \\gamma > 0$", proved_in="proofs/clipping_vs_normalized.md")

#: min{1, gamma/a} <= 2 gamma/(a + gamma) for a, gamma > 0.
CLIPPED_LE_TWICE_NORMALIZED = Lemma(
    "clipping factor at most twice the normalized factor", (a, gam), (),
    rel(sp.Min(1, gam / a), "<=", 2 * gam / (a + gam)),
    "$\\min\\{1, \\frac{\\gamma}{a}\\} \\le \\frac{2\\gamma}{a + \\gamma}$ for "
    "$a, \\gamma > 0$", proved_in="proofs/clipping_vs_normalized.md")
