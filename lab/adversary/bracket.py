"""Brackets for the constants of a derived bound: [the adversary's value, the derived value].

A derivation proves ``T_ε <= Σ_i c_i term_i`` with explicit constants ``c_i`` (Theorem 3:
``(45/4) L0Δ/ε² + (9/80) max{1, 100 L1²} Δ/L0``, ``proofs/clipped_gd_complexity.md``). For
each i, any valid constant ``c_i'`` (the others kept at their derived values) satisfies
``c_i' >= (T_ε - Σ_{j≠i} c_j term_j)/term_i`` at every instance; the adversary maximises the
right side over the whole class (the same designed-run search, with this *score* in place of
``T/B``) and certifies it by replay. So the true constant lies in
``[adversary's value, derived value]``.

Examples
--------
>>> from lab.methods import gd
>>> terms = [("L0*Delta/eps**2", lambda L0, L1, eps, d, m: L0 * d / eps**2, 2.0)]
>>> [b] = constant_brackets(lambda L0, L1, eps, d, m: gd(h=1.0 / L0), terms, [(1.0, 0.0)],
...                         budget={"size": 8, "n_max": 50, "eps_points": 2, "m_points": 1,
...                                 "refine": 0, "restarts": 0, "draws": 0, "polish": 0})
>>> 1.9 < b.value <= 2.0 == b.derived        # GD with h = 1/L: 2 L Δ/ε² is tight
True
"""

from __future__ import annotations

from dataclasses import dataclass

from lab.adversary import iteration
from lab.adversary.certificate import Certificate
from lab.adversary.problem import IterationProblem, adversary_budget
from lab.methods import theorem3_clipped
from lab.writing import format_float


@dataclass(frozen=True)
class Bracket:
    """``value <= c <= derived`` for the constant of ``term``.

    Attributes
    ----------
    term : str
    value : float
        The adversary's certified lower bound on the constant.
    derived : float
        The derivation's constant.
    certificate : Certificate
        The member and replay that give ``value``.
    """

    term: str
    value: float
    derived: float
    certificate: Certificate

    def describe(self) -> str:
        """``[value, derived]`` for the term, four digits rounded outwards (the lower end
        down, the upper end up), so that the interval shown contains the one computed."""
        return (f"{self.term}: [{format_float(self.value, 4, 'down')}, "
                f"{format_float(self.derived, 4, 'up')}]")


def constant_brackets(method, terms, pairs, *, budget="default", method_uses=frozenset(),
                      max_cap: int = 10**7) -> list[Bracket]:
    """One :class:`Bracket` per ``(name, term(L0, L1, eps, Delta, M), derived constant)``."""
    settings = adversary_budget(budget)
    out = []
    for i, (name, term, derived) in enumerate(terms):
        others = [(t, c) for j, (_, t, c) in enumerate(terms) if j != i]

        def score(T, L0, L1, eps, d, m, term=term, others=others):
            rest = sum(c * t(L0, L1, eps, d, m) for t, c in others)
            return (T - rest) / term(L0, L1, eps, d, m)

        def bound(L0, L1, eps, d, m):
            return sum(c * t(L0, L1, eps, d, m) for _, t, c in terms)

        problem = IterationProblem(method, bound, method_uses, frozenset({"Delta"}),
                                   name=name, score=score)
        designs = iteration.assemble([iteration.run_task(problem, t) for t in
                                      iteration.tasks_for(problem, pairs, settings)])
        best = iteration.refine(problem, max(designs, key=lambda d: d.ratio), settings)
        cert = iteration.certify(problem, best, max_cap)
        t = cert.cap + 1 if cert.t is None else cert.t
        value = score(t, cert.L0, cert.L1, cert.eps, cert.delta, cert.sup_grad)
        out.append(Bracket(name, float(value), float(derived), cert))
    return out


def theorem3_brackets(pairs, *, budget="default") -> list[Bracket]:
    """Theorem 3's two constants against ``proofs/clipped_gd_complexity`` (45/4 and 9/80)."""
    terms = [("L0*Delta/eps**2", lambda L0, L1, eps, d, m: L0 * d / eps**2, 45 / 4),
             ("max(1, 100*L1**2)*Delta/L0",
              lambda L0, L1, eps, d, m: max(1.0, 100 * L1**2) * d / L0, 9 / 80)]
    return constant_brackets(lambda L0, L1, eps, d, m: theorem3_clipped(L0, L1), terms,
                             pairs, budget=budget)


__all__ = ["Bracket", "constant_brackets", "theorem3_brackets"]
