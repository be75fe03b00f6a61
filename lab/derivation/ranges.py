"""Ranges of validity: the interval conditions under which a step's claim was proved.

Pure symbolic data, no I/O. A :class:`Range` is a conjunction of constraints ``var in I``
(``I`` a sympy ``Interval``, possibly with symbolic endpoints). Every checked step carries
the range on which its claim holds; it is the intersection of the ranges of everything the
step used (earlier steps, nested justifications, the context it was proved in). A value
substituted into a step must be shown to lie in the step's range (see
:mod:`lab.derivation.checkers.references`), wherever the range came from.

A symbol's own sympy assumptions (``positive=True``, ...) are a range that every step has
for free; constraints implied by them are left out when a range is printed.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from lab.derivation.signs import prove_sign


def _key(constraint):
    var, interval = constraint
    return (str(var), sp.srepr(interval))


def assumption_interval(var) -> sp.Interval:
    """The interval a symbol's sympy assumptions confine it to.

    Examples
    --------
    >>> import sympy as sp
    >>> assumption_interval(sp.Symbol("u", nonnegative=True))
    Interval(0, oo)
    """
    if getattr(var, "is_positive", None):
        return sp.Interval.open(0, sp.oo)
    if getattr(var, "is_nonnegative", None):
        return sp.Interval(0, sp.oo)
    if getattr(var, "is_negative", None):
        return sp.Interval.open(-sp.oo, 0)
    if getattr(var, "is_nonpositive", None):
        return sp.Interval(-sp.oo, 0)
    return sp.Interval(-sp.oo, sp.oo)


@dataclass(frozen=True)
class Range:
    """A conjunction of interval constraints ``((var, Interval), ...)``, kept sorted so that
    equal ranges compare (and hash) equal.

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u")
    >>> r = Range.of((u, sp.Interval(0, sp.Rational(1, 10))))
    >>> (r & Range()).constraints == r.constraints, r.variables() == {u}
    (True, True)
    """

    constraints: tuple = ()

    @classmethod
    def of(cls, *pairs) -> "Range":
        """The range of the given ``(var, interval)`` pairs (non-interval sets are refused)."""
        items = []
        for var, interval in pairs:
            interval = sp.sympify(interval)
            if not isinstance(interval, sp.Interval):
                raise ValueError(f"a range needs an Interval for {var}, got {interval}")
            items.append((var, interval))
        return cls(tuple(sorted(dict.fromkeys(items), key=_key)))

    def __and__(self, other: "Range") -> "Range":
        return Range.of(*self.constraints, *other.constraints)

    def __bool__(self) -> bool:
        return bool(self.constraints)

    def on(self, var) -> tuple:
        """The intervals constraining ``var`` (empty: unconstrained)."""
        return tuple(interval for v, interval in self.constraints if v == var)

    def variables(self) -> set:
        """The constrained variables."""
        return {var for var, _ in self.constraints}

    def without(self, variables) -> "Range":
        """This range with the constraints on ``variables`` dropped (they were discharged)."""
        gone = set(variables)
        return Range(tuple(c for c in self.constraints if c[0] not in gone))

    @property
    def free_symbols(self) -> set:
        """Every symbol a constraint mentions (variables and endpoints)."""
        out = set()
        for var, interval in self.constraints:
            out |= {var} | interval.free_symbols
        return out

    def as_dict(self) -> dict:
        """``var -> Interval`` for variables with exactly one constraint (sympy's own
        intersection is used when it gives an interval; otherwise the first constraint)."""
        out = {}
        for var in sorted(self.variables(), key=str):
            intervals = self.on(var)
            merged = sp.Intersection(*intervals) if len(intervals) > 1 else intervals[0]
            out[var] = merged if isinstance(merged, sp.Interval) else intervals[0]
        return out


def interval_latex(var, interval) -> str:
    """``var`` in ``interval`` as LaTeX, with one-sided intervals as inequalities.

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u")
    >>> interval_latex(u, sp.Interval(0, sp.Rational(1, 10)))
    'u \\\\in \\\\left[0, \\\\frac{1}{10}\\\\right]'
    >>> interval_latex(u, sp.Interval.open(0, sp.oo))
    'u > 0'
    """
    name = sp.latex(var)
    lo, hi = interval.start, interval.end
    if hi is sp.oo and lo is not sp.S.NegativeInfinity:
        op = ">" if interval.left_open else "\\ge"
        return f"{name} {op} {sp.latex(lo)}"
    if lo is sp.S.NegativeInfinity and hi is not sp.oo:
        op = "<" if interval.right_open else "\\le"
        return f"{name} {op} {sp.latex(hi)}"
    return f"{name} \\in {sp.latex(interval)}"


def _le(a, b, *, strict: bool, domain) -> bool:
    """Whether ``a <= b`` (``a < b`` when strict) is proved, infinities included."""
    a, b = sp.sympify(a), sp.sympify(b)
    if a is sp.S.NegativeInfinity or b is sp.oo:
        return not (strict and a == b)
    if a is sp.oo or b is sp.S.NegativeInfinity:
        return False
    return prove_sign(b - a, strict=strict, domain=domain)[0]


def interval_within(inner, outer, domain=None) -> bool:
    """Whether ``inner`` is shown to be a subset of ``outer`` (endpoints compared by sign
    proofs on ``domain``).

    Examples
    --------
    >>> import sympy as sp
    >>> interval_within(sp.Interval.open(0, 1), sp.Interval(0, 2))
    True
    >>> interval_within(sp.Interval(0, 1), sp.Interval.Lopen(0, 2))
    False
    """
    if outer.start is not sp.S.NegativeInfinity:
        strict = bool(outer.left_open and not inner.left_open)
        if not _le(outer.start, inner.start, strict=strict, domain=domain):
            return False
    if outer.end is not sp.oo:
        strict = bool(outer.right_open and not inner.right_open)
        if not _le(inner.end, outer.end, strict=strict, domain=domain):
            return False
    return True


def contains_value(interval, value, domain=None) -> bool:
    """Whether ``value`` is shown to lie in ``interval`` (sign proofs on ``domain``).

    Examples
    --------
    >>> import sympy as sp
    >>> u = sp.Symbol("u", nonnegative=True)
    >>> contains_value(sp.Interval(0, sp.Rational(1, 10)), 1 / (10 * (1 + u)))
    True
    >>> contains_value(sp.Interval(0, sp.Rational(1, 10)), 1)
    False
    """
    value = sp.sympify(value)
    if interval.start is not sp.S.NegativeInfinity and not _le(
            interval.start, value, strict=bool(interval.left_open), domain=domain):
        return False
    if interval.end is not sp.oo and not _le(
            value, interval.end, strict=bool(interval.right_open), domain=domain):
        return False
    return True


def covers(proved: Range, var, needed: Range) -> bool:
    """Whether every constraint ``proved`` puts on ``var`` holds wherever ``needed`` (plus
    ``var``'s own assumptions) puts it: for each such constraint, some needed interval on
    ``var`` (or the assumption interval) lies inside it.

    Examples
    --------
    >>> import sympy as sp
    >>> t = sp.Symbol("t")
    >>> small = Range.of((t, sp.Interval(0, sp.Rational(1, 10))))
    >>> covers(small, t, Range.of((t, sp.Interval(0, 1))))
    False
    >>> covers(small, t, Range.of((t, sp.Interval(0, sp.Rational(1, 20)))))
    True
    """
    options = needed.on(var) + (assumption_interval(var),)
    others = needed.without([var])
    return all(any(interval_within(option, constraint, others) for option in options)
               for constraint in proved.on(var))


def describe(range_: Range) -> str:
    """A range as LaTeX (constraints implied by the symbols' assumptions left out), or ""."""
    parts = [interval_latex(var, interval) for var, interval in range_.constraints
             if not interval_within(assumption_interval(var), interval)]
    return ", ".join(dict.fromkeys(parts))
