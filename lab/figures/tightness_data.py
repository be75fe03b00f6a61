"""Data of figure g: observed/bound ratios per complexity claim (from the claims layer).

Each sweep verdict of :func:`lab.claims.check_all` carries ``ratios``, a list of
``(instance label, ratio)`` pairs (upper bounds: observed/bound; lower bounds:
bound/observed; either way a ratio above 1 is a violation). This module only reshapes them;
the claims layer is imported lazily by the caller, so the figures work without it.
"""

from __future__ import annotations

import math


#: claim kinds that state an iteration bound (figure g shows only these)
COMPLEXITY_KINDS = ("upper-bound", "lower-bound", "stochastic")


def tightness_rows(verdicts) -> list[dict]:
    """One row per (claim, instance) ratio of every complexity claim.

    A swept claim contributes each of its ``ratios`` (``kind = "sweep"``); a claim checked by
    a search contributes its ``worst_ratio`` once (``kind = "search worst"``). Verdicts whose
    claim has a ``kind`` outside :data:`COMPLEXITY_KINDS` are left out.

    A verdict with a whole-class verdict (``verdict.whole``) adds its worst ratio once
    (``kind = "whole class"``), drawn beside the zoo's.

    A ratio of ``inf`` is a run that never reached ε within its budget: the true ratio is
    unbounded by what was observed, so the row is kept with ``lower_bound = True`` (the
    figure draws it at the axis edge as a lower bound); ``nan`` ratios carry no information
    and are left out.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> v = NS(claim=NS(name="thm3", title="Theorem 3", tag="R", expected="holds"),
    ...        verdict="holds", ratios=[("x^4, M=10", 0.25), ("exp, M=10", 0.5)])
    >>> [(r["claim"], r["ratio"]) for r in tightness_rows([v])]
    [('thm3', 0.25), ('thm3', 0.5)]
    >>> w = NS(claim=NS(name="weak", title="T", tag="D", expected="refuted"),
    ...        verdict="refuted", ratios=None, worst_ratio=float("inf"), where="x^4")
    >>> [(r["ratio"], r["lower_bound"]) for r in tightness_rows([w])]
    [(inf, True)]
    """
    rows = []
    for v in verdicts:
        kind = getattr(v.claim, "kind", None)
        if kind is not None and kind not in COMPLEXITY_KINDS:
            continue
        pairs = [(label, ratio, "sweep") for label, ratio in getattr(v, "ratios", None) or []]
        if not pairs and getattr(v, "worst_ratio", None) is not None:
            pairs = [(v.where or "", v.worst_ratio, "search worst")]
        w = getattr(v, "whole", None)
        if w is not None and w.worst_ratio is not None:
            pairs.append((w.where or "", w.worst_ratio, "whole class"))
        for label, ratio, how in pairs:
            try:
                value = float(ratio)
            except (TypeError, ValueError):
                continue
            if math.isnan(value) or value == -math.inf:
                continue
            rows.append({"claim": v.claim.name, "title": v.claim.title, "tag": v.claim.tag,
                         "expected": v.claim.expected, "verdict": v.verdict,
                         "kind": how, "instance": str(label), "ratio": value,
                         "lower_bound": value == math.inf})
    return rows


def verdict_rows(verdicts) -> list[dict]:
    """One summary row per verdict (the report's claim table and ``claims.csv``).

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> v = NS(claim=NS(name="c", title="T", source="paper", tag="Q", expected="holds"),
    ...        verdict="holds", matches_expectation=True, worst_ratio=0.5, where="x=1",
    ...        counterexample=None, method="sweep")
    >>> verdict_rows([v])[0]["matches"]
    True
    """
    rows = []
    for v in verdicts:
        c = v.claim
        rows.append({"claim": c.name, "title": c.title, "source": getattr(c, "source", ""),
                     "tag": c.tag, "expected": c.expected, "verdict": v.verdict,
                     "matches": bool(v.matches_expectation), "method": v.method,
                     "worst_ratio": (float(v.worst_ratio) if v.worst_ratio is not None
                                     else None),
                     "where": v.where or "", "counterexample": v.counterexample or "",
                     **whole_fields(v)})
    return rows


def whole_fields(v) -> dict:
    """The whole-class columns of a verdict row (empty strings when not checked)."""
    w = getattr(v, "whole", None)
    out = {"whole_verdict": "", "whole_matches": "", "whole_ratio": None, "whole_where": "",
           "brackets": "; ".join(b.split(" (")[0] for b in getattr(v, "brackets", ()) or ())}
    if w is not None:
        out.update(whole_verdict=w.verdict, whole_matches=bool(w.matches_expectation),
                   whole_ratio=None if w.worst_ratio is None else float(w.worst_ratio),
                   whole_where=w.counterexample or w.where or "")
    elif getattr(v, "whole_note", ""):
        out.update(whole_verdict="n/a", whole_where=v.whole_note)
    return out
