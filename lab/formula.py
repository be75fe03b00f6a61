"""The one parser of user text: a formula string becomes a sympy expression, never code.

Every string that reaches sympy from the command line, a config or a claim file goes through
:func:`parse_formula`. The text is parsed by Python's :mod:`ast` (after ``^`` is turned into
``**``) and the tree is checked against a whitelist while the sympy expression is built node
by node; nothing is ever evaluated as Python (no ``eval``, ``sympify`` or ``parse_expr``).

Allowed:

* numbers: integer and decimal literals (``2``, ``0.5``, ``1e-3``), kept exact: a decimal is
  the rational number it writes (``0.1`` is 1/10, ``x^1.5`` is ``x^(3/2)``);
* names: variables (any name, or the names given in ``symbols``) and the constants ``pi``, ``E``;
* ``+ - * / ** ^`` and unary ``+``/``-``;
* calls of the allowed functions (:data:`FUNCTIONS`) with positional arguments;
* inside ``Piecewise((value, condition), ...)`` only: comparisons ``< <= > >=`` (chains
  too), ``and``/``or``/``not`` and ``True``/``False`` as conditions.

Everything else (attributes, subscripts, strings, bytes, comprehensions, lambdas, keywords,
starred arguments, f-strings, unknown functions) is a :class:`~lab.errors.LabInputError` whose
one-line message names the source, the text and what is allowed. Input length, nesting depth
and the size of exact powers are bounded, so hostile input fails fast with a clear message.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Callable, Mapping, Sequence

import sympy as sp

from lab.errors import LabInputError

#: Functions a formula may call, by the name written in the text.
FUNCTIONS: dict[str, Callable] = {
    **{name: getattr(sp, name) for name in (
        "exp", "log", "sqrt", "sin", "cos", "tan", "sinh", "cosh", "tanh", "atan", "asinh",
        "Abs", "erf", "Piecewise", "Max", "Min")},
    "abs": sp.Abs,
    "max": sp.Max,
    "min": sp.Min,
}
#: Named constants.
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "E": sp.E}
#: Longest accepted text, in characters.
MAX_LENGTH = 2000
#: Deepest accepted nesting of operations (a long sum or product counts as one level).
MAX_DEPTH = 60
#: Largest accepted |exponent| when the exponent is a number.
MAX_EXPONENT = 1000
#: Largest exact number (in decimal digits) a power of numbers may produce.
MAX_DIGITS = 10000

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_SHOWN = 60
_CHAIN_OPS = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/"}
_COMPARE = {ast.Lt: sp.Lt, ast.LtE: sp.Le, ast.Gt: sp.Gt, ast.GtE: sp.Ge}
_WHAT_IS_ALLOWED = ("use numbers, variables, + - * / ** ^ and calls of {funcs}")
#: Descriptions of forbidden syntax, by AST node type.
_FORBIDDEN = {
    ast.Attribute: "attribute access ('.')", ast.Subscript: "subscripts ('[...]')",
    ast.Lambda: "lambda", ast.ListComp: "comprehensions", ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions", ast.GeneratorExp: "comprehensions",
    ast.JoinedStr: "f-strings", ast.List: "lists", ast.Dict: "dicts", ast.Set: "sets",
    ast.Tuple: "tuples (outside Piecewise)", ast.Compare: "comparisons (outside Piecewise)",
    ast.BoolOp: "and/or (outside Piecewise)", ast.IfExp: "if-expressions",
    ast.NamedExpr: "assignment (':=')", ast.Starred: "starred arguments",
    ast.Await: "await", ast.Yield: "yield", ast.YieldFrom: "yield", ast.Slice: "slices",
}


def parse_formula(text: str, *, symbols: Mapping[str, sp.Symbol] | Sequence[str] | None = None,
                  functions: Mapping[str, Callable] | Sequence[str] | None = None,
                  what: str = "expression") -> sp.Expr:
    """Parse a formula into a sympy expression through a whitelist over Python's AST.

    Parameters
    ----------
    text : str
        The formula, for example ``"x^4"``, ``"exp(x) + exp(-x)"`` or
        ``"20*L0*Delta/eps^2"``. ``^`` means power.
    symbols : mapping of str to sympy.Symbol, or sequence of str, optional
        The names the formula may use. A mapping gives the symbol for each name; a sequence
        allows those names as real symbols. Default: any name (letters, digits, ``_``,
        starting with a letter) becomes a real symbol. ``pi`` and ``E`` are constants unless
        ``symbols`` names them.
    functions : mapping of str to callable, or sequence of str, optional
        The functions the formula may call. A sequence picks names from :data:`FUNCTIONS`.
        Default: all of :data:`FUNCTIONS`.
    what : str
        Names the source of the text in error messages, for example
        ``"claim file x.toml, key [bound] T"``.

    Returns
    -------
    sympy.Expr
        A finite real expression (no ``I``, ``zoo``, ``oo`` or ``nan``).

    Raises
    ------
    LabInputError
        One line: ``{what} {text!r}: `` the problem and what is allowed.

    Examples
    --------
    >>> parse_formula("x^4 + exp(-x)")
    x**4 + exp(-x)
    >>> parse_formula("eta*gamma/(g + gamma)", symbols=["g", "eta", "gamma"])
    eta*gamma/(g + gamma)
    >>> parse_formula("open('/tmp/f', 'w')")
    Traceback (most recent call last):
        ...
    lab.errors.LabInputError: expression "open('/tmp/f', 'w')": function 'open' is not allowed; use numbers, variables, + - * / ** ^ and calls of Abs, abs, asinh, ...
    """
    return _Builder(text, symbols, functions, what).build()


def _function_table(functions) -> dict[str, Callable]:
    if functions is None:
        return dict(FUNCTIONS)
    if isinstance(functions, Mapping):
        return dict(functions)
    unknown = [name for name in functions if name not in FUNCTIONS]
    if unknown:
        raise ValueError(f"unknown function {unknown[0]!r}: choose from {sorted(FUNCTIONS)}")
    return {name: FUNCTIONS[name] for name in functions}


def _symbol_table(symbols) -> dict[str, sp.Symbol] | None:
    if symbols is None:
        return None
    if isinstance(symbols, Mapping):
        return dict(symbols)
    return {name: sp.Symbol(name, real=True) for name in symbols}


class _Builder:
    """Walks the AST of one formula and builds its sympy expression."""

    def __init__(self, text, symbols, functions, what):
        self.text = text
        self.what = what
        self.functions = _function_table(functions)
        self.symbols = _symbol_table(symbols)
        self.created: dict[str, sp.Symbol] = {}

    # -- errors ------------------------------------------------------------------------------
    def fail(self, problem: str) -> LabInputError:
        shown = self.text if len(self.text) <= _SHOWN else self.text[:_SHOWN] + "..."
        return LabInputError(f"{self.what} {shown!r}: {problem}")

    def allowed(self) -> str:
        funcs = ", ".join(sorted(self.functions, key=str.lower))
        return _WHAT_IS_ALLOWED.format(funcs=funcs or "no functions")

    # -- entry -------------------------------------------------------------------------------
    def build(self) -> sp.Expr:
        if not isinstance(self.text, str):
            raise LabInputError(f"{self.what} must be a string such as 'x^4', "
                                f"got {type(self.text).__name__}")
        if not self.text.strip():
            raise self.fail("empty; write a formula such as 'x^4' or 'exp(x) + exp(-x)'")
        if len(self.text) > MAX_LENGTH:
            raise self.fail(f"too long ({len(self.text)} characters); at most {MAX_LENGTH}")
        depth = _bracket_depth(self.text)
        if depth > MAX_DEPTH:
            raise self.fail(f"nested too deeply ({depth} brackets); at most {MAX_DEPTH}")
        if "#" in self.text:
            raise self.fail("comments ('#') not allowed; write the formula only")
        self.source = source = self.text.strip().replace("^", "**")
        try:
            tree = ast.parse(source, mode="eval")
        except SyntaxError as exc:
            raise self.fail(f"not a formula ({exc.msg}); {self.allowed()}") from None
        except (ValueError, MemoryError, RecursionError) as exc:
            raise self.fail(f"not a formula ({type(exc).__name__}); {self.allowed()}") from None
        try:
            expr = self.node(tree.body, 0)
        except LabInputError:
            raise
        except (TypeError, ValueError, ArithmeticError, AttributeError) as exc:
            raise self.fail(f"not a valid formula ({_one_line(exc)}); {self.allowed()}") from None
        if not isinstance(expr, sp.Expr):
            raise self.fail(f"not an expression (a {type(expr).__name__}); {self.allowed()}")
        if expr.has(sp.I, sp.zoo, sp.nan, sp.oo, -sp.oo):
            raise self.fail("not a finite real expression (it contains I, zoo, oo or nan, "
                            "e.g. from 1/0, log(0) or sqrt(-1))")
        return expr

    # -- nodes -------------------------------------------------------------------------------
    def node(self, node: ast.AST, depth: int) -> sp.Expr:
        if depth > MAX_DEPTH:
            raise self.fail(f"nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, ast.BinOp) and type(node.op) in _CHAIN_OPS:
            return self.chain(node, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
            return self.power(self.node(node.left, depth + 1), self.node(node.right, depth + 1))
        if isinstance(node, ast.BinOp):
            raise self.fail(f"operator {_op_text(node.op)!r} is not allowed; {self.allowed()}")
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.USub):
                return -self.node(node.operand, depth + 1)
            if isinstance(node.op, ast.UAdd):
                return self.node(node.operand, depth + 1)
            raise self.fail(f"operator {_op_text(node.op)!r} is not allowed; {self.allowed()}")
        if isinstance(node, ast.Constant):
            return self.number(node)
        if isinstance(node, ast.Name):
            return self.name(node.id)
        if isinstance(node, ast.Call):
            return self.call(node, depth)
        raise self.fail(f"{_FORBIDDEN.get(type(node), type(node).__name__)} not allowed; "
                        f"{self.allowed()}")

    def chain(self, node: ast.BinOp, depth: int) -> sp.Expr:
        """A left-nested run of + - * / (a long sum is one level deep, not thousands)."""
        ops = []
        while isinstance(node, ast.BinOp) and type(node.op) in _CHAIN_OPS:
            ops.append((node.op, node.right))
            node = node.left
        value = self.node(node, depth + 1)
        for op, right in reversed(ops):
            other = self.node(right, depth + 1)
            if isinstance(op, ast.Add):
                value = value + other
            elif isinstance(op, ast.Sub):
                value = value - other
            elif isinstance(op, ast.Mult):
                value = value * other
            else:
                value = value / other
        return value

    def power(self, base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
        if exponent.is_Number and abs(exponent) > MAX_EXPONENT:
            raise self.fail(f"exponent {_short(exponent)} is too large; "
                            f"use |exponent| <= {MAX_EXPONENT}")
        if base.is_Rational and exponent.is_Integer and base != 0:
            digits = abs(int(exponent)) * (_digits(base.p) + _digits(base.q))
            if digits > MAX_DIGITS:
                raise self.fail(f"the number {_short(base)}**{_short(exponent)} is too large "
                                f"(about {digits} digits); at most {MAX_DIGITS}")
        return base ** exponent

    def number(self, node: ast.Constant) -> sp.Expr:
        value = node.value
        if type(value) is int:
            return sp.Integer(value)
        if type(value) is float:
            written = ast.get_source_segment(self.source, node)
            if not math.isfinite(value):
                raise self.fail(f"the number {written} overflows a float; use a smaller one")
            exact = sp.Rational(written.replace("_", ""))
            if value == 0 and exact != 0:
                raise self.fail(f"the number {written} underflows to 0; use a larger one")
            return exact  # the decimal as written: 0.1 is 1/10, x^1.5 is x^(3/2)
        kind = {str: "strings", bytes: "bytes", complex: "complex numbers", bool: "True/False",
                type(None): "None", type(...): "'...'"}.get(type(value), type(value).__name__)
        raise self.fail(f"{kind} not allowed; {self.allowed()}")

    def name(self, name: str) -> sp.Expr:
        if self.symbols is not None and name in self.symbols:
            return self.symbols[name]
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in self.functions:
            raise self.fail(f"{name!r} is a function: call it, as in {name}(x)")
        if self.symbols is not None:
            allowed = ", ".join(sorted(self.symbols)) or "none"
            raise self.fail(f"unknown name {name!r}; the names allowed here are {allowed}")
        if not _NAME.match(name):
            raise self.fail(f"bad name {name!r}; a variable is letters, digits and _, "
                            "starting with a letter")
        return self.created.setdefault(name, sp.Symbol(name, real=True))

    def call(self, node: ast.Call, depth: int) -> sp.Expr:
        if not isinstance(node.func, ast.Name):
            raise self.fail(f"only plain function names may be called; {self.allowed()}")
        name = node.func.id
        if name not in self.functions:
            raise self.fail(f"function {name!r} is not allowed; {self.allowed()}")
        if node.keywords:
            raise self.fail(f"keyword arguments are not allowed (in {name}(...))")
        if any(isinstance(a, ast.Starred) for a in node.args):
            raise self.fail(f"starred arguments are not allowed (in {name}(...))")
        if self.functions[name] is sp.Piecewise:
            args = [self.piece(a, depth + 1) for a in node.args]
        else:
            args = [self.node(a, depth + 1) for a in node.args]
        return self.functions[name](*args)

    # -- Piecewise conditions ----------------------------------------------------------------
    def piece(self, node: ast.AST, depth: int) -> tuple:
        if not (isinstance(node, ast.Tuple) and len(node.elts) == 2):
            raise self.fail("Piecewise takes pairs (value, condition), as in "
                            "Piecewise((x, x >= 0), (-x, True))")
        value, cond = node.elts
        return self.node(value, depth + 1), self.condition(cond, depth + 1)

    def condition(self, node: ast.AST, depth: int):
        if depth > MAX_DEPTH:
            raise self.fail(f"nested too deeply (more than {MAX_DEPTH} levels)")
        if isinstance(node, ast.Constant) and type(node.value) is bool:
            return sp.true if node.value else sp.false
        if isinstance(node, ast.Compare):
            terms = [self.node(node.left, depth + 1)]
            terms += [self.node(c, depth + 1) for c in node.comparators]
            parts = []
            for op, left, right in zip(node.ops, terms[:-1], terms[1:]):
                if type(op) not in _COMPARE:
                    raise self.fail(f"comparison {_op_text(op)!r} is not allowed; "
                                    "use < <= > >=")
                parts.append(_COMPARE[type(op)](left, right))
            return sp.And(*parts)
        if isinstance(node, ast.BoolOp):
            parts = [self.condition(v, depth + 1) for v in node.values]
            return sp.And(*parts) if isinstance(node.op, ast.And) else sp.Or(*parts)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            return sp.Not(self.condition(node.operand, depth + 1))
        raise self.fail("a Piecewise condition is a comparison (< <= > >=), and/or/not of "
                        "comparisons, or True")


def exact_decimal(value: float) -> sp.Expr:
    """The number a float was written as, exactly: the rational of its shortest decimal repr.

    The lab's one rule for turning a float into an exact number (the same rule as for a
    decimal written in a formula): ``0.1`` is 1/10 and ``15.999999999`` stays below 16
    (``sympy.nsimplify`` would round it to 16); infinities become ``oo``/``-oo``.

    Examples
    --------
    >>> exact_decimal(15.999999999), exact_decimal(0.1), exact_decimal(float("-inf"))
    (15999999999/1000000000, 1/10, -oo)
    """
    value = float(value)
    if math.isinf(value):
        return sp.oo if value > 0 else -sp.oo
    if math.isnan(value):
        raise ValueError("nan has no exact value")
    return sp.Rational(repr(value))


def float_at_least(value: sp.Expr) -> float:
    """The smallest float whose exact value (:func:`exact_decimal`) is ``>= value``.

    For a constant the lab reports as valid (a smallest valid L0): the nearest float may
    stand for a number below the exact one, which is not valid (check_smoothness reads a
    float by :func:`exact_decimal` too). Exact for rationals, at 60 digits otherwise.

    Examples
    --------
    >>> float(sp.Rational(16, 9)), float_at_least(sp.Rational(16, 9))  # nearest is below
    (1.7777777777777777, 1.777777777777778)
    >>> float_at_least(sp.Integer(4)), float_at_least(sp.sqrt(2)), float_at_least(-sp.oo)
    (4.0, 1.4142135623730951, -inf)
    """
    value = sp.sympify(value)
    candidate = float(value)
    while math.isfinite(candidate):
        below = value - exact_decimal(candidate)
        if not (below > 0 if below.is_Rational else sp.N(below, 60) > 0):
            break
        candidate = math.nextafter(candidate, math.inf)
    return candidate


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for ch in text:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


def _short(number: sp.Expr) -> str:
    text = str(number)
    return text if len(text) <= 20 else str(sp.N(number, 3))


def _digits(n: int) -> int:
    return max(1, int(math.log10(abs(n))) + 1) if n else 1


def _op_text(op: ast.AST) -> str:
    return {ast.Mod: "%", ast.FloorDiv: "//", ast.MatMult: "@", ast.LShift: "<<",
            ast.RShift: ">>", ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^",
            ast.Invert: "~", ast.Not: "not", ast.Eq: "==", ast.NotEq: "!=", ast.Is: "is",
            ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in"}.get(type(op),
                                                                      type(op).__name__)


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:120] if text else type(exc).__name__
