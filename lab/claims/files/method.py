"""The ``[method]`` table of a claim file: a built-in rule or a user rule, with parameters as
formulas evaluated at each instance.

``name = "clipped"`` picks a built-in deterministic rule (``python -m lab run --help``);
``rule = "eta*gamma/(g + gamma)"`` a user rule (:func:`lab.methods.user_rule`). Every other
key is a parameter: a number or a formula in ``L0, L1, eps, Delta, M, tau``. In a
lower-bound claim exactly one parameter is *free*: a list of values (numbers or formulas) or
a grid ``{geomspace = [low, high], count = N}`` (``linspace`` too; the ends may be
formulas), and the claim says that for every one of its values some instance needs at least
T iterations.

Examples
--------
>>> m = FileMethod(name="clipped", params={"eta": Formula.parse("1/(10*L0)", CLAIM_SYMBOLS,
...                "eta"), "gamma": Formula.parse(1.0, CLAIM_SYMBOLS, "gamma")})
>>> from types import SimpleNamespace
>>> m(SimpleNamespace(L0=2.0, L1=1.0), 0.1, 1.0, 3.0)
clipped(eta=0.05, gamma=1.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from lab.claims.files.formulas import CLAIM_SYMBOLS, Formula, value_grid
from lab.errors import LabInputError
from lab.methods import METHODS, Method, get_method, user_rule

#: Built-in rules a claim file may name (the stochastic ones need a noise model and seeds).
FILE_METHODS = tuple(n for n in METHODS if n not in ("sgd", "clipped_sgd",
                                                    "clipped_sgd_momentum"))


def build_rule(rule: str, params: dict) -> Method:
    """``lab.methods.user_rule(rule, **params)``."""
    return user_rule(rule, **params)


@dataclass(frozen=True)
class FileMethod:
    """A method whose parameters are formulas; call it at an instance to get a Method."""

    name: str | None = None
    rule: str | None = None
    params: dict = field(default_factory=dict)  # name -> Formula
    free: str | None = None
    free_values: tuple = ()  # Formula values, or ("geomspace"/"linspace", lo, hi, count)
    what: str = "[method]"

    def _point(self, member, eps, delta, m) -> dict:
        return {"L0": member.L0, "L1": member.L1, "eps": eps, "Delta": delta, "M": m}

    def values(self, member, eps: float, delta: float, m: float) -> list[float]:
        """The free parameter's values at an instance."""
        point = self._point(member, eps, delta, m)
        if self.free_values and isinstance(self.free_values[0], str):
            kind, low, high, count = self.free_values
            lo, hi = low(**point), high(**point)
            if not (0 < lo < hi < np.inf):
                raise LabInputError(f"{self.what} {self.free}: the grid's ends must be "
                                    f"0 < low < high, got {lo!r}, {hi!r} at {point}")
            grid = np.geomspace(lo, hi, count) if kind == "geomspace" else \
                np.linspace(lo, hi, count)
            return [float(v) for v in grid]
        return [f(**point) for f in self.free_values]

    def __call__(self, member, eps: float, delta: float, m: float, value=None) -> Method:
        """The method at an instance (``value``: the free parameter's value)."""
        point = self._point(member, eps, delta, m)
        params = {k: f(**point) for k, f in self.params.items()}
        if self.free is not None:
            params[self.free] = value
        try:
            if self.rule is not None:
                return build_rule(self.rule, params)
            return get_method(self.name, **params)
        except LabInputError as exc:
            at = ", ".join(f"{k} = {v:.6g}" for k, v in point.items())
            raise LabInputError(f"{self.what} gives an invalid method at {at}: {exc}") \
                from None

    def undefined_at_zero_l0(self) -> bool:
        """Whether a parameter formula is infinite or undefined at L0 = 0."""
        formulas = list(self.params.values())
        if self.free_values and not isinstance(self.free_values[0], str):
            formulas += list(self.free_values)
        elif self.free_values:
            formulas += list(self.free_values[1:3])
        return any(f.undefined_at_zero("L0") for f in formulas)

    def describe(self) -> str:
        """The method as written, e.g. ``clipped(eta = 1/(10*L0), gamma = ...)``."""
        head = self.name if self.rule is None else f"user_rule({self.rule!r})"
        parts = [f"{k} = {f.text}" for k, f in self.params.items()]
        if self.free is not None:
            parts.append(f"{self.free} in {self._free_text()}")
        return f"{head}({', '.join(parts)})"

    def _free_text(self) -> str:
        if self.free_values and isinstance(self.free_values[0], str):
            kind, low, high, count = self.free_values
            return f"{kind}({low.text}, {high.text}, {count})"
        return "[" + ", ".join(f.text for f in self.free_values) + "]"


def free_values(value, what: str):
    """The free parameter's values from a list or a grid table (see the module docstring)."""
    if isinstance(value, dict):
        kind, (low, high), count = value_grid(value, what)
        return (kind, Formula.parse(low, CLAIM_SYMBOLS, what),
                Formula.parse(high, CLAIM_SYMBOLS, what), count)
    if not value:
        raise LabInputError(f"{what}: the free parameter needs at least one value")
    return tuple(Formula.parse(v, CLAIM_SYMBOLS, what) for v in value)
