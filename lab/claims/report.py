"""Plain-text table of claim verdicts (used by ``python -m lab claims`` and the reproduce report)."""

from __future__ import annotations

from lab.claims.claim import ClaimVerdict
from lab.writing import text_table

_COLUMNS = ("claim", "source", "tag", "expected", "verdict", "worst ratio", "where")
_WHOLE_COLUMNS = ("whole class", "whole-class where")


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


def whole_cells(v: ClaimVerdict, where_width: int = 50) -> tuple[str, str]:
    """The whole-class verdict (``ratio verdict``, ``!`` when unexpected) and where, or
    ``n/a`` and the reason."""
    w = getattr(v, "whole", None)
    if w is None:
        return "n/a", _short(getattr(v, "whole_note", "") or "", where_width)
    ratio = "-" if w.worst_ratio is None else f"{w.worst_ratio:.4g}"
    mark = "" if w.matches_expectation else " (!)"
    where = w.counterexample if w.counterexample else w.where
    return f"{ratio} {w.verdict}{mark}", _short(where or "", where_width)


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
    whole = any(getattr(v, "whole", None) is not None or getattr(v, "whole_note", "")
                for v in verdicts)
    rows = [verdict_row(v, where_width) + (whole_cells(v) if whole else ()) for v in verdicts]
    table = text_table(rows, _COLUMNS + (_WHOLE_COLUMNS if whole else ()))
    bad = sum(not v.matches_expectation for v in verdicts)
    text = (f"{table}\n"
            f"{len(verdicts)} claims: {len(verdicts) - bad} as expected, {bad} unexpected")
    if whole:
        checked = [v.whole for v in verdicts if getattr(v, "whole", None) is not None]
        wbad = sum(not w.matches_expectation for w in checked)
        text += (f"\non the whole univariate class: {len(checked)} claims, "
                 f"{len(checked) - wbad} as expected, {wbad} unexpected")
        for v in verdicts:
            for b in getattr(v, "brackets", ()):
                text += f"\n{v.claim.name}: constant bracket {b.split(' (')[0]}"
    return text
