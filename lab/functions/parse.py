"""Turn a user's expression string into an :class:`~lab.functions.ExplicitObjective`.

Only arithmetic, the usual elementary functions and named variables are accepted; anything
else (an unknown function, Python syntax, dunder access) is a :class:`LabInputError` that
says what is allowed. ``^`` means power, as in the CLI examples (``x^4``).
"""

from __future__ import annotations

import re
from typing import Sequence

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.parsing.sympy_parser import (
    convert_xor,
    parse_expr,
    standard_transformations,
)

from lab.errors import LabInputError
from lab.functions.base import ExplicitObjective, FunctionInfo
from lab.functions.frontier import Frontier

#: Names a user expression may call.
ALLOWED_FUNCTIONS = {
    name: getattr(sp, name)
    for name in (
        "exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "asinh",
        "Abs", "erf", "Piecewise", "Max", "Min",
    )
}
ALLOWED_FUNCTIONS["abs"] = sp.Abs
_CONSTANTS = {"pi": sp.pi, "E": sp.E}
_FORBIDDEN = re.compile(r"__|\bimport\b|\blambda\b|[;`$]")
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def parse_expression(text: str, variables: Sequence[str] | None = None
                     ) -> tuple[sp.Expr, list[sp.Symbol]]:
    """Parse ``text`` into a sympy expression in real variables.

    Parameters
    ----------
    text : str
        For example ``"x^4"`` or ``"exp(x) + exp(-x)"`` or ``"x**2*y**2"``.
    variables : sequence of str, optional
        The variables in coordinate order. Default: the free symbols, sorted by name.

    Returns
    -------
    expr : sympy.Expr
    variables : list of sympy.Symbol (real)

    Examples
    --------
    >>> expr, xs = parse_expression("x^4")
    >>> expr, xs
    (x**4, [x])
    """
    if not isinstance(text, str) or not text.strip():
        raise LabInputError("the expression is empty; give one such as 'x^4' or 'exp(x)'")
    if _FORBIDDEN.search(text):
        raise LabInputError(f"the expression {text!r} contains forbidden syntax; use arithmetic, "
                            f"variables and {', '.join(sorted(ALLOWED_FUNCTIONS))}")
    try:
        expr = parse_expr(
            text,
            local_dict={**ALLOWED_FUNCTIONS, **_CONSTANTS},
            transformations=standard_transformations + (convert_xor,),
            evaluate=True,
        )
    except Exception as exc:  # sympy raises many types (SyntaxError, TokenError, TypeError...)
        raise LabInputError(f"cannot parse expression {text!r}: {type(exc).__name__}; "
                            "write it like 'x^4' or 'exp(x) + exp(-x)'") from None
    if not isinstance(expr, sp.Expr):
        raise LabInputError(f"{text!r} is not an expression (got a {type(expr).__name__})")
    undefined = sorted(str(f.func) for f in expr.atoms(AppliedUndef))
    if undefined:
        raise LabInputError(f"unknown function {undefined[0]!r} in {text!r}; allowed functions: "
                            f"{', '.join(sorted(ALLOWED_FUNCTIONS))}")
    names = sorted(str(s) for s in expr.free_symbols)
    if variables is None:
        chosen = names
    else:
        chosen = [v.strip() for v in variables if v.strip()]
        for name in chosen:
            if not _NAME.match(name):
                raise LabInputError(f"bad variable name {name!r}; use letters, digits and _")
        if len(set(chosen)) != len(chosen):
            raise LabInputError(f"variables repeat in {','.join(chosen)}")
        extra = [n for n in names if n not in chosen]
        if extra:
            raise LabInputError(f"unknown variable {extra[0]!r} in {text!r} "
                                f"(declared variables: {', '.join(chosen)})")
    if not chosen:
        raise LabInputError(f"{text!r} has no variables; a constant is trivially (0,0)-smooth")
    real = {n: sp.Symbol(n, real=True) for n in chosen}
    expr = expr.subs({sp.Symbol(n): real[n] for n in names})
    if expr.has(sp.I) or expr.has(sp.zoo) or expr.has(sp.nan):
        raise LabInputError(f"{text!r} is not a real-valued expression")
    return _abs_as_piecewise(expr), [real[n] for n in chosen]


def _abs_as_piecewise(expr: sp.Expr) -> sp.Expr:
    """Write |u| as Piecewise((u, u >= 0), (-u, True)).

    sympy differentiates Abs into sign and DiracDelta terms, which are wrong at the kink for a
    C² function such as the witness (sign(0)² = 0) and cannot be compiled; the Piecewise
    form differentiates branch by branch and stays exact.
    """
    return expr.replace(lambda e: isinstance(e, sp.Abs),
                        lambda e: sp.Piecewise((e.args[0], e.args[0] >= 0), (-e.args[0], True)))


def objective_from_text(text: str, variables: Sequence[str] | None = None) -> ExplicitObjective:
    """An :class:`ExplicitObjective` for a user expression (frontier unknown: certifier).

    Examples
    --------
    >>> f = objective_from_text("exp(x) + exp(-x)")
    >>> float(f.hess_norm([[0.0]])[0])
    2.0
    """
    expr, xs = parse_expression(text, variables)
    info = FunctionInfo(Frontier("certifier", exact=len(xs) == 1), l_smooth=False,
                        bounded_below=False, reason="user expression")
    return ExplicitObjective("expression", sp.sstr(expr), info, expr=expr, variables=xs)
