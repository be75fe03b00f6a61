"""Sign proofs with sympy: is an expression nonnegative (or positive) on a domain?

Pure symbolic code, no I/O. The pattern is sympy's ``calculus/util.py::is_convex``: a claim
``F >= 0`` is proved when sympy's assumption system decides the sign of one of a few
canonical forms of ``F``, or when ``solveset`` finds that the negation ``F < 0`` has no
solution on the domain. "Cannot decide" is never a proof.
"""

from __future__ import annotations

import functools

import sympy as sp


def _forms(expr):
    """Canonical rewritings of ``expr``, cheapest first, produced lazily, on which sympy's
    sign reasoning may succeed."""
    seen = []
    for make in (lambda e: e, sp.factor, sp.together, lambda e: sp.factor(sp.together(e)),
                 sp.expand, sp.simplify, lambda e: sp.factor(sp.simplify(e))):
        try:
            form = make(expr)
        except Exception:  # noqa: BLE001 - a rewriting that fails is simply not used
            continue
        if not any(form == other for other in seen):
            seen.append(form)
            yield form


def _dummy(var, open_end: bool):
    """A fresh offset symbol: positive for an open end, nonnegative for a closed one."""
    if open_end:
        return sp.Dummy(f"{var}_shift", positive=True)
    return sp.Dummy(f"{var}_shift", nonnegative=True)


def shift_domain(expr, domain):
    """Replace each variable of a half-line domain by ``lo + t`` (or ``hi - t``) with a
    fresh positive (or nonnegative, for a closed end) dummy ``t``, so that sympy's
    assumptions carry the domain.

    Parameters
    ----------
    expr : sympy expression
    domain : dict mapping Symbol -> sympy Interval

    Returns
    -------
    sympy expression

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> e = shift_domain(x - 1, {x: sp.Interval(1, sp.oo)})
    >>> e.is_nonnegative
    True
    """
    subs = {}
    for var, interval in sorted(domain.items(), key=lambda kv: str(kv[0])):
        if not isinstance(interval, sp.Interval):
            continue
        lo, hi = interval.start, interval.end
        if hi is sp.oo and lo.is_finite:
            t = _dummy(var, interval.left_open)
            subs[var] = lo + t
        elif lo is sp.S.NegativeInfinity and hi.is_finite:
            t = _dummy(var, interval.right_open)
            subs[var] = hi - t
    return expr.subs(subs) if subs else expr


def prove_sign(expr, *, strict: bool, domain=None):
    """Try to prove ``expr > 0`` (``strict``) or ``expr >= 0`` on ``domain`` (cached).

    Parameters
    ----------
    expr : sympy expression
    strict : bool
        Keyword-only: prove ``> 0`` instead of ``>= 0``.
    domain : dict Symbol -> Interval, optional
        Ranges of variables beyond their sympy assumptions.

    Returns
    -------
    (bool, str)
        Whether the sign was proved, and how (one line, deterministic).

    Examples
    --------
    >>> import sympy as sp
    >>> y = sp.Symbol("y", nonnegative=True)
    >>> prove_sign(4 * y**3 - 12 * y**2 + 16, strict=False)[0]
    True
    """
    key = tuple(sorted((dict(domain or {})).items(), key=lambda kv: str(kv[0])))
    return _prove_sign_cached(sp.sympify(expr), bool(strict), key)


@functools.lru_cache(maxsize=8192)
def _prove_sign_cached(expr, strict, domain_items):
    return _prove_sign(expr, strict=strict, domain=dict(domain_items))


def _prove_sign(expr, *, strict: bool, domain=None):
    """The uncached sign proof behind :func:`prove_sign`."""
    domain = dict(domain or {})
    expr = sp.sympify(expr).doit()
    if not strict and expr == 0:
        return True, "sympy: the expression simplifies to 0"
    shifted = shift_domain(expr, domain)
    for form in _forms(shifted):
        verdict = form.is_positive if strict else form.is_nonnegative
        if verdict is True:
            return True, "sympy sign reasoning on " + ("the factored/simplified form"
                                                         if form != shifted else "the expression")
    free = sorted(expr.free_symbols, key=str)
    if len(free) == 1:
        var = free[0]
        interval = domain.get(var, sp.S.Reals)
        negation = (expr <= 0) if strict else (expr < 0)
        try:
            found = sp.solveset(negation, var, interval)
        except Exception:  # noqa: BLE001 - solveset that cannot decide is not a proof
            found = None
        if found is sp.S.EmptySet:
            return True, f"solveset: the negation has no solution on {sp.sstr(interval)}"
    if not strict and sp.simplify(expr) == 0:
        return True, "sympy: the expression simplifies to 0"
    return False, "sympy could not decide the sign of " + sp.sstr(expr)
