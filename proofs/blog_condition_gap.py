"""What the blog's first-order condition costs: it fails for exp; the true local statements
(exponential form, trust-region form, exponential descent lemma) and a tight witness."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (Algebra, Assumption, Chain, Cited, Derivation, FromLemma, Given,
                            Monotone, PositiveFactor, Step, Substitution, rel)
from lab.derivation import lemmas as LM

x = sp.Symbol("x", real=True)
theta = sp.Symbol("theta", real=True)
Dl = sp.Symbol("Delta", real=True)  # the displacement (a real variable, range by Monotone)
L0, L1, g0, r = LM.L0, LM.L1, LM.g, LM.r
sig = LM.s  # sigma in [0, R], the lemma's integration variable
tau = sp.Symbol("tau", nonnegative=True)
c = sp.Symbol("c", positive=True)
cc = sp.Symbol("c", real=True)  # c as a variable for the monotonicity argument
uu = sp.Symbol("u", positive=True)  # u = L1 r in (0, c]
ww = sp.Symbol("w", nonnegative=True)  # c = u + w: the trust-region hypothesis r <= c/L1
cu = uu + ww
s0 = sp.Symbol("s", nonnegative=True)
D = sp.Function("D", real=True)  # ||grad f(x + sigma v) - grad f(x)||
N = sp.Function("N", real=True)  # ||grad f(x + sigma v)||
Gv = sp.Function("G", real=True)  # <grad f(x + sigma v) - grad f(x), v>

a = L0 + L1 * g0
Psi = sp.Integral(D(tau), (tau, 0, sig))  # Psi(sigma)
Psi_r = Psi.subs(sig, r)
psi_bound = a * (sp.exp(L1 * r) - 1 - L1 * r) / L1**2
E_bound = (L0 / L1 + g0) * (sp.exp(L1 * r) - 1)
Bc = (sp.exp(c) - 1) / c
Ac = 1 + sp.exp(c) - (sp.exp(c) - 1) / c
w = (L0 / L1**2) * (sp.exp(L1 * x) - L1 * x - 1)  # the witness on x >= 0

_inc_rest = Monotone(cc, 0, Algebra())  # N(c) = c e^c - e^c + 1 >= 0 on (0, oo)

STEPS = (
    # ---------------------------------------------------------------- part 1: exp
    Step("exp_hessian", rel(sp.diff(sp.exp(x), x, 2), "==", 0 + 1 * sp.Abs(sp.diff(sp.exp(x), x))),
         Algebra(),
         "**Part 1: the blog's condition fails for $e^x$.** First, $f = \\exp$ is "
         "$(L_0, L_1) = (0, 1)$-smooth in the paper's (Hessian) sense, with equality:"),
    Step("blog_lhs_exp", rel(sp.exp(theta + Dl) - sp.exp(theta), "==",
                             sp.exp(theta) * (sp.exp(Dl) - 1)), Algebra(),
         "The blog's condition for $e^x$ with $(0, 1)$ asks $|e^{\\theta+\\Delta} - e^\\theta| "
         "\\le e^\\theta|\\Delta|$. For $\\Delta > 0$ the left side is"),
    Step("blog_fails_exp", rel(sp.exp(theta) * (sp.exp(Dl) - 1), ">", sp.exp(theta) * Dl),
         Monotone(Dl, 0, Monotone(Dl, 0, Algebra())),
         "and it exceeds the right side $e^\\theta\\Delta$ for **every** $\\theta$ and "
         "**every** $\\Delta > 0$ (the difference $e^\\theta(e^\\Delta - 1 - \\Delta)$ vanishes "
         "at $\\Delta = 0$ with increasing derivative $e^\\theta(e^\\Delta - 1)$):"),
    Step("blog_fails_at_1", rel(sp.E - 1, ">", 1), Algebra(),
         "For instance at $\\theta = 0$, $\\Delta = 1$: $e - 1 > 1$."),
    Step("descent_fails_exp",
         rel(sp.exp(Dl) - 1, ">", Dl + Dl**2 / 2),
         Monotone(Dl, 0, Monotone(Dl, 0, Monotone(Dl, 0, Algebra()))),
         "The blog's descent inequality inherits the gap: at $\\theta = 0$ it claims "
         "$e^\\Delta - 1 \\le \\Delta + \\tfrac12\\Delta^2$, but $e^\\Delta - 1 - \\Delta - "
         "\\Delta^2/2$ vanishes at 0 together with two derivatives and its third derivative "
         "$e^\\Delta$ is positive, so it fails for **every** $\\Delta > 0$:"),
    Step("descent_fails_every_theta",
         rel(sp.exp(theta) * (sp.exp(Dl) - 1 - Dl - Dl**2 / 2), ">", 0),
         PositiveFactor(sp.exp(theta),
                        Monotone(Dl, 0, Monotone(Dl, 0, Monotone(Dl, 0, Algebra())))),
         "and at every $\\theta$ (the gap is $e^\\theta$ times the one at 0):"),
    # ---------------------------------------------------------------- part 2: Gronwall
    Step("hessian_assumption", None,
         Assumption("$f$ is twice differentiable and $\\|\\nabla^2 f(z)\\| \\le L_0 + "
                    "L_1\\|\\nabla f(z)\\|$ for $z$ on the segment from $x$ to $y = x + rv$, "
                    "$\\|v\\| = 1$, $r \\ge 0$, with $L_0 \\ge 0$, $L_1 > 0$ (the paper's "
                    "definition, restricted to the segment)"),
         "**Part 2: the true statements.** Fix $x$, a unit vector $v$ and $r \\ge 0$; write "
         "$g = \\|\\nabla f(x)\\|$, $N(\\sigma) = \\|\\nabla f(x + \\sigma v)\\|$ and "
         "$D(\\sigma) = \\|\\nabla f(x+\\sigma v) - \\nabla f(x)\\|$. Assume the paper's "
         "condition on the segment."),
    Step("integral_bound", rel(D(sig), "<=", sp.Integral(L0 + L1 * N(tau), (tau, 0, sig))),
         Cited("$\\nabla f(x + \\sigma v) - \\nabla f(x) = \\int_0^\\sigma \\nabla^2 "
               "f(x + \\tau v)v\\,d\\tau$, the norm of an integral is at most the integral of "
               "the norm, and $\\|\\nabla^2 f\\,v\\| \\le \\|\\nabla^2 f\\|$, with the "
               "assumption of step 7"),
         "Integrating the Hessian along the segment ($\\sigma \\in [0, r]$):"),
    Step("triangle", rel(N(tau), "<=", g0 + D(tau)),
         Cited("triangle inequality $\\|\\nabla f(x+\\tau v)\\| \\le \\|\\nabla f(x)\\| + "
               "\\|\\nabla f(x+\\tau v) - \\nabla f(x)\\|$"),
         "By the triangle inequality:"),
    Step("triangle_scaled", rel(L0 + L1 * N(tau), "<=", L0 + L1 * (g0 + D(tau))),
         FromLemma(LM.ADD, ((LM.A, L1 * N(tau)), (LM.B, L1 * (g0 + D(tau))), (LM.C, L0)),
                   (FromLemma(LM.SCALE, ((LM.A, N(tau)), (LM.B, g0 + D(tau)), (LM.C, L1)),
                              (Algebra(), Given("triangle"))),)),
         "so the integrand is at most $L_0 + L_1(g + D(\\tau))$ ..."),
    Step("integral_triangle",
         rel(sp.Integral(L0 + L1 * N(tau), (tau, 0, sig)), "<=",
             sp.Integral(L0 + L1 * (g0 + D(tau)), (tau, 0, sig))),
         FromLemma(LM.integral_monotone(tau, sig),
                   ((LM.U, L0 + L1 * N(tau)), (LM.V, L0 + L1 * (g0 + D(tau)))),
                   (Given("triangle_scaled"),)),
         "... and so is its integral:"),
    Step("integral_eval", rel(sp.Integral(L0 + L1 * (g0 + D(tau)), (tau, 0, sig)), "==",
                              a * sig + L1 * Psi), Algebra(),
         "With $\\Psi(\\sigma) = \\int_0^\\sigma D(\\tau)\\,d\\tau$:"),
    Step("integral_ineq", rel(D(sig), "<=", a * sig + L1 * Psi),
         Chain(("integral_bound", "integral_triangle", "integral_eval")),
         "The integral inequality for $D$ (the Grönwall setting):"),
    Step("rearranged", rel(D(sig) - L1 * Psi, "<=", a * sig),
         FromLemma(LM.ADD, ((LM.A, D(sig)), (LM.B, a * sig + L1 * Psi), (LM.C, -L1 * Psi)),
                   (Given("integral_ineq"),)),
         "Rearranged:"),
    Step("integrating_factor", rel(sp.Derivative(sp.exp(-L1 * sig) * Psi, sig), "==",
                                   sp.exp(-L1 * sig) * (D(sig) - L1 * Psi)), Algebra(),
         "The integrating factor $e^{-L_1\\sigma}$:"),
    Step("factor_bound", rel(sp.exp(-L1 * sig) * (D(sig) - L1 * Psi), "<=",
                             sp.exp(-L1 * sig) * a * sig),
         FromLemma(LM.SCALE, ((LM.A, D(sig) - L1 * Psi), (LM.B, a * sig),
                              (LM.C, sp.exp(-L1 * sig))), (Algebra(), Given("rearranged"))),
         "Multiplying step 14 by $e^{-L_1\\sigma} > 0$:"),
    Step("derivative_bound", rel(sp.Derivative(sp.exp(-L1 * sig) * Psi, sig), "<=",
                                 sp.exp(-L1 * sig) * a * sig),
         Chain(("integrating_factor", "factor_bound")),
         "so the derivative of $e^{-L_1\\sigma}\\Psi(\\sigma)$ is at most "
         "$a\\sigma e^{-L_1\\sigma}$, $a = L_0 + L_1 g$:"),
    Step("psi_bound_sigma", rel(Psi, "<=", psi_bound.subs(r, sig)),
         PositiveFactor(sp.exp(L1 * sig), Monotone(sig, 0, Given("factor_bound"))),
         "Comparison: $e^{-L_1\\sigma}\\big(\\frac{a}{L_1^2}(e^{L_1\\sigma} - 1 - L_1\\sigma)"
         " - \\Psi(\\sigma)\\big)$ vanishes at $\\sigma = 0$ ($\\Psi(0) = 0$) and its "
         "derivative is $a\\sigma e^{-L_1\\sigma} - e^{-L_1\\sigma}(D - L_1\\Psi) \\ge 0$ by "
         "step 16; so it is nonnegative for $\\sigma \\ge 0$ (the Grönwall comparison):"),
    Step("psi_bound", rel(Psi_r, "<=", psi_bound), Substitution("psi_bound_sigma", ((sig, r),)),
         "At $\\sigma = r$:"),
    Step("D_at_r", rel(D(r), "<=", a * r + L1 * Psi_r),
         Substitution("integral_ineq", ((sig, r),)), "Step 13 at $\\sigma = r$:"),
    Step("D_at_r_bound", rel(a * r + L1 * Psi_r, "<=", a * r + L1 * psi_bound),
         FromLemma(LM.ADD, ((LM.A, L1 * Psi_r), (LM.B, L1 * psi_bound), (LM.C, a * r)),
                   (FromLemma(LM.SCALE, ((LM.A, Psi_r), (LM.B, psi_bound), (LM.C, L1)),
                              (Algebra(), Given("psi_bound"))),)),
         "Inserting step 19:"),
    Step("E_eval", rel(a * r + L1 * psi_bound, "==", E_bound), Algebra(),
         "which simplifies to the exponential form:"),
    Step("form_E", rel(D(r), "<=", E_bound), Chain(("D_at_r", "D_at_r_bound", "E_eval")),
         "**The exponential first-order form (E):** $\\|\\nabla f(y) - \\nabla f(x)\\| \\le "
         "(L_0/L_1 + \\|\\nabla f(x)\\|)(e^{L_1 r} - 1)$."),
    # ---------------------------------------------------------------- trust region
    Step("ratio_increasing", rel((sp.exp(cc) - 1) / cc, ">=", (sp.exp(uu) - 1) / uu),
         Monotone(cc, uu, PositiveFactor(1 / cc**2, _inc_rest)),
         "**The trust-region form (T).** $(e^c - 1)/c$ is increasing in $c > 0$ (its "
         "derivative is $(ce^c - e^c + 1)/c^2$, and $ce^c - e^c + 1$ vanishes at 0 with "
         "derivative $ce^c \\ge 0$); so for $0 < u \\le c$:"),
    Step("expm1_bound", rel(sp.exp(uu) - 1, "<=", Bc.subs(c, cu) * uu),
         FromLemma(LM.SCALE, ((LM.A, (sp.exp(uu) - 1) / uu), (LM.B, Bc.subs(c, cu)),
                              (LM.C, uu)),
                   (Algebra(), Substitution("ratio_increasing", ((cc, cu),)))),
         "The hypothesis $r \\le c/L_1$ reads $c = u + w$ with $u = L_1 r > 0$, $w \\ge 0$. "
         "Multiplying by $u$: $e^u - 1 \\le B u$ with $B = (e^c - 1)/c$ ..."),
    Step("A_minus_B", rel(Ac - Bc, ">=", 0),
         PositiveFactor(1 / c, Monotone(c, 0, Monotone(c, 0, Algebra()))),
         "... and $A = 1 + e^c - (e^c - 1)/c \\ge B$: $c(A - B) = c(1 + e^c) - 2(e^c - 1)$ "
         "vanishes at 0 with its derivative, and its second derivative is $ce^c \\ge 0$."),
    Step("A_minus_B_cu", rel(Ac.subs(c, cu) - Bc.subs(c, cu), ">=", 0),
         Substitution("A_minus_B", ((c, cu),)), "In particular at $c = u + w$."),
    Step("form_T_core", rel((L0 / L1 + g0) * (sp.exp(uu) - 1), "<=",
                            (L0 / L1 + g0) * Bc.subs(c, cu) * uu),
         FromLemma(LM.SCALE, ((LM.A, sp.exp(uu) - 1), (LM.B, Bc.subs(c, cu) * uu),
                              (LM.C, L0 / L1 + g0)), (Algebra(), Given("expm1_bound"))),
         "So, with $u = L_1 r \\le c$, the bound of (E) is at most $B(L_0 + L_1 g) r$ ..."),
    Step("form_T_AB", rel((L0 / L1 + g0) * Bc.subs(c, cu) * uu, "<=",
                          (Ac.subs(c, cu) * L0 + Bc.subs(c, cu) * L1 * g0) * uu / L1),
         FromLemma(LM.ADD, ((LM.A, Bc.subs(c, cu) * L0 * uu / L1),
                            (LM.B, Ac.subs(c, cu) * L0 * uu / L1),
                            (LM.C, Bc.subs(c, cu) * g0 * uu)),
                   (FromLemma(LM.SCALE, ((LM.A, Bc.subs(c, cu)), (LM.B, Ac.subs(c, cu)),
                                         (LM.C, L0 * uu / L1)),
                              (Algebra(), Given("A_minus_B_cu"))),)),
         "... which is at most $(AL_0 + BL_1 g)r$ (here $r = u/L_1$): the trust-region form "
         "(T), $\\|\\nabla f(y) - \\nabla f(x)\\| \\le (AL_0 + BL_1\\|\\nabla f(x)\\|)\\,r$ "
         "for $r \\le c/L_1$. (The argument gives the smaller constant $B$ in place of $A$.)"),
    Step("T_at_c1", rel(Ac.subs(c, 1), "==", 2), Algebra(),
         "For $c = 1$: $A = 2$ and $B = e - 1$."),
    # ---------------------------------------------------------------- descent lemma
    Step("taylor_integral", rel(LM.fy - LM.fx - LM.lin, "==",
                                sp.Integral(Gv(sig), (sig, 0, r))),
         Cited("$f(y) - f(x) - \\langle\\nabla f(x), y - x\\rangle = \\int_0^r \\langle "
               "\\nabla f(x + \\sigma v) - \\nabla f(x), v\\rangle d\\sigma$ (fundamental "
               "theorem of calculus and the chain rule, as in `blog_derivation`)"),
         "**The exponential descent lemma.** With $f_x = f(x)$, $f_y = f(y)$, $\\ell = "
         "\\langle\\nabla f(x), y - x\\rangle$ and $G(\\sigma) = \\langle \\nabla f(x + "
         "\\sigma v) - \\nabla f(x), v\\rangle$:"),
    Step("cs_unit", rel(Gv(sig), "<=", D(sig)),
         Cited("Cauchy-Schwarz with $\\|v\\| = 1$"), "Cauchy-Schwarz:"),
    Step("E_at_sigma", rel(D(sig), "<=", E_bound.subs(r, sig)),
         Substitution("form_E", ((r, sig),)),
         "Form (E) at distance $\\sigma \\in [0, r]$ (the segment to $x + \\sigma v$ is part "
         "of the segment to $y$):"),
    Step("integrand_E", rel(Gv(sig), "<=", E_bound.subs(r, sig)),
         Chain(("cs_unit", "E_at_sigma")), "so"),
    Step("integrate_E", rel(sp.Integral(Gv(sig), (sig, 0, r)), "<=",
                            sp.Integral(E_bound.subs(r, sig), (sig, 0, r))),
         FromLemma(LM.INTEGRAL_0R, ((LM.U, Gv(sig)), (LM.V, E_bound.subs(r, sig)),
                                    (LM.R, r)), (Given("integrand_E"),)),
         "Integrating over $[0, r]$:"),
    Step("phi_eval", rel(sp.Integral(E_bound.subs(r, sig), (sig, 0, r)), "==",
                         a / L1**2 * LM.phi(L1 * r)), Algebra(),
         "and the integral is exactly $\\frac{L_0 + L_1 g}{L_1^2}\\varphi(L_1 r)$, "
         "$\\varphi(t) = e^t - t - 1$:"),
    Step("exp_descent", LM.EXP_DESCENT.conclusion,
         Chain(("taylor_integral", "integrate_E", "phi_eval")),
         "**The exponential descent lemma:** $f(y) \\le f(x) + \\langle\\nabla f(x), y - "
         "x\\rangle + \\frac{L_0 + L_1 g}{L_1^2}\\varphi(L_1 r)$."),
    # ---------------------------------------------------------------- witness
    Step("witness_slope", rel(sp.diff(w, x).subs(x, s0), ">=", 0),
         Monotone(s0, 0, Algebra()),
         "**Tightness.** The witness $w(x) = \\frac{L_0}{L_1^2}(e^{L_1|x|} - L_1|x| - 1)$ is "
         "even; for $x = s \\ge 0$ its slope is nonnegative, so $|w'| = w'$ there ..."),
    Step("witness_ode", rel(sp.diff(w, x, 2).subs(x, s0), "==",
                            L0 + L1 * sp.diff(w, x).subs(x, s0)), Algebra(),
         "... and $w'' = L_0 + L_1|w'|$ exactly ..."),
    Step("witness_equality", rel(w.subs(x, s0 + r) - w.subs(x, s0) - sp.diff(w, x).subs(x, s0) * r,
                                 "==", (L0 + L1 * sp.diff(w, x).subs(x, s0)) / L1**2
                                 * LM.phi(L1 * r)), Algebra(),
         "... and from any $s \\ge 0$ along $+x$ the descent lemma holds with **equality**: "
         "its right side cannot be lowered for this $(L_0, L_1)$."),
)

DERIVATION = Derivation(
    name="blog_condition_gap",
    title="What the blog's first-order condition costs, and what is true instead",
    statement=(
        "1. $f(x) = e^x$ is $(L_0, L_1) = (0, 1)$-smooth ($f'' = |f'|$), yet the blog's "
        "condition $|f'(\\theta+\\Delta) - f'(\\theta)| \\le (L_0 + L_1|f'(\\theta)|)|\\Delta|$ "
        "fails at every $\\theta$ for every $\\Delta > 0$, and so does the blog's descent "
        "inequality: $e^\\Delta - 1 - \\Delta - \\Delta^2/2 > 0$ for $\\Delta > 0$.\n"
        "2. Under the paper's condition $\\|\\nabla^2 f\\| \\le L_0 + L_1\\|\\nabla f\\|$ on a "
        "segment $[x, y]$, $r = \\|y - x\\|$, $g = \\|\\nabla f(x)\\|$, $L_1 > 0$:\n"
        "   - (E) $\\|\\nabla f(y) - \\nabla f(x)\\| \\le (L_0/L_1 + g)(e^{L_1 r} - 1)$;\n"
        "   - (T) for $r \\le c/L_1$: $\\|\\nabla f(y) - \\nabla f(x)\\| \\le (AL_0 + BL_1 g)r$, "
        "$A = 1 + e^c - (e^c - 1)/c$, $B = (e^c - 1)/c$ (indeed with $B$ in place of $A$);\n"
        "   - the exponential descent lemma $f(y) \\le f(x) + \\langle\\nabla f(x), y - x"
        "\\rangle + \\frac{L_0 + L_1 g}{L_1^2}\\varphi(L_1 r)$, $\\varphi(t) = e^t - t - 1$,\n\n"
        "   derived by a one-dimensional comparison (Grönwall) along the segment.\n"
        "3. Equality holds for the witness $w(x) = \\frac{L_0}{L_1^2}(e^{L_1|x|} - L_1|x| - 1)$ "
        "along $+x$."),
    steps=STEPS,
    conclusion=(
        "The blog's condition for *all* $\\Delta$ is not implied by (L0,L1)-smoothness: "
        "$e^x$ is $(0,1)$-smooth and violates both the condition and the quadratic descent "
        "inequality for every $\\Delta > 0$. What (L0,L1)-smoothness does give is local: the "
        "gradient may grow exponentially along a segment, (E); within a trust region "
        "$r \\le c/L_1$ the blog's linear form holds with inflated constants, (T); and the "
        "descent inequality holds with $\\tfrac12(L_0 + L_1 g)r^2$ replaced by "
        "$\\frac{L_0+L_1 g}{L_1^2}\\varphi(L_1 r) = \\tfrac12(L_0 + L_1 g)r^2(1 + O(L_1 r))$, "
        "which is tight (the witness attains it). The blog's step $1/(L_0 + L_1 g)$ moves a "
        "distance $g/(L_0 + L_1 g) < 1/L_1$, inside the trust region $c = 1$, which is why "
        "the conclusions survive with worse constants (see `exponential_steps`)."),
    provenance=(
        ("D", "PAPER.md, Definitions: the blog's form is false for $\\exp$ with $(0, 1)$; "
              "$e^\\Delta - 1 - \\Delta > \\Delta^2/2$ for $\\Delta > 0$."),
        ("F", "the forms (E) and (T) with $A$, $B$ (Zhang, Jin, Fang, Wang 2020) and the "
              "exponential descent lemma with its witness (PAPER.md, Later results)."),
        ("Q", "the Hessian definition of (L0,L1)-smoothness (PAPER.md, Definitions)."),
    ),
    symbols=((g0, "$\\|\\nabla f(x)\\|$"), (r, "$\\|y - x\\|$"),
             (D(sig), "$\\|\\nabla f(x + \\sigma v) - \\nabla f(x)\\|$"),
             (N(sig), "$\\|\\nabla f(x + \\sigma v)\\|$"),
             (sp.Symbol("Psi"), "$\\int_0^\\sigma D(\\tau)\\,d\\tau$")),
)
