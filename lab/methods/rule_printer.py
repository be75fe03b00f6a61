"""Printing a sympy expression as step-rule source over the rules' vocabulary.

A user's step rule arrives as a sympy expression (from :func:`lab.formula.parse_formula`); this
printer writes it in the form of :class:`lab.methods.rules.StepRule` bodies, using only the
names of :data:`lab.methods.rules.VOCABULARY` (plus ``inf``), so the same text compiles for
NumPy, array-API namespaces, CuPy and the fused numba kernel:

* functions print as their vocabulary names (``exp``, ``log``, ``sqrt`` ...; ``Abs`` as
  ``absolute``), ``Min``/``Max`` as nested ``minimum``/``maximum`` (NaN-propagating, like
  NumPy's), ``Piecewise`` as nested ``where`` (both sides evaluated, then selected), and
  ``And``/``Or``/``Not`` as ``where`` on booleans;
* small integer powers as repeated products (``g*g*g``), floats exactly (``repr``), ``pi`` and
  ``E`` as float literals, ``oo`` as ``inf``.
"""

from __future__ import annotations

import math

import sympy as sp
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.pycode import PythonCodePrinter

#: sympy function name -> vocabulary name
FUNCTION_NAMES = {"exp": "exp", "log": "log", "sqrt": "sqrt", "sin": "sin", "cos": "cos",
                  "tan": "tan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh", "atan": "atan",
                  "asinh": "asinh", "Abs": "absolute"}
#: largest integer exponent printed as repeated multiplication
MAX_UNROLLED_POWER = 8


class RulePrinter(PythonCodePrinter):
    """Prints expressions as step-rule source (see the module docstring).

    Examples
    --------
    >>> g, eta, gamma = sp.symbols("g eta gamma", positive=True)
    >>> RulePrinter().doprint(sp.Min(eta, eta * gamma / g))
    'minimum(eta, eta*gamma/g)'
    >>> RulePrinter().doprint(sp.Piecewise((eta, g <= gamma), (eta * gamma / g**2, True)))
    'where((g <= gamma), eta, eta*gamma/(g*g))'
    """

    _kf = dict(FUNCTION_NAMES)

    def __init__(self):
        super().__init__({"fully_qualified_modules": False, "allow_unknown_functions": False})

    def _print_Pow(self, expr, rational=False):
        e = expr.exp
        if e.is_Integer and 2 <= abs(int(e)) <= MAX_UNROLLED_POWER:
            base = self.parenthesize(expr.base, PRECEDENCE["Mul"] + 1)
            prod = "*".join([base] * abs(int(e)))
            return f"({prod})" if e > 0 else f"(1.0/({prod}))"
        if e == sp.S.Half:
            return f"sqrt({self._print(expr.base)})"
        return super()._print_Pow(expr, rational=rational)

    def _print_Float(self, expr):
        return repr(float(expr))

    def _print_Pi(self, expr):
        return repr(math.pi)

    def _print_Exp1(self, expr):
        return repr(math.e)

    def _print_Infinity(self, expr):
        return "inf"

    def _print_NegativeInfinity(self, expr):
        return "(-inf)"

    def _nested(self, name, args):
        out = self._print(args[-1])
        for arg in reversed(args[:-1]):
            out = f"{name}({self._print(arg)}, {out})"
        return out

    def _print_Min(self, expr):
        return self._nested("minimum", list(expr.args))

    def _print_Max(self, expr):
        return self._nested("maximum", list(expr.args))

    def _print_Piecewise(self, expr):
        pieces = list(expr.args)
        out = self._print(pieces[-1].expr) if pieces[-1].cond == sp.true else "nan"
        if pieces[-1].cond == sp.true:
            pieces = pieces[:-1]
        for piece in reversed(pieces):
            out = f"where({self._print(piece.cond)}, {self._print(piece.expr)}, {out})"
        return out

    def _print_And(self, expr):
        out = self._print(expr.args[-1])
        for arg in reversed(expr.args[:-1]):
            out = f"where({self._print(arg)}, {out}, False)"
        return out

    def _print_Or(self, expr):
        out = self._print(expr.args[-1])
        for arg in reversed(expr.args[:-1]):
            out = f"where({self._print(arg)}, True, {out})"
        return out

    def _print_Not(self, expr):
        return f"where({self._print(expr.args[0])}, False, True)"

    def _print_BooleanTrue(self, expr):
        return "True"

    def _print_BooleanFalse(self, expr):
        return "False"
