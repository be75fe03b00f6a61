"""The claims and check commands: table, exit codes 0 (as expected / survives), 1 (an
unexpected verdict / refuted, with the counterexample) and 2 (unknown claim)."""

from __future__ import annotations

import importlib
import subprocess
import sys

from click.testing import CliRunner

from lab.cli import check_cmd, claims_cmd

# the module that reads the catalogue (``lab.claims.check`` the attribute is a function)
check_module = importlib.import_module("lab.claims.check")


def test_check_survives_exit_0():
    r = CliRunner().invoke(check_cmd.command, ["clip-normalized-factor2", "--budget", "quick"])
    assert r.exit_code == 0, r.output
    assert "holds (expected holds)" in r.output
    assert "worst ratio" in r.output


def test_check_refuted_exit_1_with_counterexample():
    r = CliRunner().invoke(check_cmd.command, ["blog-descent-global", "--budget", "quick"])
    assert r.exit_code == 1
    assert "counterexample: get_function('exp') with (L0, L1) = (0, 1), x = 0.0, y - x = 1.0" \
        in r.output


def test_check_prove_method():
    r = CliRunner().invoke(check_cmd.command, ["step-ordering", "--method", "prove"])
    assert r.exit_code == 0, r.output
    assert "by prove" in r.output


def test_unknown_claim_exit_2_lists_names():
    p = subprocess.run([sys.executable, "-m", "lab", "check", "theorem-99"],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert "unknown claim 'theorem-99'" in p.stderr and "theorem3-clipped-gd" in p.stderr
    assert "Traceback" not in p.stderr


def test_claims_table_and_exit_codes(monkeypatch):
    """A two-claim catalogue: exit 0 when both verdicts are the expected ones; exit 1, with
    the unexpected claim marked and printed in full, when an expectation is wrong."""
    from dataclasses import replace

    from lab.claims import get_claim

    good = [get_claim("mistake-exp-sum-l0-zero"), get_claim("fact-cosh")]
    monkeypatch.setattr(check_module, "catalog", lambda: good)
    r = CliRunner().invoke(claims_cmd.command, ["--budget", "quick", "--no-progress"])
    assert r.exit_code == 0, r.output
    header = r.output.splitlines()[0].split()
    assert header[:5] == ["claim", "source", "tag", "expected", "verdict"]
    assert "2 claims: 2 as expected, 0 unexpected" in r.output

    wrong = [replace(get_claim("fact-cosh"), expected="refuted")]
    monkeypatch.setattr(check_module, "catalog", lambda: wrong)
    r = CliRunner().invoke(claims_cmd.command, ["--budget", "quick", "--no-progress"])
    assert r.exit_code == 1
    assert "holds (!)" in r.output and "fact-cosh: holds (expected refuted)" in r.output
