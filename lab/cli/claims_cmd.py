"""``python -m lab claims [--file PATH] [--budget quick|default|thorough]``: check a catalogue.

Without ``--file``: the lab's catalogue, each claim also on the whole univariate class
(``--no-whole`` to skip; :mod:`lab.claims.whole`). With ``--file``: the claims of one TOML file
or of every ``*.toml`` in a folder (a user's own catalogue). Prints a table (claim, source, tag,
expected, verdict, worst ratio, where). Exit 0 when every verdict is the recorded
expectation, 1 otherwise (the unexpected ones are marked ``(!)`` and printed in full below
the table), 2 for a mistake in a file.
"""

from __future__ import annotations

import time

import click

from lab.claims import BUDGETS, check_all
from lab.claims.files import load_claims
from lab.claims.report import format_table
from lab.cli.options import budget_option, progress_option, scheduler_option, seed_option
from lab.parallel import open_client


@click.command(name="claims")
@click.option("--file", "path", metavar="PATH", default=None,
              help="A claim file, or a folder of them, instead of the lab's catalogue.")
@budget_option(BUDGETS)
@seed_option("0: hypothesis's derandomized stream; other seeds give other streams.")
@progress_option
@click.option("--whole/--no-whole", default=True, show_default=True,
              help="Also check each catalogued claim on the whole univariate class (the "
                   "adversary) and print the constant brackets of derived bounds.")
@scheduler_option
def command(path, budget, seed, progress, whole, scheduler):
    """Check every claim of the catalogue (or of --file PATH); exit 1 if any verdict differs
    from its expectation.

    With --scheduler each claim is one task on the workers; the table is the same.
    """
    start = time.perf_counter()
    claims = None
    if path is not None:
        claims = load_claims(path)
    with open_client(scheduler) as client:
        verdicts = check_all(budget=budget, seed=seed, progress=progress, client=client,
                             claims=claims, whole=whole)
    click.echo(format_table(verdicts))
    unexpected = [v for v in verdicts if not v.matches_expectation]
    unexpected_whole = [v.whole for v in verdicts
                        if v.whole is not None and not v.whole.matches_expectation]
    for v in unexpected + unexpected_whole:
        click.echo("")
        click.echo(v.summary())
    click.echo(f"budget {budget}, seed {seed}: {time.perf_counter() - start:.1f} s")
    if unexpected or unexpected_whole:
        raise click.exceptions.Exit(1)
