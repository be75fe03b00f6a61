"""First-run check: the report lists a verdict for every claim that `lab claims` checked.

Usage: python .ci/check_report.py REPORT.md CLAIMS_OUTPUT.txt
Exit 1 (with one line saying why) when the report's claims table is missing or empty, has a
row without a verdict, or has fewer rows than `python -m lab claims` reported claims.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path


def claim_rows(report: str) -> list[dict[str, str]]:
    """Rows of the first table under the report's "## Claims" heading (the catalogue's
    verdicts; the whole-class table that follows it is not counted), as header -> cell."""
    match = re.search(r"^## Claims\s*$(.*?)(?=^## |\Z)", report, re.M | re.S)
    if match is None:
        return []
    lines: list[str] = []
    for line in match.group(1).splitlines():
        if line.startswith("|"):
            lines.append(line)
        elif lines:  # the first table has ended
            break
    if len(lines) < 2:
        return []
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [[c.strip() for c in re.split(r"(?<!\\)\|", l.strip().strip("|"))] for l in lines[2:]]
    return [dict(zip(header, r)) for r in rows]


def main(report_path: str, claims_path: str) -> int:
    rows = claim_rows(Path(report_path).read_text(encoding="utf-8"))
    if not rows:
        print(f"first-run check: {report_path} has no claims table with verdicts")
        return 1
    missing = [r.get("claim", "?") for r in rows
               if not re.fullmatch(r"[a-z][a-z ()-]*", r.get("verdict", "")) or
               r.get("verdict") in ("none", "error", "failed")]
    if missing:
        print(f"first-run check: claims without a verdict in the report: {', '.join(missing)}")
        return 1
    counted = re.search(r"^(\d+) claims: ", Path(claims_path).read_text(encoding="utf-8"), re.M)
    if counted is None or int(counted.group(1)) != len(rows):
        print(f"first-run check: the report lists {len(rows)} verdicts, `lab claims` checked "
              f"{counted.group(1) if counted else 'an unknown number of'} claims")
        return 1
    print(f"first-run check: the report lists all {len(rows)} claim verdicts")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
