"""The calibration anchor: GD with step h/L on L-smooth functions (L1 = 0), exact worst case.

For ``0 < h <= 1`` the tight bound (PAPER.md, "Calibration anchor"; Rotaru, Glineur,
Patrinos 2024; Abbaszadehpeivasti, de Klerk, Zamani 2022 for h = 1) is

    min_{0<=k<=N} |f'(x_k)|² <= 2 L (f(x_0) - f*) / (1 + N h (2 - h/2)).

:func:`gd_worst_rate` runs the lab's adversary (the designed-run recursion of
:mod:`lab.adversary.monotone`, then an explicit member and its replay) and returns the
*certified* value of ``min_k |f'(x_k)|² / (2 L Δ)`` on the member it builds: it may never exceed
the tight rate (that would contradict the theorem) and must come within 1% of it.
:func:`pepit_gd_rate` computes the same worst case independently with PEPit (performance
estimation by semidefinite programming; optional dependency) as an upper bound.

Examples
--------
>>> r = gd_worst_rate(1.0, 2)
>>> round(r.tight, 6), r.rate <= r.tight, r.rate >= 0.99 * r.tight
(0.25, True, True)
"""

from __future__ import annotations

from dataclasses import dataclass

import mpmath
import numpy as np

from lab.adversary.build import member_from_run
from lab.adversary.monotone import least_gap
from lab.engine import run_batch
from lab.functions.controlled import ControlledMember
from lab.methods import gd


@dataclass(frozen=True)
class CalibrationResult:
    """The adversary's certified rate against the tight one.

    Attributes
    ----------
    h, N, L : float, int, float
    rate : float
        ``min_{k<=N} |f'(x_k)|² / (2 L Δ)`` on the member (replayed: engine, and mpmath for
        the gradients and Δ).
    tight : float
        ``1/(1 + N h (2 - h/2))``.
    member : ControlledMember
    gradients : tuple
        The designed ``g_0..g_N``.
    """

    h: float
    N: int
    L: float
    rate: float
    tight: float
    member: ControlledMember
    gradients: tuple


def tight_rate(h: float, N: int) -> float:
    """``1/(1 + N h (2 - h/2))``: the exact worst case of ``min |f'|²/(2LΔ)`` for h in (0, 1]."""
    return 1.0 / (1.0 + N * h * (2.0 - h / 2.0))


def gd_worst_rate(h: float, N: int, *, L: float = 1.0, size: int = 8) -> CalibrationResult:
    """The adversary's certified worst case of GD with step h/L after N steps (L1 = 0)."""
    method = gd(h=h / L)
    sol = least_gap(L0=L, L1=0.0, eps=1.0, step=method.step, n_max=N, g_max=4.0, size=size)
    grads = sol.gradients(N)
    run = member_from_run(L, 0.0, method, grads)
    member = run.member
    r = run_batch(member, method, [[0.0]], eps=0.0, max_iter=N, record_every=1)
    g_engine = float(np.min(r.trajectory.grad_norm[: N + 1, 0]))
    with mpmath.workdps(40):
        x = mpmath.mpf(0)
        g_mp = mpmath.inf
        for _ in range(N + 1):
            g = member.u_mp(x)
            g_mp = min(g_mp, abs(g))
            x = x - mpmath.mpf(h / L) * g
        delta = member.f_mp(0.0) - member.f_star_mp
        rate = float(min(mpmath.mpf(g_engine), g_mp) ** 2 / (2 * L * delta))
    return CalibrationResult(h, N, L, rate, tight_rate(h, N), member,
                             tuple(float(v) for v in grads))


def pepit_gd_rate(h: float, N: int, *, L: float = 1.0) -> float:
    """PEPit's worst case of ``min_{k<=N} |f'(x_k)|²`` for ``f(x_0) - f* <= 1`` (divided by 2L).

    The nonconvex L-smooth class of PEPit knows f* only through a stationary point, which
    leaves the problem unbounded; the valid consequences ``f(x_k) - f* >= |f'(x_k)|²/(2L)``
    of ``f >= f*`` are added as constraints (an upper bound on the true worst case, tight
    here). Needs ``pip install pepit`` (the ``test`` extra) and an SDP solver (Clarabel or
    SCS, installed with cvxpy).
    """
    from PEPit import PEP
    from PEPit.functions import SmoothFunction

    problem = PEP()
    f = problem.declare_function(SmoothFunction, L=L)
    fs = f(f.stationary_point())
    x0 = problem.set_initial_point()
    problem.set_initial_condition(f(x0) - fs <= 1)
    x = x0
    for _ in range(N + 1):
        g = f.gradient(x)
        problem.add_constraint(f(x) - fs >= g**2 / (2 * L))
        problem.set_performance_metric(g**2)
        x = x - h / L * g
    value = problem.solve(verbose=0, solver="CLARABEL")
    return float(value) / (2 * L)
