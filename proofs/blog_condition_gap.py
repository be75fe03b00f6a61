"""What the blog's first-order condition costs: it fails for exp; the true local statements
(exponential form, trust-region form, exponential descent lemma) and a tight witness."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (AllOf, Algebra, Assumption, Chain, Cited, Conjunction, Derivation,
                            FromLemma, Given, Monotone, PositiveFactor, Step, Substitution, rel)
from lab.derivation import lemmas as LM

x = sp.Symbol("x", real=True)
theta = sp.Symbol("theta", real=True)
d = sp.Symbol("d", real=True)  # the displacement, a real variable (its range by Monotone)
L0, L1, g, r, tau, H, N = LM.L0, LM.L1, LM.g, LM.r, LM.tau, LM.H, LM.N
sig = LM.s  # sigma in [0, r]
c = sp.Symbol("c", positive=True)
u = sp.Symbol("u", positive=True)  # u = L1 r in (0, c]
w = sp.Symbol("w", nonnegative=True)  # c = u + w: the trust-region hypothesis r <= c/L1
s0 = sp.Symbol("s", nonnegative=True)
D = sp.Function("D", real=True)  # ||grad f(x + sigma v) - grad f(x)||
G = sp.Function("G", real=True)  # <grad f(x + sigma v) - grad f(x), v>
ON_SEGMENT = ((sig, sp.Interval(0, r)),)

a = L0 + L1 * g
Psi = sp.Integral(D(tau), (tau, 0, sig))
E_sig = (L0 / L1 + g) * (sp.exp(L1 * sig) - 1)  # the (E) bound at distance sigma
psi_bound = a * (sp.exp(L1 * sig) - 1 - L1 * sig) / L1**2
Bc = (sp.exp(c) - 1) / c
Ac = 1 + sp.exp(c) - (sp.exp(c) - 1) / c
B_u, A_u = Bc.subs(c, u + w), Ac.subs(c, u + w)
wit = (L0 / L1**2) * (sp.exp(L1 * x) - L1 * x - 1)  # the witness on x >= 0


def at(expr, point):
    """``expr`` (in x) at ``point``, left unevaluated so the reader sees what is meant."""
    return sp.Subs(expr, x, point)


def scaled(big_a, big_b, factor, source):
    """FromLemma SCALE: ``factor`` * A <= ``factor`` * B from the step ``source``."""
    return FromLemma(LM.SCALE, ((LM.A, big_a), (LM.B, big_b), (LM.C, factor)),
                     (Algebra(), Given(source)))


def added(big_a, big_b, term, proof):
    """FromLemma ADD: A + ``term`` <= B + ``term``, with A <= B by ``proof``."""
    return FromLemma(LM.ADD, ((LM.A, big_a), (LM.B, big_b), (LM.C, term)), (proof,))


def integrated(var, upper, lower_f, upper_f, source):
    """FromLemma integral monotonicity over [0, ``upper``] from the step ``source``."""
    return FromLemma(LM.integral_monotone(var, upper),
                     ((LM.U(var), lower_f), (LM.V(var), upper_f)), (Given(source), Algebra()))


PART1 = (
    Step("exp_hessian", rel(sp.Derivative(sp.exp(x), (x, 2)), "==",
                            0 + 1 * sp.Abs(sp.Derivative(sp.exp(x), x))), Algebra(),
         "**Part 1: the blog's condition fails for $e^x$.** First, $f = \\exp$ is "
         "$(L_0, L_1) = (0, 1)$-smooth in the paper's (Hessian) sense, with equality "
         "$f'' = 0 + 1\\cdot|f'|$:"),
    Step("blog_lhs_exp", rel(sp.exp(theta + d) - sp.exp(theta), "==",
                             sp.exp(theta) * (sp.exp(d) - 1)), Algebra(),
         "The blog's condition for $e^x$ with $(0, 1)$ asks $|e^{\\theta+d} - e^\\theta| "
         "\\le e^\\theta|d|$ for every displacement $d$. For $d > 0$ the left side is"),
    Step("blog_fails_exp", rel(sp.exp(theta) * (sp.exp(d) - 1), ">", sp.exp(theta) * d),
         Monotone(d, 0, Monotone(d, 0, Algebra())),
         "and it exceeds the right side $e^\\theta d$ for **every** $\\theta$ and **every** "
         "$d > 0$ (the difference $e^\\theta(e^d - 1 - d)$ vanishes at $d = 0$ with "
         "increasing derivative $e^\\theta(e^d - 1)$):"),
    Step("blog_fails_at_1", rel(sp.E - 1, ">", 1), Substitution("blog_fails_exp",
                                                                 ((theta, 0), (d, 1))),
         "For instance at $\\theta = 0$, $d = 1$: $e - 1 > 1$."),
    Step("descent_fails_exp", rel(sp.exp(d) - 1, ">", d + d**2 / 2),
         Monotone(d, 0, Monotone(d, 0, Monotone(d, 0, Algebra()))),
         "The blog's descent inequality inherits the gap: at $\\theta = 0$ it claims "
         "$e^d - 1 \\le d + \\tfrac12 d^2$, but $e^d - 1 - d - d^2/2$ vanishes at 0 together "
         "with two derivatives and its third derivative $e^d$ is positive, so it fails for "
         "**every** $d > 0$:"),
    Step("descent_fails_every_theta", rel(sp.exp(theta) * (sp.exp(d) - 1 - d - d**2 / 2),
                                          ">", 0),
         PositiveFactor(sp.exp(theta), Monotone(d, 0, Monotone(d, 0, Monotone(d, 0,
                                                                              Algebra())))),
         "and at every $\\theta$ (the gap is $e^\\theta$ times the one at 0):"),
)

GRONWALL = (
    Step("hessian_assumption", rel(H(tau), "<=", L0 + L1 * N(tau)),
         Assumption("$f$ is twice differentiable and $\\|\\nabla^2 f(z)\\| \\le L_0 + "
                    "L_1\\|\\nabla f(z)\\|$ at the points $z = x + \\tau v$ of the segment from "
                    "$x$ to $y = x + rv$, $\\|v\\| = 1$ (the paper's definition on the "
                    "segment; $L_0 \\ge 0$, $L_1 > 0$)"),
         "**Part 2: the true statements.** Fix $x$, a unit vector $v$ and $r \\ge 0$; write "
         "$H(\\tau) = \\|\\nabla^2 f(x + \\tau v)\\|$, $N(\\tau) = \\|\\nabla f(x + \\tau v)\\|$, "
         "$D(\\sigma) = \\|\\nabla f(x+\\sigma v) - \\nabla f(x)\\|$, $g = \\|\\nabla f(x)\\|$. "
         "Assume the paper's condition on the segment:", where=((tau, sp.Interval(0, r)),)),
    Step("integral_bound", rel(D(sig), "<=", sp.Integral(H(tau), (tau, 0, sig))),
         Cited("$\\nabla f(x + \\sigma v) - \\nabla f(x) = \\int_0^\\sigma \\nabla^2 "
               "f(x + \\tau v)v\\,d\\tau$ (fundamental theorem of calculus), the norm of an "
               "integral is at most the integral of the norm, and $\\|\\nabla^2 f\\,v\\| \\le "
               "\\|\\nabla^2 f\\|$ for a unit $v$"),
         "Integrating the Hessian along the segment, for $\\sigma \\in [0, r]$:",
         where=ON_SEGMENT),
    Step("hessian_integral", rel(sp.Integral(H(tau), (tau, 0, sig)), "<=",
                                 sp.Integral(L0 + L1 * N(tau), (tau, 0, sig))),
         integrated(tau, sig, H(tau), L0 + L1 * N(tau), "hessian_assumption"),
         "With the assumption, on $[0, \\sigma] \\subseteq [0, r]$:", where=ON_SEGMENT),
    Step("triangle", rel(N(tau), "<=", g + D(tau)),
         Cited("triangle inequality $\\|\\nabla f(x+\\tau v)\\| \\le \\|\\nabla f(x)\\| + "
               "\\|\\nabla f(x+\\tau v) - \\nabla f(x)\\|$"),
         "By the triangle inequality:"),
    Step("triangle_scaled", rel(L0 + L1 * N(tau), "<=", L0 + L1 * (g + D(tau))),
         added(L1 * N(tau), L1 * (g + D(tau)), L0,
               scaled(N(tau), g + D(tau), L1, "triangle")),
         "so the integrand is at most $L_0 + L_1(g + D(\\tau))$ ..."),
    Step("integral_triangle",
         rel(sp.Integral(L0 + L1 * N(tau), (tau, 0, sig)), "<=",
             sp.Integral(L0 + L1 * (g + D(tau)), (tau, 0, sig))),
         integrated(tau, sig, L0 + L1 * N(tau), L0 + L1 * (g + D(tau)), "triangle_scaled"),
         "... and so is its integral:", where=ON_SEGMENT),
    Step("integral_eval", rel(sp.Integral(L0 + L1 * (g + D(tau)), (tau, 0, sig)), "==",
                              a * sig + L1 * Psi), Algebra(),
         "With $\\Psi(\\sigma) = \\int_0^\\sigma D(\\tau)\\,d\\tau$:"),
    Step("integral_ineq", rel(D(sig), "<=", a * sig + L1 * Psi),
         Chain(("integral_bound", "hessian_integral", "integral_triangle", "integral_eval")),
         "The integral inequality for $D$ (the Grönwall setting):"),
    Step("rearranged", rel(D(sig) - L1 * Psi, "<=", a * sig),
         added(D(sig), a * sig + L1 * Psi, -L1 * Psi, Given("integral_ineq")), "Rearranged:"),
    Step("integrating_factor", rel(sp.Derivative(sp.exp(-L1 * sig) * Psi, sig), "==",
                                   sp.exp(-L1 * sig) * (D(sig) - L1 * Psi)), Algebra(),
         "The integrating factor $e^{-L_1\\sigma}$:"),
    Step("factor_bound", rel(sp.exp(-L1 * sig) * (D(sig) - L1 * Psi), "<=",
                             sp.exp(-L1 * sig) * a * sig),
         scaled(D(sig) - L1 * Psi, a * sig, sp.exp(-L1 * sig), "rearranged"),
         "Multiplying by $e^{-L_1\\sigma} > 0$, the derivative of $e^{-L_1\\sigma}\\Psi(\\sigma)$ "
         "is at most $a\\sigma e^{-L_1\\sigma}$, $a = L_0 + L_1 g$:"),
    Step("psi_bound", rel(Psi, "<=", psi_bound),
         PositiveFactor(sp.exp(L1 * sig), Monotone(sig, 0, Given("factor_bound"), end=r)),
         "Comparison: $e^{-L_1\\sigma}\\big(\\frac{a}{L_1^2}(e^{L_1\\sigma} - 1 - L_1\\sigma)"
         " - \\Psi(\\sigma)\\big)$ vanishes at $\\sigma = 0$ and its derivative is "
         "$a\\sigma e^{-L_1\\sigma} - e^{-L_1\\sigma}(D - L_1\\Psi) \\ge 0$; so it is "
         "nonnegative on $[0, r]$ (the Grönwall comparison):"),
    Step("D_bound", rel(a * sig + L1 * Psi, "<=", a * sig + L1 * psi_bound),
         added(L1 * Psi, L1 * psi_bound, a * sig, scaled(Psi, psi_bound, L1, "psi_bound")),
         "Inserting it into the integral inequality ..."),
    Step("E_eval", rel(a * sig + L1 * psi_bound, "==", E_sig), Algebra(),
         "... which simplifies to the exponential form:"),
    Step("form_E_sigma", rel(D(sig), "<=", E_sig),
         Chain(("integral_ineq", "D_bound", "E_eval")),
         "so at every distance $\\sigma \\in [0, r]$ along the segment:"),
    Step("form_E", rel(D(r), "<=", E_sig.subs(sig, r)), Substitution("form_E_sigma",
                                                                     ((sig, r),)),
         "**The exponential first-order form (E)**, at $y$: $\\|\\nabla f(y) - \\nabla f(x)\\| "
         "\\le (L_0/L_1 + \\|\\nabla f(x)\\|)(e^{L_1 r} - 1)$."),
)

TRUST_REGION = (
    Step("ratio_increasing", rel(Bc, ">=", (sp.exp(u) - 1) / u),
         Monotone(c, u, PositiveFactor(1 / c**2, Monotone(c, 0, Algebra()))),
         "**The trust-region form (T).** $B(c) = (e^c - 1)/c$ is increasing in $c > 0$ (its "
         "derivative is $(ce^c - e^c + 1)/c^2$, and $ce^c - e^c + 1$ vanishes at 0 with "
         "derivative $ce^c \\ge 0$); so for $0 < u \\le c$:"),
    Step("expm1_bound", rel(sp.exp(u) - 1, "<=", B_u * u),
         FromLemma(LM.SCALE, ((LM.A, (sp.exp(u) - 1) / u), (LM.B, B_u), (LM.C, u)),
                   (Algebra(), Substitution("ratio_increasing", ((c, u + w),)))),
         "Write $c = u + w$ with $u = L_1 r > 0$, $w \\ge 0$ (this is $r \\le c/L_1$). "
         "Multiplying by $u$: $e^u - 1 \\le B u$ ..."),
    Step("A_minus_B", rel(Ac - Bc, ">=", 0),
         PositiveFactor(1 / c, Monotone(c, 0, Monotone(c, 0, Algebra()))),
         "... and $A = 1 + e^c - (e^c - 1)/c \\ge B$: $c(A - B) = c(1 + e^c) - 2(e^c - 1)$ "
         "vanishes at 0 with its derivative, and its second derivative is $ce^c \\ge 0$."),
    Step("A_minus_B_uw", rel(A_u - B_u, ">=", 0), Substitution("A_minus_B", ((c, u + w),)),
         "In particular at $c = u + w$."),
    Step("form_T_core", rel((L0 / L1 + g) * (sp.exp(u) - 1), "<=", (L0 / L1 + g) * B_u * u),
         scaled(sp.exp(u) - 1, B_u * u, L0 / L1 + g, "expm1_bound"),
         "So the bound of (E) at $u = L_1 r$ is at most $B(L_0 + L_1 g) r$ ..."),
    Step("form_T_AB", rel((L0 / L1 + g) * B_u * u, "<=", (A_u * L0 + B_u * L1 * g) * u / L1),
         added(B_u * L0 * u / L1, A_u * L0 * u / L1, B_u * g * u,
               scaled(B_u, A_u, L0 * u / L1, "A_minus_B_uw")),
         "... which is at most $(AL_0 + BL_1 g)r$ ($r = u/L_1$; the argument gives the "
         "smaller constant $B$ in place of $A$):"),
    Step("form_T_u", rel((L0 / L1 + g) * (sp.exp(u) - 1), "<=",
                         (A_u * L0 + B_u * L1 * g) * u / L1),
         Chain(("form_T_core", "form_T_AB")), "Together:"),
    Step("form_T_r", rel((L0 / L1 + g) * (sp.exp(L1 * r) - 1), "<=",
                         (Ac * L0 + Bc * L1 * g) * r),
         Substitution("form_T_u", ((u, L1 * r), (w, c - L1 * r))),
         "Back to $r$, for $0 < r \\le c/L_1$:", where=((r, sp.Interval.Lopen(0, c / L1)),)),
    Step("form_T", rel(D(r), "<=", (Ac * L0 + Bc * L1 * g) * r),
         Chain(("form_E", "form_T_r")),
         "**The trust-region form (T):** for $0 < r \\le c/L_1$, $\\|\\nabla f(y) - \\nabla "
         "f(x)\\| \\le (AL_0 + BL_1\\|\\nabla f(x)\\|)\\,r$.",
         where=((r, sp.Interval.Lopen(0, c / L1)),)),
    Step("T_at_c1", rel(sp.Subs(Ac, c, 1), "==", 2), Algebra(),
         "For $c = 1$: $A = 2$ (and $B = e - 1$)."),
)

DESCENT = (
    Step("taylor_integral", rel(LM.fy - LM.fx - LM.lin, "==",
                                sp.Integral(G(sig), (sig, 0, r))),
         Cited("$f(y) - f(x) - \\langle\\nabla f(x), y - x\\rangle = \\int_0^r \\langle "
               "\\nabla f(x + \\sigma v) - \\nabla f(x), v\\rangle d\\sigma$ (fundamental "
               "theorem of calculus and the chain rule, as in `blog_derivation`)"),
         "**The exponential descent lemma.** With $\\ell = \\langle\\nabla f(x), y - x\\rangle$ "
         "and $G(\\sigma) = \\langle \\nabla f(x + \\sigma v) - \\nabla f(x), v\\rangle$:"),
    Step("cs_unit", rel(G(sig), "<=", D(sig)),
         Cited("Cauchy-Schwarz with $\\|v\\| = 1$"), "Cauchy-Schwarz:"),
    Step("integrand_E", rel(G(sig), "<=", E_sig), Chain(("cs_unit", "form_E_sigma")),
         "so, by (E) at distance $\\sigma$:"),
    Step("integrate_E", rel(sp.Integral(G(sig), (sig, 0, r)), "<=",
                            sp.Integral(E_sig, (sig, 0, r))),
         integrated(sig, r, G(sig), E_sig, "integrand_E"), "Integrating over $[0, r]$:"),
    Step("phi_eval", rel(sp.Integral(E_sig, (sig, 0, r)), "==", a / L1**2 * LM.phi(L1 * r)),
         Algebra(), "and the integral is exactly $\\frac{L_0 + L_1 g}{L_1^2}\\varphi(L_1 r)$, "
         "$\\varphi(u) = e^u - u - 1$:"),
    Step("exp_descent", LM.EXP_DESCENT.conclusion,
         Chain(("taylor_integral", "integrate_E", "phi_eval")),
         "**The exponential descent lemma:** $f(y) \\le f(x) + \\ell + \\frac{L_0 + L_1 g}"
         "{L_1^2}\\varphi(L_1 r)$."),
)

WITNESS = (
    Step("witness_slope", rel(at(sp.Derivative(wit, x), s0), ">=", 0),
         Monotone(s0, 0, Algebra()),
         "**Tightness.** The witness $w(x) = \\frac{L_0}{L_1^2}(e^{L_1|x|} - L_1|x| - 1)$ is "
         "even; for $x = s \\ge 0$ its slope is nonnegative, so $|w'| = w'$ there ..."),
    Step("witness_ode", rel(at(sp.Derivative(wit, (x, 2)), s0), "==",
                            L0 + L1 * at(sp.Derivative(wit, x), s0)), Algebra(),
         "... and $w'' = L_0 + L_1|w'|$ exactly ..."),
    Step("witness_equality", rel(at(wit, s0 + r) - at(wit, s0) - at(sp.Derivative(wit, x), s0)
                                 * r, "==", (L0 + L1 * at(sp.Derivative(wit, x), s0)) / L1**2
                                 * LM.phi(L1 * r)), Algebra(),
         "... and from any $s \\ge 0$ along $+x$ the descent lemma holds with **equality** "
         "($g = w'(s)$, $\\ell = w'(s)r$): its right side cannot be lowered for this "
         "$(L_0, L_1)$."),
)

_HEADLINE = ("descent_fails_every_theta", "form_E", "form_T", "exp_descent", "witness_equality")
_claims = {step.label: step.claim for step in PART1 + GRONWALL + TRUST_REGION + DESCENT + WITNESS}
HEADLINE = (Step("headline", Conjunction(tuple(_claims[label] for label in _HEADLINE)),
                 AllOf(tuple(Given(label) for label in _HEADLINE)),
                 "**The statement, checked:** (1) the blog's descent inequality fails for $e^x$ "
                 "at every $\\theta$ and $d > 0$; (2) the forms (E) and (T) and the exponential "
                 "descent lemma; (3) equality for the witness.",
                 where=((r, sp.Interval.Lopen(0, c / L1)),)),)

DERIVATION = Derivation(
    name="blog_condition_gap",
    title="What the blog's first-order condition costs, and what is true instead",
    statement=(
        "1. $f(x) = e^x$ is $(L_0, L_1) = (0, 1)$-smooth ($f'' = |f'|$), yet the blog's "
        "condition $|f'(\\theta+d) - f'(\\theta)| \\le (L_0 + L_1|f'(\\theta)|)|d|$ "
        "fails at every $\\theta$ for every displacement $d > 0$, and so does the blog's "
        "descent inequality: $e^d - 1 - d - d^2/2 > 0$ for $d > 0$.\n"
        "2. Under the paper's condition $\\|\\nabla^2 f\\| \\le L_0 + L_1\\|\\nabla f\\|$ on a "
        "segment $[x, y]$, $r = \\|y - x\\|$, $g = \\|\\nabla f(x)\\|$, $L_1 > 0$:\n"
        "   - (E) $\\|\\nabla f(y) - \\nabla f(x)\\| \\le (L_0/L_1 + g)(e^{L_1 r} - 1)$;\n"
        "   - (T) for $0 < r \\le c/L_1$: $\\|\\nabla f(y) - \\nabla f(x)\\| \\le "
        "(AL_0 + BL_1 g)r$, $A = 1 + e^c - (e^c - 1)/c$, $B = (e^c - 1)/c$;\n"
        "   - the exponential descent lemma $f(y) \\le f(x) + \\ell + \\frac{L_0 + L_1 g}"
        "{L_1^2}\\varphi(L_1 r)$, $\\ell = \\langle\\nabla f(x), y - x\\rangle$, "
        "$\\varphi(u) = e^u - u - 1$,\n\n"
        "   derived by a one-dimensional comparison (Grönwall) along the segment.\n"
        "3. Equality holds for the witness $w(x) = \\frac{L_0}{L_1^2}(e^{L_1|x|} - L_1|x| - 1)$ "
        "along $+x$."),
    steps=PART1 + GRONWALL + TRUST_REGION + DESCENT + WITNESS + HEADLINE,
    conclusion=(
        "The blog's condition for *all* displacements is not implied by (L0,L1)-smoothness: "
        "$e^x$ is $(0,1)$-smooth and violates both the condition and the quadratic descent "
        "inequality for every $d > 0$ (steps [[blog_fails_exp]]-[[descent_fails_every_theta]], each checked with its range $d > 0$). What "
        "(L0,L1)-smoothness does give is local: the gradient may grow exponentially along a "
        "segment, (E) ([[form_E]]); within a trust region $r \\le c/L_1$ the blog's linear form "
        "holds with inflated constants, (T) ([[form_T]]); and the descent inequality holds with "
        "$\\tfrac12(L_0 + L_1 g)r^2$ replaced by $\\frac{L_0+L_1 g}{L_1^2}\\varphi(L_1 r) = "
        "\\tfrac12(L_0 + L_1 g)r^2(1 + O(L_1 r))$ ([[exp_descent]]), which is tight (the witness "
        "attains it). The blog's step $1/(L_0 + L_1 g)$ moves a distance $g/(L_0 + L_1 g) < "
        "1/L_1$, inside the trust region $c = 1$, which is why the conclusions survive with "
        "worse constants (see `exponential_steps`)."),
    provenance=(
        ("D", "PAPER.md, Definitions: the blog's form is false for $\\exp$ with $(0, 1)$; "
              "$e^d - 1 - d > d^2/2$ for every displacement $d > 0$."),
        ("F", "the forms (E) and (T) with $A$, $B$ (Zhang, Jin, Fang, Wang 2020) and the "
              "exponential descent lemma with its witness (PAPER.md, Later results)."),
        ("Q", "the Hessian definition of (L0,L1)-smoothness (PAPER.md, Definitions)."),
    ),
    symbols=((x, "a real variable (the argument of the function at hand)"),
             (c, "the trust-region radius in units of $1/L_1$: $r \\le c/L_1$"),
             (s0, "a point $s \\ge 0$ (a value of $x$)")),
    fixed=(r, g, LM.lin, LM.fx, LM.fy),
)
