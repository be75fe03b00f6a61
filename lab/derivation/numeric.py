"""Certified numeric sign checks by interval arithmetic (mpmath ``iv``), for steps sympy
cannot decide. Pure computation, no I/O.

The expression is compiled to interval operations; ``[lo, hi]`` is bisected until the
interval enclosure of the expression has the required sign on every piece. Interval
arithmetic encloses the true range, so a success is a proof (up to the correctness of
mpmath's outward rounding); a failure only means "not certified".
"""

from __future__ import annotations

import mpmath
import sympy as sp

_IV_FUNCS = ("exp", "log", "sqrt", "expm1", "log1p", "cos", "sin")


def _compile(expr, var):
    """Compile ``expr`` (in ``var`` only) to a function of an mpmath interval."""
    expr = sp.sympify(expr).rewrite(sp.exp)
    extra = sorted(str(s) for s in expr.free_symbols - {var})
    if extra:
        raise ValueError(f"numeric check: substitute the symbols {extra} first")
    table = {name: getattr(mpmath.iv, name) for name in _IV_FUNCS}
    table["Abs"] = abs
    table["E"] = mpmath.iv.e
    table["pi"] = mpmath.iv.pi
    return sp.lambdify(var, expr, modules=[table, "mpmath"])


def certify_sign(expr, var, lo, hi, *, strict: bool, prec: int = 200, max_pieces: int = 4096):
    """Certify ``expr > 0`` (``strict``) or ``>= 0`` for every ``var`` in ``[lo, hi]``.

    Parameters
    ----------
    expr : sympy expression in ``var`` only
    var : sympy Symbol
    lo, hi : exact numbers (sympy Rational or int), ``lo <= hi``
    strict : bool
        Keyword-only: prove the strict inequality.
    prec : int
        Working precision in bits.
    max_pieces : int
        Give up (return False) after this many pieces have been examined.

    Returns
    -------
    (bool, str)
        Whether the sign is certified, and a one-line account.

    Examples
    --------
    >>> import sympy as sp
    >>> q = sp.Symbol("q")
    >>> certify_sign(sp.log(1 + q) - q / (1 + q), q, sp.Rational(1, 10), 1, strict=True)[0]
    True
    """
    lo, hi = sp.nsimplify(lo), sp.nsimplify(hi)
    if not (lo <= hi):
        raise ValueError(f"numeric check: need lo <= hi, got [{lo}, {hi}]")
    func = _compile(expr, var)
    ctx = mpmath.iv
    old = ctx.prec
    ctx.prec = prec
    try:
        def endpoint(value):
            num, den = sp.fraction(sp.Rational(value))
            return ctx.mpf(int(num)) / ctx.mpf(int(den))

        stack = [(endpoint(lo), endpoint(hi))]
        pieces = 0
        while stack:
            a, b = stack.pop()
            pieces += 1
            if pieces > max_pieces:
                return False, (f"interval arithmetic (mpmath iv, {prec} bits) could not "
                               f"certify the sign within {max_pieces} pieces")
            box = ctx.mpf([a.a, b.b])
            try:
                enclosure = func(box)
            except (ZeroDivisionError, ValueError):
                enclosure = None
            if enclosure is not None:
                low = enclosure.a
                if (low > 0) if strict else (low >= 0):
                    continue
            mid = ctx.mpf((a.a + b.b) / 2)
            stack.append((mid, b))
            stack.append((a, mid))
        return True, (f"interval arithmetic (mpmath iv, {prec} bits): sign certified on "
                      f"[{lo}, {hi}] in {pieces} pieces")
    finally:
        ctx.prec = old
