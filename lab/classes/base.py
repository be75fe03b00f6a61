"""The :class:`FunctionClass` interface: a set of members and how to draw them.

A claim quantifies over a class: "for every member f with its valid (L0, L1) and every start
x0 ...". A class is a value that says

* ``members(...)`` - a hypothesis strategy drawing members (searches shrink towards the first
  members and the first constants listed);
* ``sweep_members(...)`` - a fixed, ordered list of members (deterministic sweeps);
* ``smoothness_points()`` - (function, L1) pairs for smoothness claims, whose constants are
  the claim's own (no valid L0 is needed);
* ``covers`` - what a verdict on the class covers, in words.

``positive_l0``: a claim whose method or bound divides by L0 (Theorem 3) needs L0 > 0;
members whose smallest valid L0 is 0 then take a positive L0 instead (any L0 above the
smallest valid one is valid). ``allow_l_smooth``: whether members with L1 = 0 may be drawn.
"""

from __future__ import annotations

from lab.errors import LabInputError

#: Positive L0 values given to members whose smallest valid L0 is 0 when a claim needs L0 > 0.
POSITIVE_L0 = (0.25, 1.0, 4.0)


class FunctionClass:
    """Base class of the function classes (see the module docstring)."""

    #: ``"zoo"``, ``"expression"`` or ``"whole"``.
    kind = ""

    @property
    def covers(self) -> str:  # pragma: no cover - abstract
        """What a verdict on this class covers, in words."""
        raise NotImplementedError

    @property
    def functions_text(self) -> str:
        """The functions of the class and their L1 values, in words (no L0: smoothness
        claims state their own)."""
        return self.covers

    def members(self, *, positive_l0: bool = False, allow_l_smooth: bool = True):
        """A hypothesis strategy of :class:`~lab.classes.Member` values."""
        raise NotImplementedError  # pragma: no cover - abstract

    def sweep_members(self, *, positive_l0: bool = False) -> list:
        """A fixed list of members for deterministic sweeps."""
        raise NotImplementedError  # pragma: no cover - abstract

    def smoothness_points(self) -> list:
        """``(objective, L1)`` pairs for smoothness claims."""
        raise NotImplementedError  # pragma: no cover - abstract

    def __str__(self) -> str:
        return self.covers


def as_value_list(values, what: str, *, low: float = 0.0, allow_empty: bool = False
                  ) -> tuple[float, ...] | None:
    """A tuple of finite floats ``>= low`` (None stays None), or a LabInputError naming ``what``.

    Examples
    --------
    >>> as_value_list([1, 2.5], "L1")
    (1.0, 2.5)
    """
    if values is None:
        return None
    if isinstance(values, (int, float)) and not isinstance(values, bool):
        values = [values]
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise LabInputError(f"{what} must be a list of numbers, got {values!r}")
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise LabInputError(f"{what} must be a list of numbers, got {v!r} in it")
        v = float(v)
        if not (v >= low and v < float("inf")):
            raise LabInputError(f"{what} values must be finite numbers >= {low:g}, got {v!r}")
        out.append(v)
    if not out and not allow_empty:
        raise LabInputError(f"{what} must list at least one value")
    if len(set(out)) != len(out):
        raise LabInputError(f"{what} lists a value twice: {out}")
    return tuple(out)


def as_interval(values, what: str) -> tuple[float, float] | None:
    """``(low, high)`` with ``low < high`` finite, from a two-element list (None stays None).

    Examples
    --------
    >>> as_interval([-1, 2], "x0")
    (-1.0, 2.0)
    """
    if values is None:
        return None
    try:
        low, high = (float(v) for v in values)
    except (TypeError, ValueError):
        raise LabInputError(f"{what} must be [low, high], two numbers, got {values!r}") from None
    if not (low < high and abs(low) < float("inf") and abs(high) < float("inf")):
        raise LabInputError(f"{what} must be [low, high] with finite low < high, got {values!r}")
    return low, high
