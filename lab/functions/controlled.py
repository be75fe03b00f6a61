"""Members of the whole univariate (L0,L1)-smooth class, given by a control.

A member is the function whose derivative ``u = f'`` solves

    u'(x) = s(x) (L0 + L1 |u(x)|),      s piecewise constant in [-1, 1] on knots t_0 < ... < t_m,

with ``s = +1`` outside the knots, ``u(t_0) = u0`` and ``f(t_0) = f0``. So
``|f''| <= L0 + L1|f'|`` holds *by construction* wherever ``f''`` exists (everywhere but the
knots), and every univariate (L0,L1)-smooth function is a limit of such members (below).
On each piece u and f have closed forms (exponentials for ``L1 > 0``, polynomials for
``L1 = 0``; :mod:`lab.functions.pieces`). Outside the knots ``s = +1``: for ``L0 > 0`` u
crosses zero on each tail and f is coercive; for ``L0 = 0``, u never changes sign
(``u' = s L1 |u|``) and ``inf f`` may be a tail limit, which is then reported as not attained.
``f*``, the minimizer, ``Δ = f(x0) - f*`` and ``M = sup{|f'| : f <= f(x0)}`` are exact
(closed forms plus monotone root finding, in mpmath; :mod:`lab.functions.sublevel`).

Why these C¹ members give the supremum over C² members
------------------------------------------------------
*C² members are among them (as limits of controls, and exactly as measurable controls).* For a
C² function with ``|f''| <= L0 + L1|f'|`` and ``L0 > 0``, ``s = f''/(L0 + L1|f'|)`` is
continuous with values in [-1, 1], and f is the member of that control. Piecewise-constant
controls approximate it uniformly on compacts, and the member depends continuously on the
control (Grönwall: the right-hand side is Lipschitz in u with constant L1), so ``f'`` and f
converge uniformly on compacts.

*Conversely, each member is a limit of C² members with the same (L0, L1).* Mollify the
control: ``s_δ = s * ρ_δ`` is smooth with values in [-1, 1] (an average of values in
[-1, 1]), so its member ``f_δ`` is C² (``f_δ'' = s_δ (L0 + L1|f_δ'|)`` is continuous) and
(L0, L1)-smooth, and ``f_δ' -> f'``, ``f_δ -> f`` uniformly on compacts.

*Worst cases transfer.* Let a method take steps ``x+ = x - h(|g|) g`` with a step rule h
**continuous in g on (0, inf)** (every built-in rule: gd, clipped, normalized, the model steps;
clipped is continuous at ``g = γ``). Its first T iterates depend continuously on f' (by
induction: ``x_{k+1}`` is a continuous function of ``x_k`` and ``f'(x_k)``, and ``f'_δ -> f'``
uniformly on a compact containing them). A counterexample ``T_ε > B`` means
``|f'(x_k)| > ε`` for all ``k <= floor(B)``: finitely many *strict* inequalities, an open
condition, so it survives for small δ; and Δ, M and so B move continuously (``f*`` and the
sublevel set converge because f is coercive for ``L0 > 0``; for ``L0 = 0`` B is continuous in
Δ, M as well when the claim's bound is). Hence the supremum of ``T_ε/B`` over members equals
the supremum over C² members. **Ties**: when a member has ``|f'(x_k)| = ε`` exactly for some
k, or when B is an integer attained exactly, the approximation may go either way; the
adversary therefore certifies only strict margins (``|f'(x_k)| >= ε(1 + 10⁻⁹)``). A rule that is
discontinuous in g (none of the lab's) would need the margin at its jumps as well.

Examples
--------
>>> f = controlled_member(L0=1.0, L1=1.0, knots=[0.0, 1.0, 2.0], controls=[-1.0, 0.0],
...                       u0=2.0)
>>> bool(f.grad([[0.0]])[0, 0] == 2.0)
True
>>> float(f.hess([[0.5]])[0, 0, 0]) < 0             # s = -1 on (0, 1): u decreases
True
>>> f.f_star <= float(f.value([[0.0]])[0])
True
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Any, Sequence

import mpmath
import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.functions.base import FunctionInfo, Objective
from lab.functions.frontier import Frontier
from lab.functions.pieces import abs_u_numpy, integral_numpy
from lab.functions.scalar_gradient import ScalarGradient
from lab.functions.segments import Segment, build_table
from lab.functions.sublevel import infimum, smallest_l0, sublevel_sup

#: Digits of the exact (mpmath) tables built with every member.
BASE_DPS = 40

#: f' of one point ``v0`` for the fused kernel (see :meth:`ControlledMember.scalar_gradient`).
_SCALAR_SOURCE = """\
i = np.searchsorted(BREAKS, v0, side='right')
tau = v0 - ANCHOR[i]
z = RHO[i] * CONSTS[1] * tau
e = 1.0
if z != 0.0:
    e = math.expm1(z) / z
g0 = SGN[i] * (AMP[i] * exp(z) + CONSTS[0] * RHO[i] * tau * e)
"""


def _finite(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = math.nan
    if not math.isfinite(v):
        raise LabInputError(f"{name} must be a finite number, got {value!r}")
    return v


def _validate(L0, L1, knots, controls, u0, f0):
    L0, L1 = _finite("L0", L0), _finite("L1", L1)
    if L0 < 0 or L1 < 0 or L0 + L1 == 0:
        raise LabInputError(f"L0 and L1 must be >= 0 and not both 0, got L0 = {L0!r}, "
                            f"L1 = {L1!r}")
    ks = tuple(_finite("knot", k) for k in np.atleast_1d(np.asarray(knots, dtype=object)))
    if not ks:
        raise LabInputError("knots must hold at least one point (the point where u0 is given)")
    if any(b <= a for a, b in zip(ks, ks[1:])):
        raise LabInputError(f"knots must be strictly increasing, got {list(ks)!r}")
    cs = tuple(_finite("control", c) for c in np.atleast_1d(np.asarray(controls, dtype=object))
               ) if len(controls) else ()
    if len(cs) != len(ks) - 1:
        raise LabInputError(f"give one control per piece: {len(ks)} knots need {len(ks) - 1} "
                            f"controls, got {len(cs)}")
    bad = [c for c in cs if abs(c) > 1]
    if bad:
        raise LabInputError(f"controls must lie in [-1, 1], got {bad[0]!r}")
    return L0, L1, ks, cs, _finite("u0", u0), _finite("f0", f0)


class ControlledMember(Objective):
    """A member of the whole univariate class (see the module docstring).

    Use :func:`controlled_member` or :func:`member_from_pieces` to build one. Exposes the
    usual batch API (``value``, ``grad``, ``hess`` on points of shape (n, 1)), exact facts
    (``f_star``, ``minimizer``, :meth:`gap`, :meth:`sublevel_sup_grad`), mpmath evaluation
    (:meth:`u_mp`, :meth:`f_mp`) and the engine hook :meth:`vector_functions`.
    """

    def __init__(self, L0, L1, *, knots, controls, u0, f0=0.0):
        L0, L1, ks, cs, u0, f0 = _validate(L0, L1, knots, controls, u0, f0)
        self.L0, self.L1, self.knots, self.controls = L0, L1, ks, cs
        self.u0, self.f0 = u0, f0
        table = self.table()
        with mpmath.workdps(BASE_DPS):
            fs, xs = infimum(table, L0, L1)
        self.f_star_mp, self.minimizer_mp = fs, xs
        self._arrays = _float_arrays(table)
        info = FunctionInfo(
            frontier=Frontier("closed_form", sp.Float(L0), l1_min=L1), l_smooth=L1 == 0,
            bounded_below=True, f_star=float(fs),
            minimizer=None if xs is None else (float(xs),),
            reason="u' = s(x)(L0 + L1|u|), |s| <= 1: (L0, L1)-smooth by construction "
                   "(L0 is the smallest valid at L1 when a tail meets u = 0)")
        super().__init__(name="controlled", dim=1, formula=self.describe(), info=info,
                         params={"L0": L0, "L1": L1})

    # -- exact tables ------------------------------------------------------------------
    def table(self, dps: int | None = None) -> list[Segment]:
        """The segment table at ``dps`` digits (default :data:`BASE_DPS`; cached)."""
        return _table(self.L0, self.L1, self.knots, self.controls, self.u0, self.f0,
                      int(dps or BASE_DPS))

    def _segment(self, x, dps: int) -> Segment:
        table = self.table(dps)
        i = int(np.searchsorted(self._arrays["breaks"], float(x), side="right"))
        seg = table[i]
        # a point within rounding of a break: choose the mpmath segment that contains it
        while i > 0 and x < seg.lo:
            i -= 1
            seg = table[i]
        while i < len(table) - 1 and x > seg.hi:
            i += 1
            seg = table[i]
        return seg

    def u_mp(self, x):
        """``f'(x)`` in mpmath at the working precision (``x`` an mpmath number or float)."""
        dps = max(mpmath.mp.dps, BASE_DPS)
        x = mpmath.mpf(x)
        seg = self._segment(x, dps)
        return seg.sgn * seg.abs_u(x, mpmath.mpf(self.L0), mpmath.mpf(self.L1))

    def f_mp(self, x):
        """``f(x)`` in mpmath at the working precision."""
        dps = max(mpmath.mp.dps, BASE_DPS)
        x = mpmath.mpf(x)
        seg = self._segment(x, dps)
        return seg.f(x, mpmath.mpf(self.L0), mpmath.mpf(self.L1))

    def hess_mp(self, x):
        """``f''(x)`` in mpmath (the right derivative at a knot): ``σ (L0 + L1|f'(x)|)``."""
        dps = max(mpmath.mp.dps, BASE_DPS)
        x = mpmath.mpf(x)
        seg = self._segment(x, dps)
        L0, L1 = mpmath.mpf(self.L0), mpmath.mpf(self.L1)
        return mpmath.mpf(seg.sigma) * (L0 + L1 * seg.abs_u(x, L0, L1))

    @property
    def f_star(self) -> float:
        """``inf f`` (float)."""
        return float(self.f_star_mp)

    def gap(self, x0: float) -> float:
        """``Δ = f(x0) - f*``, computed in mpmath and then rounded."""
        with mpmath.workdps(BASE_DPS):
            return float(self.f_mp(x0) - self.f_star_mp)

    def grad_abs(self, x0: float) -> float:
        """``|f'(x0)|`` (float64)."""
        return float(self.grad_norm([[x0]])[0])

    def sublevel_sup_grad(self, x0: float) -> float:
        """``M = sup{|f'(x)| : f(x) <= f(x0)}`` over the whole sublevel set (exact, rounded)."""
        with mpmath.workdps(BASE_DPS):
            return float(sublevel_sup(self.table(), self.f_mp(x0), self.L0, self.L1))

    def min_valid_l0(self, L1: float) -> float:
        """Smallest L0 with this member (L0, L1)-smooth (exact from the table)."""
        with mpmath.workdps(BASE_DPS):
            return float(smallest_l0(self.table(), self.L0, self.L1, L1))

    def reductions(self):
        """None: the certifier decides this member through :meth:`min_valid_l0` instead."""
        return []

    # -- numerics ----------------------------------------------------------------------
    def _locate(self, x: np.ndarray):
        arr = self._arrays
        i = np.searchsorted(arr["breaks"], x, side="right")
        tau = x - arr["anchor"][i]
        return i, tau

    def _abs_u(self, x):
        i, tau = self._locate(x)
        arr = self._arrays
        return i, abs_u_numpy(a=arr["a"][i], rho=arr["rho"][i], tau=tau, L0=self.L0, L1=self.L1)

    def _grad(self, X):
        i, au = self._abs_u(X[:, 0])
        return (self._arrays["sgn"][i] * au)[:, None]

    def _grad_norm(self, X):
        return self._abs_u(X[:, 0])[1]

    def _value(self, X):
        x = X[:, 0]
        i, tau = self._locate(x)
        arr = self._arrays
        F = integral_numpy(a=arr["a"][i], rho=arr["rho"][i], tau=tau, L0=self.L0, L1=self.L1)
        return arr["f_anchor"][i] + arr["sgn"][i] * F

    def _hess(self, X):
        i, au = self._abs_u(X[:, 0])
        return (self._arrays["sigma"][i] * (self.L0 + self.L1 * au))[:, None, None]

    def _hess_norm(self, X):
        return np.abs(self._hess(X)[:, 0, 0])

    def scalar_gradient(self) -> ScalarGradient:
        """The fused kernel's hook: f' of one point from the segment arrays.

        The same operations in the same order as the NumPy path (:meth:`_grad`); the kernel
        is compiled once for every member (the arrays are arguments).
        """
        arr = self._arrays
        return ScalarGradient(source=_SCALAR_SOURCE, arrays={
            "BREAKS": arr["breaks"], "ANCHOR": arr["anchor"], "AMP": arr["a"],
            "RHO": arr["rho"], "SGN": arr["sgn"], "CONSTS": np.array([self.L0, self.L1])})

    def vector_functions(self, xp):
        """The engine hook: ``(grad, value)`` on points ``X`` of shape (1, n) (NumPy only).

        ``grad(X) -> (G, gn, ok)`` as the generated code of :mod:`lab.engine.codegen`.
        """
        if xp is not np:
            raise LabInputError("whole-class members run on the numpy and numba backends, "
                                f"not on {getattr(xp, '__name__', xp)!r}")

        def grad(X):
            x = np.asarray(X[0, ...], dtype=np.float64)
            with np.errstate(all="ignore"):
                i, au = self._abs_u(x)
                g = self._arrays["sgn"][i] * au
                ok = np.isfinite(au) & np.isfinite(x)
            return g[None, :], au, ok

        def value(X):
            with np.errstate(all="ignore"):
                return self._value(np.asarray(X, dtype=np.float64).T)

        return grad, value

    # -- description -------------------------------------------------------------------
    def describe(self) -> str:
        """A short readable description: constants, u0 and the control run-length encoded."""
        return (f"member(L0={self.L0!r}, L1={self.L1!r}, u0={self.u0!r}, start={self.knots[0]!r}"
                f", pieces={run_length(self.pieces())})")

    def pieces(self) -> list[tuple[float, float]]:
        """``(length, control)`` of each piece (lengths as float differences of the knots)."""
        return [(b - a, c) for a, b, c in zip(self.knots, self.knots[1:], self.controls)]

    def __repr__(self) -> str:
        return (f"controlled_member(L0={self.L0!r}, L1={self.L1!r}, knots={list(self.knots)!r}, "
                f"controls={list(self.controls)!r}, u0={self.u0!r}, f0={self.f0!r})")


@lru_cache(maxsize=64)
def _table(L0, L1, knots, controls, u0, f0, dps):
    with mpmath.workdps(dps):
        return build_table(L0, L1, knots, controls, u0=u0, f0=f0)


def _float_arrays(table: list[Segment]) -> dict[str, np.ndarray]:
    def col(get):
        return np.array([float(get(s)) for s in table], dtype=np.float64)

    return {"breaks": col(lambda s: s.lo)[1:], "anchor": col(lambda s: s.anchor),
            "a": col(lambda s: s.a), "rho": col(lambda s: s.rho),
            "sgn": col(lambda s: s.sgn), "f_anchor": col(lambda s: s.f_anchor),
            "sigma": col(lambda s: s.sigma)}


def run_length(pieces: Sequence[tuple]) -> str:
    """Pieces as ``[(ℓ, s), ...]`` with repeated runs of a pattern written ``[...] * k``.

    Examples
    --------
    >>> run_length([(1.0, 1.0), (0.5, -1.0), (1.0, 1.0), (0.5, -1.0), (2.0, 0.0)])
    '[(1.0, 1.0), (0.5, -1.0)] * 2 + [(2.0, 0.0)]'
    """
    items = list(pieces)
    parts, i = [], 0
    while i < len(items):
        best_len, best_rep = 1, 1
        for period in range(1, 9):
            pat = items[i:i + period]
            if len(pat) < period:
                break
            rep = 1
            while items[i + rep * period:i + (rep + 1) * period] == pat:
                rep += 1
            if rep > 1 and rep * period > best_len * best_rep:
                best_len, best_rep = period, rep
        chunk = items[i:i + best_len]
        text = "[" + ", ".join(f"({a!r}, {b!r})" for a, b in chunk) + "]"
        parts.append(text + (f" * {best_rep}" if best_rep > 1 else ""))
        i += best_len * best_rep
    merged: list[str] = []
    for p in parts:  # consecutive single runs share one list
        if merged and " * " not in p and " * " not in merged[-1]:
            merged[-1] = merged[-1][:-1] + ", " + p[1:]
        else:
            merged.append(p)
    return " + ".join(merged) if merged else "[]"


def controlled_member(L0: float, L1: float, *, knots, controls, u0: float,
                      f0: float = 0.0) -> ControlledMember:
    """A whole-class member from knots, controls in [-1, 1] and ``u0 = f'(knots[0])``.

    Raises
    ------
    LabInputError
        For constants below 0 (or both 0), knots not strictly increasing, a control outside
        [-1, 1], a count of controls other than ``len(knots) - 1``, or non-finite values.

    Examples
    --------
    >>> w = controlled_member(2.0, 1.0, knots=[0.0], controls=[], u0=0.0)   # the witness
    >>> float(w.hess([[1.5]])[0, 0, 0]) == 2.0 + 1.0 * float(w.grad_norm([[1.5]])[0])
    True
    """
    return ControlledMember(L0, L1, knots=knots, controls=controls, u0=u0, f0=f0)


def member_from_pieces(L0: float, L1: float, *, start: float, u0: float, pieces,
                       f0: float = 0.0) -> ControlledMember:
    """A member from ``(length, control)`` pieces laid end to end from ``start``.

    The knots are the running float sums ``start + ℓ_1 + ... + ℓ_k`` (left to right), so a
    description printed by :meth:`ControlledMember.describe` rebuilds the same member.

    Examples
    --------
    >>> m = member_from_pieces(1.0, 0.0, start=0.0, u0=1.0, pieces=[(1.0, -1.0)] * 2)
    >>> [round(float(g), 12) + 0.0 for g in m.grad([[0.0], [1.0], [2.0]])[:, 0]]
    [1.0, 0.0, -1.0]
    """
    knots = [float(start)]
    controls = []
    for length, control in pieces:
        length = _finite("piece length", length)
        if length <= 0:
            raise LabInputError(f"piece lengths must be positive, got {length!r}")
        knots.append(knots[-1] + length)
        controls.append(control)
    return ControlledMember(L0, L1, knots=knots, controls=controls, u0=u0, f0=f0)
