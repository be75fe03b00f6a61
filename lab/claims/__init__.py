"""Claims as data: the catalogue of theorems and facts, and three ways to check them.

A claim states a function class, method parameters as formulas in (L0, L1, ε, Δ, M, τ), a
bound as a sympy expression, its source with a provenance tag, and the lab's recorded
expectation. :func:`check_claim` answers "no counterexample in N trials; worst
observed/bound ratio r at (f, x0, ε)" or gives a shrunk counterexample.

Examples
--------
The catalogue:

>>> from lab.claims import catalog, check_claim
>>> v = check_claim("mistake-exp-sum-l0-zero", budget="quick")
>>> v.verdict, v.counterexample.split(" [")[0]
('refuted', 'x = 0.0 with (L0, L1) = (0, 1)')

A claim of your own in about ten lines: is Theorem 3's constant 20 in front of L0Δ/ε²
loose, so that 5 would do? (Hypothesis draws zoo members with valid (L0, L1), start points
and ε; the engine runs clipped GD with Theorem 3's parameters.)

>>> import sympy as sp
>>> from lab.claims import Claim, IterationBound, iteration_search
>>> from lab.claims.claim import L0, L1, EPS, DELTA
>>> from lab.methods import theorem3_clipped
>>> bound = 5 * L0 * DELTA / EPS**2 + 20 * sp.Max(1, L1**2) * DELTA / L0
>>> spec = IterationBound(lambda f, eps, delta, M: theorem3_clipped(f.L0, f.L1), bound)
>>> mine = Claim(name="theorem3-constant-5", title="Theorem 3 with 5 L0Δ/ε²",
...              source="my conjecture", tag="D", kind="upper-bound", expected="holds",
...              statement="T_ε <= bound", checks=(iteration_search(spec),), bound=bound)
>>> v = check_claim(mine, budget="quick")
>>> v.verdict, v.worst_ratio < 1
('holds', True)
"""

from lab.claims.catalog import catalog
from lab.claims.check import check_all, check_claim, get_claim
from lab.claims.claim import (BUDGETS, Budget, Claim, ClaimVerdict, Observation, Prove, Search,
                              Sweep)
from lab.claims.complexity import IterationBound, iteration_search, iteration_sweep

__all__ = ["catalog", "get_claim", "check_claim", "check_all", "Claim", "ClaimVerdict",
           "Observation", "Search", "Sweep", "Prove", "Budget", "BUDGETS", "IterationBound",
           "iteration_search", "iteration_sweep"]
