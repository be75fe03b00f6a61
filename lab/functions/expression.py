"""A user's expression as an objective, with named parameters: ``expression("a*x**4", a=2)``.

The text goes through the lab's one safe parser (:func:`lab.formula.parse_formula`);
names given as parameters are replaced by their values (as exact rationals, so the certifier
stays exact), every other name is a variable. The objective is an
:class:`~lab.functions.ExplicitObjective` like the zoo's, and its ``repr`` reproduces the call.
Its (L0, L1) frontier is not stated: the certifier computes it (exact for one variable).

Examples
--------
>>> f = expression("a*x**4 + x**2", a=0.5)
>>> f
expression('a*x**4 + x**2', a=0.5)
>>> f.grad([[1.0]])
array([[4.]])
>>> f.info.frontier.kind
'certifier'
"""

from __future__ import annotations

import difflib
import re
from typing import Any, Sequence

import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.formula import parse_formula
from lab.functions import ZOO, get_function
from lab.functions.base import ExplicitObjective, FunctionInfo
from lab.functions.frontier import Frontier
from lab.functions.parse import objective_parts


class ExpressionObjective(ExplicitObjective):
    """An :class:`ExplicitObjective` built from a user's text (see :func:`expression`)."""

    def __init__(self, text: str, expr, variables, params: dict):
        info = FunctionInfo(frontier=Frontier("certifier", exact=len(variables) == 1),
                            l_smooth=False, bounded_below=False,
                            reason="user expression: constants from the certifier")
        super().__init__("expression", sp.sstr(expr), info, expr=expr, variables=variables,
                         params=params)
        self.text = text

    def __repr__(self) -> str:
        args = "".join(f", {k}={v!r}" for k, v in self.params.items())
        return f"expression({self.text!r}{args})"

    def __hash__(self) -> int:
        return id(self)


def _param_value(name: str, value: Any) -> sp.Expr:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise LabInputError(f"parameter {name} must be a number, got {value!r}")
    if not np.isfinite(float(value)):
        raise LabInputError(f"parameter {name} must be finite, got {value!r}")
    return sp.nsimplify(float(value), rational=True)


def expression(text: str, *, variables: Sequence[str] | None = None,
               what: str = "expression", **params: Any) -> ExpressionObjective:
    """The objective given by ``text`` with the named parameters substituted.

    Parameters
    ----------
    text : str
        An expression such as ``"x**6"`` or ``"a*x**4 + x**2"`` (``^`` means power).
    variables : sequence of str, optional
        The variables in coordinate order (default: every name that is not a parameter,
        sorted).
    what : str
        Names the source of the text in error messages (``"claim file x.toml, key [class]
        expr"``).
    **params : float
        Values of the parameters; every one must occur in the expression.

    Raises
    ------
    LabInputError
        When the text does not parse, a parameter is not in it or is not a finite number,
        or no variable is left.

    Examples
    --------
    >>> expression("exp(x) + b*y**2", b=2.0).dim
    2
    """
    expr = parse_formula(text, what=what)
    by_name = {str(s): s for s in expr.free_symbols}
    unknown = sorted(set(params) - set(by_name))
    if unknown:
        raise LabInputError(f"{what} {text!r}: parameter {unknown[0]!r} does not occur in it "
                            f"(its names: {', '.join(sorted(by_name)) or 'none'})")
    values = {k: float(v) if isinstance(v, (float, np.floating)) else v
              for k, v in params.items()}
    expr = expr.subs({by_name[k]: _param_value(k, v) for k, v in values.items()})
    left = sorted(n for n in by_name if n not in params)
    if variables is not None:
        declared = [v.strip() for v in variables]
        extra = [n for n in left if n not in declared]
        if extra:
            raise LabInputError(f"{what} {text!r}: {extra[0]!r} is neither a declared variable "
                                f"({', '.join(declared)}) nor a parameter")
        left = declared
    if not left:
        raise LabInputError(f"{what} {text!r} has no variable left once its parameters are "
                            "given")
    expr, xs = objective_parts(expr, left, text)
    return ExpressionObjective(text, expr, xs, values)


def function_from_spec(spec: str, *, what: str = "expression", **params: Any):
    """A zoo function by name, or the expression ``spec`` (its parameters in ``params``,
    its variables in ``params["variables"]``, optional; ``what`` names the source in errors).

    A bare name that is not in the zoo is a typo, not the expression ``f(x) = x``: the error
    suggests the closest zoo name.

    Examples
    --------
    >>> function_from_spec("quartic")
    get_function('quartic')
    >>> function_from_spec("a*x**4 + x**2", a=2.0)
    expression('a*x**4 + x**2', a=2.0)
    >>> function_from_spec("quartc")
    Traceback (most recent call last):
    ...
    lab.errors.LabInputError: unknown function 'quartc' (did you mean 'quartic'?); give a zoo name (python -m lab functions) or an expression such as 'x**6'
    """
    variables = params.pop("variables", None)
    if spec in ZOO:
        if variables is not None:
            raise LabInputError("variables apply to expressions, not to zoo functions")
        return get_function(spec, **params)
    if not isinstance(spec, str) or re.fullmatch(r"\s*[A-Za-z_][A-Za-z0-9_]*\s*", spec):
        close = difflib.get_close_matches(str(spec), ZOO, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise LabInputError(f"unknown function {spec!r}{hint}; give a zoo name (python -m lab "
                            "functions) or an expression such as 'x**6'")
    return expression(spec, variables=variables, what=what, **params)
