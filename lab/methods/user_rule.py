"""A user's step rule: an expression in ``g`` (the gradient norm) and named parameters.

``user_rule("eta*gamma/(g + gamma)", eta=0.1, gamma=1.0)`` is a :class:`Method` like the
built-in ones. The expression is parsed once by the lab's one safe parser
(:func:`lab.formula.parse_formula`; never ``eval``), its limits are decided symbolically, and
it is printed (:mod:`lab.methods.rule_printer`) into a :class:`~lab.methods.rules.StepRule`,
the same form as the built-in rules, so NumPy, array-API namespaces, CuPy and the fused numba
kernel all compile that one text.

Guarantees (the built-in rules' conventions)
--------------------------------------------
* **Limits decided.** The step at ``g = 0`` is the limit as ``g -> 0+`` and at ``g = +inf``
  the limit as ``g -> inf``, both computed by sympy for *every* positive value of the
  parameters (the parameters are positive symbols), and may be ``+inf``. ``Min``, ``Max``,
  ``Abs`` and ``Piecewise`` are taken limit by limit (a piecewise branch is the one whose
  condition holds for all g near the point). When sympy cannot decide a limit (it depends on
  the parameters' values, it oscillates as ``sin(1/g)`` does, or a form such as ``0*inf``
  stays), the rule is refused with a :class:`~lab.errors.LabInputError` saying which limit.
* ``g = nan`` gives the expression at ``nan`` (``nan`` unless the rule ignores ``g``).
* Between 0 and inf the step is the expression as written, evaluated in float64; no epsilon is
  added. NumPy and the fused kernel agree within 1e-12 relative (they share the text; only
  ``exp``/``log``-type functions may differ in the last bits).
* Parameters are positive finite numbers, or 1-D arrays of them with one value per run.

Examples
--------
>>> m = user_rule("eta*gamma/(g + gamma)", eta=0.5, gamma=1.0)
>>> m
user_rule('eta*gamma/(g + gamma)', eta=0.5, gamma=1.0)
>>> m.step([0.0, 1.0, float("inf")])
array([0.5 , 0.25, 0.  ])
>>> user_rule("eta*log(1 + g)/g", eta=1.0).step([0.0])
array([1.])
"""

from __future__ import annotations

import functools
import keyword
from typing import Any

import numpy as np
import sympy as sp

from lab.errors import LabInputError
from lab.formula import parse_formula
from lab.methods.method import Method, check_param
from lab.methods.rule_printer import RulePrinter
from lab.methods.rules import VOCABULARY, StepRule, evaluate

__all__ = ["user_rule", "rule_limits"]

#: the gradient-norm symbol of user rules
G = sp.Symbol("g", positive=True)
#: the functions a user rule may call (lab.formula's names that every backend provides)
RULE_FUNCTIONS = ("exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan",
                  "asinh", "Abs", "abs", "Piecewise", "Max", "Min", "max", "min")
#: names a parameter may not take (the rule's own names and its vocabulary)
RESERVED = frozenset(VOCABULARY) | {"g", "step", "s", "pi", "E", "inf", "nan"}


class _Undecided(Exception):
    """A limit sympy could not decide."""


def _decided(value: sp.Expr) -> sp.Expr:
    """``value`` if it is a determinate limit in the extended reals (else raise)."""
    bad = (sp.Limit, sp.AccumBounds)
    if value is None or value.has(sp.nan, sp.zoo, *bad) or value.has(sp.I):
        raise _Undecided(f"sympy returned {value}")
    return value


def _sign_near(expr: sp.Expr, point) -> int:
    """The sign of ``expr`` for every g close enough to ``point`` (+1 or -1), or raise."""
    exact = sp.sign(sp.simplify(expr))
    if exact in (-1, 1):
        return int(exact)
    value = _limit(expr, point)
    if value == 0:  # the sign of the leading term (in g at 0, in 1/g at infinity)
        t = sp.Dummy("t", positive=True)  # never one of the parameters (a user may name one t)
        near = expr if point == 0 else expr.xreplace({G: 1 / t})
        try:
            value = near.as_leading_term(G if point == 0 else t)
        except Exception:  # sympy raises many types for non-analytic terms
            value = sp.nan
    if value.is_extended_positive:
        return 1
    if value.is_extended_negative:
        return -1
    raise _Undecided(f"the sign of {expr} near g = {point} is not decided")


def _eventually(cond, point) -> bool:
    """Whether ``cond`` holds for every g close enough to ``point`` (0+ or oo)."""
    if cond in (sp.true, sp.false):
        return bool(cond)
    if isinstance(cond, sp.And):
        return all(_eventually(c, point) for c in cond.args)
    if isinstance(cond, sp.Or):
        return any(_eventually(c, point) for c in cond.args)
    if isinstance(cond, sp.Not):
        return not _eventually(cond.args[0], point)
    if isinstance(cond, (sp.StrictLessThan, sp.LessThan, sp.StrictGreaterThan,
                         sp.GreaterThan)):
        less = isinstance(cond, (sp.StrictLessThan, sp.LessThan))
        return (_sign_near(cond.lhs - cond.rhs, point) < 0) == less
    raise _Undecided(f"the condition {cond} is not a comparison")


def _resolve(expr: sp.Expr, point) -> sp.Expr:
    """``expr`` with every Piecewise, Min, Max and Abs replaced by the branch it equals for
    all g close enough to ``point`` (so both have the same limit there)."""
    if not expr.has(G) or not expr.has(sp.Min, sp.Max, sp.Piecewise, sp.Abs):
        return expr
    if isinstance(expr, sp.Piecewise):
        for piece in expr.args:
            if _eventually(piece.cond, point):
                return _resolve(piece.expr, point)
        raise _Undecided("no branch of the Piecewise holds there")
    args = [_resolve(a, point) for a in expr.args]
    if isinstance(expr, (sp.Min, sp.Max)):
        best = args[0]
        for other in args[1:]:
            below = _sign_near(other - best, point) < 0
            best = other if below == isinstance(expr, sp.Min) else best
        return best
    if isinstance(expr, sp.Abs):
        return args[0] * _sign_near(args[0], point)
    return expr.func(*args)


def _limit(expr: sp.Expr, point) -> sp.Expr:
    """The limit of ``expr`` as g -> ``point`` (0 from above, or oo), decided or raised."""
    if not expr.has(G):
        return expr
    try:
        target, unresolved = _resolve(expr, point), None
    except _Undecided as exc:  # no single branch near the point: sympy may still know
        target, unresolved = expr, exc
    try:
        return _decided(sp.limit(target, G, point, "+" if point == 0 else "-"))
    except (NotImplementedError, TypeError, ValueError, _Undecided) as exc:
        raise _Undecided(str(unresolved or exc) or type(exc).__name__) from None


def rule_limits(expr: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """The limits of a rule at g -> 0+ and g -> inf (sympy; parameters positive).

    Raises
    ------
    LabInputError
        When one of them cannot be decided for every positive parameter value.

    Examples
    --------
    >>> eta, gamma = sp.symbols("eta gamma", positive=True)
    >>> rule_limits(sp.Min(eta, eta * gamma / G))
    (eta, 0)
    """
    out = []
    for point, where in ((sp.S.Zero, "g -> 0+"), (sp.oo, "g -> inf")):
        try:
            out.append(sp.simplify(_limit(expr, point)))
        except _Undecided as exc:
            raise LabInputError(
                f"step rule {sp.sstr(expr)!r}: cannot decide its limit as {where} for every "
                f"positive value of the parameters ({exc}); write the rule so that this limit "
                "is determined (for example with Min/Max or Piecewise)") from None
    return out[0], out[1]


@functools.lru_cache(maxsize=256)
def _compile(expression: str, names: tuple[str, ...]) -> StepRule:
    """Parse, decide the limits and print the rule (once per expression and names)."""
    symbols = {"g": G, **{name: sp.Symbol(name, positive=True) for name in names}}
    what = "step rule"
    expr = parse_formula(expression, symbols=symbols, functions=RULE_FUNCTIONS, what=what)
    unused = [name for name in names if symbols[name] not in expr.free_symbols]
    if unused:
        raise LabInputError(f"{what} {expression!r}: parameter {unused[0]!r} does not appear "
                            f"in it; give only the parameters it uses")
    at_zero, at_inf = rule_limits(expr)
    printer = RulePrinter()
    body = (f"s = {printer.doprint(expr)}",
            f"where(g == 0.0, {printer.doprint(at_zero)}, "
            f"where(g == inf, {printer.doprint(at_inf)}, s))")
    doc = (f"User rule {expression!r}: step at g = 0 is {sp.sstr(at_zero)} (the limit g -> 0+),"
           f" at g = inf {sp.sstr(at_inf)}.")
    return StepRule(f"user_rule {expression}", names, body, doc)


def _check_names(expression: Any, params: dict) -> None:
    if not isinstance(expression, str):
        raise LabInputError(f"user_rule: the rule must be a string expression in g, got "
                            f"{expression!r}")
    for name in params:
        if not name.isidentifier() or keyword.iskeyword(name) or name in RESERVED:
            raise LabInputError(f"user_rule: {name!r} cannot be a parameter name; use a name "
                                f"other than {', '.join(sorted(RESERVED))}")


def user_rule(expression: str, /, **params: Any) -> Method:
    """A stateless step rule ``h(g)`` given as an expression in ``g`` and named parameters.

    Parameters
    ----------
    expression : str
        The step as a formula in ``g`` (the gradient norm, ``g >= 0``) and the parameters,
        for example ``"eta*gamma/(g + gamma)"`` or ``"Min(eta, eta*gamma/g)"``. Parsed by
        :func:`lab.formula.parse_formula` with the functions of :data:`RULE_FUNCTIONS`.
    **params : float or 1-D array
        Every parameter the expression uses, each a positive finite number or an array with
        one value per run.

    Returns
    -------
    Method
        Named ``user_rule``; ``repr`` reproduces this call.

    Raises
    ------
    LabInputError
        For text that does not parse, an unknown name, a parameter missing or unused, a
        value that is not positive and finite, or a limit at ``g = 0`` or ``g = inf`` that
        cannot be decided (see the module docstring).

    Examples
    --------
    >>> user_rule("Min(eta, eta*gamma/g)", eta=0.1, gamma=2.0).step([1.0, 4.0])
    array([0.1 , 0.05])
    """
    _check_names(expression, params)
    values = {name: check_param("user_rule", name, value) for name, value in params.items()}
    rule = _compile(expression, tuple(params))
    method = Method(name="user_rule", rule=rule, params=values, args=(expression,))
    _check_steps_nonnegative(expression, method)
    return method


#: gradient norms at which a rule's steps are probed: 0, 10^-12 .. 10^12 (4 per decade), inf
PROBE_NORMS = np.concatenate(([0.0], np.logspace(-12, 12, 97), [np.inf]))


def _check_steps_nonnegative(expression: str, method: Method) -> None:
    """Refuse a rule whose step is negative at a probe norm (:data:`PROBE_NORMS`) for the
    given parameters (every run's, when they are arrays): a negative step ascends.

    A probe, not a proof: a rule negative only between probe points passes. NaN (a Piecewise
    with no branch at some g) is not refused: the engine reports such a run as diverged."""
    runs = max((np.size(v) for v in method.params.values()), default=1)
    for norm in PROBE_NORMS:
        steps = np.asarray(evaluate(method.step_rule, np.full(runs, norm), **method.params))
        bad = np.flatnonzero(steps < 0.0)
        if bad.size:
            run = bad[0]
            given = ", ".join(f"{k}={float(np.ravel(v)[run if np.size(v) > 1 else 0]):g}"
                              for k, v in method.params.items())
            raise LabInputError(
                f"step rule {expression!r}: the step at g = {norm:g} is {steps[run]:g} with "
                f"{given}; a step size must be >= 0 at every g >= 0 (for example wrap it in "
                "Max(0, ...) or use a rule that is positive)")
