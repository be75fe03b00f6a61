"""Certified numeric sign checks by interval arithmetic (mpmath ``iv``), for steps sympy
cannot decide. Pure computation, no I/O.

The expression is evaluated by walking its sympy tree with interval operations only: every
constant (an integer, a rational ``p/q``, ``e``, ``pi``, a binary float) enters as an
interval enclosing its exact value, never as a rounded float. ``[lo, hi]`` is bisected until
the interval enclosure of the expression has the required sign on every piece. Interval
arithmetic encloses the true range, so a success is a proof (up to the correctness of
mpmath's outward rounding); a failure only means "not certified".
"""

from __future__ import annotations

import mpmath
import sympy as sp

_FUNCTIONS = {sp.exp: "exp", sp.log: "log", sp.sin: "sin", sp.cos: "cos", sp.tan: "tan"}


def _hull(a, b):
    return mpmath.iv.mpf([min(a.a, b.a), max(a.b, b.b)])


def _min(values):
    low = min(v.a for v in values)
    high = min(v.b for v in values)
    return mpmath.iv.mpf([low, high])


def _max(values):
    low = max(v.a for v in values)
    high = max(v.b for v in values)
    return mpmath.iv.mpf([low, high])


def _constant(expr):
    """An interval enclosing the exact value of a sympy number."""
    ctx = mpmath.iv
    if expr.is_Integer:
        return ctx.mpf(int(expr))
    if expr.is_Rational:
        return ctx.mpf(int(expr.p)) / ctx.mpf(int(expr.q))
    if expr.is_Float:
        return ctx.mpf(mpmath.mpf(expr._mpf_))  # the float's exact binary value
    if expr is sp.E:
        return ctx.e
    if expr is sp.pi:
        return ctx.pi
    raise ValueError(f"numeric check: no interval for the constant {expr}")


def _power(base, exponent, env):
    ctx = mpmath.iv
    if exponent.is_Integer:
        return enclose(base, env) ** int(exponent)
    if exponent == sp.Rational(1, 2):
        return ctx.sqrt(enclose(base, env))
    return ctx.exp(enclose(exponent, env) * ctx.log(enclose(base, env)))


def enclose(expr, env: dict):
    """An mpmath interval enclosing ``expr`` when each symbol lies in its interval in
    ``env`` (call inside ``mpmath.iv`` at the wanted precision).

    Examples
    --------
    >>> import mpmath, sympy as sp
    >>> x = sp.Symbol("x")
    >>> r = enclose(sp.Rational(1, 3) * x, {x: mpmath.iv.mpf([3, 3])})
    >>> r.a <= 1 <= r.b
    True
    """
    if expr in env:
        return env[expr]
    if expr.is_Number or expr in (sp.E, sp.pi):
        return _constant(expr)
    if expr.is_Symbol:
        raise ValueError(f"numeric check: substitute the symbol {expr} first")
    if expr.is_Add:
        total = enclose(expr.args[0], env)
        for arg in expr.args[1:]:
            total = total + enclose(arg, env)
        return total
    if expr.is_Mul:
        total = enclose(expr.args[0], env)
        for arg in expr.args[1:]:
            total = total * enclose(arg, env)
        return total
    if expr.is_Pow:
        return _power(expr.base, expr.exp, env)
    if isinstance(expr, sp.Abs):
        return abs(enclose(expr.args[0], env))
    if isinstance(expr, (sp.Min, sp.Max)):
        values = [enclose(arg, env) for arg in expr.args]
        return _min(values) if isinstance(expr, sp.Min) else _max(values)
    for func, name in _FUNCTIONS.items():
        if isinstance(expr, func):
            return getattr(mpmath.iv, name)(enclose(expr.args[0], env))
    raise ValueError(f"numeric check: no interval rule for {type(expr).__name__}")


def exact_endpoint(value):
    """An interval end as an exact rational: a float is taken at its exact binary value
    (never "simplified" to a nearby fraction, which would change the range proved).

    Examples
    --------
    >>> exact_endpoint(0.5), exact_endpoint("1/3")
    (1/2, 1/3)
    """
    value = sp.sympify(value)
    if isinstance(value, sp.Float):
        return sp.Rational(value)
    if isinstance(value, sp.Rational):
        return value
    raise ValueError(f"numeric check: an interval end must be an exact number, not {value}")


def _prepare(expr, var):
    expr = sp.sympify(expr).doit().rewrite(sp.exp)
    extra = sorted(str(s) for s in expr.free_symbols - {var})
    if extra:
        raise ValueError(f"numeric check: substitute the symbols {extra} first")
    return expr


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
    lo, hi = exact_endpoint(lo), exact_endpoint(hi)
    if not (lo <= hi):
        raise ValueError(f"numeric check: need lo <= hi, got [{lo}, {hi}]")
    expr = _prepare(expr, var)
    ctx = mpmath.iv
    old = ctx.prec
    ctx.prec = prec
    try:
        stack = [(_constant(sp.Rational(lo)), _constant(sp.Rational(hi)))]
        pieces = 0
        while stack:
            a, b = stack.pop()
            pieces += 1
            if pieces > max_pieces:
                return False, (f"interval arithmetic (mpmath iv, {prec} bits) could not "
                               f"certify the sign within {max_pieces} pieces")
            box = _hull(a, b)
            try:
                low = enclose(expr, {var: box}).a
            except (ZeroDivisionError, ValueError, TypeError):
                low = None
            if low is not None and ((low > 0) if strict else (low >= 0)):
                continue
            mid = ctx.mpf((box.a + box.b) / 2)
            stack.append((mid, b))
            stack.append((a, mid))
        return True, (f"interval arithmetic (mpmath iv, {prec} bits): sign certified on "
                      f"[{lo}, {hi}] in {pieces} pieces")
    finally:
        ctx.prec = old
