"""Turn a user's expression string into an :class:`~lab.functions.ExplicitObjective`.

The text is parsed by the lab's one whitelist parser, :func:`lab.formula.parse_formula`
(numbers, variables, ``+ - * / ** ^`` and calls of the allowed functions; never evaluated as
Python). ``^`` means power, as in the CLI examples (``x^4``).
"""

from __future__ import annotations

import re
from typing import Sequence

import sympy as sp

from lab.errors import LabInputError
from lab.formula import FUNCTIONS, parse_formula
from lab.functions.base import ExplicitObjective, FunctionInfo
from lab.functions.frontier import Frontier

#: Names a user expression may call (the parser's list).
ALLOWED_FUNCTIONS = FUNCTIONS
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
        With ``|u|`` written as a ``Piecewise`` (see :func:`_abs_as_piecewise`).
    variables : list of sympy.Symbol (real)

    Raises
    ------
    LabInputError
        When the text is not a formula of the allowed shape (one line saying what is allowed).

    Examples
    --------
    >>> expr, xs = parse_expression("x^4")
    >>> expr, xs
    (x**4, [x])
    >>> parse_expression("x*y", ["y", "x"])[1]
    [y, x]
    """
    if variables is None:
        expr = parse_formula(text)
        chosen = sorted(str(s) for s in expr.free_symbols)
    else:
        chosen = [v.strip() for v in variables if v.strip()]
        for name in chosen:
            if not _NAME.match(name):
                raise LabInputError(f"bad variable name {name!r}; use letters, digits and _, "
                                    "starting with a letter")
        if len(set(chosen)) != len(chosen):
            raise LabInputError(f"variables repeat in {','.join(chosen)}")
        expr = parse_formula(text, symbols=chosen)
    return objective_parts(expr, chosen, text)


def objective_parts(expr: sp.Expr, names: Sequence[str], shown: str
                    ) -> tuple[sp.Expr, list[sp.Symbol]]:
    """``expr`` in real symbols named ``names`` (in that order), Abs written as Piecewise.

    For sympy expressions built by the lab (not user text); ``shown`` names the expression
    in errors.
    """
    if not names:
        raise LabInputError(f"{shown!r} has no variables; a constant is trivially "
                            "(0,0)-smooth")
    real = {n: sp.Symbol(n, real=True) for n in names}
    unknown = sorted(str(s) for s in expr.free_symbols if str(s) not in real)
    if unknown:
        raise LabInputError(f"unknown variable {unknown[0]!r} in {shown!r} "
                            f"(declared variables: {', '.join(names)})")
    expr = expr.subs({s: real[str(s)] for s in expr.free_symbols})
    if expr.has(sp.I, sp.zoo, sp.nan):
        raise LabInputError(f"{shown!r} is not a real-valued expression")
    return _abs_as_piecewise(expr), [real[n] for n in names]


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
    return objective_from_expr(expr, xs)


def objective_from_expr(expr: sp.Expr, variables: Sequence[sp.Symbol] | None = None
                        ) -> ExplicitObjective:
    """An :class:`ExplicitObjective` for a sympy expression (no text is parsed).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> objective_from_expr(x**4).dim
    1
    """
    if not isinstance(expr, sp.Expr):
        raise LabInputError(f"expected a sympy expression, got {type(expr).__name__}; parse "
                            "text with lab.functions.parse.objective_from_text")
    names = ([str(v) for v in variables] if variables is not None
             else sorted(str(s) for s in expr.free_symbols))
    expr, xs = objective_parts(expr, names, sp.sstr(expr))
    info = FunctionInfo(frontier=Frontier("certifier", exact=len(xs) == 1), l_smooth=False,
                        bounded_below=False, reason="user expression")
    return ExplicitObjective("expression", sp.sstr(expr), info, expr=expr, variables=xs)
