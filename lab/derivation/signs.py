"""Sign proofs with sympy: is an expression nonnegative (or positive) on a range?

Pure symbolic code, no I/O. The pattern is sympy's ``calculus/util.py::is_convex``: a claim
``F >= 0`` is proved when sympy's assumption system decides the sign of one of a few
canonical forms of ``F``, or when ``solveset`` finds that the negation ``F < 0`` has no
solution on the range. "Cannot decide" is never a proof.

Interval constraints ``var in I`` are handed to sympy's assumption system by
*reparametrization*: ``var = lo + t``, ``var = hi - t`` or ``var = hi/(1 + t)`` with a fresh
nonnegative (positive, for an open end) ``t``. Each parametrization covers a superset of the
constrained set, so a sign proved for every ``t`` holds on the whole range (sound), and
several constraints are combined by substituting one after the other (a variable whose
bound mentions another variable first).
"""

from __future__ import annotations

import functools
import itertools

import sympy as sp

_MAX_COMBINATIONS = 12


_CHEAP = (lambda e: e, sp.factor, sp.together, lambda e: sp.factor(sp.together(e)), sp.expand)
_COSTLY = (sp.simplify, lambda e: sp.factor(sp.simplify(e)))


def _forms(expr, makers=_CHEAP + _COSTLY):
    """Canonical rewritings of ``expr``, cheapest first, produced lazily, on which sympy's
    sign reasoning may succeed."""
    seen = []
    for make in makers:
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


def _is_positive_number(expr) -> bool:
    return sp.sympify(expr).is_positive is True


def reparametrizations(var, interval) -> list:
    """Expressions in a fresh nonnegative symbol whose values cover ``interval`` (a superset
    is allowed: proving a sign on more values is still a proof).

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> [str(e.subs({s: sp.Symbol("t") for s in e.free_symbols if s != x}))
    ...  for e in reparametrizations(x, sp.Interval(0, 2))]
    ['2/(t + 1)', '2 - t']
    """
    lo, hi = interval.start, interval.end
    out = []
    if hi.is_finite:
        # var = hi/(1 + t) covers (0, hi] for hi > 0: a superset when var > 0 on the range
        excludes_zero = (getattr(var, "is_positive", None) is True
                         or (lo == 0 and interval.left_open) or _is_positive_number(lo))
        if excludes_zero and (hi.is_positive is not False):
            out.append(hi / (1 + sp.Dummy(f"{var}_ratio", nonnegative=True)))
        out.append(hi - _dummy(var, interval.right_open))
    implied = lo == 0 and (getattr(var, "is_positive", None) is True
                           or (getattr(var, "is_nonnegative", None) is True
                               and not interval.left_open))
    if lo.is_finite and not implied:
        out.append(lo + _dummy(var, interval.left_open))
    return out


def _ordered(choice: dict):
    """Order ``var -> replacement`` so that a variable whose replacement mentions another
    constrained variable is substituted first; None on a cycle."""
    order, pending = [], dict(choice)
    while pending:
        mentioned = {o for v, e in pending.items() for o in pending
                     if o != v and e.has(o)}
        first = [v for v in pending if v not in mentioned]
        if not first:
            return None
        for v in sorted(first, key=str):
            order.append((v, pending.pop(v)))
    return order


def substitutions(constraints) -> list:
    """Candidate sequential substitutions (lists of ``(var, expr)``) that carry the
    constraints into sympy's assumptions, most informative first; capped in number."""
    per_var = {}
    for var, interval in constraints:
        if not isinstance(interval, sp.Interval):
            continue
        per_var.setdefault(var, []).extend(reparametrizations(var, interval))
    per_var = {v: c for v, c in per_var.items() if c}
    if not per_var:
        return []
    names = sorted(per_var, key=str)
    out = []
    for combo in itertools.product(*(per_var[v] for v in names)):
        ordered = _ordered(dict(zip(names, combo)))
        if ordered is not None:
            out.append(ordered)
        if len(out) >= _MAX_COMBINATIONS:
            break
    # each variable alone as well (a constraint that blocks the others is then dropped)
    if len(names) > 1:
        out += [[(v, c)] for v in names for c in per_var[v]][:_MAX_COMBINATIONS]
    return out


def _constraints(domain) -> tuple:
    """A domain (``Range``, dict ``var -> Interval`` or None) as sorted constraint pairs."""
    if domain is None:
        return ()
    if hasattr(domain, "constraints"):
        items = domain.constraints
    else:
        items = tuple(dict(domain).items())
    return tuple(sorted(((v, i) for v, i in items if isinstance(i, sp.Interval)),
                        key=lambda c: (str(c[0]), sp.srepr(c[1]))))


def shift_domain(expr, domain):
    """``expr`` with the first candidate reparametrization of ``domain`` applied.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> e = shift_domain(x - 1, {x: sp.Interval(1, sp.oo)})
    >>> e.is_nonnegative
    True
    """
    candidates = substitutions(_constraints(domain))
    if not candidates:
        return expr
    for var, value in candidates[0]:
        expr = expr.subs(var, value)
    return expr


def prove_sign(expr, *, strict: bool, domain=None):
    """Try to prove ``expr > 0`` (``strict``) or ``expr >= 0`` on ``domain`` (cached).

    Parameters
    ----------
    expr : sympy expression
    strict : bool
        Keyword-only: prove ``> 0`` instead of ``>= 0``.
    domain : Range, dict Symbol -> Interval, or None
        Interval constraints on variables beyond their sympy assumptions.

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
    >>> g, c = sp.symbols("g c", positive=True)
    >>> prove_sign(c - g, strict=False, domain={g: sp.Interval.Lopen(0, c)})[0]
    True
    """
    return _prove_sign_cached(sp.sympify(expr), bool(strict), _constraints(domain))


@functools.lru_cache(maxsize=16384)
def _prove_sign_cached(expr, strict, constraints):
    return _prove_sign(expr, strict=strict, constraints=constraints)


def _decided(form, strict: bool) -> bool:
    return (form.is_positive if strict else form.is_nonnegative) is True


def _prove_sign(expr, *, strict: bool, constraints):
    """The uncached sign proof behind :func:`prove_sign`."""
    expr = sp.sympify(expr).doit()
    if not strict and expr == 0:
        return True, "sympy: the expression simplifies to 0"
    relevant = _relevant(expr, constraints)
    shifted = []
    for sequence in substitutions(relevant):
        candidate = expr
        for var, value in sequence:
            candidate = candidate.subs(var, value)
        shifted.append(candidate)
    for makers in (_CHEAP, _COSTLY):  # cheap rewritings of every form before costly ones
        for form in _forms(expr, makers):
            if _decided(form, strict):
                return True, "sympy sign reasoning on " + (
                    "the factored/simplified form" if form != expr else "the expression")
        for candidate in shifted:
            for form in _forms(candidate, makers):
                if _decided(form, strict):
                    return True, "sympy sign reasoning with the range as assumptions"
    found = _solveset_verdict(expr, strict, relevant)
    if found is not None:
        return True, found
    if expr.has(sp.Min, sp.Max) and _piecewise_verdict(expr, strict, constraints):
        return True, "sympy sign reasoning on each piece of the min/max"
    return False, "sympy could not decide the sign of " + sp.sstr(expr)


def branch_regions(expr):
    """The pieces of ``expr`` with its min/max written as a piecewise function in one
    variable: ``[(piece, var, [Interval, ...]), ...]`` covering the real line (each piece's
    own condition minus the earlier ones), or None when the conditions are not intervals of
    a single variable.

    Examples
    --------
    >>> import sympy as sp
    >>> x = sp.Symbol("x", positive=True)
    >>> [(str(e), [str(i) for i in regions]) for e, _, regions in branch_regions(sp.Min(1, x))]
    [('1', ['Interval(1, oo)']), ('x', ['Interval.open(-oo, 1)'])]
    """
    folded = sp.piecewise_fold(sp.sympify(expr).rewrite(sp.Piecewise))
    if not isinstance(folded, sp.Piecewise):
        return None
    variables = set().union(*(c.free_symbols for _, c in folded.args))
    if len(variables) != 1:
        return None
    (var,) = variables
    prior, out = sp.S.EmptySet, []
    for piece, condition in folded.args:
        try:
            region = sp.S.Reals if condition is sp.true else condition.as_set()
        except Exception:  # noqa: BLE001 - a condition sympy cannot solve: no split
            return None
        own = sp.Intersection(region, sp.Complement(sp.S.Reals, prior))
        prior = sp.Union(prior, region)
        if own is sp.S.EmptySet:
            continue
        parts = own.args if isinstance(own, sp.Union) else (own,)
        if not all(isinstance(part, sp.Interval) for part in parts):
            return None
        out.append((piece, var, list(parts)))
    return out


def _piecewise_verdict(expr, strict, constraints) -> bool:
    """The sign on every piece of the min/max (each piece under its own condition)."""
    regions = branch_regions(expr)
    if not regions:
        return False
    return all(prove_sign(piece, strict=strict,
                          domain=dict(constraints) | {var: interval})[0]
               for piece, var, intervals in regions for interval in intervals)


def _bound_symbols(expr) -> set:
    """Symbols bound in ``expr`` (integration, summation, differentiation variables)."""
    out = set()
    for atom in expr.atoms(sp.Integral, sp.Sum, sp.Derivative, sp.Subs):
        out |= set(atom.variables)
    return out


def _relevant(expr, constraints) -> tuple:
    """The constraints on variables of ``expr``, and on variables their bounds mention.

    A constraint on an expression that is not a symbol (``F(k)``) is used only when none of
    its symbols is bound in ``expr``: replacing ``F(t)`` under an integral over ``t`` by a
    constant would be wrong.
    """
    bound = _bound_symbols(expr)
    constraints = tuple(c for c in constraints
                        if c[0].is_Symbol or not (c[0].free_symbols & bound))
    wanted, changed = set(expr.free_symbols), True
    while changed:
        changed = False
        for var, interval in constraints:
            if _mentions(var, wanted) and not interval.free_symbols <= wanted:
                wanted |= interval.free_symbols
                changed = True
    return tuple(c for c in constraints if _mentions(c[0], wanted))


def _mentions(var, symbols) -> bool:
    return var in symbols if var.is_Symbol else bool(var.free_symbols & symbols)


def reparametrized(expr, domain) -> list:
    """``expr`` under each candidate reparametrization of the constraints ``domain`` puts on
    its variables (see :func:`substitutions`): proving an identity or a sign for every
    value of the fresh symbols proves it on the range.

    Examples
    --------
    >>> import sympy as sp
    >>> a, b = sp.symbols("a b", real=True)
    >>> reparametrized(sp.Min(a, b) - a, {b: sp.Interval(a, sp.oo)})[0]
    0
    """
    out = []
    for sequence in substitutions(_relevant(sp.sympify(expr), _constraints(domain))):
        shifted = sp.sympify(expr)
        for var, value in sequence:
            shifted = shifted.subs(var, value)
        out.append(shifted)
    return out


def _solveset_verdict(expr, strict, constraints):
    """``solveset`` of the negation for a single free variable, or None."""
    free = sorted(expr.free_symbols, key=str)
    if len(free) != 1:
        return None
    var = free[0]
    intervals = [i for v, i in constraints if v == var and not i.free_symbols]
    interval = sp.Intersection(sp.S.Reals, *intervals) if intervals else sp.S.Reals
    negation = (expr <= 0) if strict else (expr < 0)
    try:
        found = sp.solveset(negation, var, interval)
    except Exception:  # noqa: BLE001 - solveset that cannot decide is not a proof
        return None
    if found is sp.S.EmptySet:
        return f"solveset: the negation has no solution on {sp.sstr(interval)}"
    return None
