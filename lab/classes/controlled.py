"""Members of the whole univariate class as class members: random controls for property tests.

:class:`ControlledClassMember` wraps a :class:`lab.functions.controlled.ControlledMember`
(``u' = s(L0 + L1|u|)``, exact closed forms) as a :class:`~lab.classes.Member`: Δ, M and
f, f', f'' in mpmath come from the member's own tables. :func:`class_members` draws random
ones (a few pieces on the class's natural length scale, controls in [-1, 1] with the
extremes ±1 and 0 often) for ``lab.strategies.members(WholeUnivariate(...))``;
:func:`class_sweep_members` is a fixed list (the witness and two shapes with several local
minima). Worst cases over the class are not found by drawing: that is the adversary's job
(:mod:`lab.adversary`).

Examples
--------
>>> from lab.classes.whole import WholeUnivariate
>>> [m.label.split("(")[0] for m in class_sweep_members(WholeUnivariate(L1=[1.0]))]
['controlled_member', 'controlled_member', 'controlled_member']
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import strategies as st

from lab.classes.member import Member
from lab.functions.controlled import ControlledMember, controlled_member, member_from_pieces


@dataclass(frozen=True)
class ControlledClassMember(Member):
    """A whole-class member: constants exact by construction, facts from its tables."""

    @property
    def label(self) -> str:
        return f"{self.objective!r} with (L0, L1) = ({self.L0:.6g}, {self.L1:.6g})"

    def mp(self):
        """``(f, f', f'')`` in mpmath from the member's exact tables."""
        obj: ControlledMember = self.objective
        return obj.f_mp, obj.u_mp, obj.hess_mp

    def gap(self, x0: float) -> float:
        return self.objective.gap(x0)

    def sublevel_sup_grad(self, x0: float) -> float:
        return self.objective.sublevel_sup_grad(x0)


def _scale(L0: float, L1: float) -> tuple[float, float]:
    """(gradient scale, length scale) of the class."""
    g = L0 / L1 if L0 > 0 and L1 > 0 else (L0 if L1 == 0 else 1.0)
    return g, g / (L0 + L1 * g)


def wrap(obj: ControlledMember) -> ControlledClassMember:
    """A class member from a whole-class objective (starts around its knots)."""
    _, length = _scale(obj.L0, obj.L1)
    lo, hi = obj.knots[0] - 2 * length, obj.knots[-1] + 2 * length
    return ControlledClassMember(objective=obj, L0=obj.L0, L1=obj.L1, f_star=obj.f_star,
                                 x_range=max(abs(lo), abs(hi)), shape="general",
                                 constants="exact by construction (a control |s| <= 1)",
                                 start=(lo, hi))


def _pairs(cls, positive_l0: bool, allow_l_smooth: bool) -> list:
    pairs = [p for p in cls.pairs if (p[0] > 0 or not positive_l0)
             and (p[1] > 0 or allow_l_smooth)]
    return pairs or list(cls.pairs)


def class_members(cls, *, positive_l0: bool = False, allow_l_smooth: bool = True):
    """A hypothesis strategy of random members of ``cls`` (a WholeUnivariate)."""
    pairs = _pairs(cls, positive_l0, allow_l_smooth)

    @st.composite
    def draw_member(draw):
        L0, L1 = draw(st.sampled_from(pairs))
        g, length = _scale(L0, L1)
        k = draw(st.integers(0, 5))
        lengths = draw(st.lists(st.floats(0.1, 3.0), min_size=k, max_size=k))
        controls = draw(st.lists(st.one_of(st.sampled_from([-1.0, 0.0, 1.0]),
                                           st.floats(-1, 1)), min_size=k, max_size=k))
        u0 = draw(st.floats(-3.0, 3.0)) * g
        obj = member_from_pieces(L0, L1, start=0.0, u0=u0,
                                 pieces=[(length * a, c) for a, c in zip(lengths, controls)])
        return wrap(obj)

    return draw_member()


def class_sweep_members(cls, *, positive_l0: bool = False) -> list:
    """A fixed list per (L0, L1): the witness, a double well and a slow slope."""
    out = []
    for L0, L1 in _pairs(cls, positive_l0, True):
        g, length = _scale(L0, L1)
        out.append(wrap(controlled_member(L0, L1, knots=[0.0], controls=[], u0=0.0)))
        out.append(wrap(member_from_pieces(L0, L1, start=0.0, u0=-g, pieces=[
            (length, 1.0), (2 * length, -1.0), (length, 1.0)])))
        out.append(wrap(member_from_pieces(L0, L1, start=0.0, u0=0.1 * g, pieces=[
            (10 * length, 0.0)])))
    return out
