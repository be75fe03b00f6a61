"""The elementary lemmas the other derivations use, proved once: the order lemmas (scale by
C >= 0, add to both sides, add two inequalities, a positive factor in a min, monotonicity of
the integral) and the telescoping lemma that turns a per-step decrease into an iteration
count."""

from __future__ import annotations

import sympy as sp

from lab.derivation import (Algebra, Assumption, Cases, Chain, Cited, Derivation, Step,
                            Substitution, rel)
from lab.derivation import lemmas as LM

A, B, C, P, Q = LM.A, LM.B, LM.C, LM.P, LM.Q
t = LM.t
b = sp.Symbol("b", nonnegative=True)  # the upper end of the integration range
U, V = LM.U(t), LM.V(t)
NONNEG = sp.Interval(0, sp.oo)
a, f0, fz, Delta = LM.a, LM.f0, LM.fz, LM.Delta
T = LM.T
k = sp.Symbol("k", nonnegative=True)  # the index of an iterate
Fk, Fk1 = sp.Symbol("f(x_{k})", real=True), sp.Symbol("f(x_{k+1})", real=True)
FT = sp.Symbol("f(x_{T})", real=True)

STEPS = (
    # ------------------------------------------------------------------ order lemmas
    Step("scale", rel(C * A, "<=", C * B), Algebra(),
         "**Multiply by a nonnegative number.** For $C \\ge 0$ and $B \\ge A$, "
         "$CB - CA = C(B - A) \\ge 0$ (the checker writes $C = c'$, $B = A + b'$ with "
         "$b', c' \\ge 0$):", where=((C, NONNEG), (B, sp.Interval(A, sp.oo)))),
    Step("add", rel(A + C, "<=", B + C), Algebra(),
         "**Add to both sides.** For $B \\ge A$:", where=((B, sp.Interval(A, sp.oo)),)),
    Step("add_both", rel(A + P, "<=", B + Q), Algebra(),
         "**Add two inequalities.** For $B \\ge A$ and $Q \\ge P$:",
         where=((B, sp.Interval(A, sp.oo)), (Q, sp.Interval(P, sp.oo)))),
    Step("min_scale", LM.MIN_SCALE.conclusion,
         Cases(B, ((sp.Interval(-sp.oo, A), Algebra()), (sp.Interval(A, sp.oo), Algebra()))),
         "**A positive factor moves into a min.** For $C > 0$: when $B \\le A$ both sides "
         "are $CB$, when $B \\ge A$ both are $CA$:",
         where=((C, sp.Interval.open(0, sp.oo)),)),
    Step("linearity", rel(sp.Integral(V, (t, 0, b)) - sp.Integral(U, (t, 0, b)), "==",
                          sp.Integral(V - U, (t, 0, b))), Algebra(),
         "**Monotonicity of the integral.** For functions $U$, $V$ on $[0, b]$, linearity:"),
    Step("positivity", rel(sp.Integral(V - U, (t, 0, b)), ">=", 0),
         Cited("positivity of the integral: for $b \\ge 0$, a function that is nonnegative on "
               "$[0, b]$ has a nonnegative integral over $[0, b]$ (here $V - U \\ge 0$, the "
               "hypothesis $U \\le V$ on $[0, b]$)"),
         "If $U \\le V$ on $[0, b]$, $b \\ge 0$, the integral of $V - U \\ge 0$ is nonnegative "
         "(for $b < 0$ it would not be: the integral from 0 to $b$ reverses the order):"),
    Step("integral", LM.integral_monotone(t, b).conclusion, Chain(("linearity", "positivity")),
         "so $\\int_0^b U\\,dt \\le \\int_0^b V\\,dt$."),
    # ------------------------------------------------------------------ telescoping
    Step("induction_step", rel(Fk1, "<=", f0 - (k + 1) * a), Algebra(),
         "**Telescoping.** Along the iterates $x_0, x_1, \\dots$: if $f(x_k) \\le f(x_0) - ka$ "
         "and the step from $x_k$ decreases $f$ by at least $a$, then "
         "$f(x_{k+1}) \\le f(x_0) - (k+1)a$ ...",
         where=((Fk1, sp.Interval(-sp.oo, Fk - a)), (Fk, sp.Interval(-sp.oo, f0 - k * a)))),
    Step("sublevel", rel(Fk, "<=", f0), Algebra(),
         "... and, for $a \\ge 0$, $f(x_k) \\le f(x_0) - ka$ keeps $x_k$ in the initial "
         "sublevel set:", where=((Fk, sp.Interval(-sp.oo, f0 - k * a)), (a, NONNEG))),
    Step("induction", rel(FT, "<=", f0 - T * a),
         Cited("induction on $k = 0, 1, \\dots, T$: $f(x_0) \\le f(x_0) - 0\\cdot a$; for $k < T$ "
               "the iterate $x_k$ has $\\|\\nabla f(x_k)\\| > \\epsilon$ (it comes before the "
               "first $\\epsilon$-stationary one) and $f(x_k) \\le f(x_0)$ ([[sublevel]]), so the "
               "lemma's hypothesis gives the decrease and [[induction_step]] the bound at $k + 1$"),
         "By induction (the lemma's per-step hypothesis applies to each $x_k$, $k < T$), "
         "the first $\\epsilon$-stationary iterate $x_T$ satisfies"),
    Step("bounded_below", LM.BOUNDED_BELOW,
         Assumption("$f(z) \\ge f(x_0) - \\Delta$ at every point $z$: $f$ is bounded below by "
                    "$f^* = f(x_0) - \\Delta$ (the lemma's hypothesis)"),
         "The lemma assumes $f \\ge f(x_0) - \\Delta$ ..."),
    Step("at_T", rel(f0 - Delta, "<=", FT), Substitution("bounded_below", ((fz, FT),)),
         "... in particular at $x_T$:"),
    Step("telescoped", LM.TELESCOPE.conclusion, Chain(("at_T", "induction")),
         "**The telescoping lemma:** $f(x_0) - \\Delta \\le f(x_T) \\le f(x_0) - Ta$, so "
         "$Ta \\le \\Delta$."),
)

DERIVATION = Derivation(
    name="order_lemmas",
    title="The elementary lemmas: order, integral monotonicity, telescoping",
    statement=(
        "1. If $C \\ge 0$ and $A \\le B$ then $CA \\le CB$; if $A \\le B$ then $A + C \\le "
        "B + C$; if $A \\le B$ and $P \\le Q$ then $A + P \\le B + Q$; if $C > 0$ then "
        "$C\\min\\{A, B\\} = \\min\\{CA, CB\\}$.\n"
        "2. If $b \\ge 0$ and $U \\le V$ on $[0, b]$ then $\\int_0^b U \\le \\int_0^b V$.\n"
        "3. (Telescoping) If $f \\ge f(x_0) - \\Delta$ and every iterate $x$ with "
        "$\\|\\nabla f(x)\\| > \\epsilon$ and $f(x) \\le f(x_0)$ is followed by one with "
        "$f(x^+) \\le f(x) - a$, $a \\ge 0$, then the number $T$ of iterates before the "
        "first $\\epsilon$-stationary one satisfies $Ta \\le \\Delta$."),
    steps=STEPS,
    conclusion=(
        "Each lemma of `lab/derivation/lemmas.py` that names this document is concluded by a "
        "verified step above, with a range of validity implied by the lemma's hypotheses "
        "(checked by `python -m lab derive --all --check`). Two standard facts are cited: "
        "the positivity of the integral and induction on the iterates."),
    provenance=(("D", "textbook facts, stated here once so that the other derivations can "
                      "cite them by name with checked hypotheses."),),
    symbols=tuple((sym, "a real number (an order lemma's variable)") for sym in (A, B, C, P, Q))
    + ((U, "a function on $[0, b]$ (integrand)"), (V, "a function on $[0, b]$ (integrand)"),
       (b, "the upper end of the integration range"),
       (Fk, "the value of $f$ at the iterate $x_k$"),
       (Fk1, "the value of $f$ at the iterate $x_{k+1}$"), (k, "an iterate's index"),
       (FT, "the value of $f$ at the first $\\epsilon$-stationary iterate $x_T$")),
)
