"""Members on which a method cycles forever: ``T_ε = ∞``, certified without an infinite replay.

:func:`lab.adversary.build.cycle_member` builds an even member with plateaus ``f' = ±g``
around ``±x_a``, ``x_a = h(g) g/2``: the method steps from one plateau to the other. The
certificate is exact: the iterates alternate between the two plateaus, on which f' is
constant, and the drift per period ``|h g - h' g'|`` (``g'`` the other plateau's value, equal
to g up to rounding) keeps them on the plateaus (half-width w) for more than ``floor(B) + 1``
iterations; a prefix is also replayed in both arithmetics.

Examples
--------
>>> from lab.adversary.problem import IterationProblem
>>> from lab.methods import gd
>>> p = IterationProblem(method=lambda L0, L1, eps, d, m: gd(h=4.0),
...                      bound=lambda L0, L1, eps, d, m: 1000.0)
>>> c = cycle_certificate(p, L0=1.0, L1=1.0, eps=0.5, M=2.0)
>>> c.t is None and c.ratio > 1        # never reaches eps
True
"""

from __future__ import annotations

import math

import mpmath

from lab.adversary.build import cycle_member
from lab.adversary.certificate import Certificate
from lab.adversary.problem import IterationProblem
from lab.adversary.replay import replay

#: prefix of a cycle replayed in both arithmetics (the rest is the drift argument)
_CYCLE_PREFIX = 200


def cycle_certificate(problem: IterationProblem, *, L0: float, L1: float, eps: float,
                      M: float) -> Certificate | None:
    """A certified cycle at ``g = M`` (None when the step is too short for one)."""
    method = problem.method(L0, L1, eps, math.nan, M)
    try:
        run = cycle_member(L0, L1, method, M)
    except ValueError:
        return None
    member = run.member
    x0 = run.iterates[0]
    delta, m = member.gap(x0), member.sublevel_sup_grad(x0)
    method = problem.method(L0, L1, eps, delta, m)
    b = problem.bound(L0, L1, eps, delta, m)
    r = replay(member, x0=x0, eps=eps, method=method, bound=b, cap=_CYCLE_PREFIX)
    if r.t_certified is not None or not _drift_ok(member, method, x0, run.plateau, b):
        return None
    cap = int(min(max(math.floor(b) + 1, _CYCLE_PREFIX), 10**12))
    recipe = dict(L0=L0, L1=L1, method=method, grad=M)
    return Certificate(L0, L1, eps, x0, delta, m, b, None, None, cap, repr(method), recipe,
                       "cycle")


def _drift_ok(member, method, x0: float, w: float, bound: float) -> bool:
    """The iterates stay on the plateaus for ``floor(B) + 1`` iterations (exact values)."""
    with mpmath.workdps(40):
        g_right, g_left = member.u_mp(x0), member.u_mp(-x0)
        h_right = mpmath.mpf(float(method.step([abs(float(g_right))])[0]))
        h_left = mpmath.mpf(float(method.step([abs(float(g_left))])[0]))
        drift = abs(h_right * g_right + h_left * g_left)  # change of x over one period
        drift += 4 * mpmath.mpf(math.ulp(abs(x0)))          # float rounding of two updates
        periods = (math.floor(bound) + 2) / 2 if math.isfinite(bound) else math.inf
        return bool(drift * periods < mpmath.mpf(w) / 2)
