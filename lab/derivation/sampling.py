"""Is a claim numerically true on its range? Sampling at high precision (pure, no I/O).

Used to judge planted errors independently of the checker: a changed claim is *false* when
a sample point inside its range violates it (evaluated with mpmath at 50 digits, with a
margin), *true* when every sample satisfies it, and *undecided* when it cannot be evaluated
(undefined functions such as ``D(sigma)``, quantities named by the argument such as
``f(x)``, or a range with no sample points). "True" is evidence, not proof; "false" comes
with the violating point.
"""

from __future__ import annotations

import random

import mpmath
import sympy as sp
from sympy.core.function import AppliedUndef

from lab.derivation.ranges import Range, assumption_interval
from lab.derivation.relations import normal_form

_DPS = 50
_TRIES = 40


def concrete_functions(expr, variant: int = 0):
    """``expr`` with each undefined function replaced by a concrete smooth one (a fixed
    polynomial-plus-exponential of its arguments, ``variant`` choosing the coefficients): an
    *identity* in undefined functions must hold for every concrete choice, so a concrete
    choice that breaks it shows the identity false.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol("t")
    >>> D = sp.Function("D")
    >>> concrete_functions(sp.Derivative(D(t), t)).doit()
    2*t/3 + exp(t/5)/5 + 1/2
    """
    expr = sp.sympify(expr)
    for applied in sorted(expr.atoms(AppliedUndef), key=sp.srepr):
        args = sp.symbols(f"a_1:{len(applied.args) + 1}", real=True)
        body = sp.exp(args[0] / (5 + variant)) + sp.Rational(2, 7 + variant)
        for k, arg in enumerate(args):
            body += sp.Rational(k + 1, k + 3 + variant) * arg**2 + sp.Rational(1, k + 2) * arg
        expr = expr.replace(applied.func, sp.Lambda(args, body))
    return expr


def _evaluable(expr):
    """``expr`` with unevaluated objects done, or None when it still holds an undefined
    function, an integral, a limit or a derivative sympy could not evaluate."""
    try:
        done = sp.sympify(expr).doit()
    except Exception:  # noqa: BLE001 - not evaluable: undecided
        return None
    if done.has(AppliedUndef, sp.Integral, sp.Limit, sp.Derivative, sp.Subs):
        return None
    return done


def _order(variables, range_: Range):
    """Variables sorted so that a variable's interval endpoints are sampled before it."""
    pending, order = set(variables), []
    while pending:
        ready = sorted((v for v in pending if not any(
            (i.free_symbols - {v}) & pending for i in range_.on(v))), key=str)
        if not ready:
            ready = sorted(pending, key=str)[:1]
        for var in ready:
            order.append(var)
            pending.discard(var)
    return order


def _number(expr):
    if expr is sp.oo:
        return mpmath.inf
    if expr is sp.S.NegativeInfinity:
        return -mpmath.inf
    return mpmath.mpf(str(sp.N(expr, _DPS)))


def _bounds(var, range_: Range, values: dict):
    lo, hi = -mpmath.inf, mpmath.inf
    lo_open = hi_open = False
    for interval in range_.on(var) + (assumption_interval(var),):
        start, end = (sp.sympify(e).subs(values) for e in (interval.start, interval.end))
        if not (start.is_number and end.is_number):
            return None
        s, e = _number(start), _number(end)
        if s > lo or (s == lo and interval.left_open):
            lo, lo_open = s, bool(interval.left_open)
        if e < hi or (e == hi and interval.right_open):
            hi, hi_open = e, bool(interval.right_open)
    return lo, hi, lo_open, hi_open


def _draw(rng, lo, hi, lo_open, hi_open):
    """One value in the interval: its ends (when closed), points near them, spread points."""
    if lo > hi or (lo == hi and (lo_open or hi_open)):
        return None
    if lo == hi:
        return lo
    if mpmath.isinf(lo) and mpmath.isinf(hi):
        sign = rng.choice((-1, 1))
        return rng.choice((mpmath.mpf(0), sign * mpmath.exp(rng.uniform(-6, 6))))
    if mpmath.isinf(hi):
        if not lo_open and rng.random() < 0.15:
            return lo
        return lo + mpmath.exp(rng.uniform(-8, 6))
    if mpmath.isinf(lo):
        if not hi_open and rng.random() < 0.15:
            return hi
        return hi - mpmath.exp(rng.uniform(-8, 6))
    pick = rng.random()
    if pick < 0.1 and not lo_open:
        return lo
    if pick < 0.2 and not hi_open:
        return hi
    width = hi - lo
    if pick < 0.4:
        return lo + width * mpmath.mpf(10) ** rng.uniform(-6, 0) * rng.random()
    return lo + width * mpmath.mpf(rng.random() * 0.998 + 0.001)


def _sample(rng, order, range_):
    values = {}
    for var in order:
        bounds = _bounds(var, range_, values)
        if bounds is None:
            return None
        value = _draw(rng, *bounds)
        if value is None:
            return None
        values[var] = sp.Float(value, _DPS)
    return values


def _violated(kind, value, scale) -> bool:
    """Whether ``value`` (of the claim's normal form) violates it beyond rounding: the margin
    is relative to ``scale``, the sum of the absolute values of the terms."""
    margin = mpmath.mpf(10) ** -35 * (1 + scale)
    if kind in ("ge", "gt"):
        return value < -margin
    if kind == "eq":
        return abs(value) > margin * mpmath.mpf(10) ** 10
    return False


def _closed_form_truth(claim, kind):
    """The truth of a claim without free variables (limits, values at points), decided by
    sympy on the two sides (so that ``oo = oo`` is true); None when variables remain."""
    sides = [_evaluable(side) for side in claim.args]
    if any(side is None for side in sides) or any(side.free_symbols for side in sides):
        return None
    lhs, rhs = (sp.simplify(side) for side in sides)
    if kind == "eq":
        same = lhs == rhs or (lhs.is_finite and rhs.is_finite and sp.N(lhs - rhs, _DPS) == 0)
        return ("true", "") if same else ("false", f"{lhs} != {rhs}")
    holds = sp.sympify(claim.func(lhs, rhs))
    if holds in (sp.true, sp.false):
        return ("true", "") if holds is sp.true else ("false", f"{lhs} vs {rhs}")
    return None


def _identity_truth(claim, range_, *, samples, seed):
    """An equality in undefined functions judged with two concrete choices of them."""
    verdicts = [numeric_truth(claim.func(*(concrete_functions(side, variant)
                                           for side in claim.args), evaluate=False),
                              range_, samples=samples // 2, seed=seed)
                for variant in (0, 1)]
    for verdict in verdicts:
        if verdict[0] == "false":
            return "false", verdict[1] + " (undefined functions made concrete)"
    if all(verdict[0] == "true" for verdict in verdicts):
        return "true", ""
    return "undecided", "an identity sympy cannot evaluate with concrete functions"


def numeric_truth(claim, range_: Range = Range(), *, samples: int = 120, seed: int = 0):
    """``("false", point)``, ``("true", "")`` or ``("undecided", why)`` for ``claim`` on
    ``range_`` (plus the symbols' own assumptions).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation.steps import rel
    >>> u = sp.Symbol("u", nonnegative=True)
    >>> tenth = Range.of((u, sp.Interval(0, sp.Rational(1, 10))))
    >>> numeric_truth(rel(sp.exp(u) - u - 1, "<=", sp.Rational(5, 9) * u**2), tenth)[0]
    'true'
    >>> numeric_truth(rel(sp.exp(u) - u - 1, "<=", sp.Rational(1, 2) * u**2), tenth)[0]
    'false'
    """
    kind, F = normal_form(claim)
    if kind not in ("eq", "ge", "gt"):
        return "undecided", f"a {kind} claim"
    closed = _closed_form_truth(claim, kind)
    if closed is not None:
        return closed
    if kind == "eq" and claim.has(AppliedUndef):
        return _identity_truth(claim, range_, samples=samples, seed=seed)
    done = _evaluable(F)
    if done is None:
        return "undecided", "undefined functions or unevaluated objects"
    variables = sorted(done.free_symbols | range_.free_symbols, key=str)
    order = _order(variables, range_)
    func = sp.lambdify(variables, done, modules="mpmath")
    size = sp.lambdify(variables, sp.Add(*(sp.Abs(t) for t in sp.Add.make_args(done))),
                       modules="mpmath")
    rng, drawn = random.Random(seed), 0
    with mpmath.workdps(_DPS):
        for _ in range(samples * _TRIES):
            if drawn >= samples:
                break
            values = _sample(rng, order, range_)
            if values is None:
                continue
            point = [mpmath.mpf(str(values[v])) for v in variables]
            try:
                value, scale = mpmath.mpmathify(func(*point)), mpmath.mpmathify(size(*point))
            except (ZeroDivisionError, ValueError, OverflowError, TypeError):
                continue
            if not isinstance(value, mpmath.mpf) or not mpmath.isfinite(value):
                continue
            drawn += 1
            if _violated(kind, value, scale):
                point = ", ".join(f"{v} = {sp.N(values[v], 6)}" for v in variables)
                return "false", point
    if drawn == 0:
        return "undecided", "no sample point in the range"
    return "true", ""


__all__ = ["numeric_truth"]
