"""``python -m lab check CLAIM [--budget ...] [--method search|sweep|prove]``.

Exit 0 when the claim survives (no counterexample / the derivation checks), 1 with the
shrunk counterexample when it is refuted, 2 for an unknown claim (the message lists them).
"""

from __future__ import annotations

import click

from lab.cli.options import scheduler_option


@click.command(name="check")
@click.argument("claim")
@click.option("--budget", type=click.Choice(["quick", "default", "thorough"]),
              default="default", show_default=True, help="How hard to look.")
@click.option("--seed", type=click.IntRange(min=0), default=0, show_default=True,
              help="0: hypothesis's derandomized stream; other seeds give other streams.")
@click.option("--method", type=click.Choice(["search", "sweep", "prove"]), default=None,
              help="Which check to run (default: the claim's first).")
@click.option("--streams", type=click.IntRange(min=1), default=1, show_default=True,
              help="Independent search streams (seeds SEED, SEED+1, ...), merged in seed "
                   "order; with --scheduler they run in parallel.")
@scheduler_option
def command(claim, budget, seed, method, streams, scheduler):
    """Check one catalogued claim: exit 0 if it survives, 1 with the counterexample if not."""
    from lab.claims import check_claim, get_claim
    from lab.parallel import open_client

    c = get_claim(claim)
    with open_client(scheduler) as client:
        verdict = check_claim(c, budget=budget, seed=seed, method=method, streams=streams,
                              client=client)
    click.echo(verdict.summary())
    if c.notes:
        click.echo(f"  note: {c.notes}")
    if verdict.verdict == "refuted":
        raise click.exceptions.Exit(1)
