"""What the adversary is asked: a method and a bound as functions of the instance.

An *iteration problem* is a method ``method(L0, L1, eps, Delta, M) -> Method`` and a bound
``bound(L0, L1, eps, Delta, M) -> float``, with the set of instance symbols the method depends
on (``"M"``, ``"Delta"``): the adversary treats M as an outer parameter when the method needs
it, and refuses a method that needs Δ (it would need a fixed point; the lab has none).
Claims build these from their formulas (:mod:`lab.claims`); tests and users can write them
directly.

Examples
--------
>>> from lab.methods import gd
>>> p = IterationProblem(method=lambda L0, L1, eps, delta, m: gd(h=1.0 / L0),
...                      bound=lambda L0, L1, eps, delta, m: 2 * L0 * delta / eps**2)
>>> p.method(2.0, 0.0, 0.1, 1.0, 3.0)
gd(h=0.5)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from lab.errors import LabInputError

#: Budgets of the whole-class adversary: grid points of gradients, largest n, ε values per
#: (L0, L1), M values per ε (when the method needs M), golden-section steps on ε, and
#: control-search restarts per (L0, L1) with their random draws and Nelder-Mead evaluations.
ADVERSARY_BUDGETS = {
    "quick": dict(size=24, n_max=400, eps_points=5, m_points=2, refine=2, restarts=1,
                  draws=4, polish=8),
    "default": dict(size=48, n_max=1000, eps_points=9, m_points=3, refine=4, restarts=1,
                    draws=6, polish=16),
    "thorough": dict(size=96, n_max=20000, eps_points=17, m_points=8, refine=8, restarts=16,
                     draws=16, polish=80),
}


def adversary_budget(name) -> dict:
    """The settings of a named budget (``quick``, ``default``, ``thorough``), or a dict of
    settings checked for completeness.

    Examples
    --------
    >>> adversary_budget("quick")["n_max"]
    400
    """
    if isinstance(name, dict):
        missing = sorted(set(ADVERSARY_BUDGETS["quick"]) - set(name))
        if missing:
            raise LabInputError(f"adversary settings lack {', '.join(missing)}")
        return dict(name)
    if name not in ADVERSARY_BUDGETS:
        raise LabInputError(f"unknown budget {name!r}; choose one of: "
                            f"{', '.join(ADVERSARY_BUDGETS)}")
    return dict(ADVERSARY_BUDGETS[name])


@dataclass(frozen=True)
class IterationProblem:
    """A method and an iteration bound, both functions of ``(L0, L1, eps, Delta, M)``.

    Attributes
    ----------
    method : callable
        ``(L0, L1, eps, Delta, M) -> Method``.
    bound : callable
        ``(L0, L1, eps, Delta, M) -> float``.
    method_uses : frozenset of str
        Which of ``"Delta"``, ``"M"`` the method depends on.
    bound_uses : frozenset of str
        Which of ``"Delta"``, ``"M"`` the bound depends on.
    name : str
        For labels.
    score : callable, optional
        ``(T, L0, L1, eps, Delta, M) -> float`` maximised instead of ``T / bound`` (it must
        increase with T); used for the constant brackets (:mod:`lab.adversary.bracket`).
    """

    method: Callable
    bound: Callable
    method_uses: frozenset = field(default_factory=frozenset)
    bound_uses: frozenset = frozenset({"Delta"})
    name: str = "claim"
    score: Callable | None = None

    def __post_init__(self):
        if "Delta" in self.method_uses:
            raise LabInputError(f"{self.name}: the whole-class adversary needs a method that "
                                "does not depend on Delta (it designs Delta); use L0, L1, eps, M")

    @property
    def needs_m(self) -> bool:
        """Whether M is an outer parameter of the search."""
        return "M" in self.method_uses or "M" in self.bound_uses
