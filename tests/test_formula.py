"""The one parser of user text (lab.formula): what it builds, and what it refuses.

Refusals are checked three ways: the parser raises LabInputError with one line; the CLI turns
hostile text into exit code 2 with one line on stderr; and nothing the text asks for happens
(a file it would write is not written, a command it would run does not run).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import sympy as sp

from lab.cli import main
from lab.errors import LabInputError
from lab.formula import MAX_DEPTH, MAX_LENGTH, exact_decimal, float_at_least, parse_formula

ROOT = Path(__file__).resolve().parents[1]
x, y = sp.Symbol("x", real=True), sp.Symbol("y", real=True)


@pytest.mark.parametrize("text, expected", [
    ("x^4", x**4),
    ("x**4", x**4),
    ("-x^2", -x**2),
    ("+x - -y", x + y),
    ("exp(x) + exp(-x)", sp.exp(x) + sp.exp(-x)),
    ("2*x/3", sp.Rational(2, 3) * x),
    ("x^2*y^2", x**2 * y**2),
    ("abs(x)^3 + Abs(y)", sp.Abs(x)**3 + sp.Abs(y)),
    ("log(1 + exp(-x))", sp.log(1 + sp.exp(-x))),
    ("max(1, x) + Min(x, y)", sp.Max(1, x) + sp.Min(x, y)),
    ("pi*x + E", sp.pi * x + sp.E),
    ("0.5*x", x / 2),  # decimals are exact: the number as written
    ("1e-3*x", x / 1000),
    ("1_000.5 * x", sp.Rational(2001, 2) * x),
    ("x^1.5", x**sp.Rational(3, 2)),
    ("sqrt(x^2 + 1)", sp.sqrt(x**2 + 1)),
    ("Piecewise((x^2, x < 1), (2*x - 1, True))",
     sp.Piecewise((x**2, x < 1), (2 * x - 1, True))),
    ("Piecewise((0, (x > 0) and (x <= 1)), (x, True))",
     sp.Piecewise((0, sp.And(x > 0, x <= 1)), (x, True))),
    ("Piecewise((0, 0 < x <= 1), (x, True))",
     sp.Piecewise((0, sp.And(x > 0, x <= 1)), (x, True))),
    ("+".join(["x"] * 900), 900 * x),  # a long sum is one level deep, not 900
])
def test_accepted_formulas_build_the_expected_tree(text, expected):
    assert parse_formula(text) == expected


def test_symbols_mapping_and_names():
    g = sp.Symbol("g", positive=True)
    expr = parse_formula("eta*gamma/(g + gamma)", symbols={"g": g, "eta": x, "gamma": y})
    assert expr == x * y / (g + y)
    assert parse_formula("E*x", symbols=["x", "E"]) == sp.Symbol("E", real=True) * x
    with pytest.raises(LabInputError, match="unknown name 'z'; the names allowed here are x, y"):
        parse_formula("x + z", symbols=["x", "y"])


def test_functions_can_be_narrowed():
    assert parse_formula("exp(x)", functions=["exp"]) == sp.exp(x)
    with pytest.raises(LabInputError, match="function 'sin' is not allowed; .* calls of exp$"):
        parse_formula("sin(x)", functions=["exp"])


def test_what_names_the_source():
    with pytest.raises(LabInputError) as err:
        parse_formula("x +", what="claim file c.toml, key [bound] T")
    assert str(err.value).startswith("claim file c.toml, key [bound] T 'x +': not a formula")


HOSTILE = [
    # builtins and code execution
    ("open('{path}', 'w').write('owned') + x**4", "only plain function names"),
    ("open('{path}', 'w')", "function 'open' is not allowed"),
    ("exec(\"open('{path}', 'w')\")", "function 'exec' is not allowed"),
    ("eval(\"open('{path}', 'w')\")", "function 'eval' is not allowed"),
    ("getattr(x, 'real')", "function 'getattr' is not allowed"),
    ("__import__('os').system('touch {path}')", "only plain function names"),
    ("__import__", "bad name '__import__'"),
    ("globals()", "function 'globals' is not allowed"),
    ("breakpoint()", "function 'breakpoint' is not allowed"),
    # attribute access and subscripts
    ("x.real", "attribute access"),
    ("().__class__.__bases__[0].__subclasses__()", "only plain function names"),
    ("x[0]", "subscripts"),
    ("exp(x)(y)", "only plain function names"),
    # comprehensions, lambdas, other syntax
    ("[open('{path}', 'w') for i in x]", "comprehensions not allowed"),
    ("{{x: 1}}", "dicts not allowed"),
    ("lambda: open('{path}', 'w')", "lambda not allowed"),
    ("(x := 3) + x", "assignment"),
    ("x if y else open('{path}', 'w')", "if-expressions not allowed"),
    ("x < y", "comparisons (outside Piecewise)"),
    ("x % 2", "operator '%' is not allowed"),
    ("exp(*[x])", "starred arguments"),
    ("exp(x=1)", "keyword arguments"),
    ("x; import os", "not a formula"),
    ("import os", "not a formula"),
    ("x # hidden", "comments ('#') not allowed"),
    # string and bytes tricks
    ("'abc'", "strings not allowed"),
    ("b'abc'", "bytes not allowed"),
    ("f'{{x}}'", "f-strings not allowed"),
    ("'x' + x", "strings not allowed"),
    ("1j*x", "complex numbers not allowed"),
    ("True + x", "True/False not allowed"),
    ("x\x00", "not a formula"),
    # size: very long, deeply nested, huge powers
    ("x" * (MAX_LENGTH + 1), "too long"),
    ("(" * 500 + "x" + ")" * 500, "nested too deeply"),
    ("-" * 1500 + "x", "nested too deeply"),
    ("x" + "**x" * 400, "nested too deeply"),
    ("9**9**9**9", "exponent 387420489 is too large"),
    ("(10**999)**999", "too large"),
    ("x**(10**100)", "too large"),
    ("1e400*x", "the number 1e400 overflows a float"),
    ("1e-400*x", "the number 1e-400 underflows to 0"),
    # not a function or not real
    ("foo(x)", "function 'foo' is not allowed"),
    ("log(0) + x", "not a finite real expression"),
    ("sqrt(-1)*x", "not a finite real expression"),
    ("", "empty"),
]


@pytest.mark.parametrize("template, needle", HOSTILE)
def test_hostile_text_is_refused_in_one_line_without_side_effect(tmp_path, template, needle):
    """Theorem (safety): no text makes the parser run code. Every hostile input is refused
    with one line naming the problem (huge powers are refused, not computed), and the file it would write never appears."""
    target = tmp_path / "owned"
    text = template.format(path=target)
    with pytest.raises(LabInputError) as err:
        parse_formula(text)
    message = str(err.value)
    assert needle in message and "\n" not in message
    assert not target.exists()


@pytest.mark.parametrize("template", [t for t, _ in HOSTILE])
def test_hostile_text_through_the_cli_exits_2(capsys, tmp_path, template):
    target = tmp_path / "owned"
    with pytest.raises(SystemExit) as exc:
        main(["check-smoothness", template.format(path=target), "--L0", "16", "--L1", "1"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
    assert not target.exists()


@pytest.mark.parametrize("template", [
    "open('{path}','w').write('owned') + x**4",
    "__import__('os').system('touch {path}') + x",
    "exec(\"open('{path}','w')\") + x",
    "[open('{path}','w') for i in [1]][0] + x",
    "9**9**9**9 + x",
])
def test_hostile_text_in_a_fresh_process(tmp_path, template):
    """The issue's example, as a user runs it: exit 2, one line on stderr, no file written."""
    target = tmp_path / "owned"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "lab", "check-smoothness",
                           template.format(path=target), "--L0", "16", "--L1", "1"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""
    assert not target.exists()


def test_depth_limit_is_the_documented_one():
    nested = "exp(" * MAX_DEPTH + "x" + ")" * MAX_DEPTH
    assert parse_formula(nested).count(sp.exp) == MAX_DEPTH
    with pytest.raises(LabInputError, match="nested too deeply"):
        parse_formula("exp(" * (MAX_DEPTH + 1) + "x" + ")" * (MAX_DEPTH + 1))


def test_layers_parser_and_functions_import_nothing_above_them():
    """lab.formula is infrastructure (imports only lab.errors from the lab); lab.functions
    (layer 1) never imports lab.smoothness (layer 2)."""
    code = ("import sys, lab.formula; a = sorted(m for m in sys.modules if m.startswith('lab'));"
            "import lab.functions; b = sorted(m for m in sys.modules if m.startswith('lab.'));"
            "print(a); print(b)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env=env, check=True).stdout.splitlines()
    assert out[0] == "['lab', 'lab.errors', 'lab.formula']"
    assert not any(m.startswith(("lab.smoothness", "lab.claims", "lab.cli")) for m in ast.literal_eval(out[1]))


def test_float_at_least_reads_floats_by_their_shortest_repr():
    """Theorem checked: float_at_least(v) is the least float x whose exact value by the lab's
    rule (exact_decimal: its shortest repr) is >= v. Just above 1/10 the float 0.1 has a
    binary value above v but stands for 1/10 < v, so the answer is the next float; at 1/10
    itself it is 0.1; below every float's value, the nearest float is kept."""
    import math

    v = sp.Rational(10**20 + 1, 10**21)
    assert float(v) == 0.1 and sp.Rational(0.1) > v > exact_decimal(0.1)
    assert float_at_least(v) == math.nextafter(0.1, math.inf)
    assert float_at_least(sp.Rational(1, 10)) == 0.1
    assert float_at_least(sp.Rational(3, 10)) == 0.3 and float_at_least(sp.oo) == math.inf
