"""``python -m lab run``: output, summary, and one-line errors with exit code 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from lab.cli import main


def run_cli(capsys, *args):
    with pytest.raises(SystemExit) as info:
        main(["run", *args])
    out = capsys.readouterr()
    return info.value.code, out.out, out.err


def test_run_prints_iterations_and_status(capsys):
    code, out, _ = run_cli(capsys, "--function", "quartic", "--method", "clipped", "--eta", "0.01",
                           "--gamma", "1", "--x0", "2", "--x0", "-3", "--eps", "1e-3",
                           "--max-iter", "100000")
    assert code == 0
    assert "clipped(eta=0.01, gamma=1.0)" in out
    assert "converged" in out and "2 runs: 2 converged, 0 budget, 0 diverged" in out


def test_run_reports_divergence(capsys):
    code, out, _ = run_cli(capsys, "--function", "cosh", "--method", "gd", "-p", "h=10",
                           "--x0", "3", "--eps", "1e-3")
    assert code == 0 and "diverged at iteration 2" in out


def test_many_runs_print_a_summary(capsys):
    code, out, _ = run_cli(capsys, "--function", "quartic_norm", "-F", "d=3", "--method", "sgd",
                           "--h", "0.01", "--tau", "0.1", "--x0", "0.5", "--eps", "0.2",
                           "--runs", "50", "--spread", "0.1", "--seed", "1")
    assert code == 0
    assert "50 runs:" in out and "iterations to eps: min" in out
    assert "status" not in out  # no per-run table for large batches


@pytest.mark.parametrize("args, fragment", [
    (["--method", "gd", "--h", "0"], "gd: h must be a finite number > 0, got 0.0"),
    (["--method", "gd", "--h", "-1"], "got -1.0"),
    (["--method", "newton", "--h", "1"], "unknown method 'newton'"),
    (["--method", "gd", "--h", "0.1", "--max-iter", "0"],
     "Invalid value for '--max-iter': 0 is not in the range x>=1"),
    (["--method", "gd", "--h", "0.1", "--seed", "-2"], "'--seed': -2 is not in the range x>=0"),
    (["--method", "gd", "--h", "0.1", "--backend", "nump"], "did you mean 'numpy'"),
    (["--method", "gd", "--h", "0.1", "--x0", "1;2"], "'1;2' is not a point"),
    (["--method", "gd", "--h", "0.1", "-F", "d"], "'d' is not KEY=NUMBER"),
    (["--method", "gd", "--h", "abc"], "method parameter h must be a number"),
    (["--method", "gd", "--h", "0.1", "--x0", "1,2"], "needs 1 coordinates"),
    (["--method", "gd", "--h", "0.1", "--x0", "nan"], "x0 must be finite"),
])
def test_usage_errors_are_one_line_with_exit_2(capsys, args, fragment):
    base = ["--function", "quartic", "--eps", "0.1"]
    if "--x0" not in args:
        base += ["--x0", "1"]
    code, _, err = run_cli(capsys, *base, *args)
    assert code == 2
    assert err.count("\n") == 1 and fragment in err and "Traceback" not in err


def test_module_entry_point_runs():
    proc = subprocess.run([sys.executable, "-m", "lab", "run", "--function", "exp", "--method",
                           "eta_star", "--L0", "0", "--L1", "1", "--x0", "1", "--eps", "1e-2"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "converged" in proc.stdout
