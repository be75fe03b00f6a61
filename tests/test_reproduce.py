"""``python -m lab reproduce`` and ``python -m lab figures``: exit codes, report, files."""

from __future__ import annotations

from types import SimpleNamespace as NS

import pytest
from click.testing import CliRunner

from lab.cli import cli
from lab.cli import pipeline
from lab.figures.build import FIGURES
from lab.figures.report import DerivationStatus


def _verdict(name, expected, verdict):
    claim = NS(name=name, title=f"title {name}", source="paper", tag="R", expected=expected)
    return NS(claim=claim, verdict=verdict, matches_expectation=verdict == expected,
              worst_ratio=0.5, where="x0=1", counterexample=None if verdict == "holds"
              else "x = 3", method="sweep", ratios=[("M=10", 0.5), ("M=100", 0.25)])


@pytest.fixture
def stubbed(monkeypatch):
    """Replace the slow steps; each test sets what the claims/derivations return."""
    state = {"verdicts": [_verdict("c1", "holds", "holds")], "derivs_ok": True,
             "network": ("skipped", "network experiment skipped: needs PyTorch", [], [])}
    monkeypatch.setattr(pipeline, "run_claims",
                        lambda b, s, p, client=None: (state["verdicts"], ""))
    monkeypatch.setattr(pipeline, "run_network", lambda out, **k: state["network"])
    monkeypatch.setattr(pipeline, "figures", lambda out, **k: [])
    monkeypatch.setattr(pipeline, "derivation_statuses", lambda: [
        DerivationStatus(name="d1", title="Title", ok=state["derivs_ok"], steps=3,
                         detail="" if state["derivs_ok"] else "d1: step 2 (s) FAILED: no",
                         assumptions=["f is C²"])])
    return state


def test_reproduce_exit_0_and_report(stubbed, tmp_path):
    code = pipeline.reproduce(tmp_path, quick=True, progress=False, echo=lambda s: None)
    assert code == 0
    text = (tmp_path / "REPORT.md").read_text()
    for needle in ("## Claims", "| c1 |", "## Derivations", "| d1 |", "## The function zoo",
                   "quartic", "## Network experiment", "skipped", "Exit status: 0"):
        assert needle in text, needle


def test_reproduce_exit_1_on_a_verdict_differing(stubbed, tmp_path):
    stubbed["verdicts"] = [_verdict("c1", "holds", "refuted")]
    assert pipeline.reproduce(tmp_path, quick=True, progress=False, echo=lambda s: None) == 1
    text = (tmp_path / "REPORT.md").read_text()
    assert "differing: c1" in text and "x = 3" in text


def test_reproduce_exit_1_on_a_failing_derivation(stubbed, tmp_path):
    stubbed["derivs_ok"] = False
    assert pipeline.reproduce(tmp_path, quick=True, progress=False, echo=lambda s: None) == 1
    assert "FAILED" in (tmp_path / "REPORT.md").read_text()


def test_reproduce_report_is_deterministic(stubbed, tmp_path):
    pipeline.reproduce(tmp_path / "a", quick=True, progress=False, echo=lambda s: None)
    pipeline.reproduce(tmp_path / "b", quick=True, progress=False, echo=lambda s: None)
    a, b = (tmp_path / "a" / "REPORT.md"), (tmp_path / "b" / "REPORT.md")
    assert a.read_bytes() == b.read_bytes()


def test_cli_usage_errors_exit_2(tmp_path):
    from lab.cli import main

    f = tmp_path / "file.txt"
    f.write_text("x")
    for argv in (["figures", "--out", str(f)], ["reproduce", "--out", str(f)],
                 ["figures", "--seed", "-3"]):
        with pytest.raises(SystemExit) as exc:
            main(argv)
        assert exc.value.code == 2, argv


def test_figures_quick_writes_every_file(tmp_path, monkeypatch):
    # the claims are another layer's job: give figure g fixed verdicts to keep this fast
    monkeypatch.setattr(pipeline, "run_claims",
                        lambda b, s, p, client=None: ([_verdict("c1", "holds", "holds")], ""))
    result = CliRunner().invoke(cli, ["figures", "--quick", "--out", str(tmp_path),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    for name in FIGURES:
        for ext in ("svg", "png", "csv", "json"):
            assert (tmp_path / f"{name}.{ext}").stat().st_size > 0, (name, ext)
