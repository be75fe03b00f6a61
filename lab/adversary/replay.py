"""Certify a member: replay the method in the engine (float64) and in mpmath, count T_ε.

A worst case found by any search is only reported after this replay: Δ and M come from the
member's exact tables, the method and the bound are evaluated at them, the engine runs the
method for ``cap`` iterations, and an mpmath loop (40 digits, the member's exact f') runs the
same iterations. The certified ``T_ε`` is the smaller of the two (they agree unless a
gradient sits within rounding of ε, which the adversary's margins exclude).

Examples
--------
>>> from lab.functions.controlled import controlled_member
>>> from lab.methods import gd
>>> m = controlled_member(1.0, 0.0, knots=[0.0], controls=[], u0=0.0)     # x²/2
>>> c = replay(m, x0=1.0, eps=0.1, method=gd(h=0.5), bound=10.0, cap=100)
>>> c.t_engine, c.t_mp                      # 0.5^k <= 0.1 first at k = 4
(4, 4)
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import mpmath
import numpy as np

from lab.engine import run_batch
from lab.functions.controlled import ControlledMember

#: digits of the high-precision replay
REPLAY_DPS = 40


@dataclass(frozen=True)
class Replay:
    """The outcome of a replay.

    Attributes
    ----------
    t_engine, t_mp : int or None
        ``T_ε`` from the NumPy engine and from the mpmath loop (``None``: not within ``cap``).
    cap : int
        Iterations run.
    bound : float
        The bound B at the instance.
    min_grad_engine : float
        ``min_{k <= cap or T} |f'(x_k)|`` along the engine's run.
    """

    t_engine: int | None
    t_mp: int | None
    cap: int
    bound: float
    min_grad_engine: float

    @property
    def t_certified(self) -> int | None:
        """The smaller hitting time of the two (None only when neither hit)."""
        ts = [t for t in (self.t_engine, self.t_mp) if t is not None]
        return min(ts) if ts else None

    @property
    def ratio(self) -> float:
        """``T_ε / B`` with ``T_ε > cap`` counted as ``cap + 1`` (a lower bound on the ratio)."""
        t = self.t_certified
        t = self.cap + 1 if t is None else t
        return t / self.bound if self.bound > 0 else math.inf


def mp_hitting_time(member: ControlledMember, method, x0: float, eps: float, cap: int
                    ) -> int | None:
    """First k with ``|f'(x_k)| <= ε`` of ``x+ = x - h(|g|) g`` in mpmath (None past cap).

    The step rule is evaluated at the mpmath gradient rounded to float (rules are float
    functions); the update itself and f' are exact to :data:`REPLAY_DPS` digits.
    """
    with mpmath.workdps(REPLAY_DPS):
        x = mpmath.mpf(x0)
        e = mpmath.mpf(eps)
        for k in range(cap + 1):
            g = member.u_mp(x)
            if abs(g) <= e:
                return k
            if k == cap:
                return None
            h = float(method.step([abs(float(g))])[0])
            x = x - mpmath.mpf(h) * g
    return None  # pragma: no cover


def replay(member: ControlledMember, *, x0: float, eps: float, method, bound: float,
           cap: int, mp_check: bool = True) -> Replay:
    """Run ``method`` from ``x0`` for at most ``cap`` iterations in both arithmetics."""
    r = run_batch(member, method, [[float(x0)]], eps=eps, max_iter=int(cap), record_every=1)
    hit = int(r.hit[0])
    gn = r.trajectory.grad_norm[:, 0]
    t_engine = hit if hit >= 0 else None
    t_mp = mp_hitting_time(member, method, x0, eps, int(cap)) if mp_check else t_engine
    upto = gn if t_engine is None else gn[:t_engine]
    return Replay(t_engine, t_mp, int(cap), float(bound),
                  float(np.min(upto)) if upto.size else float(gn[0]))
