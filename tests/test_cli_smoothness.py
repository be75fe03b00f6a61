"""The `functions` and `check-smoothness` commands: output, and the three exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from lab.cli import main
from lab.functions import function_names

ROOT = Path(__file__).resolve().parents[1]


def run_cli(capsys, *args):
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


@pytest.mark.parametrize("expr, L0, L1, code, needle", [
    ("x**4", "16", "1", 0, "holds"),
    ("x**4", "15.9", "1", 1, "counterexample: x = "),
    ("exp(x)+exp(-x)", "0", "1", 1, "counterexample: x = 0"),
    ("x**2*y**2", "100", "100", 1, "counterexample: "),
    ("exp(x)", "0", "1", 0, "symbolic (exact)"),
])
def test_issue_examples(capsys, expr, L0, L1, code, needle):
    """The five acceptance examples of the foundation issue."""
    rc, out, _ = run_cli(capsys, "check-smoothness", expr, "--L0", L0, "--L1", L1)
    assert rc == code
    assert needle in out


def test_x2y2_counterexample_lies_on_an_axis(capsys):
    """x²y² fails where the gradient vanishes: on an axis (one coordinate exactly 0)."""
    rc, out, _ = run_cli(capsys, "check-smoothness", "x**2*y**2", "--L0", "100", "--L1", "100")
    line = next(l for l in out.splitlines() if l.startswith("counterexample:"))
    coords = [float(part.split("=")[1]) for part in line.split(":", 1)[1].split(",")]
    assert rc == 1 and 0.0 in coords


def test_x4_counterexample_is_near_two(capsys):
    rc, out, _ = run_cli(capsys, "check-smoothness", "x**4", "--L0", "15.9", "--L1", "1")
    point = float(out.split("counterexample: x = ")[1].split()[0])
    assert abs(abs(point) - 2) < 1e-9
    lhs = float(out.split("||∇²f(x)||")[1].split("=")[1].split()[0])
    rhs = float(out.split("L0 + L1*||∇f(x)||")[1].split("=")[1].split()[0])
    assert lhs == pytest.approx(48) and rhs == pytest.approx(47.9) and lhs > rhs


@pytest.mark.parametrize("args, message", [
    (["x^4 +", "--L0", "1", "--L1", "1"], "expression 'x^4 +': not a formula"),
    (["x^4", "--L0", "-1", "--L1", "1"], "L0 must be a finite number >= 0"),
    (["x^4", "--L0", "nan", "--L1", "1"], "L0 must be a finite number >= 0"),
    (["x*y", "--vars", "x", "--L0", "1", "--L1", "1"], "unknown name 'y'"),
    (["x^4", "--L0", "1", "--L1", "1", "--domain", "5:1"], "need LOW < HIGH"),
    (["x^4", "--L0", "1", "--L1", "1", "--domain", "a:b"], "write LOW:HIGH"),
    (["x^4", "--L0", "1"], "give both --L0 and --L1"),
    (["foo(x)", "--L0", "1", "--L1", "1"], "function 'foo' is not allowed"),
    (["--function", "quartc", "--L0", "1", "--L1", "1"], "did you mean 'quartic'"),
    (["x^4", "--frontier", "--L0", "1"], "drop --L0"),
])
def test_usage_errors_exit_2_with_one_line(capsys, args, message):
    rc, out, err = run_cli(capsys, "check-smoothness", *args)
    assert rc == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_frontier_prints_smallest_l0(capsys):
    rc, out, _ = run_cli(capsys, "check-smoothness", "x^4", "--frontier", "--L1", "1,2")
    assert rc == 0
    rows = [line.split() for line in out.splitlines()[1:]]
    assert [r[:2] for r in rows] == [["1", "16"], ["2", "4"]]


def test_zoo_member_by_name_with_domain(capsys):
    rc, out, _ = run_cli(capsys, "check-smoothness", "--function", "logistic", "--L0", "0",
                         "--L1", "1")
    assert rc == 0 and "holds" in out
    # On [-5, 0], exp needs L0 >= sup e^x (1 - L1) = 1/2 at x = 0 when L1 = 1/2.
    rc, out, _ = run_cli(capsys, "check-smoothness", "exp(x)", "--L0", "0.5", "--L1", "0.5",
                         "--domain", "-5:0")
    assert rc == 0 and "on [-5, 0]" in out
    rc, out, _ = run_cli(capsys, "check-smoothness", "exp(x)", "--L0", "0.49", "--L1", "0.5",
                         "--domain", "-5:0")
    assert rc == 1 and "counterexample: x = 0" in out


def test_functions_table_lists_the_zoo(capsys):
    rc, out, _ = run_cli(capsys, "functions")
    assert rc == 0
    for name in function_names():
        assert f"\n{name} " in out
    assert "NON-EXAMPLE" in out and "16/L1**2" in out


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "lab", "--help"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0
    assert "check-smoothness" in proc.stdout and "reproduce" in proc.stdout


# --- issue 10: R^d by default, boxes on purpose, honest verdicts ------------------------------

def test_logistic_on_a_box_fails_exactly(capsys):
    """The issue's example: sup 81/400 > L0 = 0 on [-5, 5]^d (it once printed 'holds')."""
    rc, out, _ = run_cli(capsys, "check-smoothness", "--function", "logistic", "--L0", "0",
                         "--L1", "0.1", "--domain=-5:5")
    assert rc == 1
    assert "on the box [-5, 5] x [-5, 5]" in out and "81/400" in out
    assert "counterexample:" in out


def test_quartic_sum_fails_on_r2_and_holds_on_the_box(capsys):
    rc, out, _ = run_cli(capsys, "check-smoothness", "x**4+y**4", "--L0", "1000", "--L1", "0.1",
                         "--samples", "2000")
    assert rc == 1 and "on R^2" in out and "counterexample:" in out
    lhs = float(out.split("||∇²f(x)||")[1].split("=")[1].split()[0])
    rhs = float(out.split("L0 + L1*||∇f(x)||")[1].split("=")[1].split()[0])
    assert lhs == pytest.approx(4800) and rhs == pytest.approx(4200)
    rc, out, _ = run_cli(capsys, "check-smoothness", "x**4+y**4", "--L0", "1000", "--L1", "0.1",
                         "--domain", "-10:10", "--samples", "2000")
    assert rc == 0 and "no violation found on the box [-10, 10] x [-10, 10]" in out
    rc, out, _ = run_cli(capsys, "check-smoothness", "x**4+y**4", "--L0", "1000", "--L1", "0.1",
                         "--domain", "x=-10:10,y=-10:10", "--samples", "2000")
    assert rc == 0 and "on the box" in out  # names without --vars: the expression's own


@pytest.mark.parametrize("args, message", [
    (["sqrt(x)", "--L0", "1", "--L1", "1"], "'sqrt(x)' is not real-valued on R"),
    (["x**y", "--L0", "1", "--L1", "1", "--samples", "1000"], "'x**y' is not real-valued at"),
])
def test_non_real_expressions_exit_2(capsys, args, message):
    rc, _, err = run_cli(capsys, "check-smoothness", *args)
    assert rc == 2 and message in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [
    ["check-smoothness", "x**y", "--L0", "1", "--L1", "1", "--samples", "1000"],
    ["check-smoothness", "x**y", "--L0", "1", "--L1", "1", "--domain", "0.5:2",
     "--samples", "1000"],
    ["check-smoothness", "Abs(x)^1.5", "--L0", "1", "--L1", "1"],
    ["check-smoothness", "exp(exp(x))", "--L0", "1e300", "--L1", "1"],
    ["check-smoothness", "log(x)", "--frontier", "--L1", "1", "--domain", "0:inf"],
    ["check-smoothness", "(x^2+y^2)^0.75", "--L0", "1", "--L1", "1", "--samples", "1000"],
])
def test_no_runtime_warning_reaches_the_user(args):
    """Overflow, singular points and non-real values are handled locally (np.errstate):
    with RuntimeWarning turned into an error, every command still ends normally."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-W", "error::RuntimeWarning", "-m", "lab", *args],
                          capture_output=True, text=True, env=env, timeout=600)
    assert proc.returncode in (0, 1, 2), proc.stderr
    assert "Warning" not in proc.stderr and "Traceback" not in proc.stderr
