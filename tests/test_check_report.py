"""The first-run check of `.ci/run` (`.ci/check_report.py`): the report's catalogue table
lists a verdict for every claim `lab claims` checked; a second table in the Claims section
(the whole-class verdicts) is not read as catalogue rows."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / ".ci" / "check_report.py"
spec = importlib.util.spec_from_file_location("check_report", SCRIPT)
check_report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_report)

REPORT = """# Report

## Claims

| claim | verdict | matches |
|---|---|---|
| fact-a | holds | True |
| fact-b | {verdict} | True |

On the whole univariate class:

| claim | whole-class verdict | worst |
|---|---|---|
| fact-a | n/a | - |

## Figures
"""


def _run(tmp_path, verdict: str, claims_line: str) -> tuple[int, list]:
    report, claims = tmp_path / "REPORT.md", tmp_path / "claims.txt"
    report.write_text(REPORT.format(verdict=verdict), encoding="utf-8")
    claims.write_text(claims_line + "\n", encoding="utf-8")
    return check_report.main(str(report), str(claims)), check_report.claim_rows(
        report.read_text(encoding="utf-8"))


def test_first_table_only_and_every_row_has_a_verdict(tmp_path):
    rc, rows = _run(tmp_path, "refuted", "2 claims: 2 as expected, 0 unexpected")
    assert rc == 0 and [r["claim"] for r in rows] == ["fact-a", "fact-b"]


def test_a_row_without_a_verdict_fails(tmp_path):
    assert _run(tmp_path, "error", "2 claims: 2 as expected")[0] == 1
    assert _run(tmp_path, "", "2 claims: 2 as expected")[0] == 1


def test_fewer_rows_than_checked_claims_fails(tmp_path):
    assert _run(tmp_path, "holds", "3 claims: 3 as expected")[0] == 1
