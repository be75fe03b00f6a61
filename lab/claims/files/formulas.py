"""Formulas of claim files: method parameters, bounds and descent models, compiled once.

Every formula is parsed by :func:`lab.formula.parse_formula` with only the symbols its key
allows (never ``eval``):

* ``[method]`` parameters and ``[bound] T``: ``L0, L1, eps, Delta, M, tau`` (``tau`` is 0:
  claim files state deterministic methods);
* ``[bound] model`` (descent): ``L0, L1, g, r`` with g = |f'(x)| and r = |y - x|;
* ``[bound] L0`` and ``L1`` (smoothness): ``L1``, the listed L1 of a member;
* ``[check] r_max``: ``L0, L1``.

Numbers are evaluated in float64 (NumPy, so a division by zero is ``inf``, not an error);
descent models in mpmath at the working precision of the check. Where a model is undefined
at ``L1 = 0`` (``(L0 + L1 g)/L1²(e^{L1 r} - L1 r - 1)``) its limit ``L1 -> 0+`` is used,
computed once by sympy.

Examples
--------
>>> f = Formula.parse("1/(10*L0)", CLAIM_SYMBOLS, "claim file x.toml, key [method] eta")
>>> f(L0=4.0, L1=1.0, eps=0.1, Delta=1.0, M=2.0)
0.025
>>> f.undefined_at_zero("L0")
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import mpmath
import numpy as np
import sympy as sp

from lab.claims.claim import DELTA, EPS, L0, L1, M, TAU
from lab.errors import LabInputError
from lab.formula import parse_formula

#: Symbols of method parameters and iteration bounds, by the name written in a file.
CLAIM_SYMBOLS = {"L0": L0, "L1": L1, "eps": EPS, "Delta": DELTA, "M": M, "tau": TAU}
G, R = sp.symbols("g r", nonnegative=True)
#: Symbols of descent models.
MODEL_SYMBOLS = {"L0": L0, "L1": L1, "g": G, "r": R}
#: Symbols of claimed smoothness constants.
CONSTANT_SYMBOLS = {"L1": L1}
#: Symbols of a search radius.
RADIUS_SYMBOLS = {"L0": L0, "L1": L1}


@dataclass(frozen=True)
class Formula:
    """A parsed formula and its float64 evaluation."""

    text: str
    expr: sp.Expr
    symbols: dict = field(repr=False)

    @classmethod
    def parse(cls, value, symbols: dict, what: str) -> "Formula":
        """A formula from a string, or a constant from a number."""
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            raise LabInputError(f"{what}: must be a number or a formula (a string), got "
                                f"{value!r}")
        if isinstance(value, str):
            expr = parse_formula(value, symbols=symbols, what=what)
        else:
            if not np.isfinite(value):
                raise LabInputError(f"{what}: must be finite, got {value!r}")
            expr = sp.Float(float(value))
        return cls(str(value), expr, dict(symbols))

    @cached_property
    def _fn(self):
        return sp.lambdify(list(self.symbols.values()), self.expr, modules="numpy")

    def __reduce__(self):
        # pickled without its compiled function (rebuilt on first use): claims travel to
        # cluster workers, and lambdified code holds module state that does not unpickle
        return (Formula, (self.text, self.expr, self.symbols))

    def __call__(self, **values) -> float:
        """The value at named symbol values (missing symbols are 0)."""
        args = [np.float64(values.get(name, 0.0)) for name in self.symbols]
        with np.errstate(all="ignore"):
            return float(self._fn(*args))

    def undefined_at_zero(self, name: str) -> bool:
        """Whether the formula is infinite or undefined when ``name`` is 0."""
        value = self.expr.subs(self.symbols[name], 0)
        return bool(value.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or value.is_infinite)


class Model:
    """A descent model ``model(L0, L1, g, r)`` in mpmath, with its limit at ``L1 = 0``."""

    def __init__(self, formula: Formula, what: str):
        self.formula = formula
        self.what = what
        self._fn = sp.lambdify([L0, L1, G, R], formula.expr, modules="mpmath")

    @cached_property
    def _at_l1_zero(self):
        limit = sp.limit(self.formula.expr, L1, 0, "+")
        if limit.has(sp.Limit, sp.zoo, sp.nan) or limit.is_infinite:
            raise LabInputError(f"{self.what} {self.formula.text!r}: undefined at L1 = 0 and "
                                f"its limit as L1 -> 0+ is {limit}; use a class with L1 > 0")
        return sp.lambdify([L0, L1, G, R], limit, modules="mpmath")

    def __call__(self, l0, l1, g, r):
        r = abs(r)
        try:
            value = self._fn(l0, l1, g, r)
            if not mpmath.isnan(value):
                return value
        except ZeroDivisionError:
            pass
        if l1 == 0:
            return self._at_l1_zero(l0, l1, g, r)
        raise LabInputError(f"{self.what} {self.formula.text!r} is undefined at L0 = {l0}, "
                            f"L1 = {l1}, g = {mpmath.nstr(g, 8)}, r = {mpmath.nstr(r, 8)}")

    def __repr__(self) -> str:
        return f"Model({self.formula.text!r})"

    def __reduce__(self):
        # rebuilt from its formula (the mpmath-lambdified code holds mpmath state that does
        # not unpickle on a cluster worker)
        return (Model, (self.formula, self.what))


def value_grid(spec: dict, what: str) -> tuple[str, list, int]:
    """``("geomspace" | "linspace", [low, high], count)`` from a grid table.

    Examples
    --------
    >>> value_grid({"geomspace": [1e-3, 1.0], "count": 4}, "h")
    ('geomspace', [0.001, 1.0], 4)
    """
    kinds = [k for k in ("geomspace", "linspace") if k in spec]
    unknown = sorted(set(spec) - {"geomspace", "linspace", "count"})
    if len(kinds) != 1 or unknown:
        raise LabInputError(f"{what}: a grid is {{geomspace = [low, high], count = N}} or "
                            f"{{linspace = [low, high], count = N}}, got {spec!r}")
    ends = spec[kinds[0]]
    count = spec.get("count", 10)
    if not (isinstance(ends, list) and len(ends) == 2):
        raise LabInputError(f"{what}: {kinds[0]} must be [low, high], got {ends!r}")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 1000:
        raise LabInputError(f"{what}: count must be an integer in [1, 1000], got {count!r}")
    return kinds[0], ends, count
