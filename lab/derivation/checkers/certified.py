"""The checker of :class:`~lab.derivation.steps.Numeric`: a sign certified by interval
arithmetic on a closed interval (which becomes the step's range; values substituted for the
other symbols become one-point ranges)."""

from __future__ import annotations

import sympy as sp

from lab.derivation import steps as S
from lab.derivation.checkers.base import Context, Verdict
from lab.derivation.numeric import certify_sign, exact_endpoint
from lab.derivation.ranges import Range
from lab.derivation.relations import CheckFailure, normal_form


def check_numeric(claim, why: S.Numeric, ctx: Context) -> Verdict:
    """Verify a :class:`~lab.derivation.steps.Numeric` justification."""
    kind, F = normal_form(claim)
    if kind not in ("ge", "gt"):
        raise CheckFailure("Numeric certifies inequalities only")
    expr = F.subs(dict(why.subs))
    ok, how = certify_sign(expr, why.var, why.lo, why.hi, strict=(kind == "gt"),
                           prec=why.prec, max_pieces=why.max_pieces)
    if not ok:
        raise CheckFailure(how)
    points = [(old, sp.Interval(new, new)) for old, new in why.subs]
    proved = Range.of((why.var, sp.Interval(exact_endpoint(why.lo), exact_endpoint(why.hi))),
                      *points)
    return Verdict("NUMERIC " + how, proved, numeric=(how,))
