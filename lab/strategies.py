"""Hypothesis strategies for a researcher's own test suite: the lab's classes as test data.

Property-test your own optimizer, step rule or inequality against the lab's function
classes with ``@given``: every member comes with constants (L0, L1) that are valid for it
(frontier, certifier or construction), its infimum f*, and the instance quantities of the
theorems, Δ = f(x0) - f* and M = sup{|f'| : f <= f(x0)}, computed in high precision.

* :func:`members` - members of a class (default: the lab's zoo class);
* :func:`start_points` - start points of one member;
* :func:`problems` - whole instances (member, x0, ε, Δ, M) as :class:`Problem` records;
* :func:`instances` - the instances a catalogued or file claim's search draws.

Examples
--------
A ten-line property test of a hand-written clipped GD against Theorem 3's bound (the same
example runs in the README):

>>> from hypothesis import given, settings
>>> from lab.classes import zoo_class
>>> from lab.strategies import problems
>>> @settings(max_examples=10, deadline=None)
... @given(problems(zoo_class(["quartic", "cosh"], L1=[1.0, 2.0]), positive_l0=True))
... def test_clipped_gd_meets_theorem3(p):
...     T = min(p.bound("20*L0*Delta/eps**2 + 20*Max(1, L1**2)*Delta/L0"), 5000)
...     x, t, g = p.x0, 0, p.grad(p.x0)
...     while abs(g) > p.eps and t < T:      # at most T steps (5000: our patience)
...         x, t, g = x - min(1/(10*p.L0), 1/(10*p.L1*abs(g))) * g, t + 1, None
...         g = p.grad(x)
...     assert abs(g) <= p.eps or T == 5000  # reached eps within the bound (or we gave up)
>>> test_clipped_gd_meets_theorem3()
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from lab.claims import Claim, Search, get_claim
from lab.claims.claim import bound_function
from lab.claims.files.formulas import CLAIM_SYMBOLS
from lab.classes import FunctionClass, Member, zoo_class
from lab.classes.member import start_points as _member_starts
from lab.errors import LabInputError
from lab.formula import parse_formula

__all__ = ["members", "start_points", "problems", "instances", "Problem"]


def _as_class(cls: Any) -> FunctionClass:
    if cls is None:
        return zoo_class()
    if not isinstance(cls, FunctionClass):
        raise LabInputError(f"expected a function class (lab.classes.zoo_class(...), "
                            f"expression_family(...), WholeUnivariate(...)), got {cls!r}")
    return cls


def members(cls: FunctionClass | None = None, *, positive_l0: bool = False,
            allow_l_smooth: bool = True):
    """Members of ``cls`` (default: the lab's zoo class), each a :class:`lab.classes.Member`
    with valid ``L0``, ``L1``, ``f_star`` and its ``objective``.

    Parameters
    ----------
    cls : FunctionClass, optional
    positive_l0 : bool
        Only members with L0 > 0 (a member whose smallest valid L0 is 0 gets a positive one).
    allow_l_smooth : bool
        Whether members with L1 = 0 may be drawn.

    Examples
    --------
    >>> from hypothesis import find
    >>> from lab.classes import zoo_class
    >>> m = find(members(zoo_class(["quartic", "cosh"], L1=[2.0])), lambda m: m.L0 < 2)
    >>> m.label
    "get_function('cosh') with (L0, L1) = (1, 2)"
    """
    return _as_class(cls).members(positive_l0=positive_l0, allow_l_smooth=allow_l_smooth)


def start_points(member: Member):
    """Start points of a member (floats in its ``start_interval``).

    Examples
    --------
    >>> from lab.classes import make_member
    >>> start_points(make_member("quartic", L1=1.0))
    floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_infinity=False)
    """
    return _member_starts(member)


@dataclass(frozen=True)
class Problem:
    """One instance of a class: a member, a start point, a tolerance and the theorems'
    instance quantities.

    Attributes
    ----------
    member : Member
    x0 : float
    eps : float
        The tolerance on ``|f'|`` (a fraction of ``|f'(x0)|``, so the start is not already
        stationary).
    delta : float
        ``Δ = f(x0) - f*`` (high precision, rounded).
    M : float
        ``sup{|f'| : f <= f(x0)}``.
    """

    member: Member
    x0: float
    eps: float
    delta: float
    M: float

    @property
    def L0(self) -> float:
        return self.member.L0

    @property
    def L1(self) -> float:
        return self.member.L1

    def grad(self, x: float) -> float:
        """``f'(x)`` (float64)."""
        return float(self.member.objective.grad([[x]])[0, 0])

    def value(self, x: float) -> float:
        """``f(x)`` (float64)."""
        return float(self.member.objective.value([[x]])[0])

    def bound(self, formula: str) -> float:
        """A bound formula in ``L0, L1, eps, Delta, M`` at this instance (parsed by the lab's
        safe parser; a division by zero is ``inf``)."""
        expr = parse_formula(formula, symbols=CLAIM_SYMBOLS, what="bound")
        return bound_function(expr)(self.L0, self.L1, self.eps, self.delta, self.M, 0.0)


def problems(cls: FunctionClass | None = None, *, positive_l0: bool = False,
             allow_l_smooth: bool = True, eps_fraction: tuple[float, float] = (0.05, 0.95)):
    """:class:`Problem` instances of ``cls``: a member, a start point and ε = u |f'(x0)| with
    u drawn in ``eps_fraction`` (starts where f' = 0 are skipped).

    Examples
    --------
    >>> from lab.classes import zoo_class
    >>> problems(zoo_class(["cosh"], L1=[1.0]))  # doctest: +ELLIPSIS
    builds(...)
    """
    low, high = eps_fraction
    if not 0 < low <= high < 1:
        raise LabInputError(f"eps_fraction must be (low, high) with 0 < low <= high < 1, got "
                            f"{eps_fraction!r}")

    @st.composite
    def build(draw):
        member = draw(members(cls, positive_l0=positive_l0, allow_l_smooth=allow_l_smooth))
        x0 = draw(start_points(member).filter(lambda x: member.grad_abs(x) > 0))
        eps = draw(st.floats(low, high)) * member.grad_abs(x0)
        return Problem(member, x0, eps, member.gap(x0), member.sublevel_sup_grad(x0))

    return st.builds(lambda p: p, build())


def instances(claim: Claim | str):
    """The instances a claim's search draws (its first search check): for an iteration
    bound ``(member, x0, u)`` with ε = u |f'(x0)|, for a descent claim ``(member, x, r)``,
    for a smoothness claim ``((function, L1), x)``.

    Parameters
    ----------
    claim : Claim or str
        A claim (from :func:`lab.claims.files.load_claim_file`, or built in Python) or a
        catalogue name.

    Examples
    --------
    >>> instances("theorem3-clipped-gd")  # doctest: +ELLIPSIS
    instances()
    """
    c = claim if isinstance(claim, Claim) else get_claim(claim)
    for check in c.checks:
        if isinstance(check, Search):
            return check.strategy()
    raise LabInputError(f"claim {c.name!r} has no search check (its checks: "
                        f"{', '.join(c.check_names)}); its instances are a fixed sweep")
