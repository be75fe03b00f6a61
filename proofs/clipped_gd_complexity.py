"""Theorem 3 (clipped GD): the one-step decrease in both regimes with the paper's
parameters, then telescoping to an iteration bound, compared with PAPER.md's [R] bound."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (Algebra, Assumption, Chain, Cited, Derivation, FromLemma, Given,
                            Monotone, NoCounterexample, Rewrite, Step, Substitution, rel)
from lab.derivation import lemmas as LM

L0 = sp.Symbol("L_0", positive=True)
L1 = sp.Symbol("L_1", positive=True)
X = sp.Symbol("L_1", real=True)  # L1 as a plain variable, for solveset
u = sp.Symbol("u", nonnegative=True)
w = sp.Symbol("w", nonnegative=True)  # unclipped regime: g = L0 / (L1 (1 + w)) <= L0/L1
v = sp.Symbol("v", nonnegative=True)  # clipped regime: L1 = 1 / (10 rho (1 + v))
z = sp.Symbol("z", nonnegative=True)  # clipped regime: g = gamma (1 + z) >= gamma
rho = sp.Symbol("rho", positive=True)  # gamma * eta_c, the clipped step length
eps, Delta = sp.symbols("epsilon Delta", positive=True)
Nu, Nc, T = sp.symbols("N_u N_c T", nonnegative=True)
fx, fy = LM.fx, LM.fy
phi = LM.phi

ec = sp.Symbol("eta_c", positive=True)
eta_c = 1 / (10 * L0)
gamma = sp.Min(1 / eta_c, 1 / (10 * L1 * eta_c))
rho_of_L1 = sp.Min(1, 1 / (10 * L1))

# unclipped regime
g_u = L0 / (L1 * (1 + w))
K_u = L0 + L1 * g_u
bound_u = -eta_c * g_u**2 + K_u / L1**2 * phi(L1 * eta_c * g_u)
quad_u = -eta_c * g_u**2 + K_u / L1**2 * sp.Rational(5, 9) * (L1 * eta_c * g_u)**2
dec_u = 4 * g_u**2 / (45 * L0)
# clipped regime, with rho = gamma eta_c, gamma = 10 L0 rho, L1 rho <= 1/10
L1_c = 1 / (10 * rho * (1 + v))
g_c = 10 * L0 * rho * (1 + z)
K_c = L0 + L1_c * g_c
bound_c = -rho * g_c + K_c / L1_c**2 * phi(L1_c * rho)
quad_c = -rho * g_c + K_c / L1_c**2 * sp.Rational(5, 9) * (L1_c * rho)**2
a_u = 4 * eps**2 / (45 * L0)
a_c = sp.Rational(80, 9) * L0 * rho**2
derived = sp.Rational(45, 4) * L0 * Delta / eps**2 \
    + sp.Rational(9, 80) * sp.Max(1, 100 * L1**2) * Delta / L0
reconstructed = 20 * L0 * Delta / eps**2 + 20 * sp.Max(1, L1**2) * Delta / L0

STEPS = (
    Step("assumptions", None,
         Assumption("$f$ is bounded below by $f^*$, $\\Delta = f(x_0) - f^*$; $f$ is twice "
                    "differentiable and (L0,L1)-smooth (Hessian form) on "
                    "$S = \\{x : \\exists y,\\ f(y) \\le f(x_0),\\ \\|x - y\\| \\le 1\\}$, "
                    "$L_0, L_1 > 0$ (the paper's assumptions)"),
         "**Setting.** Clipped GD $x_{k+1} = x_k - h_k\\nabla f(x_k)$, $h_k = \\min\\{\\eta_c, "
         "\\gamma\\eta_c/\\|\\nabla f(x_k)\\|\\}$, with Theorem 3's $\\eta_c = 1/(10L_0)$ and "
         "$\\gamma = \\min\\{1/\\eta_c, 1/(10L_1\\eta_c)\\}$."),
    Step("gamma_value", rel(sp.Subs(sp.Min(1 / ec, 1 / (10 * L1 * ec)), ec, eta_c), "==",
                            sp.Min(10 * L0, L0 / L1)), Algebra(),
         "So $\\gamma = \\min\\{10L_0, L_0/L_1\\}$ ..."),
    Step("rho_value", rel(eta_c * sp.Min(10 * L0, L0 / L1), "==", rho_of_L1),
         FromLemma(LM.MIN_SCALE, ((LM.A, 10 * L0), (LM.B, L0 / L1), (LM.C, eta_c)),
                   (Algebra(),)),
         "... and the largest step length is $\\rho = \\gamma\\eta_c = \\min\\{1, "
         "1/(10L_1)\\}$: every step moves at most $\\rho \\le 1$ (so it stays in $S$) with "
         "$L_1\\rho \\le 1/10$."),
    Step("in_S", None,
         Cited("induction: if $f(x_k) \\le f(x_0)$, the segment $[x_k, x_{k+1}]$ (length "
               "$\\le \\rho \\le 1$) lies in $S$, so the exponential descent lemma applies "
               "on it; the decrease proved below then gives $f(x_{k+1}) \\le f(x_k) \\le "
               "f(x_0)$"),
         "Each step's segment lies in $S$ (by induction on $k$)."),
    Step("phi_quadratic", rel(phi(u), "<=", sp.Rational(5, 9) * u**2),
         Monotone(u, 0, Monotone(u, 0, NoCounterexample(u, sp.Interval(0, sp.Rational(1, 10))),
                                 end=sp.Rational(1, 10)), end=sp.Rational(1, 10)),
         "**A quadratic bound on $\\varphi$ in the trust region.** For $0 \\le u \\le 1/10$, "
         "$\\varphi(u) = e^u - u - 1 \\le \\tfrac59 u^2$: the difference vanishes at 0 with "
         "its derivative, and its second derivative $\\tfrac{10}{9} - e^u$ is nonnegative "
         "for $u \\le \\ln\\tfrac{10}{9} \\approx 0.105$."),
    # ------------------------------------------------------------- unclipped
    Step("model_u", rel(fy, "<=", fx + bound_u),
         FromLemma(LM.EXP_DESCENT, ((LM.L0, L0), (LM.L1, L1), (LM.g, g_u),
                                    (LM.r, eta_c * g_u), (LM.lin, -eta_c * g_u**2))),
         "**Unclipped regime**, $g = \\|\\nabla f(x_k)\\| \\le \\gamma$, so $h = \\eta_c$. Since "
         "$\\gamma \\le L_0/L_1$, write $g = L_0/(L_1(1 + w))$, $w \\ge 0$ (this covers "
         "$0 < g \\le L_0/L_1$). The exponential descent lemma with $r = \\eta_c g$:"),
    Step("phi_u", rel(phi(L1 * eta_c * g_u), "<=", sp.Rational(5, 9) * (L1 * eta_c * g_u)**2),
         Substitution("phi_quadratic", ((u, L1 * eta_c * g_u),)),
         "Here $L_1 r = 1/(10(1+w)) \\le 1/10$, so step 5 applies:"),
    Step("quad_u", rel(fx + bound_u, "<=", fx + quad_u),
         FromLemma(LM.ADD, ((LM.A, K_u / L1**2 * phi(L1 * eta_c * g_u)),
                            (LM.B, K_u / L1**2 * sp.Rational(5, 9) * (L1 * eta_c * g_u)**2),
                            (LM.C, fx - eta_c * g_u**2)),
                   (FromLemma(LM.SCALE, ((LM.A, phi(L1 * eta_c * g_u)),
                                         (LM.B, sp.Rational(5, 9) * (L1 * eta_c * g_u)**2),
                                         (LM.C, K_u / L1**2)),
                              (Algebra(), Given("phi_u"))),)),
         "so the bound is at most the quadratic one ..."),
    Step("dec_u", rel(fx + quad_u, "<=", fx - dec_u), Algebra(),
         "... which is at most $f(x_k) - \\frac{4g^2}{45L_0}$ (the difference is "
         "$\\frac{g^2}{180L_0}\\cdot\\frac{w}{1+w} \\ge 0$) ..."),
    Step("decrease_u", rel(fy, "<=", fx - dec_u), Chain(("model_u", "quad_u", "dec_u")),
         "**so an unclipped step decreases $f$ by at least $\\frac{4g^2}{45L_0}$.**"),
    # ------------------------------------------------------------- clipped
    Step("model_c", rel(fy, "<=", fx + bound_c),
         FromLemma(LM.EXP_DESCENT, ((LM.L0, L0), (LM.L1, L1_c), (LM.g, g_c), (LM.r, rho),
                                    (LM.lin, -rho * g_c))),
         "**Clipped regime**, $g \\ge \\gamma$, so $h = \\gamma\\eta_c/g$: the step has length "
         "$r = \\rho$ and $\\langle\\nabla f(x_k), x_{k+1} - x_k\\rangle = -\\rho g$. Note "
         "$\\gamma = \\rho/\\eta_c = 10L_0\\rho$. Write $L_1 = 1/(10\\rho(1+v))$, $v \\ge 0$ "
         "(this is $L_1\\rho \\le 1/10$) and $g = 10L_0\\rho(1+z)$, $z \\ge 0$ (this is "
         "$g \\ge \\gamma$). The exponential descent lemma:"),
    Step("phi_c", rel(phi(L1_c * rho), "<=", sp.Rational(5, 9) * (L1_c * rho)**2),
         Substitution("phi_quadratic", ((u, L1_c * rho),)), "With $L_1\\rho \\le 1/10$:"),
    Step("quad_c", rel(fx + bound_c, "<=", fx + quad_c),
         FromLemma(LM.ADD, ((LM.A, K_c / L1_c**2 * phi(L1_c * rho)),
                            (LM.B, K_c / L1_c**2 * sp.Rational(5, 9) * (L1_c * rho)**2),
                            (LM.C, fx - rho * g_c)),
                   (FromLemma(LM.SCALE, ((LM.A, phi(L1_c * rho)),
                                         (LM.B, sp.Rational(5, 9) * (L1_c * rho)**2),
                                         (LM.C, K_c / L1_c**2)),
                              (Algebra(), Given("phi_c"))),)),
         "so"),
    Step("dec_c", rel(fx + quad_c, "<=", fx - sp.Rational(8, 9) * rho * g_c), Algebra(),
         "and since $L_0\\rho \\le g/10$ and $L_1\\rho \\le 1/10$ the quadratic term is at most "
         "$\\tfrac19\\rho g$:"),
    Step("decrease_c", rel(fy, "<=", fx - sp.Rational(8, 9) * rho * g_c),
         Chain(("model_c", "quad_c", "dec_c")),
         "**A clipped step decreases $f$ by at least $\\tfrac89\\rho g$ ...**"),
    Step("decrease_c_floor", rel(sp.Rational(8, 9) * rho * g_c, ">=", a_c), Algebra(),
         "**... which is at least $\\tfrac89\\rho\\gamma = \\tfrac{80}{9}L_0\\rho^2$.**"),
    # ------------------------------------------------------------- counting
    Step("telescoping", rel(Nu * a_u + Nc * a_c, "<=", Delta),
         Cited("telescoping: if $\\|\\nabla f(x_t)\\| > \\epsilon$ for all $t < T$, of which "
               "$N_u$ steps are unclipped and $N_c$ clipped ($N_u + N_c = T$), then the "
               "decreases sum to $f(x_0) - f(x_T) \\le \\Delta$, an unclipped step with "
               "$g > \\epsilon$ decreasing $f$ by more than $a_u = 4\\epsilon^2/(45L_0)$ "
               "(step 10) and a clipped one by at least $a_c = \\tfrac{80}{9}L_0\\rho^2$ "
               "(steps 15-16)"),
         "**Telescoping.** Suppose $\\|\\nabla f(x_t)\\| > \\epsilon$ for $t < T$:"),
    Step("count_u_first", rel(Nu * a_u, "<=", Nu * a_u + Nc * a_c), Algebra(),
         "Each kind of step is counted separately:"),
    Step("count_u_chain", rel(Nu * a_u, "<=", Delta), Chain(("count_u_first", "telescoping")),
         ""),
    Step("count_u", rel(Nu, "<=", Delta / a_u),
         FromLemma(LM.SCALE, ((LM.A, Nu * a_u), (LM.B, Delta), (LM.C, 1 / a_u)),
                   (Algebra(), Given("count_u_chain"))),
         "$N_u \\le \\frac{45L_0\\Delta}{4\\epsilon^2}$;"),
    Step("count_c_first", rel(Nc * a_c, "<=", Nu * a_u + Nc * a_c), Algebra(), ""),
    Step("count_c_chain", rel(Nc * a_c, "<=", Delta), Chain(("count_c_first", "telescoping")),
         ""),
    Step("count_c", rel(Nc, "<=", Delta / a_c),
         FromLemma(LM.SCALE, ((LM.A, Nc * a_c), (LM.B, Delta), (LM.C, 1 / a_c)),
                   (Algebra(), Given("count_c_chain"))),
         "$N_c \\le \\frac{9\\Delta}{80L_0\\rho^2}$."),
    Step("count_total", rel(Nu + Nc, "<=", Delta / a_u + Delta / a_c),
         FromLemma(LM.ADD_BOTH, ((LM.A, Nu), (LM.B, Delta / a_u), (LM.C, Nc),
                                 (LM.D, Delta / a_c)),
                   (Given("count_u"), Given("count_c"))),
         "So $T = N_u + N_c$ is at most"),
    Step("rho_square", rel(1 / sp.Min(1, 1 / (10 * X))**2, "==", sp.Max(1, 100 * X**2)),
         NoCounterexample(X, sp.Interval.open(0, sp.oo)),
         "With $\\rho = \\min\\{1, 1/(10L_1)\\}$: $1/\\rho^2 = \\max\\{1, 100L_1^2\\}$."),
    Step("rho_square_L1", rel(1 / rho_of_L1**2, "==", sp.Max(1, 100 * L1**2)),
         Substitution("rho_square", ((X, L1),)), ""),
    Step("bound_in_rho", rel(Delta / a_u + Delta / a_c, "==",
                             sp.Rational(45, 4) * L0 * Delta / eps**2
                             + sp.Rational(9, 80) * Delta / L0 * rho**-2), Algebra(), ""),
    Step("bound_at_rho", rel(Delta / a_u + Delta / a_c.subs(rho, rho_of_L1), "==",
                             sp.Rational(45, 4) * L0 * Delta / eps**2
                             + sp.Rational(9, 80) * Delta / L0 * rho_of_L1**-2),
         Substitution("bound_in_rho", ((rho, rho_of_L1),)), ""),
    Step("derived_bound", rel(Delta / a_u + Delta / a_c.subs(rho, rho_of_L1), "==", derived),
         Rewrite("bound_at_rho", ("rho_square_L1",)), ""),
    Step("count_total_L1", rel(Nu + Nc, "<=", Delta / a_u + Delta / a_c.subs(rho, rho_of_L1)),
         Substitution("count_total", ((rho, rho_of_L1),)), ""),
    Step("T_derived", rel(Nu + Nc, "<=", derived),
         Chain(("count_total_L1", "derived_bound")),
         "**The bound that follows:** $T = N_u + N_c \\le \\frac{45}{4}\\frac{L_0\\Delta}"
         "{\\epsilon^2} + \\frac{9}{80}\\max\\{1, 100L_1^2\\}\\frac{\\Delta}{L_0}$."),
    Step("vs_reconstructed_L1", rel(sp.Rational(9, 80) * sp.Max(1, 100 * X**2), "<=",
                                    20 * sp.Max(1, X**2)),
         NoCounterexample(X, sp.Interval.open(0, sp.oo)),
         "**Comparison with PAPER.md's [R] bound.** The $\\Delta/L_0$ coefficients: "
         "$\\tfrac{9}{80}\\max\\{1, 100L_1^2\\} \\le 20\\max\\{1, L_1^2\\}$ for every "
         "$L_1 > 0$ ..."),
    Step("vs_mid", rel(derived, "<=", sp.Rational(45, 4) * L0 * Delta / eps**2
                       + 20 * sp.Max(1, L1**2) * Delta / L0),
         FromLemma(LM.ADD, ((LM.A, sp.Rational(9, 80) * sp.Max(1, 100 * L1**2) * Delta / L0),
                            (LM.B, 20 * sp.Max(1, L1**2) * Delta / L0),
                            (LM.C, sp.Rational(45, 4) * L0 * Delta / eps**2)),
                   (FromLemma(LM.SCALE, ((LM.A, sp.Rational(9, 80) * sp.Max(1, 100 * L1**2)),
                                         (LM.B, 20 * sp.Max(1, L1**2)),
                                         (LM.C, Delta / L0)),
                              (Algebra(), Substitution("vs_reconstructed_L1",
                                                       ((X, L1),)))),)),
         "... so"),
    Step("vs_last", rel(sp.Rational(45, 4) * L0 * Delta / eps**2
                        + 20 * sp.Max(1, L1**2) * Delta / L0, "<=", reconstructed), Algebra(),
         "... and $\\tfrac{45}{4} \\le 20$."),
    Step("T_reconstructed", rel(Nu + Nc, "<=", reconstructed),
         Chain(("T_derived", "vs_mid", "vs_last")),
         "**Hence the reconstructed bound holds:** $T \\le 20L_0\\Delta/\\epsilon^2 + "
         "20\\max\\{1, L_1^2\\}\\Delta/L_0$."),
    Step("gap_at_large_L1", rel((reconstructed / derived).subs({L1: 10, eps: 1, L0: 1}), "==",
                                sp.Rational(16, 9)), Algebra(),
         "How much room: e.g. at $L_0 = \\epsilon = 1$, $L_1 = 10$ the reconstructed bound is "
         "$16/9 \\approx 1.78$ times the derived one."),
)

DERIVATION = Derivation(
    name="clipped_gd_complexity",
    title="Theorem 3: clipped GD's one-step decrease and iteration bound",
    statement=(
        "Under the paper's assumptions (f bounded below, $\\Delta = f(x_0) - f^*$, "
        "(L0,L1)-smooth on the 1-neighbourhood $S$ of the initial sublevel set, "
        "$L_0, L_1 > 0$), clipped GD with $\\eta_c = 1/(10L_0)$ and "
        "$\\gamma = \\min\\{1/\\eta_c, 1/(10L_1\\eta_c)\\}$ decreases $f$ per step by at "
        "least $\\frac{4\\|\\nabla f\\|^2}{45L_0}$ when unclipped and at least "
        "$\\frac{80}{9}L_0\\rho^2$, $\\rho = \\min\\{1, 1/(10L_1)\\}$, when clipped; hence the "
        "first $T$ with $\\|\\nabla f(x_T)\\| \\le \\epsilon$ satisfies\n\n"
        "$$T \\le \\frac{45}{4}\\frac{L_0\\Delta}{\\epsilon^2} + \\frac{9}{80}\\max\\{1, "
        "100L_1^2\\}\\frac{\\Delta}{L_0} \\;\\le\\; \\frac{20L_0\\Delta}{\\epsilon^2} + "
        "\\frac{20\\max\\{1, L_1^2\\}\\Delta}{L_0}.$$"),
    steps=STEPS,
    conclusion=(
        "PAPER.md's reconstructed [R] bound $20L_0\\Delta/\\epsilon^2 + 20\\max\\{1, "
        "L_1^2\\}\\Delta/L_0$ **does follow** from Theorem 3's quoted parameters, with room: "
        "the argument here gives the constants $45/4 = 11.25$ and, for $L_1 \\ge 1/10$, "
        "$\\tfrac{9}{80}\\cdot 100 = 11.25$ in place of 20. The route is the exponential "
        "descent lemma (proved in `blog_condition_gap`, valid on each step's segment because "
        "it has length at most $\\rho \\le 1$ and so stays in $S$) plus the bound "
        "$\\varphi(u) \\le \\tfrac59u^2$ for $u = L_1 r \\le 1/10$. What this derivation does "
        "not establish: that the paper's own proof has these constants (its display "
        "equation was not recoverable), nor any lower bound; the counting step "
        "(telescoping) and the induction keeping iterates in $S$ are cited arguments, not "
        "machine-checked formulas."),
    provenance=(
        ("Q", "Theorem 3's parameters $\\eta_c = 1/(10L_0)$, $\\gamma = \\min\\{1/\\eta_c, "
              "1/(10L_1\\eta_c)\\}$ and the assumptions (PAPER.md, Theorems)."),
        ("R", "the bound $20L_0\\Delta/\\epsilon^2 + 20\\max\\{1, L_1^2\\}\\Delta/L_0$ "
              "(reconstruction): checked here and found to follow."),
        ("D", "the per-step decreases $4g^2/(45L_0)$ and $\\tfrac{80}{9}L_0\\rho^2$ and the "
              "bound with constants $45/4$ and $9/80$: derived here."),
        ("F", "the exponential descent lemma used for each step (PAPER.md, Later results)."),
    ),
    symbols=((rho, "$\\gamma\\eta_c = \\min\\{1, 1/(10L_1)\\}$, the clipped step length"),
             (Nu, "number of unclipped steps before $T$"),
             (Nc, "number of clipped steps before $T$"),
             (Delta, "$f(x_0) - f^*$")),
)
