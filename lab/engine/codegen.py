"""Code generation: an objective's symbolic definition printed to array and scalar source.

The engine never calls hand-written gradients: it prints the sympy gradient (explicit
objectives) or the profile derivative ``h'`` (ridge and radial objectives) to Python source
with sympy's printers, once per objective, for two targets:

* **vector** source against an array namespace ``xp`` (NumPy, CuPy, any array-API module):
  ``grad(X) -> (G, gn, ok)`` and ``value(X) -> f`` on points stored as ``X`` of shape (d, n);
* **scalar** source with :mod:`math` for the fused numba kernel, one run at a time.

Both targets print the *same* expression tree with the same operation order: small integer
powers become repeated products (``x*x*x``, not ``pow``), floats print exactly (``repr``), and
the gradient norm is ``|g|`` in one dimension, ``sqrt(g0*g0 + g1*g1 + ...)`` (left to right)
otherwise, ``|h'| ||a||`` for ridges and ``|2h'(s)| sqrt(s)`` for radial functions. So NumPy,
array-API namespaces and numba follow the same arithmetic; only transcendental functions
(``exp``, ``log``) may differ in the last bit between NumPy and the C math library.

``ok`` is False where the iterate or its gradient is not finite (the run has diverged).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy as sp
from sympy.printing.numpy import NumPyPrinter, _known_constants_numpy, _known_functions_numpy
from sympy.printing.pycode import PythonCodePrinter

from lab.functions import ExplicitObjective, Objective, RadialObjective, RidgeObjective
from lab.functions import T as PROFILE_T

#: largest integer exponent printed as repeated multiplication
MAX_UNROLLED_POWER = 8


def _pow_products(printer, expr) -> str | None:
    e = expr.exp
    if e.is_Integer and 2 <= abs(int(e)) <= MAX_UNROLLED_POWER:
        base = printer.parenthesize(expr.base, sp.printing.precedence.PRECEDENCE["Mul"] + 1)
        prod = "*".join([base] * abs(int(e)))
        return f"({prod})" if e > 0 else f"(1.0/({prod}))"
    return None


class VectorPrinter(NumPyPrinter):
    """Prints sympy expressions against an array namespace called ``xp``."""

    _module = "xp"
    _kf = {k: "xp." + v for k, v in _known_functions_numpy.items()}
    _kc = {k: "xp." + v for k, v in _known_constants_numpy.items()}

    def _print_Pow(self, expr, rational=False):
        return _pow_products(self, expr) or super()._print_Pow(expr, rational=rational)

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Piecewise(self, expr):
        args = list(expr.args)
        last = args[-1]
        out = self._print(last.expr) if last.cond == sp.true else "xp.nan"
        if last.cond != sp.true:
            args.append(last)
        for arg in reversed(args[:-1]):
            out = f"xp.where({self._print(arg.cond)}, {self._print(arg.expr)}, {out})"
        return out


#: functions the fused kernel takes from :mod:`lab.engine.fused_math` (vectorizable) rather
#: than from the C library through :mod:`math`
FUSED_FUNCTIONS = ("exp", "sinh", "cosh", "log1p")


class ScalarPrinter(PythonCodePrinter):
    """Prints sympy expressions as scalar Python for the fused numba kernel.

    ``exp``, ``sinh``, ``cosh`` and ``log1p`` print as bare names (the kernel imports the
    vectorizable ones of :mod:`lab.engine.fused_math`), other functions as ``math.f``;
    ``Piecewise`` prints as nested ``where(c, a, b)`` (both sides evaluated, then selected:
    branch-free, as NumPy's ``where``).
    """

    _kf = {**PythonCodePrinter._kf, **{name: name for name in FUSED_FUNCTIONS}}

    def _print_Pow(self, expr, rational=False):
        return _pow_products(self, expr) or super()._print_Pow(expr, rational=rational)

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Piecewise(self, expr):
        args = list(expr.args)
        last = args[-1]
        out = self._print(last.expr) if last.cond == sp.true else "math.nan"
        if last.cond != sp.true:
            args.append(last)
        for arg in reversed(args[:-1]):
            out = f"where({self._print(arg.cond)}, {self._print(arg.expr)}, {out})"
        return out


@dataclass(frozen=True, eq=False)
class Program:
    """An objective reduced to what the engine evaluates.

    Attributes
    ----------
    kind : {"explicit", "ridge", "radial", "custom"}
        ``custom``: the objective supplies its own scalar gradient source
        (:class:`lab.functions.scalar_gradient.ScalarGradient`, see :mod:`lab.engine.custom`).
    dim : int
    assignments : tuple of (name, expr)
        Common subexpressions, in order.
    grads : tuple of expr
        Explicit: the gradient components in ``v0..v{d-1}``; ridge/radial: ``(h'(z),)``.
    value : expr or None
        The function value in the same variables (None for custom programs).
    direction : tuple of float
        The ridge direction ``a`` (empty otherwise).
    custom : ScalarGradient or None
        The objective's scalar gradient source and arrays (custom programs).
    objective : Objective or None
        The objective itself (custom programs: the vectorized backends call its ``grad``).
    """

    kind: str
    dim: int
    assignments: tuple
    grads: tuple
    value: sp.Expr | None
    direction: tuple = ()
    custom: Any = None
    objective: Any = None

    @property
    def direction_norm(self) -> float:
        return float(np.linalg.norm(np.asarray(self.direction))) if self.direction else 0.0


_Z = sp.Symbol("z", real=True)


def program_for(obj: Objective) -> Program:
    """Reduce an objective to a :class:`Program` (symbolic, no numerics yet)."""
    if isinstance(obj, ExplicitObjective):
        names = [sp.Symbol(f"v{i}", real=True) for i in range(obj.dim)]
        sub = dict(zip(obj.variables, names))
        grads = [g.xreplace(sub) for g in obj.gradient_exprs]
        value = obj.expr.xreplace(sub)
        kind, direction = "explicit", ()
    elif isinstance(obj, (RidgeObjective, RadialObjective)):
        grads = [obj.profile_derivatives[1].xreplace({PROFILE_T: _Z})]
        value = obj.profile_derivatives[0].xreplace({PROFILE_T: _Z})
        if isinstance(obj, RidgeObjective):
            kind, direction = "ridge", tuple(float(a) for a in obj.direction)
        else:
            kind, direction = "radial", ()
    else:  # pragma: no cover - every zoo member has one of the three shapes
        raise TypeError(f"cannot compile objective of type {type(obj).__name__}")
    repl, reduced = sp.cse(grads, symbols=sp.numbered_symbols("c"), optimizations=None)
    return Program(kind, obj.dim, tuple(repl), tuple(reduced), value, direction)


def vector_source(prog: Program) -> str:
    """Source of ``grad(X)`` and ``value(X)`` against ``xp`` (X of shape (d, n))."""
    p = VectorPrinter({"fully_qualified_modules": True, "allow_unknown_functions": False})
    d = prog.dim
    lines = ["def grad(X):"]
    if prog.kind == "explicit":
        lines += [f"    v{i} = X[{i}, ...]" for i in range(d)]
    elif prog.kind == "ridge":
        lines += ["    z = xp.sum(X * A, axis=0)"]
    else:
        lines += ["    z = xp.sum(X * X, axis=0)"]
    lines += [f"    {s} = {p.doprint(e)}" for s, e in prog.assignments]
    if prog.kind == "explicit":
        for i, g in enumerate(prog.grads):
            txt = p.doprint(g)
            if not g.free_symbols:
                txt = f"xp.zeros_like(v0) + {txt}"
            lines.append(f"    g{i} = {txt}")
        gn = "xp.abs(g0)" if d == 1 else \
            "xp.sqrt(" + " + ".join(f"g{i}*g{i}" for i in range(d)) + ")"
        lines.append(f"    gn = {gn}")
        lines.append("    ok = xp.isfinite(gn)" +
                     "".join(f" & xp.isfinite(v{i})" for i in range(d)))
        lines.append("    return xp.stack([" + ", ".join(f"g{i}" for i in range(d)) +
                     "]), gn, ok")
    else:
        txt = p.doprint(prog.grads[0])
        if not prog.grads[0].free_symbols:
            txt = f"xp.zeros_like(z) + {txt}"
        lines.append(f"    hp = {txt}")
        if prog.kind == "ridge":
            lines += ["    gn = xp.abs(hp) * ANORM",
                      "    ok = xp.isfinite(gn) & xp.isfinite(z)",
                      "    return hp * A, gn, ok"]
        else:
            lines += ["    c = 2.0 * hp",
                      "    gn = xp.abs(c) * xp.sqrt(z)",
                      "    ok = xp.isfinite(gn) & xp.isfinite(z)",
                      "    return c * X, gn, ok"]
    lines += ["", "", "def value(X):"]
    if prog.kind == "explicit":
        lines += [f"    v{i} = X[{i}, ...]" for i in range(d)]
        anchor = "v0"
    elif prog.kind == "ridge":
        lines += ["    z = xp.sum(X * A, axis=0)"]
        anchor = "z"
    else:
        lines += ["    z = xp.sum(X * X, axis=0)"]
        anchor = "z"
    txt = p.doprint(prog.value)
    if not prog.value.free_symbols:
        txt = f"xp.zeros_like({anchor}) + {txt}"
    lines.append(f"    return {txt}")
    return "\n".join(lines) + "\n"


def scalar_source(prog: Program) -> dict[str, str]:
    """Scalar statements for the fused kernel.

    Returns a dict with ``pre`` (statements computing the reduced variable ``z`` from
    ``x[i, j]``; explicit: loads ``v0..``), ``body`` (CSE statements and ``g0..``/``hp``),
    ``value`` (an expression for f). All names are local to one run ``j``.
    """
    p = ScalarPrinter({"fully_qualified_modules": True})
    body = [f"{s} = {p.doprint(e)}" for s, e in prog.assignments]
    if prog.kind == "explicit":
        body += [f"g{i} = {p.doprint(g)}" for i, g in enumerate(prog.grads)]
    else:
        body.append(f"hp = {p.doprint(prog.grads[0])}")
    return {"body": "\n".join(body) or "pass", "value": p.doprint(prog.value)}


def compile_vector(prog: Program, xp) -> tuple:
    """Exec the vector source against ``xp``; returns ``(grad, value)``."""
    ns: dict = {"xp": xp}
    if prog.kind == "ridge":
        ns["A"] = xp.asarray(np.asarray(prog.direction, dtype=np.float64)[:, None])
        ns["ANORM"] = prog.direction_norm
    exec(compile(vector_source(prog), f"<lab.engine.codegen:{prog.kind}>", "exec"), ns)
    return ns["grad"], ns["value"]
