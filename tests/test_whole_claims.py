"""Claims on the whole univariate class: files with whole = "1d", the catalogue's variants, the
report columns and figure g's whole-class markers."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace as NS

import mpmath
import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from lab.adversary.build import member_from_run
from lab.cli import cli
from lab.claims.catalog import catalog
from lab.claims.report import format_table
from lab.claims.whole import not_covered, whole_class_variant
from lab.classes.whole import WholeUnivariate
from lab.figures.tightness_data import tightness_rows, verdict_rows
from lab.figures.worst_member import figure_h_data
from lab.methods import clipped
from lab.strategies import members

FAST_WHOLE = """
[claim]
name = "{name}"
title = "t"
kind = "upper-bound"
expected = "{expected}"
source = "test"

[class]
whole = "1d"
L0 = [1.0]
L1 = [1.0]

[method]
name = "clipped"
eta = "1/(10*L0)"
gamma = "Min(10*L0, L0/L1)"

[bound]
T = "{c}*L0*Delta/eps**2 + 20*Max(1, L1**2)*Delta/L0"
"""


def test_every_catalogued_claim_is_covered_or_says_why():
    """Each claim over a class (upper and lower bounds, descent models) has a whole-class
    variant; every other one states why it has none."""
    for c in catalog():
        v = whole_class_variant(c.name)
        if c.kind in ("upper-bound", "descent"):
            assert v is not None, c.name
        if v is None:
            assert not_covered(c.name), c.name
        else:
            assert v.check_names == ("adversary",) and v.kind == c.kind


def test_refuted_whole_class_file_prints_its_counterexample_member(tmp_path):
    """A claim file with whole = "1d" whose bound is false (Theorem 3 with 5 L0Δ/ε²; the zoo
    does not refute it) exits 1 and prints a member that rebuilds, with T_eps > bound."""
    path = tmp_path / "c5.toml"
    path.write_text(FAST_WHOLE.format(name="c5", expected="refuted", c=5))
    r = CliRunner().invoke(cli, ["check", "--claim", str(path), "--budget", "quick"])
    assert r.exit_code == 1, r.output
    assert "refuted (expected refuted) by adversary" in r.output
    assert "member_from_run(" in r.output and "T_eps = " in r.output
    assert "the whole univariate class" in r.output
    # the adversary reports its best certified candidates, not every evaluation it made
    assert "found by the whole-class adversary" in r.output and " evaluations" not in r.output


def _call_text(text: str, name: str) -> str:
    """The first ``name(...)`` call in ``text`` (parentheses balanced)."""
    start = text.index(name + "(")
    depth = 0
    for i in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        if depth == 0 and text[i] == ")":
            return text[start:i + 1]
    raise AssertionError(f"unbalanced {name}( in {text!r}")


def _build(node, functions):
    """Evaluate the printed rebuild call: calls of ``functions`` with keyword arguments,
    numbers, lists and ``list * int`` only (no eval of printed text)."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.List):
        return [_build(e, functions) for e in node.elts]
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult):
        return _build(node.left, functions) * _build(node.right, functions)
    if isinstance(node, ast.Call) and not node.args:
        fn = functions[node.func.id]
        return fn(**{k.arg: _build(k.value, functions) for k in node.keywords})
    raise AssertionError(f"unexpected syntax in the printed member: {ast.dump(node)}")


def test_printed_counterexample_rebuilds_and_refutes_the_bound():
    """The member printed for a refuted whole-class file (Theorem 3's form with 5 L0Δ/ε²) is
    rebuilt from the printed text alone; it is in the class (controls in [-1, 1], the file's
    (L0, L1)), and a plain loop of clipped GD, h = min(η, γη/|g|), on it from the printed x0
    needs T_ε iterations to reach |f'| <= ε, more than the bound 5Δ/ε² + 20Δ evaluated with
    the rebuilt member's own Δ = f(x0) - f*."""
    path = Path(__file__).parent.parent / "examples/claims/clipped-constant-5-whole-class.toml"
    r = CliRunner().invoke(cli, ["check", "--claim", str(path), "--budget", "quick"])
    assert r.exit_code == 1, r.output
    shown = r.output.split("counterexample:", 1)[1].split("[largest", 1)[0]
    call = _call_text(shown, "member_from_run")
    run = _build(ast.parse(call, mode="eval").body,
                 {"member_from_run": member_from_run, "clipped": clipped})
    member = run.member
    assert (member.L0, member.L1) == (1.0, 1.0)
    assert all(-1.0 <= c <= 1.0 for c in member.controls)
    eps = float(re.search(r"eps = ([0-9.e+-]+)", shown).group(1))
    x0 = float(re.search(r"x0=([0-9.e+-]+)", call).group(1))
    eta, gamma = 0.1, 1.0
    x, t = x0, 0
    while abs(float(member.grad([[x]])[0, 0])) > eps:
        g = float(member.grad([[x]])[0, 0])
        x -= min(eta, gamma * eta / abs(g)) * g
        t += 1
        assert t < 10_000
    delta = member.gap(x0)
    bound = 5 * delta / eps**2 + 20 * delta
    assert t > bound, (t, bound)
    assert f"T_eps = {t} " in shown


def test_holding_whole_class_descent_claim_exits_zero():
    """The exponential descent model is an equality for the extremal member: ratio 1, holds."""
    r = CliRunner().invoke(cli, ["check", "descent-exponential", "--whole"])
    assert r.exit_code == 0, r.output
    assert "holds (expected holds) by adversary" in r.output
    assert "worst ratio 1 at" in r.output


def test_check_whole_on_a_claim_without_variant_is_a_usage_error():
    p = subprocess.run([sys.executable, "-m", "lab", "check", "fact-quartic", "--whole"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "no whole-class variant" in p.stderr
    assert "Traceback" not in p.stderr


def _verdict(name, ratio, whole=None, note=""):
    claim = NS(name=name, title="T", source="s", tag="D", expected="holds", kind="upper-bound")
    return NS(claim=claim, verdict="holds", matches_expectation=True, worst_ratio=ratio,
              where="zoo instance", counterexample=None, method="search", ratios=None,
              whole=whole, whole_note=note, brackets=("L0*Delta/eps**2: [10.24, 11.25]",))


def test_report_table_and_figure_rows_carry_the_whole_class():
    w = NS(claim=NS(name="c", expected="holds"), verdict="holds", matches_expectation=True,
           worst_ratio=0.51, where="member_from_run(...)", counterexample=None, seconds=1.0)
    vs = [_verdict("c", 0.2, whole=w), _verdict("d", 0.3, note="a fact about particular functions")]
    text = format_table(vs)
    assert "whole class" in text and "0.51 holds" in text and "n/a" in text
    assert "c: constant bracket L0*Delta/eps**2: [10.24, 11.25]" in text
    rows = tightness_rows(vs)
    assert [(r["claim"], r["kind"], r["ratio"]) for r in rows] == [
        ("c", "search worst", 0.2), ("c", "whole class", 0.51), ("d", "search worst", 0.3)]
    vr = verdict_rows(vs)
    assert vr[0]["whole_ratio"] == pytest.approx(0.51) and vr[1]["whole_verdict"] == "n/a"


@settings(max_examples=15)
@given(members(WholeUnivariate(L0=[1.0], L1=[0.0, 0.5, 2.0])), st.floats(0, 1))
def test_strategies_draw_whole_class_members(m, where):
    """lab.strategies.members(WholeUnivariate(...)) draws valid members: |f''| <= L0 + L1|f'|
    (mpmath, at a drawn point), Δ >= 0 and M >= |f'(x0)| at a drawn start."""
    lo, hi = m.start_interval
    x = lo + (hi - lo) * where
    f, fp, fpp = m.mp()
    with mpmath.workdps(40):
        assert abs(fpp(x)) <= (m.L0 + m.L1 * abs(fp(x))) * (1 + mpmath.mpf(10) ** -30)
    assert m.gap(x) >= 0 and m.sublevel_sup_grad(x) >= m.grad_abs(x) * (1 - 1e-12)


def test_figure_h_draws_a_class_member_and_clipped_gd_on_it():
    """Figure h's data (the adversary's worst case for Theorem 3's clipped GD, quick budget):
    the drawn f' is (L0, L1)-smooth (difference quotients); the drawn iterates are clipped GD's
    own, x_{k+1} = x_k - min(η, γη/|f'(x_k)|) f'(x_k) with η = 1/(10 L0), γ = min(10 L0, L0/L1)
    written here; every drawn iterate has |f'| > ε; and the stated ratio is T_ε over Theorem
    3's bound 20 L0Δ/ε² + 20 max(1, L1²)Δ/L0 recomputed from the stated Δ and ε."""
    rows, its, meta = figure_h_data(budget="quick", shown=4)
    L0, L1 = meta["L0"], meta["L1"]
    eta, gamma = 1 / (10 * L0), min(10 * L0, L0 / L1)
    for a, b in zip(its, its[1:]):
        g = a["fprime"]
        assert b["x"] == pytest.approx(a["x"] - min(eta, gamma * eta / abs(g)) * g, rel=1e-12)
    assert all(abs(r["fprime"]) > meta["eps"] for r in its)
    bound = (20 * L0 * meta["delta"] / meta["eps"] ** 2
             + 20 * max(1.0, L1**2) * meta["delta"] / L0)
    assert meta["bound"] == pytest.approx(bound, rel=1e-12)
    assert meta["ratio"] == pytest.approx(meta["t"] / bound, rel=1e-12)
    assert 0.5 < meta["ratio"] < 1
    # the drawn f' is (L0, L1)-smooth: difference quotients of f' between neighbouring rows
    # stay below L0 + L1 max|f'| on the pair (the mean value theorem), and f - f* >= 0
    x = np.array([r["x"] for r in rows])
    fp = np.array([r["fprime"] for r in rows])
    slopes = np.abs(np.diff(fp) / np.diff(x))
    allowed = L0 + L1 * np.maximum(np.abs(fp[1:]), np.abs(fp[:-1]))
    assert np.all(slopes <= allowed * (1 + 1e-6) + 1e-9)
    assert min(r["f"] for r in rows) >= -1e-12
