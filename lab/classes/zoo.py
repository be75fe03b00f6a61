"""Classes of zoo functions: the lab's default class and any list of zoo names.

The default class, :func:`zoo_class` with no arguments, is the one every catalogued claim
used before classes were values: eight convex univariate kinds, each with parameters drawn
from short lists (so compiled objectives are cached and reused), with (L0, L1) from the
zoo's closed-form frontiers:

========== ============================================ ===========================
kind       members                                      L1 values
========== ============================================ ===========================
witness    w with (L0, L1) = (a, b), a in 0.5, 1, 4     0.5, 1, 2, 4
quartic    x^4, L0 = 16/L1²                              0.5, 1, 2, 4
cosh       L0 = 1                                       1, 2, 4
exp_sum    L0 = 2                                       1, 2, 4
log_exp_sum L0 = 1                                      0 (if allowed), 0.5, 1, 2, 4
exp        L0 in 0.25, 1, 4 (or 0, 0.25, 1)             1
logistic   scale a in 1, 3, L0 in 0.25, 1 (or 0, 0.25)  a
norm_power (1/3) x^6, L0 = 2 (4/L1)^4                   0.5, 1, 2, 4
========== ============================================ ===========================

A *list* class, ``zoo_class(["quartic", "witness"], L1=[0.5, 1, 2])``, has one member per
name and listed L1 with L0 the smallest valid one (an error when a name has no valid L0 at
a listed L1), or every listed L0 that is valid (``L0=[...]``). A bare ``"witness"`` stands
for the tight witnesses with (L0, L1) = (a, L1) for the listed L1 and a in the listed L0
(default 0.5, 1, 4); a name with parameters, ``("logistic", {"scale": 3.0})``, is that one
function. Functions of d variables are taken with d = 1.

Examples
--------
>>> c = zoo_class(["quartic", "log_exp_sum"], L1=[1.0, 2.0])
>>> [(m.objective.name, m.L0, m.L1) for m in c.sweep_members()]
[('quartic', 16.0, 1.0), ('quartic', 4.0, 2.0), ('log_exp_sum', 1.0, 1.0), ('log_exp_sum', 1.0, 2.0)]
>>> zoo_class(["exp"], L1=[0.5]).sweep_members()
Traceback (most recent call last):
...
lab.errors.LabInputError: get_function('exp') has no valid L0 at L1 = 0.5 (its frontier: L0 >= 0 (L1 >= 1))
>>> zoo_class(["phase_retrieval"])
Traceback (most recent call last):
...
lab.errors.LabInputError: zoo function 'phase_retrieval' cannot be a class member: not univariate (d = 3); class members: quartic, double_well, exp, cosh, exp_sum, log_exp_sum, witness, exp_ridge, logistic, quartic_norm, norm_power, hard_steep, hard_flat
"""

from __future__ import annotations

import itertools
from dataclasses import replace
from functools import cached_property

from hypothesis import strategies as st

from lab.classes.base import POSITIVE_L0, FunctionClass, as_interval, as_value_list
from lab.classes.member import Member, make_member, witness_member, zoo_function
from lab.errors import LabInputError
from lab.functions import ZOO

#: Zoo functions that can be class members (univariate, bounded below, with a frontier).
CLASS_NAMES = ("quartic", "double_well", "exp", "cosh", "exp_sum", "log_exp_sum", "witness",
               "exp_ridge", "logistic", "quartic_norm", "norm_power", "hard_steep", "hard_flat")
#: Univariate zoo functions that are not members (smoothness claims may still name them).
UNBOUNDED = ("cubic",)
_WHY_NOT = {"phase_retrieval": "not univariate (d = 3)",
            "two_layer_linear": "not (L0,L1)-smooth (a non-example)",
            "xy_squared": "not (L0,L1)-smooth (a non-example)"}
#: The functions with a dimension parameter (taken with d = 1).
_DIMENSIONAL = ("exp_ridge", "logistic", "quartic_norm", "norm_power")

#: The default class: kinds, in the order they are drawn.
DEFAULT_KINDS = ("witness", "quartic", "cosh", "exp_sum", "log_exp_sum", "exp", "logistic",
                 "norm_power")
_L1S = (0.5, 1.0, 2.0, 4.0)
_BIG_L1S = (1.0, 2.0, 4.0)
#: L1 values of a listed name when the class gives none (absent: the frontier's smallest L1).
_DEFAULT_L1 = {"witness": _L1S, "quartic": _L1S, "norm_power": _L1S, "quartic_norm": _L1S,
               "double_well": _L1S, "log_exp_sum": _L1S, "cosh": _BIG_L1S, "exp_sum": _BIG_L1S,
               "exp": (1.0,)}


def _default_axes(kind: str, positive_l0: bool, allow_l_smooth: bool):
    """``(axes, build)``: the value lists drawn in order for a kind, and the member builder."""
    if kind == "witness":
        return ((0.5, 1.0, 4.0), _L1S), witness_member
    if kind == "quartic":
        return (_L1S,), lambda b: make_member("quartic", L1=b)
    if kind == "norm_power":
        return (_L1S,), lambda b: make_member("norm_power", L1=b, d=1, n=3)
    if kind in ("cosh", "exp_sum"):
        return (_BIG_L1S,), lambda b: make_member(kind, L1=b)
    if kind == "log_exp_sum":
        return (_L1S + ((0.0,) if allow_l_smooth else ()),), lambda b: make_member(kind, L1=b)
    if kind == "exp":
        return (((0.25, 1.0, 4.0) if positive_l0 else (0.0, 0.25, 1.0)),), \
            lambda l0: make_member("exp", L1=1.0, L0=l0)
    return (((1.0, 3.0)), ((0.25, 1.0) if positive_l0 else (0.0, 0.25))), \
        lambda a, l0: make_member("logistic", L1=a, L0=l0, d=1, scale=a)


def _default_sweep(positive_l0: bool) -> list[Member]:
    return [
        witness_member(1.0, 1.0),
        witness_member(1.0, 4.0),
        make_member("quartic", L1=1.0),
        make_member("cosh", L1=1.0),
        make_member("exp_sum", L1=2.0),
        make_member("log_exp_sum", L1=1.0),
        make_member("exp", L1=1.0, L0=1.0 if positive_l0 else 0.0),
        make_member("logistic", L1=3.0, L0=0.25 if positive_l0 else 0.0, d=1, scale=3.0),
    ]


def _entry(item) -> tuple[str, dict]:
    """``(name, params)`` from a name or a (name, params) pair, validated."""
    if isinstance(item, str):
        name, params = item, {}
    elif isinstance(item, (tuple, list)) and len(item) == 2 and isinstance(item[1], dict):
        name, params = item[0], dict(item[1])
    else:
        raise LabInputError(f"a zoo class entry is a name or (name, {{parameters}}), got "
                            f"{item!r}")
    if name not in CLASS_NAMES + UNBOUNDED:
        why = _WHY_NOT.get(name, "not in the zoo" if name not in ZOO else "not univariate")
        raise LabInputError(f"zoo function {name!r} cannot be a class member: {why}; class "
                            f"members: {', '.join(CLASS_NAMES)}")
    if name in _DIMENSIONAL:
        if params.get("d", 1) != 1:
            raise LabInputError(f"class members are univariate: {name} needs d = 1, got "
                                f"d = {params['d']!r}")
        params["d"] = 1
    zoo_function(name, tuple(sorted(params.items())))  # validates the parameters
    return name, params


class ZooClass(FunctionClass):
    """Zoo functions as a class (see the module docstring); build with :func:`zoo_class`."""

    kind = "zoo"

    def __init__(self, entries=None, *, L1=None, L0=None, x0=None):
        self.default = entries is None and L1 is None and L0 is None and x0 is None
        names = DEFAULT_KINDS if entries is None else entries
        if isinstance(names, str) or not names:
            raise LabInputError(f"a zoo class lists zoo names, e.g. ['quartic', 'cosh'], got "
                                f"{entries!r}")
        self.entries = tuple(_entry(e) for e in names)
        self.L1 = as_value_list(L1, "L1")
        self.L0 = as_value_list(L0, "L0")
        self.x0 = as_interval(x0, "x0")
        self._args = (entries, L1, L0, x0)

    def __repr__(self) -> str:
        entries, L1, L0, x0 = self._args
        args = [] if entries is None else [repr(list(entries))]
        args += [f"{k}={list(v)!r}" for k, v in (("L1", L1), ("L0", L0), ("x0", x0))
                 if v is not None]
        return f"zoo_class({', '.join(args)})"

    @property
    def covers(self) -> str:
        if self.default:
            return ("the zoo: 8 convex univariate kinds (witness, quartic, cosh, exp_sum, "
                    "log_exp_sum, exp, logistic, norm_power) with (L0, L1) from their frontiers")
        l0 = ("L0 the smallest valid one" if self.L0 is None else
              f"every valid L0 in {list(self.L0)}")
        return f"{self.functions_text}, {l0}"

    @property
    def functions_text(self) -> str:
        if self.default:
            return self.covers
        names = ", ".join(n if not p or p == {"d": 1} else f"{n}{p}" for n, p in self.entries)
        l1 = "their default L1 values" if self.L1 is None else f"L1 in {list(self.L1)}"
        return f"zoo functions {names} at {l1}"

    # -- members -------------------------------------------------------------------------
    def _l1_values(self, name: str) -> tuple:
        """The listed L1 values, or the name's defaults (None: its frontier's smallest L1)."""
        if self.L1 is not None:
            return self.L1
        return _DEFAULT_L1.get(name, (None,))

    def _named(self, name: str, params: dict, positive_l0: bool) -> list[Member]:
        if name in UNBOUNDED:
            raise LabInputError(f"zoo function {name!r} cannot be a class member here: "
                                "unbounded below (f* = -inf); it can only be named in a "
                                "smoothness claim")
        if name == "witness" and not {"L0", "L1"} & set(params):
            out = []
            for b in self._l1_values(name):
                if b <= 0:
                    raise LabInputError("the witness family needs L1 > 0, got L1 = 0 in the "
                                        "class's L1 list")
                out += [witness_member(a, b) for a in self.L0 or (0.5, 1.0, 4.0)
                        if a > 0 or not positive_l0]
            return out
        out = []
        for l1 in self._l1_values(name):
            base = make_member(name, L1=l1, **params)
            if self.L0 is not None:
                l0s = [v for v in self.L0 if v >= base.L0 and (v > 0 or not positive_l0)]
                if not l0s:
                    raise LabInputError(
                        f"no L0 in the class's list {list(self.L0)} is valid for "
                        f"{base.objective!r} at L1 = {base.L1:g} (smallest valid: "
                        f"{base.L0:.6g}{'; the claim needs L0 > 0' if positive_l0 else ''})")
            elif positive_l0 and base.L0 == 0:
                l0s = list(POSITIVE_L0)
            else:
                l0s = [base.L0]
            out += [base if l0 == base.L0 else make_member(name, L1=base.L1, L0=l0, **params)
                    for l0 in l0s]
        return out

    def _lists(self, positive_l0: bool, allow_l_smooth: bool) -> list[list[Member]]:
        key = (positive_l0, allow_l_smooth)
        cache = self.__dict__.setdefault("_cache", {})
        if key not in cache:
            lists = []
            for name, params in self.entries:
                ms = [m for m in self._named(name, params, positive_l0)
                      if allow_l_smooth or m.L1 > 0]
                if self.x0 is not None:
                    ms = [_with_start(m, self.x0) for m in ms]
                if ms:
                    lists.append(ms)
            if not lists:
                raise LabInputError(f"{self!r} has no member with L1 > 0")
            cache[key] = lists
        return cache[key]

    def members(self, *, positive_l0: bool = False, allow_l_smooth: bool = True):
        if self.default:
            return _default_members(positive_l0, allow_l_smooth)
        lists = self._lists(positive_l0, allow_l_smooth)
        return st.sampled_from(range(len(lists))).flatmap(lambda i: st.sampled_from(lists[i]))

    def sweep_members(self, *, positive_l0: bool = False) -> list[Member]:
        if self.default:
            return _default_sweep(positive_l0)
        return list(itertools.chain.from_iterable(self._lists(positive_l0, True)))

    def smoothness_points(self) -> list:
        out = []
        for name, params in self.entries:
            if name == "witness" and not {"L0", "L1"} & set(params):
                for b in self._l1_values(name):
                    out += [(zoo_function("witness", (("L0", a), ("L1", b))), b)
                            for a in self.L0 or (0.5, 1.0, 4.0)]
                continue
            obj = zoo_function(name, tuple(sorted(params.items())))
            l1s = self._l1_values(name) if self.L1 is not None or "L1" not in obj.params \
                else (float(obj.params["L1"]),)
            out += [(obj, l1) for l1 in l1s]
        return out

    @cached_property
    def names(self) -> tuple[str, ...]:
        """The zoo names of the entries."""
        return tuple(n for n, _ in self.entries)


def _with_start(m: Member, interval) -> Member:
    return replace(m, start=interval)


@st.composite
def _default_members(draw, positive_l0: bool, allow_l_smooth: bool) -> Member:
    """The default class's draw: a kind, then its parameters (the order fixes the stream)."""
    kind = draw(st.sampled_from(list(DEFAULT_KINDS)))
    axes, build = _default_axes(kind, positive_l0, allow_l_smooth)
    return build(*(draw(st.sampled_from(axis)) for axis in axes))


def zoo_class(names=None, *, L1=None, L0=None, x0=None) -> ZooClass:
    """The zoo as a class, or a list of zoo functions as a class.

    Parameters
    ----------
    names : list of str or (str, dict), optional
        Zoo names (``python -m lab functions``), or (name, parameters) pairs. Default: the
        lab's default class (module docstring).
    L1 : list of float, optional
        The L1 values; L0 is then the smallest valid one for each member.
    L0 : list of float, optional
        L0 values (every one that is valid for a member at its L1 is used).
    x0 : [low, high], optional
        Where start points are drawn (default: each member's own range).

    Raises
    ------
    LabInputError
        For a name that cannot be a member or bad parameters; and, when members are first
        built (``members``, ``sweep_members``), for a member with no valid L0 at a listed L1.

    Examples
    --------
    >>> zoo_class().covers[:8]
    'the zoo:'
    >>> zoo_class(["quartic"], L1=[2.0]).sweep_members()[0].L0
    4.0
    """
    return ZooClass(names, L1=L1, L0=L0, x0=x0)
