"""A parametrised expression family as a class: an expression, parameter values, L1 values.

Every combination of parameter values is one function; at every listed L1 its smallest
valid L0 comes from the certifier (:func:`lab.smoothness.min_valid_l0`: an exact sympy
supremum for one variable; where sympy cannot decide, a numeric value that is only a lower
bound, and the member says so in ``constants``). Its infimum f* and the sublevel sets of
start points come from :mod:`lab.classes.sublevel`. A parameter "range" is sampled on a
grid (``{"low": 0.5, "high": 2, "count": 4}``): every member's constants are certified, so a
family is finite.

Examples
--------
>>> fam = expression_family("a*x**4 + x**2", params={"a": [0.5, 2.0]}, L1=[1.0])
>>> [(m.objective, round(m.L0, 4), m.constants) for m in fam.sweep_members()]
[(expression('a*x**4 + x**2', a=0.5), 6.1773, 'certifier (exact)'), (expression('a*x**4 + x**2', a=2.0), 30.0423, 'certifier (exact)')]
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import numpy as np
from hypothesis import strategies as st

from lab.classes.base import POSITIVE_L0, FunctionClass, as_interval, as_value_list
from lab.classes.member import Member, valid_l0_float
from lab.classes.sublevel import geometry
from lab.errors import LabInputError
from lab.functions.expression import expression
from lab.smoothness import min_valid_l0

#: Start points of family members when the class names none: ``[-X0_RANGE, X0_RANGE]``.
X0_RANGE = 2.0


def _values(name: str, spec) -> tuple[float, ...]:
    if isinstance(spec, dict):
        unknown = sorted(set(spec) - {"low", "high", "count"})
        if unknown or not {"low", "high"} <= set(spec):
            raise LabInputError(f"parameter {name}: a range is {{low = ..., high = ..., "
                                f"count = ...}}, got {spec!r}")
        low, high = as_interval([spec["low"], spec["high"]], f"parameter {name} range")
        count = spec.get("count", 3)
        if isinstance(count, bool) or not isinstance(count, int) or not 2 <= count <= 50:
            raise LabInputError(f"parameter {name}: count must be an integer in [2, 50], got "
                                f"{count!r}")
        return tuple(float(v) for v in np.linspace(low, high, count))
    return as_value_list(spec, f"parameter {name}", low=-np.inf)


class ExpressionFamily(FunctionClass):
    """Build with :func:`expression_family`."""

    kind = "expression"

    def __init__(self, text: str, *, params=None, L1=None, L0=None, x0=None,
                 variable: str | None = None):
        params = dict(params or {})
        self.text = text
        self.params = {k: _values(k, v) for k, v in params.items()}
        self.L1 = as_value_list(L1 if L1 is not None else [1.0], "L1")
        self.L0 = as_value_list(L0, "L0")
        self.x0 = as_interval(x0, "x0") or (-X0_RANGE, X0_RANGE)
        self.variable = variable
        self._args = (text, params, L1, L0, x0, variable)
        self.functions = [self._function(dict(zip(self.params, combo))) for combo in
                          itertools.product(*self.params.values())]
        self._cache: dict = {}

    def _function(self, values: dict):
        f = expression(self.text, variables=None if self.variable is None else
                       [self.variable], **values)
        if f.dim != 1:
            raise LabInputError(f"a class member must have one variable: {self.text!r} has "
                                f"{f.dim} ({', '.join(str(v) for v in f.variables)}); give "
                                "the others as params")
        return f

    def __repr__(self) -> str:
        text, params, L1, L0, x0, variable = self._args
        args = [repr(text)] + [f"{k}={v!r}" for k, v in (
            ("params", params), ("L1", L1), ("L0", L0), ("x0", x0), ("variable", variable))
            if v]
        return f"expression_family({', '.join(args)})"

    @property
    def covers(self) -> str:
        return f"{self.functions_text} (L0 certified per member)"

    @property
    def functions_text(self) -> str:
        grid = ", ".join(f"{k} in {list(v)}" for k, v in self.params.items())
        return (f"the expression family {self.text}" + (f" with {grid}" if grid else "")
                + f" at L1 in {list(self.L1)}")

    def _members_of(self, f, positive_l0: bool) -> list[Member]:
        geo = geometry(f)
        out = []
        for l1 in self.L1:
            fv = min_valid_l0(f, l1)
            if not np.isfinite(fv.value):
                raise LabInputError(f"{f!r} has no valid L0 at L1 = {l1:g} (certifier: "
                                    f"{fv.text}, {fv.where}); drop that L1 from the list")
            how = "certifier (exact)" if fv.exact else "certifier (numeric lower bound)"
            l0_min = valid_l0_float(f, l1, fv.value) if fv.exact else fv.value
            if self.L0 is not None:
                l0s = [v for v in self.L0 if v >= l0_min and (v > 0 or not positive_l0)]
                if not l0s:
                    raise LabInputError(f"no L0 in the class's list {list(self.L0)} is valid "
                                        f"for {f!r} at L1 = {l1:g} (smallest valid: "
                                        f"{l0_min:.6g})")
            elif positive_l0 and l0_min == 0:
                l0s = list(POSITIVE_L0)
            else:
                l0s = [l0_min]
            out += [Member(f, float(l0), float(l1), geo.f_star, max(map(abs, self.x0)),
                           shape="general", constants=how, start=self.x0) for l0 in l0s]
        return out

    def _lists(self, positive_l0: bool, allow_l_smooth: bool) -> list[list[Member]]:
        key = (positive_l0, allow_l_smooth)
        if key not in self._cache:
            lists = [[m for m in self._members_of(f, positive_l0)
                      if allow_l_smooth or m.L1 > 0] for f in self.functions]
            lists = [ms for ms in lists if ms]
            if not lists:
                raise LabInputError(f"{self!r} has no member with L1 > 0")
            self._cache[key] = lists
        return self._cache[key]

    def members(self, *, positive_l0: bool = False, allow_l_smooth: bool = True):
        lists = self._lists(positive_l0, allow_l_smooth)
        return st.sampled_from(range(len(lists))).flatmap(lambda i: st.sampled_from(lists[i]))

    def sweep_members(self, *, positive_l0: bool = False) -> list[Member]:
        return list(itertools.chain.from_iterable(self._lists(positive_l0, True)))

    def smoothness_points(self) -> list:
        return [(f, l1) for f in self.functions for l1 in self.L1]

    def with_start(self, member: Member) -> Member:
        """The member with this family's start interval."""
        return replace(member, start=self.x0)


def expression_family(text: str, *, params=None, L1=None, L0=None, x0=None,
                      variable: str | None = None) -> ExpressionFamily:
    """A parametrised expression family as a class.

    Parameters
    ----------
    text : str
        The expression, e.g. ``"a*x**4 + x**2"`` (one variable once parameters are given).
    params : dict, optional
        Parameter name -> list of values, or ``{"low": .., "high": .., "count": ..}``.
    L1 : list of float, optional
        The L1 values (default ``[1.0]``); L0 is the smallest valid one per member.
    L0 : list of float, optional
        L0 values instead (each valid one is used).
    x0 : [low, high], optional
        Where start points are drawn (default ``[-2, 2]``).
    variable : str, optional
        The variable's name when the expression has several names that are not parameters.

    Raises
    ------
    LabInputError
        A text that does not parse; when members are first built (their constants are
        certified then), a member with no valid L0 at a listed L1 or unbounded below.

    Examples
    --------
    >>> expression_family("x**4 - x**2", L1=[1.0]).sweep_members()[0].f_star
    -0.25
    """
    return ExpressionFamily(text, params=params, L1=L1, L0=L0, x0=x0, variable=variable)
