"""The blog note's derivation, step by step, with the one unproved step made explicit."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (Algebra, Assumption, Chain, Cited, Derivation, FromLemma, Given,
                            Rewrite, Step, rel)
from lab.derivation import lemmas as LM

t = LM.t  # the lemma's integration variable, t in [0, 1]
L0, L1 = sp.symbols("L_0 L_1", positive=True)
g = sp.Symbol("g", positive=True)  # ||grad f(theta)||
delta = sp.Symbol("delta", nonnegative=True)  # ||Delta||
p = sp.Symbol("p", real=True)  # <grad f(theta), Delta>
eta = sp.Symbol("eta", positive=True)
u = sp.Symbol("u", positive=True)
w = sp.Symbol("w", nonnegative=True)
h = sp.Function("h", real=True)  # h(t) = f(theta + t Delta)
G = sp.Function("G", real=True)  # <grad f(theta + t Delta) - grad f(theta), Delta>
D = sp.Function("D", real=True)  # ||grad f(theta + t Delta) - grad f(theta)||

K = L0 + L1 * g
V = K * t * delta**2

# the chain rule in coordinates, n = 3: an instance sympy can check
_th = sp.symbols("theta_1:4", real=True)
_dl = sp.symbols("Delta_1:4", real=True)
_z = sp.symbols("z_1:4", real=True)
_f = sp.Function("f")
_pt = tuple(a + t * b for a, b in zip(_th, _dl))
CHAIN_3D = rel(sp.Derivative(_f(*_pt), t), "==",
               sp.Add(*(d * sp.Subs(sp.Derivative(_f(*_z), zi), _z, _pt)
                        for d, zi in zip(_dl, _z))))
model = (K * eta**2 / 2 - eta) * g**2  # the bound on f(theta+) - f(theta) along -grad f

STEPS = (
    Step("ftc", rel(h(1) - h(0), "==", sp.Integral(sp.Derivative(h(t), t), (t, 0, 1))),
         Algebra(),
         "Let $h(t) = f(\\theta + t\\Delta)$ for $t \\in [0, 1]$. The fundamental theorem of "
         "calculus (sympy evaluates the integral of a derivative of an undefined function):"),
    Step("chain_rule_3d", CHAIN_3D, Algebra(),
         "The chain rule behind the next step, checked by sympy in coordinates for $n = 3$ "
         "(with $f$ an undefined function): $\\frac{d}{dt}f(\\theta + t\\Delta) = "
         "\\sum_i \\Delta_i\\,\\partial_i f(\\theta + t\\Delta) = \\langle\\nabla f(\\theta + "
         "t\\Delta), \\Delta\\rangle$."),
    Step("chain_rule", rel(sp.Derivative(h(t), t), "==", p + G(t)),
         Cited("chain rule $h'(t) = \\langle \\nabla f(\\theta + t\\Delta), \\Delta\\rangle$ "
               "in any dimension (step 2 checks it for $n = 3$) and linearity of the inner "
               "product"),
         "By the chain rule, $h'(t) = \\langle\\nabla f(\\theta+t\\Delta), \\Delta\\rangle = "
         "p + G(t)$ with $p = \\langle\\nabla f(\\theta), \\Delta\\rangle$ and "
         "$G(t) = \\langle\\nabla f(\\theta+t\\Delta) - \\nabla f(\\theta), \\Delta\\rangle$."),
    Step("split", rel(h(1) - h(0), "==", p + sp.Integral(G(t), (t, 0, 1))),
         Rewrite("ftc", ("chain_rule",)),
         "Hence the blog's integral form:"),
    Step("cauchy_schwarz", rel(G(t), "<=", D(t) * delta),
         Cited("Cauchy-Schwarz: $\\langle v, \\Delta\\rangle \\le \\|v\\|\\,\\|\\Delta\\|$"),
         "With $D(t) = \\|\\nabla f(\\theta + t\\Delta) - \\nabla f(\\theta)\\|$ and "
         "$\\delta = \\|\\Delta\\|$, Cauchy-Schwarz bounds the integrand:"),
    Step("blog_condition", rel(D(t), "<=", K * t * delta),
         Assumption("the blog's first-order condition $\\|\\nabla f(\\theta + \\Delta') - "
                    "\\nabla f(\\theta)\\| \\le (L_0 + L_1\\|\\nabla f(\\theta)\\|)\\|\\Delta'\\|$ "
                    "for every displacement $\\Delta'$, used with $\\Delta' = t\\Delta$. It is "
                    "strictly stronger than (L0,L1)-smoothness and false for $e^x$ with "
                    "$(L_0, L_1) = (0, 1)$: see `blog_condition_gap`"),
         "**The step that needs an extra assumption.** The blog applies its condition to the "
         "displacement $t\\Delta$:"),
    Step("scaled", rel(delta * D(t), "<=", delta * K * t * delta),
         FromLemma(LM.SCALE, ((LM.A, D(t)), (LM.B, K * t * delta), (LM.C, delta)),
                   (Algebra(), Given("blog_condition"))),
         "Multiplying by $\\delta \\ge 0$:"),
    Step("integrand", rel(G(t), "<=", V), Chain(("cauchy_schwarz", "scaled")),
         "so the integrand is at most $(L_0 + L_1 g)\\,t\\,\\delta^2$:"),
    Step("integrate", rel(sp.Integral(G(t), (t, 0, 1)), "<=", sp.Integral(V, (t, 0, 1))),
         FromLemma(LM.INTEGRAL_01, ((LM.U, G(t)), (LM.V, V)), (Given("integrand"),)),
         "Integrating over $[0, 1]$:"),
    Step("add_p", rel(p + sp.Integral(G(t), (t, 0, 1)), "<=", p + sp.Integral(V, (t, 0, 1))),
         FromLemma(LM.ADD, ((LM.A, sp.Integral(G(t), (t, 0, 1))),
                            (LM.B, sp.Integral(V, (t, 0, 1))), (LM.C, p)),
                   (Given("integrate"),)),
         "Adding $p$ to both sides:"),
    Step("evaluate", rel(p + sp.Integral(V, (t, 0, 1)), "==", p + K * delta**2 / 2),
         Algebra(), "The remaining integral is elementary:"),
    Step("descent_bound", rel(h(1) - h(0), "<=", p + K * delta**2 / 2),
         Chain(("split", "add_p", "evaluate")),
         "Together, the blog's descent inequality $f(\\theta+\\Delta) - f(\\theta) \\le "
         "\\langle\\nabla f(\\theta), \\Delta\\rangle + \\tfrac12(L_0 + L_1 g)\\|\\Delta\\|^2$:"),
    Step("gd_inner", rel(p, "==", -eta * g**2),
         Cited("for $\\Delta = -\\eta\\nabla f(\\theta)$: $\\langle\\nabla f(\\theta), "
               "\\Delta\\rangle = -\\eta\\|\\nabla f(\\theta)\\|^2$ and "
               "$\\|\\Delta\\| = \\eta\\|\\nabla f(\\theta)\\|$ (bilinearity and homogeneity)"),
         "Now the gradient step $\\Delta = -\\eta\\nabla f(\\theta)$, $\\eta > 0$, "
         "$g = \\|\\nabla f(\\theta)\\| > 0$: $p = -\\eta g^2$ ..."),
    Step("gd_norm", rel(delta, "==", eta * g),
         Cited("for $\\Delta = -\\eta\\nabla f(\\theta)$: $\\langle\\nabla f(\\theta), "
               "\\Delta\\rangle = -\\eta\\|\\nabla f(\\theta)\\|^2$ and "
               "$\\|\\Delta\\| = \\eta\\|\\nabla f(\\theta)\\|$ (bilinearity and homogeneity)"),
         "... and $\\delta = \\eta g$."),
    Step("gd_bound", rel(h(1) - h(0), "<=", model), Rewrite("descent_bound",
                                                             ("gd_inner", "gd_norm")),
         "So one gradient step changes $f$ by at most $\\big(\\tfrac12(L_0+L_1g)\\eta^2 - "
         "\\eta\\big)g^2$:"),
    Step("reparam", rel((2 / (K * (1 + u))).subs(u, 2 / (K * eta) - 1), "==", eta), Algebra(),
         "The descent condition. Every $\\eta > 0$ is $\\eta = 2/((L_0+L_1g)(1+u))$ with "
         "$u = 2/((L_0+L_1g)\\eta) - 1 > -1$; $u > 0$ exactly when $\\eta < 2/(L_0+L_1 g)$:"),
    Step("descent_if", rel(model.subs(eta, 2 / (K * (1 + u))), "<", 0), Algebra(),
         "For $u > 0$, i.e. $\\eta < 2/(L_0 + L_1 g)$, the bound is negative: guaranteed "
         "descent ..."),
    Step("no_guarantee_else", rel(model.subs(eta, 2 * (1 + w) / K), ">=", 0), Algebra(),
         "... while for $\\eta = 2(1+w)/(L_0+L_1g)$, $w \\ge 0$, i.e. $\\eta \\ge "
         "2/(L_0+L_1g)$, the bound is nonnegative and guarantees nothing. This is the blog's "
         "$\\eta < 2/(L_0 + L_1\\|g\\|)$."),
    Step("stationary", rel(sp.Subs(sp.Derivative(model, eta), eta, 1 / K), "==", 0),
         Algebra(),
         "The bound is a convex quadratic in $\\eta$; its derivative vanishes at "
         "$\\eta = 1/(L_0 + L_1 g)$ ..."),
    Step("convex", rel(sp.Derivative(model, (eta, 2)), ">", 0), Algebra(),
         "... and its second derivative is positive ..."),
    Step("minimum", rel(model, ">=", -g**2 / (2 * K)), Algebra(),
         "... so it is minimised there, with minimum value $-g^2/(2(L_0 + L_1 g))$ ..."),
    Step("min_value", rel(model.subs(eta, 1 / K), "==", -g**2 / (2 * K)), Algebra(),
         "... attained at $\\eta = 1/(L_0+L_1g)$: the blog's \"optimal\" step, optimal for "
         "the quadratic model only."),
    Step("normalized_form", rel(1 / K, "==", (1 / L1) / (g + L0 / L1)), Algebra(),
         "The resulting update $\\theta \\leftarrow \\theta - \\nabla f(\\theta)/(L_0 + L_1 g)$ "
         "is normalized GD $h_n = \\eta_n/(g + \\beta)$ with $\\eta_n = 1/L_1$ and "
         "$\\beta = L_0/L_1$."),
    Step("below_clipping",
         rel(1 / K, "<=", sp.Min(1, (L0 / L1) / g) / L0),
         FromLemma(LM.SCALE, ((LM.A, (L0 / L1) / (g + L0 / L1)),
                              (LM.B, sp.Min(1, (L0 / L1) / g)), (LM.C, 1 / L0)),
                   (Algebra(), FromLemma(LM.NORMALIZED_LE_CLIPPED,
                                         ((LM.a, g), (LM.gam, L0 / L1))))),
         "Is it clipping? The paper's map gives the clipping parameters $\\eta_c = "
         "\\eta_n/\\beta = 1/L_0$ and $\\gamma = \\beta = L_0/L_1$, i.e. the clipped step "
         "$h_c = \\frac{1}{L_0}\\min\\{1, \\frac{L_0}{L_1 g}\\}$. The blog's step is at most "
         "$h_c$ ..."),
    Step("above_half_clipping",
         rel(sp.Min(1, (L0 / L1) / g) / L0, "<=", 2 / K),
         FromLemma(LM.SCALE, ((LM.A, sp.Min(1, (L0 / L1) / g)),
                              (LM.B, 2 * (L0 / L1) / (g + L0 / L1)), (LM.C, 1 / L0)),
                   (Algebra(), FromLemma(LM.CLIPPED_LE_TWICE_NORMALIZED,
                                         ((LM.a, g), (LM.gam, L0 / L1))))),
         "... and at least $h_c/2$."),
    Step("not_equal", rel(sp.Subs(sp.Min(1, (L0 / L1) / g) / L0 - 1 / K, g, L0 / L1), "==",
                         1 / (2 * L0)), Algebra(),
         "The two are not equal: at $g = L_0/L_1$ (the clipping threshold) $h_c - h_n = "
         "1/(2L_0) = h_n$, the factor 2 exactly."),
)

DERIVATION = Derivation(
    name="blog_derivation",
    title="The blog's derivation: descent condition, \"optimal\" step, and clipping",
    statement=(
        "Assume the blog's first-order condition $\\|\\nabla f(\\theta+\\Delta) - "
        "\\nabla f(\\theta)\\| \\le (L_0 + L_1\\|\\nabla f(\\theta)\\|)\\|\\Delta\\|$ for all "
        "$\\Delta$ (with $L_0, L_1 > 0$). Then\n\n"
        "1. $f(\\theta+\\Delta) - f(\\theta) = \\langle\\nabla f(\\theta), \\Delta\\rangle + "
        "\\int_0^1 \\langle\\nabla f(\\theta + t\\Delta) - \\nabla f(\\theta), \\Delta\\rangle "
        "dt \\le \\langle\\nabla f(\\theta), \\Delta\\rangle + \\tfrac12(L_0 + L_1 g)"
        "\\|\\Delta\\|^2$, $g = \\|\\nabla f(\\theta)\\|$;\n"
        "2. for the gradient step $\\Delta = -\\eta\\nabla f(\\theta)$ this bound guarantees "
        "descent exactly when $0 < \\eta < 2/(L_0 + L_1 g)$;\n"
        "3. the bound is minimised by $\\eta = 1/(L_0 + L_1 g)$, giving the update "
        "$\\theta \\leftarrow \\theta - \\nabla f(\\theta)/(L_0 + L_1 g)$ with guaranteed "
        "decrease $g^2/(2(L_0 + L_1 g))$;\n"
        "4. that update is normalized GD with $\\eta_n = 1/L_1$, $\\beta = L_0/L_1$, and it "
        "lies between $h_c/2$ and $h_c$ for clipped GD with $\\eta_c = 1/L_0$, "
        "$\\gamma = L_0/L_1$: it \"is\" clipping only up to the factor 2."),
    steps=STEPS,
    conclusion=(
        "Every algebraic step of the blog checks. The derivation rests on one assumption "
        "that is *not* (L0,L1)-smoothness: the first-order condition for all $\\Delta$ "
        "(step 6), which fails already for $e^x$ (`blog_condition_gap`). Under that "
        "assumption the descent condition is $\\eta < 2/(L_0 + L_1\\|g\\|)$, the model-optimal "
        "step is $1/(L_0 + L_1\\|g\\|)$, and the update is normalized GD with "
        "$\\eta_n = 1/L_1$, $\\beta = L_0/L_1$; it equals clipped GD ($\\eta_c = 1/L_0$, "
        "$\\gamma = L_0/L_1$) only up to a factor between 1 and 2, exactly 2 at "
        "$\\|g\\| = L_0/L_1$. The blog's \"equivalent\" should read \"equivalent up to the "
        "factor 2\"."),
    provenance=(
        ("Q", "the blog note (seeds/001): the integral form, the descent inequality, "
              "$\\eta < 2/(L_0 + L_1\\|g\\|)$, the step $1/(L_0 + L_1\\|g\\|)$ and the claim "
              "that this is clipping."),
        ("D", "PAPER.md, Methods: the \"optimal\" step from the quadratic model; the "
              "normalized-GD reading $\\eta_n = 1/L_1$, $\\beta = L_0/L_1$; the factor 2."),
        ("Q", "PAPER.md, Methods: the map $\\gamma\\eta_c = \\eta_n$, $\\eta_c = "
              "\\eta_n/\\beta$."),
    ),
    symbols=((g, "$\\|\\nabla f(\\theta)\\|$"), (delta, "$\\|\\Delta\\|$"),
             (p, "$\\langle\\nabla f(\\theta), \\Delta\\rangle$"),
             (h(t), "$f(\\theta + t\\Delta)$"),
             (G(t), "$\\langle\\nabla f(\\theta+t\\Delta) - \\nabla f(\\theta), "
                    "\\Delta\\rangle$"),
             (D(t), "$\\|\\nabla f(\\theta+t\\Delta) - \\nabla f(\\theta)\\|$"),
             (eta, "the step size")),
)
