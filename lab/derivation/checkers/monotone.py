"""The checker of :class:`~lab.derivation.steps.Monotone`: a sign by monotonicity.

Claim ``F >= 0`` (or ``> 0``) for ``var`` from ``start`` to ``end``. Verified when the limit
of ``F`` at ``start+`` is ``>= 0`` (or ``> 0``) and ``F' >= 0`` (``> 0`` when the claim is
strict and the limit is not positive) on the open interval, the latter by a nested
justification checked with ``var`` confined to that interval. The range established is the
open interval, closed at ``start`` when ``F(start)`` itself is shown to have the sign, and
closed at a finite ``end`` when ``F`` is continuous there.
"""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict, discharge
from lab.derivation.ranges import Range
from lab.derivation.relations import CheckFailure, normal_form
from lab.derivation.signs import prove_sign


_CONTINUITY = ("continuity at an end of a monotonicity range where sympy cannot take "
               "the limit (an integral $\\int_0^\\sigma h$ of a continuous $h$ is "
               "continuous in $\\sigma$)")


def _left_limit(F, var, start):
    """The limit of ``F`` at ``start+``, and the cited facts it relied on: when sympy cannot
    take it (integrals of undefined functions), the finite value ``F(start)`` is used and
    continuity there is recorded as a cited fact."""
    try:
        return sp.simplify(sp.limit(F, var, start, "+")), ()
    except Exception as exc:  # noqa: BLE001 - fall back to the value, citing continuity
        value = _value_at(F, var, start) if start.is_finite else None
        if value is None:
            raise CheckFailure(f"sympy cannot take the limit at {var} = {start}: "
                               f"{type(exc).__name__}") from None
        return value, (_CONTINUITY,)


def _value_at(F, var, point):
    """``F`` at ``point`` when sympy gives a finite value there, else None."""
    try:
        value = sp.simplify(F.subs(var, point).doit())
    except Exception:  # noqa: BLE001 - no value: the endpoint is left out of the range
        return None
    if value.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or value.is_finite is False:
        return None
    return value


def _closed_at_start(F, var, start, limit, strict, domain) -> bool:
    value = _value_at(F, var, start) if start.is_finite else None
    if value is None or not sp.simplify(value - limit) == 0:
        return False
    return prove_sign(value, strict=strict, domain=domain)[0]


def _closed_at_end(F, var, end):
    """Whether ``F`` is continuous from the left at a finite ``end`` (the sign then passes
    to the end), and the cited facts used: when sympy cannot take the limit (integrals of
    undefined functions), continuity is cited as for the left end."""
    if end.is_finite is not True:
        return False, ()
    value = _value_at(F, var, end)
    if value is None:
        return False, ()
    try:
        return sp.simplify(sp.limit(F, var, end, "-") - value) == 0, ()
    except Exception:  # noqa: BLE001 - continuity cited, as at the left end
        return True, (_CONTINUITY,)


def check_monotone(claim, why: S.Monotone, ctx: Context) -> Verdict:
    """Verify a :class:`~lab.derivation.steps.Monotone` justification (see the module)."""
    kind, F = normal_form(claim)
    if kind not in ("ge", "gt"):
        raise CheckFailure("Monotone proves an inequality")
    var, start, end = why.var, sp.sympify(why.start), sp.sympify(why.end)
    F = F.doit()
    outside = ctx.needed.without([var])
    limit, cited = _left_limit(F, var, start)
    limit_pos = prove_sign(limit, strict=True, domain=outside)[0]
    if not limit_pos and not prove_sign(limit, strict=False, domain=outside)[0]:
        raise CheckFailure(f"at the left end {var} = {start} the value {sp.sstr(limit)} is "
                           "not shown nonnegative")
    strict_derivative = kind == "gt" and not limit_pos
    interior = Range.of((var, sp.Interval.open(start, end)))
    dF = sp.diff(F, var)
    try:
        inner = ctx.sub(S.rel(dF, ">" if strict_derivative else ">=", 0), why.derivative,
                        outside & interior)
        inner = discharge(inner, [var], outside & interior, "the derivative's sign")
    except CheckFailure as exc:
        raise CheckFailure(f"derivative {sp.sstr(dF)}: {exc}") from None
    closed_start = _closed_at_start(F, var, start, limit, kind == "gt", outside)
    closed_end, cited_end = _closed_at_end(F, var, end)
    proved = sp.Interval(start, end, not closed_start, not closed_end)
    detail = (f"monotone in {var} on ({start}, {end}): value {sp.sstr(limit)} at the left end, "
              f"derivative {'>' if strict_derivative else '>='} 0")
    return Verdict(detail, Range.of((var, proved)), cited=cited + cited_end).joined(inner)
