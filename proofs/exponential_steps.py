"""Step sizes from the exponential (tight) model: the minimiser eta*, the ordering
eta_cl <= eta_si <= eta*, and the one-step progress g^2/(2 L0 + 3 L1 g)."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (AllOf, Algebra, Assumption, Chain, Conjunction, Derivation,
                            FromLemma, Given, Monotone, NoCounterexample, Numeric,
                            PositiveFactor, Step, Substitution, rel)
from lab.derivation import lemmas as LM

L1 = sp.Symbol("L_1", positive=True)
g = sp.Symbol("g", positive=True)
L0 = sp.Symbol("L_0", positive=True)
eta = sp.Symbol("eta", positive=True)
fx = LM.fx
fplus = sp.Function("f_+", real=True)  # f_+(eta) = f(x - eta grad f(x))
q = sp.Symbol("q", positive=True)  # q = L1 g / (L0 + L1 g), in (0, 1)
u = sp.Symbol("u", positive=True)  # u = L1 g eta = L1 r, the step in natural units
z = sp.Symbol("z", positive=True)  # an offset: u = u* - z left of the minimiser
tau, H, N = LM.tau, LM.H, LM.N

phi = LM.phi
L0_of_q = L1 * g * (1 - q) / q  # inverse of q = L1 g/(L0 + L1 g)
q_of_g = L1 * g / (L0 + L1 * g)
K = L0 + L1 * g
model = -eta * g**2 + K / L1**2 * phi(L1 * eta * g)  # bound on f(x+) - f(x)
M = -u + phi(u) / q  # the same in units g/L1, as a function of u = L1 g eta
u_star = sp.log(1 + q)
eta_star = sp.log(1 + L1 * g / K) / (L1 * g)
eta_si = 1 / (L0 + sp.Rational(3, 2) * L1 * g)
eta_cl = sp.Min(1 / (2 * L0), 1 / (3 * L1 * g))
target = g**2 / (2 * L0 + 3 * L1 * g)
q_of_u = 2 * u / (2 - u)  # inverse of u = L1 g eta_si = 2q/(2+q)


def _progress(name, eta_value, u_value, source, what):
    """Steps turning the progress ``source`` (in units of q) into f(x) - f_+(eta) >= target
    at ``eta = eta_value`` (``u_value`` the same step in natural units)."""
    gain = (g / L1 * -M.subs(u, u_value)).subs(q, q_of_g)
    floor = (g / L1 * q / (2 + q)).subs(q, q_of_g)
    return (
        Step(f"model_{name}", rel(fplus(eta_value), "<=", fx + model.subs(eta, eta_value)),
             Substitution("model", ((eta, eta_value),)), f"**Progress with {what}.** The model "
             "at that step ..."),
        Step(f"units_{name}", rel(fx + sp.Subs(model, eta, eta_value), "==", fx - gain),
             Algebra(), "... is, in units $g/L_1$ with $q = L_1 g/(L_0 + L_1 g)$, ..."),
        Step(f"scaled_{name}", rel(fx - gain, "<=", fx - floor),
             FromLemma(LM.ADD, ((LM.A, -gain), (LM.B, -floor), (LM.C, fx)), (FromLemma(
                 LM.SCALE, ((LM.A, q_of_g / (2 + q_of_g)), (LM.B, -M.subs(u, u_value).subs(
                     q, q_of_g)), (LM.C, g / L1)),
                 (Algebra(), Substitution(source, ((q, q_of_g),)))),)),
             "... at most the bound of the progress step times $g/L_1$ ..."),
        Step(f"target_{name}", rel(fx - floor, "==", fx - target), Algebra(),
             "... which is $f(x)$ minus the target $g^2/(2L_0 + 3L_1 g)$:"),
        Step(f"progress_{name}", rel(fx - fplus(eta_value), ">=", target),
             Chain((f"model_{name}", f"units_{name}", f"scaled_{name}", f"target_{name}")),
             f"**so {what} decreases $f$ by at least $g^2/(2L_0 + 3L_1 g)$.**"),
    )


MODEL = (
    Step("smooth_on_step", rel(H(tau), "<=", L0 + L1 * N(tau)),
         Assumption("$f$ is twice differentiable and $(L_0, L_1)$-smooth on the segment "
                    "from $x$ to $x^+ = x - \\eta\\nabla f(x)$ (length $r = \\eta g$): "
                    "$H(\\tau) \\le L_0 + L_1 N(\\tau)$ for $\\tau \\in [0, \\eta g]$"),
         "Let $f$ be $(L_0, L_1)$-smooth on the step's segment ...",
         where=((tau, sp.Interval(0, eta * g)),)),
    Step("model", rel(fplus(eta), "<=", fx + model),
         FromLemma(LM.EXP_DESCENT, ((LM.L0, L0), (LM.L1, L1), (LM.g, g), (LM.r, eta * g),
                                    (LM.lin, -eta * g**2), (LM.fy, fplus(eta))),
                   (Algebra(), Given("smooth_on_step"))),
         "... then for the step $x^+ = x - \\eta\\nabla f(x)$, $g = \\|\\nabla f(x)\\| > 0$, "
         "the exponential descent lemma (proved in `blog_condition_gap`) with $r = \\eta g$ "
         "and $\\ell = -\\eta g^2$ (so $|\\ell| = gr$) bounds $f_+(\\eta) = f(x^+)$ by $f(x)$ "
         "plus $m(\\eta)$:"),
    Step("units", rel(sp.Subs(L1 / g * model, (L0, eta), (L0_of_q, u / (L1 * g))), "==", M),
         Algebra(),
         "Natural units: with $u = L_1 g\\eta$ and $q = L_1 g/(L_0 + L_1 g) \\in (0, 1)$ "
         "(so $L_0 = L_1 g(1 - q)/q$), $\\frac{L_1}{g}m = M(u) = -u + \\varphi(u)/q$."),
    Step("stationary", rel(sp.Subs(sp.Derivative(M, u), u, u_star), "==", 0), Algebra(),
         "$M'(u) = -1 + (e^u - 1)/q$ vanishes at $u^* = \\ln(1 + q)$ ..."),
    Step("min_right", rel(M, ">=", M.subs(u, u_star)),
         Monotone(u, u_star, Monotone(u, u_star, Algebra())),
         "... $M$ increases to the right of $u^*$ ($M'(u^*) = 0$, $M'' = e^u/q > 0$) ..."),
    Step("min_left", rel(M.subs(u, u_star - z), ">=", M.subs(u, u_star)),
         Monotone(z, 0, Monotone(z, 0, Algebra()), end=u_star),
         "... and decreases towards it from the left ($u = u^* - z$, $0 < z < u^*$): $u^*$ is "
         "the global minimiser over $u > 0$."),
    Step("eta_star", rel(u_star / (L1 * g), "==", eta_star.subs(L0, L0_of_q)), Algebra(),
         "Back in $\\eta$: $\\eta^* = u^*/(L_1 g) = \\ln\\big(1 + \\frac{L_1 g}{L_0 + L_1 g}"
         "\\big)/(L_1 g)$."),
)

ORDERING = (
    Step("star_units", rel(sp.Subs(K * eta_star, L0, L0_of_q), "==", sp.log(1 + q) / q),
         Algebra(),
         "**Ordering.** In units of $1/(L_0 + L_1 g)$ (the blog's step): "
         "$(L_0 + L_1 g)\\eta^* = \\ln(1+q)/q$,"),
    Step("si_units", rel(sp.Subs(K * eta_si, L0, L0_of_q), "==", 2 / (2 + q)), Algebra(),
         "$(L_0 + L_1 g)\\eta_{si} = 2/(2 + q)$,"),
    Step("cl_units", rel(sp.Subs(sp.Min(K / (2 * L0), K / (3 * L1 * g)), L0, L0_of_q), "==",
                         sp.Min(1 / (2 * (1 - q)), 1 / (3 * q))), Algebra(),
         "$(L_0 + L_1 g)\\eta_{cl} = \\min\\{\\frac{1}{2(1-q)}, \\frac{1}{3q}\\}$."),
    Step("si_le_star", rel(2 / (2 + q), "<=", sp.log(1 + q) / q),
         PositiveFactor(1 / q, Monotone(q, 0, Algebra())),
         "$\\eta_{si} \\le \\eta^*$: $\\ln(1+q) - 2q/(2+q)$ vanishes at 0 and has derivative "
         "$q^2/((1+q)(2+q)^2) \\ge 0$."),
    Step("cl_le_si", rel(sp.Min(1 / (2 * (1 - q)), 1 / (3 * q)), "<=", 2 / (2 + q)),
         NoCounterexample(q, sp.Interval.open(0, 1)),
         "$\\eta_{cl} \\le \\eta_{si}$: the first entry of the min is below $2/(2+q)$ for "
         "$q \\le 2/5$, the second for $q \\ge 2/5$; sympy finds no $q \\in (0, 1)$ where the "
         "min exceeds it (equality at $q = 2/5$)."),
    Step("cl_eq_si_at", rel(sp.Subs(sp.Min(1 / (2 * (1 - q)), 1 / (3 * q)), q,
                                    sp.Rational(2, 5)), "==",
                            sp.Subs(2 / (2 + q), q, sp.Rational(2, 5))), Algebra(),
         "(At $q = 2/5$, i.e. $L_1 g = \\tfrac23 L_0$, the two coincide.)"),
)

PROGRESS = (
    Step("target_units", rel(sp.Subs(L1 / g * target, L0, L0_of_q), "==", q / (2 + q)),
         Algebra(),
         "**Progress.** The target $g^2/(2L_0 + 3L_1 g)$ in units $g/L_1$ is $q/(2+q)$."),
    Step("progress_star_q", rel(-M.subs(u, u_star), ">=", q / (2 + q)),
         PositiveFactor(1 / (q * (2 + q)),
                        Monotone(q, 0, Monotone(q, 0, Monotone(q, 0, Algebra())))),
         "With $\\eta^*$: $-M(u^*) = (1 + 1/q)\\ln(1+q) - 1$. Times $q(2+q)$, the "
         "difference is $S(q) = (1+q)(2+q)\\ln(1+q) - 2q - 2q^2$, with $S(0) = S'(0) = "
         "S''(0) = 0$ and $S''' = (1+2q)/(1+q)^2 > 0$; so $S > 0$ for $q > 0$."),
    Step("progress_star_numeric", rel(-M.subs(u, u_star), ">", q / (2 + q)),
         Numeric(q, sp.Rational(1, 10), 1, prec=200),
         "Independent numeric cross-check (labelled, not needed for the proof) on "
         "$q \\in [1/10, 1]$ by interval arithmetic at 200 bits. Near $q = 0$ the slack "
         "$S(q) \\approx q^3/6$ vanishes to third order, which is why a float64 check of "
         "this inequality reports false failures for small $q$."),
    Step("si_u", rel(sp.Subs(L1 * g * eta_si, L0, L0_of_q), "==", 2 * q / (2 + q)), Algebra(),
         "With $\\eta_{si}$: $u_{si} = L_1 g\\eta_{si} = 2q/(2+q) \\in (0, 2/3)$, i.e. "
         "$q = 2u/(2-u)$."),
    Step("progress_si_u", rel(-M.subs(q, q_of_u), ">=", u / 2),
         PositiveFactor(1 / (2 * u), Monotone(u, 0, Monotone(u, 0, Algebra()))),
         "Then $-M(u) - q/(2+q) = R(u)/(2u)$ with $R(u) = u^2 - (2-u)(e^u - 1 - u)$; "
         "$R(0) = R'(0) = 0$ and $R''(u) = ue^u \\ge 0$. The slack $R(u) \\approx u^3/6$ is "
         "cubic in $u$: the reason a float64 evaluation of this inequality reports false "
         "failures (the lab's numeric cross-checks of it use mpmath at high precision)."),
    Step("progress_si_q", rel(-M.subs(u, 2 * q / (2 + q)), ">=", q / (2 + q)),
         Substitution("progress_si_u", ((u, 2 * q / (2 + q)),)), "Back in $q$:"),
) + _progress("star", eta_star, sp.log(1 + q), "progress_star_q", "$\\eta^*$") \
  + _progress("si", eta_si, 2 * q / (2 + q), "progress_si_q", "$\\eta_{si}$")

_HEADLINE = ("min_right", "min_left", "si_le_star", "cl_le_si", "progress_star", "progress_si")
_claims = {step.label: step.claim for step in MODEL + ORDERING + PROGRESS}

DERIVATION = Derivation(
    name="exponential_steps",
    title="Step sizes from the exponential model and their one-step progress",
    statement=(
        "Let $f$ be $(L_0, L_1)$-smooth on the segment of a gradient step, $L_0, L_1 > 0$, "
        "$g = \\|\\nabla f(x)\\| > 0$, and $x^+ = x - \\eta\\nabla f(x)$. Then\n\n"
        "1. the bound $m(\\eta) = -\\eta g^2 + \\frac{L_0+L_1g}{L_1^2}\\varphi(L_1\\eta g)$ on "
        "$f(x^+) - f(x)$ is minimised over $\\eta > 0$ by $\\eta^* = \\ln\\big(1 + "
        "\\frac{L_1 g}{L_0 + L_1 g}\\big)/(L_1 g)$;\n"
        "2. $\\eta_{cl} \\le \\eta_{si} \\le \\eta^*$ for $\\eta_{si} = 1/(L_0 + 1.5L_1 g)$ and "
        "$\\eta_{cl} = \\min\\{1/(2L_0), 1/(3L_1 g)\\}$;\n"
        "3. with $\\eta = \\eta^*$ or $\\eta = \\eta_{si}$: $f(x) - f(x^+) \\ge "
        "g^2/(2L_0 + 3L_1 g)$."),
    steps=MODEL + ORDERING + PROGRESS + (
        Step("headline", Conjunction(tuple(_claims[label] for label in _HEADLINE)),
             AllOf(tuple(Given(label) for label in _HEADLINE)),
             "**The statement, checked:** (1) $u^* = L_1 g\\eta^*$ minimises $M$ on both sides; "
             "(2) $\\eta_{cl} \\le \\eta_{si} \\le \\eta^*$ in units of $1/(L_0 + L_1 g)$; "
             "(3) the progress with $\\eta^*$ and with $\\eta_{si}$."),),
    conclusion=(
        "The exponential model's optimal step $\\eta^*$ and its simple surrogate $\\eta_{si}$ "
        "both guarantee the progress $g^2/(2L_0 + 3L_1 g)$ per step; the clipping-style "
        "$\\eta_{cl}$ is never larger than $\\eta_{si}$. Compared with the blog's "
        "$1/(L_0 + L_1 g)$, which ignores the exponential growth, $\\eta^*(L_0 + L_1 g) = "
        "\\ln(1+q)/q \\in (\\ln 2, 1)$: the correct step is shorter, by up to the factor "
        "$\\ln 2$ when $L_0 \\ll L_1 g$. Everything is symbolic; the one numeric step is a "
        "labelled cross-check. The slack of the progress inequality is of third order near "
        "$q = 0$ (resp. $u = 0$), so floating-point checks of it must use high precision "
        "(mpmath), as the tests do."),
    provenance=(
        ("F", "$\\eta^*$, $\\eta_{si}$, $\\eta_{cl}$, the ordering and the progress bound "
              "(PAPER.md, Methods and Later results: one-step progress)."),
        ("D", "the proofs in natural units $q$, $u$ and the slack functions $S$, $R$: "
              "derived here."),
    ),
    symbols=((fplus(eta), "$f_+(\\eta) = f(x - \\eta\\nabla f(x))$, the value after a "
                          "gradient step of size $\\eta$"),),
    fixed=(g, L0, L1),
)
