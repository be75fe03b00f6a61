"""Objective functions defined once, symbolically, with every numeric form derived from that.

Three shapes cover the zoo and stay fast in high dimension:

* :class:`ExplicitObjective` - a sympy expression in named variables ``x1..xd`` (small d).
  Gradient and Hessian are derived by sympy and compiled with ``lambdify``.
* :class:`RidgeObjective` - ``f(x) = h(a·x)`` for a univariate profile ``h``: gradient
  ``h'(a·x) a``, Hessian ``h''(a·x) a aᵀ``; ``||∇f|| = |h'| ||a||``, ``||∇²f|| = |h''| ||a||²``.
* :class:`RadialObjective` - ``f(x) = h(||x||²)``: gradient ``2h'(s) x``, Hessian
  ``2h'(s) I + 4h''(s) x xᵀ`` with eigenvalues ``2h'(s)`` (d-1 times) and ``2h'(s) + 4s h''(s)``.

Every objective evaluates a batch of points ``X`` of shape ``(n, d)`` in one call. Overflow
is a value (``inf``/``nan``), not a warning: evaluation runs under a local ``np.errstate``.

Each objective also exposes its *univariate reductions* (:meth:`Objective.reductions`): pairs
``(q1, q2)`` of expressions in one variable ``t`` over an interval such that
``||∇f|| = |q1(t)|`` and ``||∇²f|| = |q2(t)|`` along the reduction, covering all of the
function's (gradient norm, Hessian norm) pairs. The certifier in :mod:`lab.smoothness`
decides (L0,L1)-smoothness exactly on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.functions.frontier import Frontier

#: The variable of univariate profiles and reductions.
T = sp.Symbol("t", real=True)


@dataclass(frozen=True, kw_only=True)
class FunctionInfo:
    """Metadata of an objective: what is known about it, and why.

    Attributes
    ----------
    frontier : Frontier
        The valid (L0, L1) set.
    l_smooth : bool
        Whether the gradient is globally Lipschitz (L1 = 0 works).
    bounded_below : bool
        Whether ``inf f > -inf`` (Assumption 1 of the paper).
    f_star : float or None
        ``inf f`` when known (``None`` if unbounded below or unknown).
    minimizer : tuple of float or None
        A point attaining ``f_star``, or ``None`` when it is not attained or unknown.
    is_example : bool
        False for the zoo's non-examples (functions a peer might wrongly call smooth).
    reason : str
        One line: where the facts come from.
    mistaken_constants : tuple
        (L0, L1) pairs that peers state but that are wrong for this function.
    start : tuple of float or None
        A suggested start point (used by the hard family of Theorem 4).
    """

    frontier: Frontier
    l_smooth: bool
    bounded_below: bool
    f_star: float | None = None
    minimizer: tuple[float, ...] | None = None
    is_example: bool = True
    reason: str = ""
    mistaken_constants: tuple[tuple[float, float], ...] = ()
    start: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Reduction:
    """One univariate reduction: ``||∇f|| = |q1(t)|`` and ``||∇²f|| = |q2(t)|`` for t in domain."""

    q1: sp.Expr
    q2: sp.Expr
    domain: sp.Set = sp.S.Reals
    where: str = "x = t"
    #: The point of the original space that the parameter value t stands for.
    embed: Any = None

    def point(self, t: float) -> np.ndarray:
        """The point x (shape (dim,)) that the reduction's parameter t stands for."""
        return np.atleast_1d(np.asarray(self.embed(float(t)), dtype=np.float64))


def _lambdify(args: Sequence[sp.Symbol], expr: sp.Expr):
    return sp.lambdify(list(args), expr, modules="numpy", cse=True)


def _as_batch(X: Any, dim: int) -> np.ndarray:
    """Validate and convert points to a float64 array of shape (n, dim)."""
    arr = np.asarray(X, dtype=np.float64)
    if arr.ndim == 1:
        if dim == 1:
            arr = arr[:, None]
        elif arr.shape[0] == dim:
            arr = arr[None, :]
    if arr.ndim != 2 or arr.shape[1] != dim:
        raise LabInputError(
            f"points must have shape (n, {dim}) for this {dim}-dimensional function, "
            f"got shape {np.shape(X)}"
        )
    return arr


@dataclass(eq=False)
class Objective:
    """Base class: a named function of ``dim`` variables with value, gradient and Hessian.

    Subclasses implement ``_value``, ``_grad``, ``_hess``, ``_grad_norm``, ``_hess_norm`` on a
    validated ``(n, dim)`` float64 array, and :meth:`reductions`.
    """

    name: str
    dim: int
    formula: str
    info: FunctionInfo
    params: dict[str, Any] = field(default_factory=dict)

    # -- public batch API ------------------------------------------------------------------
    def value(self, X: Any) -> np.ndarray:
        """Values at a batch of points, shape ``(n,)``."""
        with np.errstate(all="ignore"):
            return self._value(_as_batch(X, self.dim))

    def grad(self, X: Any) -> np.ndarray:
        """Gradients at a batch of points, shape ``(n, dim)``."""
        with np.errstate(all="ignore"):
            return self._grad(_as_batch(X, self.dim))

    def hess(self, X: Any) -> np.ndarray:
        """Hessians at a batch of points, shape ``(n, dim, dim)``."""
        with np.errstate(all="ignore"):
            return self._hess(_as_batch(X, self.dim))

    def grad_norm(self, X: Any) -> np.ndarray:
        """Euclidean norms of the gradients, shape ``(n,)``."""
        with np.errstate(all="ignore"):
            return self._grad_norm(_as_batch(X, self.dim))

    def hess_norm(self, X: Any) -> np.ndarray:
        """Operator 2-norms of the Hessians, shape ``(n,)``."""
        with np.errstate(all="ignore"):
            return self._hess_norm(_as_batch(X, self.dim))

    def reductions(self) -> list[Reduction]:  # pragma: no cover - abstract
        """Univariate reductions, or an empty list when none exists (numeric certification)."""
        raise NotImplementedError

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.params.items())
        return f"get_function({self.name!r}{', ' if args else ''}{args})"

    # -- defaults built from the gradient and Hessian ----------------------------------------
    def _grad_norm(self, X: np.ndarray) -> np.ndarray:
        return np.linalg.norm(self._grad(X), axis=1)

    def _hess_norm(self, X: np.ndarray) -> np.ndarray:
        H = self._hess(X)
        if self.dim == 1:
            return np.abs(H[:, 0, 0])
        out = np.full(H.shape[0], np.nan)
        finite = np.isfinite(H).all(axis=(1, 2))
        if finite.any():
            out[finite] = np.abs(np.linalg.eigvalsh(H[finite])).max(axis=1)
        out[~finite & np.isinf(H).any(axis=(1, 2))] = np.inf
        return out


class ExplicitObjective(Objective):
    """A function given by a sympy expression in explicit variables.

    Parameters
    ----------
    name, formula, info
        See :class:`Objective`.
    expr : sympy.Expr
        The function, with every parameter already substituted.
    variables : sequence of sympy.Symbol
        The variables, in coordinate order.

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.functions.frontier import Frontier
    >>> x = sp.Symbol("x", real=True)
    >>> info = FunctionInfo(frontier=Frontier("none"), l_smooth=False, bounded_below=True)
    >>> f = ExplicitObjective("quartic", "x**4", info, expr=x**4, variables=[x])
    >>> f.grad([[2.0]])
    array([[32.]])
    """

    def __init__(self, name, formula, info, *, expr, variables, params=None):
        super().__init__(name=name, dim=len(variables), formula=formula, info=info,
                         params=dict(params or {}))
        self.expr = sp.sympify(expr, strict=True)
        self.variables = list(variables)
        self.gradient_exprs = [sp.diff(self.expr, v) for v in self.variables]
        self.hessian_exprs = [[sp.diff(g, v) for v in self.variables] for g in self.gradient_exprs]
        self._f = _lambdify(self.variables, self.expr)
        self._g = _lambdify(self.variables, self.gradient_exprs)
        self._h = _lambdify(self.variables, [e for row in self.hessian_exprs for e in row])

    def _columns(self, X):
        return [X[:, i] for i in range(self.dim)]

    def _stack(self, parts, n):
        return np.stack([np.broadcast_to(np.asarray(p, dtype=np.float64), (n,)) for p in parts],
                        axis=1)

    def _value(self, X):
        return np.broadcast_to(np.asarray(self._f(*self._columns(X)), dtype=np.float64),
                               (X.shape[0],)).copy()

    def _grad(self, X):
        return self._stack(self._g(*self._columns(X)), X.shape[0])

    def _hess(self, X):
        flat = self._stack(self._h(*self._columns(X)), X.shape[0])
        return flat.reshape(X.shape[0], self.dim, self.dim)

    def reductions(self):
        if self.dim != 1:
            return []
        (x,) = self.variables
        q1 = self.gradient_exprs[0].subs(x, T)
        q2 = self.hessian_exprs[0][0].subs(x, T)
        return [Reduction(q1, q2, sp.S.Reals, where="x = t", embed=lambda t: [t])]


class RidgeObjective(Objective):
    """``f(x) = h(a·x)`` for a univariate profile ``h`` (a sympy expression in :data:`T`).

    Examples
    --------
    >>> import numpy as np, sympy as sp
    >>> from lab.functions.frontier import Frontier
    >>> info = FunctionInfo(frontier=Frontier("none"), l_smooth=False, bounded_below=True)
    >>> f = RidgeObjective("exp_ridge", "exp(a·x)", info, profile=sp.exp(T),
    ...                    direction=np.array([3.0, 4.0]))
    >>> float(f.grad_norm([[0.0, 0.0]])[0])
    5.0
    """

    def __init__(self, name, formula, info, *, profile, direction, params=None):
        direction = np.asarray(direction, dtype=np.float64)
        super().__init__(name=name, dim=direction.shape[0], formula=formula, info=info,
                         params=dict(params or {}))
        self.profile = sp.sympify(profile, strict=True)
        self.direction = direction
        self.direction_norm = float(np.linalg.norm(direction))
        self.profile_derivatives = [self.profile, sp.diff(self.profile, T),
                                    sp.diff(self.profile, T, 2)]
        self._h0, self._h1, self._h2 = (_lambdify([T], e) for e in self.profile_derivatives)

    def _t(self, X):
        return X @ self.direction

    def _eval(self, fn, t):
        return np.broadcast_to(np.asarray(fn(t), dtype=np.float64), t.shape)

    def _value(self, X):
        return self._eval(self._h0, self._t(X)).copy()

    def _grad(self, X):
        return self._eval(self._h1, self._t(X))[:, None] * self.direction[None, :]

    def _hess(self, X):
        h2 = self._eval(self._h2, self._t(X))
        return h2[:, None, None] * np.outer(self.direction, self.direction)[None, :, :]

    def _grad_norm(self, X):
        return np.abs(self._eval(self._h1, self._t(X))) * self.direction_norm

    def _hess_norm(self, X):
        return np.abs(self._eval(self._h2, self._t(X))) * self.direction_norm**2

    def reductions(self):
        A = sp.nsimplify(self.direction_norm, rational=False)
        q1 = A * self.profile_derivatives[1]
        q2 = A**2 * self.profile_derivatives[2]
        a = self.direction
        return [Reduction(q1, q2, sp.S.Reals, where="x = t·a/||a||², so a·x = t",
                          embed=lambda t: t * a / self.direction_norm**2)]


class RadialObjective(Objective):
    """``f(x) = h(||x||²)`` for a univariate profile ``h`` (a sympy expression in :data:`T`).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.functions.frontier import Frontier
    >>> info = FunctionInfo(frontier=Frontier("none"), l_smooth=False, bounded_below=True)
    >>> f = RadialObjective("quartic_norm", "||x||^4", info, profile=T**2, dim=3)
    >>> float(f.hess_norm([[1.0, 0.0, 0.0]])[0])
    12.0
    """

    def __init__(self, name, formula, info, *, profile, dim, params=None):
        super().__init__(name=name, dim=int(dim), formula=formula, info=info,
                         params=dict(params or {}))
        self.profile = sp.sympify(profile, strict=True)
        self.profile_derivatives = [self.profile, sp.diff(self.profile, T),
                                    sp.diff(self.profile, T, 2)]
        self._h0, self._h1, self._h2 = (_lambdify([T], e) for e in self.profile_derivatives)

    def _s(self, X):
        return np.einsum("ij,ij->i", X, X)

    def _eval(self, fn, s):
        return np.broadcast_to(np.asarray(fn(s), dtype=np.float64), s.shape)

    def _value(self, X):
        return self._eval(self._h0, self._s(X)).copy()

    def _grad(self, X):
        return 2.0 * self._eval(self._h1, self._s(X))[:, None] * X

    def _hess(self, X):
        s = self._s(X)
        h1, h2 = self._eval(self._h1, s), self._eval(self._h2, s)
        eye = np.eye(self.dim)[None, :, :]
        return 2.0 * h1[:, None, None] * eye + 4.0 * h2[:, None, None] * np.einsum(
            "ni,nj->nij", X, X)

    def _grad_norm(self, X):
        s = self._s(X)
        return 2.0 * np.abs(self._eval(self._h1, s)) * np.sqrt(s)

    def _hess_norm(self, X):
        s = self._s(X)
        h1, h2 = self._eval(self._h1, s), self._eval(self._h2, s)
        radial = np.abs(2.0 * h1 + 4.0 * s * h2)
        if self.dim == 1:
            return radial
        return np.maximum(radial, np.abs(2.0 * h1))

    def reductions(self):
        r = T
        q = self.profile.subs(T, r**2)
        q1 = sp.diff(q, r)
        q2 = sp.diff(q, r, 2)
        domain = sp.Interval(0, sp.oo)
        dim = self.dim
        embed = lambda t: np.eye(dim)[0] * t  # noqa: E731
        out = [Reduction(q1, q2, domain, where="x = t·e1, t >= 0 (radial eigenvalue)",
                         embed=embed)]
        if dim > 1:
            tangential = 2 * sp.diff(self.profile, T).subs(T, r**2)
            out.append(Reduction(q1, tangential, domain,
                                 where="x = t·e1, t >= 0 (tangential eigenvalue 2h'(t²))",
                                 embed=embed))
        return out
