"""Worst cases over the whole univariate (L0, L1)-smooth class.

The members are :mod:`lab.functions.controlled` (``u' = s(L0 + L1|u|)``, ``|s| <= 1``). For
each kind of claim the adversary searches the class and reports only *certified* worst cases:
explicit members replayed in the engine and in mpmath.

* iteration upper bounds: :func:`iteration_worst` (largest ``T_ε/B``);
* lower bounds: :func:`lower_bound_worst` (a hard member per parameter value);
* descent inequalities: :func:`descent_worst`; smoothness claims: :func:`smoothness_worst`;
* the calibration anchor (L1 = 0, GD): :func:`gd_worst_rate`;
* claims with ``[class] whole = "1d"``: :func:`whole_class_observations` (any kind).

Examples
--------
>>> r = gd_worst_rate(0.5, 5)
>>> r.rate >= 0.99 * r.tight
True
"""

from lab.adversary.calibration import gd_worst_rate, pepit_gd_rate, tight_rate
from lab.adversary.certificate import Certificate
from lab.adversary.inequalities import descent_worst, smoothness_worst
from lab.adversary.problem import ADVERSARY_BUDGETS, IterationProblem, adversary_budget
from lab.adversary.search import COVERED, WorstCase, iteration_worst, lower_bound_worst
from lab.adversary.whole import whole_class_observations

__all__ = ["gd_worst_rate", "pepit_gd_rate", "tight_rate", "Certificate", "descent_worst",
           "smoothness_worst", "IterationProblem", "ADVERSARY_BUDGETS", "adversary_budget",
           "COVERED", "WorstCase", "iteration_worst", "lower_bound_worst",
           "whole_class_observations"]
