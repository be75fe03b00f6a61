"""A certified worst case: the instance, its replayed hitting time, and how to rebuild it.

Examples
--------
>>> rle([1.5, 1.5, 1.5, 2.0])
'[1.5] * 3 + [2.0]'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from lab.adversary.build import cycle_member, member_from_run
from lab.functions.controlled import ControlledMember, controlled_member


def rle(values) -> str:
    """Floats run-length encoded: ``[a] * 3 + [b, c]`` (exact reprs: the list rebuilds)."""
    vals = [float(v) for v in values]
    parts: list[str] = []
    singles: list[str] = []
    i = 0
    while i < len(vals):
        j = i
        while j + 1 < len(vals) and vals[j + 1] == vals[i]:
            j += 1
        if j > i:
            if singles:
                parts.append("[" + ", ".join(singles) + "]")
                singles = []
            parts.append(f"[{vals[i]!r}] * {j - i + 1}")
        else:
            singles.append(repr(vals[i]))
        i = j + 1
    if singles:
        parts.append("[" + ", ".join(singles) + "]")
    return " + ".join(parts) if parts else "[]"


@dataclass(frozen=True)
class Certificate:
    """A member, the instance on it, and the replayed outcome.

    Attributes
    ----------
    L0, L1, eps, x0 : float
        The instance (``x0`` the start).
    delta, sup_grad : float
        Δ and M of the member at x0 (exact, rounded).
    bound : float
        The bound at the instance.
    t_engine, t_mp : int or None
        Replayed hitting times (None: not within ``cap``).
    cap : int
        Iterations replayed.
    method : str
        The method's repr.
    recipe : dict
        Arguments of :func:`lab.adversary.build.member_from_run` (``kind == "run"``) or of
        :func:`lab.functions.controlled.controlled_member` (``kind == "control"``).
    kind : str
        ``"run"``, ``"cycle"`` or ``"control"``.
    """

    L0: float
    L1: float
    eps: float
    x0: float
    delta: float
    sup_grad: float
    bound: float
    t_engine: int | None
    t_mp: int | None
    cap: int
    method: str
    recipe: dict = field(default_factory=dict)
    kind: str = "run"

    @property
    def t(self) -> int | None:
        """The certified hitting time (smaller of the two replays; None: beyond ``cap``)."""
        ts = [t for t in (self.t_engine, self.t_mp) if t is not None]
        return min(ts) if ts else None

    @property
    def ratio(self) -> float:
        """``T_ε / B`` (a cycle: ``inf``; beyond the cap otherwise: ``cap + 1``)."""
        if self.kind == "cycle":
            return math.inf
        t = self.cap + 1 if self.t is None else self.t
        return t / self.bound if self.bound > 0 else math.inf

    def member(self) -> ControlledMember:
        """Rebuild the member from the recipe."""
        if self.kind == "control":
            return controlled_member(**self.recipe)
        if self.kind == "cycle":
            return cycle_member(**self.recipe)
        return member_from_run(**self.recipe).member

    def describe(self) -> str:
        """A few readable lines: the instance, the outcome, and the member's recipe."""
        t = "never" if self.t is None else str(self.t)
        head = (f"whole-class member with (L0, L1) = ({self.L0:.6g}, {self.L1:.6g}), "
                f"x0 = {self.x0!r}, eps = {self.eps:.6g}: Delta = {self.delta:.6g}, "
                f"M = {self.sup_grad:.6g}, bound = {self.bound:.6g}, T_eps = {t}"
                f"{' (> ' + str(self.cap) + ')' if self.t is None else ''} "
                f"(engine {self.t_engine}, mpmath {self.t_mp}), {self.method}")
        return head + "; member: " + self.recipe_text()

    def recipe_text(self) -> str:
        """The recipe as a call that rebuilds the member."""
        r = dict(self.recipe)
        if self.kind == "run":
            grads = rle(r.pop("gradients"))
            args = ", ".join(f"{k}={v!r}" for k, v in r.items())
            return f"member_from_run({args}, gradients={grads})"
        name = "cycle_member" if self.kind == "cycle" else "controlled_member"
        return f"{name}(" + ", ".join(f"{k}={v!r}" for k, v in r.items()) + ")"
