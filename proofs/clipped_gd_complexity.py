"""Theorem 3 (clipped GD): the one-step decrease in both regimes with the paper's
parameters, then the telescoping lemma to an iteration bound, compared with PAPER.md's [R]
bound."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (Algebra, AllOf, Assumption, Cases, Chain, Conjunction, Derivation,
                            FromLemma, Given, Monotone, NoCounterexample, Rewrite, Step,
                            Substitution, rel)
from lab.derivation import lemmas as LM

L0 = sp.Symbol("L_0", positive=True)
L1 = sp.Symbol("L_1", positive=True)
g, r, eps, Delta, T = LM.g, LM.r, LM.eps, LM.Delta, LM.T
fx, fy, f0, tau, H, N = LM.fx, LM.fy, LM.f0, LM.tau, LM.H, LM.N
u = sp.Symbol("u", nonnegative=True)
rho = sp.Symbol("rho", positive=True)  # gamma * eta_c, the clipped step length
ec = sp.Symbol("eta_c", positive=True)
phi = LM.phi

eta_c = 1 / (10 * L0)
gam = 10 * L0 * rho  # gamma = rho / eta_c
rho_of_L1 = sp.Min(1, 1 / (10 * L1))
K = L0 + L1 * g
RHO = ((rho, sp.Interval.Lopen(0, 1)), (rho, sp.Interval.Lopen(0, 1 / (10 * L1))))
UNCLIPPED = RHO + ((g, sp.Interval.Lopen(0, gam)),)
CLIPPED = RHO + ((g, sp.Interval(gam, sp.oo)),)
PAST_EPS = ((g, sp.Interval(eps, sp.oo)),)

# unclipped regime: h = eta_c, r = eta_c g, ell = -eta_c g^2
r_u = eta_c * g
bound_u = -eta_c * g**2 + K / L1**2 * phi(L1 * r_u)
quad_u = -eta_c * g**2 + K / L1**2 * sp.Rational(5, 9) * (L1 * r_u)**2
dec_u = 4 * g**2 / (45 * L0)
# clipped regime: h = gamma eta_c / g, r = rho, ell = -rho g
bound_c = -rho * g + K / L1**2 * phi(L1 * rho)
quad_c = -rho * g + K / L1**2 * sp.Rational(5, 9) * (L1 * rho)**2
dec_c = sp.Rational(8, 9) * rho * g
a_u = 4 * eps**2 / (45 * L0)
a_c = sp.Rational(80, 9) * L0 * rho**2
a = 1 / (1 / a_u + 1 / a_c)  # at most min{a_u, a_c}: every step decreases f by a
derived = sp.Rational(45, 4) * L0 * Delta / eps**2 \
    + sp.Rational(9, 80) * sp.Max(1, 100 * L1**2) * Delta / L0
reconstructed = 20 * L0 * Delta / eps**2 + 20 * sp.Max(1, L1**2) * Delta / L0


def _quadratic(bound, quad, phi_arg, lead, phi_step):
    """ADD(SCALE): f(x) + bound <= f(x) + quad from phi(phi_arg) <= 5/9 phi_arg^2."""
    factor = K / L1**2
    return FromLemma(LM.ADD, ((LM.A, factor * phi(phi_arg)),
                              (LM.B, factor * sp.Rational(5, 9) * phi_arg**2),
                              (LM.C, fx + lead)),
                     (FromLemma(LM.SCALE, ((LM.A, phi(phi_arg)),
                                           (LM.B, sp.Rational(5, 9) * phi_arg**2),
                                           (LM.C, factor)), (Algebra(), Given(phi_step))),))


def _descent(step_length, inner):
    """The exponential descent lemma for a step of length ``step_length`` and first-order
    change ``inner``, its segment in S by the assumption ``smooth_on_S``."""
    return FromLemma(LM.EXP_DESCENT, ((LM.L0, L0), (LM.L1, L1), (LM.g, g),
                                      (LM.r, step_length), (LM.lin, inner)),
                     (Algebra(), Substitution("smooth_on_S", ((r, step_length),))))


SETTING = (
    Step("bounded_below", LM.BOUNDED_BELOW,
         Assumption("$f$ is bounded below by $f^* = f(x_0) - \\Delta$: $f(z) \\ge f(x_0) - "
                    "\\Delta$ at every point $z$"),
         "**Setting.** Clipped GD $x_{k+1} = x_k - h_k\\nabla f(x_k)$, $h_k = \\min\\{\\eta_c, "
         "\\gamma\\eta_c/\\|\\nabla f(x_k)\\|\\}$, with Theorem 3's $\\eta_c = 1/(10L_0)$ and "
         "$\\gamma = \\min\\{1/\\eta_c, 1/(10L_1\\eta_c)\\}$. The paper assumes $f$ bounded "
         "below ..."),
    Step("smooth_on_S", rel(H(tau), "<=", L0 + L1 * N(tau)),
         Assumption("$f$ is twice differentiable and $(L_0, L_1)$-smooth (Hessian form) on "
                    "$S = \\{x : \\exists y,\\ f(y) \\le f(x_0),\\ \\|x - y\\| \\le 1\\}$. A "
                    "segment from a point $x$ with $f(x) \\le f(x_0)$ of length $r \\le 1$ lies "
                    "in $S$ (each of its points is within 1 of $x$), so the condition holds "
                    "along it: $H(\\tau) \\le L_0 + L_1N(\\tau)$ for $\\tau \\in [0, r]$"),
         "... and $(L_0, L_1)$-smooth on $S$, i.e. along every segment of length $r \\le 1$ "
         "that starts in the initial sublevel set:",
         where=((tau, sp.Interval(0, r)), (r, sp.Interval(0, 1)),
                (fx, sp.Interval(-sp.oo, f0)))),
    Step("gamma_value", rel(sp.Subs(sp.Min(1 / ec, 1 / (10 * L1 * ec)), ec, eta_c), "==",
                            sp.Min(10 * L0, L0 / L1)), Algebra(),
         "So $\\gamma = \\min\\{10L_0, L_0/L_1\\}$ ..."),
    Step("rho_value", rel(eta_c * sp.Min(10 * L0, L0 / L1), "==", rho_of_L1),
         FromLemma(LM.MIN_SCALE, ((LM.A, 10 * L0), (LM.B, L0 / L1), (LM.C, eta_c)),
                   (Algebra(),)),
         "... and the longest step is $\\rho = \\gamma\\eta_c = \\min\\{1, 1/(10L_1)\\}$, so "
         "$\\gamma = 10L_0\\rho$, $\\rho \\le 1$ and $L_1\\rho \\le 1/10$. Below, $\\rho$ is "
         "any number with $0 < \\rho \\le 1$ and $\\rho \\le 1/(10L_1)$ (the conditions "
         "printed beside each claim); [[count_L1]] puts $\\rho = \\min\\{1, 1/(10L_1)\\}$."),
    Step("phi_quadratic", rel(phi(u), "<=", sp.Rational(5, 9) * u**2),
         Monotone(u, 0, Monotone(u, 0, NoCounterexample(u, sp.Interval(0, sp.Rational(1, 10))),
                                 end=sp.Rational(1, 10)), end=sp.Rational(1, 10)),
         "**A quadratic bound on $\\varphi$ in the trust region.** For $0 \\le u \\le 1/10$, "
         "$\\varphi(u) = e^u - u - 1 \\le \\tfrac59 u^2$: the difference vanishes at 0 with "
         "its derivative, and its second derivative $\\tfrac{10}{9} - e^u$ is nonnegative "
         "for $u \\le \\ln\\tfrac{10}{9} \\approx 0.105$."),
)

UNCLIPPED_STEPS = (
    Step("model_u", rel(fy, "<=", fx + bound_u), _descent(r_u, -eta_c * g**2),
         "**Unclipped regime**, $0 < g = \\|\\nabla f(x)\\| \\le \\gamma = 10L_0\\rho$, so "
         "$h = \\eta_c$, the step has length $r = \\eta_c g \\le \\rho \\le 1$ and "
         "$\\ell = -\\eta_c g^2$. The exponential descent lemma (its segment lies in $S$ when "
         "$f(x) \\le f(x_0)$):", where=UNCLIPPED),
    Step("phi_u", rel(phi(L1 * r_u), "<=", sp.Rational(5, 9) * (L1 * r_u)**2),
         Substitution("phi_quadratic", ((u, L1 * r_u),)),
         "Here $L_1 r = L_1 g/(10L_0) \\le L_1\\rho \\le 1/10$, so [[phi_quadratic]] applies:",
         where=UNCLIPPED),
    Step("quad_u", rel(fx + bound_u, "<=", fx + quad_u),
         _quadratic(bound_u, quad_u, L1 * r_u, -eta_c * g**2, "phi_u"),
         "so the bound is at most the quadratic one ...", where=UNCLIPPED),
    Step("dec_u", rel(fx + quad_u, "<=", fx - dec_u), Algebra(),
         "... which is at most $f(x) - \\frac{4g^2}{45L_0}$ (the difference is "
         "$\\frac{g^2}{180L_0}(1 - L_1g/L_0) \\ge 0$, as $L_1 g \\le 10L_0L_1\\rho \\le L_0$) ...",
         where=UNCLIPPED),
    Step("decrease_u", rel(fy, "<=", fx - dec_u), Chain(("model_u", "quad_u", "dec_u")),
         "**so an unclipped step decreases $f$ by at least $\\frac{4g^2}{45L_0}$.**"),
    Step("floor_u", rel(dec_u, ">=", a_u), Algebra(),
         "Before the first $\\epsilon$-stationary iterate, $g \\ge \\epsilon$: the decrease is "
         "at least $a_u = \\frac{4\\epsilon^2}{45L_0}$ ...", where=PAST_EPS),
)

CLIPPED_STEPS = (
    Step("model_c", rel(fy, "<=", fx + bound_c), _descent(rho, -rho * g),
         "**Clipped regime**, $g \\ge \\gamma = 10L_0\\rho$, so $h = \\gamma\\eta_c/g$: the step "
         "has length $r = \\rho \\le 1$ and $\\ell = -\\rho g$. The exponential descent lemma:",
         where=CLIPPED),
    Step("phi_c", rel(phi(L1 * rho), "<=", sp.Rational(5, 9) * (L1 * rho)**2),
         Substitution("phi_quadratic", ((u, L1 * rho),)), "With $L_1\\rho \\le 1/10$:",
         where=RHO),
    Step("quad_c", rel(fx + bound_c, "<=", fx + quad_c),
         _quadratic(bound_c, quad_c, L1 * rho, -rho * g, "phi_c"), "so", where=CLIPPED),
    Step("dec_c", rel(fx + quad_c, "<=", fx - dec_c), Algebra(),
         "and since $L_0\\rho \\le g/10$ and $L_1\\rho \\le 1/10$ the quadratic term is at most "
         "$\\tfrac19\\rho g$:", where=CLIPPED),
    Step("decrease_c", rel(fy, "<=", fx - dec_c), Chain(("model_c", "quad_c", "dec_c")),
         "**A clipped step decreases $f$ by at least $\\tfrac89\\rho g$ ...**"),
    Step("floor_c", rel(dec_c, ">=", a_c), Algebra(),
         "**... which is at least $a_c = \\tfrac89\\rho\\gamma = \\tfrac{80}{9}L_0\\rho^2$.**",
         where=CLIPPED),
)


def _lowered(label, big, small, source):
    """f(x) - big <= f(x) - small from ``source``: big >= small (ADD to both sides)."""
    return Step(label, rel(fx - big, "<=", fx - small),
                FromLemma(LM.ADD, ((LM.A, -big), (LM.B, -small), (LM.C, fx)),
                          (Given(source),)), "")


COUNTING = (
    Step("a_below_u", rel(a, "<=", a_u), Algebra(),
         "**Counting.** Let $a = 1/(1/a_u + 1/a_c)$: it is at most $a_u$ ..."),
    Step("a_below_c", rel(a, "<=", a_c), Algebra(), "... and at most $a_c$."),
    _lowered("lower_u", dec_u, a_u, "floor_u"),
    _lowered("lower_au", a_u, a, "a_below_u"),
    Step("step_u", rel(fy, "<=", fx - a), Chain(("decrease_u", "lower_u", "lower_au")),
         "So an unclipped step with $g \\ge \\epsilon$ decreases $f$ by at least $a$ ..."),
    _lowered("lower_c", dec_c, a_c, "floor_c"),
    _lowered("lower_ac", a_c, a, "a_below_c"),
    Step("step_c", rel(fy, "<=", fx - a), Chain(("decrease_c", "lower_c", "lower_ac")),
         "... and so does a clipped one."),
    Step("decrease", rel(fy, "<=", fx - a),
         Cases(g, ((sp.Interval.Lopen(0, gam), Given("step_u")),
                   (sp.Interval(gam, sp.oo), Given("step_c")))),
         "**Every iterate $x$ with $g > \\epsilon$ and $f(x) \\le f(x_0)$ is followed by one "
         "with $f(x^+) \\le f(x) - a$**, whichever regime it is in:",
         where=RHO + ((g, sp.Interval.open(eps, sp.oo)),)),
    Step("telescoped", rel(T * a, "<=", Delta),
         FromLemma(LM.TELESCOPE, ((LM.a, a),),
                   (Given("decrease"), Algebra(), Given("bounded_below"))),
         "The telescoping lemma (proved in `order_lemmas`; its hypotheses: the decrease at "
         "every iterate with $g > \\epsilon$ and $f(x) \\le f(x_0)$, [[decrease]], and $f$ bounded "
         "below, [[bounded_below]]) counts the iterates before the first $\\epsilon$-stationary one:",
         where=RHO),
    Step("count_a", rel(T, "<=", Delta / a),
         FromLemma(LM.SCALE, ((LM.A, T * a), (LM.B, Delta), (LM.C, 1 / a)),
                   (Algebra(), Given("telescoped"))), "Dividing by $a > 0$ ...", where=RHO),
    Step("count_sum", rel(Delta / a, "==", Delta / a_u + Delta / a_c), Algebra(),
         "... and $\\Delta/a = \\Delta/a_u + \\Delta/a_c$:"),
    Step("count", rel(T, "<=", Delta / a_u + Delta / a_c), Chain(("count_a", "count_sum")),
         "$T \\le \\frac{45L_0\\Delta}{4\\epsilon^2} + \\frac{9\\Delta}{80L_0\\rho^2}$."),
    Step("count_L1", rel(T, "<=", Delta / a_u + Delta / a_c.subs(rho, rho_of_L1)),
         Substitution("count", ((rho, rho_of_L1),)),
         "With Theorem 3's $\\rho = \\min\\{1, 1/(10L_1)\\}$ (it satisfies both conditions on "
         "$\\rho$, checked):"),
    Step("rho_square", rel(1 / rho_of_L1**2, "==", sp.Max(1, 100 * L1**2)),
         NoCounterexample(L1, sp.Interval.open(0, sp.oo)),
         "$1/\\rho^2 = \\max\\{1, 100L_1^2\\}$, so"),
    Step("T_derived", rel(T, "<=", derived), Rewrite("count_L1", ("rho_square",)),
         "**The bound that follows:** $T \\le \\frac{45}{4}\\frac{L_0\\Delta}"
         "{\\epsilon^2} + \\frac{9}{80}\\max\\{1, 100L_1^2\\}\\frac{\\Delta}{L_0}$."),
)

COMPARISON = (
    Step("vs_reconstructed_L1", rel(sp.Rational(9, 80) * sp.Max(1, 100 * L1**2), "<=",
                                    20 * sp.Max(1, L1**2)),
         NoCounterexample(L1, sp.Interval.open(0, sp.oo)),
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
                              (Algebra(), Given("vs_reconstructed_L1"))),)),
         "... so"),
    Step("vs_last", rel(sp.Rational(45, 4) * L0 * Delta / eps**2
                        + 20 * sp.Max(1, L1**2) * Delta / L0, "<=", reconstructed), Algebra(),
         "... and $\\tfrac{45}{4} \\le 20$."),
    Step("T_reconstructed", rel(T, "<=", reconstructed),
         Chain(("T_derived", "vs_mid", "vs_last")),
         "**Hence the reconstructed bound holds:** $T \\le 20L_0\\Delta/\\epsilon^2 + "
         "20\\max\\{1, L_1^2\\}\\Delta/L_0$."),
    Step("gap_at_large_L1", rel(sp.Subs(reconstructed / derived, (L1, eps, L0), (10, 1, 1)),
                                "==", sp.Rational(16, 9)), Algebra(),
         "How much room: e.g. at $L_0 = \\epsilon = 1$, $L_1 = 10$ the reconstructed bound is "
         "$16/9 \\approx 1.78$ times the derived one."),
    Step("headline", Conjunction((rel(T, "<=", derived), rel(T, "<=", reconstructed))),
         AllOf((Given("T_derived"), Given("T_reconstructed"))),
         "**Theorem 3, checked:** the number $T$ of iterates before the first with "
         "$\\|\\nabla f\\| \\le \\epsilon$ satisfies both bounds."),
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
        "number $T$ of iterates before the first with $\\|\\nabla f(x_T)\\| \\le \\epsilon$ "
        "satisfies\n\n"
        "$$T \\le \\frac{45}{4}\\frac{L_0\\Delta}{\\epsilon^2} + \\frac{9}{80}\\max\\{1, "
        "100L_1^2\\}\\frac{\\Delta}{L_0} \\;\\le\\; \\frac{20L_0\\Delta}{\\epsilon^2} + "
        "\\frac{20\\max\\{1, L_1^2\\}\\Delta}{L_0}.$$"),
    steps=SETTING + UNCLIPPED_STEPS + CLIPPED_STEPS + COUNTING + COMPARISON,
    conclusion=(
        "PAPER.md's reconstructed [R] bound $20L_0\\Delta/\\epsilon^2 + 20\\max\\{1, "
        "L_1^2\\}\\Delta/L_0$ **does follow** from Theorem 3's quoted parameters, with room: "
        "the argument here gives the constants $45/4 = 11.25$ and, for $L_1 \\ge 1/10$, "
        "$\\tfrac{9}{80}\\cdot 100 = 11.25$ in place of 20. The route is the exponential "
        "descent lemma (proved in `blog_condition_gap`; its hypothesis that $f$ is smooth on "
        "the step's segment is discharged by the assumption on $S$, with the step length "
        "$\\le 1$ checked and $f(x) \\le f(x_0)$ carried in the range), the bound "
        "$\\varphi(u) \\le \\tfrac59u^2$ for $u = L_1 r \\le 1/10$, and the telescoping lemma "
        "(proved in `order_lemmas`, with the per-step decrease of [[decrease]] as its checked "
        "hypothesis). What this derivation does not establish: that the paper's own proof "
        "has these constants (its display equation was not recoverable), nor any lower "
        "bound."),
    provenance=(
        ("Q", "Theorem 3's parameters $\\eta_c = 1/(10L_0)$, $\\gamma = \\min\\{1/\\eta_c, "
              "1/(10L_1\\eta_c)\\}$ and the assumptions (PAPER.md, Theorems)."),
        ("R", "the bound $20L_0\\Delta/\\epsilon^2 + 20\\max\\{1, L_1^2\\}\\Delta/L_0$ "
              "(reconstruction): checked here and found to follow."),
        ("D", "the per-step decreases $4g^2/(45L_0)$ and $\\tfrac{80}{9}L_0\\rho^2$ and the "
              "bound with constants $45/4$ and $9/80$: derived here."),
        ("F", "the exponential descent lemma used for each step (PAPER.md, Later results)."),
    ),
    symbols=(),
    fixed=(g, fx, fy, f0, eps, Delta, T),
)
