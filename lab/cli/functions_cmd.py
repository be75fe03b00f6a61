"""``python -m lab functions``: the zoo as a table."""

from __future__ import annotations

import click

from lab.functions import zoo_rows
from lab.writing import markdown_table, text_table


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
