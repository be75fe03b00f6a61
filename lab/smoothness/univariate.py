"""Exact suprema of ``|q2(t)| - L1 |q1(t)|`` over an interval, by calculus in sympy.

This is the engine of the exact certifier. Along a univariate reduction (see
:meth:`lab.functions.Objective.reductions`) the (L0,L1) condition reads
``|q2(t)| <= L0 + L1 |q1(t)|``, so the smallest valid L0 is ``sup_t g(t)`` with
``g = |q2| - L1 |q1|``.

Why the candidate set is complete: split the domain at the zeros of q1 and q2 (where the
absolute values kink), at the breakpoints of any ``Piecewise``, and at the *singular points*
where q1 or q2 is not a finite real number (|x|^1.5 at 0: the Hessian does not exist there, so
the point is left out and g is followed to it as a one-sided limit). On each open piece the signs
s1 = sign q1, s2 = sign q2 are constant, g = s2 q2 - L1 s1 q1 is smooth, and its supremum is
either at a stationary point, where ``q2' = ± L1 q1'``, or at an end of the piece: a kink (a
candidate, g being continuous there), an end of the domain, or a singular point (a limit). Whenever sympy returns
every solution set as a finite set, the maximum over candidates and limits *is* the supremum:
the result is labelled ``exact``. Otherwise the routine falls back to a numeric search,
labelled ``numeric``, whose answer is a lower bound on the supremum.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

import sympy as sp
from sympy.calculus.util import continuous_domain

from lab.functions.base import T, Reduction
from lab.time_limits import OutOfTime, cpu_time_limit

#: Digits used to decide signs of exact values.
DIGITS = 50
#: CPU seconds allowed to one ``solveset``/``limit`` call before falling back to numerics.
SOLVE_SECONDS = 8.0


class _Undecided(Exception):
    """sympy could not decide a step: fall back to numerics."""


@dataclass(frozen=True)
class SupResult:
    """The supremum of g = |q2| - L1|q1| over a domain.

    Attributes
    ----------
    value : sympy.Expr
        The supremum (``sympy.oo`` when unbounded); a lower bound when ``exact`` is False.
    argmax : sympy.Expr or None
        A point attaining it, or None when it is approached only in a limit.
    limit : str or None
        ``"t -> oo"``, ``"t -> -oo"``, ``"t -> c+"`` or ``"t -> c-"`` when the supremum is a
        limit.
    exact : bool
        True: proved by the candidate argument. False: numeric lower bound.
    evaluations : int
        Points evaluated.
    approach : (sympy.Expr, int) or None
        With ``limit``: the point approached (``oo``/``-oo`` or finite c) and the side
        (+1: from above, -1: from below).
    """

    value: sp.Expr
    argmax: sp.Expr | None
    limit: str | None
    exact: bool
    evaluations: int
    approach: tuple[sp.Expr, int] | None = None

    @property
    def value_float(self) -> float:
        return float(self.value) if self.value.is_finite else float("inf")


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Raise :class:`_Undecided` if the block uses more than ``seconds`` of CPU time (main
    thread only; :func:`lab.time_limits.cpu_time_limit`). CPU time, not wall time: on a
    loaded machine a wall-clock limit would turn an exact verdict into a numeric one
    depending on what else runs."""
    try:
        with cpu_time_limit(seconds):
            yield
    except OutOfTime:
        raise _Undecided("timed out") from None


def _finite_solutions(expr: sp.Expr, domain: sp.Set) -> list[sp.Expr] | None:
    """Real solutions of expr = 0 in domain; [] if none; None if the set is not finite."""
    expr = sp.simplify(expr) if expr.count_ops() < 60 else expr
    if expr == 0:
        return None  # identically zero: caller samples the piece instead
    try:
        with _time_limit(SOLVE_SECONDS):
            sol = sp.solveset(expr, T, domain)
    except _Undecided:
        raise
    except Exception as exc:  # NotImplementedError and friends
        raise _Undecided(str(exc)) from None
    if isinstance(sol, sp.FiniteSet):
        return [s for s in sol if s.is_real is not False]
    if sol is sp.S.EmptySet:
        return []
    raise _Undecided(f"solution set not finite: {type(sol).__name__}")


def _pieces(q1: sp.Expr, q2: sp.Expr, domain: sp.Interval):
    """Split Piecewise expressions into (branch q1, branch q2, closed sub-interval)."""
    q1, q2 = sp.piecewise_fold(q1), sp.piecewise_fold(q2)
    pws = list(q1.atoms(sp.Piecewise) | q2.atoms(sp.Piecewise))
    if not pws:
        return [(q1, q2, domain)], []
    cuts = set()
    for pw in pws:
        for _, cond in pw.args:
            if cond is sp.true:
                continue
            try:
                cuts |= set(cond.as_set().boundary)
            except Exception as exc:
                raise _Undecided(f"piecewise condition {cond}: {exc}") from None
    cuts = sorted((c for c in cuts if c.is_finite and domain.contains(c) is sp.true), key=float)
    edges = [domain.inf, *cuts, domain.sup]
    pieces = []
    for a, b in zip(edges[:-1], edges[1:]):
        if a == b:
            continue
        sample = (a + b) / 2 if a.is_finite and b.is_finite else (b - 1 if a.is_infinite else a + 1)

        def branch(expr):
            return expr.replace(
                lambda e: isinstance(e, sp.Piecewise),
                lambda e: next(ex for ex, c in e.args if c.subs(T, sample) in (True, sp.true)),
            )

        sub = sp.Interval(a, b, a.is_infinite or domain.left_open and a == domain.inf,
                          b.is_infinite or domain.right_open and b == domain.sup)
        pieces.append((branch(q1), branch(q2), sub))
    return pieces, cuts


def _singular_points(b1: sp.Expr, b2: sp.Expr, sub: sp.Interval) -> list[sp.Expr]:
    """Points of ``sub`` where q1 or q2 is not a finite real number (finitely many, or
    :class:`_Undecided`)."""
    bad: sp.Set = sp.S.EmptySet
    for expr in (b1, b2):
        if expr.is_number or expr.is_polynomial(T):
            continue
        try:
            with _time_limit(SOLVE_SECONDS):
                bad = bad | (sub - continuous_domain(expr, T, sub))
        except _Undecided:
            raise
        except Exception as exc:  # NotImplementedError and friends
            raise _Undecided(f"domain of {expr}: {exc}") from None
    if bad is sp.S.EmptySet:
        return []
    if not isinstance(bad, sp.FiniteSet):
        raise _Undecided(f"not finitely many singular points: {bad}")
    return sorted(bad, key=float)


def _regular_parts(b1: sp.Expr, b2: sp.Expr, sub: sp.Interval) -> list[sp.Interval]:
    """``sub`` split at its singular points, each of which becomes an open end."""
    singular = _singular_points(b1, b2, sub)
    if not singular:
        return [sub]
    edges = [sub.inf, *singular, sub.sup]
    parts = []
    for k, (a, b) in enumerate(zip(edges[:-1], edges[1:])):
        if a == b:
            continue
        left_open = k > 0 or sub.left_open or a in singular
        right_open = k < len(edges) - 2 or sub.right_open or b in singular
        parts.append(sp.Interval(a, b, left_open, right_open))
    return parts


def _evaluate(g: sp.Expr, point: sp.Expr) -> sp.Expr | None:
    """g at a point, or None where it is not a finite real number (a singular point)."""
    value = g.subs(T, point)
    if value.has(sp.zoo, sp.nan, sp.oo, -sp.oo) or value.is_extended_real is False:
        return None
    if not value.is_number:
        raise _Undecided(f"cannot evaluate at {point}")
    return value


def _tie_key(point: sp.Expr) -> tuple[float, int]:
    value = float(point)
    return (abs(value), 0 if value >= 0 else 1)


def _decide_greater(a: sp.Expr, b: sp.Expr) -> int:
    """Sign of a - b for exact numbers, at DIGITS digits, exactly when they look equal."""
    diff = a - b
    num = sp.N(diff, DIGITS)
    if num.is_comparable and abs(num) > sp.Float(10) ** (-(DIGITS - 10)):
        return 1 if num > 0 else -1
    simplified = sp.simplify(diff)
    if simplified == 0:
        return 0
    num = sp.N(simplified, 2 * DIGITS)
    if num.is_comparable and num != 0:
        return 1 if num > 0 else -1
    raise _Undecided(f"cannot decide the sign of {diff}")


def _limit(expr: sp.Expr, end: sp.Expr, side: int) -> sp.Expr:
    try:
        with _time_limit(SOLVE_SECONDS):
            lim = (sp.limit(expr, T, end) if end.is_infinite
                   else sp.limit(expr, T, end, "+" if side > 0 else "-"))
    except _Undecided:
        raise
    except Exception as exc:
        raise _Undecided(f"limit: {exc}") from None
    if not (lim.is_extended_real and (lim.is_number or lim.is_infinite)):
        raise _Undecided(f"limit at {end} undecided: {lim}")
    return lim


def _limit_of_excess(q1: sp.Expr, q2: sp.Expr, L1: sp.Expr, end: sp.Expr, side: int) -> sp.Expr:
    """lim |q2| - L1|q1| at an end (side +1: from above), from the (Abs-free, faster) limits
    of q1 and q2."""
    a, b = _limit(q1, end, side), _limit(q2, end, side)
    if not (a.is_infinite and b.is_infinite and L1 != 0):
        return sp.Abs(b) - L1 * sp.Abs(a) if not (a.is_infinite and L1 == 0) else sp.Abs(b)
    # oo - oo: the signs are eventually constant, so drop the absolute values and retry
    return _limit(sp.sign(b) * q2 - L1 * sp.sign(a) * q1, end, side)


def _limit_label(end: sp.Expr, side: int) -> str:
    if end.is_infinite:
        return f"t -> {sp.sstr(end)}"
    return f"t -> {sp.sstr(end)}{'+' if side > 0 else '-'}"


def _candidates(q1, q2, L1, sub):
    """Stationary points and closed ends of one regular part, and the limits at its open ends."""
    points, limits = [], []
    for eq in (q1, q2, sp.diff(q2, T) - L1 * sp.diff(q1, T), sp.diff(q2, T) + L1 * sp.diff(q1, T)):
        sols = _finite_solutions(eq, sub)
        if sols is None:  # identically zero on this part: g piecewise constant, sample it
            a, b = sub.inf, sub.sup
            points.append((a + b) / 2 if a.is_finite and b.is_finite
                          else (b - 1 if a.is_infinite and b.is_finite
                                else (a + 1 if a.is_finite else sp.Integer(0))))
        else:
            points.extend(sols)
    for end, closed, side in ((sub.inf, not sub.left_open, 1), (sub.sup, not sub.right_open, -1)):
        if end.is_finite and closed:
            points.append(end)
        else:
            limits.append((_limit_of_excess(q1, q2, L1, end, side), end, side))
    return points, limits


def exact_sup(reduction: Reduction, L1: sp.Expr) -> SupResult:
    """The exact supremum of ``|q2| - L1|q1|`` over the reduction's domain.

    Raises ``_Undecided`` when sympy cannot decide a step (the caller falls back).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.functions import T, Reduction
    >>> r = exact_sup(Reduction(4 * T**3, 12 * T**2), sp.Integer(1))
    >>> r.value, r.argmax
    (16, 2)
    >>> r = exact_sup(Reduction(sp.Rational(3, 2) * sp.sqrt(T), sp.Rational(3, 4) / sp.sqrt(T),
    ...                         sp.Interval(0, sp.oo)), sp.Integer(1))  # (x^1.5)'' at 0
    >>> r.value, r.limit
    (oo, 't -> 0+')
    """
    domain = reduction.domain
    if not isinstance(domain, sp.Interval):
        raise _Undecided("domain is not an interval")
    pieces, cuts = _pieces(reduction.q1, reduction.q2, domain)
    points: list[sp.Expr] = list(cuts)
    limits: list[tuple[sp.Expr, sp.Expr, int]] = []
    for q1, q2, sub in pieces:
        for part in _regular_parts(q1, q2, sub):
            part_points, part_limits = _candidates(q1, q2, L1, part)
            points += part_points
            limits += part_limits
    g_full = sp.Abs(reduction.q2) - L1 * sp.Abs(reduction.q1)
    best_value, best_point, best_approach = None, None, None
    seen = 0
    for p in points:
        if domain.contains(p) is not sp.true:
            continue
        seen += 1
        val = _evaluate(g_full, p)
        if val is None:
            continue  # a singular point: covered by the limits of the parts next to it
        order = 1 if best_value is None else _decide_greater(val, best_value)
        if order == 0:  # a tie: prefer the simpler point (smaller |t|, then t >= 0)
            order = 1 if _tie_key(p) < _tie_key(best_point) else -1
        if order > 0:
            best_value, best_point = val, p
    for lim, end, side in limits:
        if lim is sp.S.NegativeInfinity or best_value is sp.oo:
            continue
        if lim is sp.oo or best_value is None or _decide_greater(lim, best_value) > 0:
            best_value, best_point, best_approach = lim, None, (end, side)
    if best_value is None:
        raise _Undecided("no candidate points")
    return SupResult(best_value, best_point, _limit_label(*best_approach) if best_approach else None,
                     True, seen, best_approach)
