"""Plain-text table of claim verdicts (used by ``python -m lab claims`` and the reproduce report)."""

from __future__ import annotations

from lab.claims.claim import ClaimVerdict
from lab.writing import text_table

_COLUMNS = ("claim", "source", "tag", "expected", "verdict", "worst ratio", "where")


def _short(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def verdict_row(v: ClaimVerdict, where_width: int = 70) -> tuple[str, ...]:
    """One row: claim, source, tag, expected, verdict (``!`` when unexpected), ratio, where."""
    ratio = "-" if v.worst_ratio is None else f"{v.worst_ratio:.4g}"
    verdict = v.verdict if v.matches_expectation else f"{v.verdict} (!)"
    where = v.counterexample if v.counterexample else v.where
    return (v.claim.name, _short(v.claim.source, 36), v.claim.tag, v.claim.expected, verdict,
            ratio, _short(where or "", where_width))


def format_table(verdicts: list[ClaimVerdict], where_width: int = 70) -> str:
    """The verdicts as an aligned text table with a one-line summary.

    Ratios are oriented so that a ratio above 1 means the statement is violated (upper
    bounds: observed/bound; lower bounds: bound/observed).

    Examples
    --------
    >>> from lab.claims import check_claim
    >>> v = check_claim("blog-clip-normalized-equal", budget="quick")
    >>> print(format_table([v]).splitlines()[-1])
    1 claims: 1 as expected, 0 unexpected
    """
    table = text_table([verdict_row(v, where_width) for v in verdicts], _COLUMNS)
    bad = sum(not v.matches_expectation for v in verdicts)
    return (f"{table}\n"
            f"{len(verdicts)} claims: {len(verdicts) - bad} as expected, {bad} unexpected")
