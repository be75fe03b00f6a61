"""``python -m lab functions``: the zoo as a table."""

from __future__ import annotations

import click

from lab.functions import ZOO, get_function
from lab.writing import markdown_table, text_table


def zoo_rows() -> list[dict[str, str]]:
    """One row per zoo member, with default parameters (used by the CLI and the report)."""
    rows = []
    for name, entry in ZOO.items():
        fn = get_function(name)
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


@click.command(name="functions")
@click.option("--format", "fmt", type=click.Choice(["table", "markdown"]), default="table",
              show_default=True, help="Plain text table or a Markdown table.")
def command(fmt: str) -> None:
    """The function zoo: name, formula, (L0, L1) frontier, L-smooth?, bounded below?, f*.

    Frontiers stated in closed form are checked against the certifier in the test suite;
    '(certifier)' rows are computed on demand by `python -m lab check-smoothness`.
    """
    rows = zoo_rows()
    click.echo(text_table([tuple(r.values()) for r in rows], list(rows[0])) if fmt == "table"
               else markdown_table(rows))
