"""A search over controls: random members, then Nelder-Mead, for trajectories of any shape.

The designed runs of :mod:`lab.adversary.monotone` cover trajectories that move one way;
this search covers the rest (runs that cross the minimizer, oscillate, or start on a slope of
the other sign). A *restart* draws a member with a few pieces (lengths on the class's length
scale, controls in [-1, 1], ``f'`` at the first knot on its gradient scale), a start x0 and
``ε = q |f'(x0)|``, evaluates the certified-style ratio ``T_ε/B`` (exact Δ and M, engine
run), keeps the best of its draws and polishes it with Nelder-Mead on a smoothed ratio
(``T`` plus the fraction of the last step still needed, in log-gradient). Each restart has its
own seed: restarts are independent tasks, and their results are assembled in seed order.

Examples
--------
>>> from lab.adversary.problem import IterationProblem
>>> from lab.methods import gd
>>> p = IterationProblem(method=lambda L0, L1, eps, d, m: gd(h=1 / (L0 + L1 * m)),
...                      bound=lambda L0, L1, eps, d, m: 4 * (L0 + L1 * m) * d / eps**2,
...                      method_uses=frozenset({"M"}), bound_uses=frozenset({"Delta", "M"}))
>>> out = restart(p, 1.0, 1.0, seed=3, draws=4, polish=0)
>>> 0 < out.ratio < 1
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from lab.adversary.certificate import Certificate
from lab.adversary.iteration import gradient_scale
from lab.adversary.problem import IterationProblem
from lab.adversary.replay import replay
from lab.engine import run_batch
from lab.errors import LabInputError
from lab.functions.controlled import member_from_pieces

#: iterations of one evaluation at most (a larger bound is only checked up to here)
EVAL_CAP = 20_000


@dataclass(frozen=True)
class Draw:
    """A point of the search: parameters and its smoothed ratio."""

    params: tuple
    ratio: float


def _unpack(params, L0, L1, k):
    """(pieces, u0, x0 position in [0, 1] of the span, q) from a flat parameter vector."""
    s0 = gradient_scale(L0, L1)
    len0 = s0 / (L0 + L1 * s0) if L0 + L1 * s0 > 0 else 1.0
    p = np.asarray(params, dtype=np.float64)
    lengths = len0 * np.exp(np.clip(p[:k], -6, 4))
    controls = np.tanh(p[k:2 * k])
    u0 = s0 * p[2 * k]
    where = 1 / (1 + math.exp(-float(p[2 * k + 1])))
    q = 1 / (1 + math.exp(-float(p[2 * k + 2])))
    return list(zip(lengths.tolist(), controls.tolist())), float(u0), where, 0.005 + 0.99 * q


def evaluate(problem: IterationProblem, L0: float, L1: float, params, k: int):
    """``(smoothed ratio, instance)`` of one parameter vector (``-inf`` if degenerate)."""
    pieces, u0, where, q = _unpack(params, L0, L1, k)
    try:
        member = member_from_pieces(L0, L1, start=0.0, u0=u0, pieces=pieces)
    except LabInputError:
        return -math.inf, None
    span = member.knots[-1]
    x0 = -0.5 * span + 2.0 * span * where
    g0 = member.grad_abs(x0)
    eps = q * g0
    if not (eps > 0 and math.isfinite(g0)):
        return -math.inf, None
    delta, m = member.gap(x0), member.sublevel_sup_grad(x0)
    try:
        method = problem.method(L0, L1, eps, delta, m)
        b = problem.bound(L0, L1, eps, delta, m)
    except (LabInputError, ValueError, ZeroDivisionError, OverflowError):
        return -math.inf, None
    if not (b > 0 and math.isfinite(b)):
        return -math.inf, None
    cap = int(min(EVAL_CAP, math.floor(b) + 1))
    r = run_batch(member, method, [[x0]], eps=eps, max_iter=cap, record_every=1)
    hit = int(r.hit[0])
    if hit < 0:
        return (cap + 1) / b, (member, x0, eps)
    gn = r.trajectory.grad_norm[:, 0]
    prev = max(float(gn[hit - 1]), eps * (1 + 1e-12)) if hit > 0 else eps
    last = max(float(gn[hit]), 1e-300)
    frac = math.log(prev / eps) / math.log(prev / last) if prev > last else 1.0
    return (hit - 1 + frac) / b, (member, x0, eps)


def restart(problem: IterationProblem, L0: float, L1: float, *, seed: int, draws: int = 16,
            polish: int = 60, pieces: int = 6) -> Draw:
    """One restart: ``draws`` random members, the best polished by Nelder-Mead."""
    rng = np.random.default_rng(seed)
    best = Draw((), -math.inf)
    for _ in range(draws):
        k = pieces
        params = np.concatenate([rng.uniform(-3, 1.5, k), rng.uniform(-2, 2, k),
                                 rng.uniform(-3, 3, 1), rng.normal(0, 1.5, 2)])
        val, _ = evaluate(problem, L0, L1, params, k)
        if val > best.ratio:
            best = Draw(tuple(params.tolist()), val)
    if polish and math.isfinite(best.ratio):
        res = minimize(lambda p: -evaluate(problem, L0, L1, p, pieces)[0], best.params,
                       method="Nelder-Mead", options={"maxfev": polish, "xatol": 1e-6,
                                                      "fatol": 1e-9})
        if -res.fun > best.ratio:
            best = Draw(tuple(res.x.tolist()), float(-res.fun))
    return best


def certify_draw(problem: IterationProblem, L0: float, L1: float, draw: Draw,
                 max_cap: int, pieces: int = 6) -> Certificate | None:
    """Replay the member of a draw in both arithmetics (see :mod:`lab.adversary.replay`)."""
    _, inst = evaluate(problem, L0, L1, draw.params, pieces)
    if inst is None:
        return None
    member, x0, eps = inst
    delta, m = member.gap(x0), member.sublevel_sup_grad(x0)
    method = problem.method(L0, L1, eps, delta, m)
    b = problem.bound(L0, L1, eps, delta, m)
    cap = int(min(max_cap, math.floor(b) + 1))
    r = replay(member, x0=x0, eps=eps, method=method, bound=b, cap=cap)
    recipe = dict(L0=L0, L1=L1, knots=list(member.knots), controls=list(member.controls),
                  u0=member.u0)
    return Certificate(L0, L1, eps, x0, delta, m, b, r.t_engine, r.t_mp, cap, repr(method),
                       recipe, "control")
