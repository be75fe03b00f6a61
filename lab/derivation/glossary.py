"""One meaning per symbol across the derivations: the shared glossary and the symbol lint.

Pure data and sympy inspection, no I/O. :data:`SHARED` gives the meaning of every symbol
that several derivations use (as in PAPER.md: :math:`\\Delta = f(x_0) - f^*` everywhere);
a derivation's own ``symbols`` table adds the symbols only it uses and may not redefine a
shared one. :func:`glossary` builds a derivation's complete glossary (every symbol and
function shown in a claim or a range), and :func:`lint` lists what is wrong: a symbol
without a meaning, a shared symbol given another meaning, or two different sympy objects
printed alike (``x`` real and ``x`` positive look the same on the page but are different
variables to the checker).
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from lab.derivation.steps import Conjunction, Derivation, Proposition

_OFFSET = "an offset introduced by a reparametrization (see the step that introduces it)"

SHARED = {
    "L_{0}": "the constant $L_0$ of $(L_0, L_1)$-smoothness, "
             "$\\|\\nabla^2 f\\| \\le L_0 + L_1\\|\\nabla f\\|$",
    "L_{1}": "the constant $L_1$ of $(L_0, L_1)$-smoothness",
    "g": "$\\|\\nabla f(x)\\|$, the gradient norm at the current point $x$",
    "r": "$\\|y - x\\|$, the length of the step (or segment) from $x$ to $y$",
    "\\ell": "$\\langle\\nabla f(x), y - x\\rangle$, the first-order change",
    "f(x)": "the value of $f$ at the current point $x$",
    "f(y)": "the value of $f$ at the next point $y$ (after a step: $y = x^+$)",
    "f(x_{0})": "the value of $f$ at the starting point $x_0$",
    "f(z)": "the value of $f$ at any point $z$",
    "\\Delta": "$f(x_0) - f^*$, the initial gap to the lower bound $f^*$",
    "\\epsilon": "the target gradient norm ($\\epsilon$-stationarity: $\\|\\nabla f\\| \\le "
                 "\\epsilon$)",
    "\\eta": "a step size",
    "\\gamma": "the clipping threshold",
    "\\eta_{c}": "clipped GD's base step, $h_c = \\min\\{\\eta_c, \\gamma\\eta_c/g\\}$",
    "\\eta_{n}": "normalized GD's base step, $h_n = \\eta_n/(g + \\beta)$",
    "\\beta": "normalized GD's offset, $h_n = \\eta_n/(g + \\beta)$",
    "h_{c}": "the clipped step size $\\min\\{\\eta_c, \\gamma\\eta_c/g\\}$",
    "h_{n}": "the normalized step size $\\eta_n/(g + \\beta)$",
    "T": "the number of iterates before the first $\\epsilon$-stationary one",
    "\\theta": "the current point in the blog's notation (the paper's $x$)",
    "d": "the displacement $y - x$ (the blog's $\\Delta$ in its first-order condition)",
    "t": "an integration variable",
    "\\sigma": "the distance from $x$ along the segment, $\\sigma \\in [0, r]$",
    "\\tau": "an integration variable along the segment, $\\tau \\in [0, \\sigma]$",
    "u": "$L_1 r$: a step length in units of $1/L_1$",
    "q": "$L_1 g/(L_0 + L_1 g) \\in (0, 1)$",
    "H": "$H(\\tau) = \\|\\nabla^2 f(x + \\tau v)\\|$ along the segment ($v$ the unit "
         "direction)",
    "N": "$N(\\tau) = \\|\\nabla f(x + \\tau v)\\|$ along the segment",
    "D": "$D(\\sigma) = \\|\\nabla f(x + \\sigma v) - \\nabla f(x)\\|$ along the segment",
    "G": "$G(\\sigma) = \\langle\\nabla f(x + \\sigma v) - \\nabla f(x), v\\rangle$ along "
         "the segment",
    "a": "the guaranteed decrease of $f$ per step",
    "\\rho": "$\\gamma\\eta_c$, the length of a clipped step",
    "v": _OFFSET, "w": _OFFSET, "z": _OFFSET, "m": _OFFSET, "n": _OFFSET,
}


def printed_name(obj) -> str:
    """How a symbol (or an undefined function, by its name) is printed in LaTeX.

    Examples
    --------
    >>> import sympy as sp
    >>> printed_name(sp.Symbol("L_1")), printed_name(sp.Function("D")(sp.Symbol("t")))
    ('L_{1}', 'D')
    """
    if isinstance(obj, AppliedUndef):
        return sp.latex(sp.Symbol(obj.func.__name__))
    return sp.latex(obj)


def _objects(claim) -> set:
    """Symbols and undefined functions shown in a claim (bound variables included)."""
    if claim is None or isinstance(claim, Proposition):
        return set()
    if isinstance(claim, Conjunction):
        return set().union(*(_objects(part) for part in claim.parts))
    out = set()
    for side in claim.args:
        out |= side.atoms(sp.Symbol) | side.atoms(AppliedUndef)
        for limit in side.atoms(sp.Limit):
            out -= {limit.args[3]}  # the direction "+" or "-" is stored as a symbol
    return out


def shown_objects(derivation: Derivation) -> set:
    """Everything a reader sees printed in the claims and ``where`` conditions."""
    out = set()
    for step in derivation.steps:
        out |= _objects(step.claim)
        for var, interval in step.where:
            out |= {var} | set(interval.atoms(sp.Symbol))
    return out


def _key(obj):
    if isinstance(obj, AppliedUndef):
        return obj.func
    return obj


def glossary(derivation: Derivation) -> list:
    """``(printed name, meaning)`` rows for everything shown, sorted by name; meanings from
    the derivation's own table first, then :data:`SHARED`; a missing meaning is "".

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation.steps import Derivation, Step, Algebra, rel
    >>> g = sp.Symbol("g", positive=True)
    >>> d = Derivation("x", "X", "", (Step("s", rel(g, ">", 0), Algebra()),), "", ())
    >>> glossary(d)[0][0]
    'g'
    """
    local = {printed_name(sym): meaning for sym, meaning in derivation.symbols}
    names = sorted({printed_name(obj) for obj in shown_objects(derivation)} | set(local),
                   key=lambda n: (n.lstrip("\\").lower(), n))
    return [(name, local.get(name, SHARED.get(name, ""))) for name in names]


def lint(derivation: Derivation) -> list:
    """What is wrong with the symbols of ``derivation`` (empty when nothing is).

    Examples
    --------
    >>> import sympy as sp
    >>> from lab.derivation.steps import Derivation, Step, Algebra, rel
    >>> x, X = sp.Symbol("x", real=True), sp.Symbol("x", positive=True)
    >>> d = Derivation("x", "X", "", (Step("s", rel(x, "<=", X + x), Algebra()),), "", (),
    ...                symbols=((x, "a point"),))
    >>> lint(d)
    ["two different symbols are printed as 'x'"]
    """
    problems = []
    by_name: dict = {}
    for obj in shown_objects(derivation):
        by_name.setdefault(printed_name(obj), set()).add(_key(obj))
    problems += [f"two different symbols are printed as {name!r}"
                 for name, keys in sorted(by_name.items()) if len(keys) > 1]
    for sym, meaning in derivation.symbols:
        name = printed_name(sym)
        if name in SHARED and meaning != SHARED[name]:
            problems.append(f"{name!r} is redefined (shared meaning: {SHARED[name]})")
    problems += [f"{name!r} has no meaning in the glossary"
                 for name, meaning in glossary(derivation) if not meaning]
    return problems


def cross_lint(derivations) -> list:
    """Printed names that mean different things in different derivations (empty when each
    name has one meaning across all of them).

    Examples
    --------
    >>> cross_lint([])
    []
    """
    meanings: dict = {}
    for derivation in derivations:
        for name, meaning in glossary(derivation):
            meanings.setdefault(name, {}).setdefault(meaning, []).append(derivation.name)
    return [f"{name!r} means different things: " + "; ".join(
                f"{', '.join(names)}: {meaning}" for meaning, names in sorted(found.items()))
            for name, found in sorted(meanings.items()) if len(found) > 1]


__all__ = ["SHARED", "cross_lint", "glossary", "lint", "printed_name", "shown_objects"]
