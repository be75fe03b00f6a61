"""A claim file's tables -> a :class:`~lab.claims.Claim` whose checks run on its class.

The format (``python -m lab check --claim FILE.toml``; README, "Claims as files")::

    [claim]   name, kind (upper-bound | lower-bound | descent | smoothness),
              expected (holds | refuted); optional title, source, tag, statement, notes
    [class]   zoo = "all" | [names or {name = .., params..}]  or  expr = ".." (+ params,
              variable)  or  whole = "1d";  optional L1 = [..], L0 = [..], x0 = [low, high]
    [method]  upper- and lower-bound claims: name = built-in or rule = "expression in g";
              other keys are parameters (numbers or formulas in L0, L1, eps, Delta, M, tau);
              in a lower bound exactly one is free: a list or {geomspace = [lo, hi], count}
    [bound]   T (iteration bounds) | model (descent, in L0, L1, g, r) | L0, L1 (smoothness,
              in L1)
    [check]   optional: default = "search" | "sweep", x = [low, high] (points of descent and
              smoothness searches), r_max (descent radius, formula in L0, L1), examples
              (instances always tried first), prove (a derivation in proofs/)
"""

from __future__ import annotations

import inspect

from lab.claims.claim import Claim, Prove
from lab.claims.complexity import IterationBound
from lab.claims.files.formulas import (CLAIM_SYMBOLS, CONSTANT_SYMBOLS, MODEL_SYMBOLS,
                                       RADIUS_SYMBOLS, Formula, Model)
from lab.claims.files.method import FILE_METHODS, FileMethod, free_values
from lab.claims.files.reader import ClaimFileError, FileReader
from lab.claims.kinds import DescentBound, SmoothnessBound, checks_for, finite_or
from lab.claims.lower import LowerBound
from lab.classes import WholeUnivariate, expression_family, make_member, zoo_class
from lab.classes.member import zoo_function
from lab.derivation import registry
from lab.errors import LabInputError
from lab.methods import METHODS

FILE_KINDS = ("upper-bound", "lower-bound", "descent", "smoothness")
ALLOWED = {
    "claim": ("name", "title", "kind", "expected", "source", "tag", "statement", "notes",
              "expected_whole", "notes_whole"),
    "class": ("zoo", "expr", "params", "variable", "whole", "L0", "L1", "x0"),
    "method": ("*",),
    "bound": ("T", "model", "L0", "L1"),
    "check": ("default", "x", "r_max", "examples", "prove"),
}
BOUND_KEYS = {"upper-bound": ("T",), "lower-bound": ("T",), "descent": ("model",),
              "smoothness": ("L0", "L1")}
CHECK_KEYS = {"upper-bound": ("default", "examples", "prove"),
              "lower-bound": ("default", "prove"),
              "descent": ("default", "x", "r_max", "examples", "prove"),
              "smoothness": ("default", "x", "examples", "prove")}
EXAMPLE_KEYS = {"upper-bound": ("function", "params", "L1", "L0", "x0", "u"),
                "descent": ("function", "params", "L1", "L0", "x", "r"),
                "smoothness": ("function", "params", "L1", "x")}


def _parse(r: FileReader, table: str, key: str, value, symbols: dict) -> Formula:
    try:
        return Formula.parse(value, symbols, r.what(table, key))
    except ClaimFileError:
        raise
    except LabInputError as exc:
        raise ClaimFileError(str(exc)) from None


def function_class(r: FileReader):
    """The ``[class]`` table as a class value."""
    given = [k for k in ("zoo", "expr", "whole") if r.has("class", k)]
    if len(given) != 1:
        raise r.fail("class", None, f"give exactly one of zoo, expr, whole (got "
                     f"{', '.join(given) or 'none'})", 'zoo = [...], expr = "...", '
                     'whole = "1d"')
    for key in ("params", "variable"):
        if r.has("class", key) and given[0] != "expr":
            raise r.fail("class", key, "only with expr = \"...\"")
    L1, L0 = r.numbers("class", "L1"), r.numbers("class", "L0")
    x0 = r.interval("class", "x0")
    key = given[0]
    try:
        if key == "whole":
            r.choice("class", "whole", ("1d",))
            return WholeUnivariate(L0=L0, L1=L1, x0=x0)
        if key == "expr":
            params = r.get("class", "params", {})
            if not isinstance(params, dict):
                raise r.fail("class", "params", "must be a table {name = [values]}")
            variable = r.text("class", "variable") if r.has("class", "variable") else None
            return expression_family(r.text("class", "expr"), params=params, L1=L1, L0=L0,
                                     x0=x0, variable=variable)
        zoo = r.get("class", "zoo")
        if zoo == "all":
            return zoo_class(None, L1=L1, L0=L0, x0=x0)
        if not isinstance(zoo, list) or not zoo:
            raise r.fail("class", "zoo", f"got {zoo!r}", '"all" or a list of zoo names '
                         '(python -m lab functions), e.g. ["quartic", "cosh"]')
        entries = [e if isinstance(e, str) else _zoo_entry(r, e) for e in zoo]
        return zoo_class(entries, L1=L1, L0=L0, x0=x0)
    except ClaimFileError:
        raise
    except LabInputError as exc:
        raise r.fail("class", key, str(exc)) from None


def _zoo_entry(r: FileReader, entry) -> tuple:
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise r.fail("class", "zoo", f"an entry must be a name or {{name = \"...\", "
                     f"parameters}}, got {entry!r}")
    return entry["name"], {k: v for k, v in entry.items() if k != "name"}


def file_method(r: FileReader, lower: bool) -> FileMethod:
    """The ``[method]`` table."""
    table = r.table("method")
    heads = [k for k in ("name", "rule") if k in table]
    if len(heads) != 1:
        raise r.fail("method", None, "give exactly one of name (a built-in rule) and rule "
                     "(an expression in g)", ", ".join(FILE_METHODS))
    params, free, values = {}, None, ()
    for key, value in table.items():
        if key in heads:
            continue
        if isinstance(value, (list, dict)):
            if not lower:
                raise r.fail("method", key, "a list of values is only allowed in a "
                             "lower-bound claim (its free parameter)")
            if free is not None:
                raise r.fail("method", key, f"only one free parameter (already: {free})")
            free = key
            try:
                values = free_values(value, r.what("method", key))
            except LabInputError as exc:
                raise ClaimFileError(str(exc)) from None
            continue
        params[key] = _parse(r, "method", key, value, CLAIM_SYMBOLS)
    if lower and free is None:
        raise r.fail("method", None, "a lower-bound claim needs one free parameter given as "
                     "a list of values", "e.g. h = [0.001, 0.01, 0.1] or h = {geomspace = "
                     "[1e-4, 1.0], count = 20}")
    if "rule" in heads:
        return FileMethod(rule=r.text("method", "rule"), params=params, free=free,
                          free_values=values, what=f"claim file {r.name}, [method]")
    name = r.choice("method", "name", FILE_METHODS)


    expected = list(inspect.signature(METHODS[name]).parameters)
    for key in [*params, *([free] if free else [])]:
        if key not in expected:
            raise r.fail("method", key, f"not a parameter of {name}", ", ".join(expected))
    missing = [k for k in expected if k not in params and k != free]
    if missing:
        raise r.fail("method", missing[0], f"missing (a parameter of {name})",
                     "a number or a formula in L0, L1, eps, Delta, M, tau")
    return FileMethod(name=name, params=params, free=free, free_values=values,
                      what=f"claim file {r.name}, [method]")


def _examples(r: FileReader, kind: str) -> tuple:
    raw = r.get("check", "examples", [])
    if not raw:
        return ()
    if kind not in EXAMPLE_KEYS or not isinstance(raw, list):
        raise r.fail("check", "examples", "a list of instance tables, for upper-bound, "
                     "descent and smoothness claims")
    out = []
    for e in raw:
        bad = [k for k in e if k not in EXAMPLE_KEYS[kind]] if isinstance(e, dict) else [e]
        missing = [k for k in EXAMPLE_KEYS[kind] if k not in ("params", "L0")
                   and k not in (e if isinstance(e, dict) else {})]
        if bad or missing:
            raise r.fail("check", "examples", f"bad instance {e!r}",
                         "{" + ", ".join(EXAMPLE_KEYS[kind]) + "} (params, L0 optional)")
        try:
            params = dict(e.get("params", {}))
            if kind == "smoothness":
                obj = zoo_function(e["function"], tuple(sorted(params.items())))
                out.append(((obj, float(e["L1"])), float(e["x"])))
                continue
            m = make_member(e["function"], L1=float(e["L1"]), L0=e.get("L0"), **params)
            out.append((m, float(e["x0"]), float(e["u"])) if kind == "upper-bound" else
                       (m, float(e["x"]), float(e["r"])))
        except (LabInputError, TypeError, ValueError) as exc:
            raise r.fail("check", "examples", str(exc)) from None
    return tuple(out)


def _spec(r: FileReader, kind: str):
    if r.table("method") and kind in ("descent", "smoothness"):
        raise r.fail("method", None, f"a {kind} claim has no [method]")
    for table, allowed in (("bound", BOUND_KEYS[kind]), ("check", CHECK_KEYS[kind])):
        for key in r.table(table):
            if key not in allowed:
                raise r.fail(table, key, f"not a key of a {kind} claim", ", ".join(allowed))
    if kind in ("upper-bound", "lower-bound"):
        if not r.table("method"):
            raise r.fail("method", None, f"missing: a {kind} claim needs [method]")
        method = file_method(r, kind == "lower-bound")
        T = _parse(r, "bound", "T", r.get("bound", "T", ""), CLAIM_SYMBOLS) \
            if r.has("bound", "T") else None
        if T is None:
            raise r.fail("bound", "T", "missing", "a formula in L0, L1, eps, Delta, M, tau")
        positive = method.undefined_at_zero_l0() or T.undefined_at_zero("L0")
        if kind == "upper-bound":
            return IterationBound(method, T.expr, positive_l0=positive), method, T
        return LowerBound(method, method.free, method.values, T.expr,
                          positive_l0=positive), method, T
    if kind == "descent":
        if not r.has("bound", "model"):
            raise r.fail("bound", "model", "missing", "a formula in L0, L1, g, r")
        model = _parse(r, "bound", "model", r.get("bound", "model"), MODEL_SYMBOLS)
        radius = None
        if r.has("check", "r_max"):
            rf = _parse(r, "check", "r_max", r.get("check", "r_max"), RADIUS_SYMBOLS)
            radius = (lambda f: lambda m: finite_or(f(L0=m.L0, L1=m.L1), 8.0))(rf)
        return DescentBound(Model(model, r.what("bound", "model")), model.text, radius,
                            r.interval("check", "x")), None, None
    if not r.has("bound", "L0"):
        raise r.fail("bound", "L0", "missing", "a formula in L1")
    l0 = _parse(r, "bound", "L0", r.get("bound", "L0"), CONSTANT_SYMBOLS)
    l1 = _parse(r, "bound", "L1", r.get("bound", "L1"), CONSTANT_SYMBOLS) \
        if r.has("bound", "L1") else None
    spec = SmoothnessBound((lambda f: lambda v: f(L1=v))(l0),
                           float if l1 is None else (lambda f: lambda v: f(L1=v))(l1),
                           r.interval("check", "x") or (-20.0, 20.0))
    return spec, None, None


def _derivation(r: FileReader) -> str:
    """``[check] prove``: a derivation of ``proofs/`` (any identifier where the lab is
    installed without its proofs folder: the check then says so when it runs)."""
    try:
        names = tuple(registry.names())
    except LabInputError:  # a regular install: proofs/ ships with the repository only
        name = r.text("check", "prove")
        if not name.isidentifier():
            raise r.fail("check", "prove", f"got {name!r}", "a derivation name (proofs/)")
        return name
    return r.choice("check", "prove", names)


def _try_method(method: FileMethod, members: list) -> None:
    """Build the method at every member with ε = Δ = M = 1: a parameter out of range (a
    negative step, a zero threshold) is a mistake in the file, found before any run."""
    for m in members:
        values = method.values(m, 1.0, 1.0, 1.0) if method.free else [None]
        for v in values:
            method(m, 1.0, 1.0, 1.0, v)


def claim_from_tables(data: dict, name: str) -> Claim:
    """The claim stated by the parsed TOML ``data`` of the file called ``name``."""
    r = FileReader(data, name)
    r.keys(ALLOWED)
    for table in ("claim", "class", "bound"):
        if table not in data:
            raise r.fail(table, None, "missing table", "[claim], [class], [method], [bound], "
                         "[check]")
    kind = r.choice("claim", "kind", FILE_KINDS)
    expected = r.choice("claim", "expected", ("holds", "refuted"))
    cls = function_class(r)
    spec, method, T = _spec(r, kind)
    if kind != "smoothness" and not isinstance(cls, WholeUnivariate):
        try:  # build (and certify) every member now: a mistake names the file
            members = cls.sweep_members(positive_l0=getattr(spec, "positive_l0", False))
        except LabInputError as exc:
            raise r.fail("class", None, str(exc)) from None
        if method is not None:
            _try_method(method, members)
    default = r.choice("check", "default", ("search", "sweep"), "search")
    if kind == "lower-bound" and default == "search":
        default = "sweep"
    checks = checks_for(spec, cls, examples=_examples(r, kind), default=default)
    if r.has("check", "prove"):
        checks += (Prove(_derivation(r)),)
    title = r.text("claim", "title", r.text("claim", "name"))
    try:
        return Claim(name=r.text("claim", "name"), title=title,
                     source=r.text("claim", "source", f"claim file {name}"),
                     tag=r.text("claim", "tag", "D"), kind=kind, expected=expected,
                     statement=r.text("claim", "statement", title), checks=checks,
                     function_class=cls.functions_text if kind == "smoothness" else cls.covers,
                     method=method.describe() if method else "",
                     bound=T.expr if T is not None else None,
                     notes=r.get("claim", "notes", "") or "")
    except LabInputError as exc:
        raise r.fail("claim", None, str(exc)) from None
