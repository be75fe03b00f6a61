"""The function classes of the complexity figures: members, start points, constants.

A class (a figure panel) is a set of (objective, start point) pairs that share the
constants (L0, L1), the tolerance ε and a bound M on the initial gradient norm. The
complexity of a method on the class is the worst case over its members (PAPER.md:
"inf over method parameters of sup over (f, x0) in the class").

* ``hard``: Theorem 4's hard family (:func:`lab.functions.hard_family`), (L0, L1) = (1, 1):
  the steep member started at gradient levels M, M/4, M/16 (those above ε) and the flat
  member started with the same gap as the steep one at M.
* ``quartic``: x^4 with (L0, L1) = (1, 4) (on its frontier L0 L1² = 16), started where
  f' = M, M/4, M/16.
* ``exp``: exp(x) with (L0, L1) = (1, 1) (valid: L1 >= 1, any L0 >= 0; Theorem 3 needs
  L0 > 0), started where f' = M, M/4, M/16.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from lab.errors import LabInputError
from lab.functions import get_function, hard_family, hard_family_gap

#: start levels as fractions of M
LEVELS = (1.0, 0.25, 0.0625)

#: the hard family's flat member: far-field slope in units of ε (κ of make_hard_flat)
HARD_SLOPE = 2.0


@dataclass(frozen=True)
class ProblemClass:
    """One panel of the complexity figures.

    Attributes
    ----------
    name : str
        ``hard``, ``quartic`` or ``exp``.
    title : str
        The panel title.
    L0, L1 : float
        The class constants (valid for every member, checked in the tests).
    """

    name: str
    title: str
    L0: float
    L1: float

    def gap(self, M: float, eps: float) -> float:
        """``Δ = f(x0) - f*`` of the class: the largest gap over its start points.

        Examples
        --------
        >>> round(get_class("exp").gap(10.0, 0.1), 12)
        10.0
        """
        if self.name == "hard":
            return hard_family_gap(self.L1, M)
        if self.name == "quartic":
            return float((M / 4.0) ** (4.0 / 3.0))
        return float(M)

    def members(self, M: float, eps: float) -> list[tuple[object, np.ndarray]]:
        """``[(objective, starts of shape (k, 1)), ...]`` for this M and ε."""
        levels = np.array([M * c for c in LEVELS if M * c > eps] or [M])
        if self.name == "hard":
            steep, flat = _hard(self.L1, M, eps)
            xs = np.log1p(self.L1 * levels) / self.L1
            return [(steep, xs[:, None]), (flat, np.array([[flat.info.start[0]]]))]
        if self.name == "quartic":
            return [(_fn("quartic"), np.cbrt(levels / 4.0)[:, None])]
        return [(_fn("exp"), np.log(levels)[:, None])]


@lru_cache(maxsize=None)
def _fn(name: str):
    return get_function(name)


@lru_cache(maxsize=64)
def _hard(L1: float, M: float, eps: float):
    return tuple(hard_family(L1=L1, M=M, eps=eps, slope=HARD_SLOPE))


CLASSES = {
    "hard": ProblemClass("hard", "Theorem 4's hard family, (L0, L1) = (1, 1)", 1.0, 1.0),
    "quartic": ProblemClass("quartic", "x⁴, (L0, L1) = (1, 4)", 1.0, 4.0),
    "exp": ProblemClass("exp", "exp(x), (L0, L1) = (1, 1)", 1.0, 1.0),
}


def get_class(name: str) -> ProblemClass:
    """A panel's class by name (``hard``, ``quartic``, ``exp``).

    Examples
    --------
    >>> get_class("quartic").L1
    4.0
    """
    if name not in CLASSES:
        raise LabInputError(f"unknown class {name!r}; choose one of: {', '.join(CLASSES)}")
    return CLASSES[name]
