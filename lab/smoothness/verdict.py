"""The certifier's answers: a verdict for given (L0, L1), and a frontier value for one L1."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lab.smoothness.precise import DIGITS

#: How a verdict was established.
Method = Literal["symbolic", "numeric"]
#: How a violation was confirmed: exactly (sympy), in high precision (mpmath at the point),
#: or only in float64 (the objective has no high-precision form).
Confirmation = Literal["exact", "high precision", "float64 only", ""]


def num(value: float) -> str:
    """A number for people: integers without a decimal point, else 10 significant digits,
    or all the digits the float needs when 10 would show a different number.

    Examples
    --------
    >>> num(16.0), num(0.1), num(15.999999999), num(2.0000000002)
    ('16', '0.1', '15.999999999', '2.0000000002')
    """
    value = float(value)
    if value != value or value in (float("inf"), float("-inf")):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    short = f"{value:.10g}"
    return short if float(short) == value else repr(value)  # never shows 15.999999999 as 16


@dataclass(frozen=True, kw_only=True)
class SmoothnessVerdict:
    """The answer to "is f (L0, L1)-smooth on the domain?".

    Attributes
    ----------
    holds : bool
        True when no violation exists (``method == "symbolic"``) or none was found
        (``method == "numeric"``).
    method : {"symbolic", "numeric"}
        How the verdict was established.
    L0, L1 : float
        The constants checked.
    sup_excess : str
        ``sup (||∇²f|| - L1||∇f||)`` (exact text when symbolic; the largest value found when
        numeric).
    where : str
        Where that supremum is attained or approached.
    point : tuple of float or None
        A counterexample point when ``holds`` is False.
    lhs, rhs : float or None
        ``||∇²f(point)||`` and ``L0 + L1||∇f(point)||`` (``inf`` when beyond float64: see
        ``lhs_text``/``rhs_text``).
    lhs_text, rhs_text : str or None
        Both sides as printed: enough digits to differ, high precision beyond float64.
    evaluations : int
        Points evaluated.
    domain : str
        The domain checked, in words (``R^2``, ``the box [-5, 5] x [-5, 5]``, ``(0, oo)``).
    variables : tuple of str
        Names of the coordinates of ``point``.
    searched : str
        For a numeric search, how far it went (``"searched to radius 1000"``), else ``""``.
    confirmed : {"exact", "high precision", "float64 only", ""}
        How the violation was confirmed (``""`` when the verdict holds).
    largest_excess : float
        The largest ``||∇²f|| - L1||∇f||`` established: the exact supremum (symbolic), or the
        largest value found, trusted in high precision where the function has that form.
    float_excess : float
        The largest float64 value of ``||∇²f|| - L1||∇f||`` at any point evaluated by a
        numeric search (``-inf`` for symbolic verdicts): when it exceeds L0 and the verdict
        holds, high precision showed that value to be rounding.
    note : str
        Anything else the reader must know (a domain end left out, a rounding artefact).
    """

    holds: bool
    method: Method
    L0: float
    L1: float
    sup_excess: str
    where: str
    point: tuple[float, ...] | None
    lhs: float | None
    rhs: float | None
    evaluations: int
    domain: str
    variables: tuple[str, ...]
    lhs_text: str | None = None
    rhs_text: str | None = None
    searched: str = ""
    confirmed: Confirmation = ""
    largest_excess: float = float("nan")
    float_excess: float = float("-inf")
    note: str = ""

    def summary(self) -> str:
        """A few lines for people: verdict, how, and the counterexample if any."""
        consts = f"(L0, L1) = ({num(self.L0)}, {num(self.L1)})"
        reach = f"{self.searched}, " if self.searched else ""
        if self.holds and self.method == "symbolic":
            head = f"holds: (L0,L1)-smooth with {consts} on {self.domain}"
            how = (f"how: symbolic (exact): sup(||∇²f|| - L1||∇f||) = {self.sup_excess} "
                   f"<= L0 = {num(self.L0)}; {self.where}")
        elif self.holds:
            head = (f"holds: no violation found on {self.domain} with {consts}: {reach}"
                    f"{self.evaluations} evaluations (numeric, not a proof)")
            how = (f"how: numeric; largest ||∇²f|| - L1||∇f|| found: {self.sup_excess} "
                   f"({self.where})")
        else:
            tag = " (numeric)" if self.confirmed == "float64 only" else ""
            head = f"fails{tag}: not (L0,L1)-smooth with {consts} on {self.domain}"
            how = self._how_fails()
        lines = [head, how]
        if self.note:
            lines.append(f"note: {self.note}")
        if self.point is not None:
            coords = ", ".join(f"{n} = {num(c)}" for n, c in zip(self.variables, self.point))
            lines.append(f"counterexample: {coords}")
            lines.append(f"  ||∇²f(x)||          = {self.lhs_text}")
            lines.append(f"  L0 + L1*||∇f(x)||   = {self.rhs_text}")
        return "\n".join(lines)

    def _how_fails(self) -> str:
        if self.method == "symbolic":
            return (f"how: symbolic (exact): sup(||∇²f|| - L1||∇f||) = {self.sup_excess} > "
                    f"L0 = {num(self.L0)}; {self.where}")
        reach = f"{self.searched}, " if self.searched else ""
        confirm = {"high precision": f"violation confirmed in high precision ({DIGITS} digits) "
                                     "at the point below",
                   "exact": "violation confirmed exactly at the point below",
                   "float64 only": "violation seen in float64 only (this function has no "
                                   "high-precision form)"}[self.confirmed or "float64 only"]
        return (f"how: numeric, {reach}{self.evaluations} evaluations; {confirm}: "
                f"sup(||∇²f|| - L1||∇f||) >= {self.sup_excess} > L0 = {num(self.L0)}")


@dataclass(frozen=True, kw_only=True)
class FrontierValue:
    """Smallest valid L0 for one L1: ``value`` (inf if none), exact or a numeric lower bound.

    ``searched`` says how far a numeric search went (``""`` when exact); ``domain`` is the
    domain in words.
    """

    L1: float
    value: float
    text: str
    exact: bool
    where: str
    searched: str = ""
    domain: str = ""
