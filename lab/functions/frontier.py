"""The set of valid (L0, L1) constants of a function.

For a C² function f the Hessian form of (L0,L1)-smoothness, ``||∇²f(x)|| <= L0 + L1||∇f(x)||``
for all x, holds for a given L1 exactly when ``L0 >= sup_x (||∇²f(x)|| - L1||∇f(x)||)``. So the
valid set is described by the smallest valid L1 and the function ``L1 -> smallest valid L0``
(never below 0). A :class:`Frontier` stores that function, as a sympy expression in the symbol
``L1`` when it is known in closed form, or as "computed by the certifier" otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import sympy as sp

from lab.formula import exact_decimal, float_at_least

#: The symbol in which closed-form frontiers are written.
L1_SYMBOL = sp.Symbol("L1", nonnegative=True)


@dataclass(frozen=True)
class Frontier:
    """The valid (L0, L1) set of one function.

    Parameters
    ----------
    kind : {"closed_form", "certifier", "none"}
        ``closed_form``: ``l0_min`` is a sympy expression in :data:`L1_SYMBOL`.
        ``certifier``: no closed form is stated; the smallest L0 is computed on demand by
        :func:`lab.smoothness.min_valid_l0` (exactly where sympy can, numerically otherwise);
        :func:`lab.smoothness.frontier_l0` dispatches.
        ``none``: no constants work at all (the function is not (L0,L1)-smooth).
    l0_min : sympy.Expr or None
        Smallest valid L0 as a function of L1 (closed forms only).
    l1_min : float
        Smallest valid L1 (``math.inf`` when none is valid).
    l1_min_included : bool
        Whether L1 = ``l1_min`` itself is valid.
    exact : bool
        Whether the stated frontier is derived exactly (True) or certified numerically.

    Examples
    --------
    >>> f = Frontier("closed_form", 16 / L1_SYMBOL**2, l1_min=0.0, l1_min_included=False)
    >>> f.l0_for(2.0)
    4.0
    >>> f.l0_for(0.0)
    inf
    """

    kind: Literal["closed_form", "certifier", "none"]
    l0_min: sp.Expr | None = None
    l1_min: float = 0.0
    l1_min_included: bool = True
    exact: bool = True

    def l1_valid(self, L1: float) -> bool:
        """Whether some L0 works with this L1."""
        if self.kind == "none":
            return False
        if L1 > self.l1_min:
            return True
        return L1 == self.l1_min and self.l1_min_included

    def l0_for(self, L1: float) -> float:
        """Smallest valid L0 for this L1 (``inf`` when no L0 works); closed forms only.

        The smallest float at or above the exact value (:func:`lab.formula.float_at_least`):
        the nearest float may lie below it, and then it is not a valid L0."""
        if not self.l1_valid(L1):
            return math.inf
        if self.kind != "closed_form":
            raise ValueError("this frontier has no closed form: use lab.smoothness.frontier_l0")
        return max(float_at_least(self.l0_min.subs(L1_SYMBOL, exact_decimal(L1))), 0.0)

    def describe(self) -> str:
        """A one-line human description, e.g. ``L0 >= 16/L1**2 (L1 > 0)``."""
        if self.kind == "none":
            return "no (L0, L1) works"
        op = ">=" if self.l1_min_included else ">"
        l1_part = f"L1 {op} {_fmt(self.l1_min)}"
        if self.kind == "closed_form":
            body = f"L0 >= {sp.sstr(self.l0_min)}"
        else:
            body = "L0 >= sup(|f''| - L1|f'|) (certifier)"
        tag = "" if self.exact else " [numeric]"
        return f"{body} ({l1_part}){tag}"


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"
