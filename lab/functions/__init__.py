"""The function layer: objectives defined once in sympy, and the zoo.

Examples
--------
>>> from lab.functions import get_function
>>> f = get_function("quartic")
>>> f.value([[2.0]])
array([16.])
>>> f.info.frontier.describe()
'L0 >= 16/L1**2 (L1 > 0)'
>>> get_function("quartic_norm", d=1000).grad_norm([[1.0] * 1000]).round(1)
array([126491.1])
"""

from __future__ import annotations

import difflib
import inspect
from typing import Any

from lab.errors import LabInputError
from lab.functions.base import (
    T,
    ExplicitObjective,
    FunctionInfo,
    Objective,
    RadialObjective,
    Reduction,
    RidgeObjective,
)
from lab.functions.frontier import L1_SYMBOL, Frontier
from lab.functions.table import zoo_rows
from lab.functions.zoo import ZOO, ZooEntry, hard_family_gap

__all__ = [
    "ZOO", "ZooEntry", "Objective", "ExplicitObjective", "RidgeObjective", "RadialObjective",
    "FunctionInfo", "Frontier", "Reduction", "T", "L1_SYMBOL", "get_function", "function_names",
    "hard_family", "hard_family_gap", "zoo_rows",
]


def function_names() -> list[str]:
    """Names of every zoo member, in the zoo's order."""
    return list(ZOO)


def get_function(name: str, **params: Any) -> Objective:
    """Build a zoo member by name.

    Parameters
    ----------
    name : str
        A name from :func:`function_names` (see ``python -m lab functions``).
    **params
        The member's parameters (for example ``d`` for the d-dimensional ones).

    Raises
    ------
    LabInputError
        For an unknown name or parameter; the message lists what is allowed.

    Examples
    --------
    >>> get_function("exp").grad([[0.0]])
    array([[1.]])
    """
    if not isinstance(name, str) or name not in ZOO:
        close = difflib.get_close_matches(str(name), ZOO, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise LabInputError(
            f"unknown function {name!r}{hint}; choose one of: {', '.join(ZOO)}"
        )
    factory = ZOO[name].factory
    allowed = list(inspect.signature(factory).parameters)
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        allowed_text = ", ".join(allowed) if allowed else "none"
        raise LabInputError(
            f"function {name!r} has no parameter {unknown[0]!r}; its parameters: {allowed_text}"
        )
    return factory(**params)


def hard_family(L1: float = 2.0, M: float = 100.0, eps: float = 0.1,
                slope: float = 2.0) -> list[Objective]:
    """The two members of Theorem 4's hard family for fixed-step GD, with equal gaps.

    ``slope`` is the flat member's far-field slope in units of ``eps`` (see
    :func:`lab.functions.zoo.make_hard_flat`).

    Examples
    --------
    >>> steep, flat = hard_family(L1=2.0, M=100.0, eps=0.1)
    >>> round(float(steep.grad(steep.info.start)[0, 0]), 9)
    100.0
    """
    return [get_function("hard_steep", L1=L1, M=M),
            get_function("hard_flat", L1=L1, M=M, eps=eps, slope=slope)]
