"""``python -m lab check CLAIM | --claim FILE.toml [--budget ...] [--method ...]``.

Exit 0 when the claim survives (no counterexample / the derivation checks), 1 with the
shrunk counterexample when it is refuted, 2 for a usage error: an unknown claim (the message
lists them) or a mistake in the claim file (one line naming the file, the key and what is
allowed).
"""

from __future__ import annotations

import click

from lab.claims import BUDGETS, check_claim, get_claim
from lab.claims.files import load_claim_file
from lab.claims.whole import not_covered, whole_class_variant
from lab.cli.options import budget_option, scheduler_option, seed_option
from lab.errors import LabInputError
from lab.parallel import open_client


@click.command(name="check")
@click.argument("claim", required=False)
@click.option("--claim", "claim_file", metavar="FILE.toml", default=None,
              help="Check the claim stated in this file instead of a catalogued one.")
@budget_option(BUDGETS)
@seed_option("0: hypothesis's derandomized stream; other seeds give other streams.")
@click.option("--method", type=click.Choice(["search", "sweep", "prove", "adversary"]),
              default=None, help="Which check to run (default: the claim's first).")
@click.option("--streams", type=click.IntRange(min=1), default=1, show_default=True,
              help="Independent search streams (seeds SEED, SEED+1, ...), merged in seed "
                   "order; with --scheduler they run in parallel.")
@click.option("--whole", is_flag=True, default=False,
              help="Check a catalogued claim on the whole univariate class (the adversary) "
                   "instead of its own class.")
@scheduler_option
def command(claim, claim_file, budget, seed, method, streams, whole, scheduler):
    """Check one claim (a catalogue name, or --claim FILE.toml): exit 0 if it survives, 1
    with the counterexample if not, 2 for a usage error.

    Example: python -m lab check --claim examples/claims/clipped-constant-12.toml
    """
    if (claim is None) == (claim_file is None):
        raise LabInputError("give a catalogued claim name or --claim FILE.toml (one of them); "
                            "python -m lab claims lists the catalogue")
    if claim_file is not None:
        c = load_claim_file(claim_file)
    else:
        c = get_claim(claim)
        if whole:
            variant = whole_class_variant(c.name)
            if variant is None:
                raise LabInputError(f"claim {c.name!r} has no whole-class variant: "
                                    f"{not_covered(c.name)}")
            c = variant
    with open_client(scheduler) as client:
        verdict = check_claim(c, budget=budget, seed=seed, method=method, streams=streams,
                              client=client)
    click.echo(verdict.summary())
    if c.function_class:
        click.echo(f"  class: {c.function_class}")
    if c.notes:
        click.echo(f"  note: {c.notes}")
    if verdict.verdict == "refuted":
        raise click.exceptions.Exit(1)
