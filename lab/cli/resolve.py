"""What a command-line name stands for: a zoo function or a user expression, a built-in
method or a user rule, and constants (L0, L1) filled in from the certifier.

A ``--function`` value that is a zoo name (``python -m lab functions``) is that function;
anything else is an expression, parsed by :func:`lab.formula.parse_formula` (``"x**6"``,
``"a*x**4 + x**2"`` with ``-F a=0.5``). A bare name that is not in the zoo is a typo, not the
expression ``f(x) = x``: the error suggests the closest zoo name.

Examples
--------
>>> resolve_function("x**6", {})
expression('x**6')
>>> resolve_function("quartc", {})
Traceback (most recent call last):
...
lab.errors.LabInputError: unknown function 'quartc' (did you mean 'quartic'?); give a zoo name (python -m lab functions) or an expression such as 'x**6'
>>> resolve_method(None, "eta*gamma/(g + gamma)", {"eta": 0.1, "gamma": 1.0})
user_rule('eta*gamma/(g + gamma)', eta=0.1, gamma=1.0)
"""

from __future__ import annotations

from lab.errors import LabInputError
from lab.functions import Objective
from lab.functions.expression import function_from_spec
from lab.methods import Method, get_method, user_rule
from lab.smoothness import frontier_l0, min_valid_l0

#: Built-in methods whose parameters are the constants (L0, L1).
CONSTANT_METHODS = ("quadratic_model", "eta_star", "eta_si", "eta_cl")


def resolve_function(text: str, params: dict, variables: str | None = None) -> Objective:
    """A zoo function by name, or the user expression ``text`` with ``params`` substituted."""
    names = None if variables is None else [v for v in variables.split(",") if v.strip()]
    if names is not None:
        params = {**params, "variables": names}
    return function_from_spec(text, what="--function", **params)


def resolve_method(name: str | None, rule: str | None, params: dict) -> Method:
    """A built-in method (``--method NAME``) or a user rule (``--rule EXPRESSION``)."""
    if (name is None) == (rule is None):
        raise LabInputError("give --method NAME (a built-in rule) or --rule EXPRESSION (a step "
                            "rule in g, e.g. --rule 'eta*gamma/(g + gamma)'), one of them")
    if rule is not None:
        return user_rule(rule, **params)
    return get_method(name, **params)


def fill_l0(function: Objective, method_name: str | None, params: dict) -> str | None:
    """For a method of the constants (eta_star, ...) given L1 but no L0: set ``params["L0"]``
    to the smallest valid L0 at that L1 and return the line that says where it came from.

    Examples
    --------
    >>> p = {"L1": 2.0}
    >>> fill_l0(resolve_function("x**4", {}), "eta_si", p), p["L0"]
    ('L0 = 4 (the smallest valid L0 at L1 = 2; certifier, exact)', 4.0)
    """
    if method_name not in CONSTANT_METHODS or "L0" in params or "L1" not in params:
        return None
    l1 = params["L1"]
    if not isinstance(l1, float):
        raise LabInputError("--L1 must be one number when L0 is filled in from the certifier")

    if function.info.frontier.kind == "closed_form":
        value, how = frontier_l0(function, l1), "zoo frontier, closed form"
    else:
        fv = min_valid_l0(function, l1)
        value = fv.value
        how = ("certifier, exact" if fv.exact else
               "certifier, numeric: a lower bound on the smallest valid L0, not proved")
    if not value < float("inf"):
        raise LabInputError(f"{function!r} has no valid L0 at L1 = {l1:g}; give a larger --L1")
    params["L0"] = float(value)
    return f"L0 = {value:.10g} (the smallest valid L0 at L1 = {l1:g}; {how})"
