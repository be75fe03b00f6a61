"""The zoo as rows of text: what ``python -m lab functions`` and the reproduction report show."""

from __future__ import annotations

from lab.functions.zoo import ZOO


def zoo_rows() -> list[dict[str, str]]:
    """One row per zoo member, with default parameters.

    Columns: name, formula, d, frontier, L-smooth, bounded below, f*, example.

    Examples
    --------
    >>> row = zoo_rows()[0]
    >>> row["name"], row["frontier"], row["L-smooth"]
    ('quartic', 'L0 >= 16/L1**2 (L1 > 0)', 'no')
    """
    rows = []
    for name, entry in ZOO.items():
        fn = entry.factory()
        info = fn.info
        rows.append({
            "name": name,
            "formula": fn.formula,
            "d": str(fn.dim),
            "frontier": info.frontier.describe(),
            "L-smooth": "yes" if info.l_smooth else "no",
            "bounded below": "yes" if info.bounded_below else "no",
            "f*": "-" if info.f_star is None else f"{info.f_star:.6g}",
            "example": "yes" if info.is_example else "NON-EXAMPLE",
        })
    return rows
