"""``figures/REPORT.md``: every figure with its caption, every claim's verdict, the
derivations' status, the function zoo and the network experiment. Pure text assembly:
the inputs are plain records, so the report is deterministic for deterministic inputs (no
timestamps, no run times).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lab.writing import markdown_table


@dataclass(kw_only=True)
class DerivationStatus:
    """One derivation's check: ok, the failing steps' summary, what it assumes."""

    name: str
    title: str
    ok: bool
    steps: int
    detail: str = ""
    assumptions: list = field(default_factory=list)
    cited: int = 0
    numeric: int = 0


@dataclass(kw_only=True)
class ReportInputs:
    """Everything the report shows."""

    config_line: str
    figures: list = field(default_factory=list)          # FigureRecord
    verdict_rows: list | None = None                      # tightness_data.verdict_rows
    claims_error: str = ""
    claims_budget: str = ""
    derivations: list | None = None                       # DerivationStatus
    derivations_error: str = ""
    zoo_rows: list = field(default_factory=list)
    network_status: str = ""                              # "ran", "skipped", "error"
    network_message: str = ""
    network_rows: list = field(default_factory=list)
    network_files: list = field(default_factory=list)     # paths relative to the report
    exit_code: int = 0


def render_report(inp: ReportInputs) -> str:
    """The Markdown text of ``REPORT.md``.

    Examples
    --------
    >>> text = render_report(ReportInputs(config_line="Seed 0.", network_status="skipped"))
    >>> text.splitlines()[0], "- Exit status: 0" in text
    ('# clipping-lab: reproduction report', True)
    """
    L = ["# clipping-lab: reproduction report", "",
         "Written by `python -m lab reproduce`; every number below is recomputed by that "
         "command. " + inp.config_line, ""]
    for section in (_summary, _figures, _claims, _derivations, _zoo, _network):
        L += section(inp)
    return "\n".join(L).rstrip() + "\n"


def _summary(inp: ReportInputs) -> list[str]:
    L = ["## Summary", ""]
    if inp.claims_error:
        L.append(f"- **Claims: not checked** ({inp.claims_error}).")
    elif inp.verdict_rows is not None:
        bad = [r for r in inp.verdict_rows if not r["matches"]]
        L.append(f"- Claims (budget '{inp.claims_budget}'): {len(inp.verdict_rows) - len(bad)} "
                 f"of {len(inp.verdict_rows)} verdicts match their expectation"
                 + (f"; **differing: {', '.join(r['claim'] for r in bad)}**." if bad else "."))
    if inp.derivations_error:
        L.append(f"- **Derivations: not checked** ({inp.derivations_error}).")
    elif inp.derivations is not None:
        failing = [d.name for d in inp.derivations if not d.ok]
        L.append(f"- Derivations: {len(inp.derivations) - len(failing)} of "
                 f"{len(inp.derivations)} check"
                 + (f"; **failing: {', '.join(failing)}**." if failing else "."))
    L.append(f"- Network experiment: {inp.network_status}"
             + (f" ({inp.network_message})" if inp.network_message else "") + ".")
    L.append(f"- Exit status: {inp.exit_code} (1 when a verdict differs from its expectation "
             "or a derivation fails).")
    return L + [""]


def _figures(inp: ReportInputs) -> list[str]:
    L = ["## Figures", ""]
    for rec in inp.figures:
        svg = next((Path(p).name for p in rec.files if str(p).endswith(".svg")), None)
        L += [f"### {rec.name[0]}. {rec.title}", ""]
        if svg:
            L += [f"![{rec.title}]({svg})", ""]
        L += [rec.caption, "",
              f"Data: `{rec.name}.csv`; configuration and key numbers: `{rec.name}.json`.", ""]
    return L


def _claims(inp: ReportInputs) -> list[str]:
    L = ["## Claims", ""]
    if inp.claims_error:
        return L + [f"Not checked: {inp.claims_error}", ""]
    if inp.verdict_rows is None:
        return L
    L += [markdown_table(inp.verdict_rows, ["claim", "title", "source", "tag", "expected",
                                            "verdict", "matches", "method", "worst_ratio",
                                            "where"]), ""]
    if any(r.get("whole_verdict") for r in inp.verdict_rows):
        L += ["On the whole univariate class (the adversary: `python -m lab check NAME "
              "--whole`; n/a: why there is no whole-class version):", "",
              markdown_table(inp.verdict_rows, ["claim", "expected", "verdict", "worst_ratio",
                                                "whole_verdict", "whole_matches", "whole_ratio",
                                                "whole_where", "brackets"]), ""]
    cex = [r for r in inp.verdict_rows if r["counterexample"]]
    if cex:
        L += ["Counterexamples:", ""]
        L += [f"- `{r['claim']}`: {r['counterexample']}" for r in cex]
        L.append("")
    return L + ["worst_ratio: the largest observed/bound (lower bounds: bound/observed) ratio; "
                "above 1 means violated. Tags: Q quoted, R reconstructed, D derived here, "
                "F follow-up work (PAPER.md).", ""]


def _derivations(inp: ReportInputs) -> list[str]:
    L = ["## Derivations", ""]
    if inp.derivations_error:
        return L + [f"Not checked: {inp.derivations_error}", ""]
    if inp.derivations is None:
        return L
    L += [markdown_table([{"derivation": d.name, "title": d.title,
                           "status": "ok" if d.ok else "FAILED", "steps": d.steps,
                           "assumptions": len(d.assumptions), "cited facts": d.cited,
                           "numeric certificates": d.numeric} for d in inp.derivations]), ""]
    for d in inp.derivations:
        if not d.ok:
            L += [f"- `{d.name}` failed: {d.detail}"]
        for a in d.assumptions:
            L += [f"- `{d.name}` assumes: {a}"]
    return L + ["", "Rendered proofs: `proofs/NAME.md`.", ""]


def _zoo(inp: ReportInputs) -> list[str]:
    return ["## The function zoo", "", markdown_table(inp.zoo_rows), ""]


def _network(inp: ReportInputs) -> list[str]:
    L = ["## Network experiment", ""]
    if inp.network_status != "ran":
        return L + [f"{inp.network_status}: {inp.network_message}", ""]
    if inp.network_message:
        L += [inp.network_message, ""]
    if inp.network_rows:
        L += [markdown_table(inp.network_rows), ""]
    for p in inp.network_files:
        if str(p).endswith(".svg"):
            L += [f"![{Path(p).stem}]({p})", ""]
    return L
